"""The reader interface, the source manifest and the registry that dispatches a source to its reader.

A reader is a function ``(source, document) -> iterable of Entry | Rejection``. Readers are registered by the
name the manifest gives in its ``reader`` field; an unknown name is an error, never a silent skip. After a reader
ran, :func:`read_source` checks that every table row and list item of the file was accounted for and reports
any that were not, so a reader bug cannot drop data silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from recsys_kg.ingest.manifest import ManifestError, parse_manifest
from recsys_kg.ingest.markdown_doc import LINE_BREAK, Document, parse_document
from recsys_kg.ingest.records import Entry, Rejection

Reader = Callable[["SourceSpec", Document], Iterable[Entry | Rejection]]
READERS: dict[str, Reader] = {}


class SourceError(Exception):
    """A source that cannot be read at all: names the file, line and what is wrong."""

    def __init__(self, file: str, line: int, message: str):
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


@dataclass(frozen=True)
class SourceSpec:
    id: str
    title: str
    file: str
    reader: str
    origin: str
    language: str
    contains: str
    describes_paper: str | None = None  # "arxiv:2410.19744": the paper the list belongs to
    # Pedigree (ingest/pedigree.py checks it): where the list comes from, which version, its terms, its checksum.
    upstream: str | None = None
    commit: str | None = None
    retrieved: str | None = None
    license: str | None = None
    rights: str | None = None
    sha256: str | None = None


def register(name: str) -> Callable[[Reader], Reader]:
    def decorate(reader: Reader) -> Reader:
        READERS[name] = reader
        return reader

    return decorate


def load_manifest(directory: Path) -> tuple[SourceSpec, ...]:
    """Read ``manifest.yaml`` in a sources directory, checked against its schema (manifest.py); raise
    :class:`SourceError` naming the line and field of the first problem."""
    path = directory / "manifest.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(str(path), 0, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SourceError(str(path), 0, f"not UTF-8 text (byte {exc.start}): save the manifest as UTF-8") from None
    try:
        return tuple(SourceSpec(**values) for _, values in parse_manifest(text, READERS))
    except ManifestError as exc:
        raise SourceError(str(path), exc.line, f"{exc.field}: {exc.problem}") from None


def decode_source(path: Path) -> str:
    """Read a source as UTF-8 text; binary or mis-encoded input raises :class:`SourceError` with the line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), 0, f"cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of(data[: exc.start].decode("utf-8"), exc.start)
        raise SourceError(
            str(path), line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}): binary or mis-encoded file"
        ) from None
    if "\x00" in text:
        line = _line_of(text, text.index("\x00"))
        raise SourceError(str(path), line, "contains NUL bytes: binary file, not markdown")
    return text


def _line_of(text: str, offset: int) -> int:
    """The 1-based line of ``offset``, counting line breaks as markdown-it does (LF, CRLF, a lone CR)."""
    return len(LINE_BREAK.findall(text, 0, offset)) + 1


def structural_lines(doc: Document) -> dict[int, str]:
    """Lines a reader must account for: every table row and list item, plus lines that look like table rows
    but are not in a parsed table (a broken table)."""
    lines = {row.line: row.raw_line for table in doc.tables for row in table.rows}
    lines.update({item.line: item.raw for item in doc.items})
    in_table = {row.line for table in doc.tables for row in table.rows} | {table.line for table in doc.tables}
    in_table |= {table.line + 1 for table in doc.tables}  # delimiter rows
    for number, text in enumerate(doc.lines, 1):
        if text.lstrip().startswith("|") and number not in in_table:
            lines.setdefault(number, text)
    return lines


def read_source(spec: SourceSpec, directory: Path) -> tuple[list[Entry], list[Rejection]]:
    """Run the source's reader and account for every row and item (unaccounted ones become rejections)."""
    entries, rejections, _doc = read_source_document(spec, directory)
    return entries, rejections


def read_source_document(spec: SourceSpec, directory: Path) -> tuple[list[Entry], list[Rejection], Document]:
    """:func:`read_source`, also returning the parsed document (the build report counts its headings and rows)."""
    reader = READERS.get(spec.reader)
    if reader is None:
        raise SourceError(
            str(directory / spec.file), 0, f"unknown reader {spec.reader!r} (known: {', '.join(sorted(READERS))})"
        )
    doc = parse_document(decode_source(directory / spec.file))
    entries: list[Entry] = []
    rejections: list[Rejection] = []
    for record in reader(spec, doc):
        if isinstance(record, Entry):
            entries.append(record)
        else:
            rejections.append(record)
    covered = {r.line for r in rejections}
    for entry in entries:
        covered.update(range(entry.line, (entry.end_line or entry.line) + 1))
    for line, raw in sorted(structural_lines(doc).items()):
        if line not in covered:
            reason = (
                "looks like a table row but is not part of a table: check the header and delimiter rows above it"
                if raw.lstrip().startswith("|")
                else "row or item not recognized by the reader"
            )
            rejections.append(Rejection(spec.id, line, reason, raw))
    entries.sort(key=lambda e: e.line)
    rejections.sort(key=lambda r: r.line)
    return entries, rejections, doc
