"""The site's pictures: Vega-Lite specifications rendered to static SVG at render time by vl-convert.

vl-convert embeds the Vega renderer (no browser, no network), so each picture is a plain SVG file that shows from
file:// and in any viewer; every chart is built from a small table that the page also shows, so the numbers are
one click away and the tests can count one mark (bar, circle, cell) per table row.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import vl_convert

from recsys_kg.render.catalogue import RKG, Catalogue
from recsys_kg.render.summary import Summary

NOT_STATED = "not stated"


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    caption: str
    columns: tuple[str, ...]
    rows: list[tuple]
    marks: int  # how many marks the SVG draws (the tests count them)
    spec: dict

    def svg(self) -> str:
        return _stable_ids(vl_convert.vegalite_to_svg(self.spec))


def _stable_ids(svg: str) -> str:
    """Vega numbers gradients and clip paths with a counter that lives as long as the process; renumber them
    from 0 in each picture so the same chart is the same bytes in every render."""
    defined = list(dict.fromkeys(re.findall(r'id="((?:gradient|clip)_?)(\d+)"', svg)))
    if not defined:
        return svg
    names = {prefix + number: f"{prefix}{i}" for i, (prefix, number) in enumerate(defined)}
    pattern = re.compile(r'(id="|url\(#)(' + "|".join(map(re.escape, names)) + r')(?=[")])')
    return pattern.sub(lambda m: m.group(1) + names[m.group(2)], svg)


def _spec(rows: list[tuple], columns: tuple[str, ...], body: dict) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [dict(zip(columns, row, strict=True)) for row in rows]},
        "config": {"font": "sans-serif", "view": {"stroke": None}},
        **body,
    }


def papers_per_year(catalogue: Catalogue, items: list[Summary]) -> Chart:
    counts: Counter[tuple[str, str]] = Counter()
    for s in items:
        tops = sorted({catalogue.label(catalogue.top_strategy(b.strategy)) for b in s.backbones if b.strategy})
        counts[(s.year or NOT_STATED, tops[0] if len(tops) == 1 else "several" if tops else NOT_STATED)] += 1
    rows = sorted((y, t, n) for (y, t), n in counts.items())
    columns = ("year", "tuning", "papers")
    return Chart(
        "papers-per-year",
        "Papers per year by tuning strategy",
        "Each paper once, by the year most lists give and the top-level tuning strategy of its backbones "
        "(several: the lists or usages name more than one).",
        columns,
        rows,
        len(rows),
        _spec(
            rows,
            columns,
            {
                "mark": "bar",
                "width": 480,
                "height": 260,
                "encoding": {
                    "x": {"field": "year", "type": "ordinal"},
                    "y": {"field": "papers", "type": "quantitative"},
                    "color": {"field": "tuning", "type": "nominal"},
                },
            },
        ),
    )


def tuning_hierarchy(catalogue: Catalogue, items: list[Summary]) -> Chart:
    strategies = sorted(
        (c for c, s in catalogue.in_scheme.items() if s.endswith("/scheme/tuning-strategies")),
        key=lambda c: ([catalogue.label(a) for a in reversed(catalogue.ancestors(c))], catalogue.label(c)),
    )
    papers: dict[str, set[str]] = {c: set() for c in strategies}
    for s in items:
        for b in s.backbones:
            if b.strategy:
                for c in [b.strategy] + catalogue.ancestors(b.strategy):
                    papers.setdefault(c, set()).add(s.key)
    order = sorted(
        strategies, key=lambda c: [catalogue.label(a) for a in reversed(catalogue.ancestors(c))] + [catalogue.label(c)]
    )
    rows = [("\u2003" * len(catalogue.ancestors(c)) + catalogue.label(c), len(papers[c])) for c in order]
    columns = ("strategy", "papers")
    return Chart(
        "tuning-hierarchy",
        "The tuning-strategy hierarchy with counts",
        "Papers with a backbone usage of each strategy or a narrower one (rolled up the hierarchy, so a "
        "LoRA paper counts under LoRA, Parameter-efficient and Tuned).",
        columns,
        rows,
        len(rows),
        _spec(
            rows,
            columns,
            {
                "mark": "bar",
                "width": 420,
                "encoding": {
                    "y": {"field": "strategy", "type": "nominal", "sort": None, "title": None},
                    "x": {"field": "papers", "type": "quantitative"},
                },
            },
        ),
    )


def backbones_by_tuning(catalogue: Catalogue, items: list[Summary], top: int = 20) -> Chart:
    per_model: dict[str, set[str]] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for s in items:
        for b in set(s.backbones):
            model = catalogue.label(b.model) if b.model else "LLM (unnamed)"
            per_model.setdefault(model, set()).add(s.key)
            counts[(model, catalogue.label(b.strategy) if b.strategy else NOT_STATED)] += 1
    shown = sorted(per_model, key=lambda m: (-len(per_model[m]), m))[:top]
    rows = sorted(((m, t, n) for (m, t), n in counts.items() if m in shown), key=lambda r: (shown.index(r[0]), r[1]))
    columns = ("model", "tuning", "papers")
    return Chart(
        "backbones-by-tuning",
        f"The {len(shown)} most used LLM backbones by tuning strategy",
        "Papers using each backbone, split by the strategy the lists state for that use.",
        columns,
        rows,
        len(rows),
        _spec(
            rows,
            columns,
            {
                "mark": "bar",
                "width": 420,
                "encoding": {
                    "y": {"field": "model", "type": "nominal", "sort": shown, "title": None},
                    "x": {"field": "papers", "type": "quantitative"},
                    "color": {"field": "tuning", "type": "nominal"},
                },
            },
        ),
    )


def source_overlap(catalogue: Catalogue, items: list[Summary]) -> Chart:
    """An UpSet plot: one bar per combination of lists that share papers, over a dot matrix naming the lists."""
    sets = Counter(" + ".join(s.paper.sources) for s in items if s.paper.sources)
    combos = sorted(sets, key=lambda c: (-sets[c], c))
    sources = list(catalogue.sources)
    rows = [(c, sets[c]) for c in combos]
    dots = [{"combination": c, "list": src, "member": src in c.split(" + ")} for c in combos for src in sources]
    columns = ("lists", "papers")
    x = {"field": "combination", "type": "nominal", "sort": combos, "axis": None}
    spec = _spec(
        rows,
        columns,
        {
            "vconcat": [
                {
                    "mark": "bar",
                    "width": max(240, 18 * len(combos)),
                    "height": 200,
                    "data": {"values": [{"combination": c, "papers": n} for c, n in rows]},
                    "encoding": {"x": x, "y": {"field": "papers", "type": "quantitative"}},
                },
                {
                    "mark": {"type": "circle", "size": 80},
                    "width": max(240, 18 * len(combos)),
                    "data": {"values": dots},
                    "encoding": {
                        "x": x,
                        "y": {"field": "list", "type": "nominal", "title": None},
                        "color": {
                            "field": "member",
                            "type": "nominal",
                            "legend": None,
                            "scale": {"domain": [False, True], "range": ["#ddd", "#333"]},
                        },
                    },
                },
            ]
        },
    )
    return Chart(
        "source-overlap",
        "Which lists share which papers (UpSet)",
        "Bars: papers listed by exactly that combination of lists; dots below: the lists of each "
        "combination (filled) or not (grey).",
        columns,
        rows,
        len(rows) + len(dots),
        spec,
    )


def taxonomy_crosswalk(catalogue: Catalogue, items: list[Summary]) -> Chart:
    """Top-level concepts of two lists' taxonomies against each other: papers both place there."""

    def top(concept: str) -> str:
        chain = catalogue.ancestors(concept)
        return chain[-1] if chain else concept

    counts: Counter[tuple[str, str]] = Counter()
    for s in items:
        placed: dict[str, set[str]] = {}
        for p, value, _, src in s.paper.claims:
            if p == RKG + "taxonomyPosition":
                placed.setdefault(src, set()).add(top(value))
        for a, b in combinations(sorted(placed), 2):
            for ca in placed[a]:
                for cb in placed[b]:
                    counts[(f"{a}: {catalogue.label(ca)}", f"{b}: {catalogue.label(cb)}")] += 1
    rows = sorted((a, b, n) for (a, b), n in counts.items())
    columns = ("concept", "other_concept", "papers")
    return Chart(
        "taxonomy-crosswalk",
        "Taxonomy crosswalk: where two lists place the same papers",
        "Cells: papers one list places under a top-level concept (row) and another list under another "
        "(column); each concept page has the full crosswalk.",
        columns,
        rows,
        len(rows),
        _spec(
            rows,
            columns,
            {
                "mark": "rect",
                "encoding": {
                    "y": {"field": "concept", "type": "nominal", "title": None},
                    "x": {"field": "other_concept", "type": "nominal", "title": None},
                    "color": {"field": "papers", "type": "quantitative"},
                },
            },
        ),
    )


def industrial_by_company(catalogue: Catalogue, items: list[Summary]) -> Chart:
    def company(org: str) -> str:
        seen = {org}
        while org in catalogue.parent_org and catalogue.parent_org[org] not in seen:
            org = catalogue.parent_org[org]
            seen.add(org)
        return org

    papers: dict[str, set[str]] = {}
    for s in items:
        for org in s.companies:
            papers.setdefault(catalogue.label(company(org)), set()).add(s.key)
    rows = sorted(((c, len(k)) for c, k in papers.items()), key=lambda r: (-r[1], r[0]))
    columns = ("company", "papers")
    return Chart(
        "industrial-by-company",
        "Industrial papers by company",
        "Papers deployed by a company (rkg:deployedBy), sub-organizations rolled up (Taobao counts for Alibaba Group).",
        columns,
        rows,
        len(rows),
        _spec(
            rows,
            columns,
            {
                "mark": "bar",
                "width": 420,
                "encoding": {
                    "y": {"field": "company", "type": "nominal", "sort": "-x", "title": None},
                    "x": {"field": "papers", "type": "quantitative"},
                },
            },
        ),
    )


def charts(catalogue: Catalogue, items: list[Summary]) -> list[Chart]:
    return [
        make(catalogue, items)
        for make in (
            papers_per_year,
            tuning_hierarchy,
            backbones_by_tuning,
            source_overlap,
            taxonomy_crosswalk,
            industrial_by_company,
        )
    ]
