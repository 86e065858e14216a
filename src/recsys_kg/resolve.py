"""Entity resolution: which entries of the five lists describe the same paper, so each paper is one node.

The lists name a paper by different links (an ACM DOI in one list, the arXiv e-print in another), different
versions of its title (KELLMRec became TRAWL between arXiv versions) or only a title. Entries are merged when they
share a persistent identifier (arXiv id, DOI, Semantic Scholar paper or corpus id, OpenReview, ACL Anthology,
IEEE Xplore or AAAI id) or the same normalized full title; that is all the code merges on. Two papers can share a
method name ('RecGPT', 'LLMRec') or a code repository and still be different, and a renamed paper can share only
its method name with its old title, so name, repository and fuzzy-title similarity never merge: they produce
*candidates* for a person to decide. Decisions live in ``data/curation/same-paper.yaml`` (merge) and
``data/curation/different-papers.yaml`` (never merge, and stop proposing the pair); a decision that no longer
matches any entry is reported as stale instead of silently doing nothing.

Every paper gets a key that is stable across rebuilds because it is derived from the best identifier of its
cluster, not from list order: ``arxiv-<id>``, else ``doi-<doi>``, else ``title-<hash of the normalized title>``.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import records as R
from .candidates import Candidate, PaperFeatures, find_candidates
from .identifiers import normalize_arxiv, normalize_doi, normalize_title, parse_link
from .ingest.markdown_doc import inline_links, inline_text
from .records import Entry

PAPER_KINDS = frozenset({R.PAPER, R.SURVEY_COMPARISON, R.BIBLIOGRAPHIC_RECORD, R.CITING_PAPER, R.REFERENCE})
# Dataset and benchmark entries are keyed too when their link names a paper (the paper that introduced them).
_PAPER_LINKED_KINDS = frozenset({R.DATASET, R.BENCHMARK})
PROJECT_ROOT = Path(__file__).resolve().parents[2]
CURATION_DIR = PROJECT_ROOT / "data" / "curation"
SAME_FILE, DIFFERENT_FILE = "same-paper.yaml", "different-papers.yaml"

# Identifier fields, in the order their merge rules run; each one names a paper on its own.
ID_FIELDS = ("arxiv", "doi", "semantic_scholar", "corpus_id", "openreview", "acl_anthology", "ieee", "aaai")
_RULES = {
    "arxiv": "same arXiv id", "doi": "same DOI", "semantic_scholar": "same Semantic Scholar id",
    "corpus_id": "same Semantic Scholar corpus id", "openreview": "same OpenReview id",
    "acl_anthology": "same ACL Anthology id", "ieee": "same IEEE Xplore id", "aaai": "same AAAI id",
    "title": "same title",
}  # fmt: skip
# Prefixes of identifier references in curation files and anchors ('arxiv:2308.10835', 'title:Some Title').
_REF_FIELDS = {
    "arxiv": "arxiv", "doi": "doi", "s2": "semantic_scholar", "corpus": "corpus_id", "openreview": "openreview",
    "acl": "acl_anthology", "ieee": "ieee", "aaai": "aaai", "title": "title",
}  # fmt: skip
_ARXIV_DOI = "10.48550/arxiv."
_QUOTES = ("'", "‘", "’")
_NONE = {"", "n/a", "-", "~"}


@dataclass(frozen=True)
class PaperIdentity:
    key: str
    arxiv: tuple[str, ...]
    doi: tuple[str, ...]  # DOIs other than arXiv DOIs (those are recorded as the arXiv id)
    semantic_scholar: tuple[str, ...]
    openreview: tuple[str, ...]
    acl_anthology: tuple[str, ...]
    ieee: tuple[str, ...]
    aaai: tuple[str, ...]
    corpus_id: tuple[str, ...]
    titles: tuple[str, ...]
    entries: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Resolution:
    papers: tuple[PaperIdentity, ...]
    by_entry: dict[tuple[str, int], str]
    candidates: tuple[Candidate, ...]
    merges: tuple[tuple[str, str, str], ...]  # (paper key, reason, detail)
    stale_decisions: tuple[str, ...]
    cross_list: dict[str, dict[str, int]]
    # (left key, right key, detail) for merges the identifier rules would have made but different-papers.yaml forbids
    kept_apart: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class EntryIds:
    """What one entry says about the paper it describes: identifiers, display titles, method names, repositories."""

    arxiv: frozenset[str] = frozenset()
    doi: frozenset[str] = frozenset()
    semantic_scholar: frozenset[str] = frozenset()
    corpus_id: frozenset[str] = frozenset()
    openreview: frozenset[str] = frozenset()
    acl_anthology: frozenset[str] = frozenset()
    ieee: frozenset[str] = frozenset()
    aaai: frozenset[str] = frozenset()
    titles: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # from the Name/Model cell, as written (repaired)
    repos: frozenset[str] = frozenset()  # 'owner/repo' of GitHub links: code, never a paper identifier

    @property
    def title_keys(self) -> frozenset[str]:
        return frozenset(filter(None, map(normalize_title, self.titles)))

    def has_paper_id(self) -> bool:
        return any(getattr(self, name) for name in ID_FIELDS)


def parse_ref(ref: str) -> tuple[str, str] | None:
    """('arxiv', '2308.10835') for 'arxiv:2308.10835v2', ('title', normalized title) for 'title:...'; None if malformed.

    An arXiv DOI ('doi:10.48550/arXiv.2305.19860') is read as the arXiv id it names.
    """
    prefix, colon, value = ref.partition(":")
    name = _REF_FIELDS.get(prefix.strip().lower())
    value = value.strip()
    if not colon or not name or not value:
        return None
    if name == "arxiv":
        arxiv = normalize_arxiv(value)
        return ("arxiv", arxiv[0]) if arxiv else None
    if name == "doi":
        doi = normalize_doi(value)
        if doi and doi.startswith(_ARXIV_DOI) and (arxiv := normalize_arxiv(doi[len(_ARXIV_DOI) :])):
            return "arxiv", arxiv[0]
        return ("doi", doi) if doi else None
    if name == "title":
        return ("title", key) if (key := normalize_title(value)) else None
    return name, value.lower() if name == "semantic_scholar" else value


def display_title(raw: str) -> str:
    """The visible text of a title cell, without the single quotes the next-generation survey's tables add."""
    title = inline_text(raw)
    if len(title) >= 2 and title[0] in _QUOTES and title[-1] in _QUOTES:
        title = title[1:-1].strip()
    return title


def _urls(raw: str) -> list[str]:
    """URLs of the links in a markdown cell, or its bare URLs when it has no markdown link."""
    links = inline_links(raw)
    if links:
        return [link.url for link in links if link.url]
    return [word for word in inline_text(raw).split() if word.startswith(("http://", "https://"))]


def paper_ids_of(entry: Entry, anchor: str | None = None) -> EntryIds:
    """The identifiers, titles, names and code repositories one entry gives for its paper.

    ``anchor`` ('arxiv:2410.19744') is used for an entry that stands for its list's own paper (field R.SELF)
    when the entry itself does not say which paper that is.
    """
    found: dict[str, set[str]] = defaultdict(set)
    repos: set[str] = set()
    for role in (R.LINK, R.TITLE, R.PAPER_LINK, R.CODE):
        raw = entry.fields.get(role, "")
        # A title cell may hold a [Title](url) link; bare text in it is the title, never a URL.
        urls = [link.url for link in inline_links(raw)] if role == R.TITLE else _urls(raw)
        for url in urls:
            ids = parse_link(url)
            if ids.github:
                repos.add(ids.github)
            elif role != R.CODE:
                for name in ID_FIELDS:
                    if (value := getattr(ids, name)) and not (name == "doi" and ids.arxiv):
                        found[name].add(value)
    refs = [f"doi:{entry.fields[R.DOI]}"] if R.DOI in entry.fields else []
    refs += [f"corpus:{entry.fields[R.CORPUS_ID].strip()}"] if R.CORPUS_ID in entry.fields else []
    refs += [entry.fields.get(R.SELF) or anchor or ""] if R.SELF in entry.fields else []
    for parsed in filter(None, map(parse_ref, refs)):
        found[parsed[0]].add(parsed[1])
    titles = ()
    if entry.kind in PAPER_KINDS and (title := display_title(entry.fields.get(R.TITLE, ""))):
        titles = (title,)
    name = inline_text(entry.fields.get(R.NAME, ""))
    names = (name,) if name.casefold() not in _NONE else ()
    return EntryIds(**{k: frozenset(v) for k, v in found.items()}, titles=titles, names=names, repos=frozenset(repos))


def _ref_matches(ref: tuple[str, str], ids: EntryIds) -> bool:
    name, value = ref
    return value in (ids.title_keys if name == "title" else getattr(ids, name))


# --- curated decisions ---------------------------------------------------------------------------------------


class CurationError(ValueError):
    """A curation file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Decision:
    file: str  # as shown in reports: relative to the project when it is inside it
    line: int
    left: str
    right: str
    reason: str
    checked_by: str


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def load_decisions(path: Path) -> tuple[Decision, ...]:
    """The pairs of one curation file (a missing file has none); raise :class:`CurationError` on a malformed one."""
    if not path.exists():
        return ()
    shown = _shown(path)
    text = path.read_text(encoding="utf-8")
    try:
        node, data = yaml.compose(text), yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CurationError(f"{shown}:{mark.line + 1 if mark else 0}: {exc}") from None
    if data is None:
        return ()
    if not isinstance(data, list):
        raise CurationError(f"{shown}:1: expected a list of pairs (items starting with '- left:')")
    decisions = []
    for item, item_node in zip(data, node.value):
        line = item_node.start_mark.line + 1
        keys = set(item) if isinstance(item, dict) else set()
        if keys != {"left", "right", "reason", "checked_by"} or not all(isinstance(v, str) and v.strip() for v in item.values()):
            raise CurationError(f"{shown}:{line}: each pair needs exactly left, right, reason and checked_by, as text")
        for side in ("left", "right"):
            if parse_ref(item[side]) is None:
                raise CurationError(f"{shown}:{line}: {side} {item[side]!r} is not an identifier such as "
                                    "'arxiv:2308.10835', 'doi:10.1145/...', 'aaai:29887' or 'title:<title>'")
        decisions.append(Decision(shown, line, item["left"], item["right"], item["reason"].strip(), item["checked_by"].strip()))
    return tuple(decisions)


# --- clustering ----------------------------------------------------------------------------------------------


@dataclass
class _Node:
    """An entry to resolve, or an anchor (the paper a list belongs to, which must exist even if no entry names it)."""

    ref: tuple[str, int] | None
    ids: EntryIds
    source: str


@dataclass
class _Clusters:
    """Union-find over nodes that refuses a union joining the two sides of a different-papers decision."""

    nodes: list[_Node]
    sides: list[set[tuple[int, str]]]  # per node: (decision number, 'left' or 'right')
    parent: list[int] = field(init=False)
    members: dict[int, list[int]] = field(init=False)
    merges: list[tuple[int, str, str]] = field(default_factory=list)  # (node, reason, detail)
    refused: list[tuple[int, int, str]] = field(default_factory=list)  # (node, node, detail)

    def __post_init__(self) -> None:
        self.parent = list(range(len(self.nodes)))
        self.members = {i: [i] for i in range(len(self.nodes))}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = i = self.parent[self.parent[i]]
        return i

    def _summary(self, root: int) -> str:
        ids = [self.nodes[m].ids for m in self.members[root]]
        titles = sorted({t for i in ids for t in i.titles}) or [_best_key(_merge_ids(ids), ())]
        sources = sorted({self.nodes[m].source for m in self.members[root]})
        return f"{' | '.join(titles)} ({', '.join(sources)})"

    def link(self, a: int, b: int, reason: str, value: str, decisions: Sequence[Decision], always_log: bool = False) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        clash = next((d for d, side in self.sides[ra] if (d, "right" if side == "left" else "left") in self.sides[rb]), None)
        if clash is not None:
            d = decisions[clash]
            self.refused.append((a, b, f"{reason} {value}, but {d.file} line {d.line} says they differ: {d.reason}"))
            return
        ids_a = _merge_ids([self.nodes[m].ids for m in self.members[ra]])
        ids_b = _merge_ids([self.nodes[m].ids for m in self.members[rb]])
        new_titles = ids_a.title_keys and ids_b.title_keys and ids_a.title_keys.isdisjoint(ids_b.title_keys)
        if always_log or new_titles or _best_key(ids_a, ()) != _best_key(ids_b, ()):
            self.merges.append((a, reason, f"{value}: {self._summary(ra)} / {self._summary(rb)}"))
        small, big = sorted((ra, rb), key=lambda r: len(self.members[r]))
        self.parent[small] = big
        self.members[big] += self.members.pop(small)
        self.sides[big] |= self.sides[small]


def _merge_ids(ids: Sequence[EntryIds]) -> EntryIds:
    union = {name: frozenset().union(*(getattr(i, name) for i in ids)) for name in (*ID_FIELDS, "repos")}
    titles = tuple(sorted({t for i in ids for t in i.titles}))
    names = tuple(sorted({n for i in ids for n in i.names}))
    return EntryIds(**union, titles=titles, names=names)


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _key_options(ids: EntryIds, refs: Sequence[tuple[str, int]]) -> list[str]:
    """Keys a cluster may take, best first: arXiv ids, DOIs, title keys, other identifiers, then its entries."""
    options = ["arxiv-" + a.replace("/", "_") for a in sorted(ids.arxiv)]
    for doi in sorted(ids.doi):
        local = doi.replace("/", "_")
        options.append("doi-" + (local if re.fullmatch(r"[a-z0-9._-]+", local) else _hash(doi)))
    options += sorted("title-" + _hash(t) for t in ids.title_keys)
    for name, prefix in (("semantic_scholar", "s2"), ("corpus_id", "corpus"), ("openreview", "openreview"),
                         ("acl_anthology", "acl"), ("ieee", "ieee"), ("aaai", "aaai")):
        options += [f"{prefix}-{_hash(v) if not re.fullmatch(r'[A-Za-z0-9._-]+', v) else v}" for v in sorted(getattr(ids, name))]
    return options + [f"entry-{_hash(f'{source}:{line}')}" for source, line in sorted(refs)]


def _best_key(ids: EntryIds, refs: Sequence[tuple[str, int]]) -> str:
    return (_key_options(ids, refs) or ["none"])[0]


def resolve(entries: Sequence[Entry], anchors: Mapping[str, str] = {}, curation_dir: Path | None = None) -> Resolution:
    """Resolve entries to papers (see the module docstring). ``anchors``: {source id: 'arxiv:ID'} from the manifest;
    ``curation_dir``: where same-paper.yaml and different-papers.yaml are (default: the project's data/curation)."""
    directory = CURATION_DIR if curation_dir is None else curation_dir
    same, different = load_decisions(directory / SAME_FILE), load_decisions(directory / DIFFERENT_FILE)
    nodes = [_Node(None, EntryIds(**{parsed[0]: frozenset({parsed[1]})}), source)
             for source, ref in sorted(anchors.items()) if (parsed := parse_ref(ref)) and parsed[0] != "title"]
    for entry in sorted(entries, key=lambda e: (e.source, e.line)):
        ids = paper_ids_of(entry, anchors.get(entry.source))
        if entry.kind in PAPER_KINDS or (entry.kind in _PAPER_LINKED_KINDS and ids.has_paper_id()):
            nodes.append(_Node((entry.source, entry.line), ids, entry.source))

    def matching(ref: str) -> list[int]:
        parsed = parse_ref(ref)
        return [i for i, node in enumerate(nodes) if parsed and _ref_matches(parsed, node.ids)]

    stale: list[str] = []

    def check(decision: Decision, kind: str) -> tuple[list[int], list[int]] | None:
        left, right = matching(decision.left), matching(decision.right)
        for side, found in ((decision.left, left), (decision.right, right)):
            if not found:
                stale.append(f"{decision.file} line {decision.line}: {side!r} matches no entry of the lists, so this "
                             f"{kind} decision is not applied; update or remove it.")
        if left and right and set(left) & set(right):
            stale.append(f"{decision.file} line {decision.line}: {decision.left!r} and {decision.right!r} match the same "
                         f"entry, so this {kind} decision cannot tell them apart; name each paper by an identifier only it has.")
            return None
        return (left, right) if left and right else None

    sides: list[set[tuple[int, str]]] = [set() for _ in nodes]
    forbidden: list[tuple[list[int], list[int]]] = []
    for d, decision in enumerate(different):
        if matched := check(decision, "different-papers"):
            forbidden.append(matched)
            for side, found in zip(("left", "right"), matched):
                for i in found:
                    sides[i].add((d, side))
    clusters = _Clusters(nodes, sides)

    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, node in enumerate(nodes):
        for name in ID_FIELDS:
            for value in getattr(node.ids, name):
                index[(name, value)].append(i)
        for key in node.ids.title_keys:
            index[("title", key)].append(i)
    order = {name: n for n, name in enumerate((*ID_FIELDS, "title"))}
    for name, value in sorted(index, key=lambda k: (order[k[0]], k[1])):
        first, *rest = index[(name, value)]
        for other in rest:
            clusters.link(first, other, _RULES[name], value, different)
    for decision in same:
        if matched := check(decision, "same-paper"):
            first, *rest = matched[0] + matched[1]
            for other in rest:
                clusters.link(first, other, "curated same paper", f"{decision.file} line {decision.line}", different, always_log=True)

    # Keys: the best identifier of each cluster; if two kept-apart clusters want the same one, the next best.
    groups = {root: sorted(members) for root, members in clusters.members.items()}
    options = {root: _key_options(_merge_ids([nodes[m].ids for m in ms]), [nodes[m].ref for m in ms if nodes[m].ref])
               for root, ms in groups.items()}
    key_of: dict[int, str] = {}
    taken: set[str] = set()
    for root in sorted(groups, key=lambda r: options[r]):
        key_of[root] = next(k for k in options[root] if k not in taken)
        taken.add(key_of[root])

    papers, by_entry = [], {}
    features = []
    for root, members in groups.items():
        ids = _merge_ids([nodes[m].ids for m in members])
        refs = tuple(sorted(nodes[m].ref for m in members if nodes[m].ref))
        by_entry.update(dict.fromkeys(refs, key_of[root]))
        papers.append(PaperIdentity(key_of[root], *(tuple(sorted(getattr(ids, n))) for n in (
            "arxiv", "doi", "semantic_scholar", "openreview", "acl_anthology", "ieee", "aaai", "corpus_id")), ids.titles, refs))
        features.append(PaperFeatures(key_of[root], ids.titles, ids.names, ids.repos))
    papers.sort(key=lambda p: p.key)

    apart = {tuple(sorted((key_of[clusters.find(a)], key_of[clusters.find(b)]))) for left, right in forbidden for a in left for b in right}
    counts: dict[str, dict[str, int]] = {}
    sources_of = {p.key: {source for source, _ in p.entries} for p in papers}
    for source, line in sorted(by_entry):
        count = counts.setdefault(source, {"entries": 0, "resolved_to_papers_in_other_lists": 0})
        count["entries"] += 1
        count["resolved_to_papers_in_other_lists"] += len(sources_of[by_entry[(source, line)]]) > 1
    return Resolution(
        papers=tuple(papers),
        by_entry=by_entry,
        candidates=find_candidates(features, apart),
        merges=tuple(sorted((key_of[clusters.find(i)], reason, detail) for i, reason, detail in clusters.merges)),
        stale_decisions=tuple(stale),
        cross_list=counts,
        kept_apart=tuple(sorted((*sorted((key_of[clusters.find(a)], key_of[clusters.find(b)])), detail)
                                for a, b, detail in clusters.refused)),
    )


def find_paper(resolution: Resolution, ref: str) -> PaperIdentity | None:
    """The paper an identifier reference ('arxiv:2305.19860', 'doi:...', 'title:...') names, if any."""
    parsed = parse_ref(ref)
    if parsed is None:
        return None
    name, value = parsed
    for paper in resolution.papers:
        if value in (map(normalize_title, paper.titles) if name == "title" else getattr(paper, name)):
            return paper
    return None
