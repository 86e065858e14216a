"""A set of quads with the few helpers the mapping needs, and deterministic (sorted) output.

The build collects quads here instead of in an rdflib Dataset: a set of pyoxigraph quads is cheap, merging is
a set union, and sorting by their N-Quads text gives byte-identical files for identical inputs.

Quads are kept in one set per graph and predicate, because reading a term off a pyoxigraph quad builds a new Python object each
time: sorting millions of quads by (graph, subject, predicate, object) read that way took longer than building
them. Within one graph, the order of the quads' N-Quads lines (``S P O G .``) is the order of (S, P, O): terms are
separated by a space, and where one term is a proper prefix of another (``"x"`` / ``"x"@en``, ``_:b1`` / ``_:b10``)
the longer one continues with a character above the space.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox


class QuadSet:
    """Quads by graph, then by predicate (the report and the metadata ask for one predicate's quads)."""

    def __init__(self) -> None:
        self._graphs: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, dict[ox.NamedNode, set[ox.Quad]]] = {}

    def _set(self, g, p) -> set[ox.Quad]:
        predicates = self._graphs.get(g)
        if predicates is None:
            predicates = self._graphs[g] = {}
        quads = predicates.get(p)
        if quads is None:
            quads = predicates[p] = set()
        return quads

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal, g: ox.NamedNode) -> None:
        self._set(g, p).add(ox.Quad(s, p, o, g))

    def update(self, quads: Iterable[ox.Quad]) -> None:
        for quad in quads:
            self._set(quad.graph_name, quad.predicate).add(quad)

    def __len__(self) -> int:
        return sum(len(quads) for predicates in self._graphs.values() for quads in predicates.values())

    def __iter__(self) -> Iterator[ox.Quad]:
        for predicates in self._graphs.values():
            for quads in predicates.values():
                yield from quads

    def with_predicate(self, predicate: ox.NamedNode) -> Iterator[tuple[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, set[ox.Quad]]]:
        """(graph, its quads with this predicate) for every graph that has some."""
        for graph, predicates in self._graphs.items():
            if predicates.get(predicate):
                yield graph, predicates[predicate]

    def sorted(self) -> list[ox.Quad]:
        """Quads in a stable order: by graph, then subject, predicate, object (N-Quads text)."""
        ordered: list[ox.Quad] = []
        for graph in sorted(self._graphs, key=str):
            ordered += sorted((q for quads in self._graphs[graph].values() for q in quads), key=str)
        return ordered

    def count_by_graph(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for graph, predicates in self._graphs.items():
            size = sum(map(len, predicates.values()))
            if size:
                key = str(graph.value) if isinstance(graph, ox.NamedNode) else ""
                counts[key] = counts.get(key, 0) + size
        return dict(sorted(counts.items()))
