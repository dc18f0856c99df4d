"""The site's settings: one frozen object read from waraqa.toml, every problem collected before failing once."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from .content import SLUG
from .dates import NUMERALS
from .errors import BuildFailed, Problem, Severity

CONFIG_FILE = "waraqa.toml"
_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know that is not content: site settings and where things live."""

    root: Path
    title: str = "ورقة"
    description: str = "أوراق حقائق"
    base_url: str = "/"
    locale: str = "ar"
    cname: str | None = None
    content_dir: Path = Path("content")
    templates_dir: Path = Path("templates")
    output_dir: Path = Path("output")
    numerals: str = "latn"
    hijri: bool = False
    author: str | None = None
    page_size: int = 20
    verify_after_days: int = 365
    search: bool = True
    aliases: tuple[tuple[str, str], ...] = ()
    slugs: tuple[tuple[str, str], ...] = ()
    drafts: bool = False

    @property
    def content_path(self) -> Path:
        """Return the absolute folder of the sheets."""
        return self.root / self.content_dir

    @property
    def templates_path(self) -> Path:
        """Return the absolute folder of the templates and their static files."""
        return self.root / self.templates_dir

    @property
    def output_path(self) -> Path:
        """Return the absolute folder the site is written to."""
        return self.root / self.output_dir

    @property
    def config_path(self) -> Path:
        """Return the path of the settings file."""
        return self.root / CONFIG_FILE


_TEXT_SETTINGS = ("title", "description", "locale", "author")
_PATH_SETTINGS = ("content_dir", "templates_dir", "output_dir")
_BOOL_SETTINGS = ("hijri", "search")
_COUNT_SETTINGS = ("page_size", "verify_after_days")
# Tables of text -> text: other spellings of a name -> the name to show; a name -> its ASCII slug.
_TABLE_SETTINGS = ("aliases", "slugs")
_KNOWN = (
    *_TEXT_SETTINGS, *_PATH_SETTINGS, *_BOOL_SETTINGS, *_COUNT_SETTINGS, *_TABLE_SETTINGS, "base_url", "cname",
    "numerals",
)


def normalize_base_url(value: str) -> str | None:
    """Return `value` as a base URL ending in '/', or None when it is neither a path nor an http(s) URL."""
    value = value.strip()
    if not value.endswith("/"):
        value += "/"
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc and not parts.query and not parts.fragment:
        return value
    if not parts.scheme and not parts.netloc and value.startswith("/") and not parts.query and not parts.fragment:
        return value
    return None


def load_config(root: Path, overrides: dict[str, Any] | None = None) -> tuple[Config, list[Problem]]:
    """Return the settings of the site in `root` with `overrides` applied, and its warnings; raise BuildFailed on errors."""
    path = root / CONFIG_FILE
    raw: dict[str, Any] = {}
    problems: list[Problem] = []
    lines: dict[str, int] = {}
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8-sig")
            raw = tomllib.loads(text)
        except UnicodeDecodeError:
            raise BuildFailed([Problem(CONFIG_FILE, 1, "", "the file is not UTF-8 text")]) from None
        except tomllib.TOMLDecodeError as error:
            match = re.search(r"\(at line (\d+), column \d+\)", str(error))
            line = int(match.group(1)) if match else 1
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
            raise BuildFailed([Problem(CONFIG_FILE, line, "", f"TOML syntax error: {message}")]) from None
        lines = _key_lines(text)
    settings: dict[str, Any] = {}
    for key, value in raw.items():
        line = lines.get(key, 1)
        if key not in _KNOWN:
            guess = difflib.get_close_matches(key, _KNOWN, n=1, cutoff=0.6)
            hint = f"; did you mean '{guess[0]}'?" if guess else f"; known settings: {', '.join(sorted(_KNOWN))}"
            problems.append(Problem(CONFIG_FILE, line, key, f"unknown setting{hint}", Severity.WARNING))
        elif key in _BOOL_SETTINGS:
            if isinstance(value, bool):
                settings[key] = value
            else:
                problems.append(Problem(CONFIG_FILE, line, key, f"must be true or false, not {value!r}"))
        elif key in _COUNT_SETTINGS:
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                settings[key] = value
            else:
                problems.append(Problem(CONFIG_FILE, line, key, f"must be a whole number above 0, not {value!r}"))
        elif key in _TABLE_SETTINGS:
            if isinstance(value, dict) and all(isinstance(v, str) and v.strip() for v in value.values()):
                settings[key] = tuple(sorted((k.strip(), v.strip()) for k, v in value.items()))
            else:
                problems.append(Problem(CONFIG_FILE, line, key, 'must be a table of "name" = "text" lines'))
        elif not isinstance(value, str):
            problems.append(Problem(CONFIG_FILE, line, key, f"must be text in quotes, not {value!r}"))
        else:
            settings[key] = value
    where = {key: (CONFIG_FILE, line) for key, line in lines.items()}
    for key, value in (overrides or {}).items():
        if value is not None:
            settings[key] = value
            where[key] = ("command line", 0)
    config = _make_config(root, settings, where, problems)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise BuildFailed(problems)
    return config, problems


def _make_config(
    root: Path, settings: dict[str, Any], where: dict[str, tuple[str, int]], problems: list[Problem]
) -> Config:
    """Return a Config from checked raw settings, adding a problem for each value that cannot be used."""

    def bad(key: str, message: str) -> None:
        """Record that setting `key` cannot be used, where it was given."""
        path, line = where.get(key, (CONFIG_FILE, 1))
        problems.append(Problem(path, line, key if path == CONFIG_FILE else f"--{key.replace('_', '-')}", message))

    values: dict[str, Any] = {key: settings[key] for key in _TEXT_SETTINGS if key in settings}
    for key in ("drafts", *_BOOL_SETTINGS):
        if key in settings:
            values[key] = bool(settings[key])
    for key in (*_COUNT_SETTINGS, *_TABLE_SETTINGS):
        if key in settings:
            values[key] = settings[key]
    for name, slug in settings.get("slugs", ()):
        if not SLUG.fullmatch(slug):
            bad("slugs", f"{slug!r} (for {name}) is not a slug: use lowercase ASCII letters, digits and hyphens")
    if "numerals" in settings:
        if settings["numerals"] in NUMERALS:
            values["numerals"] = settings["numerals"]
        else:
            bad("numerals", f"{settings['numerals']!r} must be \"latn\" or \"arab\"")
    if "locale" in settings and not _is_arabic_locale(settings["locale"]):
        bad("locale", f"{settings['locale']!r} is not an Arabic locale such as ar, ar_EG or ar_LB")
    for key in _PATH_SETTINGS:
        if key in settings:
            values[key] = Path(settings[key])
    if "base_url" in settings:
        base_url = normalize_base_url(settings["base_url"])
        if base_url is None:
            bad(
                "base_url",
                f"{settings['base_url']!r} must be a path such as /repo/ or an address such as "
                "https://user.github.io/repo/",
            )
        else:
            values["base_url"] = base_url
    cname = settings.get("cname", "").strip().lower()
    if cname:
        if _DOMAIN.fullmatch(cname):
            values["cname"] = cname
        else:
            bad("cname", f"{cname!r} is not a domain name like facts.example.org")
    return Config(root=root, **values)


def _is_arabic_locale(name: str) -> bool:
    """Tell whether Babel knows `name` as an Arabic locale."""
    try:
        return Locale.parse(name).language == "ar"
    except (ValueError, UnknownLocaleError):
        return False


def _key_lines(text: str) -> dict[str, int]:
    """Return the line of each top-level `key =` in a TOML text, for messages."""
    lines: dict[str, int] = {}
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        table = re.match(r"\s*\[\s*([A-Za-z0-9_-]+)\s*\]", line)
        if table:
            in_table = True
            lines.setdefault(table.group(1), number)
            continue
        match = re.match(r'\s*"?([A-Za-z0-9_-]+)"?\s*=', line)
        if match and not in_table:
            lines.setdefault(match.group(1), number)
    return lines
