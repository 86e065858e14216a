"""Small units of the validator: where a contribution writes a term, blank-node naming, rendering of terms,
paths and message templates."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

from recsys_kg.shacl.report import _template_values, compact, render_message, render_path
from recsys_kg.validate.input import ContributionError, read_contribution

XSD_GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")

TTL = """@base <https://w3id.org/recsys-kg/id/> .
@prefix rkg: <https://w3id.org/recsys-kg/ontology#> .
@prefix tuning: <https://w3id.org/recsys-kg/id/tuning/> .
# rkg:Paper in a comment is not a use
<paper/arxiv-2501.99998> a rkg:Paper ;
    rkg:hasBackboneUsage [ a rkg:BackboneUsage ;
        rkg:tuningStrategy tuning:lora ] ,
      [ a rkg:BackboneUsage ; rkg:usesModel <https://w3id.org/recsys-kg/id/model/llama-7b> ] .
"""


def test_lines_of_terms_and_blank_nodes(tmp_path: Path):
    path = tmp_path / "c.ttl"
    path.write_text(TTL, encoding="utf-8")
    contribution = read_contribution(path, 3)
    lines = contribution.lines
    assert lines["https://w3id.org/recsys-kg/id/paper/arxiv-2501.99998"] == 5
    assert lines["https://w3id.org/recsys-kg/ontology#Paper"] == 5
    assert lines["https://w3id.org/recsys-kg/id/tuning/lora"] == 7
    assert lines["https://w3id.org/recsys-kg/id/model/llama-7b"] == 8
    blank = sorted(s.value for s in contribution.subjects() if "genid" in s.value)
    assert blank == [
        "https://w3id.org/recsys-kg/.well-known/genid/3-b1",
        "https://w3id.org/recsys-kg/.well-known/genid/3-b2",
    ]
    assert lines[blank[0]] == lines[blank[1]] == 5


def test_json_ld_lines_expand_context_prefixes(tmp_path: Path):
    path = tmp_path / "c.jsonld"
    path.write_text(
        '{\n "@context": {"rkg": "https://w3id.org/recsys-kg/ontology#"},\n'
        ' "@id": "https://w3id.org/recsys-kg/id/paper/arxiv-2501.99998",\n'
        ' "@type": "rkg:Paper",\n "rkg:arxivID": "2501.99998"\n}\n',
        encoding="utf-8",
    )
    lines = read_contribution(path).lines
    assert lines["https://w3id.org/recsys-kg/id/paper/arxiv-2501.99998"] == 3
    assert lines["https://w3id.org/recsys-kg/ontology#arxivID"] == 5


def test_contribution_error_names_file_line_and_column(tmp_path: Path):
    path = tmp_path / "bad.ttl"
    path.write_text('<https://x/s> <https://x/p> "a" ;\n  <https://x/q> .\n', encoding="utf-8")
    with pytest.raises(ContributionError) as caught:
        read_contribution(path, shown="bad.ttl")
    assert (caught.value.file, caught.value.line) == ("bad.ttl", 2) and caught.value.column
    assert str(caught.value).startswith(f"bad.ttl:2:{caught.value.column}: syntax error")


@pytest.mark.parametrize(
    "term, text",
    [
        (URIRef("https://w3id.org/recsys-kg/id/paper/arxiv-2305.19860"), "id:paper/arxiv-2305.19860"),
        (URIRef("https://w3id.org/recsys-kg/ontology#year"), "rkg:year"),
        (URIRef("http://example.org/x"), "<http://example.org/x>"),
        (URIRef("https://w3id.org/recsys-kg/.well-known/genid/1-b2"), "_:1-b2"),
        (Literal("2024", datatype=XSD_GYEAR), '"2024"^^xsd:gYear'),
        (Literal("Titel", lang="de"), '"Titel"@de'),
        (Literal('say "hi"'), '"say \\"hi\\""'),
    ],
)
def test_compact_terms(term, text):
    assert compact(term) == text


def test_render_paths():
    g = rdflib.Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rkg: <https://w3id.org/recsys-kg/ontology#> .
        <urn:inverse> sh:path [ sh:inversePath rkg:hasBackboneUsage ] .
        <urn:sequence> sh:path ( rkg:hasBackboneUsage rkg:tuningStrategy ) .""",
        format="turtle",
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert render_path(g, g.value(URIRef("urn:inverse"), sh.path)) == "^rkg:hasBackboneUsage"
    assert render_path(g, g.value(URIRef("urn:sequence"), sh.path)) == "rkg:hasBackboneUsage/rkg:tuningStrategy"


def test_messages_are_filled_with_compact_terms_even_when_a_variable_repeats():
    template = "{$this} duplicates {?other}; add to {?other} ({?value})"
    pyshacl = (
        "https://w3id.org/recsys-kg/id/paper/a duplicates https://w3id.org/recsys-kg/id/paper/b; "
        "add to https://w3id.org/recsys-kg/id/paper/b (2305.19860)"
    )
    focus = URIRef("https://w3id.org/recsys-kg/id/paper/a")
    found = _template_values(template, pyshacl)  # what pySHACL put in, recovered from its message
    assert found["other"] == "https://w3id.org/recsys-kg/id/paper/b"
    assert (
        render_message(template, focus, "", Literal("2305.19860"), found)
        == 'id:paper/a duplicates id:paper/b; add to id:paper/b ("2305.19860")'
    )
    assert render_message("{?value} at {$path}", focus, "rkg:year", None, {}) == "- at rkg:year"
