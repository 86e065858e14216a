"""The project's shapes use only what the build's engine implements: compiling every shape of shapes/ (both
scopes, every nested shape) refuses nothing. A shape added with a feature the engine refuses fails here, not at
the first build that meets it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from recsys_kg.rdf.namespaces import SH
from recsys_kg.shacl.compiler import COMPONENTS, Compiler
from recsys_kg.validate.shapes import CONTRIBUTION_SCOPE, GRAPH_SCOPE, shapes_graph, shapes_model


@pytest.mark.parametrize("scope", [GRAPH_SCOPE, CONTRIBUTION_SCOPE], ids=["graph", "contribution"])
def test_every_shape_compiles(scope):
    queries = list(Compiler(ox.Store(), shapes_model(scope)).queries())  # UnsupportedShape would fail the test
    assert len(queries) > 50


def test_every_constraint_parameter_the_shapes_use_is_in_the_registry():
    graph = shapes_graph(GRAPH_SCOPE)
    structure = {
        "path",
        "property",
        "targetClass",
        "targetNode",
        "targetSubjectsOf",
        "targetObjectsOf",
        "target",
        "severity",
        "message",
        "deactivated",
        "flags",
        "ignoredProperties",
        "declare",
        "prefix",
        "namespace",
        "select",
        "sparql",
        "prefixes",
        "name",
        "description",
        "order",
        "group",
        "qualifiedMinCount",
        "qualifiedMaxCount",
        "qualifiedValueShapesDisjoint",
        "inversePath",
        "alternativePath",
        "zeroOrMorePath",
        "oneOrMorePath",
        "zeroOrOnePath",
    }
    used = {str(p)[len(str(SH)) :] for p in graph.predicates() if str(p).startswith(str(SH))}
    assert used - structure, "the shapes use no constraint: the check is vacuous"
    assert used - structure <= set(COMPONENTS), used - structure - set(COMPONENTS)
