"""Validating the whole graph: the seed build conforms, the build report carries the results, the build fails on a
violation, and `recsys-kg validate` without files checks a built dataset with the documented exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import URIRef

from recsys_kg.cli.main import main
from recsys_kg.rdf.graphs import INFERRED
from recsys_kg.shacl.report import Result, ValidationReport
from recsys_kg.validate.graph import validate_quads

PAPER = "https://w3id.org/recsys-kg/id/paper/arxiv-2305.19860"
YEAR = ox.NamedNode("https://w3id.org/recsys-kg/ontology#year")


def test_the_seed_graph_has_no_violation(seed_build):
    report = seed_build.validation
    assert report is not None and not report.fails()
    assert report.counts()["Violation"] == 0
    assert all(r.rule != "UNNAMED" for r in report.results)


def test_the_build_report_lists_warnings_with_counts_per_rule(seed_build):
    from recsys_kg.build.report import report_text

    section = seed_build.report["validation"]
    assert section["conforms"] is True
    assert sum(r["count"] for r in section["counts_by_rule"].values()) == len(seed_build.validation.results)
    warnings = [r for r in section["results"] if r["severity"] == "Warning"]
    assert len(warnings) == section["counts"]["Warning"] > 0
    assert {r["rule"] for r in warnings} == {
        k for k, v in section["counts_by_rule"].items() if v["severity"] == "Warning"
    }
    text = report_text(seed_build.report)
    assert "SHACL validation" in text and "PAPER-014 (Warning)" in text


def test_results_point_at_the_source_line_that_states_them(seed_build):
    located = [r for r in seed_build.validation.results if r.file]
    assert located and all(r.file.startswith("data/sources/") and r.line for r in located)


def test_validation_ignores_the_inferred_graph_and_leaves_the_quads_alone():
    from recsys_kg.rdf.ontology import ontology_quads

    base = Path(__file__).parents[1] / "shapes" / "base.ttl"
    quads = list(ox.parse(path=base, format=ox.RdfFormat.TURTLE)) + ontology_quads()
    bad_year = ox.Literal("3024", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))
    inferred = ox.Quad(ox.NamedNode(PAPER), YEAR, bad_year, INFERRED)
    before = quads + [inferred]
    assert validate_quads(before).results == []
    assert len(before) == len(quads) + 1 and before[-1] == inferred
    asserted = ox.Quad(
        ox.NamedNode(PAPER), YEAR, bad_year, ox.NamedNode("https://w3id.org/recsys-kg/graph/source/test-list")
    )
    results = validate_quads(quads + [asserted]).results
    assert [(str(r.focus), r.path, r.severity, r.rule, r.file, r.line) for r in results] == [
        (PAPER, "rkg:year", "Violation", "PAPER-021", "data/sources/test-list.md", 10),
        (PAPER, "rkg:year", "Warning", "PAPER-022", "data/sources/test-list.md", 10),
    ]


def test_recsys_kg_validate_without_files_checks_the_built_graph(seed_build_dir: Path):
    graph = seed_build_dir / "recsys-kg.nq"
    result = CliRunner().invoke(main, ["validate", "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and all(line.split(" ")[0] in ("WARNING", "INFO") for line in lines)
    assert "conforms (0 violations" in result.stderr
    strict = CliRunner().invoke(main, ["validate", "--graph", str(graph), "--strict", "--format", "json"])
    assert strict.exit_code == 1 and json.loads(strict.stdout)["counts"]["Violation"] == 0


def test_a_dataset_with_a_violation_exits_1(seed_build_dir: Path, tmp_path: Path):
    broken = tmp_path / "broken.nq"
    text = (seed_build_dir / "recsys-kg.nq").read_text(encoding="utf-8")
    broken.write_text(
        text + f'<{PAPER}> <{YEAR.value}> "3024"^^<http://www.w3.org/2001/XMLSchema#gYear> '
        "<https://w3id.org/recsys-kg/graph/source/llm4rec-zh> .\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", "--graph", str(broken), "--min-severity", "violation"])
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.startswith("VIOLATION PAPER-021 data/sources/") and " id:paper/arxiv-2305.19860 rkg:year: " in line


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "does not exist: run `recsys-kg build` first"),
        ("<a> <b> .\n", "not valid NQ"),
        ("<https://x/s> <https://x/p> <https://x/o> .\n", "the dataset has no ontology graph"),
    ],
)
def test_an_unusable_dataset_exits_2(tmp_path: Path, content, message):
    path = tmp_path / "dataset.nq"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--graph", str(path)])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_build_fails_with_the_violations_and_writes_nothing(monkeypatch, tmp_path: Path):
    import recsys_kg.build.pipeline as build_module

    violation = Result(
        "Violation",
        "PAPER-021",
        URIRef(PAPER),
        "rkg:year",
        None,
        "the year is not plausible",
        "PatternConstraintComponent",
        "[]",
        file="data/sources/x.md",
        line=3,
    )
    monkeypatch.setattr(build_module, "validate_store", lambda store: ValidationReport([violation]))
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 1
    assert (
        "VIOLATION PAPER-021 data/sources/x.md:3 id:paper/arxiv-2305.19860 rkg:year: the year is not plausible"
        in result.stderr
    )
    assert "1 SHACL violation(s)" in result.stderr
    assert not (tmp_path / "out").exists()
