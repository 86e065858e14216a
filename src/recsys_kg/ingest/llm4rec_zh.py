"""Reader for the Chinese-language "LLM4Rec-Paper" list.

Format: HTML headings ``<h4 id="1.1.1">1.1.1 Title</h4>`` give the taxonomy (the ids are kept as notations);
paper tables with Name, Paper, LLM Backbone (Largest), LLM Tuning Strategy, Publication, Link and Main
Contributions (Chinese prose); a table of related surveys; datasets, benchmarks and related repositories. The
list items are the table of contents and a few prose bullets: they are reported, not mapped.
"""

from __future__ import annotations

from collections.abc import Iterator

from recsys_kg.ingest import records as R
from recsys_kg.ingest.base import SourceSpec, register
from recsys_kg.ingest.common import header_key, row_entry
from recsys_kg.ingest.markdown_doc import Document
from recsys_kg.ingest.records import Entry, Rejection

PAPER_ROLES = {
    "name": R.NAME,
    "paper": R.TITLE,
    "llm backbone (largest)": R.BACKBONE,
    "llm tuning strategy": R.STRATEGY,
    "publication": R.PUBLICATION,
    "link": R.LINK,
    "main contributions": R.SUMMARY,
}
DATASET_ROLES = {"dataset": R.NAME, "rs scenario": R.SCENARIO, "link": R.LINK, "main contributions": R.SUMMARY}
BENCHMARK_ROLES = {
    "benchmarks": R.NAME,
    "webcite link": R.WEBSITE,
    "paper": R.PAPER_LINK,
    "main contributions": R.SUMMARY,
}
REPOSITORY_ROLES = {"repo name": R.NAME, "maintainer": R.MAINTAINER, "link": R.LINK}


def _table_kind(headers: set[str]) -> tuple[dict[str, str], str] | None:
    if "dataset" in headers:
        return DATASET_ROLES, R.DATASET
    if "benchmarks" in headers:
        return BENCHMARK_ROLES, R.BENCHMARK
    if "repo name" in headers:
        return REPOSITORY_ROLES, R.REPOSITORY
    if "paper" in headers:
        return PAPER_ROLES, R.PAPER
    return None


@register("llm4rec-zh")
def read(spec: SourceSpec, doc: Document) -> Iterator[Entry | Rejection]:
    for item in doc.items:
        reason = (
            "table of contents entry: the taxonomy is read from the section headings"
            if "](#" in item.raw
            else "prose bullet (motivation text), not a list entry"
        )
        yield Rejection(spec.id, item.line, reason, item.raw)
    for table in doc.tables:
        found = _table_kind({header_key(h) for h in table.headers})
        for row in table.rows:
            if found is None:
                yield Rejection(spec.id, row.line, f"table with unknown columns {list(table.headers)}", row.raw_line)
                continue
            roles, kind = found
            # Main Contributions is Chinese prose; every other prose column of this list is English.
            yield row_entry(spec.id, table, row, roles, kind, language=spec.language)
