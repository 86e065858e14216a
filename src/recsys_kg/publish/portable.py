"""The dataset made portable (canonical literals, no duplicates) and put in the export's order, with as little
Python per quad as possible: what `recsys-kg export` writes and `recsys-kg load` sends.

Why literal forms matter is explained in export.py. Why this module works the way it does: the export handles every
quad of the dataset (2.7 M at 100x the seed), and reading a term off a pyoxigraph quad builds a new Python object
each time, so per-term work in Python costs more than parsing and serializing together (the first exporter spent
110 s of 112 at 100x that way). Here Python reads two terms of a quad, its graph name and its object, and looks
closer only at literals whose datatype has a lexical form to check; writing terms, ordering and removing duplicates
are done on the N-Quads text pyoxigraph writes (in Rust).

The order is by graph, then subject, predicate, object, each compared as its N-Triples text. Within a graph it is
the order of the quads' N-Quads lines (``S P O G .``) sorted as bytes: UTF-8 keeps code-point order, terms are
separated by one space, which is below every character a term's text can hold (control characters are escaped),
and where one term is a proper prefix of another (``"x"`` and ``"x"@en``, ``_:b1`` and ``_:b10``) the longer one
continues with a character above the space. Equal lines are equal quads, so sorting also finds the duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

import pyoxigraph as ox

from recsys_kg.rdf.graphs import GRAPH_BASE
from recsys_kg.rdf.terms import XSD

CHUNK = 1 << 16  # quads serialized, or lines joined, per call
KNOWN_LITERALS = 1 << 17  # canonical forms remembered (years, line numbers: 38 k literals, 3.5 k distinct at 10x)
INT64 = 2**63
INTEGER_TYPES = {
    XSD + t
    for t in (
        "integer",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
LEXICAL = {
    XSD + "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
    XSD + "boolean": r"true|false|1|0",
    XSD + "double": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN",
    XSD + "float": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN",
    XSD + "gYear": r"-?\d{4,}(Z|[+-]\d\d:\d\d)?",
    XSD + "gYearMonth": r"-?\d{4,}-(0[1-9]|1[0-2])(Z|[+-]\d\d:\d\d)?",
    XSD + "date": r"-?\d{4,}-\d\d-\d\d(Z|[+-]\d\d:\d\d)?",
    **{t: r"[+-]?\d+" for t in INTEGER_TYPES},
}
YEAR_TYPES = {XSD + "gYear", XSD + "gYearMonth", XSD + "date", XSD + "dateTime"}
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# Literals of any other datatype (xsd:string above all) are already in the one form every store keeps.
CHECKED = frozenset(ox.NamedNode(t) for t in (*LEXICAL, *YEAR_TYPES, LANG_STRING))

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


class ExportError(Exception):
    """Input that cannot be read (``code`` 2) or data no portable form can carry (``code`` 1)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def canonical_literal(literal: ox.Literal) -> ox.Literal:
    """The portable canonical form of a literal; :class:`ValueError` says why there is none."""
    if literal.language:
        return ox.Literal(literal.value, language=literal.language.lower())
    datatype, value = literal.datatype.value, literal.value
    pattern = LEXICAL.get(datatype)
    if pattern and not re.fullmatch(pattern, value):
        raise ValueError(f"ill-typed literal: {value!r} is not a valid <{datatype}> (Jena's parser warns and stops)")
    if datatype in INTEGER_TYPES:
        number = int(value)
        if not -INT64 <= number < INT64:
            raise ValueError(
                "integer beyond 64 bits: Jena TDB2 wraps it and Virtuoso turns it into a decimal or "
                "rejects the whole Turtle file; map it as xsd:decimal or a string"
            )
        value = str(number)
    elif datatype == XSD + "decimal":
        decimal = Decimal(value)  # valid: the pattern above matched
        value = str(int(decimal)) if decimal == decimal.to_integral_value() else format(decimal.normalize(), "f")
    elif datatype == XSD + "boolean":
        value = "true" if value in ("true", "1") else "false"
    if datatype in YEAR_TYPES and (value.startswith("-") or value.startswith("0000")):
        raise ValueError(f"year before 1 CE ({value!r}): Virtuoso rewrites it into an invalid form")
    return ox.Literal(value, datatype=literal.datatype)


def graph_key(name: GraphName) -> str:
    """The graph IRI; "" for the default graph and for a blank-node graph name (one file/request holds both)."""
    return name.value if isinstance(name, ox.NamedNode) else ""


def _lines(quads: list[ox.Quad]) -> list[bytes]:
    """The N-Quads lines of the quads, in their order, without line ends (serialized in chunks, so a large graph's
    text is never held twice)."""
    lines: list[bytes] = []
    for start in range(0, len(quads), CHUNK):
        text = ox.serialize(quads[start : start + CHUNK], format=ox.RdfFormat.N_QUADS)
        assert text is not None  # no output given: the text is returned
        lines += text.split(b"\n")[:-1]
    return lines


@dataclass
class PortableGraph:
    """One graph's quads, sorted and without duplicates: as N-Quads lines, as quads, or both (``None``: not kept)."""

    name: GraphName
    size: int
    lines: list[bytes] | None = None
    quads: list[ox.Quad] | None = None

    @property
    def key(self) -> str:
        return graph_key(self.name)

    def kept_lines(self) -> list[bytes]:
        if self.lines is None:
            raise ValueError(f"the N-Quads lines of graph {self.name} were not kept")
        return self.lines

    def kept_quads(self) -> list[ox.Quad]:
        if self.quads is None:
            raise ValueError(f"the quads of graph {self.name} were not kept")
        return self.quads

    def nquads(self) -> Iterator[bytes]:
        """The graph as N-Quads text, in chunks."""
        lines = self.kept_lines()
        for start in range(0, len(lines), CHUNK):
            yield b"\n".join(lines[start : start + CHUNK]) + b"\n"

    def ntriples(self) -> Iterator[bytes]:
        """The graph as N-Triples text, in chunks: each N-Quads line less its graph name. ``" <g> .\\n"`` can only
        occur at the end of a line (a line end inside a literal is escaped), so one replace does it."""
        if isinstance(self.name, ox.DefaultGraph):
            yield from self.nquads()
            return
        suffix = f" {self.name} .\n".encode()
        for chunk in self.nquads():
            yield chunk.replace(suffix, b" .\n")


@dataclass
class PortableDataset:
    """The graphs in the order of their names' N-Triples text (named graphs, then the default graph, then
    blank-node graph names), as the export writes them."""

    graphs: list[PortableGraph]

    def __len__(self) -> int:
        return sum(graph.size for graph in self.graphs)

    def quads(self) -> Iterator[ox.Quad]:
        for graph in self.graphs:
            yield from graph.kept_quads()

    def nquads(self) -> Iterator[bytes]:
        for graph in self.graphs:
            yield from graph.nquads()

    def keys(self) -> list[str]:
        """The graph keys (see :func:`graph_key`), each once, in order."""
        return list(dict.fromkeys(graph.key for graph in self.graphs))


def _finish(name: GraphName, quads: list[ox.Quad], lines: list[bytes], keep: str) -> PortableGraph:
    """Sort by line, then drop repeated lines (equal lines are equal quads). A built dataset is in this order
    already, and Python's sort then only checks the run: 15x faster than sorting a set."""
    lines += _lines(quads)
    if keep == "lines":
        lines.sort()
        ordered = [line for line, _ in groupby(lines)]
        return PortableGraph(name, len(ordered), lines=ordered)
    line_of = lines.__getitem__
    first = [next(same) for _, same in groupby(sorted(range(len(lines)), key=line_of), key=line_of)]
    return PortableGraph(
        name, len(first), lines=[lines[i] for i in first] if keep == "both" else None, quads=[quads[i] for i in first]
    )


def _quad_text(quad: ox.Quad) -> str:
    text = str(quad)
    return text if len(text) <= 300 else text[:300] + "…"


def _wanted(graphs: Sequence[str]) -> tuple[set[str], set[ox.NamedNode]]:
    names = {g if "://" in g else GRAPH_BASE + g for g in graphs}
    nodes = set()
    for name in names:
        try:
            nodes.add(ox.NamedNode(name))
        except ValueError:
            pass  # not an IRI, so in no dataset: reported as missing
    return names, nodes


def make_portable(
    quads: Iterable[ox.Quad], graphs: Sequence[str] = (), keep: str = "both", max_problems: int = 20
) -> PortableDataset:
    """The quads (only those of the named ``graphs`` when some are given) with canonical literals, without
    duplicates, sorted per graph; ``keep`` is "lines", "quads" or "both" (what the caller writes from).

    :class:`ExportError`: code 2 for a graph not in the dataset, code 1 listing the quads that have no portable form.
    """
    names, wanted = _wanted(graphs) if graphs else (set(), None)
    pending: dict[GraphName, list[ox.Quad]] = {}
    done: dict[GraphName, list[bytes]] = {}  # lines of quads already serialized (keep="lines": memory)
    skipped: set[GraphName] = set()
    problems: list[str] = []
    known: dict[ox.Literal, ox.Literal | str] = {}  # literal -> its canonical form, or why it has none
    literal_type, checked, quad_type, lines_only = ox.Literal, CHECKED, ox.Quad, keep == "lines"
    for quad in quads:
        graph = quad.graph_name
        if wanted is not None and graph not in wanted:
            skipped.add(graph)
            continue
        bucket = pending.get(graph)
        if bucket is None:
            bucket = pending[graph] = []
        obj = quad.object
        if type(obj) is literal_type and obj.datatype in checked:
            canonical = known.get(obj)
            if canonical is None:
                if len(known) > KNOWN_LITERALS:
                    known.clear()
                try:
                    canonical = known[obj] = canonical_literal(obj)
                except ValueError as exc:
                    canonical = known[obj] = str(exc)
            if isinstance(canonical, str):
                problems.append(f"{_quad_text(quad)}\n    {canonical}")
                continue
            if canonical != obj:
                quad = quad_type(quad.subject, quad.predicate, canonical, graph)
        bucket.append(quad)
        if lines_only and len(bucket) >= CHUNK:
            done.setdefault(graph, []).extend(_lines(bucket))
            bucket.clear()
    if wanted is not None:
        present = {g.value for g in (*pending, *skipped) if isinstance(g, ox.NamedNode)}
        if missing := sorted(names - present):
            raise ExportError(
                f"no such graph in the dataset: {', '.join(missing)} (graphs: "
                f"{', '.join(g.removeprefix(GRAPH_BASE) for g in sorted(present))})"
            )
    if problems:
        shown = "\n  ".join(problems[:max_problems])
        more = f"\n  … and {len(problems) - max_problems} more" if len(problems) > max_problems else ""
        raise ExportError(f"{len(problems)} quads have no portable form:\n  {shown}{more}", code=1)
    return PortableDataset(
        [_finish(name, pending.pop(name), done.pop(name, []), keep) for name in sorted(pending, key=str)]
    )
