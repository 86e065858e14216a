"""The on-disk context cache of contribution validation (validate/context_cache.py, a checkpoint of the graph's
persistent store): made once, reused while the graph file is unchanged, made again when it changes or is
damaged, cleaned of a contribution a killed run left in it, exclusive between processes, and never a reason for a
different result than validating in memory."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from recsys_kg.rdf.dataset import graph_generation, read_built
from recsys_kg.rdf.graphs import CONTRIBUTION
from recsys_kg.validate import context_cache as C
from recsys_kg.validate import contributions as V
from recsys_kg.validate.graph import data_store

ROOT = Path(__file__).parents[2]
DUPLICATE = ROOT / "tests" / "shapes" / "contributions" / "duplicate-title.ttl"


@pytest.fixture()
def graph(seed_build_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "recsys-kg.nq"
    shutil.copyfile(seed_build_dir / "recsys-kg.nq", copy)
    return copy


def fills(graph: Path) -> tuple[list[int], C.ContextCache]:
    """A ContextCache, and the list its derive step appends to each time it makes the context."""
    calls = []

    def derive(store: ox.Store) -> None:
        calls.append(1)
        V.derive_context(store)

    return calls, C.ContextCache(graph, lambda: graph_generation(graph), derive)


def test_the_cache_is_built_once_and_reused(graph: Path):
    calls, cache = fills(graph)
    store = cache.open()
    size = len(store)
    del store
    cache.close()
    calls2, again = fills(graph)
    assert len(again.open()) == size and calls == [1] and calls2 == []
    again.close()
    stamp = json.loads((graph.parent / C.CACHE_DIR / graph.name / C.STAMP).read_text())
    assert stamp["graph_sha256"] == hashlib.sha256(graph.read_bytes()).hexdigest()


def test_a_changed_graph_file_rebuilds_the_cache(graph: Path):
    _calls, cache = fills(graph)
    cache.open()
    cache.close()
    with graph.open("ab") as out:
        out.write(
            b'<https://w3id.org/recsys-kg/id/paper/x> <http://purl.org/dc/terms/title> "X" '
            b"<https://w3id.org/recsys-kg/graph/source/extra> .\n"
        )
    calls, again = fills(graph)
    store = again.open()
    assert calls == [1] and next(
        store.quads_for_pattern(ox.NamedNode("https://w3id.org/recsys-kg/id/paper/x"), None, None), None
    )
    again.close()


def test_a_damaged_cache_is_rebuilt(graph: Path):
    _calls, cache = fills(graph)
    cache.open()
    cache.close()
    (graph.parent / C.CACHE_DIR / graph.name / C.STAMP).write_text("{not json", encoding="utf-8")
    calls, again = fills(graph)
    assert len(again.open()) > 0 and calls == [1]
    again.close()


def test_a_contribution_left_by_a_killed_run_is_removed(graph: Path):
    _calls, cache = fills(graph)
    store = cache.open()
    store.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.Literal("left"), CONTRIBUTION))
    store.flush()
    del store
    cache.close()
    _calls, again = fills(graph)
    assert next(again.open().quads_for_pattern(None, None, None, CONTRIBUTION), None) is None
    again.close()


def test_a_second_process_waits_for_the_lock_and_gives_up_with_a_clear_error(graph: Path, monkeypatch):
    _calls, holder = fills(graph)
    holder.open()
    monkeypatch.setattr(C, "LOCK_WAIT_SECONDS", 0.3)
    _calls, other = fills(graph)
    with pytest.raises(C.ContextBusyError, match="another `recsys-kg validate`"):
        other.open()
    holder.close()


def test_results_through_the_cache_equal_results_in_memory(graph: Path):
    cached, _ = V.validate_contribution_files([DUPLICATE], graph)
    assert (graph.parent / C.CACHE_DIR / graph.name / "store").is_dir()
    in_memory = V.validate_contributions(cached_contributions(), data_store(V.contribution_context(read_built(graph))))
    assert cached.results == in_memory.results and any(r.rule == "DUP-003" for r in cached.results)


def cached_contributions():
    from recsys_kg.validate.input import read_contribution

    return [read_contribution(DUPLICATE, 1, V._shown(DUPLICATE))]


def test_an_unwritable_cache_directory_falls_back_to_memory(graph: Path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    report, errors = V.validate_contribution_files([DUPLICATE], graph)
    assert not errors and any(r.rule == "DUP-003" for r in report.results)
    assert not (graph.parent / C.CACHE_DIR).exists()


def test_a_store_this_process_still_holds_is_not_rebuilt_under_it(graph: Path):
    """Keeping the store of a finished block is a caller's mistake; the next validation must still be right and
    must not delete the database the kept store reads."""
    with V.opened_context(graph) as kept:
        size = len(kept)
    report, _ = V.validate_contribution_files([DUPLICATE], graph)  # falls back to loading the graph
    assert any(r.rule == "DUP-003" for r in report.results) and len(kept) == size
