"""Benchmark of the build's reasoning on the seed graph (pytest-benchmark; in the normal suite it runs once).

Measured: `recsys_kg.reason.infer.infer` on the seed graph's asserted quads (load into a working Oxigraph store,
the rules to a fixpoint, the consistency checks, the filtered and sorted inferred graph). The reference owlrl
takes 35-48 s on the same input, too long for the suite; tests/test_reason_owlrl.py compares their answers.

    .venv/bin/python -m pytest benchmarks/bench_reason.py --benchmark-enable --benchmark-min-rounds=10
"""

from __future__ import annotations

from bench_query import seed_dataset
from recsys_kg.rdf.graphs import INFERRED as INFERRED_GRAPH
from recsys_kg.reason.infer import infer


def test_reason_seed_graph(benchmark):
    quads = [q for q in seed_dataset()[1] if q.graph_name != INFERRED_GRAPH]
    inferred = benchmark(infer, quads)
    assert len(inferred) > 4000
