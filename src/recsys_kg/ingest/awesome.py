"""Reader for "Awesome LLM-Enhanced Recommender Systems".

Format: a table of surveys (Date / Venue, Paper, Institution, Repo) and three tables of Knowledge /
Interaction / Model Enhancement works whose fourth column is a facet of that kind (Knowledge Type, Generation
Method, Integration Type) and whose Foundation Model cell marks each model (F) finetuned or (N) not. ``N/A``
means none. One paragraph links a related list.
"""

from __future__ import annotations

from collections.abc import Iterator

from recsys_kg.ingest import records as R
from recsys_kg.ingest.base import SourceSpec, register
from recsys_kg.ingest.common import row_entry, taxonomy_path
from recsys_kg.ingest.markdown_doc import Document, inline_links
from recsys_kg.ingest.records import Entry, Rejection

ROLES = {
    "date / venue": R.DATE_VENUE,
    "model": R.NAME,
    "paper": R.TITLE,
    "institution": R.INSTITUTION,
    "repo": R.CODE,
    "code": R.CODE,
    "knowledge type": R.KNOWLEDGE_TYPE,
    "generation method": R.GENERATION_METHOD,
    "integration type": R.INTEGRATION_TYPE,
    "foundation model (finetuned/non-finetuned)": R.BACKBONE,
}


@register("awesome-llm-enhanced")
def read(spec: SourceSpec, doc: Document) -> Iterator[Entry | Rejection]:
    for table in doc.tables:
        for row in table.rows:
            record = row_entry(spec.id, table, row, ROLES, R.PAPER)
            if isinstance(record, Entry):
                no_code = record.fields.get(R.CODE, "").strip().upper() == "N/A"
                record = record.with_fields({R.LINK: record.fields.get(R.TITLE, "")}, drop=(R.CODE,) if no_code else ())
            yield record
    for para in doc.paragraphs:
        links = inline_links(para.raw)
        if len(links) == 1 and para.raw.strip().startswith("["):
            yield Entry(
                spec.id,
                para.line,
                R.REPOSITORY,
                taxonomy_path(para.section),
                {R.NAME: links[0].text, R.LINK: para.raw},
                raw=para.raw,
            )
    for item in doc.items:
        yield Rejection(
            spec.id, item.line, "list item outside the tables: this list keeps its entries in tables", item.raw
        )
