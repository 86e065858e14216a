"""Mapping of Semantic Scholar page entries: authors in order, citation links, TL;DRs and counts.

The page's own paper gets its BibTeX author list (all names, in order) joined with the author links shown on
the page (Semantic Scholar author ids); a citing paper cites it, and it cites each reference.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from recsys_kg.ingest import records as R
from recsys_kg.ingest.markdown_doc import inline_links, inline_text
from recsys_kg.ingest.records import Entry
from recsys_kg.mapping.context import MappingContext, add_venue, entry_iri, paper_iri
from recsys_kg.normalize.identifiers import normalize_doi
from recsys_kg.normalize.values import parse_publication
from recsys_kg.rdf import terms as T

_AUTHOR_ID = re.compile(r"/author/[^/]+/(\d+)")
_BIBTEX_AUTHORS = re.compile(r"author\s*=\s*\{([^}]*)\}", re.IGNORECASE)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_AUTHOR_PART = re.compile(r"\[[^\]]*\]\([^)]*\)|\+\s*(?P<elided>\d+)\s+authors?")


def person_iri(name: str, s2_id: str | None) -> ox.NamedNode:
    """Authors with a Semantic Scholar id are keyed by it; others by name (a known limit: namesakes meet)."""
    return T.instance("person", f"s2-{s2_id}") if s2_id else T.instance("person", "name-" + T.slug_or_hash(name))


def authors_of(entry: Entry) -> list[tuple[int, str, str | None]]:
    """(position, name, Semantic Scholar author id) in order: BibTeX names when given, ids from the page's links.

    The page elides middle authors ("[A](…)[B](…)+4 authors [G](…)"): positions skip the elided ones, so G is
    the 7th author, not the 3rd.
    """
    raw = entry.fields.get(R.AUTHORS, "")
    linked: list[tuple[int, str, str | None]] = []
    position = 0
    for part in _AUTHOR_PART.finditer(raw):
        if part.group("elided"):
            position += int(part.group("elided"))
            continue
        position += 1
        for link in inline_links(part.group(0)):
            linked.append((position, link.text, m.group(1) if (m := _AUTHOR_ID.search(link.url)) else None))
    bibtex = _BIBTEX_AUTHORS.search(entry.fields.get(R.BIBTEX, ""))
    if not bibtex:
        return linked
    ids = {name: s2 for _, name, s2 in linked}
    names = [name.strip() for name in bibtex.group(1).split(" and ") if name.strip()]
    return [(n, name, ids.get(name)) for n, name in enumerate(names, 1)]


def map_semantic_scholar(ctx: MappingContext, entry: Entry, p: ox.NamedNode, key: str) -> None:
    for position, name, s2_id in authors_of(entry):
        person = person_iri(name, s2_id)
        a = T.instance("authorship", key, str(position))
        ctx.add(p, T.rkg("hasAuthorship"), a)
        ctx.add(a, T.RDF_TYPE, T.rkg("Authorship"))
        ctx.add(a, T.rkg("author"), person)
        ctx.add(a, T.rkg("authorPosition"), T.integer(position))
        ctx.add(person, T.RDF_TYPE, T.foaf("Person"))
        ctx.add(person, T.foaf("name"), T.string(name))
        if s2_id:
            ctx.add(person, T.rkg("semanticScholarAuthorId"), T.string(s2_id))
    for role, prop in ((R.CITATION_COUNT, "citationCount"), ("reference-count", "referenceCount")):
        if entry.fields.get(role, "").isdigit():
            ctx.add(p, T.rkg(prop), T.integer(int(entry.fields[role])))
    tldr = entry.fields.get(R.TLDR)
    if tldr:
        ctx.add(p, T.rkg("tldr"), T.string(tldr, "en"))
    for field in inline_text(entry.fields.get(R.FIELDS_OF_STUDY, "")).split(","):
        if field.strip():
            ctx.add(p, T.rkg("fieldOfStudy"), T.string(field.strip()))
    year = _YEAR.search(entry.fields.get(R.YEAR, "") or entry.fields.get(R.DATE, ""))
    if year:
        ctx.add(p, T.rkg("year"), T.g_year(int(year.group(0))))
        ctx.add(entry_iri(entry), T.rkg("statedYear"), T.g_year(int(year.group(0))))
    map_record_identifiers(ctx, entry, p)
    venue = inline_text(entry.fields.get(R.VENUE, ""))
    if venue:
        add_venue(ctx, entry, p, R.VENUE, parse_publication(venue))
    own = ctx.anchor_key(ctx.spec.describes_paper)
    if own and own != key:
        if entry.kind == R.CITING_PAPER:
            ctx.add(p, T.cito("cites"), paper_iri(own))
        elif entry.kind == R.REFERENCE:
            ctx.add(paper_iri(own), T.cito("cites"), p)


def map_record_identifiers(ctx: MappingContext, entry: Entry, p: ox.NamedNode) -> None:
    """The identifiers the page prints for its own paper ("DOI:10.48550/arXiv.2305.19860", "Corpus ID: 258987581")
    as the paper's rkg:doi and rkg:corpusId; the Semantic Scholar paper id comes with the page's own link."""
    doi = normalize_doi(entry.fields.get(R.DOI, ""))
    if doi:
        ctx.add(p, T.rkg("doi"), T.string(doi))
    corpus = entry.fields.get(R.CORPUS_ID, "").strip()
    if corpus.isdigit():
        ctx.add(p, T.rkg("corpusId"), T.string(corpus))
