"""The preview server: builds into a private folder, rebuilds on every save, shows a failed build in the browser."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import errno
import logging
import os
import re
import signal
import sys
import threading
import time
import webbrowser
import zlib
from pathlib import Path

import jinja2
from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from tornado import ioloop

from .builder import Builder
from .cli import report_problems, site_config
from .config import CONFIG_FILE
from .errors import BuildFailed, Problem, Severity, WaraqaError

log = logging.getLogger("waraqa")

# The preview never goes into output/: its base_url is the local server, and output/ is what gets published.
PREVIEW_FOLDER = Path(".waraqa-cache") / "preview"
# livereload polls every 800 ms; an editor who saves and looks expects the page within a blink. A large
# site takes longer to look over, so the look over every file slows down to stay under 5% of one core,
# while the files saved lately, which are the ones an editor saves again, are looked at on every tick.
FASTEST_POLL_MS = 50
SLOWEST_POLL_MS = 500
HOT_FILES = 16
# After this long without a save, the preview stores its build state and loads its model (seconds on 10,000 sheets).
IDLE_SECONDS = 1.5
_RECENT_NS = 2_000_000_000
_LOCATED = re.compile(r"(?P<path>[^\s:][^:\n]*):(?P<line>\d+): (?P<message>.+)", re.DOTALL)

_ERROR_PAGE = jinja2.Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>تعذّر بناء الموقع | {{ title }}</title>
<link rel="stylesheet" href="{{ base_path }}static/site.css">
<style>
.waraqa-error { font-family: system-ui, sans-serif; line-height: 1.7; max-inline-size: 60rem; margin-inline: auto; padding: 1rem; }
.waraqa-error h1 { color: #a40000; }
.waraqa-error table { border-collapse: collapse; inline-size: 100%; }
.waraqa-error th, .waraqa-error td { border: 1px solid #999; padding: 0.4rem 0.6rem; text-align: start; vertical-align: top; }
.waraqa-error code { font-family: ui-monospace, monospace; }
.waraqa-error .path code { white-space: nowrap; }
.waraqa-error pre { white-space: pre-wrap; overflow-wrap: anywhere; text-align: left; background: #f4f4f4; padding: 0.5rem; }
.waraqa-error .warning { color: #6b5200; }
</style>
</head>
<body>
<header class="site-header">
<a class="site-title" href="{{ base_path }}">{{ title }}</a>
</header>
<main id="main" class="waraqa-error">
<h1>تعذّر بناء الموقع</h1>
<p>{{ summary }}. صحّح الملف واحفظه، فتعود الصفحة وحدها.</p>
<table class="problems">
<thead><tr><th>الملف</th><th>السطر</th><th>الحقل</th><th>الرسالة</th></tr></thead>
<tbody>
{% for problem in problems %}
<tr class="problem{% if problem.severity.value == 'warning' %} warning{% endif %}">
<td class="path"><bdi dir="ltr"><code>{{ problem.path or "—" }}</code></bdi></td>
<td class="line">{{ problem.line or "—" }}</td>
<td class="field"><bdi dir="ltr"><code>{{ problem.field or "—" }}</code></bdi></td>
<td class="message">{% if problem.severity.value == 'warning' %}تحذير: {% endif %}<bdi dir="auto">{{ problem.message }}</bdi></td>
</tr>
{% endfor %}
</tbody>
</table>
<p>كما تظهر في الطرفية:</p>
<pre dir="ltr">{% for problem in problems %}{{ problem }}
{% endfor %}</pre>
</main>
</body>
</html>
"""
)


def problems_of(error: BaseException) -> list[Problem]:
    """Return the problems a failed build reports, as `path:line: field: message` records for the error page."""
    if isinstance(error, BuildFailed):
        return list(error.problems)
    text = str(error)
    match = _LOCATED.fullmatch(text)
    if isinstance(error, WaraqaError) and match:
        return [Problem(match["path"], int(match["line"]), "", match["message"])]
    if isinstance(error, WaraqaError):
        return [Problem("", 0, "", text)]
    # Not an editor's mistake but a bug in Waraqa; still shown, so the preview never goes stale silently.
    return [Problem("", 0, "", f"internal error, please report it: {type(error).__name__}: {text}")]


def _count(number: int, noun: str) -> str:
    """Return '1 error', '2 errors'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


class Preview:
    """The site as the server shows it: one Builder kept between saves, and the problems of the last build."""

    def __init__(self, args: argparse.Namespace, base_url: str):
        """Remember how to build; nothing is read until the first build."""
        self.args = args
        self.base_url = base_url
        self.root = (args.source or args.default_source or Path.cwd()).resolve()
        self.folder = self.root / PREVIEW_FOLDER
        self.title = "ورقة"
        self.builder: Builder | None = None
        self.sources = [self.root / "content", self.root / "templates", self.root / CONFIG_FILE]
        self.problems: list[Problem] = []
        self.building = False
        self.last_build = time.monotonic()

    @property
    def config_file(self) -> Path:
        """Return the settings file, whose change means a new Builder."""
        return self.root / CONFIG_FILE

    def _new_builder(self) -> Builder:
        """Read waraqa.toml again and return a Builder that writes the preview, linked to the local server."""
        self.builder = None
        config, warnings = site_config(self.args)
        self.title = config.title
        self.sources = [config.content_path, config.templates_path, config.config_path]
        # No search in the preview: Pagefind re-indexes the whole site, seconds on a big one, at every save.
        preview = dataclasses.replace(config, output_dir=self.folder, base_url=self.base_url, search=False)
        self.builder = Builder(preview, strict=self.args.strict, config_warnings=warnings, save_when_idle=True)
        return self.builder

    def rebuild(self, changed: set[Path]) -> bool:
        """Build the preview after `changed` changed; on failure keep serving and remember the problems."""
        started = time.perf_counter()
        self.building = True
        try:
            builder = self._new_builder() if self.builder is None or self.config_file in changed else self.builder
            report = builder.build()
        except Exception as error:  # the preview survives every failed build, even one that is a bug
            if not isinstance(error, WaraqaError):
                log.exception("The build failed unexpectedly")
            self.problems = problems_of(error)
            report_problems(self.problems)
            print("The preview shows these problems; the next good save brings the site back.", file=sys.stderr)
            return False
        finally:
            self.building = False
            self.last_build = time.monotonic()
        recovered = bool(self.problems)
        self.problems = []
        for warning in report.warnings:
            print(warning, file=sys.stderr)
        names = ", ".join(self._shown(path) for path in sorted(changed)[:3]) + (", …" if len(changed) > 3 else "")
        verb = "Fixed: built" if recovered else "Built"
        log.info("%s %s in %.2f s%s", verb, _count(report.pages, "page"), time.perf_counter() - started, f" ({names})" if names else "")
        return True

    def when_idle(self) -> None:
        """Once no save has come for a while: store the last build's state, and load its model for the next edit."""
        if self.builder is not None and not self.problems and time.monotonic() - self.last_build > IDLE_SECONDS:
            try:
                self.builder.save_pending()
                self.builder.keep_model()
            except Exception:  # noqa: BLE001 - both are only caches; losing them costs time, never a page
                log.debug("the preview's build state was not saved or loaded", exc_info=True)

    def _shown(self, path: Path) -> str:
        """Return `path` relative to the site folder, as the editor knows it."""
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def error_page(self) -> str:
        """Return the page the browser shows while the build is broken: every problem, right to left."""
        errors = sum(1 for p in self.problems if p.severity is Severity.ERROR)
        summary = f"الأخطاء: {errors}، التحذيرات: {len(self.problems) - errors}"
        # The preview is served at the server's root, whatever base_url the published site has.
        return _ERROR_PAGE.render(title=self.title, problems=self.problems, summary=summary, base_path="/")


class SourceWatcher(Watcher):
    """Polls the site's sources often and rebuilds the preview before livereload tells browsers to reload."""

    def __init__(self, preview: Preview):
        """Take the first snapshot now, so that a save during the first build is not lost."""
        super().__init__()
        self.preview = preview
        # livereload watches the working folder when no task is registered; ours are the preview's sources.
        self._tasks = {"sources": {"func": None, "delay": None, "ignore": None, "mtimes": {}}}
        self.timer: ioloop.PeriodicCallback | None = None
        self.snapshot = self.scan()
        # Files saved lately, newest last, and when the next look over every file is due.
        self.hot: dict[str, None] = {}
        self.next_scan = time.monotonic()
        # The reload of a build that no browser heard: it was made while none was connected.
        self.unheard: str | None = None

    def scan(self) -> dict[str, tuple[int, ...]]:
        """Return the modification time and size of every source file: sheets, templates, static files, settings."""
        found: dict[str, tuple[int, ...]] = {}
        for source in self.preview.sources:
            if source.is_file():
                status = source.stat()
                found[str(source)] = (status.st_mtime_ns, status.st_size)
            elif source.is_dir():
                _scan_folder(str(source), found)
        return _with_recent_bytes(found)

    def look_at_hot(self) -> dict[str, tuple[int, ...]]:
        """Return the snapshot with the files saved lately looked at again (a removed one left out)."""
        found = dict(self.snapshot)
        for name in self.hot:
            try:
                status = os.stat(name)
            except OSError:
                found.pop(name, None)
                continue
            found[name] = (status.st_mtime_ns, status.st_size)
        return _with_recent_bytes(found, names=self.hot)

    def start(self, callback) -> bool:
        """Poll faster than livereload's 800 ms; True tells livereload not to start a poll of its own."""
        self.timer = ioloop.PeriodicCallback(callback, FASTEST_POLL_MS)
        self.timer.start()
        return True

    def examine(self) -> tuple[str | None, float | None]:
        """Rebuild if any source changed since the last look; return what livereload should reload, or None."""
        if self._changes:
            return self._changes.pop()
        if self.unheard is not None and LiveReloadHandler.waiters:
            self.filepath, self.unheard = self.unheard, None
            return self.filepath, None
        looked = time.monotonic()
        if looked >= self.next_scan:
            current = self.scan()
            spent_ms = (time.monotonic() - looked) * 1000
            self.next_scan = looked + min(SLOWEST_POLL_MS, max(FASTEST_POLL_MS, spent_ms * 20)) / 1000
        else:
            current = self.look_at_hot()
        changed_names = {name for name in current.keys() | self.snapshot.keys() if _differs(current.get(name), self.snapshot.get(name))}
        changed = {Path(name) for name in changed_names}
        self.snapshot = current
        for name in sorted(changed_names):
            self.hot.pop(name, None)
            self.hot[name] = None
        while len(self.hot) > HOT_FILES:
            del self.hot[next(iter(self.hot))]
        if not changed:
            self.preview.when_idle()
            return None, None
        was_broken = bool(self.preview.problems)
        sources = list(self.preview.sources)
        built = self.preview.rebuild(changed)
        if self.preview.sources != sources:
            self.snapshot = self.scan()
        # The build has been written by now, so the reload shows it; a style-only change is swapped in place.
        styles_only = built and not was_broken and all(path.suffix == ".css" for path in changed)
        filepath = str(min(changed)) if styles_only else "*"
        if not LiveReloadHandler.waiters:
            # No browser listens right now: livereload would drop this reload, and a page that loaded before
            # this build but connected after (one reloading for the last save) would never show it.
            self.unheard = "*" if self.unheard else filepath
            return None, None
        self.unheard = None
        self.filepath = filepath
        return self.filepath, None


def _with_recent_bytes(found: dict[str, tuple[int, ...]], names=None) -> dict[str, tuple[int, ...]]:
    """Add to each stamp of `found` (or of its `names`) saved in the last two seconds a checksum of the bytes.

    Two saves within one tick of the file system's clock, same size, look alike by stamp; a file saved
    that recently is told apart by its bytes too, so that no save is lost.
    """
    recent = time.time_ns() - _RECENT_NS
    for name in found if names is None else [name for name in names if name in found]:
        stamp = found[name]
        if stamp[0] > recent:
            with contextlib.suppress(OSError):
                found[name] = (*stamp[:2], zlib.crc32(Path(name).read_bytes()))
    return found


def _differs(now: tuple[int, ...] | None, before: tuple[int, ...] | None) -> bool:
    """Tell whether a file was added, removed or saved: by time and size, and by bytes when both looks read them."""
    if now is None or before is None:
        return now is not before
    return now[:2] != before[:2] or (len(now) == len(before) == 3 and now[2] != before[2])


def _scan_folder(folder: str, found: dict[str, tuple[int, ...]]) -> None:
    """Add every file under `folder` to `found`, skipping hidden folders and editors' swap and backup files."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        # Editors' swap, lock and backup files change while typing; they are not saves.
        if entry.name.startswith((".", "#")) or entry.name.endswith("~"):
            continue
        try:
            if entry.is_dir():
                _scan_folder(entry.path, found)
            elif entry.is_file():
                status = entry.stat()
                found[entry.path] = (status.st_mtime_ns, status.st_size)
        except OSError:
            continue  # removed between listing and looking: the next scan sees it gone


class PreviewHandler(StaticFileHandler):
    """Serves the preview folder; while the build is broken, every page is the error page."""

    def initialize(self, path: str, default_filename: str | None = None, preview: Preview | None = None) -> None:
        """Keep the preview whose state decides what pages show."""
        super().initialize(path, default_filename)
        self.preview = preview

    async def get(self, path: str, include_body: bool = True) -> None:
        """Return the error page for a page while the build is broken, else the file."""
        if self.preview is not None and self.preview.problems and _is_page(path):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(self.preview.error_page() if include_body else b"")
            return
        await super().get(path, include_body)

    def set_extra_headers(self, path: str) -> None:
        """Make the browser ask again every time: the preview changes under it."""
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code: int, **kwargs) -> None:
        """Show the site's own 404 page for a missing page, as the published site would."""
        not_found = Path(self.root) / "404.html"
        if status_code == 404 and not_found.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(not_found.read_bytes())
            return
        super().write_error(status_code, **kwargs)


def _is_page(path: str) -> bool:
    """Tell whether a request path asks for a page rather than a style sheet, image or font."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return path == "" or path.endswith("/") or last.endswith(".html") or "." not in last


class PreviewServer(Server):
    """livereload's server, serving the preview through PreviewHandler and building once it listens."""

    def __init__(self, preview: Preview, watcher: SourceWatcher, ready):
        """Keep the preview and what to do once the port is ours."""
        super().__init__(watcher=watcher)
        self.preview = preview
        self.ready = ready

    def get_web_handlers(self, script):
        """Route every path to the preview folder."""
        settings = {"path": str(self.preview.folder), "default_filename": "index.html", "preview": self.preview}
        return [(r"/(.*)", PreviewHandler, settings)]

    def application(self, *args, **kwargs):
        """Listen first, so a port in use fails before a long build; then build and announce the address."""
        super().application(*args, **kwargs)
        self.ready()

    def _setup_logging(self) -> None:
        """Keep livereload's chatter out of the terminal unless -v asks for it."""
        livereload_log = logging.getLogger("livereload")
        livereload_log.handlers[:] = log.handlers
        livereload_log.setLevel(logging.INFO if log.isEnabledFor(logging.DEBUG) else logging.WARNING)
        livereload_log.propagate = False
        # Tornado logs every 404 and every error page as a warning; the terminal already says why.
        quiet = logging.DEBUG if log.isEnabledFor(logging.DEBUG) else logging.CRITICAL
        logging.getLogger("tornado.access").setLevel(quiet)


def _address(host: str, port: int) -> str:
    """Return the http address of the server, with an IPv6 host in brackets."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _stop_on_ctrl_c(preview: Preview) -> None:
    """Make Ctrl-C stop the server between requests, or interrupt a build that is running."""
    loop = ioloop.IOLoop.current()

    def on_ctrl_c(signum, frame) -> None:
        """Stop the loop, so that nothing half-done prints a traceback; a build is cut short instead."""
        if preview.building:
            raise KeyboardInterrupt
        loop.asyncio_loop.call_soon_threadsafe(loop.stop)

    signal.signal(signal.SIGINT, on_ctrl_c)


def run(args: argparse.Namespace) -> int:
    """Build the preview, serve it with live reload until Ctrl-C; return the exit code."""
    url = _address(args.host, args.port)
    if args.output is not None:
        log.warning("serve builds its preview into %s; --output only applies to build", PREVIEW_FOLDER.as_posix())
    preview = Preview(args, url)
    watcher = SourceWatcher(preview)
    # livereload drops a change within 3 s of the last reload; each save here is one build and must show.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0

    def ready() -> None:
        """Build the first preview, print the address and open the browser if asked."""
        _stop_on_ctrl_c(preview)
        preview.rebuild(set())
        print(f"Serving the preview at {url} (Ctrl-C stops it)", flush=True)
        if args.open:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    server = PreviewServer(preview, watcher, ready)
    try:
        server.serve(port=args.port, host=args.host, restart_delay=0)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            print(
                f"error: port {args.port} on {args.host} is already in use; another server may be running. "
                f"Stop it, or choose another port: python build.py serve --port {args.port + 1}",
                file=sys.stderr,
            )
            return 1
        if error.errno in (errno.EACCES, errno.EADDRNOTAVAIL):
            print(f"error: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
            return 1
        raise
    except KeyboardInterrupt:
        pass
    print("Stopped.", file=sys.stderr)
    return 0
