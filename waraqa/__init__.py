"""Waraqa turns a folder of Arabic fact sheets (Markdown with YAML front matter) into a right-to-left website."""

__version__ = "0.1.0"
