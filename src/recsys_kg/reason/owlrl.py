"""The reference reasoner: owlrl's OWL 2 RL closure, reduced to the same data entailments as the build's engine.

owlrl (https://github.com/RDFLib/OWL-RL) is the reasoner the project names as its reference. It is too slow for
the build (35-48 s on the seed graph, where the rules engine takes about 0.2 s), so it is used to check the
rules engine (tests/test_reason_owlrl.py) and is available as ``entailments(quads, engine="owlrl")``.
It expands an rdflib graph on the non-context-aware ``SimpleMemory`` store (35 s instead of 48 s on the seed
graph with the default store; owlrl's ``destination`` graph would need a context-aware store), and the new
triples are the difference with the input. Inconsistencies are the ``ERRNS:ErrorMessage`` nodes owlrl adds.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from recsys_kg.rdf.rdflib_terms import quad_to_rdflib, to_oxigraph_triple
from recsys_kg.reason.entailment import InconsistencyError, is_data_entailment


def owlrl_entailments(quads: Iterable[ox.Quad]) -> set[ox.Triple]:
    """owlrl's entailments of the union of the quads' graphs, filtered by `reason.is_data_entailment`."""
    import owlrl
    import rdflib
    from owlrl.Namespaces import ERRNS

    graph = rdflib.Graph(store="SimpleMemory")
    asserted: set[ox.Triple] = set()
    for quad in quads:
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        if triple not in asserted:
            asserted.add(triple)
            graph.add(quad_to_rdflib(quad))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    errors = sorted(str(message) for message in graph.objects(None, ERRNS.error))
    if errors:
        raise InconsistencyError([f"[owlrl] {message}" for message in errors])
    found = set()
    for s, p, o in graph:
        if isinstance(s, rdflib.Literal):
            continue  # generalized RDF (owlrl types literals): never a data entailment
        triple = to_oxigraph_triple(s, p, o)
        if triple not in asserted and is_data_entailment(triple):
            found.add(triple)
    return found
