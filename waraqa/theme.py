"""The templates folder: every file's digest, and the static files a build copies into the site as they are."""

from __future__ import annotations

from dataclasses import dataclass

from .cache import digest
from .config import Config

STATIC_FOLDER = "static"


@dataclass(frozen=True, slots=True)
class Extra:
    """A file every build writes besides pages: a static file of the theme, .nojekyll or CNAME."""

    site_file: str
    data: bytes
    origin: str


def theme_files(config: Config) -> dict[str, str]:
    """Return a digest of every file under the templates folder (templates and static files), by its Jinja name."""
    templates = config.templates_path
    found = {}
    for path in sorted(templates.rglob("*")) if templates.is_dir() else []:
        if path.is_file():
            found[path.relative_to(templates).as_posix()] = digest(path.read_bytes())
    return found


def is_static(name: str) -> bool:
    """Tell whether a file of the templates folder is a static file (copied, never rendered)."""
    return name.startswith(f"{STATIC_FOLDER}/")


def extra_files(config: Config) -> list[Extra]:
    """Return the files every build writes besides pages: static files, .nojekyll and CNAME."""
    files = []
    static = config.templates_path / STATIC_FOLDER
    if static.is_dir():
        origin = f"{config.templates_dir.as_posix()}/{STATIC_FOLDER}"
        for path in sorted(static.rglob("*")):
            relative = path.relative_to(static)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                name = relative.as_posix()
                files.append(Extra(f"{STATIC_FOLDER}/{name}", path.read_bytes(), f"{origin}/{name}"))
    files.append(Extra(".nojekyll", b"", "GitHub Pages settings"))
    if config.cname:
        files.append(Extra("CNAME", f"{config.cname}\n".encode("ascii"), "the cname setting"))
    return files
