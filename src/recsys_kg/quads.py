"""A set of quads with the few helpers the mapping needs, and deterministic (sorted) output.

The build collects quads here instead of in an rdflib Dataset: a set of pyoxigraph quads is cheap, merging is
a set union, and sorting by their N-Quads text gives byte-identical files for identical inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox


class QuadSet:
    def __init__(self) -> None:
        self._quads: set[ox.Quad] = set()

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal, g: ox.NamedNode) -> None:
        self._quads.add(ox.Quad(s, p, o, g))

    def update(self, quads: Iterable[ox.Quad]) -> None:
        self._quads.update(quads)

    def __len__(self) -> int:
        return len(self._quads)

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(self._quads)

    def sorted(self) -> list[ox.Quad]:
        """Quads in a stable order: by graph, then subject, predicate, object (N-Quads text)."""
        return sorted(self._quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))

    def count_by_graph(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for quad in self._quads:
            key = str(quad.graph_name.value) if isinstance(quad.graph_name, ox.NamedNode) else ""
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))
