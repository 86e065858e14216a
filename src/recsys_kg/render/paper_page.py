"""The paper page's content: every statement of every list side by side, conflicts marked, and a BibTeX entry."""

from __future__ import annotations

import re
from dataclasses import dataclass

from recsys_kg.render.catalogue import DCT, RKG, Catalogue
from recsys_kg.render.pages import Pages
from recsys_kg.render.summary import Summary

# fields shown first, in this order (each with its conflict name in Catalogue.conflicts); the rest follow
FIRST = [(DCT + "title", "title"), (RKG + "year", "year"), (RKG + "publishedIn", "venue")]
BACKBONE_ROW = "backbone (tuning strategy)"
ANY_URI_PROPERTIES = {RKG + "link"}


@dataclass(frozen=True)
class Value:
    text: str
    href: str | None = None


@dataclass(frozen=True)
class ClaimRow:
    field: str
    conflict: bool
    cells: list[list[Value]]  # one per source of the paper, in Paper.sources order


def _value(catalogue: Catalogue, pages: Pages, root: str, prop: str, value: str, is_iri: bool) -> Value:
    if is_iri:
        page = pages.href(value)
        url = catalogue.urls.get(value)
        return Value(catalogue.label(value), root + page if page else url or value)
    if prop in ANY_URI_PROPERTIES and re.match(r"https?://", value):
        return Value(value, value)
    return Value(value)


def claim_rows(catalogue: Catalogue, pages: Pages, root: str, summary: Summary) -> list[ClaimRow]:
    paper, conflicts = summary.paper, summary.conflicts
    sources = paper.sources
    props = list(dict.fromkeys(p for p, _, _, _ in paper.claims))
    ordered = [p for p, _ in FIRST if p in props] + sorted(
        (p for p in props if p not in dict(FIRST)), key=lambda p: catalogue.label(p).lower()
    )
    rows = []
    for prop in ordered:
        cells = [
            [
                _value(catalogue, pages, root, prop, v, is_iri)
                for v, is_iri in dict.fromkeys((v, i) for p, v, i, s in paper.claims if p == prop and s == src)
            ]
            for src in sources
        ]
        rows.append(ClaimRow(catalogue.label(prop), dict(FIRST).get(prop) in conflicts, cells))
    if paper.usages:
        cells = []
        for src in sources:
            cell = []
            for u in paper.usages:
                if u.source == src:
                    model = catalogue.label(u.model) if u.model else "LLM"
                    strategy = f" ({catalogue.label(u.strategy)})" if u.strategy else ""
                    page = pages.href(u.model) if u.model else None
                    cell.append(
                        Value(model + strategy + (f" — line {u.line}" if u.line else ""), root + page if page else None)
                    )
            cells.append(cell)
        rows.append(ClaimRow(BACKBONE_ROW, "tuning strategy" in conflicts, cells))
    if paper.authors:
        rows.append(
            ClaimRow(
                "authors",
                False,
                [[Value(catalogue.label(person)) for _, person, s in paper.authors if s == src] for src in sources],
            )
        )
    return rows


def _bib_escape(text: str) -> str:
    return text.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}")


def bibtex(catalogue: Catalogue, summary: Summary) -> str:
    """A BibTeX entry from the merged values (the fields most lists agree on)."""
    paper = summary.paper
    authors = [catalogue.label(person) for _, person, _ in paper.authors]
    surname = re.sub(r"[^A-Za-z]", "", authors[0].split()[-1]) if authors else ""
    word = next((w for w in re.findall(r"[A-Za-z]+", summary.title) if len(w) > 3), "paper")
    key = f"{surname.lower() or 'anon'}{summary.year or ''}{word.lower()}"
    fields = [("title", "{" + _bib_escape(summary.title) + "}")]
    if authors:
        fields.append(("author", " and ".join(_bib_escape(a) for a in dict.fromkeys(authors))))
    if summary.year:
        fields.append(("year", summary.year))
    if summary.venue:
        fields.append(("booktitle", _bib_escape(catalogue.label(summary.venue))))
    if summary.doi:
        fields.append(("doi", summary.doi))
    if summary.arxiv:
        fields += [("eprint", summary.arxiv), ("archivePrefix", "arXiv")]
    if summary.link:
        fields.append(("url", summary.link))
    kind = "inproceedings" if summary.venue and not summary.venue.endswith("/arxiv") else "misc"
    return f"@{kind}{{{key},\n" + ",\n".join(f"  {name} = {{{value}}}" for name, value in fields) + "\n}"
