"""QuadSet's output order: N-Quads lines sorted per graph, graphs by name, whatever the terms and chunk sizes; and
literals written as they were added although the store keeps typed literals by value."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from recsys_kg.rdf import quads as Q
from recsys_kg.rdf.quads import QuadSet

S, P = ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p")
G1, G2 = ox.NamedNode("https://e.org/g/1"), ox.NamedNode("https://e.org/g/2")
OBJECTS = [
    ox.Literal("x"),
    ox.Literal("x", language="en"),
    ox.Literal("x y"),
    ox.Literal("line\nbreak"),
    ox.Literal("é"),
    ox.Literal("z"),
    ox.Literal("中文"),
    ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.NamedNode("https://e.org/o"),
    ox.NamedNode("https://e.org/o/longer"),
    ox.BlankNode("b1"),
    ox.BlankNode("b10"),
]


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
    quads.write_nquads(out)
    expected = reference_order(quads)
    assert quads.sorted() == expected
    assert out.getvalue() == ox.serialize(expected, format=ox.RdfFormat.N_QUADS)
    assert len(expected) == len(quads) == 4 * len(OBJECTS)


def test_an_empty_set_writes_nothing():
    out = io.BytesIO()
    QuadSet().write_nquads(out)
    assert out.getvalue() == b"" and QuadSet().sorted() == []


DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def test_typed_literals_are_written_as_added_not_as_the_store_keeps_them():
    """A store gives "7.0"^^xsd:decimal back as "7"; the outputs keep "7.0", and a quad added in both forms is
    written in both, as a set of Python quads would have held it."""
    seven, seven_point_zero = ox.Literal("7", datatype=DECIMAL), ox.Literal("7.0", datatype=DECIMAL)
    quads = QuadSet()
    quads.add(S, P, seven_point_zero, G1)
    quads.add(S, P, ox.Literal("13.0", datatype=DECIMAL), G2)
    quads.update([ox.Quad(S, P, seven, G2), ox.Quad(S, P, seven_point_zero, G2)])
    out = io.BytesIO()
    quads.write_nquads(out)
    expected = [
        ox.Quad(S, P, seven_point_zero, G1),
        ox.Quad(S, P, ox.Literal("13.0", datatype=DECIMAL), G2),
        ox.Quad(S, P, seven, G2),
        ox.Quad(S, P, seven_point_zero, G2),
    ]
    expected.sort(key=lambda q: (str(q.graph_name), str(q)))
    assert out.getvalue() == ox.serialize(expected, format=ox.RdfFormat.N_QUADS)
    assert sorted(map(str, quads)) == sorted(map(str, expected)) and len(quads) == 4
    assert len(quads.store) == 3  # the store holds "7" once in G2
