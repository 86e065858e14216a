"""The built graph as context for contribution validation: a writable copy of the graph's persistent store.

Why: a contribution is added to the graph it is checked against (in a graph of its own, removed afterwards), and
the graph's persistent store (rdf/graph_store.py) is shared read-only by every reader, so validation works on a
copy. The copy is a RocksDB checkpoint of that store: its immutable files are hard links, so making it costs
almost nothing and no second copy of the data is written; it is then turned into the validator's context
(``derive``: the inferred graph removed, the title keys added). It lives next to the graph
(``<graph dir>/.recsys-kg-cache/<graph file>/``), stamped with the SHA-256 of the graph file it was derived
from (the name of the store's generation), and is made again when the graph changes. It is written under a
temporary name and renamed into place, so a killed run never leaves a half-made context behind, and a context
that cannot be opened is made again. Runs take an exclusive lock on it (one writer at a time: a contribution is
added to the store while it is validated); a second run waits for it. Where no store can be written (read-only
directory, full disk), the caller loads the graph into memory instead (an OSError or StoreUnavailable here).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from recsys_kg.rdf.graphs import CONTRIBUTION

CACHE_DIR = ".recsys-kg-cache"
STAMP = "source.json"
VERSION = 2  # bump when what the context holds changes
LOCK_WAIT_SECONDS = 120


class ContextBusyError(Exception):
    """Another process holds the context cache for longer than we wait."""


class ContextCache:
    """An opened context store and the lock that makes it ours (released when the process ends or on close)."""

    def __init__(self, graph: Path, generation: Callable[[], Path], derive: Callable[[ox.Store], None]) -> None:
        """``generation()`` gives the graph's persistent store generation (rdf/graph_store.generation);
        ``derive(store)`` turns a copy of it into the validator's context when the context must be (re)made."""
        self.graph, self.generation, self.derive = graph, generation, derive
        self.directory = graph.parent / CACHE_DIR / graph.name
        self._lock_file: IO[str] | None = None

    def open(self) -> ox.Store:
        source = self.generation()  # FileNotFoundError before anything is created for a graph that is not there
        stamp = {"version": VERSION, "graph_sha256": source.name}
        self.directory.parent.mkdir(exist_ok=True)
        self._lock()
        self._remove_orphans()
        store = self._open_existing(stamp)
        return store if store is not None else self._rebuild(stamp, source)

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
                    raise ContextBusyError(
                        f"{self.directory}: another `recsys-kg validate` has held the context "
                        f"cache for {LOCK_WAIT_SECONDS} s; try again when it has finished"
                    ) from None
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

    def _rebuild(self, stamp: dict, source: Path) -> ox.Store:
        staging = self.directory.parent / f"{self.graph.name}.building-{os.getpid()}"
        staging.mkdir()
        try:
            ox.Store.read_only(str(source / "store")).backup(str(staging / "store"))
            store = ox.Store(str(staging / "store"))
            self.derive(store)
            store.flush()
            del store  # closes the database before it is moved
            (staging / STAMP).write_text(json.dumps(stamp, sort_keys=True), encoding="utf-8")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        old = self.directory.parent / f"{self.graph.name}.old-{os.getpid()}"
        if self.directory.exists():
            self.directory.rename(old)
        staging.rename(self.directory)
        shutil.rmtree(old, ignore_errors=True)
        return ox.Store(str(self.directory / "store"))
