"""All-or-nothing writing of a set of output files (the dataset, the ontology, the report).

A build writes every file into ``<out>/.staging/`` first (large ones streamed there, never held whole in memory),
then writes a ``COMMIT`` list there, then moves the files into place. A build killed before the commit list exists leaves the previous outputs untouched (the
staging directory is discarded by the next run); one killed after it is rolled forward by the next run, or by
any command that reads the outputs (:func:`recover`). Either way readers never see a mix of two builds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
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


def recover(out_dir: Path) -> None:
    """Finish a committed output set, or discard an uncommitted one, left by an interrupted run."""
    staging = out_dir / STAGING
    if not staging.is_dir():
        return
    commit = staging / COMMIT
    if commit.is_file():
        for name in commit.read_text(encoding="utf-8").split("\n"):
            if name and (staging / name).is_file():
                os.replace(staging / name, out_dir / name)
    shutil.rmtree(staging, ignore_errors=True)


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
