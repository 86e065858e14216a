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
    if term.language:
        return ox.Literal(str(term), language=term.language.lower())
    if term.datatype is not None and str(term.datatype) != XSD_STRING:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))
