"""The preview server: builds into a private folder, rebuilds on every save, shows a failed build in the browser.

It keeps the last build's state between saves and tells the pipeline which files changed; it decides
when the state is stored (once the editor pauses), and the process's policies (the cycle collector,
Ctrl-C) are set here, where the process starts. The server subclasses livereload's Server and uses some
of its private members (`application`, `get_web_handlers`, `_setup_logging`): pyproject.toml pins
livereload's minor version for that.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import logging
import signal
import sys
import threading
import time
import webbrowser
from pathlib import Path

import jinja2
from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from tornado import ioloop

from .cli import build_job, collector_paused, report_problems
from .config import CONFIG_FILE
from .errors import Problem, Severity, WaraqaError
from .pipeline import BuildJob, build, keep_state, warm
from .state import State
from .watch import SourceWatcher

log = logging.getLogger("waraqa")

# The preview never goes into output/: its base_url is the local server, and output/ is what gets published.
PREVIEW_FOLDER = Path(".waraqa-cache") / "preview"
# After this long without a save, the preview stores its build state and loads its model (seconds on 10,000 sheets).
IDLE_SECONDS = 1.5

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
    """Return the problems a failed build reports, as records for the error page."""
    if isinstance(error, WaraqaError):
        return list(error.problems)
    # Not an editor's mistake but a bug in Waraqa; still shown, so the preview never goes stale silently.
    return [Problem("", 0, "", f"internal error, please report it: {type(error).__name__}: {error}")]


def _count(number: int, noun: str) -> str:
    """Return '1 error', '2 errors'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


class Preview:
    """The site as the server shows it: the last build's state, kept between saves, and the last build's problems."""

    def __init__(self, args: argparse.Namespace, base_url: str):
        """Remember how to build; nothing is read until the first build."""
        self.args = args
        self.base_url = base_url
        self.root = (args.source or args.default_source or Path.cwd()).resolve()
        self.folder = self.root / PREVIEW_FOLDER
        self.title = "ورقة"
        self.job: BuildJob | None = None
        self.state: State | None = None
        self.stored = True
        self.warmed = False
        self.sources = [self.root / "content", self.root / "templates", self.root / CONFIG_FILE]
        self.problems: list[Problem] = []
        self.building = False
        self.last_build = time.monotonic()

    @property
    def config_file(self) -> Path:
        """Return the settings file, whose change means new settings and a build from scratch."""
        return self.root / CONFIG_FILE

    def _new_job(self) -> BuildJob:
        """Read waraqa.toml again and return the build that writes the preview, linked to the local server."""
        self.job, self.state = None, None
        job = build_job(self.args)
        self.title = job.config.title
        config = job.config
        self.sources = [config.content_path, config.templates_path, config.config_path]
        preview = dataclasses.replace(config, output_dir=self.folder, base_url=self.base_url, search=False)
        self.job = dataclasses.replace(job, config=preview, search=False, writes=True)
        return self.job

    def rebuild(self, changed: set[Path]) -> bool:
        """Build the preview after `changed` changed; on failure keep serving and remember the problems."""
        started = time.perf_counter()
        self.building = True
        try:
            job = self._new_job() if self.job is None or self.config_file in changed else self.job
            hint = frozenset(str(path) for path in changed) if self.state is not None else None
            with collector_paused():
                built = build(job, self.state, hint, keep=False)
            self.state, self.stored, self.warmed = built.state, False, False
            report = built.report
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
        """Once no save has come for a while: store the last build's state, and have its model ready for the next edit."""
        if self.job is None or self.state is None or self.problems or time.monotonic() - self.last_build <= IDLE_SECONDS:
            return
        try:
            with collector_paused():
                if not self.stored:
                    self.state, self.stored = keep_state(self.job, self.state), True
                if not self.warmed:
                    self.state, self.warmed = warm(self.job, self.state), True
        except Exception:  # noqa: BLE001 - both are only caches; losing them costs time, never a page
            log.debug("the preview's build state was not stored or loaded", exc_info=True)

    def _shown(self, path: Path) -> str:
        """Return `path` relative to the site folder, as the editor knows it."""
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def error_page(self) -> str:
        """Return the page the browser shows while the build is broken: every problem, right to left."""
        errors = sum(1 for p in self.problems if p.severity is Severity.ERROR)
        summary = f"الأخطاء: {errors}، التحذيرات: {len(self.problems) - errors}"
        # The preview is served at the server's root, whatever base_url the published site has.
        return _ERROR_PAGE.render(title=self.title, problems=self.problems, summary=summary, base_path="/")


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
        # Tornado's loop runs on asyncio's, the one call that is safe from a signal handler.
        loop.asyncio_loop.call_soon_threadsafe(loop.stop)  # type: ignore[attr-defined]  # on asyncio's loop

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
