"""A source list regenerated from the graph alone: the round trip that proves nothing was lost.

Everything comes from the source's named graph: the taxonomy concepts carry the heading each was made from
(level, line, the heading as written), and every entry its line, item number, raw text and, for a table row, its
cells in column order with their headers. Blocks are written in line order: a heading, then its rows (a table
header and delimiter row before the first row of each table: the cells' headers, rows that follow one another
under one header form one table) or its items, page blocks and paragraph entries as written.

What the graph does not hold is not invented: prose paragraphs, rows the reader rejected (they are in the build
report with their reasons) and headings with no entry under them are absent. tests/render/test_roundtrip.py
compares the result with the original file and lists every such difference against an allow-list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from recsys_kg.rdf import terms as T
from recsys_kg.rdf.graphs import GRAPH_BASE, source_graph

_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


class RenderError(Exception):
    """A source the graph does not hold (the message lists the sources it does)."""


@dataclass
class _Entry:
    line: int
    kind: str = ""
    raw: str = ""
    item_number: int | None = None
    cells: dict[int, tuple[str, str]] = field(default_factory=dict)  # column index -> (header, raw text)


@dataclass
class _Heading:
    line: int
    level: int = 1
    raw: str = ""
    label: str = ""


def source_ids(store: ox.Store) -> list[str]:
    """The ids of the source graphs a dataset holds."""
    prefix = GRAPH_BASE + "source/"
    return sorted(
        g.value.removeprefix(prefix)
        for g in store.named_graphs()
        if isinstance(g, ox.NamedNode) and g.value.startswith(prefix)
    )


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return term.value if isinstance(term, (ox.Literal, ox.NamedNode)) else str(term)


def _read(store: ox.Store, source_id: str) -> tuple[list[_Heading], list[_Entry]]:
    """The headings (of taxonomy concepts) and entries of one source graph, from its quads."""
    graph = source_graph(source_id)
    entry_base = T.instance("entry", source_id).value + "/"
    subjects: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]]] = {}
    for quad in store.quads_for_pattern(None, None, None, graph):
        subjects.setdefault(_value(quad.subject), {}).setdefault(quad.predicate.value, []).append(quad.object)
    rkg = T.rkg("").value

    def one(props: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]], name: str) -> str | None:
        values = props.get(rkg + name)
        return _value(values[0]) if values else None

    headings: list[_Heading] = []
    entries: dict[str, _Entry] = {}
    for subject, props in subjects.items():
        types = {_value(t) for t in props.get(T.RDF_TYPE.value, ())}
        line = one(props, "lineNumber")
        if rkg + "TaxonomyConcept" in types and line:
            label = next((_value(v) for v in props.get(T.skos("prefLabel").value, ())), "")
            level = int(one(props, "headingLevel") or 1)
            headings.append(_Heading(int(line), level, one(props, "rawText") or "", label))
        elif subject.startswith(entry_base) and "/cell-" not in subject and line:
            number = one(props, "itemNumber")
            kind = next((t.removeprefix(rkg) for t in sorted(types) if t.startswith(rkg)), "")
            entries[subject] = _Entry(int(line), kind, one(props, "rawText") or "", int(number) if number else None)
    for subject, props in subjects.items():
        for cell in props.get(T.rkg("hasCell").value, ()):
            cell_props = subjects.get(_value(cell), {})
            index = int(_value(cell_props[rkg + "columnIndex"][0]))
            header = _value(cell_props[rkg + "columnHeader"][0]) if rkg + "columnHeader" in cell_props else ""
            raw = _value(cell_props[rkg + "rawText"][0]) if rkg + "rawText" in cell_props else ""
            if subject in entries:
                entries[subject].cells[index] = (header, raw)
    return sorted(headings, key=lambda h: h.line), sorted(entries.values(), key=lambda e: e.line)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_source(store: ox.Store, source_id: str) -> str:
    """The markdown of one source list, regenerated from its named graph (see the module docstring)."""
    if source_id not in source_ids(store):
        known = ", ".join(source_ids(store)) or "none"
        raise RenderError(f"the dataset has no source {source_id!r} (sources it holds: {known})")
    headings, entries = _read(store, source_id)
    blocks: list[tuple[int, int, _Heading | _Entry]] = [(h.line, 0, h) for h in headings]
    blocks += [(e.line, 1, e) for e in entries]
    out: list[str] = []
    table_header: tuple[str, ...] | None = None
    previous = ""  # kind of the previous block: 'row' and 'item' runs are written line after line
    for _line, _order, block in sorted(blocks, key=lambda b: (b[0], b[1])):
        if isinstance(block, _Heading):
            out += ["", block.raw or f"{'#' * block.level} {block.label}"]
            previous, table_header = "heading", None
        elif block.cells:
            ordered = [block.cells[k] for k in sorted(block.cells)]
            header = tuple(h for h, _ in ordered)
            if previous != "row" or header != table_header:
                out += ["", _row(list(header)), _row(["---"] * len(header))]
            out.append(_row([raw for _, raw in ordered]))
            previous, table_header = "row", header
        else:
            text = block.raw
            if block.kind == "ListItemEntry" and not _LIST_MARKER.match(text) and block.item_number is not None:
                text = f"{block.item_number}. {text}"
            is_item = bool(_LIST_MARKER.match(text))
            if not (is_item and previous == "item"):
                out.append("")
            out.append(text)
            previous, table_header = ("item" if is_item else "block"), None
    return "\n".join(out).lstrip("\n") + "\n"
