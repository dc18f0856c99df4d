"""An article's text drafted into a sheet: each part found by its own module, every guess noted."""

from __future__ import annotations

import datetime as dt

from .body import Parts, divide
from .dates import find_dates
from .delegations import draft_delegations
from .details import split_rows
from .facts import place_of, sources_of, tags_in
from .knowledge import Knowledge
from .model import Draft, Guessed, Note
from .noise import KINDS, Removed, strip_noise
from .outline import outline
from .text import ArticleProblem, Line, clean_lines
from .words import sentences

# A first sentence shorter than this says too little alone; the summary takes the second one too.
_SHORT_SENTENCE = 80


def draft_article(text: str, knowledge: Knowledge, today: dt.date) -> Draft:
    """Return the draft sheet of an article's text; raise ArticleProblem when there is no text to draft."""
    kept, removed = strip_noise(clean_lines(text))
    article = outline(kept)
    if article.headline is None:
        raise ArticleProblem("لا نص في المقال لأستورده (the article has no text to import)")
    parts = divide(article)
    details = tuple(split_rows(parts.details, knowledge.labels)) if parts.details else ()
    text_lines = [line for line in kept if line.text]
    delegations, people_remarks = draft_delegations(text_lines, knowledge)
    tags, tags_guess = tags_in(text_lines, knowledge)
    date, date_guess = _date(removed, text_lines, today)
    return Draft(
        title=article.headline.text,
        date=date,
        date_guess=date_guess,
        summary=_summary(parts, article.headline),
        body=parts.body,
        place=place_of(details, text_lines),
        tags=tags,
        tags_guess=tags_guess,
        sources=sources_of(text_lines, removed, knowledge),
        details=details,
        delegations=delegations,
        outcomes=tuple(item.text for item in parts.outcomes),
        outcomes_guess=_outcomes_note(parts),
        remarks=tuple([*_removed_notes(removed, parts), *people_remarks]),
        findings=tuple(_findings(article.headline, parts, details, removed)),
    )


def _summary(parts: Parts, headline: Line) -> Guessed:
    """Return the summary: the first paragraph's first sentence, or its first two when the first is short."""
    if parts.first_paragraph is None:
        return Guessed(headline.text, Note("لا فقرة في المقال، فالملخص هو العنوان",
                                           "no paragraph in the article: the summary is the title"))
    line = parts.first_paragraph.line
    found = sentences(line.text)
    taken = found[:1]
    if len(found) > 1 and len(found[0]) < _SHORT_SENTENCE:
        taken = found[:2]
    if len(taken) == len(found):
        return Guessed(line.text, Note(f"الفقرة الأولى كاملةً، السطر {line.number}",
                                       f"the whole first paragraph, line {line.number}"))
    which = ("الجملة الأولى", "the first sentence") if len(taken) == 1 else ("أول جملتين", "the first two sentences")
    return Guessed(" ".join(taken), Note(f"{which[0]} من الفقرة الأولى، السطر {line.number}",
                                         f"{which[1]} of the first paragraph, line {line.number}"))


def _date(removed: list[Removed], lines: list[Line], today: dt.date) -> tuple[dt.date, Note]:
    """Return the sheet's date: the article's date line, else the first date in its text, else today."""
    dated = [item.line for item in removed if item.kind == "date"] + lines
    for line in dated:
        found = find_dates(line.text)
        if found:
            first = found[0]
            hijri = ("، وهو تاريخ هجري", ", a Hijri date") if first.hijri else ("", "")
            return first.day, Note(f"من «{first.written}» في السطر {line.number}{hijri[0]}",
                                   f"from «{first.written}» on line {line.number}{hijri[1]}")
    return today, Note("لا تاريخ في النص، فوضعت تاريخ اليوم", "no date in the text: today's date")


def _outcomes_note(parts: Parts) -> Note | None:
    """Return the note that says which list became the outcomes."""
    if not parts.outcomes:
        return None
    first, last = parts.outcomes[0].line.number, parts.outcomes[-1].line.number
    lines = f"{first}–{last}" if first != last else str(first)
    if parts.outcomes_heading:
        heading = parts.outcomes_heading.text
        return Note(f"القائمة تحت «{heading}» في الأسطر {lines}", f"the list under «{heading}» on lines {lines}")
    return Note(f"القائمة في الأسطر {lines}، وليس فوقها عنوان", f"the list on lines {lines}, with no heading above it")


def _removed_notes(removed: list[Removed], parts: Parts) -> list[Note]:
    """Return a note for every line of the article the draft's body leaves out, with its text."""
    notes = [
        Note(f"حذفت السطر {item.line.number}، {KINDS[item.kind][0]}: «{item.line.text}»",
             f"line {item.line.number} left out, {KINDS[item.kind][1]}")
        for item in removed
    ]
    notes += [
        Note(f"حذفت العنوان «{heading.text}» من السطر {heading.line.number}، فقائمته صارت المخرجات",
             f"heading on line {heading.line.number} left out: its list became the outcomes")
        for heading in parts.dropped_headings
    ]
    return notes


def _findings(headline: Line, parts: Parts, details: tuple, removed: list[Removed]) -> list[Note]:
    """Return what the import found, for the editor to read in the terminal."""
    findings = [Note(f"العنوان مأخوذ من السطر {headline.number}", f"title taken from line {headline.number}")]
    if parts.details:
        guessed = sum(1 for row in details if row.guess)
        findings.append(Note(
            f"جدول التفاصيل من السطر {parts.details.header.number}: {len(details)} صفوف، قسمت {guessed} منها تخمينًا",
            f"details table from line {parts.details.header.number}: {len(details)} rows, {guessed} split by guess",
        ))
    else:
        findings.append(Note("لا جدول تفاصيل في النص", "no details table in the text"))
    findings.append(Note(f"المخرجات: {len(parts.outcomes)}", f"outcomes: {len(parts.outcomes)}"))
    if parts.headings:
        numbers = "، ".join(str(heading.line.number) for heading in parts.headings)
        findings.append(Note(f"عناوين ## من الأسطر {numbers}؛ تأكد أنها عناوين",
                             f"## headings from lines {numbers.replace('، ', ', ')}; check that they are headings"))
    for listed in parts.body_lists:
        findings.append(Note(f"قائمة في المتن من السطر {listed.items[0].line.number}",
                             f"a list kept in the body from line {listed.items[0].line.number}"))
    if removed:
        numbers = "، ".join(str(item.line.number) for item in removed)
        findings.append(Note(f"أسطر ليست من نص المقال حذفتها من المتن: {numbers}",
                             f"lines left out of the body as not the article's text: {numbers.replace('، ', ', ')}"))
    return findings
