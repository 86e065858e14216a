"""Term conversion between pyoxigraph (the build's terms) and rdflib (what owlrl, pySHACL and rdflib's canonical
blank-node labelling work on), in one place so every crossing treats plain and typed literals the same way.

Plain literals stay plain (no explicit ``^^xsd:string``, which rdflib would keep as a different term) and
language tags are lower-cased on the way into pyoxigraph (the canonical form every store agrees on).
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal, normalize: bool | None = None) -> rdflib.term.Node:
    """``normalize=False`` keeps a literal's lexical form as written (rdflib otherwise rewrites ``"01"^^xsd:int``
    to ``"1"``); the SHACL engine reports terms as the data wrote them."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=normalize)


def to_oxigraph(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if not isinstance(term, rdflib.Literal):
        raise TypeError(f"not an RDF term pyoxigraph stores: {term!r}")
    if term.language:
        return ox.Literal(str(term), language=term.language.lower())
    if term.datatype is not None and str(term.datatype) != XSD_STRING:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def to_oxigraph_triple(s: rdflib.term.Node, p: rdflib.term.Node, o: rdflib.term.Node) -> ox.Triple:
    """An rdflib triple as a pyoxigraph Triple; ValueError for a generalized one (a literal subject, a
    non-IRI predicate), which RDF 1.1 stores cannot hold."""
    subject, predicate, obj = to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise ValueError(f"a generalized triple: {s} {p} {o}")
    return ox.Triple(subject, predicate, obj)


def quad_to_rdflib(quad: ox.Quad) -> tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]:
    """The triple of a quad as rdflib terms (RDF-star quoted triples are not supported: TypeError)."""
    terms = (quad.subject, quad.predicate, quad.object)
    if any(isinstance(term, ox.Triple) for term in terms):
        raise TypeError(f"a quoted triple cannot be converted to rdflib: {quad}")
    s, p, o = (to_rdflib(term) for term in terms)  # type: ignore[arg-type]  # no quoted triple: checked above
    return s, p, o
