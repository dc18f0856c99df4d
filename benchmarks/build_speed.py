"""Measure Waraqa's build speed and memory against Hugo on generated corpora, and print a table.

    python benchmarks/build_speed.py                 # 1,000 and 10,000 sheets
    python benchmarks/build_speed.py --sizes 1000 --rounds 3

Each figure is the median of --rounds runs; Waraqa and Hugo runs alternate, so a busy shared machine
weighs on both alike. Ratios are to Hugo's full build of the same corpus in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from benchmarks.corpus import generate  # noqa: E402


def require_libyaml() -> None:
    """Stop with a message when PyYAML lacks libyaml: every figure would be several times too slow."""
    import yaml

    if not getattr(yaml, "__with_libyaml__", False):
        sys.exit("PyYAML was built without libyaml (yaml.CSafeLoader is missing); install a wheel that has it.")


def tree_memory_kib(pid: int) -> int:
    """Return the memory of process `pid` and all its descendants, in KiB: the sum of their proportional sets.

    Forked workers share the pages of their parent until they write them; RSS counts a shared page in
    every process, PSS divides it among them, so the sum of PSS is what the tree really holds.
    """
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            total += _memory_of(current)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def _memory_of(pid: int) -> int:
    """Return one process's PSS in KiB, or its RSS where the kernel gives no smaps_rollup."""
    for name, field in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(name, encoding="ascii") as status:
                for line in status:
                    if line.startswith(field):
                        return int(line.split()[1])
        except PermissionError:
            continue
    return 0


def run(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Run `command`; return its wall time in seconds and the peak memory of its process tree in MiB."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        """Poll the process tree's memory until it ends."""
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory_kib(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{err.decode(errors='replace')}")
    return elapsed, peak // 1024


def touch_sheet(site: Path, index: int) -> Path:
    """Edit one sheet's title, as an editor would; return its path."""
    path = site / "content" / f"sheet-{index:05d}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: \"", f"title: \"(تعديل {time.time_ns()}) ", 1), encoding="utf-8")
    return path


def touch_template(site: Path, visible: bool = False) -> Path:
    """Edit the sheet template, as a designer would: a Jinja comment, or a change that reaches every sheet page."""
    path = site / "templates" / "sheet.html"
    text = path.read_text(encoding="utf-8")
    if visible:
        text = text.replace("</article>", f"<!-- edited {time.time_ns()} -->\n</article>", 1)
    else:
        text += f"{{# edited {time.time_ns()} #}}\n"
    path.write_text(text, encoding="utf-8")
    return path


class SetAside:
    """Moves the folders of the last run out of the way, to be deleted only when the benchmark ends.

    On an ext4 without a journal (this kind of VM), a file made within a minute or so of tens of thousands
    of deletions costs the kernel a scan past inodes just freed: deleting the last output right before a
    timed 10,000-sheet build added 6 to 8 s of system time to it, and less to Hugo's, which makes fewer
    files. A rename frees no inode, so each tool's time is its own.
    """

    def __init__(self, folder: Path):
        """Keep what is set aside in `folder`, inside the benchmark's scratch folder."""
        self.folder = folder
        self.count = 0

    def keep(self, *paths: Path) -> None:
        """Move each of `paths` that exists into the folder of things set aside."""
        for path in paths:
            if path.exists():
                self.folder.mkdir(exist_ok=True)
                self.count += 1
                path.rename(self.folder / str(self.count))


def measure(size: int, rounds: int, scratch: Path, hugo: str | None) -> dict[str, list[tuple[float, int]]]:
    """Return every measurement for a corpus of `size` sheets: name -> [(seconds, peak MiB)] over the rounds."""
    site = generate(size, scratch / f"site-{size}")
    build = [sys.executable, str(REPO / "build.py"), "--source", str(site), "-q"]
    figures: dict[str, list[tuple[float, int]]] = {}
    hugo_site = None
    if hugo:
        hugo_site = scratch / f"hugo-{size}"
        shutil.copytree(HERE / "hugo", hugo_site)
        shutil.copytree(site / "content", hugo_site / "content")
    attic = SetAside(scratch / f"set-aside-{size}")
    for _ in range(rounds):
        attic.keep(site / "output", site / ".waraqa-cache")
        figures.setdefault("cold full build", []).append(run(build))
        if hugo_site:
            attic.keep(hugo_site / "public", hugo_site / "resources")
            figures.setdefault("hugo full build", []).append(run([hugo, "--quiet", "--source", str(hugo_site)]))
        attic.keep(site / "output")
        figures.setdefault("warm cache, empty output", []).append(run(build))
        figures.setdefault("no-op rebuild", []).append(run(build))
        touch_sheet(site, size // 2)
        figures.setdefault("one sheet edited", []).append(run(build))
        touch_template(site)
        figures.setdefault("template edited, comment", []).append(run(build))
        touch_template(site, visible=True)
        figures.setdefault("template edited, every sheet", []).append(run(build))
    serial = [*build, "--jobs", "1", "--no-cache", "--output", str(scratch / "serial-output")]
    attic.keep(scratch / "serial-output")
    figures["cold serial build, 1 process"] = [run(serial)]
    figures.update(preview_edits(site, size))
    searchable = generate(size, scratch / f"site-{size}-search", search=True)
    search_build = [sys.executable, str(REPO / "build.py"), "--source", str(searchable), "-q"]
    figures["cold full build with search index"] = [run(search_build)]
    return figures


def preview_edits(site: Path, size: int, saves: int = 5, template_saves: int = 3) -> dict[str, list[tuple[float, int]]]:
    """Return the median time of a rebuild after one sheet edit, and after a template edit, kept in one process.

    That is how the preview server rebuilds: it keeps the last build's state, tells the build which file
    was saved, and stores the state and tidies the twin once the editor pauses. It loads the last build's
    model while it waits for the first save; so does this. Between template edits it also does what the
    preview does once idle, as a designer pauses to look at each change.
    """
    from waraqa.cli import collector_paused
    from waraqa.config import load_config
    from waraqa.pipeline import BuildJob, build, keep_state, warm

    config, _ = load_config(site)
    job = BuildJob(config)
    with collector_paused():
        state = warm(job, keep_state(job, build(job, keep=False).state))
        sheet_times = []
        for number in range(saves):
            path = touch_sheet(site, size // 3 + number)
            started = time.perf_counter()
            state = build(job, state, frozenset({str(path)}), keep=False).state
            sheet_times.append(time.perf_counter() - started)
        template_times = []
        for _ in range(template_saves):
            state = warm(job, keep_state(job, state))
            path = touch_template(site, visible=True)
            started = time.perf_counter()
            state = build(job, state, frozenset({str(path)}), keep=False).state
            template_times.append(time.perf_counter() - started)
    return {
        "one sheet edited, preview": [(statistics.median(sheet_times), 0)],
        "template, every sheet, preview": [(statistics.median(template_times), 0)],
    }


def report(size: int, figures: dict[str, list[tuple[float, int]]]) -> None:
    """Print one table: each figure's median time, peak memory, pages per second and ratio to Hugo."""
    hugo = figures.get("hugo full build")
    hugo_seconds = statistics.median(s for s, _ in hugo) if hugo else None
    hugo_peak = statistics.median(m for _, m in hugo) if hugo else None
    print(f"\n{size:,} sheets on {os.cpu_count()} cores")
    print(f"{'':32} {'seconds':>8} {'× Hugo':>7} {'peak MiB':>9} {'× Hugo':>7} {'sheets/s':>9}   (memory: sum of PSS)")
    for name, runs in figures.items():
        seconds = statistics.median(s for s, _ in runs)
        peak = statistics.median(m for _, m in runs)
        time_ratio = f"{seconds / hugo_seconds:7.2f}" if hugo_seconds else "      -"
        peak_ratio = f"{peak / hugo_peak:7.2f}" if hugo_peak else "      -"
        print(f"{name:32} {seconds:8.2f} {time_ratio} {peak:9.0f} {peak_ratio} {size / seconds:9.0f}")


def main() -> int:
    """Run the benchmark for every size asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    require_libyaml()
    hugo = shutil.which("hugo")
    if not hugo:
        print("Hugo is not installed (apt-get install hugo): no ratios.")
    else:
        print(subprocess.run([hugo, "version"], capture_output=True, text=True, check=False).stdout.strip())
    with tempfile.TemporaryDirectory(prefix="waraqa-bench-") as scratch:
        for size in args.sizes:
            report(size, measure(size, args.rounds, Path(scratch), hugo))
    return 0


if __name__ == "__main__":
    sys.exit(main())
