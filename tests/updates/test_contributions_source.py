"""Accepted contributions are a source: read by the build into graph source/contributions with per-file
provenance, resolved against the lists, visible in `paper` and the canned queries, checked by the shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from recsys_kg.build.pipeline import build_dataset, write_outputs
from recsys_kg.cli.main import main
from recsys_kg.ingest.base import SourceError
from recsys_kg.query.canned import get_spec, run
from recsys_kg.rdf.dataset import open_store

ROOT = Path(__file__).resolve().parents[2]
CONTRIBUTIONS = "https://w3id.org/recsys-kg/graph/source/contributions"
HEADER = "# contributor: Test Person (@tester)\n# date: 2026-12-07\n# reference: https://example.org/pull/1\n"
PREFIXES = """@base <https://w3id.org/recsys-kg/id/> .
@prefix rkg: <https://w3id.org/recsys-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
NEW_PAPER = """
<paper/arxiv-2412.01234> a rkg:Paper ;
    dcterms:title "Ranking with a LoRA-tuned LLaMA: a Contributed Test Paper" ;
    rkg:arxivId "2412.01234" ;
    rkg:year "2024"^^xsd:gYear ;
    rkg:publishedIn <venue/arxiv> ;
    rkg:taxonomyPosition <concept/llm4rec-zh/1.3.1> ;
    rkg:hasBackboneUsage [ a rkg:BackboneUsage ; rkg:usesModel <model/llama-7b> ; rkg:tuningStrategy <tuning/lora> ] .
"""
# TALLRec, listed by llm4rec-zh, next-gen-survey and s2-wu2023 (year 2023): the contribution says 2022.
TALLREC_TITLE = "TALLRec: An Effective and Efficient Tuning Framework to Align Large Language Model with Recommendation"
TALLREC = f"""
<paper/arxiv-2305.00447> a rkg:Paper ;
    dcterms:title "{TALLREC_TITLE}" ;
    rkg:arxivId "2305.00447" ;
    rkg:year "2022"^^xsd:gYear ;
    rkg:taxonomyPosition <concept/llm4rec-zh/1.3> ;
    rkg:hasBackboneUsage [ a rkg:BackboneUsage ; rkg:usesModel <model/llama-7b> ; rkg:tuningStrategy <tuning/lora> ] .
"""


def home_with(tmp_path: Path, files: dict[str, str]) -> Path:
    """contributions/accepted/ of a temporary home holding ``files``."""
    accepted = tmp_path / "contributions" / "accepted"
    accepted.mkdir(parents=True)
    for name, text in files.items():
        (accepted / name).write_text(text, encoding="utf-8")
    return accepted


def built_store(tmp_path: Path, accepted: Path) -> ox.Store:
    out = tmp_path / "build"
    write_outputs(build_dataset(contributions_dir=accepted), out)
    return open_store(out / "recsys-kg.nq")


def rows(store: ox.Store, name: str, **params: str) -> list[dict[str, str]]:
    result = run(store, get_spec(name), params)
    return [{k: v.value for k, v in zip(result.columns, row, strict=True) if v is not None} for row in result.rows]


def test_a_new_paper_enters_the_graph_with_its_provenance(tmp_path):
    accepted = home_with(tmp_path, {"new-ranking-paper.ttl": HEADER + PREFIXES + NEW_PAPER})
    store = built_store(tmp_path, accepted)
    paper = "https://w3id.org/recsys-kg/id/paper/arxiv-2412.01234"
    (answer,) = store.query(f"""
        SELECT ?line ?file ?who ?date ?ref WHERE {{ GRAPH <{CONTRIBUTIONS}> {{
            ?entry a <https://w3id.org/recsys-kg/ontology#ContributionEntry> ;
                <https://w3id.org/recsys-kg/ontology#describes> <{paper}> ;
                <https://w3id.org/recsys-kg/ontology#lineNumber> ?line ;
                <https://w3id.org/recsys-kg/ontology#fromSource> ?source .
            ?source <http://purl.org/dc/terms/source> ?file ; <http://purl.org/dc/terms/creator> ?who ;
                <http://purl.org/dc/terms/date> ?date ; <http://purl.org/dc/terms/references> ?ref }} }}""")
    assert [answer[v].value for v in ("line", "file", "who", "date", "ref")] == [
        "9",
        "contributions/accepted/new-ranking-paper.ttl",
        "Test Person (@tester)",
        "2026-12-07",
        "https://example.org/pull/1",
    ]
    facts = rows(store, "paper", q="2412.01234")
    assert {
        (r["property"], r["value"], r["graph"], r["lines"]) for r in facts if r["graph"] == "source/contributions"
    } >= {
        (
            "http://purl.org/dc/terms/title",
            "Ranking with a LoRA-tuned LLaMA: a Contributed Test Paper",
            "source/contributions",
            "9",
        ),
        (
            "https://w3id.org/recsys-kg/ontology#usesModel",
            "https://w3id.org/recsys-kg/id/model/llama-7b",
            "source/contributions",
            "9",
        ),
        (
            "https://w3id.org/recsys-kg/ontology#tuningStrategy",
            "https://w3id.org/recsys-kg/id/tuning/lora",
            "source/contributions",
            "9",
        ),
    }
    mine = rows(store, "papers-by-tuning-strategy", source="id:source/contributions/new-ranking-paper")
    assert {(r["strategy"].rsplit("/", 1)[1], r["direct_papers"]) for r in mine if r["direct_papers"] != "0"} == {
        ("lora", "1")
    }
    overlap = rows(store, "source-overlap")
    assert any(
        r["source_a"].endswith("/source/contributions/new-ranking-paper") and r["only_a"] == "1" for r in overlap
    )
    in_category = rows(store, "papers-in-taxonomy", concept="id:concept/llm4rec-zh/1.3.1")
    assert paper in {r["paper"] for r in in_category}


def test_removing_the_file_removes_the_paper(tmp_path):
    accepted = home_with(tmp_path, {"new-ranking-paper.ttl": HEADER + PREFIXES + NEW_PAPER})
    (accepted / "new-ranking-paper.ttl").unlink()
    store = built_store(tmp_path, accepted)
    assert not rows(store, "paper", q="2412.01234")
    assert not list(store.quads_for_pattern(None, None, None, ox.NamedNode(CONTRIBUTIONS)))


def test_a_duplicate_of_a_listed_paper_merges_and_its_differing_claims_are_conflicts(tmp_path):
    accepted = home_with(tmp_path, {"tallrec.ttl": HEADER + PREFIXES + TALLREC})
    store = built_store(tmp_path, accepted)
    paper = "https://w3id.org/recsys-kg/id/paper/arxiv-2305.00447"
    graphs = {r["graph"] for r in rows(store, "paper", q="2305.00447") if r["paper"] == paper}
    assert {"source/contributions", "source/llm4rec-zh", "source/next-gen-survey", "source/s2-wu2023"} <= graphs
    assert len({r["paper"] for r in rows(store, "paper", q="TALLRec")}) == 1
    years = {(r["source"], r["value"]) for r in rows(store, "source-conflicts", field="year") if r["paper"] == paper}
    assert years == {("contributions", "2022"), ("llm4rec-zh", "2023"), ("s2-wu2023", "2023")}


def test_the_report_lists_each_accepted_file(tmp_path):
    accepted = home_with(tmp_path, {"new-ranking-paper.ttl": HEADER + PREFIXES + NEW_PAPER})
    report = build_dataset(contributions_dir=accepted).report
    assert (
        report["sources"]["contributions/new-ranking-paper"]["file"] == "contributions/accepted/new-ranking-paper.ttl"
    )
    assert report["sources"]["contributions/new-ranking-paper"]["entries_mapped"] == 1
    assert report["quads_by_graph"]["source/contributions"] > 0


def test_a_contribution_that_no_longer_validates_fails_the_build_with_its_file_and_line(tmp_path):
    gone = NEW_PAPER.replace("<model/llama-7b>", "<model/no-such-model-any-more>")
    home = home_dir(tmp_path, {"stale.ttl": HEADER + PREFIXES + gone})
    result = CliRunner().invoke(main, ["--home", str(home), "build", "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 1
    violations = [line for line in result.output.splitlines() if line.startswith("VIOLATION ")]
    assert violations and all(" contributions/accepted/stale.ttl:15 " in line for line in violations)
    assert not (tmp_path / "out").exists()


def home_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    """A home (--home) with the checkout's ontology, shapes, queries and data, and these accepted files."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("ontology", "shapes", "queries", "data"):
        (home / name).symlink_to(ROOT / name)
    home_with(home, files)
    return home


@pytest.mark.parametrize(
    "text, line, message",
    [
        (PREFIXES + NEW_PAPER, 1, "no contributor and no date in the header"),
        (HEADER + PREFIXES + NEW_PAPER.replace(" ;\n    rkg:year", " ;;\n    rkg:year ,"), 12, "not valid ttl"),
        (
            HEADER
            + PREFIXES
            + NEW_PAPER.replace('dcterms:title "Ranking with a LoRA-tuned LLaMA: a Contributed Test Paper" ;', ""),
            9,
            "has no dcterms:title",
        ),
    ],
)
def test_an_unreadable_contribution_stops_the_build_naming_file_and_line(tmp_path, text, line, message):
    accepted = home_with(tmp_path, {"bad.ttl": text})
    with pytest.raises(SourceError) as caught:
        build_dataset(contributions_dir=accepted)
    assert caught.value.file == "contributions/accepted/bad.ttl"
    assert caught.value.line == line
    assert message in caught.value.message


def test_the_build_command_exits_2_on_an_unreadable_contribution(tmp_path):
    home = home_dir(tmp_path, {"bad.ttl": PREFIXES + NEW_PAPER})
    result = CliRunner().invoke(main, ["--home", str(home), "build", "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 2
    assert "contributions/accepted/bad.ttl:1: no contributor and no date" in result.output
    assert "Traceback" not in result.output


def test_a_jsonld_contribution_with_a_sidecar_is_read(tmp_path):
    document = json.loads((ROOT / "contributions" / "examples" / "new-paper.jsonld").read_text(encoding="utf-8"))
    document["@id"] = "paper/arxiv-2412.01234"
    document["arxivId"] = "2412.01234"
    document["link"] = "https://arxiv.org/abs/2412.01234"
    accepted = home_with(
        tmp_path,
        {
            "from-json.jsonld": json.dumps(document, indent=2),
            "from-json.jsonld.yaml": "contributor: Test Person\ndate: 2026-12-07\n",
        },
    )
    report = build_dataset(contributions_dir=accepted).report
    assert report["sources"]["contributions/from-json"]["entries_mapped"] == 1
