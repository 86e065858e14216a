"""Checks of the shapes themselves: they conform to the SHACL-for-SHACL shapes (W3C SHACL Appendix C, as pySHACL
ships them), every constraint has one message and one rule id (``rkgsh:ruleId``, data on the shape or SPARQL
constraint that has the message) and a severity, the rule ids are documented in shapes/README.md,
and the lists a shape copies from the ontology are still equal to the ontology."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF

from recsys_kg import paths
from recsys_kg.rdf.namespaces import RKG, SH, SH_RKG
from recsys_kg.rdf.ontology import ontology_quads
from recsys_kg.validate.graph import GRAPH_SCOPE
from recsys_kg.validate.shapes import CONTRIBUTION_SCOPE, shapes_graph

RULE = re.compile(r"^[A-Z]+-[0-9]{3}$")
CONSTRAINTS = {
    SH[name]
    for name in (
        "class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive maxInclusive minLength "
        "maxLength pattern languageIn uniqueLang equals disjoint lessThan lessThanOrEquals not and or xone node "
        "qualifiedValueShape closed hasValue in sparql"
    ).split()
}


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
        terms = [
            rdflib.URIRef(t.value)
            if isinstance(t, ox.NamedNode)
            else rdflib.BNode(t.value)
            if isinstance(t, ox.BlankNode)
            else rdflib.Literal(t.value)
            for t in (q.subject, q.predicate, q.object)
        ]
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


def rule_of(shapes: rdflib.Graph, shape) -> str:
    """The rule id of a shape: its own, or its SPARQL constraint's (where the message is)."""
    [rule] = [
        str(r) for node in [shape, *shapes.objects(shape, SH.sparql)] for r in shapes.objects(node, SH_RKG.ruleId)
    ]
    return rule


def test_every_constraint_has_one_message_and_one_rule_id(shapes: rdflib.Graph):
    checked = 0
    for shape in constrained_shapes(shapes):
        found = messages(shapes, shape)
        assert len(found) == 1, f"{shape}: {found}"
        assert RULE.match(rule_of(shapes, shape)), f"{shape}: rule id {rule_of(shapes, shape)!r}"
        checked += 1
    assert checked > 100


def test_every_message_has_its_rule_id_beside_it_not_in_it(shapes: rdflib.Graph):
    """The id is data (rkgsh:ruleId) on the node with the message, and no message starts with an id any more."""
    with_message = set(shapes.subjects(SH.message, None))
    assert len(with_message) > 100
    for node in with_message:
        ids = [str(r) for r in shapes.objects(node, SH_RKG.ruleId)]
        assert len(ids) == 1 and RULE.match(ids[0]), f"{node}: {ids}"
        assert not re.match(r"[A-Z]+-[0-9]{3}:", str(shapes.value(node, SH.message))), node
    assert set(shapes.subjects(SH_RKG.ruleId, None)) == with_message


def test_severities_are_violation_warning_or_info(shapes: rdflib.Graph):
    assert set(shapes.objects(None, SH.severity)) <= {SH.Violation, SH.Warning, SH.Info}


def test_each_rule_id_has_one_severity_and_is_documented(shapes: rdflib.Graph):
    readme = (paths.shapes_dir() / "README.md").read_text(encoding="utf-8")
    severities: dict[str, set] = {}
    for shape in constrained_shapes(shapes):
        rule = rule_of(shapes, shape)
        severity = shapes.value(shape, SH.severity) or SH.Violation
        severities.setdefault(rule, set()).add(str(severity).rsplit("#", 1)[1])
    for rule, found in severities.items():
        assert len(found) == 1, f"{rule} has severities {found}"
        [severity] = found
        assert re.search(rf"^\| {rule} \| {severity} \|", readme, re.MULTILINE), (
            f"{rule} ({severity}) missing from shapes/README.md"
        )
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
    declared = {
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in ontology.subjects(RDF.type, kind)
        if str(p).startswith(str(RKG))
    }
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
    concepts = {
        str(c).rsplit("/", 1)[1]
        for c in ontology.subjects(rdflib.URIRef("http://www.w3.org/2004/02/skos/core#inScheme"), scheme)
    }
    assert listed == concepts
