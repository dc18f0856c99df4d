"""Throwaway sites for tests: a folder with waraqa.toml, the project's templates and the sheets a test gives."""

from __future__ import annotations

import shutil
from pathlib import Path

from waraqa.cli import main

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"

GOOD_SHEET = """---
title: قمة تجريبية
date: 2025-01-10
summary: ملخص قصير للقمة.
---

نص الورقة.
"""


def make_site(root: Path, sheets: dict[str, str | bytes], config: str = 'title = "موقع الاختبار"\n') -> Path:
    """Write a site into `root`: the given sheets under content/, the project's templates, and `config`."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATES, root / "templates", dirs_exist_ok=True)
    (root / "waraqa.toml").write_text(config, encoding="utf-8")
    for name, text in sheets.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


def build(root: Path, *args: str) -> int:
    """Run `python build.py build --source root ARGS` in-process and return its exit code."""
    return main(["build", "--source", str(root), "-q", *args])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` (hidden ones included) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class KeptBuilds:
    """Builds one site again and again in this process, keeping each build's state for the next, as the preview does."""

    def __init__(self, root: Path, keep: bool = True, **options):
        """Build the site in `root` with the settings of its waraqa.toml and the BuildJob `options` given."""
        from waraqa.config import load_config
        from waraqa.pipeline import BuildJob

        config, _ = load_config(root)
        self.job = BuildJob(config, **options)
        self.keep = keep
        self.state = None

    def build(self, changed=None):
        """Build once; return the report. `changed` names the files that changed since the last build."""
        from waraqa.pipeline import build

        built = build(self.job, self.state, None if changed is None else frozenset(map(str, changed)), keep=self.keep)
        self.state = built.state
        return built.report

    def keep_state(self) -> None:
        """Store the state and tidy the twin, as the preview does once idle."""
        from waraqa.pipeline import keep_state

        self.state = keep_state(self.job, self.state)

    def warm(self) -> None:
        """Load the model and make the site and its pages, as the preview does once idle."""
        from waraqa.pipeline import warm

        self.state = warm(self.job, self.state)
