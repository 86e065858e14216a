"""The canonical-ontology cache: a hit gives exactly the computed triples, and a bad cache is ignored and rebuilt."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from recsys_kg.rdf import ontology as O

compute = O.ontology_triples.__wrapped__  # without the per-process lru_cache: reads or writes the cache file


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RECSYS_KG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def fresh():
    return O._canonical_triples(O.paths.ontology_dir())


def only_file(cache):
    [path] = cache.glob("ontology-*.nt")
    return path


def test_a_hit_gives_the_computed_triples_labels_included(cache, fresh):
    assert compute() == fresh  # miss: computed and written
    path = only_file(cache)
    assert path.read_bytes().startswith(b"# sha256 ")
    assert compute() == fresh  # hit: blank node labels come back as they were written
    assert any(isinstance(t.subject, ox.BlankNode) for t in fresh)


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # truncated at a line end or inside one
    lambda data: data.replace(b"<http", b"<htp", 1),  # changed, still parseable
    lambda data: b"",
    lambda data: b"\xff\xfe garbage",
])  # fmt: skip
def test_a_damaged_cache_is_ignored_and_rewritten(cache, fresh, damage):
    compute()
    path = only_file(cache)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    assert compute() == fresh
    assert path.read_bytes() == good


def test_the_key_follows_the_module_bytes(cache, fresh, tmp_path):
    compute()
    copy = tmp_path / "ontology"
    shutil.copytree(O.paths.ontology_dir(), copy)
    with (copy / "core.ttl").open("a", encoding="utf-8") as handle:
        handle.write("\n<https://w3id.org/recsys-kg/ontology#Extra> a <http://www.w3.org/2002/07/owl#Class> .\n")
    changed = compute(copy)
    assert len(changed) == len(fresh) + 1 and len(list(cache.glob("ontology-*.nt"))) == 2


def test_an_unwritable_cache_directory_costs_only_time(tmp_path, monkeypatch, fresh):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("RECSYS_KG_CACHE_DIR", str(blocker / "cache"))
    assert compute() == fresh
