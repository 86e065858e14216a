"""The dataset's description of itself, as a named graph ``graph/metadata``: a VoID description (W3C Interest
Group Note, https://www.w3.org/TR/void/) plus version, sources and what is known about the sources' licences.

Why in the dataset: whoever loads the graph into a store gets the description with it and can ask the store
``GRAPH graph:metadata { ?g void:triples ?n }`` to check the load is complete. Every data graph is described as
a ``void:subset`` named by its own graph IRI, with its triples, classes and properties; the whole dataset gets
class and property partitions (IRIs minted under the dataset, never blank nodes). The counts cover the data
graphs, not this description itself (which would count itself).

Byte-identical rebuilds: no timestamp is written unless ``SOURCE_DATE_EPOCH`` is set (the reproducible-builds
convention, https://reproducible-builds.org/specs/source-date-epoch/); then its UTC date becomes
``dcterms:modified``. An unparsable value is ignored rather than breaking the build.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

import pyoxigraph as ox

from recsys_kg.rdf import terms as T
from recsys_kg.rdf.graphs import GRAPH_BASE, ID_BASE, METADATA
from recsys_kg.rdf.namespaces import PREFIXES, VOID
from recsys_kg.version import __version__

DATASET = T.instance("dataset", "recsys-kg")
OWL_VERSION_INFO = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")
PROV_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")

# What a source says about its licence lives in data/sources/manifest.yaml (license, rights); a source described
# without one gets this statement.
NO_LICENCE = (
    "No licence is stated in the list as received; the graph reuses bibliographic facts from it, each "
    "with its source line."
)
Licences = dict[str, tuple[str | None, str | None]]  # source id -> (licence IRI or None, rights statement)


def void(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(VOID) + local)


def _curie_slug(iri: str) -> str:
    """``rkg-Paper`` for rkg:Paper; a hash for IRIs outside the project's prefixes."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        local = iri.removeprefix(str(ns))
        if local != iri and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", local):
            return f"{prefix}-{local}"
    return "h-" + T.short_hash(iri)


def _source_date() -> str | None:
    try:
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
        return datetime.fromtimestamp(epoch, tz=UTC).date().isoformat()
    except (KeyError, ValueError, OverflowError, OSError):
        return None


class _Stats:
    """Counts for one graph or the whole dataset."""

    def __init__(self) -> None:
        self.triples = 0
        self.subjects = 0
        self.predicates: dict[str, int] = {}  # property -> triples
        self.members: dict[str, int] = {}  # class -> distinct members (the whole dataset's partitions)
        self.classes = 0

    def describe(self, node: ox.NamedNode) -> list[tuple]:
        return [
            (node, void("triples"), T.integer(self.triples)),
            (node, void("classes"), T.integer(self.classes)),
            (node, void("properties"), T.integer(len(self.predicates))),
            (node, void("distinctSubjects"), T.integer(self.subjects)),
        ]


# Counted by the store (SPARQL aggregates in Rust): reading every quad's terms in Python cost 25 s at 100x.
_NOT_METADATA = f"FILTER(?g != {METADATA})"
_IN_ANY_GRAPH = f"{{ GRAPH ?g {{ ?s ?p ?o }} {_NOT_METADATA} }} UNION {{ ?s ?p ?o }}"
_TYPED = f"?s {T.RDF_TYPE} ?c"
_PER_GRAPH = f"SELECT ?g ?p (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_NOT_METADATA} }} GROUP BY ?g ?p"
_SUBJECTS_PER_GRAPH = (
    f"SELECT ?g (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_NOT_METADATA} }} GROUP BY ?g"
)
_CLASSES_PER_GRAPH = (
    f"SELECT ?g (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ {_TYPED} }} {_NOT_METADATA} "
    f"FILTER(isIRI(?c)) }} GROUP BY ?g"
)
_WHOLE_PREDICATES = f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {_IN_ANY_GRAPH} }} GROUP BY ?p"
_WHOLE_SUBJECTS = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {_IN_ANY_GRAPH} }}"
_WHOLE_MEMBERS = (
    f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {{ GRAPH ?g {{ {_TYPED} }} {_NOT_METADATA} }} "
    f"UNION {{ {_TYPED} }} FILTER(isIRI(?c)) }} GROUP BY ?c"
)


def _counts(store: ox.Store) -> tuple[_Stats, dict[str, _Stats]]:
    """Counts of the whole dataset and of each named graph, leaving out an existing metadata graph."""

    def rows(query: str) -> ox.QuerySolutions:
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)  # every query here is a SELECT
        return solutions

    whole, per_graph = _Stats(), defaultdict[str, _Stats](_Stats)
    for row in rows(_PER_GRAPH):
        stats, n = per_graph[row["g"].value], int(row["n"].value)
        stats.triples += n
        stats.predicates[row["p"].value] = n
    for row in rows(_SUBJECTS_PER_GRAPH):
        per_graph[row["g"].value].subjects = int(row["n"].value)
    for row in rows(_CLASSES_PER_GRAPH):
        per_graph[row["g"].value].classes = int(row["n"].value)
    for row in rows(_WHOLE_PREDICATES):
        whole.predicates[row["p"].value] = int(row["n"].value)
    whole.triples = sum(whole.predicates.values())
    whole.subjects = int(next(iter(rows(_WHOLE_SUBJECTS)))["n"].value)
    whole.members = {row["c"].value: int(row["n"].value) for row in rows(_WHOLE_MEMBERS)}
    whole.classes = len(whole.members)
    return whole, per_graph


def dataset_description(
    quads: Iterable[ox.Quad], source_ids: Iterable[str], licences: Licences | None = None
) -> list[ox.Quad]:
    """The metadata graph's quads for a dataset (``quads`` may already contain an old metadata graph: ignored)."""
    store = ox.Store()
    store.bulk_extend(quads)
    return store_description(store, source_ids, licences)


def store_description(store: ox.Store, source_ids: Iterable[str], licences: Licences | None = None) -> list[ox.Quad]:
    """:func:`dataset_description` of the quads in a store (what the build uses: it has them in one)."""
    whole, per_graph = _counts(store)

    d = DATASET
    triples = [
        (d, T.RDF_TYPE, void("Dataset")),
        (d, T.dcterms("title"), T.string("recsys-kg: a knowledge graph of LLM-based recommender-system papers", "en")),
        (
            d,
            T.dcterms("description"),
            T.string(
                "Papers, methods, backbone models, tuning strategies, venues and deploying organizations collected "
                "from hand-kept lists of LLM-based recommender-system papers; every statement is kept in the named "
                "graph of the list that made it, with the list's line.",
                "en",
            ),
        ),
        (d, OWL_VERSION_INFO, T.string(__version__)),
        (d, void("uriSpace"), T.string(ID_BASE)),
        (d, void("vocabulary"), ox.NamedNode(str(PREFIXES["rkg"]))),
    ] + whole.describe(d)
    if date := _source_date():
        triples.append((d, T.dcterms("modified"), T.typed(date, "date")))
    for graph_iri, stats in sorted(per_graph.items()):
        g = ox.NamedNode(graph_iri)
        triples += [(d, void("subset"), g), (g, T.RDF_TYPE, void("Dataset"))] + stats.describe(g)
        name = graph_iri.removeprefix(GRAPH_BASE)
        if name.startswith("source/"):
            triples.append((g, T.dcterms("source"), T.instance("source", name.removeprefix("source/"))))
    for class_iri, members in sorted(whole.members.items()):
        partition = T.instance("dataset", "recsys-kg", "class", _curie_slug(class_iri))
        triples += [
            (d, void("classPartition"), partition),
            (partition, void("class"), ox.NamedNode(class_iri)),
            (partition, void("entities"), T.integer(members)),
        ]
    for property_iri, count in sorted(whole.predicates.items()):
        partition = T.instance("dataset", "recsys-kg", "property", _curie_slug(property_iri))
        triples += [
            (d, void("propertyPartition"), partition),
            (partition, void("property"), ox.NamedNode(property_iri)),
            (partition, void("triples"), T.integer(count)),
        ]
    for source_id in sorted(source_ids):
        source = T.instance("source", source_id)
        licence, rights = (licences or {}).get(source_id, (None, None))
        triples += [
            (d, T.dcterms("source"), source),
            (d, PROV_DERIVED, source),
            (source, T.dcterms("rights"), T.string(rights or NO_LICENCE, "en")),
        ]
        if licence:
            triples.append((source, T.dcterms("license"), ox.NamedNode(licence)))
    return [ox.Quad(s, p, o, METADATA) for s, p, o in triples]
