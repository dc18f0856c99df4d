"""Review marks: the `# راجع: …` comments the importer leaves on every field it guessed, found again in a sheet."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from .errors import Problem, Severity

# The one spelling of the mark: the importer writes it, the loader looks for it.
MARK = "# راجع:"
_MARK_WORD = "راجع"
_COMMENT = re.compile(r"(?:^|(?<=\s))#\s*راجع\s*:?\s*(.*)$")


@dataclass(frozen=True)
class ReviewMark:
    """One `# راجع:` comment: the file line it is on, the field it belongs to, and what to review."""

    line: int
    field: str
    note: str


def has_marks(text: str) -> bool:
    """Tell cheaply whether `text` could hold a review mark at all (most sheets do not)."""
    return _MARK_WORD in text


def review_marks(front_matter: str, first_line: int, tree: yaml.Node | None = None) -> list[ReviewMark]:
    """Return the review marks in `front_matter` (the YAML between the fences, starting at file line `first_line`).

    `tree` is the composed YAML of the same text when the caller has it: a `#` inside a quoted or plain
    value is text, not a comment, and the tree says where the values are.
    """
    if not has_marks(front_matter):
        return []
    if tree is None:
        tree = _compose(front_matter)
    scalars = list(_scalar_spans(tree)) if tree is not None else []
    lines = front_matter.split("\n")
    marks = []
    for index, line in enumerate(lines):
        for match in _COMMENT.finditer(line):
            if any(_inside(span, index, match.start()) for span in scalars):
                continue
            field = _field_at(tree, index, lines) if tree is not None else ""
            marks.append(ReviewMark(index + first_line, field, match.group(1).strip()))
            break
    return marks


def _compose(text: str) -> yaml.Node | None:
    """Return the YAML node tree of `text`, or None when it does not parse (the loader reports that)."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def _scalar_spans(node: yaml.Node) -> Iterator[tuple[yaml.Mark, yaml.Mark]]:
    """Yield the (start, end) marks of every scalar in the tree, keys included."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            yield current.start_mark, current.end_mark
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))


def _inside(span: tuple[yaml.Mark, yaml.Mark], line: int, column: int) -> bool:
    """Tell whether (line, column) of the front matter lies within a scalar's span."""
    start, end = span
    return (start.line, start.column) <= (line, column) < (end.line, end.column)


def _field_at(tree: yaml.Node, line: int, lines: list[str]) -> str:
    """Return the field path (`details.مدة القمة`, `delegations[0].members[1].name`) a comment on `line` is about.

    A comment on a line of its own is about the value on the next line that has one.
    """
    target = line
    while target < len(lines) and not _has_value(lines[target]):
        target += 1
    if target == len(lines):
        return ""
    return _path_to_line(tree, target, "") or ""


def _has_value(line: str) -> bool:
    """Tell whether a front-matter line holds YAML rather than only a comment or nothing."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _path_to_line(node: yaml.Node, line: int, path: str) -> str | None:
    """Return the path of the deepest key or item that starts on or before `line` and holds it.

    Entries come in the order of the text, so the one holding `line` is the last to start at or before it.
    """
    if isinstance(node, yaml.MappingNode):
        entries = [(key.start_mark.line, f"{path}.{key.value}" if path else str(key.value), value)
                   for key, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        entries = [(item.start_mark.line, f"{path}[{index}]", item) for index, item in enumerate(node.value)]
    else:
        return None
    holding = [(where, child) for start, where, child in entries if start <= line]
    if not holding:
        return None
    where, child = holding[-1]
    return _path_to_line(child, line, where) or where


def review_warnings(shown: str, text: str, body_line: int, tree: yaml.Node | None) -> list[Problem]:
    """Return one warning per review mark in the front matter of a sheet's `text` (its body starts at `body_line`)."""
    if not has_marks(text):
        return []
    # Line 1 is the opening fence and line body_line - 1 the closing one: the YAML lies between.
    front_matter = "\n".join(text.split("\n")[1 : body_line - 2])
    return [
        Problem(shown, mark.line, mark.field, _warning(mark.note), Severity.WARNING)
        for mark in review_marks(front_matter, 2, tree)
    ]


def _warning(note: str) -> str:
    """Return the message of a review mark's warning: what was guessed, and what to do about it."""
    what = note or "تخمين من الاستيراد (a guess of the import)"
    return f"راجع: {what}؛ صحّحه إن لزم ثم احذف التعليق (check it, fix it if needed, then delete the comment)"
