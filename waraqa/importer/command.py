"""`python build.py import FILE|- [--slug SLUG]`: write an article's draft sheet into content/, never over a file."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import tempfile
from pathlib import Path

from ..content import RESERVED_SLUGS, SLUG, load_sheet
from ..errors import Severity, display_path
from ..names import transliterate
from ..review_marks import review_marks
from .draft import draft_article
from .knowledge import Knowledge, site_knowledge
from .model import Note
from .sheet_text import sheet_text
from .text import ArticleProblem, decode_article

log = logging.getLogger("waraqa")

STDIN = "-"
# Longer than any article; a file this big is a mistake (a video, a database), not something to paste.
_MAX_BYTES = 10 * 1024 * 1024
_SLUG_LENGTH = 40


def run(args: argparse.Namespace) -> int:
    """Import the article named on the command line; return 0 when the draft is written, 1 when it is not."""
    from ..cli import site_config

    config, config_warnings = site_config(args)
    for warning in config_warnings:
        log.warning("%s", warning)
    origin = "الإدخال القياسي (standard input)" if args.file == STDIN else args.file
    try:
        text = decode_article(read_article(args.file))
        knowledge = site_knowledge(config)
        draft = draft_article(text, knowledge, dt.date.today())
        slug = choose_slug(args.slug, draft.title, None if args.file == STDIN else Path(args.file), knowledge,
                           config.content_path)
    except ArticleProblem as problem:
        log.error("%s: %s", origin, problem)
        return 1
    path = config.content_path / f"{slug}.md"
    shown = display_path(path, config.root)
    data = sheet_text(draft, Path(args.file).name if args.file != STDIN else "standard input").encode("utf-8")
    checked = load_sheet(path, config.root, data)
    errors = [found for found in checked.problems if found.severity is Severity.ERROR]
    if errors:
        # The writer's own mistake: say so rather than leave the editor a sheet that does not build.
        for error in errors:
            log.error("%s", error)
        log.error("%s: لم أكتب المسودة لأن فيها خطأ من الاستيراد نفسه؛ أبلغ عنه "
                  "(draft not written: the import made a mistake; please report it)", shown)
        return 1
    try:
        write_new(path, data)
    except FileExistsError:
        log.error("%s: الملف موجود ولن أكتب فوقه؛ اختر رابطًا آخر بـ --slug "
                  "(the file exists and will not be overwritten; choose another slug with --slug)", shown)
        return 1
    except OSError as failure:
        log.error("%s: تعذّرت كتابة الملف (cannot write the file: %s)", shown, failure.strerror)
        return 1
    _report(shown, draft.findings, data.decode("utf-8"), slug_from_title=args.slug is None)
    return 0


def read_article(name: str) -> bytes:
    """Return the bytes of the article file `name`, or of standard input for '-'; raise ArticleProblem."""
    if name == STDIN:
        if sys.stdin is None:
            raise ArticleProblem("لا إدخال قياسي لأقرأ منه (there is no standard input to read)")
        if sys.stdin.isatty():
            print("الصق المقال ثم اضغط Ctrl-D (paste the article, then press Ctrl-D)", file=sys.stderr)
        data = sys.stdin.buffer.read(_MAX_BYTES + 1)
    else:
        path = Path(name)
        if path.is_dir():
            raise ArticleProblem("هذا مجلد وليس ملفًا؛ سمِّ ملف المقال (this is a folder, not a file: name the article's file)")
        try:
            with path.open("rb") as file:
                data = file.read(_MAX_BYTES + 1)
        except FileNotFoundError:
            raise ArticleProblem("لا ملف بهذا الاسم (no such file)") from None
        except OSError as error:
            raise ArticleProblem(f"تعذّرت قراءة الملف (cannot read the file: {error.strerror})") from None
    if len(data) > _MAX_BYTES:
        raise ArticleProblem("الملف أكبر من أن يكون مقالًا (over 10 MB) (the file is too big to be an article)")
    if not data.strip():
        raise ArticleProblem("الملف فارغ؛ لا مقال لأستورده (the file is empty: there is no article to import)")
    return data


def choose_slug(wanted: str | None, title: str, file: Path | None, knowledge: Knowledge, content: Path) -> str:
    """Return the new sheet's slug: `wanted`, else one made from the title or the file name; raise if taken."""
    if wanted is not None:
        if not SLUG.fullmatch(wanted):
            raise ArticleProblem(
                f"«{wanted}» لا يصلح رابطًا: استعمل حروفًا لاتينية صغيرة وأرقامًا وشرطات، مثل alaska-summit "
                "(not a slug: use lowercase ASCII letters, digits and hyphens, like alaska-summit)"
            )
        slug = wanted
    else:
        slug = _shortened(transliterate(title))
        if slug == "x" and file is not None:
            slug = _shortened(transliterate(file.stem))
    if slug in RESERVED_SLUGS:
        raise ArticleProblem(f"الرابط «{slug}» محجوز لصفحات الموقع؛ اختر غيره بـ --slug "
                             f"(the slug {slug} is the address of the site's own {RESERVED_SLUGS[slug]}: choose another "
                             "with --slug)")
    if slug in knowledge.slugs or (content / f"{slug}.md").exists():
        free = next(f"{slug}-{n}" for n in range(2, 1000) if f"{slug}-{n}" not in knowledge.slugs
                    and not (content / f"{slug}-{n}.md").exists())
        raise ArticleProblem(f"الرابط «{slug}» لورقة موجودة ولن أكتب فوقها؛ اختر غيره، مثل --slug {free} "
                             f"(the slug {slug} belongs to an existing sheet, which stays as it is: choose another, "
                             f"such as --slug {free})")
    return slug


def _shortened(slug: str) -> str:
    """Return a slug cut at a hyphen to at most 40 characters: a headline makes a long address."""
    if len(slug) <= _SLUG_LENGTH:
        return slug
    cut = slug[: _SLUG_LENGTH + 1].rsplit("-", 1)[0]
    return cut or slug[:_SLUG_LENGTH]


def write_new(path: Path, data: bytes) -> None:
    """Write `data` to `path` all at once; raise FileExistsError rather than replace a file that is there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target under a dot name (no sheet), then linked into place: linking never replaces
    # a file, and a half-written draft is never seen under the sheet's name.
    handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        try:
            os.link(scratch, path)
        except FileExistsError:
            raise
        except OSError:
            with path.open("xb") as file:
                file.write(data)
    finally:
        os.unlink(scratch)


def _report(shown: str, findings: tuple[Note, ...], text: str, slug_from_title: bool) -> None:
    """Print what the import found and each line the editor must check, every line prefixed with the file."""
    log.info("%s: كتبت المسودة، وفيها «draft: true» (draft written, with draft: true)", shown)
    for finding in findings:
        log.info("%s: %s", shown, finding)
    if slug_from_title:
        log.info("%s: اسم الملف (رابط الصفحة) مأخوذ من العنوان؛ غيّره بإعادة تسمية الملف "
                 "(the file name, the page's address, comes from the title: rename the file to change it)", shown)
    lines = text.split("\n")
    closing = lines.index("---", 1)
    marks = review_marks("\n".join(lines[1:closing]), 2)
    for mark in marks:
        field = f"{mark.field}: " if mark.field else ""
        log.info("%s:%d: راجع (check) %s%s", shown, mark.line, field, mark.note)
    log.info(
        "%s: %d سطرًا عليها علامة «راجع»: صحّح كلًّا منها واحذف علامته، ثم احذف «draft: true» لتنشر الورقة؛ "
        "python build.py check --drafts يسرد ما بقي "
        "(%d lines marked «راجع»: fix each and delete its mark, then delete «draft: true» to publish; "
        "python build.py check --drafts lists what is left)",
        shown, len(marks), len(marks),
    )
