"""`recsys-kg query` and `recsys-kg sparql`, in process (click's CliRunner) on the fixture dataset."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from recsys_kg.cli.main import main
from support import fixture_quads

QUERY = "frozen-llm-industrial-by-company"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp("query-cli") / "dataset.nq"
    path.write_bytes(ox.serialize(fixture_quads(), format=ox.RdfFormat.N_QUADS))
    return path


def invoke(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def test_list_names_every_query_with_its_parameters():
    result = invoke("query", "--list")
    assert result.exit_code == 0
    assert f"{QUERY}  Frozen-LLM industrial papers by company" in result.output
    assert "--param company=<iri|name>" in result.output
    listing = json.loads(invoke("query", "--list", "--format", "json").output)
    assert {entry["name"] for entry in listing} >= {QUERY, "paper", "companies"}
    assert next(e for e in listing if e["name"] == QUERY)["parameters"][0]["kind"] == "iri"


def test_the_readme_command_prints_a_readable_table(data):
    result = invoke("query", QUERY, "--data", data)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "company",
        "company_label",
        "paper",
        "title",
        "arxiv_id",
        "doi",
        "frozen_models",
        "frozen_sources",
        "tuned_sources",
        "disputed",
    ]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split()[:3] == ["id:org\\/acme", "Acme", "Corp"]  # a prefixed name that pastes into SPARQL
    assert lines[-1] == "(3 rows)"


def test_parameters_restrict_the_answer(data):
    result = invoke("query", QUERY, "--param", "company=id:org/zeta", "--data", data, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["company"], r["title"], r["disputed"]) for r in rows] == [
        ("https://w3id.org/recsys-kg/id/org/zeta", "Shared Frozen", "false")
    ]


def test_tsv_and_json_are_the_standard_result_formats(data):
    tsv = invoke(
        "query", "citations", "-p", "paper=id:paper/arxiv-2401.00001", "--data", data, "--format", "tsv"
    ).output
    assert tsv.splitlines() == [
        "?relation\t?paper\t?title\t?year\t?venue_label\t?citation_count",
        '"citing"\t<https://w3id.org/recsys-kg/id/paper/arxiv-2401.00002>\t"Tuned Only"\t\t\t',
        '"reference"\t<https://w3id.org/recsys-kg/id/paper/arxiv-2401.00004>\t"Academic Frozen"\t"2024"\t\t'
        '"7"^^<http://www.w3.org/2001/XMLSchema#integer>',
    ]
    document = json.loads(
        invoke("query", "citations", "-p", "paper=id:paper/arxiv-2401.00001", "--data", data, "--format", "json").output
    )
    assert document["head"]["vars"][:2] == ["relation", "paper"]
    assert document["results"]["bindings"][1]["citation_count"] == {
        "type": "literal",
        "value": "7",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert "year" not in document["results"]["bindings"][0]  # unbound cells are left out


def test_text_prints_the_standalone_query():
    result = invoke("query", QUERY, "--param", "company=id:org/alibaba", "--text")
    assert result.exit_code == 0
    assert "  VALUES (?_company) { (<https://w3id.org/recsys-kg/id/org/alibaba>) }\n" in result.output
    assert result.output.startswith("#+ title:")


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["query", "frozen"],
            "error: unknown query 'frozen' (did you mean 'frozen-llm-industrial-by-company'?); "
            "valid queries: already-listed, backbones-by-tuning, citations,",
        ),
        (
            ["query", QUERY, "-p", "firm=id:org/acme"],
            "error: query 'frozen-llm-industrial-by-company' has no parameter 'firm'; valid parameters: company (iri)",
        ),
        (["query", QUERY, "-p", "company"], "error: --param expects KEY=VALUE, got 'company'"),
        (["query", QUERY, "-p", "company=id:org/a> } UNION {"], "error: parameter 'company' must be an absolute IRI"),
        (["query", "papers-by-venue-year", "-p", "year=2024 OR 1"], "error: parameter 'year' must be a whole number"),
        (["query"], "error: give a query NAME or --list; valid queries: already-listed, backbones-by-tuning"),
        (["query", "--list", "--format", "xml"], "error: --list prints table, markdown or json"),
        (
            ["query", QUERY, "--data", "/nonexistent/recsys-kg.nq"],
            "error: /nonexistent/recsys-kg.nq does not exist: run `recsys-kg build` first",
        ),
    ],
)
def test_errors_exit_2_with_what_is_valid(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_injection_through_param_matches_nothing(data):
    result = invoke("query", "paper", "--param", 'q=" } UNION { GRAPH ?g { ?s ?p ?o } } #', "--data", data)
    assert result.exit_code == 2  # looked up as a paper's name: none has it, so nothing runs
    assert result.output.startswith("error: parameter 'q': no paper matches '\" } UNION {")
    text = invoke("query", "paper", "--param", 'q=" } UNION { GRAPH ?g { ?s ?p ?o } } #', "--text").output
    assert '  VALUES (?_q) { ("\\" } UNION { GRAPH ?g { ?s ?p ?o } } #") }' in text  # --text binds the literal


def test_sparql_runs_text_with_the_project_prefixes(data):
    result = invoke("sparql", "SELECT ?label WHERE { GRAPH ?g { id:org\\/zeta rdfs:label ?label } }", "--data", data)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["label", "-----", "Zeta", "(1 row)"]


def test_sparql_runs_a_file_or_stdin_and_every_query_form(data, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK { GRAPH ?g { ?p a rkg:IndustrialPaper } }")
    assert invoke("sparql", path, "--data", data).output == "true\n"
    construct = (
        "CONSTRUCT { ?o rdfs:label ?l } WHERE { GRAPH <https://w3id.org/recsys-kg/graph/vocabulary> "
        "{ ?o a rkg:Company ; rdfs:label ?l FILTER(?l = 'Zeta') } }"
    )
    assert (
        invoke("sparql", "-", "--data", data, input=construct).output
        == '<https://w3id.org/recsys-kg/id/org/zeta> <http://www.w3.org/2000/01/rdf-schema#label> "Zeta" .\n'
    )


def test_sparql_takes_a_long_query_text(data):
    text = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } # " + "x" * 400
    assert invoke("sparql", text, "--data", data, "--format", "csv").exit_code == 0


def test_sparql_syntax_error_exits_2(data):
    result = invoke("sparql", "SELECT WHERE {", "--data", data)
    assert result.exit_code == 2
    assert result.output.startswith("error: invalid SPARQL:")


def test_help_for_both_commands():
    for command in ("query", "sparql"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "--data" in result.output
