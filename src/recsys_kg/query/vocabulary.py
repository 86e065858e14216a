"""What a contribution can refer to: the models, venues, tuning strategies, categories and companies of a built
graph, each with its label, IRI and how many papers use it (`recsys-kg vocab KIND`).

Fixed queries without parameters (nothing from the command line enters their text); each names its graphs
through the same conventions as the canned queries (source graphs for usage, vocabulary and ontology for labels).
"""

from __future__ import annotations

import pyoxigraph as ox

from recsys_kg.query.canned import QueryResult

_PREFIXES = """PREFIX rkg: <https://w3id.org/recsys-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_SOURCE = 'FILTER(STRSTARTS(STR(?g), "https://w3id.org/recsys-kg/graph/source/"))'

QUERIES = {
    "models": f"""SELECT ?label ?iri (COUNT(DISTINCT ?paper) AS ?papers) WHERE {{
        GRAPH ?v {{ ?iri a rkg:LanguageModel ; rdfs:label ?label }}
        OPTIONAL {{ GRAPH ?g {{ ?paper rkg:hasBackboneUsage ?u . ?u rkg:usesModel ?iri }} {_SOURCE} }}
      }} GROUP BY ?label ?iri ORDER BY DESC(?papers) ?label ?iri""",
    "venues": f"""SELECT ?label ?iri (COUNT(DISTINCT ?paper) AS ?papers) WHERE {{
        GRAPH ?v {{ ?iri a rkg:Venue ; rdfs:label ?label }}
        OPTIONAL {{ GRAPH ?g {{ ?paper rkg:publishedIn ?iri }} {_SOURCE} }}
      }} GROUP BY ?label ?iri ORDER BY DESC(?papers) ?label ?iri""",
    "strategies": f"""SELECT ?label ?iri (COUNT(DISTINCT ?paper) AS ?papers) WHERE {{
        GRAPH <https://w3id.org/recsys-kg/graph/ontology> {{ ?iri a rkg:TuningStrategy ; skos:prefLabel ?label }}
        OPTIONAL {{ GRAPH ?g {{ ?paper rkg:hasBackboneUsage ?u . ?u rkg:tuningStrategy ?iri }} {_SOURCE} }}
      }} GROUP BY ?label ?iri ORDER BY DESC(?papers) ?label ?iri""",
    "categories": f"""SELECT ?label ?iri (COUNT(DISTINCT ?paper) AS ?papers) WHERE {{
        GRAPH ?t {{ ?iri a rkg:TaxonomyConcept ; skos:prefLabel ?label }}
        OPTIONAL {{ GRAPH ?g {{ ?paper rkg:taxonomyPosition ?iri }} {_SOURCE} }}
      }} GROUP BY ?label ?iri ORDER BY ?iri ?label""",
    "companies": f"""SELECT ?label ?iri (COUNT(DISTINCT ?paper) AS ?papers) WHERE {{
        GRAPH ?v {{ ?iri a rkg:Company ; rdfs:label ?label }}
        OPTIONAL {{ GRAPH ?g {{ ?paper rkg:deployedBy ?iri }} {_SOURCE} }}
      }} GROUP BY ?label ?iri ORDER BY DESC(?papers) ?label ?iri""",
}
KINDS = tuple(QUERIES)


def vocabulary(store: ox.Store, kind: str) -> QueryResult:
    """Label, IRI and number of papers of every term of one kind (KINDS), most used first."""
    solutions = store.query(_PREFIXES + QUERIES[kind])
    assert isinstance(solutions, ox.QuerySolutions)  # every query of QUERIES is a SELECT
    columns = tuple(v.value for v in solutions.variables)
    return QueryResult(columns, [tuple(s[c] for c in columns) for s in solutions])
