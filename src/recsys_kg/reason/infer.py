"""OWL 2 RL reasoning for the build: the data entailments of the ontology, in a named graph of their own.

`infer` materializes what follows from the asserted quads (all graphs together, ontology included) into
``…/graph/inferred``: defined classes (rkg:FrozenLLMPaper, rkg:IndustrialPaper, ...), types from sub-classes,
domains and ranges, super-properties, inverses and transitive closures (org:transitiveSubOrganizationOf,
skos:broaderTransitive / narrowerTransitive). Left out, because no query needs them and every store can do
without: trivial triples (reflexive owl:sameAs, owl:Thing / rdfs:Resource typing, typing of literals,
anything about an anonymous class expression) and schema entailments (sub-class closure and the like; the
ontology graph carries the axioms). A triple asserted anywhere is never repeated in the inferred graph.

Two engines give the same result (tests/test_reason_owlrl.py): the SPARQL rules of `reason_rules` (the
build's, about 0.2 s on the seed graph) and owlrl (the project's reference reasoner; 35-48 s on it).
An inconsistency (a node in two disjoint classes, in owl:Nothing) raises InconsistencyError naming the node,
the classes and the graphs that state each membership. See the STYLE guide §11 and
https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from recsys_kg.rdf.graphs import GRAPH_BASE, INFERRED
from recsys_kg.reason import rules as reason_rules
from recsys_kg.reason.entailment import (
    RDF_TYPE,
    InconsistencyError,
    ReasoningError,
    describe,
    is_data_entailment,
    short_term,
)
from recsys_kg.reason.owlrl import owlrl_entailments

ENGINES = ("rules", "owlrl")


def working_store(quads: Iterable[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(quads)
    return store


def _graphs_stating(store: ox.Store, clashes: list[reason_rules.Clash]) -> dict[tuple[str, str], list[str]]:
    """For the error message: which (asserted) graphs type each clashing node with each class."""
    where: dict[tuple[str, str], list[str]] = {}
    for clash in clashes:
        for cls in (clash.first, clash.second):
            graphs = {
                q.graph_name.value
                for q in store.quads_for_pattern(clash.node, ox.NamedNode(RDF_TYPE), cls)
                if isinstance(q.graph_name, ox.NamedNode) and not q.graph_name.value.startswith(reason_rules.DELTA)
            }
            where[(str(clash.node), str(cls))] = sorted(g.removeprefix(GRAPH_BASE) for g in graphs)
    return where


def entailments(quads: Iterable[ox.Quad], engine: str = "rules") -> set[ox.Triple]:
    """The data entailments of the quads (all graphs together) not asserted in any graph.

    Raises InconsistencyError when the data contradicts the ontology, ReasoningError when the engine cannot
    handle a construct the ontology uses."""
    if engine == "owlrl":
        return owlrl_entailments(list(quads))
    if engine != "rules":
        raise ValueError(f"unknown reasoning engine {engine!r}; one of {', '.join(ENGINES)}")
    return store_entailments(working_store(quads))


def store_entailments(store: ox.Store) -> set[ox.Triple]:
    """:func:`entailments` of the quads in a store, with the rules engine. The store is left as it was (the
    reasoner's working graphs are removed), so the build can go on using it."""
    missing = reason_rules.unsupported_constructs(store)
    if missing:
        raise ReasoningError(
            "the rules engine has no rule for "
            + ", ".join(f"{short_term(ox.NamedNode(term))} (OWL 2 RL {rule})" for term, rule in missing.items())
            + "; use the owlrl engine or remove the axiom"
        )
    try:
        derived = reason_rules.materialize(store)  # only triples asserted nowhere: each rule checks
        found = reason_rules.clashes(store)
        if found:
            where = _graphs_stating(store, found)
            raise InconsistencyError([describe(clash, where) for clash in found], found)
    finally:
        reason_rules.remove_working_graphs(store)
    return {t for t in derived if is_data_entailment(t)}


def inferred_quads(triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    """The inferred graph's quads, sorted (deterministic output)."""
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return [ox.Quad(t.subject, t.predicate, t.object, INFERRED) for t in ordered]


def infer(quads: Iterable[ox.Quad], engine: str = "rules") -> list[ox.Quad]:
    """The inferred graph's quads, sorted (deterministic output)."""
    return inferred_quads(entailments(quads, engine))


def infer_in_store(store: ox.Store) -> list[ox.Quad]:
    """:func:`infer` on the quads of a store (left as it was), with the rules engine: what the build uses, so
    reasoning, validation and the metadata share one store instead of loading the quads three times."""
    return inferred_quads(store_entailments(store))
