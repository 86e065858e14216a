"""Reader for the README of "Towards Next-Generation LLM-based Recommender Systems: A Survey and Beyond".

Format: numbered lists of ``[Title](link)`` under a heading taxonomy (levels 2 to 5); a table comparing eight
surveys (✅ marks, ``**Ours**`` for the survey itself); a table of generative works (``'Title'`` in quotes, ``~``
for none); a table of industrial works whose first cell is ``Name, 'Title'`` or just ``'Title'``. The short
README has only the Industrial Deploying list and is read by the same reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from recsys_kg.ingest import records as R
from recsys_kg.ingest.base import SourceSpec, register
from recsys_kg.ingest.common import header_key, row_entry, taxonomy_path
from recsys_kg.ingest.markdown_doc import Document, inline_links
from recsys_kg.ingest.records import Entry, Rejection

COMPARISON_ROLES = {
    "paper": R.TITLE,
    "non-gen. rs": R.COVERS_NON_GENERATIVE,
    "gen. rs": R.COVERS_GENERATIVE,
    "scen.": R.SCENARIO,
    "aca.": R.COVERS_ACADEMIC,
    "ind.": R.COVERS_INDUSTRIAL,
    "pipeline": R.PIPELINE,
    "highlights": R.HIGHLIGHTS,
}
GENERATIVE_ROLES = {
    "model/paper": R.TITLE,
    "task/domain": R.TASK,
    "data modality": R.MODALITY,
    "main techniques": R.TECHNIQUES,
    "source code": R.CODE,
}
INDUSTRIAL_ROLES = {"model/paper": R.TITLE, "company": R.COMPANY, "task/domain": R.TASK, "highlights": R.HIGHLIGHTS}

_NAME_AND_TITLE = re.compile(r"^\s*([^']+?)\s*,\s*('.*')\s*$", re.DOTALL)
_NONE = {"~", ""}


def _split_name(entry: Entry) -> Entry:
    """``LLM-KERec, 'Breaking the Barrier: ...'`` -> name LLM-KERec and the quoted title."""
    match = _NAME_AND_TITLE.match(entry.fields.get(R.TITLE, ""))
    return entry.with_fields({R.NAME: match.group(1), R.TITLE: match.group(2)}) if match else entry


def _drop_none(entry: Entry) -> Entry:
    return entry.with_fields(
        drop=[
            r
            for r in (R.CODE, R.TECHNIQUES, R.TASK, R.MODALITY)
            if r in entry.fields and entry.fields[r].strip() in _NONE
        ]
    )


@register("next-gen-survey")
def read(spec: SourceSpec, doc: Document) -> Iterator[Entry | Rejection]:
    for item in doc.items:
        links = inline_links(item.raw)
        if not links or not links[0].text:
            yield Rejection(spec.id, item.line, "list item has no [title](link): an unclosed or missing link", item.raw)
            continue
        warnings = () if links[0].url else ("the link is empty: the paper is kept by its title only",)
        fields = {R.TITLE: links[0].text, R.LINK: item.raw}
        # The item's lines as written, marker included, and all of them: a lazy continuation line ("<br>" under
        # line 270) belongs to the item.
        raw = "\n".join(doc.lines[item.line - 1 : item.line + item.raw.count("\n")])
        yield Entry(
            spec.id,
            item.line,
            R.PAPER,
            taxonomy_path(item.section),
            fields,
            raw=raw,
            item_number=item.number,
            warnings=warnings,
        )
    for table in doc.tables:
        headers = {header_key(h) for h in table.headers}
        if "non-gen. rs" in headers:
            roles, kind, fix = COMPARISON_ROLES, R.SURVEY_COMPARISON, None
        elif "company" in headers:
            roles, kind, fix = INDUSTRIAL_ROLES, R.PAPER, _split_name
        elif "data modality" in headers:
            roles, kind, fix = GENERATIVE_ROLES, R.PAPER, _drop_none
        else:
            for row in table.rows:
                yield Rejection(spec.id, row.line, f"table with unknown columns {list(table.headers)}", row.raw_line)
            continue
        for row in table.rows:
            record = row_entry(spec.id, table, row, roles, kind)
            if isinstance(record, Entry) and fix:
                record = fix(record)
            if (
                isinstance(record, Entry)
                and kind == R.SURVEY_COMPARISON
                and record.fields.get(R.TITLE, "").strip("* ") == "Ours"
            ):
                record = record.with_fields({R.SELF: spec.describes_paper or ""}, drop=(R.TITLE,))
            yield record
