"""The problems Waraqa reports to editors, and the exceptions that carry them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from collections.abc import Sequence
from pathlib import Path

from .records import pickled_by_fields


class Severity(str, Enum):
    """How bad a problem is: errors stop the build, warnings do so only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@pickled_by_fields
@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One mistake in one file, at one line, in one field."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        """Return the problem as `path:line: field: message`, the form editors and editors' tools read."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "warning: " if self.severity is Severity.WARNING else ""
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {label}{field}{self.message}" if where else f"{label}{field}{self.message}"


def display_path(path: Path, root: Path) -> str:
    """Return `path` as an editor knows it: relative to the site's folder when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class WaraqaError(Exception):
    """Base of every error the command line and the preview report as problems, never as a traceback."""

    def __init__(self, problems: Sequence[Problem] | str):
        """Keep the problems to report (a plain message is one problem that names no file)."""
        found = [Problem("", 0, "", problems)] if isinstance(problems, str) else list(problems)
        self.problems: list[Problem] = sorted(found)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildFailed(WaraqaError):
    """The site has problems that stop the build; all of them, in the order of their files and lines."""


class ConfigError(WaraqaError):
    """The site configuration cannot be used."""


class OutputError(WaraqaError):
    """The output folder is unsafe to replace, or two pages want the same path."""


class TemplateProblem(WaraqaError):
    """A template failed to compile or to render; its problem names the template and its line."""
