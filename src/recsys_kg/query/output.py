"""Query results as text: a readable table or Markdown table, or the standard SPARQL 1.1 result formats (CSV,
TSV, JSON, XML).

CSV, TSV and JSON follow https://www.w3.org/TR/sparql11-results-csv-tsv/ and sparql11-results-json, so their
output can be compared with what any SPARQL endpoint returns for the same query text; XML is pyoxigraph's own
serializer fed with that JSON. The tables are for people: IRIs as prefixed names that paste back into SPARQL
(``id:org\\/alibaba``: a ``/`` in a local name must be escaped), literals as their text, long cells cut;
widths are counted in terminal cells (rich), so Chinese text, two cells a character, stays aligned.
"""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
from rich.cells import cell_len, set_cell_size

from recsys_kg.query.canned import QueryResult
from recsys_kg.rdf.namespaces import compact_iri

FORMATS = ("table", "csv", "tsv", "json", "xml", "markdown")
MAX_CELL = 60
_LOCAL_ESCAPED = set("_~.-!$&'()*+,;=/?#@%")  # SPARQL 1.1 PN_LOCAL_ESC
_HEX = set("0123456789abcdefABCDEF")


def _local_name(local: str) -> str | None:
    """A prefixed name's local part in SPARQL / Turtle syntax (reserved characters escaped), or None when a
    character cannot be written there at all (a space, say)."""
    out = []
    for index, char in enumerate(local):
        last = index == len(local) - 1
        if char == "_" or char == ":" or char.isdigit() or (char.isalpha() and (char.isascii() or ord(char) >= 0xC0)):
            out.append(char)
        elif char == "%" and len(local) > index + 2 and set(local[index + 1 : index + 3]) <= _HEX:
            out.append(char)
        elif char in "-." and 0 < index and not (char == "." and last):
            out.append(char)
        elif char in _LOCAL_ESCAPED:
            out.append("\\" + char)
        else:
            return None
    if "\\" in "".join(out) and local.count(".") > 1:
        # Oxigraph 0.5.13 rejects the legal a.b\/c.d (an escape and two unescaped dots); a\.b\/c\.d it reads
        out = ["\\." if part == "." else part for part in out]
    return "".join(out)


def sparql_name(term: ox.NamedNode) -> str:
    """An IRI as it pastes back into SPARQL or Turtle: a project prefixed name when one is legal, else ``<…>``."""
    compacted = compact_iri(term.value)
    if compacted:
        prefix, _, local = compacted.partition(":")
        if (written := _local_name(local)) is not None:
            return f"{prefix}:{written}"
    return f"<{term.value}>"


def compact(term) -> str:
    """A term as a person reads it: a prefixed name or <IRI> that pastes into SPARQL, literal text, empty for
    unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return sparql_name(term)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _cut(text: str, width: int) -> str:
    """The text in at most ``width`` terminal cells, ``…`` marking a cut."""
    text = " ".join(text.split())
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_len(text))


def _fit(widths: list[int], width: int | None, narrowest: int = 20) -> list[int] | None:
    """Column widths that fit ``width`` characters, narrowing the widest column first; None if they cannot
    without cutting a column below ``narrowest``."""
    widths = list(widths)
    while width and sum(widths) + 2 * (len(widths) - 1) > width:
        widest = widths.index(max(widths))
        if widths[widest] <= narrowest:
            return None
        widths[widest] -= 1
    return widths


def records(result: QueryResult, width: int) -> str:
    """One block per row, one "column  value" line per cell: for results too wide for the terminal."""
    name_width = max(len(c) for c in result.columns)
    out = []
    for number, row in enumerate(result.rows, 1):
        out.append(f"-[ {number} ]".ljust(min(width, 40), "-"))
        out += [
            f"{_pad(c, name_width)}  {_cut(compact(cell), max(20, width - name_width - 2))}".rstrip()
            for c, cell in zip(result.columns, row, strict=True)
        ]
    out.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def table(result: QueryResult, width: int | None = None) -> str:
    """Aligned columns, cells cut at MAX_CELL characters; narrowed to fit ``width`` (a terminal's), or shown
    as one block per row when even narrowed columns would not fit."""
    cells = [[" ".join(compact(cell).split()) for cell in row] for row in result.rows]
    natural = [
        min(MAX_CELL, max([cell_len(c)] + [cell_len(r[i]) for r in cells])) for i, c in enumerate(result.columns)
    ]
    widths = _fit(natural, width)
    if widths is None:
        assert width is not None  # without a width every column fits
        return records(result, width)
    rows = [[_cut(cell, w) for cell, w in zip(row, widths, strict=True)] for row in cells]
    line = lambda cells: "  ".join(_pad(cell, w) for cell, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out = [line([_cut(c, w) for c, w in zip(result.columns, widths, strict=True)]), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _csv_cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _tsv_cell(term) -> str:
    """N-Triples syntax; a tab inside a literal is written as the escape \\t so it cannot split the cell."""
    return "" if term is None else str(term).replace("\t", "\\t")


def to_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.columns)
    writer.writerows([_csv_cell(cell) for cell in row] for row in result.rows)
    return buffer.getvalue()


def to_tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    lines += ["\t".join(_tsv_cell(cell) for cell in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    binding = {"type": "literal", "value": term.value}
    if term.language:
        binding["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        binding["datatype"] = term.datatype.value
    return binding


def to_json(result: QueryResult) -> str:
    bindings = [
        {c: json_term(cell) for c, cell in zip(result.columns, row, strict=True) if cell is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML, written by pyoxigraph's serializer from the JSON form."""
    solutions = ox.parse_query_results(to_json(result), format=ox.QueryResultsFormat.JSON)
    written = solutions.serialize(format=ox.QueryResultsFormat.XML)
    assert written is not None  # serialize() without an output returns the bytes
    return written.decode("utf-8") + "\n"


def to_markdown(result: QueryResult) -> str:
    """A GitHub-flavoured Markdown table: cells whole (not cut), ``|`` escaped, line breaks as spaces."""

    def cell(term) -> str:
        return " ".join(compact(term).split()).replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| " + " | ".join(result.columns) + " |", "|" + "---|" * len(result.columns)]
    lines += ["| " + " | ".join(cell(term) for term in row) + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


def render(result: QueryResult, fmt: str, width: int | None = None) -> str:
    """The result as text in one of FORMATS; ``width`` (a terminal's) only narrows the table."""
    if fmt == "table":
        return table(result, width)
    return {"csv": to_csv, "tsv": to_tsv, "json": to_json, "xml": to_xml, "markdown": to_markdown}[fmt](result)
