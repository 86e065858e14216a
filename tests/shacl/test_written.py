"""Results name the data's terms, and sh:datatype sees literals as written, although Oxigraph stores them in
canonical form (``"4.0"^^xsd:decimal`` as ``"4"``, ``"55"^^xsd:int`` as ``"55"^^xsd:integer``)."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from recsys_kg.shacl import compiler, datatypes
from recsys_kg.shacl.model import read_shapes, shapes_graph_of
from recsys_kg.shacl.report import ValidationReport
from recsys_kg.shacl.written import WrittenLiterals

XSD = "http://www.w3.org/2001/XMLSchema#"
DATA = b"""@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:int "55"^^xsd:int, "01"^^xsd:int, "55"^^xsd:integer ; ex:byte "300"^^xsd:byte, "7"^^xsd:byte, "c"^^xsd:byte ;
     ex:size "4.0"^^xsd:decimal ; ex:flag "1"^^xsd:boolean .
"""
SHAPES = b"""@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:S sh:targetNode ex:a ;
  sh:property [ sh:path ex:int ; sh:datatype xsd:int ] ,
              [ sh:path ex:byte ; sh:datatype xsd:byte ] ,
              [ sh:path ex:size ; sh:maxExclusive 4 ] ,
              [ sh:path ex:flag ; sh:datatype xsd:integer ] .
"""


def literal(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def validate() -> list:
    data = list(ox.parse(DATA, format=ox.RdfFormat.TURTLE))
    shapes = list(ox.parse(SHAPES, format=ox.RdfFormat.TURTLE))
    store = ox.Store()
    store.extend(data)
    return compiler.run(store, read_shapes(shapes_graph_of(shapes)), None, data + shapes)


def test_the_store_rewrites_literals_and_the_mapping_keeps_them():
    written = WrittenLiterals(
        [
            literal("4.0", "decimal"),
            literal("55", "int"),
            literal("4", "decimal"),
            literal("2024", "gYear"),
            ox.Literal("x"),
        ]
    )
    assert written.as_written(literal("4", "decimal")) == [literal("4", "decimal"), literal("4.0", "decimal")]
    assert written.as_written(literal("55", "integer")) == [literal("55", "int")]
    assert written.as_written(literal("2024", "gYear")) == [literal("2024", "gYear")]  # kept by the store
    assert not WrittenLiterals([literal("2024", "gYear"), literal("5", "integer")])


def test_results_name_the_literals_as_written_and_datatypes_are_checked_on_them():
    found = {(r.component, str(r.value), str(r.value.datatype).rsplit("#")[-1]) for r in validate()}
    assert found == {
        ("DatatypeConstraintComponent", "300", "byte"),  # out of xsd:byte's range, stored as the integer 300
        ("DatatypeConstraintComponent", "c", "byte"),  # ill-formed
        ("MaxExclusiveConstraintComponent", "4.0", "decimal"),  # as written, not the store's "4"
        ("DatatypeConstraintComponent", "1", "boolean"),  # not "true"
        ("DatatypeConstraintComponent", "55", "integer"),  # one term with "55"^^xsd:int in the store; only it fails
    }  # "55"^^xsd:int and "01"^^xsd:int are valid ints although the store holds xsd:integer


def test_lexical_checks_in_python_and_in_sparql_agree():
    store = ox.Store()
    cases = [
        ("127", "byte", True),
        ("128", "byte", False),
        ("-5", "nonNegativeInteger", False),
        ("x", "integer", False),
        ("2024", "gYear", True),
        ("24", "gYear", False),
        ("2020-02-30", "date", False),
        ("2020-02-03", "date", True),
        ("ab", "hexBinary", True),
        ("abc", "hexBinary", False),
        ("en-GB", "language", True),
        ("1", "boolean", True),
    ]
    for value, datatype, valid in cases:
        if datatype != "date" or valid:  # Python checks literals Oxigraph parsed: it rejects 2020-02-30 itself
            assert datatypes.holds(literal(value, datatype), XSD + datatype) == valid, (value, datatype)
        check = datatypes.sparql_check("?v", XSD + datatype)
        [row] = store.query(f"SELECT ({check} AS ?ok) WHERE {{ BIND({literal(value, datatype)} AS ?v) }}")
        assert (row["ok"].value == "true") == valid, (value, datatype, check)


def test_conforms_is_no_results_and_the_verdict_is_no_violations():
    warning = validate()[0].__class__(
        severity="Warning",
        rule="X-001",
        focus=rdflib.URIRef("urn:x"),
        path="",
        value=None,
        message="",
        component="MinCountConstraintComponent",
        shape="[]",
    )
    custom = warning.__class__(**{**warning.__dict__, "severity": "http://example.org/MySeverity"})
    assert ValidationReport().conforms and not ValidationReport().fails()
    assert not ValidationReport([warning]).conforms and not ValidationReport([warning]).fails()
    assert ValidationReport([warning]).fails(strict=True)
    assert ValidationReport([custom]).fails()  # a severity the project does not know fails
