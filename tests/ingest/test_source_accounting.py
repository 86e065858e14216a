"""Every table row and list item of every source is an entry in the graph (with source, line and raw text) or a
rejection in the build report with a reason. Rows and items are counted here independently of the readers,
with plain line patterns, so a reader that skips something cannot hide it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from recsys_kg import paths

DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s+|$)")
SOURCES = {
    "next-gen-survey": "next-gen-llm-recsys-survey.md",
    "next-gen-survey-short": "next-gen-llm-recsys-survey.short.md",
    "llm4rec-zh": "llm4rec-paper-list.zh.md",
    "awesome-llm-enhanced": "awesome-llm-enhanced-recsys.md",
    "s2-wu2023": "s2-wu2023-llm4rec-survey.md",
}
RKG = "https://w3id.org/recsys-kg/ontology#"


def count_rows_and_items(path: Path) -> tuple[set[int], set[int]]:
    """(table body rows, list items) by line number: header rows and delimiter rows are not rows."""
    lines = path.read_text(encoding="utf-8").split("\n")
    rows, items, fenced = set(), set(), False
    for n, line in enumerate(lines, 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        if line.lstrip().startswith("|"):
            is_header = n < len(lines) and DELIMITER.match(lines[n])
            if not DELIMITER.match(line) and not is_header:
                rows.add(n)
        elif LIST_ITEM.match(line):
            items.add(n)
    return rows, items


def entries_in_graph(store: ox.Store, source_id: str) -> dict[int, dict]:
    query = f"""
        PREFIX rkg: <{RKG}>
        SELECT ?s ?line ?end ?raw (COUNT(?cell) AS ?cells) WHERE {{
          GRAPH ?g {{ ?e rkg:fromSource ?s ; rkg:lineNumber ?line ; rkg:rawText ?raw .
                     OPTIONAL {{ ?e rkg:endLine ?end }} OPTIONAL {{ ?e rkg:hasCell ?cell }} }}
        }} GROUP BY ?s ?line ?end ?raw"""
    source = ox.NamedNode(f"https://w3id.org/recsys-kg/id/source/{source_id}")
    out = {}
    for row in store.query(query, substitutions={ox.Variable("s"): source}):
        line = int(row["line"].value)
        out[line] = {
            "end": int(row["end"].value) if row["end"] else line,
            "raw": row["raw"].value,
            "cells": int(row["cells"].value),
        }
    return out


@pytest.mark.parametrize("source_id", sorted(SOURCES))
def test_every_row_and_item_is_an_entry_or_a_rejection(source_id, seed_store, seed_build_dir):
    rows, items = count_rows_and_items(paths.sources_dir() / SOURCES[source_id])
    assert rows or items, "the independent count found nothing: the pattern is wrong"
    entries = entries_in_graph(seed_store, source_id)
    report = json.loads((seed_build_dir / "report.json").read_text(encoding="utf-8"))
    rejected = {r["line"]: r["reason"] for r in report["sources"][source_id]["rejections"]}
    covered = {line for start, e in entries.items() for line in range(start, e["end"] + 1)}
    lines = (paths.sources_dir() / SOURCES[source_id]).read_text(encoding="utf-8").split("\n")
    for n in sorted(rows | items):
        assert n in covered or n in rejected, (
            f"{SOURCES[source_id]}:{n} is neither an entry nor rejected: {lines[n - 1]!r}"
        )
        if n in rejected:
            assert rejected[n].strip(), f"line {n} rejected without a reason"
    for n in rows - set(rejected):
        entry = entries[n]
        assert entry["raw"] == lines[n - 1], f"line {n}: raw text differs from the source line"
        assert entry["cells"] >= 1, f"line {n}: a table row without raw cells"


def test_counts_add_up(seed_build):
    """Entries + rejections per source equal what the independent count finds (list items inside a
    Semantic Scholar page block belong to that block's one entry)."""
    for result in seed_build.sources:
        rows, items = count_rows_and_items(paths.sources_dir() / result.spec.file)
        spans = [(e.line, e.end_line or e.line) for e in result.entries]
        standalone = {n for n in rows | items if not any(a < n <= b for a, b in spans)}
        accounted = {e.line for e in result.entries} | {r.line for r in result.rejections}
        assert standalone <= accounted, (result.spec.id, sorted(standalone - accounted)[:10])
