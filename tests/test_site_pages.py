"""Site-wide pages and data: tags, people, sides, feeds, sitemap, SEO, JSON-LD, the JSON API and the link check."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.sitekit import REPO, build, make_site

ATOM = "{http://www.w3.org/2005/Atom}"
CONFIG = 'title = "موقع"\nbase_url = "https://example.github.io/repo/"\n'


def sheet(title: str, date: str, members: list[tuple[str, str]], side: str = "روسيا", country: str = "RU",
          tags: str = "[روسيا]", extra: str = "", body: str = "نص.") -> str:
    """Return a sheet with one delegation of `members` (name, role)."""
    people = "".join(f"      - name: {name}\n        role: {role}\n" for name, role in members)
    return (
        f"---\ntitle: {title}\ndate: {date}\nsummary: ملخص {title}.\ntags: {tags}\n{extra}"
        f"details:\n  المدة: ساعتان\ndelegations:\n  - side: {side}\n    country: {country}\n    members:\n{people}---\n\n{body}\n"
    )


def read(root: Path, name: str) -> str:
    """Return an output file's text."""
    return (root / "output" / name).read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path) -> Path:
    """Return a built site whose three sheets spell one person three ways."""
    root = make_site(
        tmp_path,
        {
            "one.md": sheet("الأولى", "2025-01-01", [("يوري أوشاكوف", "مستشار")]),
            "two.md": sheet("الثانية", "2025-02-01", [("يوري اوشاكوف", "مستشار السياسة الخارجية")]),
            "three.md": sheet("الثالثة", "2025-03-01", [("يُوري أُوشَاكُوف", "مبعوث")], tags="[أوكرانيا, روسيا]",
                              extra="verified_on: 2025-03-02\nsources:\n  - publisher: Reuters\n    url: https://example.com/r\n"),
        },
        config=CONFIG,
    )
    assert build(root) == 0
    return root


def test_one_person_page_for_three_spellings(site):
    """Hamza, no hamza and tashkeel make one person, listing all three sheets newest first with their roles."""
    people = sorted(p.name for p in (site / "output" / "people").iterdir() if p.is_dir())
    assert len(people) == 1
    page = read(site, f"people/{people[0]}/index.html")
    titles = re.findall(r'<a href="/repo/(one|two|three)/">', page)
    assert titles == ["three", "two", "one"]
    for role in ("مستشار", "مستشار السياسة الخارجية", "مبعوث"):
        assert f"<li>{role}</li>" in page


def test_aliases_join_other_spellings(tmp_path):
    """The settings' aliases make ترامب and ترمب one person, shown as the alias says."""
    root = make_site(
        tmp_path,
        {
            "a.md": sheet("أ", "2025-01-01", [("دونالد ترامب", "الرئيس")], "أمريكا", "US"),
            "b.md": sheet("ب", "2025-01-02", [("دونالد ترمب", "الرئيس")], "أمريكا", "US"),
        },
        config=CONFIG + '[aliases]\n"دونالد ترامب" = "دونالد ترمب"\n[slugs]\n"دونالد ترمب" = "donald-trump"\n',
    )
    assert build(root) == 0
    assert [p.name for p in (root / "output" / "people").iterdir() if p.is_dir()] == ["donald-trump"]
    assert "<h1>دونالد ترمب</h1>" in read(root, "people/donald-trump/index.html")
    assert 'href="/repo/people/donald-trump/"' in read(root, "a/index.html")


def test_tags_and_sides_have_pages_with_ascii_slugs_and_counts(site):
    """Each tag and side gets an ASCII URL, the Arabic name as title, and the index shows counts."""
    tags = read(site, "tags/index.html")
    assert re.search(r'<a href="/repo/tags/[a-z0-9-]+/">روسيا</a> <span class="count">\(3 أوراق\)</span>', tags)
    assert re.search(r'<a href="/repo/tags/[a-z0-9-]+/">أوكرانيا</a> <span class="count">\(ورقة واحدة\)</span>', tags)
    side = read(site, "sides/ru/index.html")
    assert "روسيا</h1>" in side and side.count('class="sheet-card"') == 3


def test_arabic_order_ignores_the_article(tmp_path):
    """Tags sort in Arabic alphabetical order with a leading «ال» ignored: بحرين before الجزائر before مصر."""
    root = make_site(tmp_path, {"a.md": sheet("أ", "2025-01-01", [("س", "ص")], tags="[مصر, الجزائر, بحرين]")}, config=CONFIG)
    assert build(root) == 0
    names = re.findall(r"/\">([^<]+)</a> <span", read(root, "tags/index.html"))
    assert names == ["بحرين", "الجزائر", "مصر"]


def test_home_and_tag_pages_are_paginated(tmp_path):
    """With page_size = 2, five sheets make three home pages (and tag pages) linked to each other, newest first."""
    sheets = {f"s{i}.md": sheet(f"ورقة {i}", f"2025-01-0{i}", [("س", "ص")]) for i in range(1, 6)}
    root = make_site(tmp_path, sheets, config=CONFIG + "page_size = 2\n")
    assert build(root) == 0
    assert re.findall(r'href="/repo/(s\d)/"', read(root, "index.html")) == ["s5", "s4"]
    assert re.findall(r'href="/repo/(s\d)/"', read(root, "page/3/index.html")) == ["s1"]
    assert 'rel="next" href="/repo/page/2/"' in read(root, "index.html")
    assert 'rel="prev" href="/repo/page/2/"' in read(root, "page/3/index.html")
    tag = next((root / "output" / "tags").glob("*/page/3/index.html")).parent.parent.parent.name
    assert re.findall(r'href="/repo/(s\d)/"', read(root, f"tags/{tag}/page/3/index.html")) == ["s1"]
    assert f'rel="next" href="/repo/tags/{tag}/page/2/"' in read(root, f"tags/{tag}/index.html")


def test_atom_feed_has_what_rfc_4287_requires(site):
    """The feed parses and carries id, title, updated, author, alternate links and absolute URLs, in Arabic."""
    feed = ET.fromstring((site / "output" / "atom.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    for element in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert feed.find(f"{ATOM}{element}") is not None and feed.find(f"{ATOM}{element}").text, element
    assert feed.find(f"{ATOM}id").text == "https://example.github.io/repo/"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    for entry in entries:
        for element in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{element}").text, element
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link.startswith("https://example.github.io/repo/")
    assert entries[0].find(f"{ATOM}title").text == "الثالثة"


def test_json_feed_is_version_1_1(site):
    """feed.json is JSON Feed 1.1 with absolute item URLs and readable Arabic."""
    text = read(site, "feed.json")
    feed = json.loads(text)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["title"] for item in feed["items"]] == ["الثالثة", "الثانية", "الأولى"]
    assert all(item["url"].startswith("https://example.github.io/repo/") for item in feed["items"])
    assert "الثالثة" in text


def test_sitemap_is_valid_against_the_sitemaps_xsd(site):
    """sitemap.xml validates against the XSD shipped by npm's sitemap package; robots.txt points at it."""
    from lxml import etree as lxml
    xsd = REPO / "node_modules" / "sitemap" / "schema" / "sitemap.xsd"
    if not xsd.is_file():
        from tests.tools import require_tool

        require_tool("the npm package sitemap (npm ci)", str(xsd))
    schema = lxml.XMLSchema(lxml.parse(str(xsd)))
    document = lxml.parse(str(site / "output" / "sitemap.xml"))
    assert schema.validate(document), schema.error_log
    locs = [loc.text for loc in document.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.github.io/repo/three/" in locs and all(loc.startswith("https://") for loc in locs)
    assert "Sitemap: https://example.github.io/repo/sitemap.xml" in read(site, "robots.txt")


def test_every_page_has_title_description_canonical_and_social_meta(site):
    """Each HTML page carries its title, description, absolute canonical URL, Open Graph and Twitter tags."""
    for page in (site / "output").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if page.name == "404.html":
            continue
        for needle in ("<title>", 'name="description"', 'rel="canonical" href="https://example.github.io/repo/',
                       'property="og:locale" content="ar_AR"', 'name="twitter:card"'):
            assert needle in html, f"{page}: {needle}"
    sheet_page = read(site, "three/index.html")
    for needle in ('property="og:type" content="article"', 'property="article:published_time" content="2025-03-01"',
                   'property="article:tag" content="أوكرانيا"'):
        assert needle in sheet_page


def test_json_ld_is_a_news_article_in_readable_arabic(site):
    """The JSON-LD block parses, names every delegation member and cites the sources, with Arabic unescaped."""
    html = read(site, "three/index.html")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "الثالثة" in block
    data = json.loads(block)
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "ar"
    assert data["datePublished"] == "2025-03-01" and data["headline"] == "الثالثة"
    assert [m["name"] for m in data["mentions"]] == ["يُوري أُوشَاكُوف"]
    assert data["citation"][0]["url"] == "https://example.com/r"


def test_sources_are_numbered_and_verification_is_shown(site):
    """Sources are an ordered list and verified_on gives an «آخر تحقق» badge."""
    html = read(site, "three/index.html")
    assert re.search(r'<section class="sources".*?<ol>\s*<li>', html, re.S)
    assert re.search(r'آخر تحقق: <time datetime="2025-03-02"', html)


def test_stale_verification_is_a_warning(tmp_path, capsys):
    """A sheet verified longer ago than verify_after_days warns, and fails with --strict."""
    root = make_site(tmp_path, {"a.md": sheet("أ", "2020-01-01", [("س", "ص")], extra="verified_on: 2020-01-02\n")},
                     config=CONFIG + "verify_after_days = 30\n")
    assert build(root) == 0
    assert "content/a.md:1: warning: verified_on: last verified on 2020-01-02, more than 30 days ago" in capsys.readouterr().err
    assert build(root, "--strict") == 1


def test_json_api_has_every_fact_in_stable_order(site):
    """api/sheets.json indexes the sheets; api/sheets/<slug>.json holds every fact; people and tags too."""
    index = json.loads(read(site, "api/sheets.json"))
    assert index["schema_version"] == 1
    assert [s["slug"] for s in index["sheets"]] == ["three", "two", "one"]
    facts = json.loads(read(site, "api/sheets/three.json"))
    assert list(facts)[:4] == ["schema_version", "slug", "url", "title"]
    assert facts["details"] == [{"label": "المدة", "value": "ساعتان"}]
    assert facts["delegations"][0]["members"] == [{"name": "يُوري أُوشَاكُوف", "role": "مبعوث"}]
    assert facts["verified_on"] == "2025-03-02"
    people = json.loads(read(site, "api/people.json"))
    assert len(people["people"]) == 1 and len(people["people"][0]["appearances"]) == 3
    assert {t["name"] for t in json.loads(read(site, "api/tags.json"))["tags"]} == {"روسيا", "أوكرانيا"}


@pytest.mark.parametrize(
    "body, expected",
    [
        ("[مفقود](/repo/no-such-sheet/)", "a/index.html:0: broken link to no-such-sheet/: no such file in the site"),
        ("[خارج المسار](/elsewhere/)", "a/index.html:0: broken link to /elsewhere/: no such file in the site"),
        ("[مرساة](#no-such-id)", "a/index.html:0: broken link to a/index.html#no-such-id: no element with id 'no-such-id' there"),
    ],
)
def test_planted_broken_link_fails_the_build(tmp_path, capsys, body, expected):
    """A link to a missing page, outside the base path, or to a missing id stops the build, naming page and link."""
    root = make_site(tmp_path, {"a.md": sheet("أ", "2025-01-01", [("س", "ص")], body=body)}, config=CONFIG)
    assert build(root) == 1
    assert expected.replace(":0:", ":") in capsys.readouterr().err.splitlines()
    assert not (root / "output").exists()


def test_link_to_a_code_sample_by_its_id_is_sound(tmp_path):
    """A code block's own id is a target on the page, though links inside code samples are not links."""
    body = "انظر [المقتطف](#snippet).\n\n``` { #snippet }\n<a href=\"/repo/nowhere/\">مثال</a>\n```\n"
    root = make_site(tmp_path, {"a.md": sheet("أ", "2025-01-01", [("س", "ص")], body=body)}, config=CONFIG)
    assert build(root) == 0
    assert 'id="snippet"' in read(root, "a/index.html")


def test_broken_link_in_an_incremental_build_keeps_the_output(tmp_path, capsys):
    """A save that breaks a link fails the build and leaves the previous output in place."""
    root = make_site(tmp_path, {"a.md": sheet("أ", "2025-01-01", [("س", "ص")])}, config=CONFIG)
    assert build(root) == 0
    before = read(root, "a/index.html")
    (root / "content" / "a.md").write_text(sheet("أ", "2025-01-01", [("س", "ص")], body="[x](/repo/nowhere/)"), "utf-8")
    assert build(root) == 1
    assert "a/index.html: broken link to nowhere/: no such file in the site" in capsys.readouterr().err
    assert read(root, "a/index.html") == before


def test_removing_a_heading_that_another_sheet_links_to_fails_the_incremental_build(tmp_path, capsys):
    """A page rendered again without an id that an untouched page links to is a broken link, and nothing is written."""
    root = make_site(
        tmp_path,
        {
            "a.md": sheet("أ", "2025-01-01", [("س", "ص")], body="انظر [القسم](/repo/b/#section)."),
            "b.md": sheet("ب", "2025-01-02", [("س", "ص")], body="## القسم {#section}\n\nنص."),
        },
        config=CONFIG,
    )
    assert build(root) == 0
    before = read(root, "b/index.html")
    (root / "content" / "b.md").write_text(sheet("ب", "2025-01-02", [("س", "ص")], body="## القسم\n\nنص."), "utf-8")
    assert build(root) == 1
    assert "a/index.html: broken link to b/#section: no element with id 'section' there" in capsys.readouterr().err
    assert read(root, "b/index.html") == before


def test_deleting_a_sheet_that_another_links_to_fails_the_incremental_build(tmp_path, capsys):
    """A page not rendered again still has its links checked when a file it points to goes away."""
    root = make_site(
        tmp_path,
        {
            "a.md": sheet("أ", "2025-01-01", [("س", "ص")], body="انظر [الورقة ب](/repo/b/)."),
            "b.md": sheet("ب", "2025-01-02", [("س", "ص")]),
        },
        config=CONFIG,
    )
    assert build(root) == 0
    (root / "content" / "b.md").unlink()
    assert build(root) == 1
    assert "a/index.html: broken link to b/: no such file in the site" in capsys.readouterr().err
    assert (root / "output" / "b" / "index.html").is_file()
