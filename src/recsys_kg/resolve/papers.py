"""Entity resolution: which entries of the five lists describe the same paper, so each paper is one node.

The lists name a paper by different links (an ACM DOI in one list, the arXiv e-print in another), different
versions of its title (KELLMRec became TRAWL between arXiv versions) or only a title. Entries are merged when they
share a persistent identifier (arXiv id, DOI, Semantic Scholar paper or corpus id, OpenReview, ACL Anthology,
IEEE Xplore or AAAI id) or the same normalized full title; that is all the code merges on. Two papers can share a
method name ('RecGPT', 'LLMRec') or a code repository and still be different, and a renamed paper can share only
its method name with its old title, so name, repository and fuzzy-title similarity never merge: they produce
*candidates* for a person to decide. Decisions live in ``data/curation/same-paper.yaml`` (merge) and
``data/curation/different-papers.yaml`` (never merge, and stop proposing the pair); curated_decisions.py reads and
matches them, and reports a decision that no longer matches any entry as stale instead of silently doing nothing.

Every paper gets a key that is stable across rebuilds because it is derived from the best identifier of its
cluster, not from list order: ``arxiv-<id>``, else ``doi-<doi>``, else ``title-<hash of the normalized title>``.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from recsys_kg import paths
from recsys_kg.ingest import records as R
from recsys_kg.ingest.common import display_title
from recsys_kg.ingest.markdown_doc import inline_links, inline_text
from recsys_kg.ingest.records import Entry
from recsys_kg.normalize.identifiers import ID_FIELD_NAMES, normalize_title, parse_link
from recsys_kg.normalize.identifiers import ID_FIELDS as ID_FIELD_SPECS
from recsys_kg.resolve.candidates import Candidate, PaperFeatures, find_candidates
from recsys_kg.resolve.curated import CuratedDecisions, Decision, ordered_pair, parse_ref

PAPER_KINDS = frozenset({R.PAPER, R.SURVEY_COMPARISON, R.BIBLIOGRAPHIC_RECORD, R.CITING_PAPER, R.REFERENCE})
# Dataset and benchmark entries are keyed too when their link names a paper (the paper that introduced them).
_PAPER_LINKED_KINDS = frozenset({R.DATASET, R.BENCHMARK})

ID_FIELDS = ID_FIELD_NAMES  # identifier fields, in the order their merge rules run (normalize/identifiers.py)
_RULES = {**{f.name: f.rule for f in ID_FIELD_SPECS}, "title": "same title"}
_NONE = {"", "n/a", "-", "~"}


@dataclass(frozen=True)
class PaperIdentity:
    """One real paper: its key (IRI local name) and everything the lists say identifies it, each tuple sorted."""

    key: str  # 'arxiv-2305.19860', else 'doi-10.1145_...', else 'title-<sha1 of the normalized title>[:16]'
    arxiv: tuple[str, ...]
    doi: tuple[str, ...]  # DOIs other than arXiv DOIs (those are recorded as the arXiv id)
    semantic_scholar: tuple[str, ...]
    openreview: tuple[str, ...]
    acl_anthology: tuple[str, ...]
    ieee: tuple[str, ...]
    aaai: tuple[str, ...]
    corpus_id: tuple[str, ...]
    titles: tuple[str, ...]  # display titles as the lists write them (repaired, quotes stripped)
    entries: tuple[tuple[str, int], ...]  # (source id, line) of every entry resolved to it


@dataclass(frozen=True)
class Resolution:
    """The result of :func:`resolve`: the papers, which entry is which paper, and what a person should review."""

    papers: tuple[PaperIdentity, ...]  # sorted by key
    by_entry: dict[tuple[str, int], str]  # (source id, line) -> paper key
    candidates: tuple[Candidate, ...]  # sorted by (-score, left, right)
    merges: tuple[tuple[str, str, str], ...]  # (paper key, reason, detail) of unions joining different titles or keys
    stale_decisions: tuple[str, ...]  # curated decisions that cannot be applied, each naming its file and line
    cross_list: dict[str, dict[str, int]]  # source id -> {'entries': n, 'resolved_to_papers_in_other_lists': m}
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
    title_keys: frozenset[str] = frozenset()  # the titles after normalize_title: what the title rule compares
    names: tuple[str, ...] = ()  # from the Name/Model cell, as written (repaired)
    repos: frozenset[str] = frozenset()  # 'owner/repo' of GitHub links: code, never a paper identifier

    def has_paper_id(self) -> bool:
        return any(getattr(self, name) for name in ID_FIELDS)


# normalize_title repairs text with ftfy, which is slow; resolution asks for the same few hundred titles many times.
title_key = lru_cache(maxsize=1 << 17)(normalize_title)


def _urls(raw: str) -> list[str]:
    """URLs of the links in a markdown cell, or its bare URLs when it has no markdown link."""
    if "http" not in raw:  # also spares markdown parsing of the many empty cells
        return []
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
        if role != R.TITLE:
            urls = _urls(raw)
        elif "](" in raw and raw != entry.fields.get(R.LINK):  # the awesome list's title cell is its link cell too
            urls = [link.url for link in inline_links(raw) if link.url]
        else:
            urls = []  # bare text in a title cell is the title, never a URL
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
    titles: tuple[str, ...] = ()
    if entry.kind in PAPER_KINDS and entry.fields.get(R.TITLE) and (title := display_title(entry.fields[R.TITLE])):
        titles = (title,)
    name = inline_text(entry.fields[R.NAME]) if entry.fields.get(R.NAME) else ""
    return EntryIds(
        **{k: frozenset(v) for k, v in found.items()},
        titles=titles,
        title_keys=frozenset(filter(None, map(title_key, titles))),
        names=(name,) if name.casefold() not in _NONE else (),
        repos=frozenset(repos),
    )


# --- clustering ----------------------------------------------------------------------------------------------


@dataclass
class _Node:
    """An entry to resolve, or an anchor: the paper a list belongs to, which must exist even if no entry names it."""

    ref: tuple[str, int] | None  # (source, line) of the entry; None for an anchor
    ids: EntryIds
    label: str  # how merge reports name where it comes from


def _nodes(entries: Sequence[Entry], anchors: Mapping[str, str]) -> list[_Node]:
    nodes = []
    for source, ref in sorted(anchors.items()):
        parsed = parse_ref(ref)
        if parsed is None or parsed[0] == "title":
            raise ValueError(
                f"the paper of source {source!r} must be named by an identifier such as 'arxiv:2410.19744', not {ref!r}"
            )
        anchor_ids = EntryIds(**{parsed[0]: frozenset({parsed[1]})})  # type: ignore[arg-type]  # an ID_FIELDS name
        nodes.append(_Node(None, anchor_ids, f"manifest anchor of {source}"))
    for entry in sorted(entries, key=lambda e: (e.source, e.line)):
        ids = paper_ids_of(entry, anchors.get(entry.source))
        if entry.kind in PAPER_KINDS or (entry.kind in _PAPER_LINKED_KINDS and ids.has_paper_id()):
            nodes.append(_Node((entry.source, entry.line), ids, entry.source))
    return nodes


def _merge_ids(ids: Sequence[EntryIds]) -> EntryIds:
    union = {name: frozenset().union(*(getattr(i, name) for i in ids)) for name in (*ID_FIELDS, "title_keys", "repos")}
    titles = tuple(sorted({t for i in ids for t in i.titles}))
    names = tuple(sorted({n for i in ids for n in i.names}))
    return EntryIds(**union, titles=titles, names=names)


class _Clusters:
    """Union-find over nodes that refuses a union joining the two sides of a different-papers decision and logs
    the unions a person should be able to review (those joining different titles or different keys)."""

    def __init__(self, nodes: list[_Node], different: Sequence[Decision], sides: list[set[tuple[int, str]]]):
        self.nodes, self.different = nodes, different
        self.sides = sides  # per node: {(number of the different-papers decision, 'left' or 'right')}
        self.parent = list(range(len(nodes)))
        self.members = {i: [i] for i in range(len(nodes))}
        self.merges: list[tuple[int, str, str]] = []  # (node, reason, detail)
        self.refused: list[tuple[int, int, str]] = []  # (node, node, detail)
        self._ids: dict[int, EntryIds] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = i = self.parent[self.parent[i]]
        return i

    def ids(self, root: int) -> EntryIds:
        """What a cluster's entries say together (kept per root and merged on union: merging is associative)."""
        merged = self._ids.get(root)
        if merged is None:
            members = self.members[root]  # one node: its ids are already merged (titles and names sorted, one each)
            merged = self.nodes[root].ids if len(members) == 1 else _merge_ids([self.nodes[m].ids for m in members])
            self._ids[root] = merged
        return merged

    def _summary(self, root: int) -> str:
        ids = self.ids(root)
        labels = sorted({self.nodes[m].label for m in self.members[root]})
        return f"{' | '.join(ids.titles) or _best_key(ids)} ({', '.join(labels)})"

    def link(self, a: int, b: int, reason: str, evidence: str = "", always_log: bool = False) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        other = {"left": "right", "right": "left"}
        clash = next((d for d, side in self.sides[ra] if (d, other[side]) in self.sides[rb]), None)
        if clash is not None:
            d = self.different[clash]
            self.refused.append((a, b, f"{reason} {evidence}, but {d.file} line {d.line} says they differ: {d.reason}"))
            return
        ids_a, ids_b = self.ids(ra), self.ids(rb)
        new_title = ids_a.title_keys and ids_b.title_keys and ids_a.title_keys.isdisjoint(ids_b.title_keys)
        if always_log or new_title or _best_key(ids_a) != _best_key(ids_b):
            summary = f"{self._summary(ra)} / {self._summary(rb)}"
            self.merges.append((a, reason, f"{evidence}: {summary}" if evidence else summary))
        small, big = sorted((ra, rb), key=lambda r: len(self.members[r]))
        self.parent[small] = big
        self.members[big] += self.members.pop(small)
        self._ids[big] = _merge_ids([ids_a, ids_b])
        self._ids.pop(small, None)
        self.sides[big] |= self.sides[small]


def _index(nodes: Sequence[_Node]) -> dict[tuple[str, str], list[int]]:
    """(identifier field or 'title', value) -> the nodes that have it, in node order."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, node in enumerate(nodes):
        for name in ID_FIELDS:
            for value in getattr(node.ids, name):
                index[(name, value)].append(i)
        for key in node.ids.title_keys:
            index[("title", key)].append(i)
    return index


def _link_shared_identifiers(clusters: _Clusters, index: Mapping[tuple[str, str], list[int]]) -> None:
    """The merge rules: nodes sharing an identifier, then nodes sharing a normalized full title."""
    order = {name: n for n, name in enumerate((*ID_FIELDS, "title"))}
    for name, value in sorted(index, key=lambda k: (order[k[0]], k[1])):
        first, *rest = index[(name, value)]
        for other in rest:
            clusters.link(first, other, _RULES[name], "" if name == "title" else value)


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _local(prefix: str, value: str, shown: str | None = None, allowed: str = r"[A-Za-z0-9._-]+") -> str:
    """An IRI-safe key: ``shown`` (default: the value) when it is made of ``allowed`` characters, else a hash."""
    shown = value if shown is None else shown
    return f"{prefix}-{shown if re.fullmatch(allowed, shown) else _hash(value)}"


def _key_iter(ids: EntryIds, refs: Sequence[tuple[str, int]]) -> Iterator[str]:
    """Keys a cluster may take, best first: arXiv ids, DOIs, titles, other identifiers, then its entries."""
    yield from ("arxiv-" + arxiv.replace("/", "_") for arxiv in sorted(ids.arxiv))  # old-style ids: 'cs/0112017'
    yield from (_local("doi", doi, doi.replace("/", "_"), r"[a-z0-9._-]+") for doi in sorted(ids.doi))
    yield from sorted("title-" + _hash(key) for key in ids.title_keys)
    for field in ID_FIELD_SPECS[2:]:  # after arXiv ids and DOIs, above
        yield from (_local(field.prefix, value) for value in sorted(getattr(ids, field.name)))
    yield from ("entry-" + _hash(f"{source}:{line}") for source, line in sorted(refs))


def _key_options(ids: EntryIds, refs: Sequence[tuple[str, int]]) -> list[str]:
    return list(_key_iter(ids, refs))


def _best_key(ids: EntryIds) -> str | None:
    """The first of the keys a cluster may take from its identifiers (None when it has none)."""
    return next(_key_iter(ids, ()), None)


def _assign_keys(clusters: _Clusters) -> dict[int, str]:
    """Root -> key: the best identifier of each cluster; if two kept-apart clusters want the same one, the one
    whose options sort first gets it and the other takes its next best."""
    options = {
        root: _key_options(clusters.ids(root), [ref for m in members if (ref := clusters.nodes[m].ref)])
        for root, members in clusters.members.items()
    }
    keys: dict[int, str] = {}
    taken: set[str] = set()
    for root in sorted(options, key=lambda r: options[r]):
        keys[root] = next(k for k in options[root] if k not in taken)
        taken.add(keys[root])
    return keys


def _cross_list(papers: Sequence[PaperIdentity]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for paper in papers:
        shared = len({source for source, _ in paper.entries}) > 1
        for source, _ in paper.entries:
            count = counts.setdefault(source, {"entries": 0, "resolved_to_papers_in_other_lists": 0})
            count["entries"] += 1
            count["resolved_to_papers_in_other_lists"] += shared
    return dict(sorted(counts.items()))


def resolve(entries: Sequence[Entry], anchors: Mapping[str, str] = {}, curation_dir: Path | None = None) -> Resolution:
    """Resolve entries to papers (see the module docstring).

    ``anchors``: {source id: 'arxiv:ID'}, the paper each list belongs to (the manifest's ``describes_paper``).
    ``curation_dir``: where same-paper.yaml and different-papers.yaml are; None means the project's data/curation.
    """
    curated = CuratedDecisions(paths.curation_dir() if curation_dir is None else curation_dir)
    nodes = _nodes(entries, anchors)
    index = _index(nodes)
    curated.match(index, len(nodes))
    clusters = _Clusters(nodes, curated.different, curated.sides)
    _link_shared_identifiers(clusters, index)
    for decision, (first, *rest) in curated.merges:
        for other in rest:
            clusters.link(first, other, "curated same paper", f"{decision.file} line {decision.line}", always_log=True)

    keys = _assign_keys(clusters)
    papers, features = [], []
    for root, members in clusters.members.items():
        ids = clusters.ids(root)
        refs = tuple(sorted(ref for m in members if (ref := nodes[m].ref)))
        identifiers = {name: tuple(sorted(getattr(ids, name))) for name in ID_FIELDS}
        papers.append(PaperIdentity(keys[root], **identifiers, titles=ids.titles, entries=refs))
        features.append(PaperFeatures(keys[root], ids.titles, tuple(sorted(ids.title_keys)), ids.names, ids.repos))
    papers.sort(key=lambda p: p.key)
    key_of = lambda node: keys[clusters.find(node)]  # noqa: E731
    return Resolution(
        papers=tuple(papers),
        by_entry={ref: paper.key for paper in papers for ref in paper.entries},
        candidates=find_candidates(features, curated.apart(key_of)),
        merges=tuple(sorted((key_of(node), reason, detail) for node, reason, detail in clusters.merges)),
        stale_decisions=tuple(curated.stale),
        cross_list=_cross_list(papers),
        kept_apart=tuple(sorted({(*ordered_pair(key_of(a), key_of(b)), detail) for a, b, detail in clusters.refused})),
    )


def find_paper(resolution: Resolution, ref: str) -> PaperIdentity | None:
    """The paper an identifier reference ('arxiv:2305.19860', 'doi:...', 'title:...') names, if any."""
    parsed = parse_ref(ref)
    if parsed is None:
        return None
    name, value = parsed
    for paper in resolution.papers:
        if value in (map(title_key, paper.titles) if name == "title" else getattr(paper, name)):
            return paper
    return None
