"""The command line: build | check | serve | deploy; turns every Waraqa error into a message and exit 1."""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import CACHE_FOLDER
from .config import load_config
from .errors import BuildFailed, Problem, Severity, WaraqaError

if TYPE_CHECKING:
    from .pipeline import BuildJob

log = logging.getLogger("waraqa")

# Commands with a module of their own expose run(args) -> int; they are imported only when they run.
_COMMAND_MODULES = {
    "serve": ("waraqa.serve", "preview the site with live reload while you edit"),
    "deploy": ("waraqa.deploy", "build and publish the site to a GitHub Pages branch"),
    "import": ("waraqa.importer.command", "draft a sheet in content/ from an article's text"),
}


def add_site_options(parser: argparse.ArgumentParser, default_source: str) -> None:
    """Add the options every command that builds the site understands; `default_source` says which folder is built."""
    parser.add_argument("--source", type=Path, default=None, help=f"the site folder (default: {default_source})")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--drafts", action="store_true", help="also build sheets marked draft: true")
    parser.add_argument("--base-url", metavar="URL", help="where the site is published, e.g. https://user.github.io/repo/")
    parser.add_argument("--output", type=Path, metavar="DIR", help="the folder to build into (default: output)")
    parser.add_argument("--jobs", type=int, metavar="N", help="processes for a full build (default: every core)")
    parser.add_argument("--no-cache", action="store_true", help=f"neither read nor write the build cache ({CACHE_FOLDER}/)")
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    loudness.add_argument("-v", "--verbose", action="store_true", help="print every step")


def make_parser(default_source: Path | None = None) -> argparse.ArgumentParser:
    """Return the argument parser with one sub-command per action."""
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Waraqa builds a right-to-left Arabic fact-sheet website from content/ into output/.",
    )
    parser.set_defaults(default_source=default_source)
    source = "the folder of build.py" if default_source else "the current folder"
    commands = parser.add_subparsers(dest="command", metavar="{build,check,serve,deploy,import}")
    add_site_options(commands.add_parser("build", help="build the site into output/ (the default)"), source)
    add_site_options(commands.add_parser("check", help="validate content and templates without writing anything"), source)
    serve = _module_command(commands, "serve", source)
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--open", action="store_true", help="open the site in the web browser")
    deploy = _module_command(commands, "deploy", source)
    deploy.add_argument("--remote", default="origin", help="the git remote to push to (default: origin)")
    deploy.add_argument("--branch", default="gh-pages", help="the branch that holds the site (default: gh-pages)")
    deploy.add_argument("--message", help="the commit message (default names the source commit)")
    deploy.add_argument("--dry-run", action="store_true", help="build and show what would be pushed, push nothing")
    deploy.add_argument("--force", action="store_true", help="replace a branch that has commits Waraqa did not make")
    article = _module_command(commands, "import", source)
    article.add_argument("file", metavar="FILE", help="the article as plain text; - reads what you paste")
    article.add_argument("--slug", help="the new sheet's slug (default: made from the headline)")
    return parser


def _module_command(commands, name: str, default_source: str) -> argparse.ArgumentParser:
    """Add a sub-command whose work lives in a module of its own, imported only when it runs."""
    module_name, help_text = _COMMAND_MODULES[name]
    sub = commands.add_parser(name, help=help_text)
    add_site_options(sub, default_source)
    sub.set_defaults(module=module_name)
    return sub


def site_config(args: argparse.Namespace):
    """Return the site's Config with the command line's overrides, and the settings file's warnings."""
    root = (args.source or args.default_source or Path.cwd()).resolve()
    overrides = {"base_url": args.base_url, "drafts": args.drafts or None}
    if args.output is not None:
        overrides["output_dir"] = str(args.output)
    return load_config(root, overrides)


def report_problems(problems: list[Problem]) -> None:
    """Print every problem on stderr, one a line, then how many there were."""
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    print(f"{_count(errors, 'error')} and {_count(warnings, 'warning')}", file=sys.stderr)


def _count(number: int, noun: str) -> str:
    """Return '1 sheet', '2 sheets'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def build_job(args: argparse.Namespace, **changes: Any) -> BuildJob:
    """Return the build the command line asks for: the site's settings and the options given."""
    from .pipeline import BuildJob
    from .progress import meter_for

    config, config_warnings = site_config(args)
    options: dict[str, Any] = {
        "strict": args.strict,
        "config_warnings": tuple(config_warnings),
        "use_cache": not args.no_cache,
        "writes": args.command != "check",
        "meter": meter_for(args.quiet),
    }
    if args.jobs:
        options["jobs"] = args.jobs
    options.update(changes)
    return BuildJob(config, **options)


def run_build(args: argparse.Namespace) -> int:
    """Build (or, for `check`, validate) the site and print one summary line."""
    from .pipeline import build

    job = build_job(args)
    # The cycle collector stays paused until the build and its site model are gone: run while they were
    # alive, each full pass walked millions of objects about to be freed anyway (0.3 s on 10,000 sheets).
    with collector_paused():
        built = build(job)
        report = built.report
        del built
    _print_warnings(report.warnings)
    if args.command == "check":
        log.info("Checked %s and %s: no errors", _count(report.sheets, "sheet"), _count(report.pages, "page"))
        return 0
    root = job.config.root
    output = report.output
    assert output is not None
    shown_output = output.relative_to(root) if output.is_relative_to(root) else output
    changed = f", {report.written} changed" if report.incremental else ""
    search = ""
    if report.search:
        shards = f" ({report.search.shards} of {report.search.of} shards)" if report.search.of > 1 else ""
        search = f"; search index: {_count(report.search.pages, 'page')}{shards} in {report.search.seconds:.2f} s"
    log.info(
        "Built %s, %s (%s%s) into %s/ in %.2f s%s",
        _count(report.sheets, "sheet"),
        _count(report.pages, "page"),
        _count(report.files, "file"),
        changed,
        shown_output,
        report.seconds,
        search,
    )
    return 0


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for the block: a policy of the process, set where the process starts.

    A big site's model is millions of objects that live until the build ends, and each full collection
    walks them all: on 10,000 sheets that was most of an edit's rebuild time. A build makes few reference
    cycles; those it makes are collected once the block ends. Forked workers inherit the pause, which also
    keeps them from touching, and so copying, the memory they share with the build's process.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _print_warnings(warnings: Sequence[Problem]) -> None:
    """Print the warnings of a build that went through."""
    for warning in warnings:
        print(warning, file=sys.stderr)


def configure_logging(args: argparse.Namespace) -> None:
    """Send Waraqa's log to the terminal as plain lines, as loud as -q/-v ask."""
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    progress = logging.StreamHandler(sys.stdout)
    progress.addFilter(lambda record: record.levelno < logging.WARNING)
    problems = logging.StreamHandler(sys.stderr)
    problems.setLevel(logging.WARNING)
    for handler in (progress, problems):
        handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [progress, problems]
    log.setLevel(level)
    log.propagate = False


def main(argv: list[str] | None = None, default_source: Path | None = None) -> int:
    """Run one command; return the exit code: 0 done, 1 a problem the editor must fix, 2 a usage error."""
    argv = list(sys.argv[1:] if argv is None else argv)
    known = {"build", "check", "serve", "deploy", "import", "-h", "--help"}
    if not argv or argv[0] not in known:
        argv.insert(0, "build")
    args = make_parser(default_source).parse_args(argv)
    configure_logging(args)
    try:
        if getattr(args, "module", None):
            return importlib.import_module(args.module).run(args)
        return run_build(args)
    except BuildFailed as failure:
        report_problems(failure.problems)
        if args.command == "build":
            print("The build stopped; the output folder is as it was.", file=sys.stderr)
        return 1
    except WaraqaError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except OSError as error:
        # The file system refused something (a full disk, a folder that cannot be written): say which file.
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}", file=sys.stderr)
        if args.command == "build":
            print("The build stopped; the output folder is as it was.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
