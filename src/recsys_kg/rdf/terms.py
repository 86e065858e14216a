"""RDF terms and IRIs for the build, as pyoxigraph terms (fast, and printed in canonical N-Triples form).

Every instance IRI is minted here from stable keys (identifiers, slugs, source id and line), so the same
inputs always give the same IRIs and no other module spells an IRI path.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import cache

import pyoxigraph as ox

from recsys_kg.rdf.graphs import ID_BASE
from recsys_kg.rdf.namespaces import CITO, FOAF, ORG, RKG
from recsys_kg.text import slugify

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"


@cache  # the vocabulary is small; the mapping asks for its terms for every entry
def rkg(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(RKG) + local)


@cache  # the vocabulary is small; the mapping asks for its terms for every entry
def skos(local: str) -> ox.NamedNode:
    return ox.NamedNode(SKOS + local)


@cache  # the vocabulary is small; the mapping asks for its terms for every entry
def dcterms(local: str) -> ox.NamedNode:
    return ox.NamedNode(DCTERMS + local)


@cache  # the vocabulary is small; the mapping asks for its terms for every entry
def org(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(ORG) + local)


@cache  # the vocabulary is small; the mapping asks for its terms for every entry
def foaf(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(FOAF) + local)


@cache  # the vocabulary is small; the mapping asks for its terms for every entry
def cito(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(CITO) + local)


def instance(*parts: str) -> ox.NamedNode:
    """``…/id/<part>/<part>…``; parts must already be IRI-safe (slugs, keys, numbers)."""
    return ox.NamedNode(ID_BASE + "/".join(parts))


def short_hash(text: str, length: int = 16) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def slug_or_hash(text: str) -> str:
    """A readable slug, or a hash when the text has no ASCII letters or digits (Chinese names, symbols)."""
    return slugify(text) or "h-" + short_hash(text, 12)


def string(value: str, language: str | None = None) -> ox.Literal:
    """A plain or language-tagged literal; tags are lower-cased (the canonical form every store agrees on)."""
    return ox.Literal(value, language=language.lower()) if language else ox.Literal(value)


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def integer(value: int) -> ox.Literal:
    return typed(str(int(value)), "integer")


def decimal(value: Decimal) -> ox.Literal:
    """Canonical xsd:decimal text: no exponent, no trailing zeros, at least one digit after the point."""
    text = format(value.normalize(), "f")
    if "." not in text:
        text += ".0"
    return typed(text, "decimal")


def boolean(value: bool) -> ox.Literal:
    return typed("true" if value else "false", "boolean")


def any_uri(value: str) -> ox.Literal:
    """URLs from the sources are data: kept as xsd:anyURI literals, never turned into IRIs we would dereference."""
    return typed(value, "anyURI")


def g_year(year: int) -> ox.Literal:
    return typed(f"{year:04d}", "gYear")


def g_year_month(year: int, month: int) -> ox.Literal:
    return typed(f"{year:04d}-{month:02d}", "gYearMonth")
