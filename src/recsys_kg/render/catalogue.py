"""What the merged list and the site show, read from a built dataset in one streaming pass.

The pages need, per paper, every statement of every source list with the lines it came from, plus labels and
hierarchies of the things papers point to. Reading the quads once into plain dictionaries (keyed by IRI, in
first-seen order of a sorted dataset, so the output is deterministic) keeps a 100x graph within memory and time
targets that one SPARQL query per page could not meet; table cells (most of the quads) are skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from recsys_kg.rdf.dataset import iter_dataset
from recsys_kg.rdf.graphs import GRAPH_BASE, ID_BASE, INFERRED, ONTOLOGY
from recsys_kg.rdf.namespaces import PREFIXES

RKG = str(PREFIXES["rkg"])
SKOS = str(PREFIXES["skos"])
RDFS_LABEL = str(PREFIXES["rdfs"]) + "label"
RDF_TYPE = str(PREFIXES["rdf"]) + "type"
FOAF_NAME = str(PREFIXES["foaf"]) + "name"
DCT = str(PREFIXES["dcterms"])
ORG_SUB = str(PREFIXES["org"]) + "subOrganizationOf"
SOURCE_GRAPH_BASE = GRAPH_BASE + "source/"
PAPER_BASE = ID_BASE + "paper/"
UNKNOWN_TUNING = ID_BASE + "tuning/unknown"

LABELS = (RDFS_LABEL, SKOS + "prefLabel", FOAF_NAME)


class CatalogueError(Exception):
    """The dataset holds nothing to render (no paper, or no source list)."""


@dataclass
class Usage:
    """One backbone usage a source states: the model and the tuning strategy, each an IRI or None."""

    source: str
    line: int | None
    model: str | None = None
    strategy: str | None = None


@dataclass
class Paper:
    iri: str
    # (property IRI, value, value is an IRI, source id) for every statement some source list makes
    claims: list[tuple[str, str, bool, str]] = field(default_factory=list)
    usages: list[Usage] = field(default_factory=list)
    authors: list[tuple[int, str, str]] = field(default_factory=list)  # (position, person IRI, source id)
    entries: dict[str, list[int]] = field(default_factory=dict)  # source id -> lines of its entries
    inferred_types: list[str] = field(default_factory=list)
    typed_in: set[str] = field(default_factory=set)  # sources stating it is a paper (some only through a reference)

    @property
    def key(self) -> str:
        return self.iri[len(PAPER_BASE) :]

    def values(self, prop: str, source: str | None = None) -> list[str]:
        """Distinct values of one property, in the order the sources state them (optionally of one source)."""
        seen: dict[str, None] = {}
        for p, value, _, src in self.claims:
            if p == prop and (source is None or src == source):
                seen.setdefault(value, None)
        return list(seen)

    @property
    def sources(self) -> list[str]:
        """The lists that include the paper: an entry describes it, or it states the paper exists."""
        return sorted(set(self.entries) | self.typed_in)


@dataclass
class Source:
    id: str
    iri: str
    title: str = ""
    file_name: str = ""
    scheme: str | None = None


@dataclass
class Catalogue:
    papers: dict[str, Paper]
    sources: dict[str, Source]
    labels: dict[str, str]
    broader: dict[str, list[str]]  # concept / strategy -> broader ones (asserted)
    in_scheme: dict[str, str]  # concept -> its scheme
    notation: dict[str, str]
    urls: dict[str, str]  # repository / dataset -> its rkg:url
    parent_org: dict[str, str]
    ontology: list[ox.Quad]  # the ontology graph, for its documentation page
    entry_sections: dict[tuple[str, int], str]  # (source, line) -> the taxonomy concept of that entry

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def top_strategy(self, iri: str) -> str:
        """The top concept of a tuning strategy in the strategy hierarchy (itself for a top concept)."""
        seen = {iri}
        while self.broader.get(iri):
            iri = self.broader[iri][0]
            if iri in seen:
                break
            seen.add(iri)
        return iri

    def ancestors(self, iri: str) -> list[str]:
        """Broader concepts, nearest first."""
        out: list[str] = []
        while self.broader.get(iri) and self.broader[iri][0] not in out:
            iri = self.broader[iri][0]
            out.append(iri)
        return out

    def conflicts(self, paper: Paper) -> dict[str, dict[str, list[str]]]:
        """Fields the source lists disagree on, as in queries/source-conflicts.rq: field -> source -> values.

        A field conflicts when more than one list states it and their values differ: titles ignoring case, years,
        venues, and tuning strategies by top concept (Frozen against Tuned; Unknown is no statement)."""
        found: dict[str, dict[str, list[str]]] = {}
        for name, prop, compare in (
            ("title", DCT + "title", str.lower),
            ("year", RKG + "year", str),
            ("venue", RKG + "publishedIn", str),
        ):
            per_source: dict[str, list[str]] = defaultdict(list)
            for p, value, _, src in paper.claims:
                if p == prop and value not in per_source[src]:
                    per_source[src].append(value)
            if len(per_source) > 1 and len({compare(v) for vs in per_source.values() for v in vs}) > 1:
                found[name] = dict(sorted(per_source.items()))
        tops: dict[str, list[str]] = defaultdict(list)
        stated: dict[str, list[str]] = defaultdict(list)
        for usage in paper.usages:
            if usage.strategy and self.top_strategy(usage.strategy) != UNKNOWN_TUNING:
                tops[usage.source].append(self.top_strategy(usage.strategy))
                if usage.strategy not in stated[usage.source]:
                    stated[usage.source].append(usage.strategy)
        if len(tops) > 1 and len({t for ts in tops.values() for t in ts}) > 1:
            found["tuning strategy"] = dict(sorted(stated.items()))
        return found


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> tuple[str, bool]:
    return term.value, isinstance(term, ox.NamedNode)


def read_catalogue(dataset: Path) -> Catalogue:
    """Read a built dataset (any format :mod:`recsys_kg.rdf.dataset` reads) into a :class:`Catalogue`."""
    return build_catalogue(iter_dataset(dataset))


def build_catalogue(quads: Iterable[ox.Quad]) -> Catalogue:
    papers: dict[str, Paper] = {}
    sources: dict[str, Source] = {}
    labels: dict[str, str] = {}
    broader: dict[str, list[str]] = defaultdict(list)
    in_scheme: dict[str, str] = {}
    notation: dict[str, str] = {}
    urls: dict[str, str] = {}
    parent_org: dict[str, str] = {}
    ontology: list[ox.Quad] = []
    usages: dict[str, Usage] = {}
    usage_of: list[tuple[str, str]] = []  # (paper, usage)
    usage_entry: list[tuple[str, str]] = []  # (usage, the entry stating it)
    authorships: dict[str, list] = {}
    authorship_of: list[tuple[str, str, str]] = []  # (paper, authorship, source)
    entry_paper: list[tuple[str, str, str]] = []  # (entry, paper, source)
    entry_line: dict[str, int] = {}
    entry_section: dict[str, str] = {}
    inferred: list[tuple[str, str]] = []
    paper_type = RKG + "Paper"
    entry_prefix, usage_prefix, authorship_prefix = ID_BASE + "entry/", ID_BASE + "usage/", ID_BASE + "authorship/"
    source_prefix = ID_BASE + "source/"

    def paper(iri: str) -> Paper:
        found = papers.get(iri)
        if found is None:
            found = papers[iri] = Paper(iri)
        return found

    for quad in quads:
        graph = quad.graph_name
        if not isinstance(graph, ox.NamedNode):
            continue
        subject, o = quad.subject, quad.object
        if isinstance(subject, ox.Triple) or isinstance(o, ox.Triple):
            continue  # RDF-star terms: the build writes none
        g, s, p = graph.value, subject.value, quad.predicate.value
        if g == ONTOLOGY.value:
            ontology.append(quad)
        if p in LABELS and isinstance(o, ox.Literal):
            if s not in labels or (p == SKOS + "prefLabel" and o.language in (None, "en")):
                labels[s] = o.value
        if g.startswith(SOURCE_GRAPH_BASE):
            src = g[len(SOURCE_GRAPH_BASE) :]
            if s.startswith(entry_prefix):
                if p == RKG + "describes":
                    entry_paper.append((s, o.value, src))
                elif p == RKG + "lineNumber":
                    entry_line[s] = int(o.value)
                elif p == RKG + "inSection":
                    entry_section[s] = o.value
                continue
            if s.startswith(PAPER_BASE) and "/" not in s[len(PAPER_BASE) :]:
                if p == RDF_TYPE and o.value == paper_type:
                    paper(s).typed_in.add(src)
                elif p == RKG + "hasBackboneUsage":
                    usage_of.append((s, o.value))
                elif p == RKG + "hasAuthorship":
                    authorship_of.append((s, o.value, src))
                elif p != RDF_TYPE:
                    value, is_iri = _value(o)
                    paper(s).claims.append((p, value, is_iri, src))
                continue
            if s.startswith(usage_prefix):
                usage = usages.setdefault(s, Usage(src, None))
                if p == RKG + "usesModel":
                    usage.model = o.value
                elif p == RKG + "tuningStrategy":
                    usage.strategy = o.value
                elif p == RKG + "statedIn":
                    usage_entry.append((s, o.value))
                continue
            if s.startswith(authorship_prefix):
                record = authorships.setdefault(s, [0, ""])
                if p == RKG + "authorPosition":
                    record[0] = int(o.value)
                elif p == RKG + "author":
                    record[1] = o.value
                continue
            if s.startswith(source_prefix) and s[len(source_prefix) :] == src:
                source = sources.setdefault(src, Source(src, s))
                if p == DCT + "title":
                    source.title = o.value
                elif p == RKG + "fileName":
                    source.file_name = o.value
                elif p == RKG + "taxonomy":
                    source.scheme = o.value
                continue
        if g == INFERRED.value:
            if p == RDF_TYPE and s.startswith(PAPER_BASE):
                inferred.append((s, o.value))
            continue
        if p == SKOS + "broader" and isinstance(o, ox.NamedNode):
            broader[s].append(o.value)
        elif p == SKOS + "inScheme":
            in_scheme[s] = o.value
        elif p == RKG + "url":
            urls.setdefault(s, o.value)
        elif p == SKOS + "notation":
            notation[s] = o.value
        elif p == ORG_SUB:
            parent_org[s] = o.value

    for usage_iri, entry in usage_entry:
        usages[usage_iri].line = entry_line.get(entry)
    for paper_iri, usage_iri in usage_of:
        if paper_iri in papers and usage_iri in usages:
            papers[paper_iri].usages.append(usages[usage_iri])
    for paper_iri, authorship, src in authorship_of:
        if paper_iri in papers and authorship in authorships:
            position, person = authorships[authorship]
            papers[paper_iri].authors.append((position, person, src))
    entry_sections: dict[tuple[str, int], str] = {}
    for entry, paper_iri, src in entry_paper:
        if paper_iri in papers and entry in entry_line:
            papers[paper_iri].entries.setdefault(src, []).append(entry_line[entry])
            if entry in entry_section:
                entry_sections[(src, entry_line[entry])] = entry_section[entry]
    for each in papers.values():
        each.entries = {src: sorted(set(lines)) for src, lines in sorted(each.entries.items())}
        each.authors.sort()
        each.usages.sort(key=lambda u: (u.source, u.line or 0, u.model or "", u.strategy or ""))
    for paper_iri, type_iri in inferred:
        if paper_iri in papers:
            papers[paper_iri].inferred_types.append(type_iri)
    if not papers:
        raise CatalogueError("the dataset has no papers (no rkg:Paper in any source graph): nothing to render")
    if not sources:
        raise CatalogueError("the dataset has no source lists (no graph/source/<id> with its rkg:SourceList)")
    return Catalogue(
        dict(sorted(papers.items())),
        dict(sorted(sources.items())),
        labels,
        dict(broader),
        in_scheme,
        notation,
        urls,
        parent_org,
        ontology,
        entry_sections,
    )
