"""Benchmarks of SHACL validation (pytest-benchmark; in the normal suite they run once, as plain tests).

Measured: validating one new paper against the full seed graph, cold (the first validation against a new
graph: read the built dataset, build the on-disk context cache, load the shapes, validate) and warm (the cache
exists: open it and validate, what every later `recsys-kg validate FILE` does); validating the whole seed graph as `recsys-kg build` does; and the `recsys-kg
validate FILE` command end to end minus the interpreter's own start. Run with timings:

    .venv/bin/python -m pytest benchmarks/bench_validate.py --benchmark-enable --benchmark-min-rounds=5
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recsys_kg.validate.context_cache import CACHE_DIR
from recsys_kg.validate.contributions import validate_contribution_files
from recsys_kg.validate.graph import validate_quads

ROOT = Path(__file__).parents[1]
NEW_PAPER = ROOT / "contributions" / "examples" / "new-paper.ttl"


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    from recsys_kg.build.pipeline import build_dataset, write_outputs

    build = build_dataset()
    out = tmp_path_factory.mktemp("bench-seed")
    write_outputs(build, out)
    return build, out / "recsys-kg.nq"


def _cold(graph: Path):
    shutil.rmtree(graph.parent / CACHE_DIR, ignore_errors=True)  # the first validation against a new graph
    return validate_contribution_files([NEW_PAPER], graph)


def test_validate_one_new_paper_cold(benchmark, seed):
    _build, graph = seed
    report, errors = benchmark(_cold, graph)
    assert not errors and report.conforms and not report.results


def test_validate_one_new_paper_warm(benchmark, seed):
    _build, graph = seed
    validate_contribution_files([NEW_PAPER], graph)  # the context cache exists from now on
    report, errors = benchmark(validate_contribution_files, [NEW_PAPER], graph)
    assert not errors and report.conforms


def test_validate_whole_seed_graph(benchmark, seed):
    build, _graph = seed
    report = benchmark(validate_quads, list(build.quads))
    assert not report.fails() and report.results


def test_validate_command_end_to_end(benchmark, seed):
    """`recsys-kg validate FILE` in a fresh interpreter, minus the start of a bare interpreter."""
    _build, graph = seed
    command = [sys.executable, "-m", "recsys_kg.cli.main", "validate", "--graph", str(graph), str(NEW_PAPER)]

    def run() -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare = time.perf_counter() - started
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return time.perf_counter() - started - bare

    benchmark.extra_info["seconds_without_interpreter_start"] = benchmark.pedantic(run, rounds=1, iterations=1)
