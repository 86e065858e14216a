"""Shape tests whose oracle is the exact validation report (pySHACL's own test style): each fixture in
tests/shapes/{valid,invalid}/ is added to tests/shapes/base.ttl and the ontology and validated as a built graph.
A valid fixture gives no result at all; an invalid one has one defect and lists, in ``# expect:`` lines, every
result it must give: severity, rule id, focus node, path (``-`` for none) and constraint component. Messages are
not compared (their wording may change; the rule id may not).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from recsys_kg.rdf.ontology import ontology_quads
from recsys_kg.shacl.report import compact
from recsys_kg.validate.graph import validate_quads

SHAPES_TESTS = Path(__file__).parents[1] / "shapes"
VALID = sorted((SHAPES_TESTS / "valid").glob("*.ttl"))
INVALID = sorted((SHAPES_TESTS / "invalid").glob("*.ttl"))
# Classes of the ontology whose instances only the reasoner or nothing yet makes, or that are abstract.
NOT_INSTANTIATED = {"Entry"}


def results_for(path: Path | None) -> list[tuple[str, str, str, str, str]]:
    quads = list(ox.parse(path=SHAPES_TESTS / "base.ttl", format=ox.RdfFormat.TURTLE)) + ontology_quads()
    if path is not None:
        quads += list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    report = validate_quads(quads)
    return sorted((r.severity, r.rule, compact(r.focus), r.path or "-", r.component) for r in report.results)


def expected(path: Path) -> list[tuple[str, ...]]:
    rows = [
        line.removeprefix("# expect:").split()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect:")
    ]
    assert rows, f"{path.name} lists no expected result"
    assert all(len(row) == 5 for row in rows), (
        f"{path.name}: an expect line is not 'severity rule focus path component'"
    )
    return sorted(tuple(row) for row in rows)


def test_base_graph_gives_no_result():
    assert results_for(None) == []


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_gives_no_result(path: Path):
    assert results_for(path) == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_gives_exactly_the_expected_results(path: Path):
    assert results_for(path) == expected(path)


def test_every_class_of_the_ontology_has_a_valid_and_an_invalid_fixture():
    import rdflib
    from rdflib.namespace import OWL, RDF

    from recsys_kg.rdf.namespaces import RKG

    ontology = rdflib.Graph()
    for quad in ontology_quads():
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(str(RKG)):
            ontology.add(
                (
                    rdflib.URIRef(quad.subject.value),
                    rdflib.URIRef(quad.predicate.value),
                    rdflib.URIRef(quad.object.value)
                    if isinstance(quad.object, ox.NamedNode)
                    else rdflib.Literal(quad.object.value),
                )
            )
    classes = {str(c).removeprefix(str(RKG)) for c in ontology.subjects(RDF.type, OWL.Class)} - NOT_INSTANTIATED
    valid = {p.stem.split("-")[0] for p in VALID}
    invalid = {p.stem.split("-")[0] for p in INVALID}
    assert classes - valid == set(), "classes without a valid fixture"
    assert classes - invalid == set(), "classes without an invalid fixture"
