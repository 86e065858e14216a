"""Benchmarks of the Python API and the paper search on the seed graph (pytest-benchmark; in the normal suite each
runs once).

Measured: `KG.query` (name look-up, parameter binding, the query, the rows as plain Python values) against the
same standalone text run directly on pyoxigraph, warm, for every canned query; `KG.search` for the kinds of text
people type (an identifier, title words, a misspelt method name, a sentence that matches nothing exactly). Targets
(issue 15): `KG.query` p50 within 1.5x of pyoxigraph alone, search p50 at most 20 ms on the seed graph (and 200 ms
at 100x: the ``search`` stage of benchmarks/run.py). Run with timings:

    .venv/bin/python -m pytest benchmarks/bench_api.py --benchmark-enable --benchmark-min-rounds=20
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import recsys_kg
from bench_query import seed_dataset
from recsys_kg.api import KG
from recsys_kg.query.canned import catalogue, standalone_text

SPECS = catalogue()
SEARCHES = [
    "arXiv:2305.19860v2",
    "https://doi.org/10.1145/3604915.3608857",
    "two stage recommendation",
    "TALRec",
    "large language model agents for conversational recommendation",
]


@pytest.fixture(scope="module")
def kg() -> KG:
    kg = recsys_kg.open(seed_dataset()[0])
    kg.search("warm up")  # the index is read once per KG; what is measured is a search, not the index
    return kg


@pytest.mark.parametrize("name", sorted(SPECS))
def test_kg_query(benchmark, kg, name):
    result = benchmark(kg.query, name)
    assert result.columns == SPECS[name].columns


@pytest.mark.parametrize("name", sorted(SPECS))
def test_kg_query_same_text_on_pyoxigraph(benchmark, kg, name):
    text = standalone_text(SPECS[name])
    rows = benchmark(lambda: [tuple(s) for s in kg.store.query(text)])
    assert len(rows) == len(kg.query(name).rows)


@pytest.mark.parametrize("text", SEARCHES)
def test_search(benchmark, kg, text):
    hits = benchmark(kg.search, text, 10)
    assert hits and hits[0].score > 0


def test_search_index(benchmark):
    """Reading the names from the graph: paid once per KG, on the first search by name."""
    from recsys_kg.query.search import PaperIndex

    store = ox.Store()
    store.bulk_load(path=str(seed_dataset()[0]), format=ox.RdfFormat.N_QUADS)
    names = benchmark(lambda: PaperIndex(store).names)
    assert len(names) > 500  # distinct normalized titles and method names
