"""The query files checked by machine: they parse with a second, independent parser (rdflib's), declare only
the project's prefixes, return the columns their header lists, name the graph of every triple pattern, and use
parameters only where the inline VALUES block reaches them. Malformed files are errors naming file and line.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from recsys_kg.query.canned import QueryError, catalogue, load_spec, standalone_text
from recsys_kg.rdf.namespaces import PREFIXES

SPECS = catalogue()
INVALID = Path(__file__).parents[1] / "fixtures" / "queries" / "invalid"


def walk(node, inside_graph=False, inside_subquery=False, depth=0):
    """Yield (kind, detail) problems found in an rdflib algebra tree."""
    if isinstance(node, CompValue):
        if node.name == "BGP" and node.get("triples") and not inside_graph:
            yield "pattern outside GRAPH", node["triples"]
        if node.name == "Project" and depth > 0:
            inside_subquery = True
        if inside_subquery:
            parameters = sorted(str(v) for v in node.get("_vars", ()) if re.match(r"^_[a-z]", str(v)))
            if parameters:
                yield "parameter inside a subquery", parameters
        inside_graph = inside_graph or node.name == "Graph"
        depth += node.name == "Project"
        for value in node.values():
            yield from walk(value, inside_graph, inside_subquery, depth)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from walk(value, inside_graph, inside_subquery, depth)


@cache
def algebra(name: str):
    return prepareQuery(standalone_text(SPECS[name])).algebra


def test_the_checks_find_what_they_look_for():
    text = """SELECT ?s WHERE { VALUES (?_x) { (1) } ?s ?p ?o
                 { SELECT ?s WHERE { GRAPH ?g { ?s ?p ?_x } } } }"""
    kinds = {kind for kind, _ in walk(prepareQuery(text).algebra)}
    assert kinds == {"pattern outside GRAPH", "parameter inside a subquery"}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_parses_with_rdflib_and_returns_the_header_columns(name):
    query = algebra(name)
    assert tuple(str(v) for v in query["PV"]) == SPECS[name].columns


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_triple_pattern_names_its_graph(name):
    """Oxigraph and Jena keep the default graph apart, Virtuoso unions everything: scope explicitly."""
    problems = [p for p in walk(algebra(name)) if p[0] == "pattern outside GRAPH"]
    assert problems == []


@pytest.mark.parametrize("name", sorted(SPECS))
def test_parameters_are_not_used_inside_subqueries(name):
    """The VALUES block sits in the outer WHERE clause; a subquery would see its ?_name unbound."""
    problems = [p for p in walk(algebra(name)) if p[0] == "parameter inside a subquery"]
    assert problems == []


@pytest.mark.parametrize("name", sorted(SPECS))
def test_declares_only_project_prefixes(name):
    declared = re.findall(r"(?im)^PREFIX\s+([\w-]*):\s*<([^>]*)>", SPECS[name].text)
    assert declared, "declare prefixes in the file so it runs unchanged in any store"
    for prefix, namespace in declared:
        assert prefix in PREFIXES and str(PREFIXES[prefix]) == namespace, f"PREFIX {prefix}: <{namespace}>"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_header_documents_the_semantics(name):
    spec = SPECS[name]
    assert len(spec.description.split()) >= 20, "say precisely what the query answers"
    assert all(p.description for p in spec.parameters)


def test_the_issue_s_queries_are_all_there():
    assert set(SPECS) >= {
        "frozen-llm-industrial-by-company",
        "papers-by-tuning-strategy",
        "papers-in-taxonomy",
        "taxonomy-crosswalk",
        "backbones-by-tuning",
        "source-conflicts",
        "paper",
        "papers-by-venue-year",
        "papers-with-code",
        "citations",
        "source-overlap",
        "shared-method-names",
        "datasets-and-benchmarks",
        "companies",
    }


@pytest.mark.parametrize(
    "file, message",
    [
        ("no-header.rq", "no-header.rq:1: no '#+' metadata header"),
        ("bad-yaml.rq", "bad-yaml.rq:2: header is not valid YAML"),
        ("missing-columns.rq", "missing-columns.rq:2: header lacks 'columns'"),
        ("unknown-key.rq", "unknown-key.rq:3: unknown header key 'tags'"),
        ("bad-kind.rq", "bad-kind.rq:4: parameter 'thing' has kind 'uri'; valid kinds: iri, string"),
        ("bad-default.rq", "parameter 'n' must be a whole number"),
        ("undeclared-parameter.rq", "undeclared-parameter.rq:7: ?_other is not a declared parameter"),
        ("unused-parameter.rq", "unused-parameter.rq: parameter 'other' is declared but ?_other is not used"),
        ("not-select.rq", "not-select.rq:5: a canned query must be a SELECT query"),
        ("Bad_Name.rq", "Bad_Name.rq: query names are lower-case words joined by '-'"),
    ],
)
def test_a_malformed_file_is_an_error_naming_file_and_line(file, message):
    with pytest.raises(QueryError) as error:
        load_spec(INVALID / file)
    assert message in str(error.value)


def test_a_header_that_lists_other_columns_fails_when_run():
    import pyoxigraph as ox

    from recsys_kg.query.canned import run

    with pytest.raises(QueryError, match="lists columns subject but the query returns s"):
        run(ox.Store(), load_spec(INVALID / "wrong-columns.rq"))


def test_catalogue_of_a_directory_with_a_bad_file_fails(tmp_path):
    (tmp_path / "good.rq").write_text((INVALID / "wrong-columns.rq").read_text())
    (tmp_path / "broken.rq").write_text((INVALID / "bad-yaml.rq").read_text())
    with pytest.raises(QueryError, match="broken.rq:2"):
        catalogue(tmp_path)
