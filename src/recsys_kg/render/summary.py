"""One paper in a line: the merged view the list, the index and the site's tables share, so they never disagree.

Where lists give several values the summary shows the one most lists state (ties: the first in source-id
order) and says that the lists disagree; the paper page shows every value with its source.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from recsys_kg.render.catalogue import DCT, RKG, Catalogue, Paper

ARXIV_ABS = "https://arxiv.org/abs/"
DOI_RESOLVER = "https://doi.org/"


@dataclass(frozen=True)
class Backbone:
    model: str | None
    strategy: str | None


@dataclass(frozen=True)
class Summary:
    paper: Paper
    title: str
    link: str | None
    venue: str | None
    year: str | None
    code: tuple[str, ...]
    backbones: tuple[Backbone, ...]
    companies: tuple[str, ...]
    methods: tuple[str, ...]
    arxiv: str | None
    doi: str | None
    conflicts: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.paper.key


def _most_stated(paper: Paper, prop: str, fold=str) -> str | None:
    """The value most source lists state (a list counted once per value); ties broken by first statement."""
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for value, _src in dict.fromkeys((value, src) for p, value, _, src in paper.claims if p == prop):
        counts[fold(value)] += 1
        first.setdefault(fold(value), value)
    if not counts:
        return None
    best = max(counts.values())
    return next(first[k] for k in first if counts[k] == best)


def best_link(paper: Paper) -> str | None:
    """arXiv abstract page, else the DOI resolver, else the first link a list gives."""
    arxiv = _most_stated(paper, RKG + "arxivId")
    if arxiv:
        return ARXIV_ABS + arxiv
    doi = _most_stated(paper, RKG + "doi")
    if doi:
        return DOI_RESOLVER + doi
    links = paper.values(RKG + "link")
    return links[0] if links else None


def summarize(catalogue: Catalogue, paper: Paper) -> Summary:
    venue = _most_stated(paper, RKG + "publishedIn")
    backbones = tuple(dict.fromkeys(Backbone(u.model, u.strategy) for u in paper.usages if u.model or u.strategy))
    code = tuple(dict.fromkeys(catalogue.urls.get(r, r) for r in paper.values(RKG + "codeRepository")))
    return Summary(
        paper=paper,
        title=_most_stated(paper, DCT + "title") or paper.key,
        link=best_link(paper),
        venue=venue,
        year=_most_stated(paper, RKG + "year"),
        code=code,
        backbones=backbones,
        companies=tuple(paper.values(RKG + "deployedBy")),
        methods=tuple(sorted({catalogue.label(m) for m in paper.values(RKG + "proposesMethod")})),
        arxiv=_most_stated(paper, RKG + "arxivId"),
        doi=_most_stated(paper, RKG + "doi"),
        conflicts=tuple(catalogue.conflicts(paper)),
    )


def summaries(catalogue: Catalogue) -> list[Summary]:
    return [summarize(catalogue, p) for p in catalogue.papers.values()]
