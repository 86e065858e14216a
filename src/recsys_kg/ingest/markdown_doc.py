"""A line-exact view of a markdown source: headings, tables, list items and paragraphs, each with its line.

Built on markdown-it-py (CommonMark with GFM tables), so links whose URL contains parentheses, escaped pipes
and nested lists are read the way GitHub renders them. HTML headings (``<h4 id="1.1.1">1.1.1 Title</h4>``)
count as headings, because the Chinese list uses them for its taxonomy; one HTML block may hold several (the
Chinese list's lines 109-110), each is a heading at its own line. Raw cell text is kept exactly as written
(markdown-it's inline source); the line itself is kept for rows whose cell count differs from the header.
Visible text (:func:`inline_text`) is the text as the source wrote it, only mojibake repaired (text.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from recsys_kg.text import fix_mojibake, repair_text

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
# Characters that start an inline construct (CommonMark: escapes, code, emphasis, links, images, autolinks, HTML,
# entities, line breaks). Text without any of them is a single text token: its visible text is the text itself.
_INLINE_SYNTAX = frozenset("\\`*_[]!<&\n\r")
# A link whose text and destination hold no inline syntax of their own ("[Title](https://...)", "[[Paper]](...)"):
# markdown-it reads it as one link with exactly that text and the normalized destination.
_PLAIN = r"[^\\`*_\[\]!<>&\n\r]"
_SIMPLE_LINK = re.compile(rf"\[((?:{_PLAIN}|\[{_PLAIN}*\])*)\]\(([^\s()<>\\\"'`&]*)\)")
_PLAIN_TEXT = re.compile(rf"{_PLAIN}*")
# Line breaks as markdown-it counts them (its normalize rule turns CRLF and a lone CR into LF): the document's lines
# must be the lines markdown-it's line map numbers, or a lone CR or CR CR LF shifts every row's line.
LINE_BREAK = re.compile(r"\r\n?|\n")
_HTML_HEADING = re.compile(r"<h([1-6])(?:\s+id=\"([^\"]*)\")?[^>]*>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """A markdown link: its visible text and its URL exactly as written."""

    text: str
    url: str


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # repaired plain text
    anchor: str | None  # the id of an HTML heading, e.g. "1.1.1"
    line: int  # 1-based
    raw: str = ""  # the heading's source line(s) as written ("## Title", '<h4 id="1.1.1">1.1.1 Title</h4>')


@dataclass(frozen=True)
class Cell:
    header: str  # repaired plain text of the column header
    raw: str  # the cell's markdown source as written, trimmed
    index: int  # 0-based column


@dataclass(frozen=True)
class TableRow:
    line: int
    raw_line: str
    cells: tuple[Cell, ...]
    written_cells: int  # how many cells the line actually has (may differ from the header)
    section: tuple[Heading, ...]


@dataclass(frozen=True)
class Table:
    line: int  # line of the header row
    headers: tuple[str, ...]
    rows: tuple[TableRow, ...]
    section: tuple[Heading, ...]


@dataclass(frozen=True)
class ListItem:
    line: int
    raw: str  # the markdown source of the item's first paragraph
    number: int | None  # the item's number in an ordered list
    depth: int  # 1 for a top-level item
    section: tuple[Heading, ...]


@dataclass(frozen=True)
class Paragraph:
    line: int
    raw: str
    section: tuple[Heading, ...]


@dataclass(frozen=True)
class Document:
    lines: tuple[str, ...]
    headings: tuple[Heading, ...]
    tables: tuple[Table, ...]
    items: tuple[ListItem, ...]
    paragraphs: tuple[Paragraph, ...]  # top-level paragraphs (not inside list items or tables)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


@lru_cache(maxsize=1)
def _linkless_parser() -> MarkdownIt:
    """The inline parser without the link and image rules, for text that has no ``]``: no link or image can close
    there, so the result is the same, and markdown-it's link rule is slow on runs of ``[`` (it tries each one as a
    label: a 3 MB line of ``[`` took 33 s, now well under a second)."""
    return MarkdownIt("commonmark").enable("table").disable(["link", "image"])


def _inline_tokens(raw: str):
    return (_parser() if "]" in raw else _linkless_parser()).parseInline(raw)


@lru_cache(maxsize=1)
def _block_parser() -> MarkdownIt:
    """The same parser without the inline pass: a document's tokens are read for their raw ``content`` only
    (cells, paragraphs and headings are parsed by :func:`inline_links` / :func:`inline_text` when needed), and the
    inline pass over a whole list was most of the time spent reading it."""
    return MarkdownIt("commonmark").enable("table").disable("inline")


@lru_cache(maxsize=1 << 18)  # reading, resolution and mapping each ask for the same cells
def inline_links(raw: str) -> tuple[Link, ...]:
    """Every link in a piece of inline markdown, in order (CommonMark rules, so ``(...)`` in URLs work)."""
    if "[" not in raw and "<" not in raw:  # no link without a bracket or an autolink's angle bracket
        return ()
    simple = _simple(raw)
    if simple is not None:
        return simple[0]
    if "]" not in raw and "<" not in raw:
        return ()
    links: list[Link] = []
    for token in _parser().parseInline(raw):
        children = token.children or []
        for i, child in enumerate(children):
            if child.type != "link_open":
                continue
            text_parts = []
            for inner in children[i + 1 :]:
                if inner.type == "link_close":
                    break
                text_parts.append(inner.content)
            links.append(Link(text=fix_mojibake("".join(text_parts)).strip(), url=str(child.attrGet("href") or "")))
    return tuple(links)


def _simple(raw: str) -> tuple[tuple[Link, ...], str] | None:
    """(links, visible text) of text made only of plain text and simple links (see _SIMPLE_LINK), without running
    the inline parser; None for anything else. Destinations go through markdown-it's normalizeLink/validateLink."""
    parser, links, visible, position = _parser(), [], [], 0
    for match in _SIMPLE_LINK.finditer(raw):
        if not _PLAIN_TEXT.fullmatch(raw, position, match.start()):
            return None
        url = parser.normalizeLink(match.group(2))
        if not parser.validateLink(url):
            return None
        links.append(Link(text=fix_mojibake(match.group(1)).strip(), url=url))
        visible += [raw[position : match.start()], match.group(1)]
        position = match.end()
    if not _PLAIN_TEXT.fullmatch(raw, position):
        return None
    return tuple(links), "".join(visible) + raw[position:]


@lru_cache(maxsize=1 << 18)
def inline_text(raw: str) -> str:
    """The visible text of inline markdown as the source wrote it: links reduced to their text, backslash escapes
    resolved (``\\<Output\\>`` is the text ``<Output>``), entities decoded, ``<br />`` and line breaks a newline,
    other HTML tags dropped, mojibake repaired, the ends trimmed. Quotes, full-width punctuation and runs of
    spaces stay as written."""
    if _INLINE_SYNTAX.isdisjoint(raw):
        return fix_mojibake(raw).strip()
    simple = _simple(raw)
    if simple is not None:
        return fix_mojibake(simple[1]).strip()
    parts: list[str] = []
    for token in _inline_tokens(raw):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append("\n")
            elif child.type == "html_inline" and _BR.fullmatch(child.content):
                parts.append("\n")
    return fix_mojibake("".join(parts)).strip()


def _cell_count(line: str) -> int:
    """Cells on a table line, counted the way GFM does (outer pipes optional, ``\\|`` escaped)."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return len(_UNESCAPED_PIPE.findall(body)) + 1  # markdown-it's escapedSplit: a pipe after a backslash is text


def parse_document(text: str) -> Document:
    """Parse markdown text into a :class:`Document`. Never raises on well-formed UTF-8 text."""
    lines = tuple(LINE_BREAK.split(text))
    tokens = _block_parser().parse(text)
    headings: list[Heading] = []
    tables: list[Table] = []
    items: list[ListItem] = []
    paragraphs: list[Paragraph] = []
    path: list[Heading] = []

    def enter(heading: Heading) -> None:
        while path and path[-1].level >= heading.level:
            path.pop()
        path.append(heading)
        headings.append(heading)

    list_stack: list[int | None] = []  # the next number of each open ordered list, None for bullets
    item_pending: list[tuple[int, int | None]] = []  # (line, number) of items whose first paragraph is not seen
    table_head: list[str] = []
    headers: list[str] = []
    table_rows: list[TableRow] = []
    table_line = 0
    row_cells: list[str] = []
    row_line = 0
    in_head = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        line = (tok.map[0] + 1) if tok.map else 0
        if tok.type == "heading_open":
            raw = "\n".join(lines[tok.map[0] : tok.map[1]]) if tok.map else ""
            enter(Heading(int(tok.tag[1]), inline_text(tokens[i + 1].content), None, line, raw))
        elif tok.type == "html_block":
            for m in _HTML_HEADING.finditer(tok.content):  # every heading of the block, each at its own line
                first = line + tok.content.count("\n", 0, m.start())
                last = first + m.group(0).count("\n")
                raw = "\n".join(lines[first - 1 : last])
                enter(Heading(int(m.group(1)), repair_text(m.group(3)), m.group(2), first, raw))
        elif tok.type in ("ordered_list_open", "bullet_list_open"):
            start = tok.attrGet("start")
            list_stack.append((int(start) if start is not None else 1) if tok.type == "ordered_list_open" else None)
        elif tok.type in ("ordered_list_close", "bullet_list_close"):
            list_stack.pop()
        elif tok.type == "list_item_open":
            number = list_stack[-1]
            if number is not None:
                number = int(tok.info) if tok.info and tok.info.isdigit() else number
                list_stack[-1] = number + 1
            item_pending.append((line, number))
        elif tok.type == "list_item_close":
            if item_pending and item_pending[-1][0] > 0:
                # an item with no paragraph of its own (empty item): keep it, with its raw line
                pline, number = item_pending.pop()
                items.append(ListItem(pline, lines[pline - 1].strip(), number, len(list_stack), tuple(path)))
            elif item_pending:
                item_pending.pop()
        elif tok.type == "paragraph_open":
            inline = tokens[i + 1]
            if item_pending and item_pending[-1][0] > 0:
                pline, number = item_pending[-1]
                items.append(ListItem(pline, inline.content, number, len(list_stack), tuple(path)))
                item_pending[-1] = (0, number)  # later paragraphs of the same item are part of it
            elif not list_stack:
                paragraphs.append(Paragraph(line, inline.content, tuple(path)))
        elif tok.type == "table_open":
            table_line, table_head, table_rows = line, [], []
        elif tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
            headers = [inline_text(h) for h in table_head]
        elif tok.type == "tr_open":
            row_cells, row_line = [], line
        elif tok.type in ("th_open", "td_open"):
            content = tokens[i + 1].content if tokens[i + 1].type == "inline" else ""
            (table_head if in_head else row_cells).append(content)
        elif tok.type == "tr_close" and not in_head:
            raw_line = lines[row_line - 1]
            cells = tuple(Cell(headers[k], row_cells[k].strip(), k) for k in range(len(row_cells)))
            table_rows.append(TableRow(row_line, raw_line, cells, _cell_count(raw_line), tuple(path)))
        elif tok.type == "table_close":
            tables.append(Table(table_line, tuple(inline_text(h) for h in table_head), tuple(table_rows), tuple(path)))
        i += 1
    return Document(lines, tuple(headings), tuple(tables), tuple(items), tuple(paragraphs))
