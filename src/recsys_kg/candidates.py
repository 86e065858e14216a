"""Pairs of papers that look alike but were not merged, for a person to decide.

Entity resolution (resolve.py) merges only on identifiers and identical normalized titles. Weaker evidence — titles
that are close but not equal, a title equal to another once its 'Name:' prefix is dropped, the same method name,
the same code repository — is right often enough to be worth a look and wrong often enough (two different
'RecGPT' papers, one repository holding two papers of a group) that it must never merge on its own. Each pair is
proposed once, with every reason found and a score; the answer goes into data/curation/same-paper.yaml or
different-papers.yaml, and a different-papers pair is not proposed again.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .identifiers import normalize_title, title_variants
from .text import repair_text

TITLE_SIMILARITY = 85.0  # token_sort_ratio of normalized titles from which two titles count as similar


@dataclass(frozen=True)
class Candidate:
    """Two papers that look alike but were not merged."""

    left: str  # paper keys, left < right
    right: str
    score: float  # best token_sort_ratio (0..100) between their normalized titles; 0 when one has no title
    reasons: tuple[str, ...]
    left_titles: tuple[str, ...]
    right_titles: tuple[str, ...]


@dataclass(frozen=True)
class PaperFeatures:
    """What candidates are found from, per resolved paper."""

    key: str
    titles: tuple[str, ...]  # display titles
    names: tuple[str, ...]  # Name/Model cells as written
    repos: frozenset[str]  # GitHub 'owner/repo', lower case


def _is_product(name: str) -> bool:
    """Whether a name is a product or backbone ('ChatGPT'), which many unrelated papers are listed under."""
    try:
        from .normalize import method_name_is_product
    except ImportError:  # the normalization tables are optional for resolution
        return False
    return method_name_is_product(name)


def method_names(paper: PaperFeatures) -> dict[str, str]:
    """Case-folded method name -> spelling, from Name/Model cells and one-word 'Name:' title prefixes."""
    spellings = [repair_text(name) for name in paper.names]
    for title in paper.titles:
        prefix, colon, _ = unicodedata.normalize("NFKC", title).partition(":")
        if colon and len(prefix.split()) == 1:
            spellings.append(prefix.strip())
    found: dict[str, str] = {}
    for name in sorted(spellings):
        if len(name) > 1 and not _is_product(name):
            found.setdefault(name.casefold(), name)
    return found


def _shared(values: Iterable[tuple[int, str, str]]) -> dict[tuple[int, int], set[str]]:
    """(paper index, value, shown) triples -> {(i, j): shown values} for every pair of papers with a value in common."""
    holders: dict[str, dict[int, str]] = defaultdict(dict)
    for paper, value, shown in values:
        holders[value].setdefault(paper, shown)
    pairs: dict[tuple[int, int], set[str]] = defaultdict(set)
    for owners in holders.values():
        ordered = sorted(owners)
        for n, i in enumerate(ordered):
            for j in ordered[n + 1 :]:
                pairs[(i, j)].add(owners[i])
    return pairs


def find_candidates(papers: Sequence[PaperFeatures], apart: set[tuple[str, str]]) -> tuple[Candidate, ...]:
    """Every pair of distinct papers with similar titles, a shared name or repository, minus the ``apart`` key pairs."""
    title_keys = [sorted({normalize_title(t) for t in paper.titles} - {""}) for paper in papers]
    titles = [(i, key) for i, keys_of_paper in enumerate(title_keys) for key in keys_of_paper]
    keys = [key for _, key in titles]
    similar: dict[tuple[int, int], float] = {}
    for n, (i, key) in enumerate(titles):
        for _, score, m in process.extract(key, keys[n + 1 :], scorer=fuzz.token_sort_ratio, score_cutoff=TITLE_SIMILARITY, limit=None):
            j = titles[n + 1 + m][0]
            if i != j:
                pair = (min(i, j), max(i, j))
                similar[pair] = max(similar.get(pair, 0.0), score)
    variants = _shared((i, v, v) for i, p in enumerate(papers) for t in p.titles for v in title_variants(t))
    names = _shared((i, folded, shown) for i, p in enumerate(papers) for folded, shown in method_names(p).items())
    repos = _shared((i, repo, repo) for i, p in enumerate(papers) for repo in p.repos)

    candidates = []
    for i, j in sorted(set(similar) | set(variants) | set(names) | set(repos)):
        left, right = sorted((papers[i], papers[j]), key=lambda p: p.key)
        if (left.key, right.key) in apart:
            continue
        reasons = [f"similar titles (token_sort_ratio {similar[(i, j)]:.1f})"] if (i, j) in similar else []
        reasons += [f"same title without its name prefix: {v!r}" for v in sorted(variants.get((i, j), ()))]
        reasons += [f"same method name {n}" for n in sorted(names.get((i, j), ()))]
        reasons += [f"same code repository github:{r}" for r in sorted(repos.get((i, j), ()))]
        score = max((fuzz.token_sort_ratio(a, b) for a in title_keys[i] for b in title_keys[j]), default=0.0)
        candidates.append(Candidate(left.key, right.key, round(score, 1), tuple(reasons), left.titles, right.titles))
    return tuple(sorted(candidates, key=lambda c: (-c.score, c.left, c.right)))
