"""The query API: catalogue, parameter binding as RDF terms, the standalone text, and injection attempts.

An injection attempt (quotes, braces, `} UNION {`, newlines, an IRI with `>`) must change nothing but the
bound value: the standalone text differs from the benign one only in the VALUES term, that term reads back
as exactly the input (with both Oxigraph's and rdflib's parser), and running it matches nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from recsys_kg.query.canned import (
    Parameter,
    QueryError,
    QueryResult,
    QuerySpec,
    bindings,
    catalogue,
    code_spans,
    get_spec,
    run,
    standalone_text,
    to_term,
    where_brace,
)
from recsys_kg.rdf.dataset import DatasetError, open_store

XSD = "http://www.w3.org/2001/XMLSchema#"
SPECS = catalogue()
INJECTIONS = [
    '" } UNION { GRAPH ?g { ?s ?p ?o } } #',
    "' } UNION { ?s ?p ?o } #",
    '2305.19860") || true || ("',
    "x\n} UNION {\n?s ?p ?o\n",
    'a\\" } #',
    "\\u0022 } UNION { ?s ?p ?o } #",
    "{ } ( ) . ; , # <http://example.org/> \t\r end",
]


def test_catalogue_reads_every_header():
    spec = SPECS["frozen-llm-industrial-by-company"]
    assert isinstance(spec, QuerySpec)
    assert spec.path.name == "frozen-llm-industrial-by-company.rq"
    assert spec.title == "Frozen-LLM industrial papers by company"
    assert spec.parameters == (
        Parameter(
            "company", None, spec.parameters[0].description, "iri", "https://w3id.org/recsys-kg/ontology#Company"
        ),
    )
    assert spec.columns[:3] == ("company", "company_label", "paper")
    assert spec.text.startswith("#+ title:")


def test_unknown_query_lists_the_valid_ones():
    with pytest.raises(QueryError) as error:
        get_spec("frozen-papers")
    assert "unknown query 'frozen-papers'; valid queries: already-listed, backbones-by-tuning, citations," in str(
        error.value
    )


def test_unknown_parameter_lists_the_valid_ones():
    with pytest.raises(QueryError) as error:
        bindings(SPECS["papers-by-venue-year"], {"yr": "2024"})
    assert str(error.value) == (
        "query 'papers-by-venue-year' has no parameter 'yr' (did you mean 'year'?); "
        "valid parameters: venue (iri), year (integer)"
    )


def test_bindings_are_defaults_overridden_by_the_given_values():
    spec = SPECS["papers-in-taxonomy"]
    assert bindings(spec) == {"label": ox.Literal("Industrial Deploying")}
    assert bindings(spec, {"concept": "id:concept/llm4rec-zh/1.1"}) == {
        "label": ox.Literal("Industrial Deploying"),
        "concept": ox.NamedNode("https://w3id.org/recsys-kg/id/concept/llm4rec-zh/1.1"),
    }


@pytest.mark.parametrize(
    "kind, value, term",
    [
        ("iri", "id:org/alibaba", ox.NamedNode("https://w3id.org/recsys-kg/id/org/alibaba")),
        ("iri", "rkg:Paper", ox.NamedNode("https://w3id.org/recsys-kg/ontology#Paper")),
        ("iri", "https://example.org/a?b=c#d", ox.NamedNode("https://example.org/a?b=c#d")),
        ("iri", "urn:isbn:0451450523", ox.NamedNode("urn:isbn:0451450523")),
        ("string", ' "quoted" ', ox.Literal(' "quoted" ')),
        ("integer", "+0042", ox.Literal("42", datatype=ox.NamedNode(XSD + "integer"))),
        ("boolean", "TRUE", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
        (
            "literal",
            '"2024"^^<http://www.w3.org/2001/XMLSchema#gYear>',
            ox.Literal("2024", datatype=ox.NamedNode(XSD + "gYear")),
        ),
        ("literal", '"colour"@en-GB', ox.Literal("colour", language="en-gb")),
        ("literal", "plain text", ox.Literal("plain text")),
    ],
)
def test_values_become_terms_of_their_kind(kind, value, term):
    assert to_term(Parameter("p", None, "d", kind), value) == term


@pytest.mark.parametrize(
    "kind, value, message",
    [
        ("iri", "http://example.org/a> } UNION { ?s ?p ?o", "Invalid IRI code point '>'"),
        ("iri", "not an iri", "Invalid IRI code point ' '"),
        ("iri", "relative/path", "No scheme found"),
        ("integer", "12; DROP", "not a whole number"),
        ("integer", "1.5", "not a whole number"),
        ("boolean", "yes", "not true or false"),
        ("literal", '"x" . <urn:a> <urn:b> "y"', "not an N-Triples literal"),
        ("literal", '"x"^^<not an iri>', "not an N-Triples literal"),
    ],
)
def test_invalid_values_are_refused_naming_the_parameter(kind, value, message):
    with pytest.raises(QueryError) as error:
        to_term(Parameter("p", None, "d", kind), value)
    assert str(error.value).startswith("parameter 'p' must be ")
    assert message in str(error.value)


def test_values_block_opens_the_where_clause():
    spec = SPECS["papers-by-venue-year"]
    text = standalone_text(spec, {"year": "2024"})
    body = spec.text[where_brace(spec.text) :]
    assert (
        text
        == spec.text[: where_brace(spec.text)]
        + '\n  VALUES (?_venue ?_year) { (UNDEF "2024"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
        + body
    )
    assert standalone_text(SPECS["source-overlap"]) == SPECS["source-overlap"].text  # no parameters: unchanged


def test_where_brace_skips_comments_strings_iris_and_parenthesized_expressions():
    text = (
        "# { not here\nPREFIX ex: <http://example.org/#{>\n"
        'SELECT (EXISTS { ?a ?b ?c } AS ?e) ("{" AS ?s) WHERE { ?x ?y ?z }'
    )
    assert text[where_brace(text) - 7 : where_brace(text)] == "WHERE {"
    assert "".join(code for _, code in code_spans('a "b # c" # d\ne')) == "a  \ne"


def _values_term(text: str) -> ox.Literal:
    """The single term of a standalone text's VALUES block, read back by Oxigraph."""
    line = next(line for line in text.splitlines() if line.startswith("  VALUES ("))
    solutions = list(ox.Store().query(f"SELECT * WHERE {{ {line.strip()} }}"))
    return solutions[0]["_q"]


@pytest.mark.parametrize("evil", INJECTIONS)
def test_an_injection_attempt_changes_nothing_but_the_bound_value(evil):
    spec = SPECS["paper"]
    benign, attacked = standalone_text(spec, {"q": "x"}), standalone_text(spec, {"q": evil})
    serialized = str(ox.Literal(evil))
    assert attacked == benign.replace('{ ("x") }', "{ (" + serialized + ") }", 1)
    assert _values_term(attacked) == ox.Literal(evil)  # Oxigraph reads back exactly the input
    # An independent parser (rdflib) sees the same query shape and the value inside its literal. rdflib applies
    # SPARQL's codepoint-escape pre-pass to the whole text, so it reads the six characters \u0022 as a quote
    # (still inside the literal); Oxigraph and Jena read them as written.
    names, values = walk(prepareQuery(attacked).algebra)
    assert names == benign_shape()
    assert values in ([evil], [evil.replace("\\u0022", '"')])


def walk(algebra) -> tuple[list[str], list[str]]:
    """The names of the algebra nodes, depth first (the query's structure), and the values bound to ?_q."""
    names, values = [], []

    def visit(node):
        if isinstance(node, CompValue):
            names.append(node.name)
            if node.name == "values":
                values.extend(str(row[Variable("_q")]) for row in node["res"] if Variable("_q") in row)
            for value in node.values():
                visit(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                visit(value)

    visit(algebra)
    return names, values


@lru_cache(maxsize=1)
def benign_shape() -> list[str]:
    return walk(prepareQuery(standalone_text(SPECS["paper"], {"q": "x"})).algebra)[0]


@pytest.mark.parametrize("evil", INJECTIONS)
def test_an_injection_attempt_matches_nothing(evil, seed_store):
    result = run(seed_store, SPECS["paper"], {"q": evil})
    assert result.rows == []


def test_an_iri_injection_is_refused_before_any_query_runs():
    with pytest.raises(QueryError, match="parameter 'company' must be an absolute IRI"):
        standalone_text(
            SPECS["frozen-llm-industrial-by-company"],
            {"company": "https://w3id.org/recsys-kg/id/org/alibaba> } UNION { GRAPH ?g { ?s ?p ?o } } #"},
        )


def test_run_returns_terms_or_none(seed_store):
    result = run(seed_store, SPECS["citations"])
    assert isinstance(result, QueryResult)
    assert result.columns == ("relation", "paper", "title", "year", "venue_label", "citation_count")
    cells = [cell for row in result.rows for cell in row]
    assert result.rows and cells
    assert all(isinstance(cell, (ox.NamedNode, ox.Literal)) or cell is None for cell in cells)


def test_open_dataset_errors_say_what_to_do(tmp_path):
    with pytest.raises(DatasetError, match=r"missing.nq does not exist: run `recsys-kg build` first"):
        open_store(tmp_path / "missing.nq")
    broken = tmp_path / "broken.nq"
    broken.write_text("<urn:a> <urn:b> .\n")
    with pytest.raises(DatasetError, match="broken.nq: not valid RDF"):
        open_store(broken)


def test_open_dataset_keeps_named_graphs(tmp_path):
    path = tmp_path / "d.trig"
    path.write_text("<urn:g> { <urn:a> <urn:b> <urn:c> }\n")
    store = open_store(path)
    assert [str(q.graph_name) for q in store] == ["<urn:g>"]


def test_queries_dir_is_the_repository_one():
    assert len(SPECS) >= 14
    assert {spec.path.parent for spec in SPECS.values()} == {Path(__file__).parents[2] / "queries"}
