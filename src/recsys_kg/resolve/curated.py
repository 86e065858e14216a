"""The decisions a person made about duplicate candidates, and how resolution applies them.

``data/curation/same-paper.yaml`` merges two papers the identifier rules keep apart; ``different-papers.yaml``
keeps apart two papers the rules would merge, and stops proposing the pair as a candidate. Each pair names its two
papers by identifier references ('arxiv:2308.10835', 'doi:10.1145/...', 'title:<title>'), the syntax manifest
anchors use too. A decision that no longer matches the lists (an identifier no entry has, or both sides naming the
same entry) is reported as stale, naming its file and line, instead of silently doing nothing; a malformed file or
reference is a :class:`CurationError` naming its file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from recsys_kg import paths
from recsys_kg.normalize.identifiers import ID_FIELDS, normalize_arxiv, normalize_doi, normalize_title

SAME_FILE, DIFFERENT_FILE = "same-paper.yaml", "different-papers.yaml"
# Prefixes of identifier references in curation files and anchors ('arxiv:2308.10835', 'title:Some Title'), and the
# identifier field (normalize/identifiers.py ID_FIELDS, or 'title') each one names.
_REF_FIELDS = {**{f.prefix: f.name for f in ID_FIELDS}, "title": "title"}
_ARXIV_DOI = "10.48550/arxiv."


class CurationError(ValueError):
    """A curation file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Decision:
    """One pair of a curation file: two identifier references ('arxiv:...', 'title:...'), why, and who checked."""

    file: str  # as shown in reports: relative to the project when it is inside it
    line: int
    left: str
    right: str
    reason: str
    checked_by: str


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


def ordered_pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.home().resolve()))
    except ValueError:
        return str(path)


def load_decisions(path: Path) -> tuple[Decision, ...]:
    """The pairs of one curation file (a missing file has none); raise :class:`CurationError` on a malformed one.

    The identifier references are checked when the decisions are matched (:meth:`CuratedDecisions.match`).
    """
    if not path.exists():
        return ()
    shown = _shown(path)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(path.read_text(encoding="utf-8"))  # libyaml if present
    try:
        node = loader.get_single_node()  # nodes keep their lines; constructing from them parses the file once
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CurationError(f"{shown}:{mark.line + 1 if mark else 0}: {exc}") from None
    if data is None:
        return ()
    if not isinstance(data, list):
        raise CurationError(f"{shown}:1: expected a list of pairs (items starting with '- left:')")
    decisions = []
    assert node is not None  # data came from it
    for item, item_node in zip(data, node.value, strict=False):
        line = item_node.start_mark.line + 1
        if not (
            isinstance(item, dict)
            and set(item) == {"left", "right", "reason", "checked_by"}
            and all(isinstance(v, str) and v.strip() for v in item.values())
        ):
            raise CurationError(f"{shown}:{line}: each pair needs exactly left, right, reason and checked_by, as text")
        decisions.append(Decision(shown, line, *(item[k].strip() for k in ("left", "right", "reason", "checked_by"))))
    return tuple(decisions)


Nodes = list[int]  # numbers of the nodes (entries and anchors) resolution clusters


class CuratedDecisions:
    """The decisions of one curation directory, matched against the nodes being resolved (:meth:`match`)."""

    def __init__(self, directory: Path) -> None:
        self.same = load_decisions(directory / SAME_FILE)
        self.different = load_decisions(directory / DIFFERENT_FILE)
        self.stale: list[str] = []  # one sentence per decision that cannot be applied
        self.sides: list[set[tuple[int, str]]] = []  # per node: {(different-papers decision number, 'left'/'right')}
        self.kept_apart: list[tuple[Nodes, Nodes]] = []  # the two sides of each applicable different-papers pair
        self.merges: list[tuple[Decision, Nodes]] = []  # each applicable same-paper pair and the nodes it joins

    def match(self, index: Mapping[tuple[str, str], Nodes], nodes: int) -> None:
        """Find the nodes each decision names in ``index`` ((identifier field, value) -> nodes), among ``nodes``."""
        self.sides = [set() for _ in range(nodes)]
        for number, decision in enumerate(self.different):
            if matched := self._match(decision, "different-papers", index):
                self.kept_apart.append(matched)
                for side, found in zip(("left", "right"), matched, strict=False):
                    for node in found:
                        self.sides[node].add((number, side))
        for decision in self.same:
            if matched := self._match(decision, "same-paper", index):
                self.merges.append((decision, matched[0] + matched[1]))

    def apart(self, key_of: Callable[[int], str]) -> set[tuple[str, str]]:
        """(left key, right key), sorted, of every paper pair a different-papers decision keeps apart."""
        return {ordered_pair(key_of(a), key_of(b)) for left, right in self.kept_apart for a in left for b in right}

    def _match(
        self, decision: Decision, kind: str, index: Mapping[tuple[str, str], Nodes]
    ) -> tuple[Nodes, Nodes] | None:
        """The nodes each side of a decision names, or None (and a sentence in ``stale``) when it cannot be applied."""
        found = []
        for ref in (decision.left, decision.right):
            parsed = parse_ref(ref)
            if parsed is None:
                raise CurationError(
                    f"{decision.file}:{decision.line}: {ref!r} is not an identifier such as "
                    "'arxiv:2308.10835', 'doi:10.1145/...', 'aaai:29887' or 'title:<title>'"
                )
            found.append(list(index.get(parsed, ())))
            if not found[-1]:
                self.stale.append(
                    f"{decision.file} line {decision.line}: {ref!r} matches no entry of the lists, so "
                    f"this {kind} decision is not applied; update or remove it."
                )
        left, right = found
        if set(left) & set(right):
            self.stale.append(
                f"{decision.file} line {decision.line}: {decision.left!r} and {decision.right!r} match "
                f"the same entry, so this {kind} decision cannot be applied; name each paper by an "
                "identifier only it has."
            )
            return None
        return (left, right) if left and right else None
