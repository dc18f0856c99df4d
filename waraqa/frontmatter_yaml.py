"""Read a sheet file into its front-matter node tree and body, keeping every line number.

python-frontmatter defines what a fence is; this module adds what it hides: a missing
closing fence, a BOM, CRLF line ends, bytes that are not UTF-8, and YAML line numbers
counted in the whole file rather than from the fence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from frontmatter.default_handlers import YAMLHandler

try:  # libyaml is about ten times faster; PyYAML without it still works.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FENCE = YAMLHandler.FM_BOUNDARY.pattern.replace(r"\s*", r"[ \t]*")
_FENCE_LINE = re.compile(FENCE)
_BOM = "\ufeff"


class SourceProblem(Exception):
    """The file cannot be read as a sheet at all; carries the line (1-based) and the reason."""

    def __init__(self, line: int, message: str):
        """Remember where and why reading stopped."""
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class SplitSource:
    """A sheet file split into its front matter (as YAML nodes) and its Markdown body."""

    front_matter: yaml.Node | None
    first_line: int
    body: str
    body_line: int


def decode(data: bytes) -> str:
    """Return the file's text with any BOM dropped and line ends made LF; raise SourceProblem if not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceProblem(
            line,
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read); "
            "save it with the UTF-8 encoding",
        ) from None
    if text.startswith(_BOM):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split(text: str) -> SplitSource:
    """Return the front-matter node tree and body of a sheet's text; raise SourceProblem where it cannot."""
    if not text.strip():
        raise SourceProblem(1, "the file is empty; a sheet starts with front matter between two '---' lines")
    lines = text.split("\n")
    if not _FENCE_LINE.fullmatch(lines[0]):
        raise SourceProblem(1, "the file must start with a line '---' that opens the front matter")
    closing = next((i for i in range(1, len(lines)) if _FENCE_LINE.fullmatch(lines[i])), None)
    if closing is None:
        raise SourceProblem(1, "the front matter opened here is never closed; add a line '---' after its last field")
    yaml_text = "\n".join(lines[1:closing]) + "\n"
    body = "\n".join(lines[closing + 1 :])
    # Line 1 is the opening fence, so YAML's line 0 is the file's line 2.
    return SplitSource(parse_yaml(yaml_text, first_line=2), first_line=2, body=body, body_line=closing + 2)


def parse_yaml(yaml_text: str, first_line: int) -> yaml.Node | None:
    """Return the YAML node tree of `yaml_text`; raise SourceProblem with the file's line on a syntax error."""
    try:
        return yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # A mark past the last line means "at the end"; the editor's mistake is on the last line of YAML.
        last_line = max(yaml_text.count("\n") - 1, 0)
        line = min(mark.line if mark else 0, last_line) + first_line
        reason = error.problem or "cannot be read"
        if error.context and error.context_mark:
            reason = f"{reason} ({error.context} that starts at line {error.context_mark.line + first_line})"
        elif error.context:
            reason = f"{reason} ({error.context})"
        raise SourceProblem(line, f"YAML syntax error: {reason}") from None
    except yaml.YAMLError as error:
        raise SourceProblem(first_line, f"YAML syntax error: {error}") from None


def node_line(node: yaml.Node, first_line: int) -> int:
    """Return the line in the whole file on which `node` starts."""
    return node.start_mark.line + first_line
