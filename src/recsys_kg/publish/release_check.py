"""The release-metadata shape (shapes/release/release-metadata.ttl), checked with pySHACL, the reference SHACL
engine: a release's VoID + DCAT description is a few hundred triples, checked once per release, so the graph
validator's SPARQL compilation buys nothing here."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib

from recsys_kg import paths

RELEASE_SHAPES = Path("release") / "release-metadata.ttl"


class NoReleaseShapesError(Exception):
    """The release-metadata shape is missing: refusing to call unchecked metadata valid."""


def check_metadata(triples: list[ox.Triple]) -> list[str]:
    """One line per violation of the release-metadata shape (empty: conforms)."""
    from pyshacl import validate

    shapes_file = paths.shapes_dir() / RELEASE_SHAPES
    if not shapes_file.is_file():
        raise NoReleaseShapesError(f"{shapes_file}: no release-metadata shape; refusing to release unchecked metadata")
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert text is not None  # no output file given: the bytes are returned
    data = rdflib.Graph().parse(data=text.decode("utf-8"), format="nt")
    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    conforms, report, _text = validate(data, shacl_graph=shapes, advanced=True)
    if conforms:
        return []
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    rule_id = rdflib.URIRef("https://w3id.org/recsys-kg/shapes#ruleId")
    lines = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus, message = report.value(result, sh.focusNode), report.value(result, sh.resultMessage)
        rule = shapes.value(report.value(result, sh.sourceShape), rule_id)  # the rule id is data on the shape
        lines.append(f"VIOLATION {rule or 'RELEASE'} {focus}: {message or 'release metadata'}")
    return sorted(lines)
