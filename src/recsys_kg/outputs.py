"""All-or-nothing writing of a set of output files (the dataset, the ontology, the report).

A build writes every file into ``<out>/.staging/`` first (large ones streamed there, never held whole in memory),
then writes a ``COMMIT`` list there, then moves the files into place. A build killed before the commit list exists leaves the previous outputs untouched (the
staging directory is discarded by the next run); one killed after it is rolled forward by the next run, or by
any command that reads the outputs (:func:`recover` with ``discard=False``: rdf/dataset.py calls it before every
read). Either way readers never see a mix of two builds.

Output *directories* (`recsys-kg export --format ttl|nt`) are swapped in by two renames (the old one aside, the
new one in place); :func:`recover_directory` puts the old one back if a run died between them, and removes the
hidden staging and old copies dead runs left, so a directory output is never missing and leaves no orphans.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING = ".staging"
COMMIT = "COMMIT"


def atomic_write(path: Path, data: bytes) -> None:
    """Write one file through a temporary file in the same directory and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def recover(out_dir: Path, discard: bool = True) -> None:
    """Finish a committed output set left by an interrupted run; with ``discard``, also remove an uncommitted one
    (only a writer may: for a reader, an uncommitted set may be a build still running)."""
    staging = out_dir / STAGING
    if not staging.is_dir():
        return
    commit = staging / COMMIT
    if not commit.is_file():
        if discard:
            shutil.rmtree(staging, ignore_errors=True)
        return
    try:
        names = commit.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:  # another process finished the set meanwhile
        return
    for name in names:
        try:
            os.replace(staging / name, out_dir / name)
        except (FileNotFoundError, IsADirectoryError):  # moved already (by us before a kill, or by another reader)
            pass
    shutil.rmtree(staging, ignore_errors=True)


def aside_prefix(target: Path) -> str:
    """The name prefix of the hidden siblings a directory output is staged in and set aside as (``.name.``)."""
    return f".{target.name}."


def recover_directory(target: Path, is_ours: Callable[[Path], bool]) -> None:
    """Undo a directory swap a dead run left half done, and remove the hidden copies it left beside ``target``.

    ``.name.old-…`` is the previous output set aside just before the new one was renamed in: if ``target`` is
    missing, the newest such copy ``is_ours`` accepts is put back. Every other ``.name.*`` directory is a staging
    or an old copy of a dead run (a live run holds no lock here, so call this only from the writer)."""
    aside = [p for p in target.parent.glob(aside_prefix(target) + "*") if p.is_dir() and is_ours(p)]
    if not target.exists():
        olds = sorted((p for p in aside if ".old-" in p.name), key=lambda p: p.stat().st_mtime_ns)
        if olds:
            os.replace(olds[-1], target)
            aside.remove(olds[-1])
    for orphan in aside:
        shutil.rmtree(orphan, ignore_errors=True)


class Staging:
    """The staging directory of one output set: every file of the set is written through :meth:`path` or
    :meth:`write`, so the commit list names exactly the files of this build."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.names: list[str] = []

    def path(self, name: str) -> Path:
        """Where to write the output ``name`` (by any writer: a file handle, pyoxigraph, ...)."""
        if name not in self.names:
            self.names.append(name)
        return self.directory / name

    def write(self, name: str, data: bytes) -> None:
        self.path(name).write_bytes(data)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def output_set(out_dir: Path) -> Iterator[Staging]:
    """Stage the files written in the ``with`` block, then move them into ``out_dir`` as one all-or-nothing set.

    An exception in the block discards the staged files and leaves the previous outputs as they were.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    staging = Staging(out_dir / STAGING)
    staging.directory.mkdir()
    try:
        yield staging
        for name in staging.names:
            _fsync(staging.directory / name)
    except BaseException:
        shutil.rmtree(staging.directory, ignore_errors=True)
        raise
    atomic_write(staging.directory / COMMIT, "\n".join(staging.names).encode("utf-8"))
    recover(out_dir)
