"""QuadSet's output order: N-Quads lines sorted per graph, graphs by name, whatever the terms and chunk sizes."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from recsys_kg.rdf import quads as Q
from recsys_kg.rdf.quads import QuadSet

S, P = ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p")
G1, G2 = ox.NamedNode("https://e.org/g/1"), ox.NamedNode("https://e.org/g/2")
OBJECTS = [ox.Literal("x"), ox.Literal("x", language="en"), ox.Literal("x y"), ox.Literal("line\nbreak"),
           ox.Literal("é"), ox.Literal("z"), ox.Literal("中文"), ox.Literal("1", datatype=ox.NamedNode(
               "http://www.w3.org/2001/XMLSchema#integer")), ox.NamedNode("https://e.org/o"),
           ox.NamedNode("https://e.org/o/longer"), ox.BlankNode("b1"), ox.BlankNode("b10")]


def quad_set() -> QuadSet:
    quads = QuadSet()
    for graph in (G2, G1):
        for n, obj in enumerate(OBJECTS):
            quads.add(S, P, obj, graph)
            quads.add(ox.BlankNode(f"s{n}"), ox.NamedNode(f"https://e.org/p{n % 3}"), obj, graph)
    return quads


def reference_order(quads: QuadSet) -> list[ox.Quad]:
    """The definition: by graph name, then by each quad's text (subject, predicate, object)."""
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q)))


@pytest.mark.parametrize("chunk", [1, 3, 1 << 16])
def test_nquads_are_written_in_the_reference_order(monkeypatch, chunk):
    monkeypatch.setattr(Q, "_CHUNK", chunk)
    quads = quad_set()
    out = io.BytesIO()
    ordered = quads.write_nquads(out)
    expected = reference_order(quads)
    assert ordered == expected == quads.sorted()
    assert out.getvalue() == ox.serialize(expected, format=ox.RdfFormat.N_QUADS)
    assert len(expected) == len(quads) == 4 * len(OBJECTS)


def test_an_empty_set_writes_nothing():
    out = io.BytesIO()
    assert QuadSet().write_nquads(out) == [] and out.getvalue() == b""
