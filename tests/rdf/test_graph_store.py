"""The persistent store of a built graph (rdf/graph_store.py, opened by rdf/dataset.open_store): written by the
build, made by the first reader otherwise, opened read-only, and never answering from a store that does not match
the graph file — with concurrent readers, a reader during a rebuild, a killed build or reader, a full disk, and a
deleted, damaged or stale store. Readers run as real processes (`recsys-kg query`) where processes matter."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from recsys_kg.build.pipeline import build_dataset, write_outputs
from recsys_kg.rdf import graph_store as G
from recsys_kg.rdf.dataset import memory_store, open_store

COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
EXTRA = (
    b'<https://w3id.org/recsys-kg/id/paper/x> <http://purl.org/dc/terms/title> "X" '
    b"<https://w3id.org/recsys-kg/graph/source/extra> .\n"
)
CLI = [sys.executable, "-m", "recsys_kg.cli.main"]


def counts(store: ox.Store) -> list[tuple[str, int]]:
    return [(row["g"].value, int(row["n"].value)) for row in store.query(COUNT)]


def same_content(store: ox.Store, graph: Path) -> bool:
    """Every quad of the graph file in the store and nothing else (both keep literals by value; loading a file
    into a store gives its blank nodes new labels, so quads with blank nodes are only counted)."""
    expected = memory_store(graph)
    named = [q for q in expected if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)]
    return len(store) == len(expected) and len(named) > len(expected) // 2 and all(quad in store for quad in named)


def generations(graph: Path) -> list[str]:
    root = G.store_root(graph)
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query_cli(graph: Path, name: str = "companies", **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, "query", name, "--data", str(graph), "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


@pytest.fixture()
def graph(seed_build_dir: Path, tmp_path: Path) -> Path:
    """A copy of the seed build's N-Quads file, with no store yet."""
    copy = tmp_path / "recsys-kg.nq"
    shutil.copyfile(seed_build_dir / "recsys-kg.nq", copy)
    return copy


def test_the_build_publishes_a_store_stamped_with_the_graph_files_checksum(seed_build_dir: Path):
    nquads = seed_build_dir / "recsys-kg.nq"
    assert generations(nquads) == [sha256(nquads)]
    stamp = json.loads((G.store_root(nquads) / sha256(nquads) / G.STAMP).read_text(encoding="utf-8"))
    assert stamp["sha256"] == sha256(nquads) and stamp["identity"] == G.identity(nquads.stat())
    store = open_store(nquads)
    assert same_content(store, nquads)
    assert not [p for p in G.store_root(nquads).iterdir() if p.name.startswith("building-")]


def test_the_store_is_opened_read_only(seed_build_dir: Path):
    store = open_store(seed_build_dir / "recsys-kg.nq")
    with pytest.raises(RuntimeError, match="read-write"):
        store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o")))


def test_the_first_reader_makes_the_store_and_later_readers_open_it(graph: Path):
    assert generations(graph) == []
    first = query_cli(graph)
    assert first.returncode == 0, first.stderr
    assert generations(graph) == [sha256(graph)]
    store_files = {p: p.stat().st_ino for p in (G.store_root(graph) / sha256(graph) / "store").iterdir()}
    second = query_cli(graph)
    assert second.stdout == first.stdout and second.returncode == 0
    assert {p: p.stat().st_ino for p in (G.store_root(graph) / sha256(graph) / "store").iterdir()} == store_files
    assert first.stdout.count("\n") > 5  # rows, not only a header


def test_a_changed_graph_file_is_never_answered_from_the_old_store(graph: Path):
    before = counts(open_store(graph))
    with graph.open("ab") as out:
        out.write(EXTRA)
    store = open_store(graph)
    assert ("https://w3id.org/recsys-kg/graph/source/extra", 1) in counts(store) and counts(store) != before
    assert same_content(store, graph) and sha256(graph) in generations(graph)


def test_a_copied_or_touched_file_with_the_same_content_reuses_the_store_by_its_checksum(graph: Path):
    open_store(graph)
    digest = sha256(graph)
    inode = (G.store_root(graph) / digest / "store" / "CURRENT").stat().st_ino
    os.utime(graph, ns=(1_000_000_000, 1_000_000_000))  # another identity, the same bytes
    assert same_content(open_store(graph), graph)
    assert (G.store_root(graph) / digest / "store" / "CURRENT").stat().st_ino == inode
    stamp = json.loads((G.store_root(graph) / digest / G.STAMP).read_text(encoding="utf-8"))
    assert stamp["identity"] == G.identity(graph.stat())  # recorded, so the next reader need not hash again


def test_a_deleted_store_is_made_again(graph: Path):
    expected = query_cli(graph).stdout
    shutil.rmtree(graph.parent / G.STORE_DIR)
    again = query_cli(graph)
    assert again.returncode == 0 and again.stdout == expected and generations(graph) == [sha256(graph)]


def test_a_damaged_store_is_made_again(graph: Path):
    expected = query_cli(graph).stdout
    store_dir = G.store_root(graph) / sha256(graph) / "store"
    for sst in store_dir.glob("*.sst"):
        sst.unlink()
    (store_dir / "CURRENT").unlink()
    again = query_cli(graph)
    assert again.returncode == 0, again.stderr
    assert again.stdout == expected


def test_concurrent_first_readers_make_one_store_and_agree(graph: Path):
    expected = query_cli(graph).stdout
    shutil.rmtree(graph.parent / G.STORE_DIR)
    readers = [
        subprocess.Popen(
            [*CLI, "query", "companies", "--data", str(graph), "--format", "csv"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [reader.communicate(timeout=120) for reader in readers]
    assert [reader.returncode for reader in readers] == [0] * 4, [err for _, err in outputs]
    assert all(out == expected for out, _ in outputs)
    assert generations(graph) == [sha256(graph)]
    assert not [p for p in G.store_root(graph).iterdir() if p.name.startswith("building-")]


HOLD = """
import sys, time
from pathlib import Path
from recsys_kg.rdf.dataset import open_store
store = open_store(Path(sys.argv[1]))
print(len(store), flush=True)
sys.stdin.readline()  # the test replaces the graph meanwhile
print(len(store), sum(1 for _ in store.quads_for_pattern(None, None, None, None)), flush=True)
"""


def test_a_reader_during_a_rebuild_keeps_answering_from_the_graph_it_opened(graph: Path):
    """The graph is replaced while a reader has its store open: the reader goes on answering from the old store
    (which is not removed under it), a new reader gets the new graph's, and the old one is removed once no
    process holds it."""
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(graph)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    old_size = int(reader.stdout.readline())
    old_digest = sha256(graph)
    replacement = graph.with_name("new.nq")
    replacement.write_bytes(graph.read_bytes() + EXTRA)
    os.replace(replacement, graph)  # as a build commits its outputs
    new = subprocess.run(
        [
            *CLI,
            "sparql",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            "--data",
            str(graph),
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert new.returncode == 0, new.stderr
    assert int(new.stdout.split()[-1]) == old_size + 1
    assert generations(graph) == sorted([old_digest, sha256(graph)])  # held by the reader: kept
    reader.stdin.write("\n")
    reader.stdin.flush()
    assert reader.stdout.readline().split() == [str(old_size), str(old_size)]
    reader.wait(timeout=60)
    with graph.open("ab") as out:  # the next new store removes every generation no process holds
        out.write(EXTRA.replace(b"id/paper/x", b"id/paper/y"))
    assert query_cli(graph).returncode == 0
    assert generations(graph) == [sha256(graph)]


def test_a_full_disk_answers_from_memory_and_leaves_no_partial_store(graph: Path):
    """The store cannot be written (file size limit: writes fail as on a full disk): the query still answers, from
    the graph loaded into memory, and no partial store is left where a reader would look."""
    expected = query_cli(graph).stdout
    shutil.rmtree(graph.parent / G.STORE_DIR)

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    limited = query_cli(graph, preexec_fn=small_files)
    assert limited.returncode == 0, limited.stderr
    assert limited.stdout == expected
    assert generations(graph) == []


CREATE_AND_HANG = """
import sys, time
from pathlib import Path
import pyoxigraph as ox
from recsys_kg.rdf import graph_store as G

def load(store, handle):
    store.bulk_load(handle, format=ox.RdfFormat.N_QUADS)
    store.flush()
    print("loaded", flush=True)
    time.sleep(120)  # killed here, mid-creation

G.open_graph(Path(sys.argv[1]), load)
"""


def test_a_reader_killed_while_making_the_store_leaves_nothing_a_reader_uses(graph: Path):
    creator = subprocess.Popen([sys.executable, "-c", CREATE_AND_HANG, str(graph)], stdout=subprocess.PIPE, text=True)
    assert creator.stdout.readline().strip() == "loaded"
    creator.send_signal(signal.SIGKILL)
    creator.wait()
    root = G.store_root(graph)
    assert [p.name.startswith("building-") for p in root.iterdir() if p.is_dir()] == [True]
    assert generations(graph) != [sha256(graph)]
    store = open_store(graph)
    assert same_content(store, graph)
    assert generations(graph) == [sha256(graph)]  # the dead process's building directory is removed


def test_a_killed_build_leaves_a_store_that_matches_the_outputs(tmp_path: Path):
    """Kill `recsys-kg build` at several moments (also between committing the outputs and publishing the
    store): whatever outputs are left, the store a reader opens matches the graph file."""
    out = tmp_path / "out"
    write_outputs(build_dataset(), out)
    nquads = out / "recsys-kg.nq"
    with nquads.open("ab") as handle:  # an old graph that differs from the one the build writes
        handle.write(EXTRA)
    command = [*CLI, "build", "--quiet", "--out", str(out)]
    for delay in (0.5, 1.5, 2.5, None):
        if delay is None:  # the worst moment: outputs committed, store not yet published
            killer = (
                "import os, sys; import recsys_kg.build.pipeline as P; P.publish = lambda *a: os._exit(9); "
                "from recsys_kg.cli.main import main; sys.argv = ['recsys-kg'] + sys.argv[1:]; main()"
            )
            process = subprocess.run([sys.executable, "-c", killer, *command[3:]])
            assert process.returncode == 9
        else:
            process = subprocess.Popen(command)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
        from recsys_kg.outputs import recover

        recover(out)
        assert same_content(open_store(nquads), nquads)
        assert sha256(nquads) in generations(nquads)


def test_lists_too_large_for_memory_are_built_on_disk_into_the_persistent_store(
    seed_build_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Above ON_DISK_ABOVE_BYTES the build's store is on disk (a temporary directory) and is moved into place as
    the persistent store instead of loading the N-Quads file again; the outputs are the same bytes."""
    import recsys_kg.build.pipeline as P

    monkeypatch.setattr(P, "ON_DISK_ABOVE_BYTES", 0)
    loaded = []
    monkeypatch.setattr(P, "load_store", lambda *args: loaded.append(args))
    build = build_dataset()
    assert build.quads.path is not None and build.quads.path.is_dir()
    temporary = build.quads.path.parent
    out = tmp_path / "out"
    written = write_outputs(build, out)
    for name, path in written.items():
        assert path.read_bytes() == (seed_build_dir / name).read_bytes(), name
    assert loaded == [] and not temporary.exists()
    nquads = out / "recsys-kg.nq"
    assert generations(nquads) == [sha256(nquads)] and same_content(open_store(nquads), nquads)
    assert len(build.quads) == len(memory_store(nquads))  # still readable, from the published store
