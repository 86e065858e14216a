"""What counts as a data entailment, and the errors reasoning raises: shared by both engines (rules, owlrl)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from recsys_kg.rdf import terms as T
from recsys_kg.rdf.namespaces import compact_iri
from recsys_kg.reason import rules as reason_rules

RDF_TYPE = T.RDF_TYPE.value
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
SCHEMA_PREDICATES = frozenset(
    [_RDFS + p for p in ("subClassOf", "subPropertyOf", "domain", "range")]
    + [_RDF + p for p in ("first", "rest")]
    + [
        _OWL + p
        for p in (
            "equivalentClass",
            "equivalentProperty",
            "inverseOf",
            "disjointWith",
            "propertyDisjointWith",
            "onProperty",
            "someValuesFrom",
            "allValuesFrom",
            "hasValue",
            "intersectionOf",
            "unionOf",
            "oneOf",
            "complementOf",
            "members",
            "onClass",
            "propertyChainAxiom",
            "hasKey",
        )
    ]
)
TRIVIAL_TYPES = frozenset(
    [
        _OWL + c
        for c in (
            "Thing",
            "Nothing",
            "NamedIndividual",
            "Class",
            "Restriction",
            "Ontology",
            "ObjectProperty",
            "DatatypeProperty",
            "AnnotationProperty",
            "OntologyProperty",
            "TransitiveProperty",
            "SymmetricProperty",
            "AsymmetricProperty",
            "ReflexiveProperty",
            "IrreflexiveProperty",
            "FunctionalProperty",
            "InverseFunctionalProperty",
            "AllDisjointClasses",
            "DeprecatedClass",
            "DeprecatedProperty",
            "DataRange",
        )
    ]
    + [_RDFS + c for c in ("Resource", "Class", "Datatype", "Literal", "ContainerMembershipProperty")]
    + [_RDF + c for c in ("Property", "List", "Statement")]
)


class ReasoningError(Exception):
    """The reasoner could not run on this ontology (a construct without a rule in the chosen engine)."""


class InconsistencyError(Exception):
    """The dataset contradicts the ontology; ``details`` has one line per contradiction."""

    def __init__(self, details: list[str], clashes: Iterable[reason_rules.Clash] = ()):
        self.details = details
        self.clashes = list(clashes)
        super().__init__(
            f"the graph is inconsistent with the ontology ({len(details)} contradiction(s)):\n"
            + "\n".join("  " + line for line in details)
        )


def describe(clash: reason_rules.Clash, where: dict[tuple[str, str], list[str]]) -> str:
    """One line: the rule, the node, each class and the graphs asserting the node's membership in it."""

    def stated(cls) -> str:
        graphs = where.get((str(clash.node), str(cls))) or ["inferred"]
        return f"{short_term(cls)} (in {', '.join(graphs)})"

    if clash.first == clash.second:
        return f"[{clash.rule}] {short_term(clash.node)} is a member of {stated(clash.first)}"
    return f"[{clash.rule}] {short_term(clash.node)} is both {stated(clash.first)} and {stated(clash.second)}, which are disjoint"


def short_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value) or str(term)
    return str(term)


def is_data_entailment(triple: ox.Triple) -> bool:
    """Whether an entailed triple belongs in the inferred graph (see the module docstring)."""
    s, p, o = triple.subject, triple.predicate, triple.object
    if not isinstance(s, ox.NamedNode) or isinstance(o, ox.BlankNode):
        return False
    if isinstance(o, ox.Triple):
        return False  # a quoted triple (RDF-star) is never a data entailment of OWL 2 RL
    if p.value in SCHEMA_PREDICATES or (p.value == RDF_TYPE and o.value in TRIVIAL_TYPES):
        return False
    return not (p.value == _OWL + "sameAs" and s == o)
