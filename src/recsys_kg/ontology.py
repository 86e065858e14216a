"""The ontology modules: loaded from ontology/*.ttl, merged into one graph for the dataset and the release.

Imports are resolved locally (every module the header imports is a file beside it); nothing is fetched. The
axioms use blank nodes (restrictions, lists); they are relabelled canonically (rdflib.compare) so the merged
ontology and the dataset are byte-identical across builds.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import to_canonical_graph

from .paths import ONTOLOGY_DIR
from .rdflib_terms import to_oxigraph
from .terms import graph

ONTOLOGY_GRAPH = graph("ontology")
MODULES = ("recsys-kg.ttl", "core.ttl", "provenance.ttl", "tuning-strategies.ttl", "alignments.ttl", "inference.ttl")


@lru_cache(maxsize=4)
def ontology_triples(directory: Path = ONTOLOGY_DIR) -> tuple[ox.Triple, ...]:
    """Every triple of every module, blank nodes canonically labelled, sorted."""
    merged = rdflib.Graph()
    for name in MODULES:
        merged.parse(directory / name, format="turtle")
    canonical = to_canonical_graph(merged)
    triples = {ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in canonical}
    return tuple(sorted(triples, key=str))


def ontology_quads(directory: Path = ONTOLOGY_DIR) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in ontology_triples(directory)]


def merged_turtle(directory: Path = ONTOLOGY_DIR) -> bytes:
    """The release file: all modules in one Turtle document."""
    from .namespaces import PREFIXES

    prefixes = {p: str(ns) for p, ns in PREFIXES.items() if p not in ("id", "graph", "rkgsh")}
    return ox.serialize(list(ontology_triples(directory)), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
