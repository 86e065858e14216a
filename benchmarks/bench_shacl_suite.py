"""Benchmark: the W3C SHACL Core suite's 98 tests, the build's engine (shapes compiled to SPARQL on Oxigraph)
against pySHACL, the reference, in the same run (each round validates every test; parsing is cached and not
timed). In the normal suite they run once, as plain tests. With timings:

    .venv/bin/python -m pytest benchmarks/bench_shacl_suite.py --benchmark-enable --benchmark-min-rounds=3
"""

from __future__ import annotations

import logging

import pytest

from shacl.test_w3c_core import pyshacl_engine, sparql_engine
from shacl.w3c_suite import cases, require_suite


@pytest.fixture(scope="module")
def suite():
    found = cases(require_suite())
    for case in found:  # parse every file once: the rounds time validation only
        sparql_engine(case)
    return found


def _all(engine, suite) -> int:
    return sum(len(engine(case)[0]) for case in suite)


def test_w3c_suite_builds_engine(benchmark, suite):
    assert benchmark(_all, sparql_engine, suite) > 100


def test_w3c_suite_pyshacl(benchmark, suite):
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # the suite's ill-typed literals, on purpose
    assert benchmark(_all, pyshacl_engine, suite) > 100
