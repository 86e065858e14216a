"""BibTeX for the papers in any query result, written by bibtexparser (escaping and layout are its job).

The papers are the result's IRI cells that are rkg:Paper in the graph, in the order they first appear. Each
entry's key is the paper IRI's last segment (``arxiv-2305.19860``, ``doi-10.1145_3604915.3608857``), so keys are
as stable as the IRIs: the same paper has the same key in every build and every result. Fields come from the
graph: the title most lists use, year, venue (booktitle or journal by its kind; a preprint server is left to
the eprint field), authors in order, DOI, arXiv id
and a link; a value the lists disagree on is the first in sorted order, so the output is deterministic.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import bibtexparser
import pyoxigraph as ox
from bibtexparser.model import Block, Entry, Field

from recsys_kg.query.canned import QueryResult, select
from recsys_kg.rdf.namespaces import RKG

PAPER_QUERY = f"""PREFIX rkg: <{RKG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?paper ?field ?value ?position WHERE {{
  GRAPH ?g {{ ?paper a rkg:Paper }}
  {{ GRAPH ?s {{ ?paper dcterms:title ?value }} BIND("title" AS ?field) }}
  UNION {{ GRAPH ?s {{ ?paper rkg:year ?value }} BIND("year" AS ?field) }}
  UNION {{ GRAPH ?s {{ ?paper rkg:doi ?value }} BIND("doi" AS ?field) }}
  UNION {{ GRAPH ?s {{ ?paper rkg:arxivId ?value }} BIND("eprint" AS ?field) }}
  UNION {{ GRAPH ?s {{ ?paper rkg:link ?value }} BIND("url" AS ?field) }}
  UNION {{ GRAPH ?s {{ ?paper rkg:publishedIn ?venue }}
           GRAPH ?v {{ ?venue rdfs:label ?value OPTIONAL {{ ?venue rkg:venueKind ?kind }} }}
           FILTER(COALESCE(?kind, "") != "preprint")
           BIND(IF(COALESCE(?kind, "") = "journal", "journal", "booktitle") AS ?field) }}
  UNION {{ GRAPH ?s {{ ?paper rkg:hasAuthorship ?a . ?a rkg:author ?person ; rkg:authorPosition ?position }}
           GRAPH ?p {{ ?person foaf:name ?value }} BIND("author" AS ?field) }}
}}"""


def papers_in(store: ox.Store, result: QueryResult) -> list[ox.NamedNode]:
    """The result's cells that are papers in the graph, in order of first appearance, each once."""
    seen = dict.fromkeys(cell for row in result.rows for cell in row if isinstance(cell, ox.NamedNode))
    paper_type = ox.NamedNode(str(RKG.Paper))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    return [iri for iri in seen if next(store.quads_for_pattern(iri, rdf_type, paper_type, None), None) is not None]


def citation_key(paper: ox.NamedNode) -> str:
    """The paper IRI's last segment: stable because the IRI is (no comma, brace or space can occur in it)."""
    return paper.value.rstrip("/").rsplit("/", 1)[-1]


def _pick(values: list[str]) -> str:
    """The value most lists give; ties broken by sorted order."""
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v))


def entries(store: ox.Store, papers: list[ox.NamedNode]) -> list[Entry]:
    if not papers:
        return []
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    authors: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    text = PAPER_QUERY.replace("WHERE {", "WHERE {\n  VALUES ?paper { " + " ".join(map(str, papers)) + " }", 1)
    for paper, field, value, position in select(store, text):
        if field.value == "author":
            authors[paper.value][int(position.value)].add(value.value)
        else:
            facts[paper.value][field.value].append(value.value)
    found = []
    for paper in papers:
        fields = facts.get(paper.value, {})
        values = {
            name: _pick(fields[name])
            for name in ("title", "year", "doi", "eprint", "journal", "booktitle")
            if fields.get(name)
        }
        if "journal" in values:
            values.pop("booktitle", None)
        if fields.get("url"):
            values["url"] = sorted(fields["url"])[0]
        if names := authors.get(paper.value):
            values["author"] = " and ".join(sorted(names[p])[0] for p in sorted(names))
        if "eprint" in values:
            values["archiveprefix"] = "arXiv"
        kind = "article" if "journal" in values else "inproceedings" if "booktitle" in values else "misc"
        order = ("title", "author", "journal", "booktitle", "year", "doi", "eprint", "archiveprefix", "url")
        found.append(Entry(kind, citation_key(paper), [Field(k, values[k]) for k in order if k in values]))
    return found


def to_bibtex(store: ox.Store, result: QueryResult) -> str:
    """A BibTeX database of every paper in the result (empty text when it holds none)."""
    blocks: list[Block] = list(entries(store, papers_in(store, result)))
    library = bibtexparser.Library(blocks)
    return bibtexparser.write_string(library)
