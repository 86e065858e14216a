"""`recsys-kg contribute new` writes a file that validates; `recsys-kg vocab KIND` lists labels, IRIs, counts."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from recsys_kg.cli.main import main
from recsys_kg.rdf.dataset import read_dataset
from recsys_kg.validate.contributions import validate_contribution_files

RKG = "https://w3id.org/recsys-kg/ontology#"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_contribute_new_writes_a_valid_file(seed_build_dir, tmp_path):
    out = tmp_path / "draft.ttl"
    result = invoke(
        "contribute",
        "new",
        "--arxiv",
        "2501.12345",
        "--title",
        'Ranking with a "Quoted" LLaMA',
        "--backbone",
        "LLaMA-2-7B:LoRA",
        "--backbone",
        "GPT-4:Frozen",
        "--category",
        "llm4rec-zh/1.3",
        "--venue",
        "WWW 2025",
        "--contributor",
        "Test Person",
        "--out",
        str(out),
        "--data",
        str(seed_build_dir / "recsys-kg.nq"),
    )
    assert result.exit_code == 0, result.output
    report, errors = validate_contribution_files([out], seed_build_dir / "recsys-kg.nq")
    assert not errors and report.conforms and not report.results
    graph = {
        (t.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1], t.object.value)
        for t in ox.parse(path=str(out), format=ox.RdfFormat.TURTLE)
    }
    assert {
        ("title", 'Ranking with a "Quoted" LLaMA'),
        ("arxivId", "2501.12345"),
        ("year", "2025"),
        ("usesModel", "https://w3id.org/recsys-kg/id/model/llama2-7b"),
        ("tuningStrategy", "https://w3id.org/recsys-kg/id/tuning/lora"),
        ("usesModel", "https://w3id.org/recsys-kg/id/model/gpt-4"),
        ("tuningStrategy", "https://w3id.org/recsys-kg/id/tuning/frozen"),
        ("publishedIn", "https://w3id.org/recsys-kg/id/venue/www"),
        ("taxonomyPosition", "https://w3id.org/recsys-kg/id/concept/llm4rec-zh/1.3"),
    } <= graph
    assert out.read_text(encoding="utf-8").startswith("# contributor: Test Person\n# date: ")


def test_contribute_new_refuses_what_it_cannot_normalize(tmp_path):
    result = invoke(
        "contribute",
        "new",
        "--arxiv",
        "2501.12345",
        "--title",
        "T",
        "--backbone",
        "LLaMA-2-7B:Telepathy",
        "--category",
        "llm4rec-zh/1.3",
        "--out",
        str(tmp_path / "x.ttl"),
    )
    assert result.exit_code == 2
    assert "--backbone: 'Telepathy' is not one tuning strategy" in result.output
    assert not (tmp_path / "x.ttl").exists()
    result = invoke(
        "contribute",
        "new",
        "--arxiv",
        "arXiv:2501.12345v2",
        "--title",
        "T",
        "--category",
        "llm4rec-zh/1.3",
        "--out",
        str(tmp_path / "x.ttl"),
    )
    assert result.exit_code == 2 and "--arxiv: '2501.12345v2' is not an arXiv id" in result.output


def test_contribute_new_reports_an_unknown_model_and_exits_1(seed_build_dir, tmp_path):
    out = tmp_path / "draft.ttl"
    result = invoke(
        "contribute",
        "new",
        "--arxiv",
        "2501.12345",
        "--title",
        "A Paper on an Unknown Model",
        "--backbone",
        "Zorblax-3B:LoRA",
        "--category",
        "llm4rec-zh/1.3",
        "--out",
        str(out),
        "--data",
        str(seed_build_dir / "recsys-kg.nq"),
    )
    assert result.exit_code == 1
    assert "USAGE-003" in result.output and "model/zorblax-3b" in result.output
    assert out.exists()


def test_vocab_counts_equal_the_graph(seed_build_dir):
    quads = read_dataset(seed_build_dir / "recsys-kg.nq")
    usage_model = {
        q.subject: q.object
        for q in quads
        if q.predicate.value == RKG + "usesModel"
        and q.graph_name.value.startswith("https://w3id.org/recsys-kg/graph/source/")
    }
    papers_per_model: dict[str, set] = defaultdict(set)
    for q in quads:
        if q.predicate.value == RKG + "hasBackboneUsage" and q.object in usage_model:
            papers_per_model[usage_model[q.object].value].add(q.subject)
    result = invoke("vocab", "models", "--format", "json", "--data", str(seed_build_dir / "recsys-kg.nq"))
    assert result.exit_code == 0
    rows = json.loads(result.output)["results"]["bindings"]
    listed = {row["iri"]["value"]: int(row["papers"]["value"]) for row in rows}
    assert listed == {model: len(papers) for model, papers in papers_per_model.items()} | {
        m: 0 for m in listed if m not in papers_per_model
    }
    named = {m: n for m, n in listed.items() if not m.endswith("/model/unspecified")}  # headings' strategies
    assert listed["https://w3id.org/recsys-kg/id/model/chatgpt"] == max(named.values())


def test_vocab_lists_every_kind(seed_build_dir):
    for kind, expected in (
        ("venues", "venue/www"),
        ("strategies", "tuning/lora"),
        ("categories", "concept/llm4rec-zh/1.3"),
        ("companies", "org/alibaba"),
    ):
        result = invoke("vocab", kind, "--format", "json", "--data", str(seed_build_dir / "recsys-kg.nq"))
        assert result.exit_code == 0, kind
        iris = {row["iri"]["value"] for row in json.loads(result.output)["results"]["bindings"]}
        assert "https://w3id.org/recsys-kg/id/" + expected in iris, kind


def test_vocab_without_a_build_exits_2(tmp_path: Path):
    result = invoke("vocab", "models", "--data", str(tmp_path / "none.nq"))
    assert result.exit_code == 2
