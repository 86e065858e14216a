"""`recsys-kg build`: read every source, resolve papers, map to quads, and write the dataset and its report.

Nothing is dropped silently: every row and item of every source is an entry in the graph or a rejection in the
report, with its line. Outputs are written only after everything succeeded, each file through a temporary file
and an atomic rename, so a failed or interrupted build leaves the previous outputs as they were. The same
inputs give byte-identical files (quads are sorted, blank nodes canonical, no timestamps).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import terms as T
from .ingest import load_manifest, read_source
from .ingest.base import SourceSpec
from .mapping import VOCABULARY, MappingContext, Warning_, map_entry, map_source
from .namespaces import PREFIXES
from .normalize import organizations
from .ontology import merged_turtle, ontology_quads
from .paths import CURATION_DIR, SOURCES_DIR
from .quads import QuadSet
from .records import Entry, Rejection
from .report import build_report
from .resolve import resolve

DATASET_TRIG = "recsys-kg.trig"
DATASET_NQ = "recsys-kg.nq"
ONTOLOGY_TTL = "ontology.ttl"
REPORT_JSON = "report.json"
REPORT_TXT = "report.txt"
Progress = Callable[[str], None]


@dataclass
class SourceResult:
    spec: SourceSpec
    entries: list[Entry]
    rejections: list[Rejection]


@dataclass
class BuildResult:
    quads: QuadSet
    sources: list[SourceResult]
    warnings: list[Warning_] = field(default_factory=list)
    report: dict = field(default_factory=dict)


def map_organizations(quads: QuadSet) -> None:
    """The curated organization catalogue, with its sub-organization links, in the vocabulary graph."""
    kinds = {"company": "Company", "institution": "ResearchInstitution", "lab": "ResearchInstitution"}
    for organization in organizations():
        o = T.instance("org", organization.key)
        quads.add(o, T.RDF_TYPE, T.org("Organization"), VOCABULARY)
        quads.add(o, T.RDF_TYPE, T.rkg(kinds.get(organization.kind, "Company")), VOCABULARY)
        quads.add(o, T.RDFS_LABEL, T.string(organization.label), VOCABULARY)
        for alias in organization.aliases:
            if alias != organization.label:
                quads.add(o, T.skos("altLabel"), T.string(alias), VOCABULARY)
        if organization.parent:
            quads.add(o, T.org("subOrganizationOf"), T.instance("org", organization.parent), VOCABULARY)


def build_dataset(sources_dir: Path = SOURCES_DIR, curation_dir: Path = CURATION_DIR,
                  progress: Progress = lambda _: None) -> BuildResult:
    """Everything but writing: read, resolve, map. Raises SourceError for a source that cannot be read."""
    specs = load_manifest(sources_dir)
    results = []
    for spec in specs:
        progress(f"reading {spec.file}")
        entries, rejections = read_source(spec, sources_dir)
        results.append(SourceResult(spec, entries, rejections))
    progress("resolving papers across lists")
    all_entries = [e for r in results for e in r.entries]
    anchors = {r.spec.id: r.spec.describes_paper for r in results if r.spec.describes_paper}
    resolution = resolve(all_entries, anchors, curation_dir)
    progress("mapping entries to triples")
    quads = QuadSet()
    warnings: list[Warning_] = []
    for result in results:
        ctx = MappingContext(result.spec, resolution, quads)
        for entry in result.entries:
            map_entry(ctx, entry)
        sections = sorted({e.section for e in result.entries if e.section}, key=lambda s: [h.line for h in s])
        map_source(ctx, sections)
        warnings += ctx.warnings
    map_organizations(quads)
    quads.update(ontology_quads())
    build = BuildResult(quads, results, warnings)
    build.report = build_report(build, resolution)
    return build


def atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same directory and rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def serialize(quads: list[ox.Quad], fmt: ox.RdfFormat) -> bytes:
    """Quads in the given order. Only vocabulary prefixes are declared: instance IRIs stay whole, because
    their slashes would need ``\\/`` escapes in prefixed names, which some stores' parsers reject."""
    prefixes = {p: str(ns) for p, ns in PREFIXES.items() if p not in ("id", "graph")}
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES):
        return ox.serialize(quads, format=fmt)
    return ox.serialize(quads, format=fmt, prefixes=prefixes)


def write_outputs(build: BuildResult, out_dir: Path) -> dict[str, Path]:
    """All outputs, each atomically; the report last, so a complete report means complete outputs."""
    from .report import report_json, report_text

    for stale in out_dir.glob(".*.tmp"):
        stale.unlink(missing_ok=True)  # left by a build killed while writing
    ordered = build.quads.sorted()
    paths = {
        "nq": out_dir / DATASET_NQ, "trig": out_dir / DATASET_TRIG, "ontology": out_dir / ONTOLOGY_TTL,
        "report-json": out_dir / REPORT_JSON, "report-txt": out_dir / REPORT_TXT,
    }
    atomic_write(paths["nq"], serialize(ordered, ox.RdfFormat.N_QUADS))
    atomic_write(paths["trig"], serialize(ordered, ox.RdfFormat.TRIG))
    atomic_write(paths["ontology"], merged_turtle())
    atomic_write(paths["report-txt"], report_text(build.report).encode("utf-8"))
    atomic_write(paths["report-json"], report_json(build.report).encode("utf-8"))
    return paths


def entry_lines(build: BuildResult, source_id: str) -> set[int]:
    """Lines covered by a source's entries (for accounting checks and tests)."""
    lines: set[int] = set()
    for result in build.sources:
        if result.spec.id == source_id:
            for entry in result.entries:
                lines.update(range(entry.line, (entry.end_line or entry.line) + 1))
    return lines

