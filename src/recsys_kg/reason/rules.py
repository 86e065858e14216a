"""The build's reasoner: the OWL 2 RL/RDF rules the ontology needs, as SPARQL updates run to a fixpoint on Oxigraph.

Why not owlrl or `reasonable` in the build: on the seed graph (about 24k quads) owlrl took 35-48 s and the Rust
`reasonable` about 1.2 s with the conversions to and from rdflib terms, and it lacks rule cls-oo; these rules
take about 0.2 s. Each rule below is one rule of the W3C table (https://www.w3.org/TR/owl2-profiles/#OWL_2_RL,
section 4.3), read from the axioms wherever they are, so it is generic in the ontology, not in our classes.
The evaluation is semi-naive: round 0 applies every rule to the whole dataset, round n+1 only to conclusions
new in round n (each premise taken from the delta in turn), until a round concludes nothing new.

The engine refuses an ontology or dataset using a construct it has no rule for (property chains, functional
properties, sameAs, ...) instead of silently deriving less than owlrl: tests/test_reason_owlrl.py checks it
derives exactly owlrl's data entailments on the seed graph and on fixtures for every rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from recsys_kg.rdf.select import select

PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
OWL = "http://www.w3.org/2002/07/owl#"
DELTA = "urn:x-recsys-kg:reasoner:delta:"  # working graphs, never written out


@dataclass(frozen=True)
class Rule:
    """``head`` follows when ``schema`` (axioms, any graph) and every ``body`` pattern (data, any graph) match."""

    names: str
    head: str
    schema: str
    body: tuple[str, ...]
    condition: str = ""


MEMBER = "rdf:rest*/rdf:first"
RULES = (
    Rule(
        "cax-sco cax-eqc1 cax-eqc2",
        "?x a ?d",
        "?c rdfs:subClassOf|owl:equivalentClass|^owl:equivalentClass ?d",
        ("?x a ?c",),
    ),
    Rule(
        "prp-spo1 prp-eqp1 prp-eqp2",
        "?x ?q ?y",
        "?p rdfs:subPropertyOf|owl:equivalentProperty|^owl:equivalentProperty ?q",
        ("?x ?p ?y",),
    ),
    Rule("prp-dom", "?x a ?c", "?p rdfs:domain ?c", ("?x ?p ?y",)),
    Rule("prp-rng", "?y a ?c", "?p rdfs:range ?c", ("?x ?p ?y",), "FILTER(!isLiteral(?y))"),
    Rule(
        "prp-inv1 prp-inv2", "?y ?q ?x", "?p owl:inverseOf|^owl:inverseOf ?q", ("?x ?p ?y",), "FILTER(!isLiteral(?y))"
    ),
    Rule("prp-symp", "?y ?p ?x", "?p a owl:SymmetricProperty", ("?x ?p ?y",), "FILTER(!isLiteral(?y))"),
    Rule("prp-trp", "?x ?p ?z", "?p a owl:TransitiveProperty", ("?x ?p ?y", "?y ?p ?z")),
    Rule(
        "cls-int1",
        "?x a ?c",
        f"?c owl:intersectionOf ?list . ?list {MEMBER} ?member",
        ("?x a ?member",),
        f"FILTER NOT EXISTS {{ GRAPH ?gl {{ ?list {MEMBER} ?other }} FILTER NOT EXISTS {{ GRAPH ?go {{ ?x a ?other }} }} }}",
    ),
    Rule("cls-int2", "?x a ?member", f"?c owl:intersectionOf ?list . ?list {MEMBER} ?member", ("?x a ?c",)),
    Rule("cls-uni", "?x a ?c", f"?c owl:unionOf ?list . ?list {MEMBER} ?member", ("?x a ?member",)),
    Rule("cls-svf1", "?u a ?r", "?r owl:someValuesFrom ?y ; owl:onProperty ?p", ("?u ?p ?v", "?v a ?y")),
    Rule("cls-svf2", "?u a ?r", "?r owl:someValuesFrom owl:Thing ; owl:onProperty ?p", ("?u ?p ?v",)),
    Rule(
        "cls-avf",
        "?v a ?y",
        "?r owl:allValuesFrom ?y ; owl:onProperty ?p",
        ("?u a ?r", "?u ?p ?v"),
        "FILTER(!isLiteral(?v))",
    ),
    Rule("cls-hv1", "?u ?p ?v", "?r owl:hasValue ?v ; owl:onProperty ?p", ("?u a ?r",)),
    Rule("cls-hv2", "?u a ?r", "?r owl:hasValue ?v ; owl:onProperty ?p", ("?u ?p ?v",)),
)
# cls-oo has no data premise: it runs once, before round 0.
ONE_OF = Rule("cls-oo", "?m a ?c", f"?c owl:oneOf ?list . ?list {MEMBER} ?m", ())

# Constructs with an OWL 2 RL rule this engine does not implement (IRI -> rule ids).
UNSUPPORTED = {
    "propertyChainAxiom": "prp-spo2",
    "FunctionalProperty": "prp-fp",
    "InverseFunctionalProperty": "prp-ifp",
    "IrreflexiveProperty": "prp-irp",
    "AsymmetricProperty": "prp-asyp",
    "propertyDisjointWith": "prp-pdw",
    "AllDisjointProperties": "prp-adp",
    "hasKey": "prp-key",
    "sourceIndividual": "prp-npa1/2",
    "sameAs": "eq-rep-s/p/o",
    "differentFrom": "eq-diff1",
    "AllDifferent": "eq-diff2/3",
    "complementOf": "cls-com",
    "maxCardinality": "cls-maxc1/2",
    "maxQualifiedCardinality": "cls-maxqc1-4",
    "cardinality": "cls-maxc1/2",
    "qualifiedCardinality": "cls-maxqc1-4",
}

CONSISTENCY = {
    "cax-dw": """SELECT DISTINCT ?x ?c1 ?c2 WHERE { GRAPH ?ga { ?c1 owl:disjointWith ?c2 }
        GRAPH ?g1 { ?x a ?c1 } GRAPH ?g2 { ?x a ?c2 } }""",
    "cax-adc": f"""SELECT DISTINCT ?x ?c1 ?c2 WHERE {{ GRAPH ?ga {{ ?axiom a owl:AllDisjointClasses ; owl:members ?list .
        ?list {MEMBER} ?c1 . ?list {MEMBER} ?c2 }} FILTER(STR(?c1) < STR(?c2))
        GRAPH ?g1 {{ ?x a ?c1 }} GRAPH ?g2 {{ ?x a ?c2 }} }}""",
    "cls-nothing2": "SELECT DISTINCT ?x (owl:Nothing AS ?c1) (owl:Nothing AS ?c2) WHERE { GRAPH ?g { ?x a owl:Nothing } }",
}


def _variants(rule: Rule, delta: str | None, target: str) -> list[str]:
    """The update(s) applying a rule: once over everything (``delta`` None), else once per body premise
    taken from the delta graph, the other premises from any graph."""
    positions = [None] if delta is None else range(len(rule.body))
    updates = []
    for position in positions:
        parts = [f"GRAPH ?gs {{ {rule.schema} }}"]
        for index, pattern in enumerate(rule.body):
            graph = f"<{delta}>" if index == position else f"?g{index}"
            parts.append(f"GRAPH {graph} {{ {pattern} }}")
        updates.append(
            f"INSERT {{ GRAPH <{target}> {{ {rule.head} }} }} WHERE {{ {' '.join(parts)} {rule.condition} "
            f"FILTER NOT EXISTS {{ GRAPH ?gh {{ {rule.head} }} }} }}"
        )
    return updates


@dataclass(frozen=True)
class Clash:
    """One OWL 2 RL inconsistency: ``node`` is a member of two classes that cannot share members."""

    rule: str
    node: ox.NamedNode | ox.BlankNode
    first: ox.NamedNode | ox.BlankNode
    second: ox.NamedNode | ox.BlankNode


def unsupported_constructs(store: ox.Store) -> dict[str, str]:
    """The constructs in the dataset this engine has no rule for (IRI -> rule ids); empty when it can run."""
    values = " ".join(f"<{OWL}{local}>" for local in UNSUPPORTED)
    query = f"SELECT DISTINCT ?term WHERE {{ VALUES ?term {{ {values} }} GRAPH ?g {{ {{ ?s ?term ?o }} UNION {{ ?s a ?term }} }} }}"
    found = sorted(solution["term"].value for solution in select(store, query))
    return {term: UNSUPPORTED[term.removeprefix(OWL)] for term in found}


def materialize(store: ox.Store) -> set[ox.Triple]:
    """Apply the rules to the store's quads (all graphs) until nothing new follows; return every new triple
    (including those about blank nodes, which the caller filters). The store is used as scratch space."""
    round_number = 0
    store.update(PREFIXES + _variants(ONE_OF, None, DELTA + "0")[0])
    delta = None
    while True:
        target = f"{DELTA}{round_number}"
        for rule in RULES:
            for update in _variants(rule, delta, target):
                store.update(PREFIXES + update)
        new = ox.NamedNode(target)
        if next(iter(store.quads_for_pattern(None, None, None, new)), None) is None:
            break
        delta, round_number = target, round_number + 1
    derived: set[ox.Triple] = set()
    for number in range(round_number + 1):
        graph = ox.NamedNode(f"{DELTA}{number}")
        derived.update(
            ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)
        )
    return derived


def remove_working_graphs(store: ox.Store) -> None:
    """Drop the delta graphs :func:`materialize` wrote, leaving the store's own graphs as they were."""
    for graph in list(store.named_graphs()):
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(DELTA):
            store.remove_graph(graph)


def clashes(store: ox.Store) -> list[Clash]:
    """Inconsistencies of the materialized store (rules cax-dw, cax-adc, cls-nothing2), sorted."""
    found = {
        Clash(rule, s["x"], s["c1"], s["c2"])
        for rule, query in CONSISTENCY.items()
        for s in select(store, PREFIXES + query)
    }
    return sorted(found, key=lambda c: (str(c.node), c.rule, str(c.first), str(c.second)))
