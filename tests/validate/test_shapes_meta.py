"""Checks of the shapes themselves: they conform to the SHACL-for-SHACL shapes (W3C SHACL Appendix C, as pySHACL
ships them), every constraint names a rule id and a severity, the rule ids are documented in shapes/README.md,
and the lists a shape copies from the ontology are still equal to the ontology."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF

from recsys_kg.rdf.namespaces import RKG, SH, SH_RKG
from recsys_kg.rdf.ontology import ontology_quads
from recsys_kg import paths
from recsys_kg.validate.shapes import CONTRIBUTION_SCOPE, shapes_graph
from recsys_kg.validate.graph import GRAPH_SCOPE

RULE = re.compile(r"^([A-Z]+-[0-9]{3}): \S")
CONSTRAINTS = {SH[name] for name in (
    "class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive maxInclusive minLength "
    "maxLength pattern languageIn uniqueLang equals disjoint lessThan lessThanOrEquals not and or xone node "
    "qualifiedValueShape closed hasValue in sparql").split()}


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(paths.shapes_dir().glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    for q in ontology_quads():
        terms = [rdflib.URIRef(t.value) if isinstance(t, ox.NamedNode) else
                 rdflib.BNode(t.value) if isinstance(t, ox.BlankNode) else rdflib.Literal(t.value)
                 for t in (q.subject, q.predicate, q.object)]
        graph.add(tuple(terms))
    return graph


def constrained_shapes(shapes: rdflib.Graph):
    """Every shape with a constraint of its own, except those used only inside another (no message needed)."""
    for shape in set(shapes.subjects()):
        if any((shape, c, None) in shapes for c in CONSTRAINTS):
            used_inside = any((None, p, shape) in shapes for p in (SH.qualifiedValueShape, SH.node, SH["not"]))
            in_list = (None, RDF.first, shape) in shapes
            if not used_inside and not in_list:
                yield shape


def messages(shapes: rdflib.Graph, shape) -> list[str]:
    own = [str(m) for m in shapes.objects(shape, SH.message)]
    return own + [str(m) for c in shapes.objects(shape, SH.sparql) for m in shapes.objects(c, SH.message)]


def test_shapes_conform_to_shacl_for_shacl(shapes: rdflib.Graph):
    from pyshacl.entrypoints import meta_validate

    conforms, _report, text = meta_validate(shapes, inference="none")
    assert conforms, text


def test_every_constraint_has_one_message_with_a_rule_id(shapes: rdflib.Graph):
    for shape in constrained_shapes(shapes):
        found = messages(shapes, shape)
        assert len(found) == 1 and RULE.match(found[0]), f"{shape}: {found}"


def test_severities_are_violation_warning_or_info(shapes: rdflib.Graph):
    assert set(shapes.objects(None, SH.severity)) <= {SH.Violation, SH.Warning, SH.Info}


def test_each_rule_id_has_one_severity_and_is_documented(shapes: rdflib.Graph):
    readme = (paths.shapes_dir() / "README.md").read_text(encoding="utf-8")
    severities: dict[str, set] = {}
    for shape in constrained_shapes(shapes):
        rule = RULE.match(messages(shapes, shape)[0]).group(1)
        severity = shapes.value(shape, SH.severity) or SH.Violation
        severities.setdefault(rule, set()).add(str(severity).rsplit("#", 1)[1])
    for rule, found in severities.items():
        assert len(found) == 1, f"{rule} has severities {found}"
        [severity] = found
        assert re.search(rf"^\| {rule} \| {severity} \|", readme, re.MULTILINE), f"{rule} ({severity}) missing from shapes/README.md"
    documented = set(re.findall(r"^\| ([A-Z]+-[0-9]{3}) \|", readme, re.MULTILINE))
    assert documented == set(severities), "README lists rules no shape has"


def test_scopes_are_known_and_deactivate_the_other_kind(shapes: rdflib.Graph):
    assert set(shapes.objects(None, SH_RKG.scope)) == {SH_RKG.GraphScope, SH_RKG.ContributionScope}
    for scope in (GRAPH_SCOPE, CONTRIBUTION_SCOPE):
        loaded = shapes_graph(scope)
        for shape, shape_scope in loaded.subject_objects(SH_RKG.scope):
            assert ((shape, SH.deactivated, None) in loaded) == (shape_scope != scope)


def test_namespace_closure_allows_exactly_the_declared_properties(shapes: rdflib.Graph, ontology: rdflib.Graph):
    allowed = set(Collection(shapes, shapes.value(SH_RKG.DeclaredPropertyShape, SH.ignoredProperties)))
    declared = {p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in ontology.subjects(RDF.type, kind)
                if str(p).startswith(str(RKG))}
    ours = {p for p in allowed if str(p).startswith(str(RKG))}
    assert ours == declared


def test_namespace_closure_covers_every_class_of_the_ontology(shapes: rdflib.Graph, ontology: rdflib.Graph):
    from rdflib.namespace import RDFS

    targets = set(shapes.objects(SH_RKG.DeclaredPropertyShape, SH.targetClass))
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if isinstance(cls, rdflib.URIRef) and str(cls).startswith(str(RKG)):
            ancestors = set(ontology.transitive_objects(cls, RDFS.subClassOf))
            defined = (cls, OWL.equivalentClass, None) in ontology or (None, RDFS.subClassOf, cls) in ontology
            assert ancestors & targets or defined, f"{cls} is not closed by NS-002"


def test_usage_005_lists_every_tuning_strategy(shapes: rdflib.Graph, ontology: rdflib.Graph):
    [message] = messages(shapes, SH_RKG.TuningStrategyValueShape)
    listed = set(re.findall(r"tuning:([a-z-]+)", message))
    scheme = rdflib.URIRef("https://w3id.org/recsys-kg/id/scheme/tuning-strategies")
    concepts = {str(c).rsplit("/", 1)[1] for c in ontology.subjects(rdflib.URIRef("http://www.w3.org/2004/02/skos/core#inScheme"), scheme)}
    assert listed == concepts
