"""Build the Waraqa site in this folder: `python build.py [build|check|serve|deploy] [--help]`."""

import sys
from pathlib import Path

from waraqa.cli import main

if __name__ == "__main__":
    sys.exit(main(default_source=Path(__file__).resolve().parent))
