"""A set of quads with the few helpers the mapping needs, and deterministic (sorted) output.

The build collects quads here instead of in an rdflib Dataset: a set of pyoxigraph quads is cheap, merging is
a set union, and sorting by their N-Quads text gives byte-identical files for identical inputs.

Quads are kept in one set per graph, because reading a term off a pyoxigraph quad builds a new Python object each
time: sorting millions of quads by (graph, subject, predicate, object) read that way took longer than building
them. Within one graph, the order of the quads' N-Quads lines (``S P O G .``) is the order of (S, P, O): terms are
separated by a space, and where one term is a proper prefix of another (``"x"`` / ``"x"@en``, ``_:b1`` / ``_:b10``)
the longer one continues with a character above the space.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox


class QuadSet:
    def __init__(self) -> None:
        self._graphs: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, set[ox.Quad]] = {}

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal, g: ox.NamedNode) -> None:
        quads = self._graphs.get(g)
        if quads is None:
            quads = self._graphs[g] = set()
        quads.add(ox.Quad(s, p, o, g))

    def update(self, quads: Iterable[ox.Quad]) -> None:
        for quad in quads:
            graph = quad.graph_name
            target = self._graphs.get(graph)
            if target is None:
                target = self._graphs[graph] = set()
            target.add(quad)

    def __len__(self) -> int:
        return sum(map(len, self._graphs.values()))

    def __iter__(self) -> Iterator[ox.Quad]:
        for quads in self._graphs.values():
            yield from quads

    def sorted(self) -> list[ox.Quad]:
        """Quads in a stable order: by graph, then subject, predicate, object (N-Quads text)."""
        ordered: list[ox.Quad] = []
        for graph in sorted(self._graphs, key=str):
            ordered += sorted(self._graphs[graph], key=str)
        return ordered

    def count_by_graph(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for graph, quads in self._graphs.items():
            if quads:
                key = str(graph.value) if isinstance(graph, ox.NamedNode) else ""
                counts[key] = counts.get(key, 0) + len(quads)
        return dict(sorted(counts.items()))
