"""Accepted contributions to triples, in the graph ``source/contributions``.

A contribution is already RDF, so its triples are kept as written, with two changes: the paper it describes is
renamed to the paper the resolver merged it into (a contribution about a listed paper adds statements to that
paper, and where it disagrees with a list, `source-conflicts` shows both), and provenance is added as for a
list. Each accepted file is a ``rkg:SourceList`` of its own (``source/contributions/<file>``: file name,
contributor, date, pull request) and each paper in it an ``rkg:ContributionEntry`` with its line and text, which
its backbone usages are ``rkg:statedIn``.
"""

from __future__ import annotations

import pyoxigraph as ox

from recsys_kg.ingest.contributions import READER, SOURCE_ID, ContributedFile
from recsys_kg.mapping.context import entry_iri, paper_iri, source_iri
from recsys_kg.rdf import terms as T
from recsys_kg.rdf.graphs import source_graph
from recsys_kg.rdf.quads import QuadSet
from recsys_kg.resolve.papers import Resolution

GRAPH = source_graph(SOURCE_ID)


def map_contributions_source(quads: QuadSet, directory_name: str) -> None:
    """The folder of accepted contributions as a whole: what the metadata graph names as the graph's source."""
    source = source_iri(SOURCE_ID)
    for p, o in (
        (T.RDF_TYPE, T.rkg("SourceList")),
        (T.dcterms("title"), T.string("Accepted contributions")),
        (T.rkg("fileName"), T.string(directory_name)),
        (T.rkg("readerName"), T.string(READER)),
        (
            T.dcterms("description"),
            T.string(
                "Papers contributors described in Turtle or JSON-LD files and "
                "maintainers accepted; each file is a source list of its own."
            ),
        ),
    ):
        quads.add(source, p, o, GRAPH)


def map_contribution(quads: QuadSet, contributed: ContributedFile, resolution: Resolution) -> dict[ox.NamedNode, int]:
    """Add one file's triples and provenance; return the line of every node it describes or refers to, under
    its graph IRI (papers renamed), so validation results about them can name the file and line (a node it
    describes: where the description starts; one it only refers to, such as a model no list names: where the
    reference is written)."""

    def add(s, p, o) -> None:
        quads.add(s, p, o, GRAPH)

    source = source_iri(f"{SOURCE_ID}/{contributed.stem}")
    add(source, T.RDF_TYPE, T.rkg("SourceList"))
    add(source, T.dcterms("title"), T.string(contributed.spec.title))
    add(source, T.rkg("fileName"), T.string(contributed.name))
    add(source, T.rkg("readerName"), T.string(READER))
    add(source, T.dcterms("source"), T.string(contributed.path))
    add(source, T.dcterms("creator"), T.string(contributed.header["contributor"]))
    add(source, T.dcterms("date"), T.typed(contributed.header["date"], "date"))
    if contributed.header.get("reference"):
        add(source, T.dcterms("references"), T.string(contributed.header["reference"]))
    renamed: dict[object, ox.NamedNode] = {}  # keys: terms as written (a paper's IRI)
    entry_of: dict[object, ox.NamedNode] = {}
    for written, entry in contributed.papers.items():
        key = resolution.by_entry[(entry.source, entry.line)]
        renamed[written] = paper_iri(key)
        e = entry_iri(entry)
        entry_of[written] = e
        add(e, T.RDF_TYPE, T.rkg("ContributionEntry"))
        add(e, T.rkg("fromSource"), source)
        add(e, T.rkg("lineNumber"), T.integer(entry.line))
        add(e, T.rkg("rawText"), T.string(entry.raw))
        add(e, T.rkg("describes"), renamed[written])
    for triple in contributed.triples:
        s = renamed.get(triple.subject, triple.subject)
        o = renamed.get(triple.object, triple.object) if isinstance(triple.object, ox.NamedNode) else triple.object
        add(s, triple.predicate, o)
        if triple.predicate == T.rkg("hasBackboneUsage") and triple.subject in entry_of:
            add(triple.object, T.rkg("statedIn"), entry_of[triple.subject])
    located = {renamed.get(node, node): line for node, line in contributed.mentions.items()}
    located.update((renamed.get(node, node), line) for node, line in contributed.lines.items())
    return located
