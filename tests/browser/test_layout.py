"""The reading experience in a real browser: right to left, no sideways scrolling, the webfont in use."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PAGES

WIDTHS = (320, 375, 768, 1280)


@pytest.mark.parametrize("kind", PAGES)
def test_every_page_reads_right_to_left(open_page, kind):
    """The document's computed direction is rtl and its language Arabic."""
    page = open_page(PAGES[kind])
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGES)
def test_no_horizontal_overflow(open_page, kind, width):
    """Nothing sticks out sideways: the page is never wider than the screen."""
    page = open_page(PAGES[kind], width)
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width, f"{kind} page is {scroll_width}px wide in a {client_width}px window"


@pytest.mark.parametrize("width", (375, 1280))
def test_details_table_labels_are_at_the_right(open_page, width):
    """The first column of the details table (the labels) is at the right edge, the values to its left."""
    page = open_page(PAGES["sheet"], width)
    table, label, value = page.evaluate(
        """() => {
            const row = document.querySelector('table.details tbody tr');
            const box = element => element.getBoundingClientRect().toJSON();
            return [box(row.closest('table')), box(row.cells[0]), box(row.cells[1])];
        }"""
    )
    assert abs(label["right"] - table["right"]) <= 2
    assert value["right"] <= label["left"] + 1


def test_delegation_cards_side_by_side_on_wide_screens_and_stacked_on_phones(open_page):
    """Two delegations share a row at 1280 px (the first at the right) and stack at 375 px."""
    def card_boxes(width):
        """Return the boxes of the delegation cards at `width`."""
        page = open_page(PAGES["sheet"], width)
        return page.evaluate("[...document.querySelectorAll('.delegation')].map(c => c.getBoundingClientRect().toJSON())")

    first, second = card_boxes(1280)[:2]
    assert abs(first["top"] - second["top"]) < 1 and first["left"] > second["left"]
    first, second = card_boxes(375)[:2]
    assert second["top"] >= first["bottom"]


def test_sheet_leads_with_the_facts_in_order(open_page):
    """Title, date, place and summary come first, then details, delegations, outcomes, and the article."""
    page = open_page(PAGES["sheet"])
    order = page.evaluate(
        """() => ['h1', '.sheet-header time', '.sheet-header .place', '.sheet-header .summary', 'table.details',
                   '.delegation', '.outcomes', '.body p']
            .map(selector => document.querySelector(selector).getBoundingClientRect().top)"""
    )
    # Date and place share a line, where their tops may differ by a pixel.
    assert all(later >= earlier - 2 for earlier, later in zip(order, order[1:], strict=False)), order


def test_arabic_text_is_drawn_with_the_webfont(open_page, browser):
    """The Arabic webfont is loaded (document.fonts) and chromium actually draws the headline with it."""
    page = open_page(PAGES["sheet"])
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replaceAll('\"', ''))"
    )
    assert "Waraqa Naskh" in loaded
    assert page.evaluate("document.fonts.check('700 32px \"Waraqa Naskh\"', 'قمة ألاسكا')")
    # document.fonts says a face loaded; the platform fonts of a node say which font drew its glyphs.
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    for selector in ("h1", ".body p", "table.details td"):
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        used = {font["familyName"] for font in fonts}
        assert "Noto Naskh Arabic" in used, f"{selector} is drawn with {used}"


def test_latin_names_use_the_latin_companion(open_page):
    """A name in Latin letters is drawn with the Latin companion (Noto Serif), not a system fallback."""
    page = open_page(PAGES["sheet"])
    page.evaluate(
        """() => { const p = document.createElement('p'); p.id = 'latin'; p.textContent = 'Sergey Lavrov';
                   document.querySelector('.body').append(p); return document.fonts.ready.then(() => true); }"""
    )
    page.wait_for_function("document.fonts.check('16px \"Waraqa Latin\"', 'Sergey')")
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": "#latin"})["nodeId"]
    used = {font["familyName"] for font in session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    # The letters come from Noto Serif; the space between the words is Naskh's. Nothing falls back to the system.
    assert "Noto Serif" in used and used <= {"Noto Serif", "Noto Naskh Arabic"}, used


def test_dark_theme_follows_the_reader(open_page):
    """With prefers-color-scheme: dark the page turns dark; light stays light."""
    light = open_page(PAGES["sheet"], color_scheme="light").evaluate("getComputedStyle(document.body).backgroundColor")
    dark = open_page(PAGES["sheet"], color_scheme="dark").evaluate("getComputedStyle(document.body).backgroundColor")
    assert light == "rgb(251, 250, 247)"
    assert dark == "rgb(20, 21, 23)"


def test_print_drops_navigation_and_keeps_cards_whole(open_page):
    """In print the masthead and footer are gone, and cards and table rows never split across pages."""
    page = open_page(PAGES["sheet"])
    page.emulate_media(media="print")
    styles = page.evaluate(
        """() => ({
            header: getComputedStyle(document.querySelector('.site-header')).display,
            footer: getComputedStyle(document.querySelector('.site-footer')).display,
            card: getComputedStyle(document.querySelector('.delegation')).breakInside,
            row: getComputedStyle(document.querySelector('table.details tr')).breakInside,
        })"""
    )
    assert styles == {"header": "none", "footer": "none", "card": "avoid", "row": "avoid"}


def test_print_shows_source_addresses(open_page):
    """A printed source link carries its address, since paper cannot be clicked."""
    page = open_page(PAGES["sheet"])
    page.evaluate(
        """() => { const a = document.createElement('a'); a.href = 'https://example.com/report'; a.textContent = 'تقرير';
                   const li = document.createElement('li'); li.append(a);
                   document.querySelector('.sources ol').append(li); }"""
    )
    page.emulate_media(media="print")
    after = page.evaluate("getComputedStyle(document.querySelector('.sources li:last-child a'), '::after').content")
    assert "https://example.com/report" in after
