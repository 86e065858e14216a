"""One benchmark stage, run in a process of its own: ``python benchmarks/stages.py STAGE '{"arg": ...}'``.

Why a process per stage: peak memory (ru_maxrss) is a property of a process, and a stage measured after another
in the same process would inherit its allocations and its warm caches. The process times only the stage's own
work (not interpreter start-up or reading its input, unless that is the stage) and prints one line
``RESULT {"seconds": ..., ...}``; the parent (run.py) adds the process's peak RSS.

Each stage is the project's public function for it ("ours") or the plain reference library doing the same job
(rdflib, owlrl, pySHACL), so the two can be compared in the same run. Stages whose module does not exist yet
raise ``Unavailable``, reported as such.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

STAGES: dict[str, Callable[..., dict]] = {}
INFERRED = "https://w3id.org/recsys-kg/graph/inferred"


class Unavailable(Exception):
    """The module a stage measures is not part of the project (yet)."""


def stage(name: str):
    def register(function):
        STAGES[name] = function
        return function

    return register


def _import(module: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise Unavailable(f"{module} is not available: {exc}") from None


def _quads(nq: str, inferred: bool = True) -> list:
    import pyoxigraph as ox

    quads = ox.parse(path=nq, format=ox.RdfFormat.N_QUADS)
    return [q for q in quads if inferred or getattr(q.graph_name, "value", "") != INFERRED]


def _rdflib_dataset(nq: str, inferred: bool = True):
    import rdflib

    dataset = rdflib.Dataset()
    dataset.parse(nq, format="nquads")
    if not inferred:
        dataset.remove_graph(rdflib.URIRef(INFERRED))
    return dataset


def _rdflib_union(nq: str) -> object:
    """The asserted quads as one rdflib Graph (what a plain pySHACL run validates)."""
    import rdflib

    graph = rdflib.Graph()
    for _s, _p, _o, _g in (dataset := _rdflib_dataset(nq, inferred=False)).quads((None, None, None, None)):
        graph.add((_s, _p, _o))
    del dataset
    return graph


def _timed(function: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


# --- generating and building --------------------------------------------------------------------------------------


@stage("synthesize")
def synthesize(scale: int, out: str) -> dict:
    from recsys_kg import paths
    from recsys_kg.tools.synthetic import synthesize as run

    seconds, made = _timed(lambda: run(Path(out), scale, paths.sources_dir(), paths.curation_dir()))
    return {"seconds": seconds, "bytes": sum(f.stat().st_size for f in made.files)}


@stage("build-phases")
def build_phases(sources: str, curation: str, out: str) -> dict:
    """`build_dataset` + `write_outputs` with each step it calls timed where it is called: reading, resolving,
    reasoning, validation, metadata and the report; mapping (into the build's store) is the rest. Writing
    includes loading the persistent store, on a thread beside the TriG writer (``load_store``, also shown alone).
    Also the megabytes on disk of the outputs and of the persistent store."""
    import resource

    import recsys_kg.build.pipeline as build

    phases: dict[str, dict] = {}

    def timed(name: str, function):
        def wrapper(*args, **kwargs):
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                entry = phases.setdefault(name, {"seconds": 0.0, "cpu": 0.0})
                entry["seconds"] += time.perf_counter() - start
                entry["cpu"] += time.process_time() - cpu  # the whole process's (a thread's phase overlaps others)
                entry["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        return wrapper

    # the build reads each source with read_source_document (it keeps the parsed document for the report's
    # fidelity counts); its stage keeps the name read_source, so results stay comparable across runs
    labels = {"read_source_document": "read_source"}
    for name in (
        "read_source_document",
        "resolve",
        "infer_in_store",
        "validate_store",
        "store_description",
        "build_report",
        "load_store",
    ):
        if hasattr(build, name):  # the names the pipeline imported: what it calls
            setattr(build, name, timed(labels.get(name, name), getattr(build, name)))
    cpu = time.process_time()
    total, result = _timed(lambda: build.build_dataset(Path(sources), Path(curation)))
    phases["map"] = {
        "seconds": total - sum(p["seconds"] for p in phases.values()),
        "cpu": time.process_time() - cpu - sum(p["cpu"] for p in phases.values()),
    }
    cpu = time.process_time()
    write, written = _timed(lambda: build.write_outputs(result, Path(out)))
    phases["write_outputs"] = {
        "seconds": write,
        "cpu": time.process_time() - cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if "load_store" in phases:
        phases["load_store (within write_outputs)"] = phases.pop("load_store")
    counts = result.report["counts"]
    store = _import("recsys_kg.rdf.graph_store").store_root(Path(out) / "recsys-kg.nq")
    return {
        "seconds": total + write,
        "phases": phases,
        "quads": counts["quads"],
        "papers": counts["Paper"],
        "entries": counts["Entry"],
        "candidates": len(result.report["resolution"]["candidates"]),
        "outputs_mb": round(sum(path.stat().st_size for path in written.values()) / 2**20, 1),
        "store_mb": round(sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) / 2**20, 1),
    }


# --- parsing and serializing --------------------------------------------------------------------------------------


@stage("parse")
def parse(nq: str) -> dict:
    import pyoxigraph as ox

    store = ox.Store()
    seconds, _ = _timed(lambda: store.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS))
    return {"seconds": seconds, "quads": len(store)}


@stage("parse-rdflib")
def parse_rdflib(nq: str) -> dict:
    seconds, dataset = _timed(lambda: _rdflib_dataset(nq))
    return {"seconds": seconds, "quads": len(dataset)}


@stage("serialize")
def serialize(nq: str) -> dict:
    import pyoxigraph as ox

    from recsys_kg.rdf.serialize import serialize as write

    quads = _quads(nq)
    seconds, data = _timed(lambda: write(quads, ox.RdfFormat.TRIG))
    return {"seconds": seconds, "bytes": len(data)}


@stage("serialize-rdflib")
def serialize_rdflib(nq: str) -> dict:
    dataset = _rdflib_dataset(nq)
    seconds, data = _timed(lambda: dataset.serialize(format="trig"))
    return {"seconds": seconds, "bytes": len(data.encode("utf-8"))}


# --- reasoning and validation -------------------------------------------------------------------------------------


@stage("reason-owlrl")
def reason_owlrl(nq: str) -> dict:
    entailments = _import("recsys_kg.reason.owlrl").owlrl_entailments
    quads = _quads(nq, inferred=False)
    seconds, triples = _timed(lambda: entailments(quads))
    return {"seconds": seconds, "inferred": len(triples)}


@stage("validate-pyshacl")
def validate_pyshacl(nq: str) -> dict:
    """Plain pySHACL (rdflib graph, every shape, no preparation) on the asserted graph."""
    import pyshacl
    import rdflib

    from recsys_kg import paths

    shapes = rdflib.Graph()
    for path in sorted(paths.shapes_dir().glob("*.ttl")):
        shapes.parse(path, format="turtle")
    graph = _rdflib_union(nq)
    seconds, (conforms, report, _text) = _timed(
        lambda: pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    )
    return {"seconds": seconds, "conforms": bool(conforms), "results": len(report)}


@stage("contribution")
def contribution(nq: str, file: str) -> dict:
    """One contribution validated in the context of the whole graph, as `recsys-kg validate FILE` does after its
    imports: open the context (the on-disk cache next to the graph; built first if missing: ``cold``) and
    validate. ``seconds`` is both; ``open_seconds`` the first part."""
    from recsys_kg.validate.context_cache import CACHE_DIR

    validate_module = _import("recsys_kg.validate.contributions")
    shapes = _import("recsys_kg.validate.shapes")
    contributions = [_import("recsys_kg.validate.input").read_contribution(Path(file))]
    shapes.shapes_model(shapes.CONTRIBUTION_SCOPE)  # shape parsing is the imports' part
    cold = not (Path(nq).parent / CACHE_DIR / Path(nq).name).exists()
    started = time.perf_counter()
    with validate_module.opened_context(Path(nq)) as context:
        opened = time.perf_counter() - started
        report = validate_module.validate_contributions(contributions, context)
    return {
        "seconds": time.perf_counter() - started,
        "open_seconds": opened,
        "cold": cold,
        "results": len(report.results),
    }


@stage("contribution-pyshacl")
def contribution_pyshacl(nq: str, file: str) -> dict:
    """Plain pySHACL on the whole graph plus the contribution (no focus nodes)."""
    import pyshacl
    import rdflib

    from recsys_kg import paths

    shapes = rdflib.Graph()
    for path in sorted(paths.shapes_dir().glob("*.ttl")):
        shapes.parse(path, format="turtle")
    graph = _rdflib_union(nq)
    graph.parse(file, format="turtle")
    seconds, (conforms, _report, _text) = _timed(
        lambda: pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    )
    return {"seconds": seconds, "conforms": bool(conforms)}


# --- queries, export, load ----------------------------------------------------------------------------------------


@stage("queries")
def queries(nq: str) -> dict:
    """Every canned query on the store `recsys-kg query` uses (the graph's persistent store), warm: the best of three
    runs of each after a first one."""
    q = _import("recsys_kg.query.canned")
    store, found = _import("recsys_kg.rdf.dataset").open_store(Path(nq)), {}
    for name in q.query_names():
        q.run(store, q.get_spec(name))
    for name in q.query_names():
        spec = q.get_spec(name)
        runs = []
        for _ in range(3):
            cpu = time.process_time()
            seconds, result = _timed(lambda spec=spec: q.run(store, spec))
            runs.append((seconds, time.process_time() - cpu, result))
        found[name] = {"seconds": min(r[0] for r in runs), "cpu": min(r[1] for r in runs), "rows": len(runs[0][2].rows)}
    return {"queries": found}


@stage("search")
def search(nq: str) -> dict:
    """`KG.search` warm (the index read once first, timed apart): the median of 20 searches of the kinds people
    type (identifiers, title words, misspelt names, a sentence)."""
    api = _import("recsys_kg.api")
    kg = api.open(Path(nq))
    index_seconds, _ = _timed(lambda: kg.search("warm up"))
    texts = [
        "arXiv:2305.19860v2",
        "https://doi.org/10.1145/3604915.3608857",
        "two stage recommendation",
        "TALRec",
        "large language model agents for conversational recommendation",
    ] * 4
    times = sorted(_timed(lambda text=text: kg.search(text, 10))[0] for text in texts)
    return {"seconds": times[len(times) // 2], "max_seconds": times[-1], "index_seconds": index_seconds}


@stage("query-rdflib")
def query_rdflib(nq: str, name: str) -> dict:
    """The same query text (parameters bound the same way) on an rdflib Dataset, one run."""
    q = _import("recsys_kg.query.canned")
    dataset, spec = _rdflib_dataset(nq), q.get_spec(name)
    seconds, rows = _timed(lambda: list(dataset.query(q.standalone_text(spec))))
    return {"seconds": seconds, "rows": len(rows)}


@stage("export")
def export(nq: str, fmt: str, out: str) -> dict:
    run = _import("recsys_kg.publish.export").export
    seconds, summary = _timed(lambda: run(Path(nq), fmt, Path(out)))
    return {"seconds": seconds, "quads": summary.quads}


@stage("export-rdflib")
def export_rdflib(nq: str, fmt: str) -> dict:
    formats = {"nq": "nquads", "trig": "trig", "jsonld": "json-ld", "nt": "nt", "ttl": "turtle"}
    dataset = _rdflib_dataset(nq)
    seconds, data = _timed(lambda: dataset.serialize(format=formats.get(fmt, fmt)))
    return {"seconds": seconds, "bytes": len(data.encode("utf-8"))}


@stage("load")
def load(nq: str, work: str) -> dict:
    """`recsys-kg load` into a fresh Oxigraph server on 127.0.0.1 (Graph Store Protocol, read-back verified)."""
    run = _import("recsys_kg.publish.load").load
    server_module = _import("recsys_kg.stores.oxigraph")
    with server_module.OxigraphServer(Path(work) / "oxigraph-load") as server:
        seconds, summary = _timed(lambda: run(Path(nq), server.store_url))
    return {"seconds": seconds, "graphs": len(summary.graphs) if hasattr(summary, "graphs") else None}


@stage("load-native")
def load_native(nq: str, work: str) -> dict:
    """Oxigraph's own bulk loader (`oxigraph load`) on the same file: the floor for any loading over HTTP."""
    bulk_load = _import("recsys_kg.stores.oxigraph").bulk_load
    seconds, _ = _timed(lambda: bulk_load(Path(work) / "oxigraph-native", [Path(nq)]))
    return {"seconds": seconds}


def main(argv: list[str]) -> int:
    name, args = argv[1], json.loads(argv[2]) if len(argv) > 2 else {}
    try:
        result = STAGES[name](**args)
    except Unavailable as exc:
        result = {"unavailable": str(exc)}
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
