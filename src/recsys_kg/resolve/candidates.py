"""The part of entity resolution a person decides: which pairs of papers to propose as possible duplicates.

Resolution (resolve.py) merges only on identifiers and identical normalized titles. Weaker evidence — titles that
are close but not equal, a title equal to another once its 'Name:' prefix is dropped, the same method name, the same
code repository — is right often enough to be worth a look and wrong often enough (two different 'RecGPT' papers,
one repository holding two papers of a group) that it must never merge on its own. Each such pair is proposed once,
with every reason found and a score. A person answers in data/curation/same-paper.yaml or different-papers.yaml
(curated_decisions.py).
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from recsys_kg.normalize.identifiers import title_variants

TITLE_SIMILARITY = 85.0  # token_sort_ratio of normalized titles from which two titles count as similar
# A title without its 'Name:' prefix is a candidate key only when more than this many words are left: 'X: A Survey'
# and 'Y: A Survey' leave 'a survey', which says nothing about the paper and pairs every such title with every other.
MIN_REMAINDER_WORDS = 2
# A name or repository held by more papers than this is proposed as a chain (each holder with the next), not as
# every pair: 5,000 rows with one name made 12.5 million candidates and a build that did not finish.
MAX_PAIRED_HOLDERS = 16
# Two titles similar enough to propose share at least this fraction of their words (the duplicate-title search
# looks for similar pairs only among titles that do: candidates._blocked_pairs).
MIN_SHARED_WORDS = 0.5
_variants = lru_cache(maxsize=1 << 17)(title_variants)  # title_variants repairs text with ftfy, which is slow


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
    title_keys: tuple[str, ...]  # the same after identifiers.normalize_title, sorted
    names: tuple[str, ...]  # Name/Model cells, repaired (recsys_kg.text.repair_text)
    repos: frozenset[str]  # GitHub 'owner/repo', lower case


@lru_cache(maxsize=4096)
def _is_product(name: str) -> bool:
    """Whether a name is a product or backbone ('ChatGPT'), which many unrelated papers are listed under."""
    try:
        from recsys_kg.normalize.values import method_name_is_product
    except ImportError:  # the normalization tables are optional for resolution
        return False
    return method_name_is_product(name)


def method_names(paper: PaperFeatures) -> dict[str, str]:
    """Case-folded method name -> spelling, from Name/Model cells and one-word 'Name:' title prefixes."""
    spellings = list(paper.names)
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
        if len(ordered) > MAX_PAIRED_HOLDERS:  # a chain: every holder is still proposed, in linear time and space
            for i, j in zip(ordered, ordered[1:], strict=False):
                pairs[(i, j)].add(f"{owners[i]} (held by {len(ordered)} papers: each paired with the next only)")
            continue
        for n, i in enumerate(ordered):
            for j in ordered[n + 1 :]:
                pairs[(i, j)].add(owners[i])
    return pairs


def _blocked_pairs(texts: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (n, m), n < m, of token-sorted texts that share a word among their rarest (a prefix filter), scored
    by rapidfuzz in C++ on every core (cpdist) with a point of slack; the caller scores the few left exactly.

    Why not every pair: an exact similarity join is all-pairs, and grew 16x from 10x to 100x the seed. Titles
    that are 85 % alike character for character share most of their words; each text is indexed under its
    rarest words only (all but the MIN_SHARED_WORDS fraction of its words, rarest first, plus one), so two texts
    sharing at least that fraction of their words always meet in some block, and common words ('for',
    'recommendation') make no blocks. Blocks grow with a word's rarity, not with the number of titles. That it
    finds exactly the pairs of the exhaustive search is checked on the seed lists and their 10x copy
    (tests/test_candidates_blocking.py) and on planted near-duplicates (benchmarks/test_fast_paths.py)."""
    words = [key.split() for key in texts]
    frequency = Counter(word for tokens in words for word in set(tokens))
    lengths = [len(text) for text in texts]
    slack = TITLE_SIMILARITY - 1
    blocks: dict[str, list[int]] = defaultdict(list)
    for n, tokens in enumerate(words):
        rarest = sorted(set(tokens), key=lambda word: (frequency[word], word))
        for word in rarest[: len(rarest) - math.ceil(MIN_SHARED_WORDS * len(rarest)) + 1]:
            blocks[word].append(n)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        for k, n in enumerate(members):
            for m in members[k + 1 :]:
                shorter, longer = sorted((lengths[n], lengths[m]))
                if 200 * shorter >= slack * (shorter + longer):  # the best ratio() two lengths allow
                    pairs.add((n, m))
    ordered = sorted(pairs)
    if not ordered:
        return []
    scores = process.cpdist(
        [texts[n] for n, _ in ordered],
        [texts[m] for _, m in ordered],
        scorer=fuzz.ratio,
        score_cutoff=slack,
        workers=-1,
    )
    return [pair for pair, score in zip(ordered, scores.tolist(), strict=False) if score]


def similar_titles(titles: Sequence[tuple[int, str]], exhaustive_below: int = 2000) -> dict[tuple[int, int], float]:
    """{(i, j): best token_sort_ratio} for papers i < j with normalized titles at least TITLE_SIMILARITY alike.

    token_sort_ratio is ratio() of the space-joined sorted tokens, so each title is sorted once, not once per
    pair. Inputs under ``exhaustive_below`` titles compare every pair; larger ones only the pairs
    :func:`_blocked_pairs` proposes (the same pairs on the lists we have, found in time linear in the titles).
    """
    sorted_keys = [" ".join(sorted(key.split())) for _, key in titles]
    if len(titles) < exhaustive_below:
        pairs = [
            (n, n + 1 + m)
            for n, key in enumerate(sorted_keys)
            for _, _, m in process.extract(
                key, sorted_keys[n + 1 :], scorer=fuzz.ratio, score_cutoff=TITLE_SIMILARITY, limit=None
            )
        ]
    else:
        pairs = _blocked_pairs(sorted_keys)
    similar: dict[tuple[int, int], float] = {}
    for n, m in pairs:
        score = fuzz.ratio(sorted_keys[n], sorted_keys[m], score_cutoff=TITLE_SIMILARITY)
        i, j = titles[n][0], titles[m][0]
        if score and i != j:
            pair = (min(i, j), max(i, j))
            similar[pair] = max(similar.get(pair, 0.0), score)
    return similar


def find_candidates(papers: Sequence[PaperFeatures], apart: set[tuple[str, str]]) -> tuple[Candidate, ...]:
    """Every pair of distinct papers with similar titles, a shared name or repository, minus the ``apart`` key pairs."""
    similar = similar_titles([(i, key) for i, paper in enumerate(papers) for key in paper.title_keys])
    variants = _shared(
        (i, v, v)
        for i, p in enumerate(papers)
        for t in p.titles
        for v in _variants(t)
        if v in p.title_keys or len(v.split()) > MIN_REMAINDER_WORDS
    )
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
        scores = [fuzz.token_sort_ratio(a, b) for a in papers[i].title_keys for b in papers[j].title_keys]
        score = max(scores, default=0.0)
        candidates.append(Candidate(left.key, right.key, round(score, 1), tuple(reasons), left.titles, right.titles))
    return tuple(sorted(candidates, key=lambda c: (-c.score, c.left, c.right)))
