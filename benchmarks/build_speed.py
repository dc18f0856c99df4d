"""Measure Waraqa's builds against Hugo doing the same work, with search on (the default) and off; print tables.

    python benchmarks/build_speed.py                           # 1,000 and 10,000 sheets, 3 rounds
    python benchmarks/build_speed.py --sizes 1000 --rounds 3 --search on

The Hugo side is benchmarks/hugo-same/: a Hugo site that makes what Waraqa makes of the same corpus
(people and sides as taxonomies, the JSON API, paginated lists, feeds, sitemap; its README says how, and
what Hugo cannot do), and with search on it runs Pagefind over its output after each build, as a Hugo
site that wants search must. Each figure is the median of --rounds runs; Waraqa and Hugo runs alternate,
so a busy shared machine weighs on both alike. Ratios are to Hugo's build of the same corpus in the same
run (with Pagefind when search is on). Figures: wall seconds, CPU seconds of the whole process tree (user
+ system), and peak memory (the sum of PSS). The preview rows run in this process and have no memory figure.
"""

from __future__ import annotations

import argparse
import os
import resource
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


Figure = tuple[float, float, int]  # wall seconds, CPU seconds, peak MiB


def cpu_of_children() -> float:
    """Return the CPU seconds (user + system) of every process this one has started and waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], cwd: Path | None = None) -> Figure:
    """Run `command`; return its wall time, the CPU time of its process tree and its peak memory in MiB."""
    cpu = cpu_of_children()
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
    return elapsed, cpu_of_children() - cpu, peak // 1024


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


def measure(size: int, search: bool, rounds: int, scratch: Path, hugo: str | None) -> dict[str, list[Figure]]:
    """Return every measurement for a corpus of `size` sheets: name -> [(wall, CPU, peak MiB)] over the rounds."""
    mode = "search" if search else "plain"
    site = generate(size, scratch / f"site-{size}-{mode}", search=search)
    build = [sys.executable, str(REPO / "build.py"), "--source", str(site), "-q"]
    figures: dict[str, list[Figure]] = {}
    hugo_site = same_work_hugo(site, scratch / f"hugo-{size}-{mode}") if hugo else None
    attic = SetAside(scratch / f"set-aside-{size}-{mode}")
    for _ in range(rounds):
        attic.keep(site / "output", site / ".waraqa-cache")
        figures.setdefault("cold full build", []).append(run(build))
        if hugo and hugo_site:
            attic.keep(hugo_site / "public", hugo_site / "resources")
            figures.setdefault("hugo", []).append(hugo_build(hugo, hugo_site, search))
        attic.keep(site / "output")
        figures.setdefault("warm cache, empty output", []).append(run(build))
        figures.setdefault("no-op rebuild", []).append(run(build))
        touch_sheet(site, size // 2)
        figures.setdefault("one sheet edited, command line", []).append(run(build))
        touch_template(site)
        figures.setdefault("template edited, comment", []).append(run(build))
        touch_template(site, visible=True)
        figures.setdefault("template edited, every sheet page", []).append(run(build))
    serial = [*build, "--jobs", "1", "--no-cache", "--output", str(scratch / f"serial-{mode}")]
    attic.keep(scratch / f"serial-{mode}")
    figures["cold serial build, 1 process"] = [run(serial)]
    figures.update(preview_edits(site, size))
    return figures


def same_work_hugo(site: Path, folder: Path) -> Path:
    """Return the same-work Hugo site (benchmarks/hugo-same/) with the corpus of `site` converted for it."""
    shutil.copytree(HERE / "hugo-same", folder)
    shutil.copytree(site / "templates" / "static", folder / "static" / "static")
    converter = [sys.executable, str(HERE / "hugo_same_corpus.py"), str(site / "content"), str(folder / "content")]
    subprocess.run(converter, check=True, stdout=subprocess.DEVNULL)
    return folder


def hugo_build(hugo: str, site: Path, search: bool) -> Figure:
    """Build the Hugo site, then (with search) index its output with Pagefind; return both runs' figures together."""
    wall, cpu, peak = run([hugo, "--quiet", "--source", str(site)])
    if not search:
        return wall, cpu, peak
    from waraqa.search import pagefind_executable

    pagefind = [str(pagefind_executable()), "--site", str(site / "public"), "--force-language", "ar", "--quiet"]
    index_wall, index_cpu, index_peak = run(pagefind)
    return wall + index_wall, cpu + index_cpu, max(peak, index_peak)


def preview_edits(site: Path, size: int, saves: int = 5, template_saves: int = 3) -> dict[str, list[Figure]]:
    """Return the rebuilds after one sheet edit, and after a template edit, kept in one process as the preview does.

    The preview keeps the last build's state, tells the build which file was saved, never indexes for
    search, and stores the state and tidies the twin once the editor pauses; it loads the last build's
    model while it waits for the first save. So does this, between edits too, as a designer pauses to
    look at each change.
    """
    from waraqa.cli import collector_paused
    from waraqa.config import load_config
    from waraqa.pipeline import BuildJob, build, keep_state, warm

    config, _ = load_config(site)
    job = BuildJob(config, search=False)
    with collector_paused():
        state = warm(job, keep_state(job, build(job, keep=False).state))
        sheet_times: list[Figure] = []
        for number in range(saves):
            path = touch_sheet(site, size // 3 + number)
            figure, state = timed(lambda state=state, path=path: build(job, state, frozenset({str(path)}), keep=False))
            sheet_times.append(figure)
        template_times: list[Figure] = []
        for _ in range(template_saves):
            state = warm(job, keep_state(job, state))
            path = touch_template(site, visible=True)
            figure, state = timed(lambda state=state, path=path: build(job, state, frozenset({str(path)}), keep=False))
            template_times.append(figure)
    return {"one sheet edited, preview": sheet_times, "template, every sheet page, preview": template_times}


def timed(work):
    """Run the build `work` in this process; return its (wall, CPU, 0) figure and the state it left."""
    def cpu() -> float:
        """Return this process's CPU seconds and its waited children's."""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime + cpu_of_children()

    before, started = cpu(), time.perf_counter()
    built = work()
    return (time.perf_counter() - started, cpu() - before, 0), built.state


def report(size: int, search: bool, figures: dict[str, list[Figure]]) -> None:
    """Print one table: each figure's median wall and CPU time and peak memory, and their ratios to Hugo's."""
    hugo = figures.get("hugo")
    base = [statistics.median(values) for values in zip(*hugo, strict=True)] if hugo else [0.0, 0.0, 0]
    mode = "search on (the default)" if search else "search off"
    versus = "Hugo + Pagefind" if search else "Hugo"
    print(f"\n{size:,} sheets, {mode}, {os.cpu_count()} cores; ratios to same-work {versus} in this run")
    print(f"{'':36} {'wall s':>8} {'×':>6} {'CPU s':>8} {'×':>6} {'peak MiB':>9} {'×':>6}")
    for name, runs in figures.items():
        wall, cpu, peak = (statistics.median(values) for values in zip(*runs, strict=True))
        ratios = [f"{value / reference:6.2f}" if reference and value else "     -"
                  for value, reference in zip((wall, cpu, peak), base, strict=True)]
        shown = f"same-work {versus}" if name == "hugo" else name
        print(f"{shown:36} {wall:8.2f} {ratios[0]} {cpu:8.2f} {ratios[1]} {peak:9.0f} {ratios[2]}")


def main() -> int:
    """Run the benchmark for every size and search setting asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--search", choices=("on", "off", "both"), default="both", help="which builds to measure")
    args = parser.parse_args()
    require_libyaml()
    hugo = shutil.which("hugo")
    if not hugo:
        print("Hugo is not installed (apt-get install hugo): no ratios.")
    else:
        print(subprocess.run([hugo, "version"], capture_output=True, text=True, check=False).stdout.strip())
    modes = {"on": [True], "off": [False], "both": [True, False]}[args.search]
    # Beside the checkout rather than in /tmp: on the same disk as a real site, not in memory.
    with tempfile.TemporaryDirectory(prefix="waraqa-bench-", dir=REPO.parent) as scratch:
        for size in args.sizes:
            for search in modes:
                report(size, search, measure(size, search, args.rounds, Path(scratch), hugo))
    return 0


if __name__ == "__main__":
    sys.exit(main())
