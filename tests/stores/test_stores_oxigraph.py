"""Oxigraph (the ``oxigraph`` server from PyPI): every export format loads with ``oxigraph load`` into the same
quads; the server, loaded with `recsys-kg load`, holds every graph the metadata declares and answers every canned
query with the embedded engine's rows (by value)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from recsys_kg.publish.export import portable
from recsys_kg.rdf.dataset import FORMATS, TRIPLE_FORMATS, open_store, read_dataset
from recsys_kg.stores.compare import differences
from recsys_kg.stores.oxigraph import binary
from recsys_kg.stores.process import run
from recsys_kg.stores.sparql_http import select
from stores.canned import LOAD_CHECK, check_load, compare, embedded_answers, query_specs
from stores.harness import quads_by_value, require
from stores.launch import exported, graph_files, oxigraph_loaded

pytestmark = pytest.mark.stores


@pytest.fixture(scope="module")
def dataset(seed_build_dir: Path) -> Path:
    return seed_build_dir / "recsys-kg.nq"


@pytest.fixture(scope="module")
def server(dataset, tmp_path_factory):
    started = require(lambda: oxigraph_loaded(tmp_path_factory.mktemp("oxigraph"), dataset))
    yield started
    started.stop()


@pytest.fixture(scope="module")
def embedded(dataset):
    return embedded_answers(dataset)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_bulk_loader_loads_the_same_quads(fmt, dataset, tmp_path, tmp_path_factory):
    oxigraph = require(binary)
    path, db = exported(tmp_path_factory, dataset, fmt), tmp_path / "db"
    if fmt in TRIPLE_FORMATS:
        for file, graph in graph_files(path):
            run([oxigraph, "load", "--location", str(db), "--graph", graph.value, "--file", str(file)])
    else:
        run([oxigraph, "load", "--location", str(db), "--file", str(path)])
    run([oxigraph, "dump", "--location", str(db), "--file", str(tmp_path / "dump.nq")])
    dumped = ox.parse(path=str(tmp_path / "dump.nq"), format=ox.RdfFormat.N_QUADS)
    assert quads_by_value(dumped) == quads_by_value(portable(read_dataset(dataset)))


def test_every_graph_holds_what_the_metadata_declares(server, dataset):
    check_load("the Oxigraph server", select(server.query_url, LOAD_CHECK), dataset)


def test_load_check_query_agrees_with_the_embedded_engine(server, dataset):
    embedded_rows = [tuple(solution) for solution in open_store(dataset).query(LOAD_CHECK)]
    assert not differences(embedded_rows, select(server.query_url, LOAD_CHECK)[1])


@pytest.mark.parametrize("spec", query_specs())
def test_canned_query_gives_the_embedded_rows(spec, embedded, server):
    compare(spec, embedded[spec.name], "the Oxigraph server", lambda text: select(server.query_url, text))
