"""Literals as the data wrote them, beside the canonical forms the store keeps.

Oxigraph stores literals of the XSD datatypes it knows in canonical form: ``"4.0"^^xsd:decimal`` becomes
``"4"``, ``"1"^^xsd:boolean`` becomes ``"true"``, ``"55"^^xsd:int`` becomes ``"55"^^xsd:integer``. SHACL results
must name the data's terms and sh:datatype must see the datatype IRI and lexical form as written, so the engine
keeps, for each literal the store rewrote, the original(s) (:class:`WrittenLiterals`): results are mapped back,
and a sh:datatype check decides those literals in Python on the original (datatypes.py).

Chosen over the alternatives because it leaves the queries as they are and costs little for what people write
by hand (a contribution: its distinct typed literals go through a scratch store once, ~3,000 in 0.12 s). Keeping
lexical forms would take a store that does not canonicalize (rdflib: 20–100× slower queries), and rewriting
literals to a private datatype would break every comparison the shapes make (ranges, sh:in). Its cost is
reading every literal in Python (~5 µs a quad), which the whole-graph check skips (validate/graph.py).

A value the data writes in two ways (``"1"^^xsd:integer`` and ``"01"^^xsd:integer``) is one term in the store:
it is counted once by sh:minCount/sh:maxCount, and a result about it is reported once per way it is written.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from recsys_kg.shacl.datatypes import XSD

# Datatypes whose literals Oxigraph stores as written (strings are never rewritten).
_KEPT = {XSD + name for name in ("string", "anyURI", "normalizedString", "token", "language")}
_PREDICATE = ox.NamedNode("urn:x-recsys-kg:written")


class WrittenLiterals:
    """For each literal the store would rewrite: its canonical form and the literals as written."""

    def __init__(self, terms: Iterable[object] = ()) -> None:
        literals = {t for t in terms if type(t) is ox.Literal}  # distinct first: most repeat, and the test is cheap
        candidates = sorted(
            (t for t in literals if t.datatype.value.startswith(XSD) and t.datatype.value not in _KEPT), key=str
        )
        scratch = ox.Store()
        scratch.extend(
            ox.Quad(ox.NamedNode(f"urn:x-recsys-kg:{i}"), _PREDICATE, literal) for i, literal in enumerate(candidates)
        )
        ways: dict[ox.Literal, list[ox.Literal]] = {}  # canonical form -> every literal written that becomes it
        for quad in scratch:
            ways.setdefault(quad.object, []).append(candidates[int(quad.subject.value.rsplit(":", 1)[1])])
        self.originals = {
            canonical: sorted(found, key=str) for canonical, found in ways.items() if found != [canonical]
        }

    @classmethod
    def of_quads(cls, quads: Iterable[ox.Quad | ox.Triple]) -> WrittenLiterals:
        """The literals of the objects of quads or triples (the data) and of the terms a shape names."""
        return cls(q.object for q in quads)

    def __bool__(self) -> bool:
        return bool(self.originals)

    def as_written(self, term):
        """Every way the data writes a term the store holds (the term itself when the store kept it)."""
        return self.originals.get(term, [term]) if isinstance(term, ox.Literal) else [term]
