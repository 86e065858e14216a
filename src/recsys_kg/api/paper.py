"""One paper and what each source list says about it: the answer to "which list says what, and where".

The claims are the rows of the canned query ``paper-claims`` (queries/paper-claims.rq) for the paper: each is
one statement of one entry of one list, with the line of the list's file it was read from. So disagreements
stay visible: two lists, or two rows of one list, giving two years are two claims, not one merged value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from recsys_kg.api.result import Value, plain
from recsys_kg.query.canned import QuerySpec, run

CLAIMS_QUERY = "paper-claims"


@dataclass(frozen=True, order=True)
class Claim:
    """One thing one entry of a source list says about the paper: ``field`` (title, year, venue, organization,
    taxonomy position, backbone), its ``value`` (the label, for a thing with one), a ``detail`` (the tuning
    strategy stated for a backbone), the ``source`` list's id and the ``line`` of its file."""

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


def read_paper(store: ox.Store, spec: QuerySpec, iri: str, title: str) -> Paper:
    """The paper with the claims the ``paper-claims`` query (``spec``) finds for it, sorted."""
    result = run(store, spec, terms={"q": [ox.NamedNode(iri)]})
    claims = set()
    for row in result.rows:
        cells = dict(zip(result.columns, row, strict=True))
        value = cells["value_label"] if cells["value_label"] is not None else cells["value"]
        detail = cells["strategy_label"]
        claims.add(
            Claim(
                str(plain(cells["source"])),
                str(plain(cells["claim"])),
                plain(value),
                None if detail is None else str(plain(detail)),
                _line(cells["line"]),
            )
        )
    return Paper(
        iri, title, sorted(claims, key=lambda c: (c.source, c.field, str(c.value), c.detail or "", c.line or 0))
    )


def _line(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> int | None:
    value = plain(term)
    return value if isinstance(value, int) else None
