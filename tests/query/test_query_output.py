"""Result rendering: the readable table (and its fitting to a terminal) and the standard SPARQL result formats."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from recsys_kg.query.canned import QueryResult
from recsys_kg.query.output import compact, render

XSD = "http://www.w3.org/2001/XMLSchema#"
PAPER = ox.NamedNode("https://w3id.org/recsys-kg/id/paper/arxiv-2305.19860")
TITLE = ox.Literal("A Survey on Large Language Models for Recommendation, with a comma\tand a tab")
RESULT = QueryResult(
    ("paper", "title", "count", "note"),
    [
        (PAPER, TITLE, ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")), None),
        (ox.BlankNode("b0"), ox.Literal("colour", language="en-gb"), None, ox.Literal('say "hi"\nbye')),
    ],
)


def test_compact_uses_the_longest_project_namespace():
    assert compact(PAPER) == "id:paper\\/arxiv-2305.19860"  # '/' escaped: a legal SPARQL prefixed name
    assert compact(ox.NamedNode("https://w3id.org/recsys-kg/ontology#Paper")) == "rkg:Paper"
    assert compact(ox.NamedNode("https://example.org/x")) == "<https://example.org/x>"
    assert compact(ox.BlankNode("b0")) == "_:b0" and compact(None) == "" and compact(TITLE) == TITLE.value


def test_table_for_a_pipe_keeps_every_column():
    lines = render(RESULT, "table").splitlines()
    assert lines[0].split() == ["paper", "title", "count", "note"]
    assert lines[2].startswith(
        "id:paper\\/arxiv-2305.19860  A Survey on Large Language Models for Recommendation, with …  3"
    )
    assert lines[3].endswith('say "hi" bye')  # whitespace inside a cell is one space
    assert lines[-1] == "(2 rows)"


def test_table_narrows_to_a_terminal_then_shows_one_block_per_row():
    narrowed = render(RESULT, "table", width=100).splitlines()
    assert max(len(line) for line in narrowed) <= 100
    blocks = render(RESULT, "table", width=50)
    assert blocks.splitlines()[:3] == [
        "-[ 1 ]" + "-" * 34,
        "paper  id:paper\\/arxiv-2305.19860",
        "title  A Survey on Large Language Models for Reco…",
    ]


def test_csv_tsv_and_json_follow_the_sparql_result_formats():
    rows = list(csv.reader(io.StringIO(render(RESULT, "csv"))))
    assert rows[1] == [PAPER.value, TITLE.value, "3", ""] and rows[2][0] == "_:b0"
    tsv = render(RESULT, "tsv").splitlines()
    assert tsv[0] == "?paper\t?title\t?count\t?note"
    assert tsv[1].split("\t") == [str(PAPER), TITLE.value.join('""').replace("\t", "\\t"), f'"3"^^<{XSD}integer>', ""]
    document = json.loads(render(RESULT, "json"))
    assert document["results"]["bindings"][1] == {
        "paper": {"type": "bnode", "value": "b0"},
        "title": {"type": "literal", "value": "colour", "xml:lang": "en-gb"},
        "note": {"type": "literal", "value": 'say "hi"\nbye'},
    }


def test_compact_names_paste_back_into_oxigraph():
    method = ox.NamedNode("https://w3id.org/recsys-kg/id/method/doi-10.1145_3589334.3645467/rella")
    assert compact(method) == "id:method\\/doi-10\\.1145_3589334\\.3645467\\/rella"  # dots escaped too: Oxigraph
    assert compact(ox.NamedNode("https://w3id.org/recsys-kg/id/-x.")) == "id:\\-x\\."  # no leading '-', trailing '.'
    assert compact(ox.NamedNode("https://w3id.org/recsys-kg/id/a%20b")) == "id:a%20b"
    assert compact(ox.NamedNode("https://w3id.org/recsys-kg/id/a\u00d7b")) == "<https://w3id.org/recsys-kg/id/a\u00d7b>"
