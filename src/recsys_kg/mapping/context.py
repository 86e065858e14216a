"""What mapping one source needs: the context that collects its quads and warnings, the IRIs every mapping
module mints (sources, entries, papers), and the statements more than one mapping makes (a venue, a paper's
links with their identifiers), shared by the entry, resource and Semantic Scholar mappings."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox

from recsys_kg.ingest.base import SourceSpec
from recsys_kg.ingest.records import Entry
from recsys_kg.normalize.identifiers import ID_FIELDS, parse_link
from recsys_kg.rdf import terms as T
from recsys_kg.rdf.graphs import VOCABULARY, source_graph
from recsys_kg.rdf.quads import QuadSet
from recsys_kg.resolve.papers import Resolution


@dataclass
class Warning_:
    source: str
    line: int
    field: str
    message: str


@dataclass
class MappingContext:
    """What mapping one source needs and what it produces besides quads."""

    spec: SourceSpec
    resolution: Resolution
    quads: QuadSet
    warnings: list[Warning_] = field(default_factory=list)
    _anchor_keys: dict[str | None, str | None] = field(default_factory=dict, repr=False)

    def anchor_key(self, anchor: str | None) -> str | None:
        """:func:`anchor_key`, looked up once per anchor (it scans every paper; the Semantic Scholar mapping asks
        for every entry)."""
        if anchor not in self._anchor_keys:
            self._anchor_keys[anchor] = anchor_key(self.resolution, anchor)
        return self._anchor_keys[anchor]

    @cached_property
    def graph(self) -> ox.NamedNode:
        return source_graph(self.spec.id)

    def add(self, s, p, o) -> None:
        self.quads.add(s, p, o, self.graph)

    def vocab(self, s, p, o) -> None:
        self.quads.add(s, p, o, VOCABULARY)

    def warn(self, entry: Entry, role: str, messages) -> None:
        for message in messages:
            self.warnings.append(Warning_(entry.source, entry.line, role, message))


def source_iri(source_id: str) -> ox.NamedNode:
    return T.instance("source", source_id)


def entry_iri(entry: Entry) -> ox.NamedNode:
    return T.instance("entry", entry.source, f"L{entry.line}")


def paper_iri(key: str) -> ox.NamedNode:
    return T.instance("paper", key)


def anchor_key(resolution: Resolution, anchor: str | None) -> str | None:
    """The key of the paper a manifest names as 'arxiv:ID' or 'doi:DOI' (the paper a list belongs to)."""
    if not anchor:
        return None
    scheme, _, value = anchor.partition(":")
    for paper in resolution.papers:
        if value.lower() in (v.lower() for v in getattr(paper, scheme, ())):
            return paper.key
    return None


def add_venue(ctx: MappingContext, entry: Entry, p: ox.NamedNode, role: str, reading) -> None:
    """The venue a reading names (described once, in the vocabulary graph) and its warnings."""
    ctx.warn(entry, role, reading.warnings)
    if reading.venue_key:
        v = T.instance("venue", reading.venue_key)
        ctx.add(p, T.rkg("publishedIn"), v)
        ctx.add(entry_iri(entry), T.rkg("statedVenue"), v)
        ctx.vocab(v, T.RDF_TYPE, T.rkg("Venue"))
        ctx.vocab(v, T.RDFS_LABEL, T.string(reading.venue_label or reading.venue_key))
        if reading.venue_kind:
            ctx.vocab(v, T.rkg("venueKind"), T.string(reading.venue_kind))


def add_paper_links(ctx: MappingContext, p: ox.NamedNode, urls: list[str]) -> None:
    """Each URL as a link of the paper, with the persistent identifiers it names."""
    for url in urls:
        ids = parse_link(url)
        ctx.add(p, T.rkg("link"), T.any_uri(url))
        for id_field in ID_FIELDS:
            value = getattr(ids, id_field.name, None)
            if value:
                ctx.add(p, T.rkg(id_field.property), T.string(value))
