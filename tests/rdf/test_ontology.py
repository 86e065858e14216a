"""Every term of ours carries a label and a definition; the ontology and the data agree on the vocabulary."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from recsys_kg.rdf.ontology import ontology_triples

RKG = "https://w3id.org/recsys-kg/ontology#"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DEFINITION = ox.NamedNode("http://www.w3.org/2004/02/skos/core#definition")
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
DEFINED_BY = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#isDefinedBy")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
TUNING = "https://w3id.org/recsys-kg/id/tuning/"


def our_terms() -> set[ox.NamedNode]:
    return {
        t.subject for t in ontology_triples() if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(RKG)
    }


def values(subject, predicate) -> list:
    return [t.object for t in ontology_triples() if t.subject == subject and t.predicate == predicate]


@pytest.mark.parametrize("term", sorted(our_terms(), key=str), ids=lambda t: t.value.removeprefix(RKG))
def test_every_term_has_label_definition_and_module(term):
    assert [v for v in values(term, LABEL) if v.language == "en"], f"{term} has no English rdfs:label"
    assert [v for v in values(term, DEFINITION) if v.language == "en"], f"{term} has no English skos:definition"
    assert values(term, DEFINED_BY), f"{term} has no rdfs:isDefinedBy"


def test_tuning_strategies_form_the_required_hierarchy():
    broader = ox.NamedNode("http://www.w3.org/2004/02/skos/core#broader")
    parent = {
        t.subject.value.removeprefix(TUNING): t.object.value.removeprefix(TUNING)
        for t in ontology_triples()
        if t.predicate == broader and t.subject.value.startswith(TUNING)
    }
    assert (
        parent["lora"]
        == parent["qlora"]
        == parent["adapter-tuning"]
        == parent["prefix-tuning"]
        == "parameter-efficient"
    )
    assert parent["prompt-tuning"] == "parameter-efficient"
    assert parent["parameter-efficient"] == parent["full-finetuning"] == parent["partial-finetuning"] == "tuned"
    assert parent["instruction-tuning"] == parent["vendor-api-finetuning"] == "tuned"
    for concept in {*parent, "frozen", "tuned", "unknown"}:
        node = ox.NamedNode(TUNING + concept)
        assert values(node, PREF_LABEL) and values(node, DEFINITION), concept


def test_data_uses_only_declared_terms(seed_build):
    """Namespace closure: every rkg: class or property used in the built data is declared in the ontology."""
    declared = our_terms()
    used = set()
    for quad in seed_build.quads:
        if quad.predicate.value.startswith(RKG):
            used.add(quad.predicate)
        if quad.predicate == TYPE and isinstance(quad.object, ox.NamedNode) and quad.object.value.startswith(RKG):
            used.add(quad.object)
    assert sorted(t.value for t in used - declared) == []
