"""Apache Jena 4.5 (Debian, command-line classes): every export format parses with ``riot`` into the same quads
(JSON-LD with Jena's JSON-LD 1.0 reader), and TDB2, loaded by ``tdb2.tdbloader``, holds every graph the metadata
declares and answers every canned query (``tdb2.tdbquery``) with the embedded engine's rows (by value). All the
Jena commands run in one JVM (recsys_kg.stores.jena.run_many)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from recsys_kg.publish.export import portable
from recsys_kg.query.canned import catalogue, standalone_text
from recsys_kg.rdf.dataset import FORMATS, TRIPLE_FORMATS, read_dataset
from stores.canned import LOAD_CHECK, Answer, check_load, compare, embedded_answers, query_specs
from stores.harness import quads_by_value, require
from stores.launch import exported, graph_files, jena_run

pytestmark = pytest.mark.stores


@pytest.fixture(scope="module")
def dataset(seed_build_dir: Path) -> Path:
    return seed_build_dir / "recsys-kg.nq"


@pytest.fixture(scope="module")
def files(dataset, tmp_path_factory) -> dict[str, list[tuple[Path, ox.NamedNode | None]]]:
    """Per format, the files riot parses, with the graph of each per-graph file."""
    out: dict[str, list[tuple[Path, ox.NamedNode | None]]] = {}
    for fmt in FORMATS:
        path = exported(tmp_path_factory, dataset, fmt)
        out[fmt] = graph_files(path) if fmt in TRIPLE_FORMATS else [(path, None)]
    return out


@pytest.fixture(scope="module")
def jena(dataset, files, tmp_path_factory) -> tuple[dict[str, Answer], dict[str, list[bytes]]]:
    """(answer per query text, riot's N-Quads per format and file), from one Jena run."""
    queries = {name: standalone_text(spec) for name, spec in catalogue().items()}
    queries["load-check"] = LOAD_CHECK
    parse = [(file, "JSONLD10" if fmt == "jsonld" else None) for fmt in FORMATS for file, _ in files[fmt]]
    done = require(lambda: jena_run(tmp_path_factory.mktemp("jena"), files["nq"][0][0], queries, parse))
    outputs = iter(done.parsed)
    parsed = {fmt: [next(outputs) for _ in files[fmt]] for fmt in FORMATS}
    return {text: done.answers[name] for name, text in queries.items()}, parsed


@pytest.fixture(scope="module")
def embedded(dataset):
    return embedded_answers(dataset)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_riot_reads_the_same_quads_without_a_warning(fmt, jena, files, dataset):
    """riot exits non-zero on any warning (an ill-typed literal, a bad IRI), which would have failed the run."""
    _, parsed = jena
    quads = []
    for (_, graph), output in zip(files[fmt], parsed[fmt], strict=False):
        quads += [
            ox.Quad(q.subject, q.predicate, q.object, graph or q.graph_name)
            for q in ox.parse(output, format=ox.RdfFormat.N_QUADS)
        ]
    assert quads_by_value(quads) == quads_by_value(portable(read_dataset(dataset)))


def test_every_graph_holds_what_the_metadata_declares(jena, dataset):
    answers, _ = jena
    check_load("Jena TDB2", answers[LOAD_CHECK], dataset)


@pytest.mark.parametrize("spec", query_specs())
def test_canned_query_gives_the_embedded_rows(spec, embedded, jena):
    answers, _ = jena
    compare(spec, embedded[spec.name], "Jena ARQ (TDB2)", lambda text: answers[text])
