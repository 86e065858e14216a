"""The round trip: every source list regenerated from the built graph alone matches the original file.

Both files are parsed into the same element sequence (headings with level and text, table headers, rows with
every cell, list items with their number, paragraphs), normalized only for white space and markdown markup, and
aligned. Every element of the original missing from the regenerated list must be excused by a rule of
roundtrip-allowlist.yaml whose check holds for it; nothing may be added or changed. The graph is read from the
N-Quads file the seed build wrote (tests/conftest.py), so nothing but the graph reaches the renderer.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from recsys_kg import paths
from recsys_kg.ingest import load_manifest
from recsys_kg.ingest.markdown_doc import Document, parse_document
from recsys_kg.rdf.dataset import open_store
from recsys_kg.render.source import render_source

ALLOWLIST = yaml.safe_load((Path(__file__).parent / "roundtrip-allowlist.yaml").read_text(encoding="utf-8"))["rules"]
SPECS = {spec.id: spec for spec in load_manifest(paths.sources_dir())}
_MARKUP = re.compile(r"[*_`]")


@dataclass(frozen=True)
class Element:
    kind: str  # heading | table | row | item | paragraph
    key: tuple  # what is compared
    line: int  # where it stands in its file


def _norm(text: str) -> str:
    return " ".join(text.split())


def elements(doc: Document) -> list[Element]:
    """The comparable skeleton of a document, in line order."""
    found = [Element("heading", (h.level, _norm(h.text)), h.line) for h in doc.headings]
    for table in doc.tables:
        found.append(Element("table", tuple(_norm(_MARKUP.sub("", h)) for h in table.headers), table.line))
        found += [Element("row", tuple(_norm(c.raw) for c in row.cells), row.line) for row in table.rows]
    found += [Element("item", (item.number, _norm(item.raw)), item.line) for item in doc.items]
    found += [Element("paragraph", (_norm(p.raw),), p.line) for p in doc.paragraphs]
    return sorted(found, key=lambda e: (e.line, e.kind))


def unexplained(source_id: str, original: str, rendered: str, build) -> tuple[list[str], Counter]:
    """Differences no allow-list rule excuses (as messages naming file and line), and how often each rule applied."""
    result = next(r for r in build.sources if r.spec.id == source_id)
    rejected = {r.line for r in result.rejections}
    spans = [(e.line, e.end_line or e.line) for e in result.entries]
    doc = parse_document(original)
    entry_lines = sorted(e.line for e in result.entries)

    def nothing_under(el: Element) -> bool:
        """No entry between the heading and the next heading of its level or above (the heading's region)."""
        level = el.key[0]
        end = next((h.line for h in doc.headings if h.line > el.line and h.level <= level), len(doc.lines) + 1)
        return not any(el.line < line < end for line in entry_lines) and not any(a <= el.line <= b for a, b in spans)

    table_rows = {t.line: {row.line for row in t.rows} for t in doc.tables}
    checks = {
        "outside-entries": lambda el: not any(a <= el.line <= b for a, b in spans),
        "rejected": lambda el: (table_rows[el.line] <= rejected) if el.kind == "table" else el.line in rejected,
        "no-entry-under-it": nothing_under,
        "page-reader": lambda el: SPECS[source_id].reader == "semantic-scholar-page",
        "first-level-1-heading": lambda el: el.key[0] == 1 and el.line == doc.headings[0].line,
    }
    left, right = elements(doc), elements(parse_document(rendered))
    matcher = difflib.SequenceMatcher(
        None, [(e.kind, e.key) for e in left], [(e.kind, e.key) for e in right], autojunk=False
    )
    problems: list[str] = []
    used: Counter = Counter()
    file = SPECS[source_id].file
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for el in left[i1:i2]:
            rule = next((r for r in ALLOWLIST if el.kind in r["elements"] and checks[r["check"]](el)), None)
            if rule is None:
                problems.append(f"{file}:{el.line}: {el.kind} missing or changed in the regenerated list: {el.key}")
            else:
                used[rule["id"]] += 1
        problems += [f"regenerated line {el.line}: {el.kind} not in {file} as written: {el.key}" for el in right[j1:j2]]
    return problems, used


@pytest.fixture(scope="module")
def rendered(seed_build_dir: Path) -> dict[str, str]:
    store = open_store(seed_build_dir / "recsys-kg.nq")
    return {sid: render_source(store, sid) for sid in SPECS}


def _original(source_id: str) -> str:
    return (paths.sources_dir() / SPECS[source_id].file).read_text(encoding="utf-8")


@pytest.mark.parametrize("source_id", sorted(SPECS))
def test_source_regenerated_from_graph(source_id: str, rendered: dict[str, str], seed_build):
    problems, _used = unexplained(source_id, _original(source_id), rendered[source_id], seed_build)
    assert not problems, "\n".join(problems[:40])


def test_every_allowlist_rule_is_needed(rendered: dict[str, str], seed_build):
    used: Counter = Counter()
    for sid in SPECS:
        used += unexplained(sid, _original(sid), rendered[sid], seed_build)[1]
    rules = {rule["id"] for rule in ALLOWLIST}
    assert set(used) == rules, f"rules that excuse nothing: {sorted(rules - set(used))}"


def _mutations(text: str) -> dict[str, str]:
    """The regenerated Chinese list with one fidelity loss each: what the round trip exists to catch."""
    lines = text.split("\n")
    heading = next(k for k, line in enumerate(lines) if line.startswith('<h4 id="1.2.1"'))
    rows = [k for k, line in enumerate(lines) if line.startswith("| ") and "[[Paper]]" in line]
    swapped = list(lines)
    swapped[rows[3]], swapped[rows[4]] = lines[rows[4]], lines[rows[3]]
    lost_cell = list(lines)
    lost_cell[rows[5]] = re.sub(r"\| \[\[Paper\]\]\([^)]*\) \|", "|  |", lines[rows[5]], count=1)
    return {
        "dropped heading": "\n".join(lines[:heading] + lines[heading + 1 :]),
        "moved row": "\n".join(swapped),
        "lost cell": "\n".join(lost_cell),
        "altered word": text.replace("NoteLLM", "NoteLM", 1),
        "straightened quote": text.replace("“Self- Inspiring”", '"Self- Inspiring"', 1),
    }


@pytest.mark.parametrize(
    "mutation", ["dropped heading", "moved row", "lost cell", "altered word", "straightened quote"]
)
def test_round_trip_catches_each_kind_of_loss(mutation: str, rendered: dict[str, str], seed_build):
    mutated = _mutations(rendered["llm4rec-zh"])[mutation]
    assert mutated != rendered["llm4rec-zh"]
    problems, _ = unexplained("llm4rec-zh", _original("llm4rec-zh"), mutated, seed_build)
    assert problems, f"a {mutation} went unnoticed"
