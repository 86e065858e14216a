"""All-or-nothing writing of a set of output files (the dataset, the ontology, the report).

A build writes every file into ``<out>/.staging/`` first, then writes a ``COMMIT`` list there, then moves the
files into place. A build killed before the commit list exists leaves the previous outputs untouched (the
staging directory is discarded by the next run); one killed after it is rolled forward by the next run, or by
any command that reads the outputs (:func:`recover`). Either way readers never see a mix of two builds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
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


def write_output_set(out_dir: Path, files: dict[str, bytes]) -> dict[str, Path]:
    """Write ``{file name: content}`` into ``out_dir`` as one all-or-nothing set; returns the final paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    staging = out_dir / STAGING
    staging.mkdir()
    for name, data in files.items():
        with open(staging / name, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    atomic_write(staging / COMMIT, "\n".join(files).encode("utf-8"))
    recover(out_dir)
    return {name: out_dir / name for name in files}
