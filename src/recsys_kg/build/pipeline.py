"""`recsys-kg build`: read every source, resolve papers, map to quads, and write the dataset and its report.

Nothing is dropped silently: every row and item of every source is an entry in the graph or a rejection in the
report, with its line. Outputs are written only after everything succeeded, as one all-or-nothing set
(outputs.py), so a failed or interrupted build leaves the previous outputs as they were. The same inputs give
byte-identical files (quads are sorted, blank nodes canonical, no timestamps).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from recsys_kg.rdf import terms as T
from recsys_kg.ingest import load_manifest
from recsys_kg.ingest.base import read_source_document
from recsys_kg.ingest.base import SourceSpec
from recsys_kg.mapping.context import MappingContext, Warning_
from recsys_kg.mapping.entries import map_entry, map_source
from recsys_kg.rdf.namespaces import PREFIXES
from recsys_kg.normalize.values import organizations
from recsys_kg.rdf.ontology import merged_turtle, ontology_quads
from recsys_kg.outputs import output_set
from recsys_kg import paths
from recsys_kg.rdf.quads import QuadSet
from recsys_kg.reason.infer import infer_in_store
from recsys_kg.ingest.records import Entry, Rejection
from recsys_kg.build.metadata import store_description
from recsys_kg.build.report import build_report, report_json, report_text
from recsys_kg.build.result import BuildResult, SourceResult
from recsys_kg.mapping.organizations import map_organizations
from recsys_kg.rdf.serialize import serialize
from recsys_kg.resolve.papers import resolve
from recsys_kg.validate.graph import ValidationReport, validate_store

DATASET_TRIG = "recsys-kg.trig"
DATASET_NQ = "recsys-kg.nq"
ONTOLOGY_TTL = "ontology.ttl"
REPORT_JSON = "report.json"
REPORT_TXT = "report.txt"
Progress = Callable[[str], None]


def rare_collections(function):
    """Run ``function`` with the cyclic garbage collector's first generation collected every 100,000 allocations
    instead of every 700. A build allocates millions of objects that live to its end (entries, quads, lines) and
    almost no reference cycles, so the default thresholds re-examine the same survivors over and over: 10 % of
    a 100x build (84 s against 93 s), half of reading. Reference counting still frees everything else at once."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        thresholds = gc.get_threshold()
        gc.set_threshold(100_000, *thresholds[1:])
        try:
            return function(*args, **kwargs)
        finally:
            gc.set_threshold(*thresholds)

    return wrapper


@rare_collections
def build_dataset(sources_dir: Path | None = None, curation_dir: Path | None = None,
                  progress: Progress = lambda _: None) -> BuildResult:
    """Everything but writing: read, resolve, map. Raises SourceError for a source that cannot be read.
    The directories default to the home's (paths.py)."""
    sources_dir = sources_dir or paths.sources_dir()
    curation_dir = curation_dir or paths.curation_dir()
    specs = load_manifest(sources_dir)
    results = []
    for spec in specs:
        progress(f"reading {spec.file}")
        entries, rejections, document = read_source_document(spec, sources_dir)
        results.append(SourceResult(spec, entries, rejections, document))
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
    # One in-memory store serves reasoning, validation and the metadata counts (loading it is a cost at scale).
    store = ox.Store()
    store.bulk_extend(quads)
    progress("reasoning")
    inferred = infer_in_store(store)  # raises InconsistencyError; see reason.py
    progress("validating against shapes/")
    validation = validate_store(store)  # asserted graphs + ontology (the inferred graph is not in the store yet)
    store.bulk_extend(inferred)
    quads.update(inferred)
    quads.update(store_description(store, [s.id for s in specs]))
    del store
    build = BuildResult(quads, results, warnings, validation=validation)
    build.report = build_report(build, resolution)
    return build


@rare_collections
def write_outputs(build: BuildResult, out_dir: Path) -> dict[str, Path]:
    """Dataset (N-Quads, TriG), merged ontology and report, written as one all-or-nothing set.

    The dataset files are streamed: N-Quads one graph at a time as its lines are sorted, TriG from the quads in
    that order (a list of references to the build's quads, not a copy of them)."""
    with output_set(out_dir) as staging:
        with open(staging.path(DATASET_NQ), "wb") as nquads:
            ordered = build.quads.write_nquads(nquads)
        serialize(ordered, ox.RdfFormat.TRIG, staging.path(DATASET_TRIG))
        del ordered
        staging.write(ONTOLOGY_TTL, merged_turtle())
        staging.write(REPORT_TXT, report_text(build.report).encode("utf-8"))
        staging.write(REPORT_JSON, report_json(build.report).encode("utf-8"))
    return {name: out_dir / name for name in staging.names}
