"""The built graph as context for contribution validation, kept as an on-disk Oxigraph store between runs.

Why: reading the built graph is most of the cost of checking one contribution (15-20 s for the 100x graph's
N-Quads, 0.3 s for the seed's), while validating the contribution in it takes a fraction of a second. The first
`recsys-kg validate FILE` builds the store next to the graph (``<graph dir>/.recsys-kg-cache/<graph file>/``);
later runs open it in about 0.1 s. The cache is stamped with the graph file's path, size and modification time
and rebuilt when they change; it is written under a temporary name and renamed into place, so a killed run never
leaves a half-built cache behind, and a cache that cannot be opened is rebuilt. Runs take an exclusive lock on
the cache (one writer at a time: a contribution is added to the store while it is validated); a second run waits
for it. Where the cache cannot be written (read-only directory), the graph is loaded into memory as before.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from recsys_kg.rdf.graphs import CONTRIBUTION

CACHE_DIR = ".recsys-kg-cache"
STAMP = "source.json"
VERSION = 1  # bump when what the cache holds changes
LOCK_WAIT_SECONDS = 120


class ContextBusyError(Exception):
    """Another process holds the context cache for longer than we wait."""


def _stamp(graph: Path) -> dict:
    stat = graph.stat()
    return {"version": VERSION, "graph": str(graph.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


class ContextCache:
    """An opened context store and the lock that makes it ours (released when the process ends or on close)."""

    def __init__(self, graph: Path, fill: Callable[[ox.Store], None]) -> None:
        """``fill(store)`` puts the context into an empty store when the cache must be (re)built."""
        self.graph, self.fill = graph, fill
        self.directory = graph.parent / CACHE_DIR / graph.name
        self._lock_file = None

    def open(self) -> ox.Store:
        stamp = _stamp(self.graph)  # FileNotFoundError before anything is created for a graph that is not there
        self.directory.parent.mkdir(exist_ok=True)
        self._lock()
        self._remove_orphans()
        store = self._open_existing(stamp)
        return store if store is not None else self._rebuild(stamp)

    def close(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # releases the lock
            self._lock_file = None

    def _lock(self) -> None:
        handle = open(self.directory.parent / f"{self.graph.name}.lock", "a")
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    handle.close()
                    raise ContextBusyError(f"{self.directory}: another `recsys-kg validate` has held the context "
                                           f"cache for {LOCK_WAIT_SECONDS} s; try again when it has finished") from None
                time.sleep(0.1)
        self._lock_file = handle

    def _remove_orphans(self) -> None:
        """We hold the lock, so any building or old copy of this graph's cache was left by a run that died."""
        for pattern in (f"{self.graph.name}.building-*", f"{self.graph.name}.old-*"):
            for orphan in self.directory.parent.glob(pattern):
                shutil.rmtree(orphan, ignore_errors=True)

    def _open_existing(self, stamp: dict) -> ox.Store | None:
        """The cached store, or None when it is missing, stale or damaged (the caller rebuilds it). A store this
        process still has open is never rebuilt under itself: that raises OSError (the caller loads the graph
        into memory instead)."""
        try:
            if json.loads((self.directory / STAMP).read_text(encoding="utf-8")) != stamp:
                return None
        except (OSError, ValueError):
            return None
        try:
            store = ox.Store(str(self.directory / "store"))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise
            return None
        except RuntimeError:  # RocksDB reports a damaged database so
            return None
        store.remove_graph(CONTRIBUTION)  # left behind by a run that was killed mid-validation
        return store

    def _rebuild(self, stamp: dict) -> ox.Store:
        staging = self.directory.parent / f"{self.graph.name}.building-{os.getpid()}"
        staging.mkdir()
        store = ox.Store(str(staging / "store"))
        self.fill(store)
        store.flush()
        del store  # closes the database before it is moved
        (staging / STAMP).write_text(json.dumps(stamp, sort_keys=True), encoding="utf-8")
        old = self.directory.parent / f"{self.graph.name}.old-{os.getpid()}"
        if self.directory.exists():
            self.directory.rename(old)
        staging.rename(self.directory)
        shutil.rmtree(old, ignore_errors=True)
        return ox.Store(str(self.directory / "store"))
