"""What every table-based reader does the same way: header-to-role mapping, empty rows, cell-count checks."""

from __future__ import annotations

from recsys_kg.ingest.markdown_doc import Heading, Table, TableRow, inline_text
from recsys_kg.ingest.records import Entry, Rejection

_QUOTES = ("'", "‘", "’")


def header_key(header: str) -> str:
    """A header as looked up in a reader's role table: lower case, single spaces, no trailing punctuation."""
    return " ".join(header.lower().split()).strip(" :")


def taxonomy_path(section: tuple[Heading, ...], min_level: int = 2) -> tuple[Heading, ...]:
    """The headings that position an entry: the document title (level 1) is not a taxonomy concept."""
    return tuple(h for h in section if h.level >= min_level)


def row_entry(
    source: str,
    table: Table,
    row: TableRow,
    roles: dict[str, str],
    kind: str,
    language: str = "en",
    extra: dict[str, str] | None = None,
) -> Entry | Rejection:
    """Turn one table row into an Entry whose fields are keyed by role (see records.py).

    A row whose cells are all empty is rejected. A row with more or fewer cells than the header is kept, with a
    warning: missing cells are empty, surplus cells stay in the raw cells under an empty header.
    """
    if not any(cell.raw for cell in row.cells) and row.written_cells <= len(table.headers):
        return Rejection(source, row.line, "empty row: every cell is blank", row.raw_line)
    warnings = []
    if row.written_cells != len(table.headers):
        warnings.append(
            f"row has {row.written_cells} cells but the header has {len(table.headers)}: "
            "missing cells read as empty, surplus cells kept as raw text only"
        )
    fields: dict[str, str] = dict(extra or {})
    for cell in row.cells:
        role = roles.get(header_key(cell.header))
        if role is None:
            warnings.append(f"column {cell.header!r} has no meaning assigned; kept as raw text only")
        elif cell.raw:
            fields[role] = cell.raw
    return Entry(
        source,
        row.line,
        kind,
        taxonomy_path(row.section),
        fields,
        row.cells,
        raw=row.raw_line,
        language=language,
        warnings=tuple(warnings),
    )


def display_title(raw: str) -> str:
    """The visible text of a title cell, without the quotes the next-generation survey's tables put around titles
    (straight or curly). The one home of this rule: resolution compares these titles, the mapping stores them."""
    title = inline_text(raw)
    if len(title) >= 2 and title[0] in _QUOTES and title[-1] in _QUOTES:
        title = title[1:-1].strip()
    return title
