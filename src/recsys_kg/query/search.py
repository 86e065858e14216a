"""Finding papers the way people type them: any identifier form, or words of a title or a method name.

An identifier is read by the same parser the build uses to merge entries (`normalize.identifiers`), so every
form a list may use finds the paper: ``arXiv:2305.19860``, ``2305.19860v2``, arXiv abs/pdf links, a DOI with or
without ``https://doi.org/``, ACM / Springer / IEEE / OpenReview / ACL Anthology / Semantic Scholar links.
Identifiers are looked up in the store directly. Anything else is compared with the papers' titles and method
names after the build's title normalization (case, hyphens, punctuation and mis-encodings do not count) and
scored with rapidfuzz, so small typos still rank the paper first; those names are read from the graph once (one
SPARQL query, on the first search by name) and kept. Measured (benchmarks/bench_api.py, the ``search`` stage of
benchmarks/run.py): a few ms on the seed graph, 28 ms p50 at 100 times the seed (3 s to read the names once).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyoxigraph as ox
from rapidfuzz import fuzz, process

from recsys_kg.normalize.identifiers import normalize_arxiv, normalize_doi, normalize_title, parse_link
from recsys_kg.query.canned import select
from recsys_kg.rdf.graphs import ID_BASE
from recsys_kg.rdf.namespaces import RKG

# identifier kind (LinkIds field names) -> the property the graph states it with, in the canonical form
# normalize.identifiers gives (DOIs and Semantic Scholar ids lower case, arXiv ids without version)
_ID_PROPERTIES = {
    "arxiv": RKG.arxivId,
    "doi": RKG.doi,
    "openreview": RKG.openReviewId,
    "semantic_scholar": RKG.semanticScholarId,
    "acl_anthology": RKG.aclAnthologyId,
    "ieee": RKG.ieeeDocumentId,
    "aaai": RKG.aaaiArticleId,
}
_ID_LABELS = {
    "arxiv": "arXiv id",
    "doi": "DOI",
    "openreview": "OpenReview id",
    "semantic_scholar": "Semantic Scholar id",
    "acl_anthology": "ACL Anthology id",
    "ieee": "IEEE document",
    "aaai": "AAAI article",
    "link": "link",
}
_S2_ID = re.compile(r"[0-9a-fA-F]{40}")
TITLE = "http://purl.org/dc/terms/title"
RERANKED = 200  # candidates taken from each way of finding them (see PaperIndex.by_name)
COMMON_FLOOR = 50  # a word selects candidates only if at most max(this, 5% of the names) contain it
CONTAINED = 95.0  # the score of a title or name that contains the words as typed (whole words, normalized)

# Every paper's titles and method names, each once (the lists repeat them: one statement per list). Papers are
# told apart from other titled things by their IRIs (id/paper/...), which costs nothing, where joining each title
# with the paper's type in every graph that states it would multiply the rows by the number of lists.
NAMES_QUERY = f"""PREFIX rkg: <{RKG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?paper ?property ?value WHERE {{
  {{
    GRAPH ?g {{ ?paper <{TITLE}> ?value }}
    FILTER(STRSTARTS(STR(?paper), "{ID_BASE}paper/"))
    BIND(<{TITLE}> AS ?property)
  }} UNION {{
    GRAPH ?g {{ ?paper rkg:proposesMethod ?method }}
    GRAPH ?h {{ ?method rdfs:label ?value }}
    BIND(rkg:proposesMethod AS ?property)
  }}
}}"""
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_PAPER = ox.NamedNode(str(RKG.Paper))
_TITLE = ox.NamedNode(TITLE)
_LINK = ox.NamedNode(str(RKG.link))
_ANY_URI = ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")


@dataclass(frozen=True)
class Hit:
    """One paper a search found: its IRI, a title to show, a score (100: an identifier or an exact name) and what
    matched (``arXiv id 2305.19860``, ``title``, ``method TALLRec``)."""

    paper: str
    title: str
    score: float
    matched: str


def identifier_keys(text: str) -> list[tuple[str, str]]:
    """(kind, canonical id) of every identifier the text names, in any form people paste; [] for plain words."""
    text = text.strip()
    keys: list[tuple[str, str]] = []
    if arxiv := normalize_arxiv(text):
        keys.append(("arxiv", arxiv[0]))
    if doi := normalize_doi(text):
        keys.append(("doi", doi))
        if doi.startswith("10.48550/arxiv.") and (arxiv := normalize_arxiv(doi.removeprefix("10.48550/arxiv."))):
            keys.append(("arxiv", arxiv[0]))
    if _S2_ID.fullmatch(text):
        keys.append(("semantic_scholar", text.lower()))
    if "://" in text:
        ids = parse_link(text)
        for kind in ("arxiv", "doi", "openreview", "semantic_scholar", "acl_anthology", "ieee", "aaai"):
            if value := getattr(ids, kind):
                keys.append((kind, value))
        keys.append(("link", text))
    return list(dict.fromkeys(keys))


def describe_identifier(text: str) -> str:
    """The identifiers the text names, for a message: ``arXiv id 2305.00447``."""
    return " or ".join(f"{_ID_LABELS[kind]} {value}" for kind, value in identifier_keys(text)) or repr(text)


def _word_coverage(words: list[str], choices: list[str]) -> list[float]:
    """For each choice, how well the typed words appear in it (0-100): the mean over the words of the best
    fuzz.ratio with one of the choice's words. One rapidfuzz matrix over the choices' distinct words, then one
    numpy maximum over each choice's words, so the cost does not grow with the size of the graph."""
    if not choices:
        return []
    split = [choice.split() for choice in choices]
    vocabulary = list(dict.fromkeys(word for choice_words in split for word in choice_words))
    column = {word: index for index, word in enumerate(vocabulary)}
    ratios = np.append(process.cdist(words, vocabulary, scorer=fuzz.ratio), np.zeros((len(words), 1)), axis=1)
    width = max(len(choice_words) for choice_words in split)
    padding = len(vocabulary)  # the zero column appended above
    index = np.array(
        [[column[w] for w in choice_words] + [padding] * (width - len(choice_words)) for choice_words in split]
    )
    return [float(v) for v in ratios[:, index].max(axis=2).mean(axis=0)]


class PaperIndex:
    """Papers by identifier (looked up in the store, no index needed) and by name: every title and method name,
    normalized once, read from the graph on the first search by name (seconds at 100 times the seed graph)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def is_paper(self, iri: str) -> bool:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return False
        return next(self.store.quads_for_pattern(node, _RDF_TYPE, _PAPER, None), None) is not None

    def title(self, paper: str) -> str:
        """The title people see: the one most lists use, ties broken by code-point order (deterministic)."""
        titles = [
            q.object.value
            for q in self.store.quads_for_pattern(ox.NamedNode(paper), _TITLE, None, None)
            if isinstance(q.object, ox.Literal)
        ]
        return min(titles, key=lambda t: (-titles.count(t), t)) if titles else ""

    def with_identifier(self, kind: str, value: str) -> list[str]:
        """The papers the graph states the identifier (or, for kind 'link', the link) for."""
        if kind == "link":
            prop, obj = _LINK, ox.Literal(value, datatype=_ANY_URI)
        else:
            prop, obj = ox.NamedNode(str(_ID_PROPERTIES[kind])), ox.Literal(value)
        return sorted(
            {
                q.subject.value
                for q in self.store.quads_for_pattern(None, prop, obj, None)
                if isinstance(q.subject, ox.NamedNode) and self.is_paper(q.subject.value)
            }
        )

    def by_identifier(self, text: str) -> list[Hit] | None:
        """The papers an identifier names (None when the text names no identifier; [] when none is in the graph)."""
        keys = identifier_keys(text)
        if not keys:
            return None
        hits: dict[str, Hit] = {}
        for kind, value in keys:
            for paper in self.with_identifier(kind, value):
                hits.setdefault(paper, Hit(paper, self.title(paper), 100.0, f"{_ID_LABELS[kind]} {value}"))
        return list(hits.values())

    @cached_property
    def names(self) -> dict[str, dict[str, str]]:
        """Normalized title or method name -> {paper: how it matched ('title' or 'method <name>')}."""
        names: dict[str, dict[str, str]] = defaultdict(dict)
        normalized: dict[str, str] = {}  # each distinct text normalized once
        for paper, prop, value in select(self.store, NAMES_QUERY):
            text = value.value
            key = normalized.get(text) or normalized.setdefault(text, normalize_title(text))
            if prop.value == TITLE:
                names[key].setdefault(paper.value, "title")
            else:
                names[key][paper.value] = f"method {text}"
        return dict(names)

    @cached_property
    def keys(self) -> list[str]:
        """The names as rapidfuzz's choices, each once."""
        return list(self.names)

    @cached_property
    def postings(self) -> dict[str, list[int]]:
        """Word -> the positions in `keys` of the names it occurs in."""
        postings: dict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(self.keys):
            for word in set(key.split()):
                postings[word].append(index)
        return dict(postings)

    @cached_property
    def vocabulary(self) -> list[str]:
        return list(self.postings)

    @cached_property
    def common(self) -> int:
        """A word in more names than this selects no candidates (it would select most of them)."""
        return max(COMMON_FLOOR, len(self.keys) // 20)

    def by_name(self, text: str, limit: int | None = 10, cutoff: float = 50.0) -> list[Hit]:
        """Papers whose titles or method names resemble the text, best first: 100 for an exact title or name,
        95 for one containing the words, else the mean of rapidfuzz's WRatio and how well each typed word
        matches some word of the title (so "llm agents for recommendation" prefers a title with all four
        words, typos allowed, to one that merely shares "recommendation"); ties by the name matched, then IRI.

        Only a few hundred candidates are scored that way, so a search costs about the same at 100 times the
        seed graph: the names closest as a whole (Indel ratio over every name, fast), the names sharing the
        typed words that are not common (or, for a word no name has, the closest words any name has), and the
        names containing the text."""
        key = normalize_title(text)
        if not key:
            return []
        words = key.split()
        candidates = {index for _, _, index in process.extract(key, self.keys, scorer=fuzz.ratio, limit=RERANKED)}
        shared: Counter[int] = Counter()
        for word in set(words):
            variants = (
                [word]
                if word in self.postings
                else [
                    v for v, _, _ in process.extract(word, self.vocabulary, scorer=fuzz.ratio, limit=3, score_cutoff=75)
                ]
            )
            for variant in variants:
                if len(self.postings[variant]) <= self.common:
                    shared.update(self.postings[variant])
        candidates.update(index for index, _ in shared.most_common(RERANKED))
        padded = f" {key} "
        contained = {index for index, choice in enumerate(self.keys) if padded in f" {choice} "}
        scored = sorted(candidates - contained)
        choices = [self.keys[i] for i in scored]
        coverage = _word_coverage(words, choices)
        scores = [
            (i, min((fuzz.WRatio(key, c) + covered) / 2, CONTAINED - 0.1))
            for i, c, covered in zip(scored, choices, coverage, strict=True)
        ]
        scores += [(i, 100.0 if self.keys[i] == key else CONTAINED) for i in contained]
        best: dict[str, tuple[float, str, str]] = {}  # paper -> (score, the name matched, how)
        for index, score in scores:
            if score < cutoff:
                continue
            for paper, matched in self.names[self.keys[index]].items():
                if paper not in best or score > best[paper][0]:
                    best[paper] = (round(float(score), 1), self.keys[index], matched)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))
        return [
            Hit(paper, self.title(paper), score, matched)
            for paper, (score, _, matched) in ranked[: limit if limit is not None else len(ranked)]
        ]

    def contains(self, text: str) -> list[str]:
        """The papers one of whose titles or method names equals or contains the text (whole words), normalized."""
        key = normalize_title(text)
        if not key:
            return []
        padded = f" {key} "  # whole words: "p5" is in "p5 id", not in "vip5"
        return sorted({paper for choice, papers in self.names.items() if padded in f" {choice} " for paper in papers})

    def search(self, text: str, limit: int | None = 10) -> list[Hit]:
        """Identifier matches when the text is an identifier, else titles and method names by similarity."""
        by_id = self.by_identifier(text)
        if by_id:
            return by_id[:limit] if limit is not None else by_id
        return self.by_name(text, limit)
