"""The reference validation engine: pySHACL on an rdflib graph of the same data the SPARQL engine validates.

It implements all of SHACL, so it checks the SPARQL engine (tests/test_validate_engines.py: equal results on
the seed graph and every shape fixture) and validates shapes that use a feature the SPARQL engine refuses
(``recsys-kg validate --engine pyshacl``). pySHACL sends the same SPARQL text for every focus node and rdflib
parses it again each time (15-20 ms, more than running it), so :class:`DataGraph` prepares each distinct query
once (0.3 ms a run after that).
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.plugins.sparql import prepareQuery

from recsys_kg.rdf.rdflib_terms import to_rdflib
from recsys_kg.shacl.report import Result, results_from_report


class DataGraph(Graph):
    """An rdflib graph whose SPARQL queries are parsed once per distinct text (see the module docstring)."""

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=512)
def _prepared(text: str):
    return prepareQuery(text)


def data_graph(store: ox.Store) -> DataGraph:
    """The union of the store's graphs (what the SPARQL engine validates) as an rdflib graph."""
    graph, cache = DataGraph(), dict[ox.NamedNode | ox.BlankNode | ox.Literal, object]()

    def convert(term):
        converted = cache.get(term)
        if converted is None:
            converted = cache[term] = to_rdflib(term)
        return converted

    add = graph.store.add
    for quad in store.quads_for_pattern(None, None, None):
        add((convert(quad.subject), convert(quad.predicate), convert(quad.object)), graph)
    return graph


def pyshacl_results(store: ox.Store, shapes: Graph, focus: list[ox.NamedNode] | None = None) -> list[Result]:
    import pyshacl

    _conforms, report, _text = pyshacl.validate(
        data_graph(store),
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        inplace=True,
        allow_warnings=True,
        focus_nodes=[URIRef(n.value) for n in focus] if focus is not None else None,
        abort_on_first=False,
    )
    return results_from_report(report, shapes)
