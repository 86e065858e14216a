"""What a source held and what its reader made of it, counted for the build report's per-source fidelity line.

Headings seen against taxonomy concepts made, table rows and list items seen against entries made and rows
rejected, table cells kept verbatim (a cell's stored text must occur as written in its row's line), and texts
repaired by kind (mojibake only: everything else is kept as the source wrote it, see text.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from recsys_kg.ingest.base import structural_lines
from recsys_kg.ingest.markdown_doc import Document
from recsys_kg.ingest.records import Entry, Rejection
from recsys_kg.text import repair_kinds


def census(doc: Document, entries: Sequence[Entry], rejections: Sequence[Rejection]) -> dict[str, object]:
    """The counts of one source (see the module docstring); plain data for report.json."""
    sections = {entry.section[:depth] for entry in entries for depth in range(1, len(entry.section) + 1)}
    cells = [(cell, entry.raw) for entry in entries for cell in entry.cells]
    repaired: Counter[str] = Counter()
    for entry in entries:
        for text in [cell.raw for cell in entry.cells] or [entry.raw]:
            repaired.update(repair_kinds(text))
    return {
        "headings_seen": len(doc.headings),
        "concepts_made": len(sections),
        "rows_and_items_seen": len(structural_lines(doc)),
        "entries_made": len(entries),
        "rows_rejected": len(rejections),
        "cells": len(cells),
        "cells_kept_verbatim": sum(1 for cell, line in cells if cell.raw in line),
        "texts_repaired": dict(sorted(repaired.items())),
    }
