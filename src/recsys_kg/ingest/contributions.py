"""Accepted contributions as a source: the Turtle / JSON-LD files under ``contributions/accepted/``.

A contribution that maintainers accepted is read by every build, like a list: each paper it describes becomes an
:class:`Entry` (so the resolver merges it with the lists' papers on identifiers and titles, as for any source)
and its triples are kept, as written, for the mapping (mapping/contributions.py), which puts them in the graph
``source/contributions``. Templates and examples live elsewhere (``contributions/TEMPLATE.*``,
``contributions/examples/``) and are never read.

Every accepted file says who contributed it, when, and (optionally) the pull request or issue it came from, in
comment lines at its top (Turtle) or in a sidecar ``<file>.yaml`` (either format)::

    # contributor: Jane Doe (@jane)
    # date: 2026-12-07
    # reference: https://github.com/example/recsys-kg/pull/12

A file that cannot be read, lacks that header, or says nothing a paper needs (a title, an arXiv id or a DOI)
stops the build with ``file:line: what is wrong`` (:class:`SourceError`, exit 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import yaml

from recsys_kg.ingest import records as R
from recsys_kg.ingest.base import SourceError, SourceSpec, decode_source
from recsys_kg.ingest.records import Entry
from recsys_kg.rdf.namespaces import RKG
from recsys_kg.rdf.terms import RDF_TYPE, instance

SOURCE_ID = "contributions"  # names the graph source/contributions and the entries' IRIs
READER = "contribution"
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".jsonld": ox.RdfFormat.JSON_LD}
HEADER_FIELDS = ("contributor", "date", "reference")
REQUIRED_HEADER = ("contributor", "date")
_HEADER_LINE = re.compile(r"^#\s*(contributor|date|reference)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_PAPER = ox.NamedNode(str(RKG) + "Paper")
_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
_ARXIV = ox.NamedNode(str(RKG) + "arxivId")
_DOI = ox.NamedNode(str(RKG) + "doi")
_LINK = ox.NamedNode(str(RKG) + "link")


@dataclass
class ContributedFile:
    """One accepted contribution file: where it is, who sent it, its triples and the papers it describes."""

    path: str  # as shown in messages and provenance: relative to the home (contributions/accepted/x.ttl)
    name: str  # the file name
    stem: str  # its name without extension: unique among accepted files, names its IRIs
    header: dict[str, str]
    triples: list[ox.Triple]
    papers: dict[ox.NamedNode, Entry] = field(default_factory=dict)  # paper as written -> its entry
    lines: dict[ox.NamedNode, int] = field(default_factory=dict)  # node (paper or usage) -> line written on
    mentions: dict[ox.NamedNode, int] = field(default_factory=dict)  # IRI it refers to (a model, a venue) -> line

    @property
    def spec(self) -> SourceSpec:
        """How the build report lists the file: one 'source' per accepted file."""
        return SourceSpec(
            id=f"{SOURCE_ID}/{self.stem}",
            title=f"Contribution by {self.header['contributor']}, {self.header['date']}",
            file=self.path,
            reader=READER,
            origin=self.header.get("reference", ""),
            language="en",
            contains=f"Contributed by {self.header['contributor']} on {self.header['date']}.",
        )


def contribution_files(directory: Path) -> list[Path]:
    """The accepted files, in name order (other files, such as README.md or sidecars, are not contributions)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in FORMATS and p.is_file())


def read_contributions(directory: Path, shown_root: Path | None = None) -> list[ContributedFile]:
    """Every accepted contribution under ``directory``; ``shown_root`` is what paths are shown relative to."""
    files = []
    stems: dict[str, str] = {}
    for path in contribution_files(directory):
        shown = _shown(path, shown_root)
        stem = path.stem
        if not _STEM.match(stem):
            raise SourceError(shown, 0, "a contribution's file name may use only letters, digits, '.', '-' and '_'")
        if stem.lower() in stems:
            raise SourceError(
                shown, 0, f"same name as {stems[stem.lower()]}: rename one (names mint the entries' IRIs)"
            )
        stems[stem.lower()] = shown
        files.append(read_contribution_file(path, shown))
    return files


def _shown(path: Path, root: Path | None) -> str:
    try:
        return str(path.relative_to(root)) if root else str(path)
    except ValueError:
        return str(path)


def read_contribution_file(path: Path, shown: str) -> ContributedFile:
    text = decode_source(path)
    header = _header(path, shown, text)
    try:
        quads = list(
            ox.parse(
                text.encode("utf-8"),
                format=FORMATS[path.suffix.lower()],
                without_named_graphs=True,
                base_iri=instance("").value,
            )
        )
    except SyntaxError as exc:
        raise SourceError(shown, exc.lineno or 0, f"not valid {path.suffix[1:]}: {exc.msg}") from None
    except ValueError as exc:
        raise SourceError(shown, 0, f"not valid {path.suffix[1:]}: {exc}") from None
    stem = path.stem
    contributed = ContributedFile(shown, path.name, stem, header, [])
    lines = text.splitlines()
    blanks: dict[ox.BlankNode, ox.NamedNode] = {}

    def named(term):
        if isinstance(term, ox.BlankNode):
            if term not in blanks:  # statement-like nodes (backbone usages), numbered in order of appearance
                blanks[term] = instance("usage", SOURCE_ID, stem, str(len(blanks) + 1))
            return blanks[term]
        return term

    contributed.triples = [ox.Triple(named(q.subject), q.predicate, named(q.object)) for q in quads]
    if not contributed.triples:
        raise SourceError(shown, 1, "the file contains no triples")
    papers = [
        t.subject
        for t in contributed.triples
        if t.predicate == RDF_TYPE and t.object == _PAPER and isinstance(t.subject, ox.NamedNode)
    ]
    if not papers:
        raise SourceError(shown, 1, "describes no paper (no node typed rkg:Paper)")
    for paper in dict.fromkeys(papers):
        line = _line_of(lines, paper)
        contributed.lines[paper] = line
        contributed.papers[paper] = _entry(contributed, paper, line, lines)
    for node in blanks.values():
        owners = [t.subject for t in contributed.triples if t.object == node and isinstance(t.subject, ox.NamedNode)]
        contributed.lines[node] = contributed.lines.get(owners[0], 1) if owners else 1
    for triple in contributed.triples:
        value = triple.object
        if isinstance(value, ox.NamedNode) and triple.predicate != RDF_TYPE and value not in contributed.mentions:
            contributed.mentions[value] = _line_of(lines, value)
    return contributed


def _header(path: Path, shown: str, text: str) -> dict[str, str]:
    """The contributor/date/reference header: Turtle comment lines at the top, or the sidecar ``<file>.yaml``."""
    header: dict[str, str] = {}
    sidecar = path.with_name(path.name + ".yaml")
    where = shown
    if sidecar.is_file():
        where = shown + ".yaml"
        try:
            data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise SourceError(where, 0, f"cannot read the sidecar: {exc}") from None
        if not isinstance(data, dict):
            raise SourceError(where, 1, "the sidecar must be a mapping with contributor, date and reference")
        header = {str(k): str(v) for k, v in data.items() if str(k) in HEADER_FIELDS and v is not None}
    else:
        for raw in text.splitlines():
            if not raw.startswith("#"):
                break
            if match := _HEADER_LINE.match(raw):
                header[match.group(1).lower()] = match.group(2)
    missing = [name for name in REQUIRED_HEADER if not header.get(name)]
    if missing:
        raise SourceError(
            where,
            1,
            f"no {' and no '.join(missing)} in the header: an accepted contribution starts with "
            "'# contributor: …' and '# date: YYYY-MM-DD' lines (or has a <file>.yaml sidecar)",
        )
    try:
        date.fromisoformat(header["date"])
    except ValueError:
        raise SourceError(where, 1, f"date {header['date']!r} is not a date like 2026-12-07") from None
    return header


def _line_of(lines: list[str], node: ox.NamedNode) -> int:
    """The line a node's description starts on: the first line that starts with a reference to it (its last
    path segment, as in ``<paper/arxiv-2501.12345>`` or ``"@id": "paper/arxiv-2501.12345"``), else the first
    line naming it at all, else 1."""
    tail = node.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    first = 0
    for number, raw in enumerate(lines, 1):
        if tail and tail in raw and not raw.lstrip().startswith("#"):
            stripped = raw.lstrip()
            if stripped.startswith(("<", '"@id"')) or stripped.split(" ", 1)[0].endswith(tail):
                return number
            first = first or number
    return first or 1


def _entry(contributed: ContributedFile, paper: ox.NamedNode, line: int, lines: list[str]) -> Entry:
    """What the resolver needs to know about a contributed paper: its title and identifiers as links."""
    about = [
        (t.predicate, t.object.value)
        for t in contributed.triples
        if t.subject == paper and isinstance(t.object, ox.Literal)
    ]
    titles = [value for predicate, value in about if predicate == _TITLE]
    urls = [f"https://arxiv.org/abs/{value}" for predicate, value in about if predicate == _ARXIV]
    urls += [f"https://doi.org/{value}" for predicate, value in about if predicate == _DOI]
    urls += [value for predicate, value in about if predicate == _LINK]
    if not titles:
        raise SourceError(contributed.path, line, f"the paper {paper.value} has no dcterms:title")
    if not any(predicate in (_ARXIV, _DOI) for predicate, _ in about):
        raise SourceError(contributed.path, line, f"the paper {paper.value} has neither rkg:arxivId nor rkg:doi")
    fields = {R.TITLE: titles[0], R.LINK: " ".join(urls)}
    return Entry(
        source=f"{SOURCE_ID}/{contributed.stem}",
        line=line,
        kind=R.PAPER,
        section=(),
        fields=fields,
        raw=_block(lines, line),
    )


def _block(lines: list[str], line: int) -> str:
    """The text of a paper's description as written: from its line to the statement's closing ' .' (Turtle) or
    the end of the file (JSON-LD), comments included."""
    block = []
    for raw in lines[line - 1 :]:
        block.append(raw)
        code = raw.split(" #", 1)[0].rstrip()
        if code.endswith(" .") or code == ".":
            break
    return "\n".join(block).strip() or lines[line - 1]
