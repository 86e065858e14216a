"""Issue 18, atomicity: a run killed (SIGKILL) at every rename it makes leaves either the previous outputs or the
new ones, never a mix and never nothing, once the next reader or writer has run; and no orphans stay behind.

Each case runs the real command in a subprocess whose ``os.replace`` kills the process at its k-th call, for
every k until a run finishes unharmed (so every rename of the protocol is covered, however many there are).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from recsys_kg import paths
from recsys_kg.ingest.pedigree import record_checksums

KILLER = """
import os, signal, sys
k, calls, real = int(sys.argv[1]), [0], os.replace
def replace(*args, **kwargs):
    calls[0] += 1
    if calls[0] == k:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
os.replace = replace
from recsys_kg.cli.main import main
sys.argv = ["recsys-kg", *sys.argv[2:]]
main()
"""
BUILD_FILES = ("ontology.ttl", "recsys-kg.nq", "recsys-kg.trig", "report.json", "report.txt")


def digest(directory: Path, names: tuple[str, ...] | None = None) -> dict[str, str]:
    files = [directory / n for n in names] if names else sorted(p for p in directory.iterdir() if p.is_file())
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "missing" for p in files}


def killed_at(k: int, *args: str) -> int:
    return subprocess.run([sys.executable, "-c", KILLER, str(k), *args], capture_output=True, timeout=300).returncode


@pytest.fixture(scope="module")
def other_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed lists less one paper: a build whose outputs differ from the seed build's in every file."""
    directory = tmp_path_factory.mktemp("other") / "sources"
    shutil.copytree(paths.sources_dir(), directory)
    short = directory / "next-gen-llm-recsys-survey.short.md"
    lines = short.read_text(encoding="utf-8").split("\n")
    item = next(n for n, line in enumerate(lines) if line.startswith("1. ["))
    short.write_text("\n".join(lines[:item] + lines[item + 1 :]), encoding="utf-8")
    record_checksums(directory)  # a deliberately edited list: its manifest checksum follows the edit
    return directory


def test_a_build_killed_at_every_rename_leaves_old_or_new_outputs(
    tmp_path: Path, seed_build_dir: Path, other_sources: Path
):
    from recsys_kg.rdf.dataset import read_built

    old = digest(seed_build_dir, BUILD_FILES)
    new_dir = tmp_path / "new"
    assert killed_at(0, "build", "--sources", str(other_sources), "--out", str(new_dir), "--quiet") == 0
    new = digest(new_dir, BUILD_FILES)
    assert all(
        old[n] != new[n] for n in BUILD_FILES if n != "ontology.ttl"
    )  # the ontology does not depend on the lists
    k = 0
    while True:
        k += 1
        out = tmp_path / f"k{k}"
        shutil.copytree(seed_build_dir, out)
        code = killed_at(k, "build", "--sources", str(other_sources), "--out", str(out), "--quiet")
        read_built(out / "recsys-kg.nq")  # what query and validate do first: finish a committed set
        assert digest(out, BUILD_FILES) in (old, new), f"killed at rename {k}: a mix of two builds"
        assert not (out / ".staging").exists() or not (out / ".staging" / "COMMIT").exists()
        if code == 0:
            break
        assert code == -9
    assert k >= 6  # the commit list and five files were each a kill point


def test_an_export_directory_killed_at_every_rename_is_never_lost(
    tmp_path: Path, seed_build_dir: Path, other_sources: Path
):
    from recsys_kg.outputs import recover_directory
    from recsys_kg.publish.export import MARKER

    other_build = tmp_path / "other-build"
    assert killed_at(0, "build", "--sources", str(other_sources), "--out", str(other_build), "--quiet") == 0
    reference = tmp_path / "reference"
    assert (
        killed_at(
            0,
            "export",
            "--format",
            "ttl",
            "--dataset",
            str(seed_build_dir / "recsys-kg.nq"),
            "--out",
            str(reference / "old"),
        )
        == 0
    )
    assert (
        killed_at(
            0,
            "export",
            "--format",
            "ttl",
            "--dataset",
            str(other_build / "recsys-kg.nq"),
            "--out",
            str(reference / "new"),
        )
        == 0
    )
    old, new = digest(reference / "old"), digest(reference / "new")
    assert old != new
    k = 0
    while True:
        k += 1
        parent = tmp_path / f"k{k}"
        shutil.copytree(reference / "old", parent / "export")
        code = killed_at(
            k,
            "export",
            "--format",
            "ttl",
            "--dataset",
            str(other_build / "recsys-kg.nq"),
            "--out",
            str(parent / "export"),
        )
        recover_directory(parent / "export", lambda d: (d / MARKER).exists())  # what the next export does first
        assert digest(parent / "export") in (old, new), f"killed at rename {k}"
        assert [p.name for p in parent.iterdir()] == ["export"], "orphans left beside the export"
        if code == 0:
            break
        assert code == -9
    assert k >= 3


def test_a_failed_rename_in_process_puts_the_previous_export_back(
    tmp_path: Path, seed_build_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    import os

    from recsys_kg.publish import export as export_module
    from recsys_kg.publish.portable import ExportError

    target = tmp_path / "export"
    export_module.export(seed_build_dir / "recsys-kg.nq", "nt", target)
    before = digest(target)
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the new directory into place, after the old one was set aside
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(ExportError):
        export_module.export(seed_build_dir / "recsys-kg.nq", "nt", target)
    monkeypatch.undo()
    assert digest(target) == before and [p.name for p in tmp_path.iterdir()] == ["export"]


def test_orphans_of_killed_validate_runs_are_removed(tmp_path: Path, seed_build_dir: Path):
    """A killed `validate` left `recsys-kg.nq.building-<pid>/`; the next run (holding the cache lock) removes it."""
    from recsys_kg.validate.context_cache import CACHE_DIR
    from recsys_kg.validate.contributions import opened_context

    graph = tmp_path / "recsys-kg.nq"
    shutil.copy(seed_build_dir / "recsys-kg.nq", graph)
    orphan = tmp_path / CACHE_DIR / f"{graph.name}.building-999999999"
    (orphan / "store").mkdir(parents=True)
    (orphan / "store" / "junk").write_bytes(b"x" * 1000)
    with opened_context(graph):
        pass
    assert not orphan.exists()


def test_orphans_of_killed_serve_runs_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import tempfile

    from recsys_kg.publish import serve

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = tmp_path / f"{serve.TEMP_PREFIX}999999999-abc"
    alive = tmp_path / f"{serve.TEMP_PREFIX}1-abc"  # pid 1 is always running
    for directory in (dead, alive):
        directory.mkdir()
        (directory / "recsys-kg.nq").write_bytes(b"x")
    serve._remove_dead_copies()
    assert not dead.exists() and alive.exists()
