"""Virtuoso 7.2.5 (Debian 12) bugs met by this project's data and queries, each with a probe that goes wrong on
Virtuoso and the portable rewrite that avoids it. The canned queries are written around all of them; these
probes keep the reasons on record.

Documented in docs/stores.md §6. The tests pin each bug: the probe must still go wrong on Virtuoso (if it stops,
the bug is fixed and the entry must go) and the rewrite must agree with the embedded engine. Two bugs only showed
in larger queries; their probes are earlier versions of canned queries, kept in tests/stores/virtuoso/.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

P = (
    "PREFIX rkg: <https://w3id.org/recsys-kg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)
PAPER = "<https://w3id.org/recsys-kg/id/paper/arxiv-2305.19860>"
PROBES = Path(__file__).with_name("virtuoso")


def probe_file(name: str, *replacements: tuple[str, str]) -> tuple[str, str]:
    """(a probe kept as a file, the same query with each (old, new) replacement made)."""
    text = portable = (PROBES / f"{name}.rq").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in portable, f"{name}.rq no longer contains {old!r}"
        portable = portable.replace(old, new)
    return text, portable


@dataclass(frozen=True)
class Bug:
    id: str
    what: str
    probe: str  # goes wrong on Virtuoso (wrong rows, or an error when ``error`` is set)
    portable: str  # the same question, written so Virtuoso answers it right
    error: str = ""  # a text the Virtuoso error contains, for bugs that fail rather than answer wrong


BUGS = {
    bug.id: bug
    for bug in [
        Bug(
            "booleans-as-integers",
            "EXISTS, comparisons and the constants true/false come back as xsd:integer 1/0; wrap them in xsd:boolean()",
            P + f"SELECT ?p (EXISTS {{ GRAPH ?g {{ ?p a rkg:Paper }} }} AS ?b) (?p = {PAPER} AS ?same) WHERE "
            f"{{ VALUES ?p {{ {PAPER} <urn:x-none> }} }}",
            P + f"SELECT ?p (xsd:boolean(EXISTS {{ GRAPH ?g {{ ?p a rkg:Paper }} }}) AS ?b) "
            f"(xsd:boolean(?p = {PAPER}) AS ?same) WHERE {{ VALUES ?p {{ {PAPER} <urn:x-none> }} }}",
        ),
        Bug(
            "min-of-strings",
            "MIN/MAX over string literals returns another value than the code-point minimum, or none; use MIN(STR(?x))",
            P + "SELECT ?paper (MIN(?t) AS ?title) WHERE { GRAPH ?g { ?paper dcterms:title ?t } } GROUP BY ?paper",
            P + "SELECT ?paper (MIN(STR(?t)) AS ?title) WHERE { GRAPH ?g { ?paper dcterms:title ?t } } GROUP BY ?paper",
        ),
        Bug(
            "path-star-in-graph-variable",
            "p/q* inside GRAPH ?g loses rows (the zero-length step); write { p } UNION { p/q+ } (or use the inferred "
            "graph's skos:broaderTransitive, as the canned queries do)",
            P
            + "SELECT DISTINCT ?g ?paper ?concept WHERE { GRAPH ?g { ?paper rkg:taxonomyPosition/skos:broader* ?concept } }",
            P + "SELECT DISTINCT ?g ?paper ?concept WHERE { GRAPH ?g { { ?paper rkg:taxonomyPosition ?concept } UNION "
            "{ ?paper rkg:taxonomyPosition/skos:broader+ ?concept } } }",
        ),
        Bug(
            "system-graphs",
            "GRAPH ?g also matches Virtuoso's own graphs (virtrdf#, ldp#, ...); restrict ?g to the project's graphs",
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
            '"https://w3id.org/recsys-kg/")) } GROUP BY ?g',
        ),
        Bug(
            "unbound-transitive-start",
            'a * or + path with both ends unbound fails ("transitive start not given"); bind its start first',
            P + "SELECT ?a ?b WHERE { GRAPH <https://w3id.org/recsys-kg/graph/vocabulary> "
            "{ ?a <http://www.w3.org/ns/org#subOrganizationOf>* ?b } }",
            P + "SELECT ?a ?b WHERE { GRAPH <https://w3id.org/recsys-kg/graph/vocabulary> "
            "{ ?a a <http://www.w3.org/ns/org#Organization> . ?a <http://www.w3.org/ns/org#subOrganizationOf>* ?b } }",
            error="transitive start not given",
        ),
        Bug(
            "optional-on-a-literal",
            "after OPTIONAL { GRAPH ?l { ?value rdfs:label|skos:prefLabel ?label } } with ?value bound to a literal, "
            "?value comes back unbound (in a larger query); start the OPTIONAL from a variable bound to IRIs only",
            *probe_file(
                "optional-on-a-literal",
                (
                    "  OPTIONAL { GRAPH ?labels { ?value rdfs:label|skos:prefLabel ?label } }",
                    "  BIND(IF(isIRI(?value), ?value, <urn:x-recsys-kg:none>) AS ?labelled)\n"
                    "  OPTIONAL { GRAPH ?labels { ?labelled rdfs:label|skos:prefLabel ?label } }",
                ),
            ),
        ),
        Bug(
            "compiler-error",
            'COALESCE(GROUP_CONCAT(...), "") in a larger grouped query fails to compile (SQ156); apply COALESCE '
            "to the values before grouping instead",
            *probe_file(
                "compiler-error",
                (
                    '(COALESCE(GROUP_CONCAT(DISTINCT ?line; separator=" "), "") AS ?lines)',
                    '(GROUP_CONCAT(DISTINCT ?line; separator=" ") AS ?lines)',
                ),
                (
                    "BIND(STR(IF(?direct_property = rkg:hasBackboneUsage, ?usage_line, ?entry_line)) AS ?line)",
                    'BIND(COALESCE(STR(IF(?direct_property = rkg:hasBackboneUsage, ?usage_line, ?entry_line)), "") '
                    "AS ?line)",
                ),
            ),
            error="SQ156",
        ),
    ]
}
