"""One paper and what each source list says about it: the answer to "which list says what, and where".

Each claim is one statement of one list (its named graph) with the line of that list's file it was read from:
the entry stating a backbone usage, or else the lines of every entry of that list describing the paper. So
disagreements stay visible: two lists giving two years are two claims, not one merged value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from recsys_kg.api.result import Value, plain
from recsys_kg.query.canned import select
from recsys_kg.rdf.graphs import GRAPH_BASE
from recsys_kg.rdf.namespaces import RKG

SOURCE_GRAPH = GRAPH_BASE + "source/"
CLAIMS_QUERY = f"""PREFIX rkg: <{RKG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?paper ?g ?field ?value ?detail ?line WHERE {{
  {{
    GRAPH ?g {{ ?paper ?property ?object }}
    VALUES (?property ?field) {{ (dcterms:title "title") (rkg:year "year") (rkg:publishedIn "venue")
                                (rkg:deployedBy "company") (rkg:taxonomyPosition "taxonomy")
                                (rkg:proposesMethod "method") (rkg:arxivId "arxiv") (rkg:doi "doi") (rkg:link "link") }}
    OPTIONAL {{ GRAPH ?g {{ ?entry rkg:describes ?paper ; rkg:lineNumber ?line }} }}
  }} UNION {{
    GRAPH ?g {{ ?paper rkg:hasBackboneUsage ?usage . ?usage rkg:usesModel ?object ; rkg:statedIn ?entry .
               ?entry rkg:lineNumber ?line OPTIONAL {{ ?usage rkg:tuningStrategy ?strategy }} }}
    OPTIONAL {{ GRAPH ?k {{ ?strategy skos:prefLabel ?strategy_label }} }}
    BIND("backbone" AS ?field)
  }}
  OPTIONAL {{ SELECT ?object (MIN(STR(?name)) AS ?object_label) WHERE {{
    GRAPH ?l {{ ?object rdfs:label|skos:prefLabel ?name }} }} GROUP BY ?object }}
  OPTIONAL {{ GRAPH ?g {{ ?object skos:notation ?notation }} }}
  BIND(IF(isIRI(?object), COALESCE(?object_label, STR(?object)), ?object) AS ?value)
  BIND(COALESCE(STR(?strategy_label), ?notation) AS ?detail)
  FILTER(STRSTARTS(STR(?g), "{SOURCE_GRAPH}"))
}}"""


@dataclass(frozen=True, order=True)
class Claim:
    """One thing one source list says about the paper: ``field`` (title, year, venue, backbone, taxonomy,
    company, method, arxiv, doi, link), its ``value`` as the graph has it (labels for things), a ``detail``
    (a backbone's tuning strategy, a taxonomy position's section number), the ``source`` list's id and the
    ``line`` of its file."""

    source: str
    field: str
    value: Value
    detail: str | None
    line: int | None


@dataclass
class Paper:
    """A paper of the graph: its IRI, the title most lists use, and every claim of every list."""

    iri: str
    title: str
    claims: list[Claim] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        """The lists that describe the paper."""
        return sorted({c.source for c in self.claims})

    def by_source(self) -> dict[str, list[Claim]]:
        """Source id -> its claims (sorted by field, value, line)."""
        grouped: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims:
            grouped[claim.source].append(claim)
        return dict(sorted(grouped.items()))

    def values(self, field_name: str) -> dict[str, list[Value]]:
        """Source id -> the values it gives for one field (``paper.values("year")``: does any list disagree?)."""
        found: dict[str, list[Value]] = defaultdict(list)
        for claim in self.claims:
            if claim.field == field_name and claim.value not in found[claim.source]:
                found[claim.source].append(claim.value)
        return dict(sorted(found.items()))

    def __str__(self) -> str:
        lines = [f"{self.title} <{self.iri}>"]
        for source, claims in self.by_source().items():
            lines.append(f"  {source}:")
            for c in claims:
                detail = f" ({c.detail})" if c.detail else ""
                at = f"  [line {c.line}]" if c.line is not None else ""
                lines.append(f"    {c.field}: {c.value}{detail}{at}")
        return "\n".join(lines)


def read_paper(store: ox.Store, iri: str, title: str) -> Paper:
    """The paper's claims, one per (source, field, value, detail, line), sorted."""
    solutions = select(store, CLAIMS_QUERY, substitutions={ox.Variable("paper"): ox.NamedNode(iri)})
    claims = set()
    for _, graph, field_name, value, detail, line in solutions:
        claims.add(Claim(graph.value[len(SOURCE_GRAPH):], field_name.value, plain(value),
                         detail.value if detail is not None else None, int(line.value) if line is not None else None))
    return Paper(iri, title, sorted(claims, key=lambda c: (c.source, c.field, str(c.value), c.detail or "",
                                                         c.line or 0)))
