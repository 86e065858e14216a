"""Virtuoso 7.2.5 (Debian, a private instance on 127.0.0.1): loaded with `recsys-kg load` (N-Triples per graph,
digest authentication) it holds every graph the metadata declares and answers every canned query with the
embedded engine's rows (by value). The Virtuoso bugs the queries are written around are pinned here
(stores/virtuoso_bugs.py, docs/stores.md §6). Its bulk loader and Turtle over the Graph Store load the same quads
as the export; its refusals (credentials, a quad format it ignores, a read-only endpoint) end `recsys-kg load`
with a clear error.

One instance serves the module. Tests that reload the store through another route clear it first and mark it
unloaded; the ``loaded`` fixture loads it again through `recsys-kg load` when a test needs that state.
"""

from __future__ import annotations

import urllib.error
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from recsys_kg.cli.main import main
from recsys_kg.publish.export import portable
from recsys_kg.rdf.dataset import TRIPLE_FORMATS, open_store, read_dataset
from recsys_kg.stores.compare import differences
from recsys_kg.stores.process import StoreFailed
from recsys_kg.stores.sparql_http import EndpointError, select
from recsys_kg.stores.virtuoso import Virtuoso
from stores.canned import LOAD_CHECK, check_load, compare, embedded_answers, query_specs
from stores.harness import graph_from_gsp, quads_by_value, require
from stores.launch import exported, virtuoso_load
from stores.virtuoso_bugs import BUGS

pytestmark = pytest.mark.stores
PROBE_GRAPH = "https://w3id.org/recsys-kg/graph/load-probe"


@pytest.fixture(scope="module")
def dataset(seed_build_dir: Path) -> Path:
    return seed_build_dir / "recsys-kg.nq"


@pytest.fixture(scope="module")
def exports(dataset, tmp_path_factory) -> dict[str, Path]:
    return {fmt: exported(tmp_path_factory, dataset, fmt) for fmt in ("nq", "trig", "nt", "ttl", "jsonld")}


@pytest.fixture(scope="module")
def graphs(dataset) -> list[str]:
    return sorted({q.graph_name.value for q in read_dataset(dataset)})


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, exports):
    allowed = tuple({p if p.is_dir() else p.parent for p in exports.values()})
    store = require(lambda: Virtuoso(tmp_path_factory.mktemp("virtuoso") / "db", allowed=allowed).start())
    store.state = {"loaded": False}
    yield store
    store.stop()


@pytest.fixture
def loaded(virtuoso, dataset):
    """The store as `recsys-kg load` (N-Triples per graph, digest) leaves it; returns a query function."""
    if not virtuoso.state["loaded"]:
        virtuoso_load(virtuoso, dataset)
        virtuoso.state["loaded"] = True
    return lambda text: select(virtuoso.query_url, text)


def cleared(virtuoso: Virtuoso, graphs: list[str]) -> Virtuoso:
    virtuoso.clear(graphs)
    virtuoso.state["loaded"] = False
    return virtuoso


@pytest.fixture(scope="module")
def embedded(dataset):
    return embedded_answers(dataset)


@pytest.fixture(scope="module")
def expected(dataset):
    return quads_by_value(portable(read_dataset(dataset)))


def test_every_graph_holds_what_the_metadata_declares(loaded, dataset):
    check_load("Virtuoso", loaded(LOAD_CHECK), dataset)


@pytest.mark.parametrize("spec", query_specs())
def test_canned_query_gives_the_embedded_rows(spec, embedded, loaded):
    compare(spec, embedded[spec.name], "Virtuoso", loaded)


@pytest.mark.parametrize("bug", list(BUGS.values()), ids=list(BUGS))
def test_known_bug_is_still_there_and_the_rewrite_avoids_it(bug, dataset, loaded):
    store = open_store(dataset)

    def embedded_rows(text: str) -> list[tuple]:
        return [tuple(solution) for solution in store.query(text)]

    if bug.error:
        with pytest.raises(EndpointError, match=bug.error):
            loaded(bug.probe)
    else:
        assert differences(embedded_rows(bug.probe), loaded(bug.probe)[1]), (
            f"Virtuoso no longer shows {bug.id}: remove it from tests/stores/virtuoso_bugs.py and docs/stores.md"
        )
    assert not differences(embedded_rows(bug.portable), loaded(bug.portable)[1])


def content(virtuoso: Virtuoso, graphs: list[str]) -> list[ox.Quad]:
    return [q for graph in graphs for q in graph_from_gsp(virtuoso.gsp_read_url, graph)]


@pytest.mark.parametrize("fmt", ["nq", "trig", "nt", "ttl"])
def test_bulk_loader_loads_the_same_quads(fmt, virtuoso, exports, expected, graphs):
    """``ld_dir``: quad files keep their graphs; per-graph files get theirs from ``<file>.graph``."""
    path = exports[fmt]
    if fmt in TRIPLE_FORMATS:
        cleared(virtuoso, graphs).bulk_load(path, f"*.{fmt}", "urn:x-recsys-kg:no-graph-file")
    else:
        cleared(virtuoso, graphs).bulk_load(path.parent, path.name, "urn:x-recsys-kg:default-graph")
    assert quads_by_value(content(virtuoso, graphs)) == expected


def test_bulk_loader_cannot_read_json_ld(virtuoso, exports, graphs):
    """Known limitation (docs/stores.md §6): Virtuoso parses .jsonld as Turtle and fails; load N-Quads instead."""
    with pytest.raises(StoreFailed, match="bulk load reported errors"):
        cleared(virtuoso, graphs).bulk_load(exports["jsonld"].parent, exports["jsonld"].name, "urn:x-recsys-kg:d")


def test_graph_store_loads_turtle_with_the_same_quads(virtuoso, dataset, expected, graphs):
    """Turtle per graph here; N-Triples per graph is what the ``loaded`` fixture does."""
    result = CliRunner().invoke(
        main,
        [
            "load",
            "--endpoint",
            cleared(virtuoso, graphs).gsp_url,
            "--format",
            "ttl",
            "--dataset",
            str(dataset),
            "--user",
            "dba",
            "--password",
            "dba",
            "--auth",
            "digest",
        ],
    )
    assert result.exit_code == 0, result.output
    assert quads_by_value(content(virtuoso, graphs)) == expected


@pytest.fixture
def probe_dataset(tmp_path) -> Path:
    """A one-triple dataset in a graph of its own, so a refused load can be checked for leftovers."""
    quad = ox.Quad(
        ox.NamedNode("https://w3id.org/recsys-kg/id/x"),
        ox.NamedNode("https://example.org/p"),
        ox.Literal("x"),
        ox.NamedNode(PROBE_GRAPH),
    )
    path = tmp_path / "probe.nq"
    path.write_bytes(ox.serialize([quad], format=ox.RdfFormat.N_QUADS))
    return path


def probe_graph_exists(virtuoso: Virtuoso) -> bool:
    try:
        graph_from_gsp(virtuoso.gsp_read_url, PROBE_GRAPH)
    except urllib.error.HTTPError as exc:
        assert exc.code == 404
        return False
    return True


def load_probe(endpoint: str, probe: Path, *args: str):
    return CliRunner().invoke(main, ["load", "--endpoint", endpoint, "--dataset", str(probe), *args])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--user", "dba", "--password", "wrong", "--auth", "digest"],
            "refused the credentials (HTTP 401; check --user",
        ),
        (["--user", "dba", "--password", "dba"], "some stores (Virtuoso) only take digest"),
        ([], "it asks for digest: pass --user and --password with --auth digest"),
    ],
)
def test_refused_credentials_load_nothing(virtuoso, probe_dataset, args, message):
    result = load_probe(virtuoso.gsp_url, probe_dataset, *args)
    assert result.exit_code == 2
    assert message in result.output and "Nothing was loaded." in result.output
    assert not probe_graph_exists(virtuoso)


def test_a_quad_format_it_ignores_is_caught(virtuoso, probe_dataset):
    """Virtuoso answers a whole-dataset N-Quads POST with 200 and its HTML query form, and loads nothing."""
    result = load_probe(
        virtuoso.gsp_url,
        probe_dataset,
        "--format",
        "nq",
        "--append",
        "--user",
        "dba",
        "--password",
        "dba",
        "--auth",
        "digest",
    )
    assert result.exit_code == 2
    assert "acknowledged the data, but reading it back shows: load-probe is missing" in result.output
    assert "try --format nt" in result.output
    assert not probe_graph_exists(virtuoso)


def test_the_read_only_endpoint_refuses_and_nothing_is_loaded(virtuoso, probe_dataset):
    result = load_probe(virtuoso.gsp_read_url, probe_dataset)
    assert result.exit_code == 2
    assert "the store refused load-probe (HTTP 403" in result.output and "may read but not write" in result.output
    assert "Nothing was loaded." in result.output
    assert not probe_graph_exists(virtuoso)
