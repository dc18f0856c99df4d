"""Where a build reads and writes: the cache, the output folder and its twin, and the last build's state in them.

A check opens the cache to read and touches nothing. A build without the cache has no state and no twin:
it writes a whole new tree. Every other build finds the state the last build left (in this process's
memory, or in the cache), checks that the output folder still holds what that build wrote, puts it
back from the twin if it does not, and writes through the twin when there is one.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from .cache import BuildCache, cache_folder
from .config import Config
from .output import differing, is_marked, output_folder, real_folder, remove_tree
from .load import SHEET_ENTRY
from .progress import Meter
from .publish import TWIN, CheckWriter, Lock, TreeWriter, TwinWriter, Writer, restore, tidy_twin
from .state import OTHER_OUTPUTS_KEPT, BuildIndex, BuildModel, State, StateKeys, load_index, load_model, save
from .twin import held_build, set_held_build, twin_home


@dataclass(frozen=True)
class Where:
    """The folders one build uses: the output folder (None for a check), the cache, the twin's home."""

    output: Path | None
    cache: BuildCache | None
    home: Path | None
    keys: StateKeys | None


class Workspace:
    """Opens the folders a build uses, and closes them; a build that writes holds its output folder's lock."""

    def __init__(self, config: Config, writes: bool, use_cache: bool):
        """Check the output folder (when the build writes) and open the cache (when it is used)."""
        output = output_folder(config) if writes else None
        root = cache_folder(config.root) if use_cache else None
        if root is not None and not writes and not root.is_dir():
            root = None  # a check never makes the cache
        cache = BuildCache(root, writable=writes) if root is not None else None
        home = twin_home(output, root) if output is not None and root is not None else None
        keys = StateKeys.of(str(output)) if output is not None and cache is not None else None
        self.where = Where(output, cache, home, keys)
        self._lock = Lock(home) if home is not None else None

    def __enter__(self) -> Workspace:
        """Wait until no other build uses this output folder's twin."""
        if self._lock is not None:
            self._lock.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        """Let the next build in, and close the cache."""
        if self._lock is not None:
            self._lock.__exit__()
        if self.where.cache is not None:
            self.where.cache.close()

    @property
    def cache(self) -> BuildCache | None:
        """Return the build cache, or None."""
        return self.where.cache

    def compiled_templates(self) -> Path | None:
        """Return the cache's folder of compiled templates, or None when the cache is not to be written."""
        cache = self.where.cache
        if cache is None or not cache.writable:
            return None
        return real_folder(cache.folder, "templates")

    def previous(self, known: State | None) -> State | None:
        """Return the state of the last build of this output folder: the one kept in memory, else the cache's."""
        if known is not None:
            return known
        if self.where.cache is None or self.where.keys is None:
            return None
        index = load_index(self.where.cache, self.where.keys)
        return State(index, twin=self._twin_of(index), stored=index.parts) if index is not None else None

    def _twin_of(self, index: BuildIndex) -> dict[str, bytes] | None:
        """Return what the twin holds, when it says it holds the build `index` describes."""
        if self.where.home is None or held_build(self.where.home) != index.build:
            return None
        return {name: record.digest for name, record in index.files.items()}

    def model(self, state: State) -> BuildModel | None:
        """Return the model of `state`: in memory, or loaded from the cache (None if the cache lost part of it)."""
        if state.model is not None:
            return state.model
        if self.where.cache is None or self.where.keys is None:
            return None
        return load_model(self.where.cache, self.where.keys, state.index)

    def output_holds(self, state: State | None) -> tuple[State | None, int]:
        """Return `state` if the output folder holds exactly its files, after putting them back from the twin if not.

        Also return how many files were put back. None when the folder cannot be trusted: the build must
        then make every file again.
        """
        output = self.where.output
        if state is None or output is None:
            return None, 0
        files = state.index.files
        if state.site is not None and is_marked(output):
            return state, 0  # kept in memory by this process, whose own folder only a deletion can have changed
        missing = differing(output, files)
        if not missing:
            return state, 0
        home = self.where.home
        if home is not None and restore(home, output, files, state.index.build):
            return dataclasses.replace(state, twin=None), len(missing)
        return None, 0

    def writer(self, trusted: State | None) -> Writer:
        """Return the writer of a build: through the twin when the output folder can be trusted, else a new tree."""
        output = self.where.output
        if output is None:
            return CheckWriter()
        home = self.where.home
        if home is None:
            return TreeWriter(output)
        if trusted is None:
            # Every file is made again; an existing twin still saves making its folders.
            return TwinWriter(output, home, None, None) if (home / TWIN).is_dir() else TreeWriter(output)
        twin = trusted.twin
        if twin is None:
            tidy_twin(home, output, None, trusted.index.files, trusted.index.build)
            twin = self._twin_of(trusted.index)
        if twin is None:
            return TreeWriter(output)
        return TwinWriter(output, home, twin, trusted.index.files)

    def persist(self, state: State, meter: Meter) -> State:
        """Store `state` in the cache and bring the twin up to the output folder; return the state after.

        A long-lived process (the preview) does this while idle: what it costs on a big site is then not
        spent before the browser reloads.
        """
        home, output, cache, keys = self.where.home, self.where.output, self.where.cache, self.where.keys
        if cache is None or keys is None or output is None or state.model is None:
            return state
        save(cache, keys, state.index, state.model, state.stored)
        cache.prune(SHEET_ENTRY, {SHEET_ENTRY + path for path in state.index.sources})
        twin = state.twin
        files = state.index.files
        if home is not None:
            if twin == {name: record.digest for name, record in files.items()}:
                set_held_build(home, state.index.build)
            else:
                stage = meter.stage("keeping a twin of the site", len(files))
                try:
                    tidy_twin(home, output, twin, files, state.index.build, stage.advance)
                finally:
                    stage.close()
            twin = self._twin_of(state.index)
        _forget_old_twins(home, cache)
        return State(state.index, state.model, state.site, state.pages, state.renderer, twin, state.index.parts)


def _forget_old_twins(home: Path | None, cache: BuildCache) -> None:
    """Delete the twins of output folders whose state the cache no longer keeps (it keeps the last few)."""
    if home is None or home.parent.name != "trees":
        return
    kept = OTHER_OUTPUTS_KEPT + 1
    folders = []
    for folder in home.parent.iterdir():
        if folder != home and (folder / TWIN).is_dir():
            folders.append((os.lstat(folder).st_mtime_ns, folder))
    os.utime(home)
    for _, folder in sorted(folders, reverse=True)[kept - 1 :]:
        remove_tree(folder)
