"""The SHACL shapes of shapes/, read once per scope, and the choice of engine that runs them.

A shape carries ``rkgsh:scope``: it applies to the whole built graph (``GraphScope``), to a contribution checked
against it (``ContributionScope``), or to both when it has none. Finding no shapes is an error, never a pass: a
validator with nothing to check would say "conforms" to anything.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from recsys_kg import paths
from recsys_kg.rdf.namespaces import SH, SH_RKG
from recsys_kg.shacl import compiler, pyshacl_engine
from recsys_kg.shacl.model import ShapesModel, read_shapes, shapes_graph_of
from recsys_kg.shacl.report import Result
from recsys_kg.shacl.written import WrittenLiterals

GRAPH_SCOPE, CONTRIBUTION_SCOPE = SH_RKG.GraphScope, SH_RKG.ContributionScope
ENGINES = ("sparql", "pyshacl")


class NoShapesError(Exception):
    """There is nothing to validate against: no shapes directory, no .ttl in it, or files with no shape."""


def shapes_graph(scope: URIRef = GRAPH_SCOPE, directory: Path | None = None) -> Graph:
    """Every shapes file, with the shapes of the other scope deactivated (cached: treat as read-only)."""
    return _shapes_graph(scope, directory or paths.shapes_dir())


@lru_cache(maxsize=4)
def _shapes_graph(scope: URIRef, directory: Path) -> Graph:
    files = sorted(directory.glob("*.ttl")) if directory.is_dir() else []
    if not files:
        raise NoShapesError(
            f"{directory}: no SHACL shapes (*.ttl) found; refusing to validate against nothing "
            "(pass --shapes DIR or --home CHECKOUT)"
        )
    # Parsed by Oxigraph (rdflib's Turtle parser takes 0.25 s), literals kept as written (model.shapes_graph_of).
    graph = shapes_graph_of(quad for path in files for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    if (
        not any(graph.subjects(SH.property, None))
        and not any(graph.subjects(SH.path, None))
        and not any(graph.subjects(SH.targetClass, None))
    ):
        raise NoShapesError(f"{directory}: the shapes files hold no shape; refusing to validate against nothing")
    for shape, shape_scope in list(graph.subject_objects(SH_RKG.scope)):
        if shape_scope != scope:
            graph.add((shape, SH.deactivated, Literal(True)))
    return graph


def shapes_model(scope: URIRef = GRAPH_SCOPE, directory: Path | None = None) -> ShapesModel:
    """The compiled-engine model of the shapes (cached per scope and directory)."""
    return _shapes_model(scope, directory or paths.shapes_dir())


@lru_cache(maxsize=4)
def _shapes_model(scope: URIRef, directory: Path) -> ShapesModel:
    return read_shapes(shapes_graph(scope, directory))


def run_shapes(
    store: ox.Store,
    scope: URIRef,
    focus: list[ox.NamedNode] | None,
    engine: str,
    written: WrittenLiterals | None = None,
) -> list[Result]:
    """``written``: the literals of the data the store rewrote, as written (none when the store's terms are the
    data's: the build validates its own store)."""
    if engine == "pyshacl":
        return pyshacl_engine.pyshacl_results(store, shapes_graph(scope), focus)
    if engine != "sparql":
        raise ValueError(f"unknown validation engine {engine!r}; one of {', '.join(ENGINES)}")
    return compiler.run(store, shapes_model(scope), focus, written)


def value_shapes(shapes: Graph) -> set:
    """Shapes whose focus nodes are the values of a property (sh:targetObjectsOf), with their property shapes."""
    found = set(shapes.subjects(SH.targetObjectsOf, None))
    return found | {p for shape in found for p in shapes.objects(shape, SH.property)}
