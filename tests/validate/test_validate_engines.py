"""The SPARQL validation engine (the build's) gives exactly the results of the pySHACL reference engine: on the
seed graph, on every shape fixture (valid and invalid), and on every contribution fixture and example in the
context of the seed graph. Results are compared whole: severity, rule, focus, path, value, message, constraint
component, shape and location. The SPARQL engine must also refuse what it does not implement instead of passing
it unchecked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from recsys_kg.rdf.ontology import ontology_quads
from recsys_kg.shacl.compiler import run
from recsys_kg.shacl.model import UnsupportedShape, read_shapes
from recsys_kg.validate.contributions import opened_context, validate_contribution_files
from recsys_kg.validate.graph import data_store, validate_quads

ROOT = Path(__file__).parents[2]
SHAPES_TESTS = ROOT / "tests" / "shapes"
FIXTURES = sorted((SHAPES_TESTS / "valid").glob("*.ttl")) + sorted((SHAPES_TESTS / "invalid").glob("*.ttl"))
CONTRIBUTIONS = (
    sorted((SHAPES_TESTS / "contributions").glob("*.ttl"))
    + sorted((ROOT / "contributions").rglob("*.ttl"))
    + sorted((ROOT / "contributions").rglob("*.jsonld"))
)


def test_engines_agree_on_the_seed_graph(seed_build):
    quads = list(seed_build.quads)
    sparql, pyshacl = validate_quads(quads), validate_quads(quads, engine="pyshacl")
    assert sparql.results == pyshacl.results
    assert len(sparql.results) > 100  # the seed graph has warnings and infos: the comparison is not vacuous


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_engines_agree_on_each_shape_fixture(path: Path):
    quads = list(ox.parse(path=SHAPES_TESTS / "base.ttl", format=ox.RdfFormat.TURTLE)) + ontology_quads()
    quads += list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    assert validate_quads(quads).results == validate_quads(quads, engine="pyshacl").results


@pytest.mark.parametrize("path", CONTRIBUTIONS, ids=lambda p: p.name)
def test_engines_agree_on_each_contribution(path: Path, seed_build_dir: Path):
    graph = seed_build_dir / "recsys-kg.nq"
    sparql, _ = validate_contribution_files([path], graph)
    pyshacl, _ = validate_contribution_files([path], graph, engine="pyshacl")
    assert sparql.results == pyshacl.results


def test_the_context_is_unchanged_after_a_contribution(seed_build_dir: Path):
    graph = seed_build_dir / "recsys-kg.nq"
    with opened_context(graph) as store:
        before = len(store)
    del store  # the on-disk context may be open once per process
    validate_contribution_files([SHAPES_TESTS / "contributions" / "duplicate-title.ttl"], graph)
    with opened_context(graph) as store:
        assert len(store) == before


@pytest.mark.parametrize(
    "shape, named",
    [
        (
            'rkg:S sh:targetClass rkg:Paper ; sh:sparql [ sh:select "SELECT $this WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }" ] .',
            "rkg:S: SPARQL constraints and targets with MINUS, VALUES, SERVICE or a sub-select",
        ),
        (
            'rkg:S sh:targetClass rkg:Paper ; sh:sparql [ sh:ask "ASK { $this ?p ?o }" ] .',
            "SELECT-based SPARQL constraints",
        ),
        (
            "rkg:S sh:targetClass rkg:Paper ; sh:futureParameter 4 .",
            "rkg:S: the SPARQL validator does not implement sh:futureParameter",
        ),
        ("rkg:S sh:targetClass rkg:Paper ; sh:minCount 1 .", "rkg:S: sh:minCount in a node shape"),
        ("rkg:S sh:targetClass rkg:Paper ; sh:node rkg:T . rkg:T sh:node rkg:S .", "a shape nested in itself"),
        (
            "rkg:S sh:targetClass rkg:Paper ; sh:not [ sh:path rkg:year ; sh:minCount 9 ] .",
            "a count above 8 in a nested shape",
        ),
        (
            'rkg:S sh:targetClass rkg:Paper ; sh:not rkg:T . rkg:T sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ] .',
            "SPARQL constraints in a nested shape",
        ),
    ],
)
def test_a_feature_the_sparql_engine_lacks_is_refused_naming_shape_and_feature(shape: str, named: str):
    text = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rkg: <https://w3id.org/recsys-kg/ontology#> . "
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . " + shape
    )
    graph = rdflib.Graph().parse(data=text, format="turtle")
    store = data_store(ox.parse(b"<urn:x> a <https://w3id.org/recsys-kg/ontology#Paper> .", format=ox.RdfFormat.TURTLE))
    with pytest.raises(UnsupportedShape, match=re.escape(named)):
        run(store, read_shapes(graph))


def test_the_cli_reports_an_unsupported_shape_without_a_traceback(seed_build_dir: Path, tmp_path: Path, monkeypatch):
    """A shape the SPARQL engine cannot run is an error naming the shape (exit 2); --engine pyshacl runs it."""
    from click.testing import CliRunner

    from recsys_kg.cli.main import main

    shapes = tmp_path / "shapes"
    shapes.mkdir()
    for path in (ROOT / "shapes").glob("*.ttl"):
        (shapes / path.name).write_bytes(path.read_bytes())
    (shapes / "extra.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rkg: <https://w3id.org/recsys-kg/ontology#> .\n"
        "<urn:x:CountShape> a sh:NodeShape ; sh:targetClass rkg:SourceList ; sh:not [ sh:path rkg:fileName ; "
        "sh:minCount 9 ] .\n",
        encoding="utf-8",
    )
    graph = str(seed_build_dir / "recsys-kg.nq")
    refused = CliRunner().invoke(main, ["validate", "--graph", graph, "--shapes", str(shapes)])
    assert refused.exit_code == 2 and "count above 8 in a nested shape" in refused.output
    assert "Traceback" not in refused.output
    accepted = CliRunner().invoke(main, ["validate", "--graph", graph, "--shapes", str(shapes), "--engine", "pyshacl"])
    assert accepted.exit_code == 0, accepted.output
