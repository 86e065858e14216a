"""Reader for a Semantic Scholar paper page saved as text (markdown-like, from a web-page converter).

Format: the page's own paper first (DOI and Corpus ID items, a setext title, a BibTeX block, an authors item
with ``/author/<name>/<id>`` links, a "Published in" item, a TLDR), then the sections "N Citations" and
"N References", each a run of paper blocks that start with a ``[### Title](paper-url)`` paragraph and carry
authors, fields of study, venue, a year item, a TLDR and a citation-count item. Everything else is page chrome
(figure thumbnails, navigation, footer): its list items are reported with that reason.

An entry's raw text is the page's lines from its first line to its last, exactly as saved (blank lines, ``*   ``
list markers, the title heading of the page's own record). A paper block ends with its "Save" button, so the
last block of a section does not run into the pagination after it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from recsys_kg.ingest import records as R
from recsys_kg.ingest.base import SourceSpec, register
from recsys_kg.ingest.markdown_doc import Document, inline_links, inline_text
from recsys_kg.ingest.records import Entry, Rejection

_COUNT_HEADING = re.compile(r"^([\d,]+)\s+(Citations|References)$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_BLOCK_START = "[### "
_CHROME = {"save", "citation type", "has pdf", "author", "more filters", "filters", "...", "ai-generated"}


def _blocks(doc: Document) -> list[tuple[int, str, str, str]]:
    """Paragraphs and list items in line order: (line, 'p' or 'i', raw, section heading text)."""
    parts = [(p.line, "p", p.raw, p.section[-1].text if p.section else "") for p in doc.paragraphs]
    parts += [(i.line, "i", i.raw, i.section[-1].text if i.section else "") for i in doc.items]
    return sorted(parts)


def _last_line(parts: list[tuple[int, str, str, str]]) -> int:
    """The line a run of parts ends on (a part's raw text may span lines)."""
    return max(line + raw.count("\n") for line, _, raw, _ in parts)


def _verbatim(doc: Document, first: int, last: int) -> tuple[str, int]:
    """(the source lines first..last as written, without trailing blank lines; the last line kept)."""
    while last > first and not doc.lines[last - 1].strip():
        last -= 1
    return "\n".join(doc.lines[first - 1 : last]), last


def _until_save(parts: list[tuple[int, str, str, str]]) -> list[tuple[int, str, str, str]]:
    """A paper block's parts up to its "Save" button, which ends every block of the page; all parts if none."""
    for k, part in enumerate(parts):
        if part[1] == "p" and inline_text(part[2]) == "Save":
            return parts[: k + 1]
    return parts


def _paper_block(
    spec: SourceSpec, doc: Document, kind: str, parts: list[tuple[int, str, str, str]], end: int
) -> Entry | Rejection:
    """One citing or referenced paper: the first part is its ``[### Title](url)`` paragraph (a block whose link
    never closes, as in a page cut short, is rejected with its line)."""
    parts = _until_save(parts)
    first_line, _, head, _ = parts[0]
    links = inline_links(head)
    if not links:
        return Rejection(
            spec.id,
            first_line,
            "paper block without a [### Title](link): the link is not closed (a page cut short?)",
            "\n".join(part[2] for part in parts),
        )
    link = links[0]
    fields = {R.TITLE: link.text.lstrip("# ").strip(), R.LINK: link.url}
    plain: list[str] = []
    after_tldr = False
    for _, what, raw, _ in parts[1:]:
        text = inline_text(raw)
        if after_tldr:
            fields[R.TLDR], after_tldr = re.sub(r"Expand$", "", text).strip(), False
        elif text == "TLDR":
            after_tldr = True
        elif "/author/" in raw:
            fields[R.AUTHORS] = raw
        elif what == "i" and _YEAR.match(text):
            fields[R.YEAR] = text
        elif (
            what == "i"
            and "#citing-papers" in raw
            and (count := inline_text(raw.split("\n")[0])).replace(",", "").isdigit()
        ):
            fields[R.CITATION_COUNT] = count.replace(",", "")
        elif what == "p" and text and text.lower() not in _CHROME and "/reader/" not in raw and R.YEAR not in fields:
            plain.append(raw)
    if plain:
        fields[R.FIELDS_OF_STUDY] = plain[0]
    if len(plain) > 1:
        fields[R.VENUE] = plain[1]
    raw, last = _verbatim(doc, first_line, min(end, _last_line(parts)))
    # No taxonomy position: "230 Citations" is a page section, and the entry kind says citing or referenced.
    return Entry(spec.id, first_line, kind, (), fields, raw=raw, end_line=last)


def _own_record(spec: SourceSpec, doc: Document, parts: list[tuple[int, str, str, str]], end: int) -> Entry:
    fields: dict[str, str] = {}
    title = next((h for h in doc.headings if h.level == 1 and h.line > 1), None)
    if title:
        fields[R.TITLE] = title.text
    after_tldr = False
    for _, what, raw, _ in parts:
        text = inline_text(raw)
        if after_tldr:
            fields[R.TLDR], after_tldr = re.sub(r"Expand$", "", text).strip(), False
        elif text == "TLDR":
            after_tldr = True
        elif text.startswith("DOI:"):
            fields[R.DOI] = text[4:].strip()
        elif text.startswith("Corpus ID:"):
            fields[R.CORPUS_ID] = text.split(":", 1)[1].strip()
        elif raw.lstrip().startswith("@"):
            fields[R.BIBTEX] = raw
        elif "/author/" in raw:
            fields[R.AUTHORS] = raw
        elif text.startswith("Published in"):
            venue = inline_links(raw)
            fields[R.VENUE] = venue[0].text if venue else text
            fields[R.DATE] = text.split(fields[R.VENUE], 1)[-1].strip()
        elif what == "i" and R.AUTHORS in fields and R.FIELDS_OF_STUDY not in fields:
            fields[R.FIELDS_OF_STUDY] = raw
    counts = {m.group(2): m.group(1).replace(",", "") for h in doc.headings if (m := _COUNT_HEADING.match(h.text))}
    if "Citations" in counts:
        fields[R.CITATION_COUNT] = counts["Citations"]
    if "References" in counts:
        fields["reference-count"] = counts["References"]
    for _line, _, raw, _ in parts:  # the page's own link names its Semantic Scholar paper id
        links = [link.url for link in inline_links(raw) if "semanticscholar.org/reader/" in link.url]
        if links:
            fields[R.LINK] = links[0]
            break
    raw, last = _verbatim(doc, parts[0][0], end)  # title heading, BibTeX and list markers included
    return Entry(spec.id, parts[0][0], R.BIBLIOGRAPHIC_RECORD, (), fields, raw=raw, end_line=last)


@register("semantic-scholar-page")
def read(spec: SourceSpec, doc: Document) -> Iterator[Entry | Rejection]:
    parts = _blocks(doc)
    boundaries = sorted(h.line for h in doc.headings if h.level == 2)
    first_section = boundaries[0] if boundaries else len(doc.lines) + 1
    own = [p for p in parts if p[0] < first_section]
    if own:
        yield _own_record(spec, doc, own, first_section - 1)
    section_kind = {}
    for h in doc.headings:
        m = _COUNT_HEADING.match(h.text)
        if m:
            section_kind[h.line] = R.CITING_PAPER if m.group(2) == "Citations" else R.REFERENCE
    lines = [p[0] for p in parts]  # sorted: each section's parts are one slice, found by bisection (linear in all)
    for b, start in enumerate(boundaries):
        end = (boundaries[b + 1] if b + 1 < len(boundaries) else len(doc.lines) + 1) - 1
        mine = parts[bisect_right(lines, start) : bisect_right(lines, end)]
        kind = section_kind.get(start)
        starts = [k for k, p in enumerate(mine) if p[1] == "p" and p[2].startswith(_BLOCK_START)] if kind else []
        for part in mine[: starts[0] if starts else len(mine)]:
            if part[1] == "i":
                yield Rejection(spec.id, part[0], f"page chrome in section {part[3]!r}: not a paper", part[2])
        for n, s in enumerate(starts):
            stop = starts[n + 1] if n + 1 < len(starts) else len(mine)
            block = mine[s:stop]
            block_end = (mine[stop][0] - 1) if stop < len(mine) else end
            assert kind is not None  # blocks are only found in a section of a known kind
            yield _paper_block(spec, doc, kind, block, block_end)
