"""`recsys-kg build`: read every source, resolve papers, map to quads, and write the dataset and its report.

Nothing is dropped silently: every row and item of every source is an entry in the graph or a rejection in the
report, with its line. Outputs are written only after everything succeeded, as one all-or-nothing set
(outputs.py), so a failed or interrupted build leaves the previous outputs as they were. The same inputs give
byte-identical files (quads are sorted, blank nodes canonical, no timestamps).
"""

from __future__ import annotations

import errno
import functools
import gc
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from recsys_kg import paths
from recsys_kg.build.metadata import store_description
from recsys_kg.build.report import build_report, report_json, report_text
from recsys_kg.build.result import BuildResult, SourceResult
from recsys_kg.ingest import load_manifest
from recsys_kg.ingest.base import read_source_document
from recsys_kg.ingest.contributions import read_contributions
from recsys_kg.ingest.pedigree import check_pedigree
from recsys_kg.mapping.context import MappingContext, Warning_
from recsys_kg.mapping.contributions import map_contribution, map_contributions_source
from recsys_kg.mapping.entries import map_entry, map_source
from recsys_kg.mapping.identifier_iris import add_identifier_iris
from recsys_kg.mapping.organizations import map_organizations
from recsys_kg.outputs import output_set
from recsys_kg.rdf.dataset import open_store
from recsys_kg.rdf.graph_store import Hashing, building_dir, identity, load_store, publish, store_root
from recsys_kg.rdf.ontology import merged_turtle, ontology_quads
from recsys_kg.rdf.quads import QuadSet
from recsys_kg.rdf.serialize import serialize
from recsys_kg.reason.infer import infer_in_store
from recsys_kg.resolve.papers import resolve
from recsys_kg.shacl.report import Result
from recsys_kg.validate.graph import ValidationReport, validate_store

DATASET_TRIG = "recsys-kg.trig"
DATASET_NQ = "recsys-kg.nq"
ONTOLOGY_TTL = "ontology.ttl"
REPORT_JSON = "report.json"
REPORT_TXT = "report.txt"
ON_DISK_ABOVE_BYTES = 100 << 20  # lists larger than this (100x the seed's: 25 MB) are built in an on-disk store
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
def build_dataset(
    sources_dir: Path | None = None,
    curation_dir: Path | None = None,
    progress: Progress = lambda _: None,
    contributions_dir: Path | None = None,
) -> BuildResult:
    """Everything but writing: read, resolve, map, reason, validate. Raises SourceError for a source that cannot
    be read. The directories default to the home's (paths.py); accepted contributions (paths.contributions_dir)
    are read like a source. The quads go straight into an Oxigraph store
    (quads.py), which serves reasoning, validation and the metadata counts and from which the outputs are written:
    in memory, or on disk (a temporary directory) for lists larger than ON_DISK_ABOVE_BYTES, whose graph would
    not fit in memory (the on-disk store is 2-3 times slower, and becomes the persistent store when written)."""
    sources_dir = sources_dir or paths.sources_dir()
    curation_dir = curation_dir or paths.curation_dir()
    contributions_dir = contributions_dir or paths.contributions_dir()
    specs = load_manifest(sources_dir)
    results = []
    for spec in specs:
        progress(f"reading {spec.file}")
        entries, rejections, document = read_source_document(spec, sources_dir)  # unreadable: SourceError
        check_pedigree(spec, sources_dir)  # readable but not the version the manifest names: SourceError
        results.append(SourceResult(spec, entries, rejections, document))
    progress("reading accepted contributions")
    contributed = read_contributions(contributions_dir, contributions_dir.parent.parent)
    progress("resolving papers across lists")
    all_entries = [e for r in results for e in r.entries]
    all_entries += [e for c in contributed for e in c.papers.values()]
    anchors = {r.spec.id: r.spec.describes_paper for r in results if r.spec.describes_paper}
    resolution = resolve(all_entries, anchors, curation_dir)
    del all_entries
    progress("mapping entries to triples")
    large = sum((sources_dir / spec.file).stat().st_size for spec in specs) > ON_DISK_ABOVE_BYTES
    quads = QuadSet(Path(tempfile.mkdtemp(prefix="recsys-kg-build-")) / "store" if large else None)
    try:
        warnings: list[Warning_] = []
        for result in results:
            ctx = MappingContext(result.spec, resolution, quads)
            for entry in result.entries:
                map_entry(ctx, entry)
            sections = sorted({e.section for e in result.entries if e.section}, key=lambda s: [h.line for h in s])
            map_source(ctx, sections)
            warnings += ctx.warnings
        located: dict[str, tuple[str, int]] = {}  # node written by a contribution -> (file, line)
        if contributed:
            map_contributions_source(quads, contributions_dir.name)
        for contribution in contributed:
            for node, line in map_contribution(quads, contribution, resolution).items():
                located.setdefault(node.value, (contribution.path, line))
            results.append(SourceResult(contribution.spec, list(contribution.papers.values()), []))
        add_identifier_iris(quads)  # lists' and contributions' identifiers, also as IRIs (dblp:doi, schema:sameAs)
        map_organizations(quads)
        quads.update(ontology_quads())
        store = quads.flushed()
        progress("reasoning")
        inferred = infer_in_store(store)  # raises InconsistencyError; see reason.py
        progress("validating against shapes/")
        validation = validate_store(store)  # asserted graphs + ontology (the inferred graph is not in the store yet)
        if located:
            validation = locate_contributions(validation, located)
        quads.update(inferred)
        del inferred
        quads.update(store_description(store, [s.id for s in specs], {s.id: (s.license, s.rights) for s in specs}))
        build = BuildResult(quads, results, warnings, validation=validation)
        build.report = build_report(build, resolution)
    except BaseException:
        if quads.path is not None:
            quads.close()
            shutil.rmtree(quads.path.parent, ignore_errors=True)
        raise
    return build


def locate_contributions(validation: ValidationReport, located: dict[str, tuple[str, int]]) -> ValidationReport:
    """Results about what a contribution wrote name its file and line, so a contribution that no longer
    validates against a new build is found where it is written."""

    def place(result: Result) -> Result:
        where = located.get(str(result.focus))
        return replace(result, file=where[0], line=where[1]) if where else result

    return ValidationReport(sorted(map(place, validation.results), key=Result.sort_key))


@rare_collections
def write_outputs(build: BuildResult, out_dir: Path) -> dict[str, Path]:
    """Dataset (N-Quads, TriG), merged ontology and report, written as one all-or-nothing set, and the dataset's
    persistent on-disk store (graph_store.py), written beside them and published, stamped with the N-Quads file's
    checksum, once the set is in place. A build killed between the two leaves no store for the new file: the
    first reader creates it.

    The N-Quads file is written from the store, one graph's sorted lines at a time; the TriG file and the
    persistent store are then read from it (streamed, in its order)."""
    with output_set(out_dir) as staging:
        with open(staging.path(DATASET_NQ), "wb") as handle:
            nquads = Hashing(handle)
            build.quads.write_nquads(nquads)
        building = building_dir(out_dir / DATASET_NQ)
        try:
            moved = build.quads.path is not None and _move_store(build.quads, building / "store")
            # otherwise the persistent store is loaded from the N-Quads file on a thread (Oxigraph's loader runs
            # without the interpreter lock) while the TriG file is written from the same lines, in the same order
            with ThreadPoolExecutor(1) as pool:
                loading = None if moved else pool.submit(load_store, building / "store", staging.path(DATASET_NQ))
                serialize(
                    ox.parse(path=str(staging.path(DATASET_NQ)), format=ox.RdfFormat.N_QUADS),
                    ox.RdfFormat.TRIG,
                    staging.path(DATASET_TRIG),
                )
                staging.write(ONTOLOGY_TTL, merged_turtle())
                staging.write(REPORT_TXT, report_text(build.report).encode("utf-8"))
                staging.write(REPORT_JSON, report_json(build.report).encode("utf-8"))
                if loading is not None:
                    loading.result()
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    written = {name: out_dir / name for name in staging.names}
    nquads_path, digest = written[DATASET_NQ], nquads.sha256.hexdigest()
    publish(building, store_root(nquads_path) / digest, digest, identity(nquads_path.stat()))
    if moved:
        build.quads.reopen(open_store(nquads_path), store_root(nquads_path) / digest / "store")
    return written


def _move_store(quads: QuadSet, target: Path) -> bool:
    """Move the build's on-disk store (a temporary directory) to ``target`` to become the persistent store: the
    same quads (blank nodes as labelled in the files), without loading them again. False, and the store left
    where it was, when the two are on different file systems."""
    assert quads.path is not None
    quads.flushed().optimize()  # compacted, as graph_store.fill leaves a store it loads
    quads.close()
    try:
        os.rename(quads.path, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        quads.reopen(ox.Store(str(quads.path)), quads.path)
        return False
    shutil.rmtree(quads.path.parent, ignore_errors=True)
    quads.reopen(ox.Store.read_only(str(target)), target)
    return True
