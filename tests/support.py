"""Helpers several test modules share (tests/ is on the path: see pytest's ``pythonpath`` in pyproject.toml)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pyoxigraph as ox
import pytest

from recsys_kg.query.output import compact
from recsys_kg.rdf.namespaces import compact_iri
from recsys_kg.rdf.ontology import ontology_quads
from recsys_kg.reason.infer import infer

QUERY_FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "dataset.trig"
REASONING_PREFIXES = """@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def fixture_quads() -> list[ox.Quad]:
    """The hand-made query fixture (tests/fixtures/queries/README.md) with the ontology and what it entails."""
    quads = list(ox.parse(path=str(QUERY_FIXTURE), format=ox.RdfFormat.TRIG)) + list(ontology_quads())
    return quads + infer(quads)


def reasoning_quads(schema: str, data: str) -> list[ox.Quad]:
    """Axioms in one named graph, data in another: the reasoner reads all graphs together."""
    text = f"{REASONING_PREFIXES}<urn:schema> {{ {schema} }}\n<urn:data> {{ {data} }}"
    return list(ox.parse(text.encode(), format=ox.RdfFormat.TRIG))


def short(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A query cell as tests spell expected values: ``id:org/acme`` (a prefixed name without the escapes tables
    print to make it legal SPARQL), a literal's text."""
    return (compact_iri(term.value) or term.value) if isinstance(term, ox.NamedNode) else compact(term)


def unavailable(message: str) -> NoReturn:
    """Something a test needs from outside the repository (a store, the browser, ../shared/) is missing: on a
    developer's machine the test skips with ``message`` (how to get it); under CI, which installs and lays out
    everything, it fails, so a broken CI set-up is never reported as a pass."""
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{message} (CI is set: this test must run, not skip)")
    pytest.skip(message)
