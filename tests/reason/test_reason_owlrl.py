"""The build's rules engine derives exactly the data entailments owlrl (the project's reference reasoner) does.

Checked on a fixture exercising every rule the engine implements, and on the seed graph. owlrl needs 35-48 s
for the seed graph, so its answer is kept in pytest's cache (.pytest_cache, never in the repository) under a
key made of the input quads, the owlrl version and the reasoning code: any change to the lists, the ontology,
the mapping or the filter makes the test run owlrl again, so the comparison is always with a real owlrl run
on exactly this input.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import owlrl
import pyoxigraph as ox
import pytest

import recsys_kg.reason.infer
import recsys_kg.reason.owlrl
from recsys_kg.rdf.graphs import INFERRED as INFERRED_GRAPH
from recsys_kg.reason.infer import InconsistencyError, entailments
from support import reasoning_quads as quads

EVERY_RULE = """
ex:A rdfs:subClassOf ex:B . ex:B owl:equivalentClass ex:B2 .
ex:p rdfs:subPropertyOf ex:q . ex:q owl:equivalentProperty ex:q2 .
ex:p rdfs:domain ex:D ; rdfs:range ex:R .
ex:p owl:inverseOf ex:pinv . ex:s a owl:SymmetricProperty . ex:t a owl:TransitiveProperty .
ex:I owl:equivalentClass [ owl:intersectionOf ( ex:A ex:D ) ] .
[ owl:unionOf ( ex:R [ owl:oneOf ( ex:special ) ] ) ] rdfs:subClassOf ex:U .
[ owl:onProperty ex:p ; owl:someValuesFrom ex:R ] rdfs:subClassOf ex:HasR .
[ owl:onProperty ex:s ; owl:someValuesFrom owl:Thing ] rdfs:subClassOf ex:HasS .
ex:All owl:equivalentClass [ owl:onProperty ex:t ; owl:allValuesFrom ex:T ] .
ex:V owl:equivalentClass [ owl:onProperty ex:q ; owl:hasValue ex:v ] .
[] a owl:AllDisjointClasses ; owl:members ( ex:T ex:Other ) .
ex:X owl:disjointWith ex:Y .
"""
EVERY_RULE_DATA = """
ex:x a ex:A ; ex:p ex:y , "literal" ; ex:s ex:z ; ex:t ex:w .
ex:w ex:t ex:w2 . ex:w2 ex:t ex:w3 .
ex:k a ex:All ; ex:t ex:m .
ex:n ex:q ex:v . ex:o a ex:V . ex:i a ex:I .
"""


def as_lines(triples) -> list[str]:
    return sorted(f"{t.subject} {t.predicate} {t.object} ." for t in triples)


def test_rules_equal_owlrl_on_every_rule():
    data = quads(EVERY_RULE, EVERY_RULE_DATA)
    rules = entailments(data, "rules")
    assert len(rules) >= 28
    assert as_lines(rules) == as_lines(entailments(data, "owlrl"))


@pytest.mark.parametrize("data", ["ex:a a ex:X , ex:Y .", "ex:b a ex:T , ex:Other ."])
def test_both_engines_find_the_inconsistency(data):
    for engine in ("rules", "owlrl"):
        with pytest.raises(InconsistencyError):
            entailments(quads(EVERY_RULE, data), engine)


def _cache_key(input_quads: list[ox.Quad]) -> str:
    digest = hashlib.sha256(owlrl.__version__.encode())
    for module in (recsys_kg.reason.infer, recsys_kg.reason.owlrl):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(ox.serialize(sorted(input_quads, key=str), format=ox.RdfFormat.N_QUADS))
    return digest.hexdigest()[:32]


def test_rules_equal_owlrl_on_the_seed_graph(seed_build, request):
    input_quads = [q for q in seed_build.quads if q.graph_name != INFERRED_GRAPH]
    rules = as_lines(entailments(input_quads, "rules"))
    cache = getattr(request.config, "cache", None)  # None when pytest runs with -p no:cacheprovider
    key = f"recsys-kg/owlrl-seed-entailments/{_cache_key(input_quads)}"
    reference = cache.get(key, None) if cache else None
    if reference is None:
        reference = as_lines(entailments(input_quads, "owlrl"))
        if cache:
            cache.set(key, reference)
    assert len(rules) > 4000
    assert rules == reference
