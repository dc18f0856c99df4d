"""A draft written as a sheet file: YAML front matter with a `# راجع: …` comment on every guessed line, then the body."""

from __future__ import annotations

import json
from collections.abc import Iterator

import yaml

from ..review_marks import MARK
from .model import Draft, Note


def sheet_text(draft: Draft, origin: str) -> str:
    """Return the text of the sheet file for `draft`, imported from `origin` (a file name, or standard input)."""
    lines = [
        "---",
        f"# مسودة مستوردة من {origin}: راجع كل سطر عليه علامة المراجعة ثم احذف العلامة، واحذف «draft: true» لتنشرها.",
        f"# (A draft imported from {origin}: check every line with a review mark and delete the mark;"
        " delete «draft: true» to publish it.)",
        _field("title", _quoted(draft.title)),
        _field("date", draft.date.isoformat(), draft.date_guess),
        "draft: true",
        _field("summary", _quoted(draft.summary.value), draft.summary.guess),
    ]
    if draft.place:
        lines.append(_field("place", _quoted(draft.place.value), draft.place.guess))
    if draft.tags:
        lines.append(_field("tags", "", draft.tags_guess))
        lines += [f"  - {_scalar(tag)}" for tag in draft.tags]
    if draft.sources:
        lines.append("sources:")
        for source in draft.sources:
            lines.append(_field("  - publisher", _scalar(source.publisher), source.guess))
            if source.url:
                lines.append(f"    url: {_scalar(source.url)}")
    lines += list(_details(draft))
    lines += list(_delegations(draft))
    if draft.outcomes:
        lines.append(_field("outcomes", "", draft.outcomes_guess))
        lines += [f"  - {_quoted(outcome)}" for outcome in draft.outcomes]
    lines += [_comment(note) for note in draft.remarks]
    lines.append("---")
    return "\n".join(lines) + "\n\n" + draft.body


def _details(draft: Draft) -> Iterator[str]:
    """Yield the details table's lines: a mapping, as editors write it, unless two rows share a label."""
    if not draft.details:
        return
    yield "details:"
    labels = [row.label for row in draft.details]
    as_mapping = len(set(labels)) == len(labels)
    for row in draft.details:
        if as_mapping:
            yield _field(f"  {_key(row.label)}", _scalar(row.value), row.guess)
        else:
            yield _field("  - label", _scalar(row.label), row.guess)
            yield f"    value: {_scalar(row.value)}"


def _delegations(draft: Draft) -> Iterator[str]:
    """Yield the delegations' lines, each side and each member with the note that says where it came from."""
    if not draft.delegations:
        return
    yield "delegations:"
    for delegation in draft.delegations:
        yield _field("  - side", _scalar(delegation.side), delegation.guess)
        if delegation.country:
            yield f"    country: {delegation.country}"
        yield "    members:"
        for member in delegation.members:
            yield _field("      - name", _scalar(member.name), member.guess)
            yield f"        role: {_scalar(member.role)}"


def _field(name: str, value: str, guess: Note | None = None) -> str:
    """Return one `name: value` line, with the review mark of a guess at its end."""
    line = f"{name}: {value}" if value else f"{name}:"
    return f"{line}  {MARK} {_one_line(guess)}" if guess else line


def _comment(note: Note) -> str:
    """Return a review mark on a line of its own, for a note that belongs to no field."""
    return f"{MARK} {_one_line(note)}"


def _one_line(note: Note) -> str:
    """Return a note as one line of a YAML comment."""
    return " ".join(str(note).split())


def _quoted(text: str) -> str:
    """Return `text` as a double-quoted YAML scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _scalar(text: str) -> str:
    """Return `text` as written when YAML reads it back as the same text before a comment, else quoted."""
    try:
        plain = yaml.safe_load(f"k: {text}  # c\n") == {"k": text} and yaml.safe_load(f"- {text}\n") == [text]
    except yaml.YAMLError:
        plain = False
    return text if plain and text == text.strip() else _quoted(text)


def _key(text: str) -> str:
    """Return `text` as a mapping key: as written when YAML reads it back as the same text, else quoted."""
    try:
        plain = yaml.safe_load(f"{text}: v\n") == {text: "v"}
    except yaml.YAMLError:
        plain = False
    return text if plain and text == text.strip() else _quoted(text)
