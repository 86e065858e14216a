"""Benchmarks of the canned queries on the seed graph (pytest-benchmark; in the normal suite each runs once).

Measured: every canned query through `recsys_kg.query.canned.run` (parameter binding, the query, the rows as terms)
against the same standalone text run directly on pyoxigraph (the overhead of the API), and `recsys-kg query`
from a cold process (interpreter start, imports, loading the N-Quads, the query, printing). Targets: p50 at most
20 ms, run() within 1.5x of pyoxigraph alone, the cold command under 1 s. Run with timings:

    .venv/bin/python -m pytest benchmarks/bench_query.py --benchmark-enable --benchmark-min-rounds=20
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest

from recsys_kg.query.canned import catalogue, run, standalone_text
from recsys_kg.rdf.dataset import open_store

SPECS = catalogue()


@lru_cache(maxsize=1)
def seed_dataset() -> tuple[Path, tuple[ox.Quad, ...]]:
    """The seed build written once per process (bench_reason.py reuses it): the N-Quads file and its quads."""
    import tempfile

    from recsys_kg.build.pipeline import build_dataset, write_outputs

    build = build_dataset()
    out = Path(tempfile.mkdtemp(prefix="bench-query-"))
    write_outputs(build, out)
    return out / "recsys-kg.nq", tuple(build.quads)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return open_store(seed_dataset()[0])


@pytest.mark.parametrize("name", sorted(SPECS))
def test_canned_query(benchmark, store, name):
    result = benchmark(run, store, SPECS[name])
    assert result.columns == SPECS[name].columns


@pytest.mark.parametrize("name", sorted(SPECS))
def test_same_text_on_pyoxigraph(benchmark, store, name):
    text = standalone_text(SPECS[name])
    rows = benchmark(lambda: list(store.query(text)))
    assert len(rows) == len(run(store, SPECS[name]).rows)


def test_query_command_cold(benchmark):
    command = [
        str(Path(sys.executable).with_name("recsys-kg")),
        "query",
        "frozen-llm-industrial-by-company",
        "--data",
        str(seed_dataset()[0]),
        "--format",
        "csv",
    ]
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = benchmark(lambda: subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("company,company_label,paper,title")
