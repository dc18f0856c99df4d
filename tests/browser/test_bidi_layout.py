"""Latin phrases, numbers and addresses inside Arabic, measured on screen in chromium at 375 and 1280 px.

The fixture site (tests/browser/fixtures/bidi-site) carries every case of issue 18 in every field a sheet
shows. For each phrase the boxes of its characters (Range.getBoundingClientRect, one per character) must
run left to right, and the Arabic word before it must sit to its right, the word after it to its left.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.browsing import served
from tests.sitekit import build, make_site
from waraqa.bidi import UNITS, browser_rule, isolate_text

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "bidi-site"
SHEET = "bidi-cases/"
WIDTHS = (375, 1280)

# (what it is, selector of the element, the phrase, the Arabic word before it, the Arabic word after it)
PHRASES = [
    ("title", "h1", "U.S.–Russia", "قمة", "وقرار"),
    ("title", "h1", "OPEC+", "وقرار", "في"),
    ("title", "h1", "2025-08-15", "في", None),
    ("summary", ".sheet-header .summary", "Fox News, CNN", "بحسب", "تناولت"),
    ("summary", ".sheet-header .summary", "C++", "لغة", "ونموًا"),
    ("summary", ".sheet-header .summary", "3.5%", "بنسبة", "وموقع"),
    ("summary", ".sheet-header .summary", "www.secb.gov.sa", "وموقع", "الرسمي"),
    ("place", ".sheet-header .place", "Rio de Janeiro", None, "البرازيل"),
    ("details value starting with Latin", "table.details tbody tr:nth-child(1) td", "F-35", None, "مقاتلة"),
    ("details value starting with Latin", "table.details tbody tr:nth-child(2) td", "Airbus A320neo", None, "طائرات"),
    ("details value", "table.details tbody tr:nth-child(4) td", "5+1", "مجموعة", "النووية"),
    ("role starting with Latin", ".delegation:nth-child(2) .role", "F-35", None, "مقاتلة"),
    ("role", ".delegation:nth-child(6) .role", "G20", "وعضو", None),
    ("outcome", ".outcomes li:nth-child(1)", "OPEC+", None, "تقرر"),
    ("outcome", ".outcomes li:nth-child(1)", "3.5%", "بنسبة", None),
    ("outcome", ".outcomes li:nth-child(2)", "G7/G20", "قمة", "المقبلة"),
    ("tag", ".tags li:nth-child(1)", "OPEC+", None, None),
    ("tag", ".tags li:nth-child(2)", "C++", None, None),
    ("heading", ".body h2:not(.section-label)", "U.S.–Russia", "قمة", "ولغة"),
    ("heading", ".body h2:not(.section-label)", "C++", "ولغة", None),
    ("body", ".body p:nth-of-type(1)", "U.S.–Russia", "قمة", "في"),
    ("body", ".body p:nth-of-type(1)", "Fox News, CNN", "وبحسب", "امتدت"),
    ("body", ".body p:nth-of-type(2)", "OPEC+", "قررت", "خفض"),
    ("body", ".body p:nth-of-type(2)", "3.5%", "بنسبة", "اعتبارًا"),
    ("body", ".body p:nth-of-type(2)", "2025-08-15", "من", "وتمسكت"),
    ("body", ".body p:nth-of-type(2)", "5+1", "مجموعة", "بموقفها"),
    ("body", ".body p:nth-of-type(3)", "Jean-Noël Barrot", "الفرنسي", "إن"),
    ("body", ".body p:nth-of-type(3)", "iPhone 16 Pro", "هاتف", "وطائرات"),
    ("body", ".body p:nth-of-type(3)", "G7/G20", "قمة", None),
    ("body starting with Latin", ".body p:nth-of-type(4)", "F-35", None, "مقاتلة"),
    ("body", ".body p:nth-of-type(5)", "Fox News", "نقلت", "الخبر"),
    ("body", ".body p:nth-of-type(5)", "example.org/x", "أو", "أو"),
    ("body", ".body p:nth-of-type(5)", "info@example.org", "راسل", None),
    ("source", ".sources li", "U.S.–Russia", "قمة", "في"),
]

# Returns, for a phrase inside an element: one box per character of the phrase (spaces left out), and the
# boxes of the words before and after it. Offsets are counted in the element's text, across its elements.
MEASURE = """([selector, phrase, before, after]) => {
    const element = document.querySelector(selector);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let text = '';
    while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
    const range = (start, end) => {
        const r = document.createRange();
        const find = (offset, last) => nodes.filter(([n, s]) => (last ? s < offset : s <= offset)).pop();
        const [a, as] = find(start, false);
        const [b, bs] = find(end, true);
        r.setStart(a, start - as);
        r.setEnd(b, end - bs);
        return r;
    };
    const at = text.indexOf(phrase);
    if (at < 0) return {missing: text};
    const chars = [];
    for (let i = at; i < at + phrase.length; i++) {
        if (/\\s/.test(text[i])) continue;
        const box = range(i, i + 1).getBoundingClientRect();
        chars.push({char: text[i], left: box.left, right: box.right, top: box.top});
    }
    const word = (w, from, backwards) => {
        if (!w) return null;
        const i = backwards ? text.lastIndexOf(w, from) : text.indexOf(w, from);
        return i < 0 ? {missing: w} : range(i, i + w.length).getBoundingClientRect().toJSON();
    };
    return {chars, before: word(before, at - 1, true), after: word(after, at + phrase.length, false)};
}"""


@pytest.fixture(scope="module")
def bidi_site(tmp_path_factory) -> Iterator[str]:
    """Build the fixture site with the project's templates, serve it, and return its address."""
    root = make_site(
        tmp_path_factory.mktemp("bidi"),
        {path.name: path.read_text(encoding="utf-8") for path in (FIXTURE / "content").glob("*.md")},
        (FIXTURE / "waraqa.toml").read_text(encoding="utf-8"),
    )
    assert build(root, "--base-url", "/") == 0
    with served(root / "output") as address:
        yield address


@pytest.fixture(scope="module")
def pages(browser, bidi_site):
    """Return the sheet open at each width, its fonts loaded."""
    opened = {}
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(bidi_site + SHEET, wait_until="networkidle")
        page.evaluate("document.fonts.ready.then(() => true)")
        opened[width] = page
    yield opened
    for page in opened.values():
        page.close()


def lines(chars: list[dict]) -> list[list[dict]]:
    """Group character boxes into lines, in reading order (a new line starts lower down)."""
    grouped: list[list[dict]] = []
    for box in chars:
        if grouped and abs(box["top"] - grouped[-1][-1]["top"]) < 4:
            grouped[-1].append(box)
        else:
            grouped.append([box])
    return grouped


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("field", "selector", "phrase", "before", "after"), PHRASES, ids=lambda v: v if isinstance(v, str) and len(v) > 2 else None)
def test_phrase_reads_as_typed_between_arabic(pages, width, field, selector, phrase, before, after):
    """The phrase's characters run left to right; the Arabic before it is at its right, the Arabic after at its left."""
    found = pages[width].evaluate(MEASURE, [selector, phrase, before, after])
    assert "missing" not in found, found
    shown = lines(found["chars"])
    assert len(shown) <= 2, f"{phrase} spread over {len(shown)} lines"
    for line in shown:
        lefts = [box["left"] for box in line]
        assert lefts == sorted(lefts), f"{field}: {phrase} drawn as {''.join(b['char'] for b in sorted(line, key=lambda b: b['left']))}"
    first, last = shown[0], shown[-1]
    if found["before"] is not None:
        assert "missing" not in found["before"], found["before"]
        if abs(found["before"]["top"] - first[0]["top"]) < 8:
            assert found["before"]["left"] >= max(b["right"] for b in first) - 1, f"{field}: «{before}» is not right of {phrase}"
    if found["after"] is not None:
        assert "missing" not in found["after"], found["after"]
        if abs(found["after"]["top"] - last[-1]["top"]) < 8:
            assert found["after"]["right"] <= min(b["left"] for b in last) + 1, f"{field}: «{after}» is not left of {phrase}"


def test_values_that_start_with_latin_stay_right_to_left(pages):
    """A details value, a role and an outcome that start with a Latin word are right-to-left paragraphs."""
    page = pages[1280]
    for selector in ("table.details tbody tr:nth-child(1) td", ".delegation:nth-child(2) .role", ".outcomes li:nth-child(1)"):
        assert page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).direction") == "rtl", selector
        # Nothing around the whole value decides its direction from its first letter any more.
        wrapped = f"(e => [...e.children].some(c => c.textContent.trim() === e.textContent.trim()))(document.querySelector('{selector}'))"
        assert page.evaluate(wrapped) is False, selector


def test_title_and_description_carry_unicode_isolates(pages):
    """<title> and og:description hold the rule as LRI…PDI, which take no room and keep the order as typed."""
    page = pages[1280]
    title = page.evaluate("document.title")
    assert title.startswith(isolate_text("قمة U.S.–Russia وقرار OPEC+ في 2025-08-15"))
    assert "\u2066C++\u2069" in page.evaluate("document.querySelector('meta[property=\"og:description\"]').content")
    # Shown as plain text decides its own direction by its first letter, as a share preview or a tab does.
    found = page.evaluate(
        """(title) => {
            const p = document.createElement('p');
            p.style.unicodeBidi = 'plaintext';
            p.style.whiteSpace = 'nowrap';
            p.textContent = title;
            document.body.prepend(p);
            const text = p.firstChild;
            const box = (i, n) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + n); return r.getBoundingClientRect(); };
            const plus = title.indexOf('OPEC+');
            const isolate = title.indexOf('\\u2066');
            const result = {
                direction: getComputedStyle(p).direction,
                o: box(plus, 1).left, plus: box(plus + 4, 1).left,
                before: box(title.indexOf('وقرار'), 5).left,
                isolateWidth: box(isolate, 1).width,
            };
            p.remove();
            return result;
        }""",
        title,
    )
    assert found["o"] < found["plus"] < found["before"], found
    assert found["isolateWidth"] == 0, found


def test_plain_text_starting_with_latin_is_still_arabic(pages):
    """An Arabic text that starts with a Latin word, as plain text, is laid out right to left."""
    text = isolate_text("OPEC+ تقرر خفض الإنتاج")
    found = pages[375].evaluate(
        """(text) => {
            const p = document.createElement('p');
            p.style.unicodeBidi = 'plaintext';
            p.textContent = text;
            document.body.prepend(p);
            const r = document.createRange();
            r.setStart(p.firstChild, text.indexOf('تقرر'));
            r.setEnd(p.firstChild, text.indexOf('تقرر') + 4);
            const arabic = r.getBoundingClientRect().left;
            r.setStart(p.firstChild, text.indexOf('O'));
            r.setEnd(p.firstChild, text.indexOf('O') + 1);
            const latin = r.getBoundingClientRect().left;
            p.remove();
            return {arabic, latin};
        }""",
        text,
    )
    assert found["latin"] > found["arabic"], found


def test_browser_rule_finds_what_python_finds(pages):
    """search.js's copy of the rule (browser_rule) finds the same units as waraqa.bidi in chromium's RegExp."""
    from tests.test_bidi import BODY_CASES, FIELD_CASES

    texts = [case[0] for case in BODY_CASES] + [case[0] for case in FIELD_CASES]
    found = pages[1280].evaluate(
        "([pattern, texts]) => texts.map(t => [...t.matchAll(new RegExp(pattern, 'g'))].map(m => [m.index, m[0]]))",
        [browser_rule()["units"], texts],
    )
    expected = [[[m.start(), m.group()] for m in re.finditer(UNITS, text)] for text in texts]
    assert found == expected


def test_every_card_has_its_flag_and_names_line_up(pages):
    """Each delegation with a country shows its flag (a loaded image); one without keeps the same room empty."""
    page = pages[1280]
    cards = page.evaluate(
        """() => [...document.querySelectorAll('.delegation')].map(card => {
            const flag = card.querySelector('.flag');
            const name = card.querySelector('.side a').getBoundingClientRect();
            return {image: flag.tagName === 'IMG' ? flag.naturalWidth : null, width: flag.getBoundingClientRect().width,
                    inset: card.getBoundingClientRect().right - name.right};
        })"""
    )
    assert [card["image"] is None for card in cards] == [False] * 6 + [True]
    assert all(card["image"] for card in cards[:6]), cards
    assert len({round(card["width"]) for card in cards}) == 1, cards
    assert max(card["inset"] for card in cards) - min(card["inset"] for card in cards) < 1, cards


def test_latin_x_height_matches_the_arabic(pages):
    """The Latin companion's x-height is within a fifth of Naskh's letter height (it was 40 % taller)."""
    heights = pages[1280].evaluate(
        """async () => {
            await document.fonts.load('100px "Waraqa Latin"', 'x');
            const context = document.createElement('canvas').getContext('2d');
            const ascent = (font, text) => { context.font = font; return context.measureText(text).actualBoundingBoxAscent; };
            const arabic = ['و', 'ص', 'ـمـ', 'ه', 'ع', 'ر', 'د'].map(letter => ascent('100px "Waraqa Naskh"', letter));
            return {latin: ascent('100px "Waraqa Latin"', 'x'), arabic: arabic.reduce((a, b) => a + b) / arabic.length};
        }"""
    )
    assert 1.0 <= heights["latin"] / heights["arabic"] <= 1.2, heights


def test_no_line_of_a_person_page_starts_or_ends_with_a_separator(browser, bidi_site):
    """At 375 px the date, role and side wrap; an item that starts a line has its «·» clipped away."""
    page = browser.new_page(viewport={"width": 375, "height": 900})
    try:
        page.goto(bidi_site + "people/jean-noel-barrot/", wait_until="networkidle")
        found = page.evaluate(
            """() => {
                const list = document.querySelector('.appearances .separated');
                const items = [...list.children].map(li => li.getBoundingClientRect());
                return {clip: getComputedStyle(list).overflowX, right: list.getBoundingClientRect().right,
                        items: items.map(box => ({top: box.top, right: box.right})),
                        separator: getComputedStyle(list.children[1], '::before').content};
            }"""
        )
    finally:
        page.close()
    tops = [item["top"] for item in found["items"]]
    assert len(set(tops)) > 1, "the fixture's role should make the line wrap at 375 px"
    assert found["clip"] == "clip" and found["separator"].startswith('"·"')
    for previous, item in zip(found["items"], found["items"][1:], strict=False):
        if item["top"] > previous["top"] + 4:
            # It starts a line: its separator hangs past the list's start edge, where the list clips.
            assert abs(item["right"] - found["right"]) < 1, found
