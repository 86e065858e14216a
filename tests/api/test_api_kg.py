"""The Python API on the graph built from the seed lists: recsys_kg.open, queries by name, plain rows,
DataFrames with the CLI's columns, BibTeX, papers with their claims per source, search, ad-hoc SPARQL."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pandas
import polars
import pytest
from click.testing import CliRunner

import recsys_kg
from recsys_kg import paths
from recsys_kg.api import KG, Claim, Paper, QueryError, Result
from recsys_kg.cli.main import main
from recsys_kg.rdf.dataset import DatasetError

ID = "https://w3id.org/recsys-kg/id/"
COMPANY_QUERY = "frozen-llm-industrial-by-company"


@pytest.fixture(scope="module")
def data(seed_build_dir: Path) -> Path:
    return seed_build_dir / "recsys-kg.nq"


@pytest.fixture(scope="module")
def kg(data: Path) -> KG:
    return recsys_kg.open(data)


def cli_csv(*args: object) -> list[list[str]]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.output)))


def test_open_is_the_package_entry_point_and_loads_lazily():
    assert recsys_kg.open is recsys_kg.api.open
    assert recsys_kg.__version__ == "0.1.0"
    with pytest.raises(AttributeError):
        recsys_kg.no_such_thing  # noqa: B018


def test_open_without_a_path_reads_the_home_build(seed_build_dir, monkeypatch):
    monkeypatch.setattr(paths, "default_build_dir", lambda: seed_build_dir)
    assert recsys_kg.open().path == seed_build_dir / "recsys-kg.nq"


def test_open_without_a_build_builds_it(seed_build_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "default_build_dir", lambda: tmp_path / "build")
    kg = recsys_kg.open()
    assert (tmp_path / "build" / "recsys-kg.nq").read_bytes() == (seed_build_dir / "recsys-kg.nq").read_bytes()
    assert len(kg.store) > 20000


def test_open_a_missing_file_says_so(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        recsys_kg.open(tmp_path / "nope.nq")


def test_company_query_to_pandas_has_the_cli_csv_rows_and_columns(kg, data):
    frame = kg.query(COMPANY_QUERY).to_pandas()
    header, *rows = cli_csv("query", COMPANY_QUERY, "--graph", data, "--format", "csv")
    assert isinstance(frame, pandas.DataFrame)
    assert frame.shape == (7, 10) and list(frame.columns) == header and len(rows) == 7
    as_text = [
        ["" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in row]
        for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False)
    ]
    assert as_text == rows


def test_to_polars_keeps_types(kg):
    frame = kg.query("papers-by-tuning-strategy").to_polars()
    assert isinstance(frame, polars.DataFrame)
    assert frame.filter(polars.col("label") == "LoRA").select("papers", "direct_papers").row(0) == (38, 38)
    assert frame.schema["papers"] == polars.Int64


def test_a_missing_extra_is_a_clear_error(kg, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "polars", None)
    result = kg.query("companies")
    with pytest.raises(ImportError, match=r"pandas is not installed; install it with `pip install 'recsys-kg\[pandas"):
        result.to_pandas()
    with pytest.raises(ImportError, match=r"recsys-kg\[polars\]"):
        result.to_polars()


def test_rows_are_plain_python_values(kg):
    result = kg.query(COMPANY_QUERY, company="Alibaba")
    assert isinstance(result, Result) and len(result) == 2
    first = result.records()[0]
    assert first["company"] == ID + "org/alibaba" and first["disputed"] is False and first["doi"] is None
    years = kg.query("papers-by-venue-year", venue="RecSys")
    assert [(r[3], r[4]) for r in years] == [(2022, 1), (2023, 9), (2024, 3)]  # gYear and count as int
    assert result.terms[0][0].value == ID + "org/alibaba"


def test_parameters_by_name_or_iri_give_the_same_rows(kg):
    by_name = kg.query("papers-with-strategy", strategy="LoRA", source="llm4rec-zh").rows
    by_iri = kg.query("papers-with-strategy", strategy="id:tuning/lora", source=ID + "source/llm4rec-zh").rows
    assert by_name == by_iri and by_name


def test_unknown_queries_parameters_and_names_list_the_closest(kg):
    with pytest.raises(QueryError, match=r"did you mean 'frozen-llm-industrial-by-company'"):
        kg.query("frozen-llm-industrial")
    with pytest.raises(QueryError, match=r"no parameter 'compay' \(did you mean 'company'\?\)"):
        kg.query(COMPANY_QUERY, compay="Alibaba")
    with pytest.raises(QueryError, match=r"did you mean: id:tuning\\/lora \(LoRA\)"):
        kg.query("papers-with-strategy", strategy="LoRa tuning")


def test_the_query_text_binds_terms(kg):
    text = kg.query_text(COMPANY_QUERY, company="Alibaba")
    assert "VALUES (?_company) { (<https://w3id.org/recsys-kg/id/org/alibaba>) }" in text


def test_paper_claims_per_source_with_lines(kg):
    paper = kg.paper("https://dl.acm.org/doi/10.1145/3604915.3608857")
    assert isinstance(paper, Paper) and paper.iri == ID + "paper/doi-10.1145_3604915.3608857"
    assert paper.sources == ["llm4rec-zh", "next-gen-survey", "s2-wu2023"]
    # ZH:187 "TALLRec | ... | LLaMA (7B) | LoRA | RecSys 2023", under 1.3.1 Item Scoring Task
    assert Claim("llm4rec-zh", "backbone", "LLaMA-7B", "LoRA", 187) in paper.claims
    assert Claim("llm4rec-zh", "taxonomy position", "Item Scoring Task", None, 187) in paper.claims
    # NEXT:161: under the heading "Low-Rank Adapataion (LoRA)", a LoRA claim about an unspecified model
    assert Claim("next-gen-survey", "backbone", "unspecified LLM", "LoRA", 161) in paper.claims
    assert paper.values("venue") == {"llm4rec-zh": ["RecSys"], "s2-wu2023": ["RecSys"]}
    assert {c.line for c in paper.by_source()["next-gen-survey"]} == {161}  # NEXT:161
    assert "llm4rec-zh:" in str(paper)


def test_the_lists_disagreeing_stay_visible(kg):
    # AWESOME:7 "2023.6 / WWWJ'24" -> 2024; ZH:337 "Arxiv 2023"; the S2 page: 2023
    assert kg.paper("2305.19860").values("year") == {
        "awesome-llm-enhanced": [2024],
        "llm4rec-zh": [2023],
        "s2-wu2023": [2023],
    }
    # two rows of one list: ZH:105 "WWW 2024", ZH:365 "Arxiv 2023"
    claims = kg.paper("2311.03758").claims
    assert {(c.value, c.line) for c in claims if c.field == "year"} == {(2024, 105), (2023, 365)}
    assert {(c.value, c.line) for c in claims if c.field == "venue"} == {("WWW", 105), ("arXiv", 365)}


def test_a_method_name_several_papers_use(kg):
    papers = kg.papers("RecGPT")
    assert [p.iri for p in papers] == [ID + "paper/arxiv-2404.08675", ID + "paper/arxiv-2405.12715"]
    with pytest.raises(QueryError, match="'RecGPT' names 2 papers"):
        kg.paper("RecGPT")


def test_search_has_scores(kg):
    hits = kg.search("two stage recommendation", limit=3)
    assert len(hits) == 3 and hits[0].paper == ID + "paper/arxiv-2311.02089" and hits[0].score == 95.0
    assert kg.search("10.1145/3604915.3608857")[0].matched == "DOI 10.1145/3604915.3608857"


def test_sparql_default_graph_and_union(kg):
    assert kg.sparql("SELECT ?s WHERE { ?s a rkg:Paper }").rows == []
    assert len(kg.sparql("SELECT DISTINCT ?s WHERE { ?s a rkg:Paper }", union=True)) == 340
    assert kg.sparql("ASK { GRAPH ?g { ?s a rkg:Company } }") is True
    described = kg.sparql("CONSTRUCT { ?o rdfs:label ?l } WHERE { GRAPH ?g { ?o a rkg:Company ; rdfs:label ?l } }")
    assert described.columns == ("subject", "predicate", "object") and len(described) >= 18
    with pytest.raises(QueryError, match="invalid SPARQL"):
        kg.sparql("SELECT WHERE {")


def test_bibtex_is_the_same_from_the_api_and_the_cli(kg, data):
    api = kg.query(COMPANY_QUERY).to_bibtex()
    cli = CliRunner().invoke(main, ["query", COMPANY_QUERY, "--graph", str(data), "--format", "bibtex"]).output
    assert api == cli and api.count("@") == 7
