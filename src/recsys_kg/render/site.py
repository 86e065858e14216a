"""`recsys-kg render site`: the static site, written from the graph alone with jinja2 templates.

Pages: one per paper (what each list says, side by side, each value linking to its source line), per company,
venue, tuning strategy, LLM backbone, taxonomy scheme and concept (with its crosswalk) and source list; an index
with offline search; the pictures; the ontology, the SHACL rules and the query catalogue. No page loads anything
from the network, every link is relative, and the source lists are copied in (raw and as numbered HTML), so the
site works from file:// and from any static host. It is written into a fresh directory beside ``out`` and
swapped in at the end, so a failed render leaves the previous site in place.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from recsys_kg.rdf.graphs import ID_BASE
from recsys_kg.render.catalogue import RKG, Catalogue
from recsys_kg.render.charts import Chart, charts
from recsys_kg.render.pages import SOURCES_DIR, Pages, page_path, root_of
from recsys_kg.render.paper_page import bibtex, claim_rows
from recsys_kg.render.reference_pages import markdown_html, ontology_html, queries
from recsys_kg.render.summary import Summary, summaries

STATIC = ("style.css", "search.js", "sparql.js")


class SiteError(Exception):
    """Input the site cannot be made from (a source file missing); the message names it."""


@dataclass(frozen=True)
class SiteSummary:
    out: Path
    pages: int
    papers: int
    charts: int


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("recsys_kg.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class SiteWriter:
    def __init__(self, catalogue: Catalogue, out: Path) -> None:
        self.catalogue = catalogue
        self.out = out
        self.env = _environment()
        self.pages = Pages({s.id: s.file_name for s in catalogue.sources.values()})
        self.count = 0

    def write(self, path: str, data: str | bytes) -> None:
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.count += 1

    def page(self, path: str, template: str, **context) -> None:
        self.write(path, self.env.get_template(template).render(root=root_of(path), pages=self.pages, **context))

    def paper_rows(self, items: list[Summary]) -> list[dict]:
        c = self.catalogue
        return [
            {
                "href": page_path(s.paper.iri),
                "title": s.title,
                "conflict": bool(s.conflicts),
                "venue": c.label(s.venue) if s.venue else "",
                "year": s.year or "",
                "sources": ", ".join(s.paper.sources),
            }
            for s in items
        ]


def _sorted(items: list[Summary]) -> list[Summary]:
    return sorted(items, key=lambda s: (-(int(s.year) if s.year and s.year.isdigit() else 0), s.title.lower(), s.key))


def render_site(
    catalogue: Catalogue, out: Path, sources_dir: Path, queries_dir: Path, shapes_readme: Path
) -> SiteSummary:
    """Write the whole site into ``out`` (replacing what was there only once everything is written)."""
    for src in catalogue.sources.values():
        if not (sources_dir / src.file_name).is_file():
            raise SiteError(
                f"{sources_dir / src.file_name}: the file of source {src.id!r} is missing; pass the "
                "directory the dataset was built from with --sources"
            )
    if not shapes_readme.is_file():
        raise SiteError(f"{shapes_readme}: the SHACL rules page needs it; pass --shapes DIR")
    out = out.resolve()
    staging = out.with_name(f".{out.name}.rendering")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        writer = SiteWriter(catalogue, staging)
        made = _write_all(writer, sources_dir, queries_dir, shapes_readme)
        previous = out.with_name(f".{out.name}.previous")
        shutil.rmtree(previous, ignore_errors=True)
        if out.exists():
            os.replace(out, previous)
        os.replace(staging, out)
        shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SiteSummary(out, writer.count, len(catalogue.papers), made)


def _write_all(w: SiteWriter, sources_dir: Path, queries_dir: Path, shapes_readme: Path) -> int:
    c = w.catalogue
    items = summaries(c)
    by_key = {s.paper.iri: s for s in items}
    entities = _entities(c, items)
    for s in items:
        w.pages.add(s.paper.iri)
    for iri in entities:
        w.pages.add(iri)
    for src in c.sources.values():
        w.pages.add(src.iri)
        if src.scheme:
            w.pages.add(src.scheme)

    # paper pages
    for s in items:
        path = page_path(s.paper.iri)
        root = root_of(path)
        w.page(
            path,
            "paper.html",
            title=s.title,
            iri=s.paper.iri,
            s=s,
            claim_rows=claim_rows(c, w.pages, root, s),
            bibtex=bibtex(c, s),
            files={k: v.file_name for k, v in c.sources.items()},
            authors=list(dict.fromkeys(c.label(p) for _, p, _ in s.paper.authors)),
            inferred=[c.label(t) for t in s.paper.inferred_types if t.startswith(RKG)],
        )

    # company, venue, strategy, backbone and concept pages
    for iri, entity in entities.items():
        sections: list[dict[str, Any]] = []
        if entity.related:
            sections.append(
                {
                    "heading": None,
                    "text": None,
                    "papers": None,
                    "links": [
                        {"href": page_path(r), "text": f"{label}: {_long_label(c, r)}", "note": note}
                        for label, r, note in entity.related
                    ],
                }
            )
        sections.append(
            {
                "heading": f"Papers ({len(entity.papers)})",
                "text": entity.papers_note,
                "links": None,
                "papers": w.paper_rows(_sorted([by_key[p] for p in entity.papers])),
            }
        )
        w.page(
            page_path(iri),
            "listing.html",
            title=f"{entity.kind}: {c.label(iri)}",
            iri=iri,
            intro=None,
            sections=sections,
        )

    # source lists and their taxonomies
    counts: dict[str, int] = defaultdict(int)
    only: dict[str, list[Summary]] = defaultdict(list)
    for s in items:
        for source_id in s.paper.sources:
            counts[source_id] += 1
        if len(s.paper.sources) == 1:
            only[s.paper.sources[0]].append(s)
    for src in c.sources.values():
        raw = (sources_dir / src.file_name).read_bytes()
        w.write(f"{SOURCES_DIR}/{src.file_name}", raw)
        w.page(
            f"{SOURCES_DIR}/{src.file_name}.html",
            "source_file.html",
            title=f"{src.file_name} ({src.id})",
            iri=None,
            raw=src.file_name.rsplit("/", 1)[-1],
            rows=_numbered_lines(raw),
        )
        links = [
            {
                "href": f"{SOURCES_DIR}/{src.file_name}.html",
                "text": f"The list as received: {src.file_name}",
                "note": None,
            }
        ]
        if src.scheme:
            links.append({"href": page_path(src.scheme), "text": f"Its taxonomy: {c.label(src.scheme)}", "note": None})
        w.page(
            page_path(src.iri),
            "listing.html",
            title=f"Source list: {src.title or src.id}",
            iri=src.iri,
            intro=f"{counts[src.id]} papers, {len(only[src.id])} of them in no other list.",
            sections=[
                {"heading": None, "text": None, "links": links, "papers": None},
                {
                    "heading": f"Only in this list ({len(only[src.id])})",
                    "text": None,
                    "links": None,
                    "papers": w.paper_rows(_sorted(only[src.id])),
                },
            ],
        )
        if src.scheme:
            concepts = [k for k, v in c.in_scheme.items() if v == src.scheme]
            links = [
                {
                    "href": page_path(k),
                    "text": ("\u2003" * len(c.ancestors(k))) + c.notation.get(k, "") + " " + c.label(k),
                    "note": None,
                }
                for k in sorted(concepts, key=lambda k: _tree_key(c, k))
            ]
            w.page(
                page_path(src.scheme),
                "listing.html",
                title=c.label(src.scheme),
                iri=src.scheme,
                intro=f"The heading tree of {src.id}, as concepts.",
                sections=[{"heading": None, "text": None, "links": links, "papers": None}],
            )

    # index, all papers, browse
    sources = [
        {
            "id": s.id,
            "title": s.title or s.id,
            "href": page_path(s.iri),
            "papers": counts[s.id],
            "only": len(only[s.id]),
        }
        for s in c.sources.values()
    ]
    made = charts(c, items)
    w.page(
        "index.html",
        "index.html",
        title="LLM-based recommender systems: papers and what the lists say",
        iri=None,
        papers=len(items),
        sources=sources,
        charts=made,
    )
    w.write(
        "search-index.js",
        "window.RECSYS_KG_INDEX = "
        + json.dumps(
            [
                [
                    page_path(s.paper.iri),
                    s.title,
                    " ".join(s.methods),
                    s.arxiv or "",
                    (s.doi or "").lower(),
                    s.year or "",
                    c.label(s.venue) if s.venue else "",
                ]
                for s in items
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + ";\n",
    )
    w.page(
        "papers.html",
        "listing.html",
        title=f"All {len(items)} papers",
        iri=None,
        intro=None,
        sections=[{"heading": None, "text": None, "links": None, "papers": w.paper_rows(_sorted(items))}],
    )
    groups: dict[str, list[dict]] = defaultdict(list)
    for iri, entity in sorted(entities.items(), key=lambda e: (e[1].kind, c.label(e[0]).lower())):
        groups[entity.kind].append(
            {"href": page_path(iri), "text": c.label(iri), "note": f"{len(entity.papers)} papers"}
        )
    for src in c.sources.values():
        groups["Source list"].append({"href": page_path(src.iri), "text": src.title or src.id, "note": None})
    w.page(
        "browse.html",
        "listing.html",
        title="Browse",
        iri=None,
        intro=None,
        sections=[
            {"heading": kind, "text": None, "links": links, "papers": None}
            for kind, links in groups.items()
            if kind != "Taxonomy concept"
        ],
    )

    # pictures
    _write_charts(w, made)

    # reference pages
    w.page("ontology.html", "document.html", title="The recsys-kg ontology", iri=None, html=ontology_html(c.ontology))
    w.page("shapes.html", "document.html", title="SHACL rules", iri=None, html=markdown_html(shapes_readme))
    views = queries(queries_dir)
    w.page("queries.html", "queries.html", title="Canned queries", iri=None, queries=views)
    w.page("sparql.html", "sparql.html", title="SPARQL", iri=None, queries=views)
    w.write(
        "queries.js",
        "window.RECSYS_KG_QUERIES = "
        + json.dumps({q.name: q.text for q in views}, ensure_ascii=False, indent=0)
        + ";\n",
    )
    for name in STATIC:
        w.write(f"assets/{name}", (resources.files("recsys_kg.render") / "static" / name).read_bytes())
    return len(made)


def _numbered_lines(raw: bytes) -> Markup:
    """The rows of a source file's page, one per line with its #L anchor (escaped here in one pass: a 100x list
    has tens of thousands of lines, too many for a template loop)."""
    lines = raw.decode("utf-8", errors="replace").split("\n")
    return Markup(
        "\n".join(
            f'<tr id="L{n}"><td class="ln"><a href="#L{n}">{n}</a></td><td><pre>{escape(line)}</pre></td></tr>'
            for n, line in enumerate(lines, 1)
        )
    )


def _write_charts(w: SiteWriter, made: list[Chart]) -> None:
    for chart in made:
        w.write(f"charts/{chart.name}.svg", chart.svg())
    w.page("charts.html", "charts.html", title="Pictures", iri=None, charts=made)


def _long_label(c: Catalogue, iri: str) -> str:
    """A taxonomy concept with its list and its broader concepts (two lists may both have "Direct Utilizing")."""
    scheme = c.in_scheme.get(iri)
    source = next((s.id for s in c.sources.values() if scheme and s.scheme == scheme), None)
    if source is None:
        return c.label(iri)
    return f"{source}: " + " › ".join(c.label(k) for k in [*reversed(c.ancestors(iri)), iri])


def _tree_key(c: Catalogue, concept: str) -> list:
    chain = list(reversed(c.ancestors(concept))) + [concept]
    return [
        (
            tuple(int(x) if x.isdigit() else 0 for x in c.notation.get(k, "").split(".")) if c.notation.get(k) else (),
            c.label(k),
        )
        for k in chain
    ]


@dataclass
class Entity:
    kind: str
    papers: list[str]  # paper IRIs
    related: list[tuple[str, str, str | None]]  # (relation, IRI, note)
    papers_note: str | None = None


def _entities(c: Catalogue, items: list[Summary]) -> dict[str, Entity]:
    """Every company, venue, strategy, backbone and taxonomy concept a paper points to, with its papers."""
    found: dict[str, Entity] = {}

    def entity(iri: str, kind: str) -> Entity:
        return found.setdefault(iri, Entity(kind, [], []))

    placements: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # paper -> src -> concepts
    for s in items:
        p = s.paper
        for v in dict.fromkeys(p.values(RKG + "publishedIn")):
            entity(v, "Venue").papers.append(p.iri)
        for org in dict.fromkeys(p.values(RKG + "deployedBy")):
            chain = [org]
            while chain[-1] in c.parent_org and c.parent_org[chain[-1]] not in chain:
                chain.append(c.parent_org[chain[-1]])
            for o in chain:
                entity(o, "Company").papers.append(p.iri)
        for u in p.usages:
            if u.model:
                entity(u.model, "LLM backbone").papers.append(p.iri)
            if u.strategy:
                for t in [u.strategy] + c.ancestors(u.strategy):
                    entity(t, "Tuning strategy").papers.append(p.iri)
        for prop, value, _, src in p.claims:
            if prop == RKG + "taxonomyPosition" and value in c.in_scheme:
                placements[p.iri][src].add(value)
                for k in [value] + c.ancestors(value):
                    entity(k, "Taxonomy concept").papers.append(p.iri)
    for scheme_concept, scheme in c.in_scheme.items():
        if scheme.endswith("/scheme/tuning-strategies"):
            entity(scheme_concept, "Tuning strategy")
        elif any(src.scheme == scheme for src in c.sources.values()):
            entity(scheme_concept, "Taxonomy concept")
    for org, parent in c.parent_org.items():
        if org in found or parent in found:
            entity(org, "Company")
            entity(parent, "Company")
    for e in found.values():
        e.papers = list(dict.fromkeys(e.papers))
    # relations: broader / narrower, parent / sub-organizations, and each concept's crosswalk
    for iri, e in found.items():
        for b in c.broader.get(iri, []):
            if b in found:
                e.related.append(("broader", b, None))
                found[b].related.append(("narrower", iri, None))
        if e.kind == "Company" and iri in c.parent_org and c.parent_org[iri] in found:
            e.related.append(("part of", c.parent_org[iri], None))
            found[c.parent_org[iri]].related.append(("sub-organization", iri, None))
    crosswalk: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for placed in placements.values():
        for src, concepts in placed.items():
            for other_src, others in placed.items():
                if other_src != src:
                    for k in concepts:
                        for o in others:
                            crosswalk[k][o] += 1
    for k, counted in crosswalk.items():
        found[k].related += [
            ("same papers in", o, f"{n} papers") for o, n in sorted(counted.items(), key=lambda x: (-x[1], x[0]))
        ]
        found[k].papers_note = "Papers this list places here or in a narrower concept."
    for e in found.values():
        e.related = list(dict.fromkeys(e.related))
    return {iri: found[iri] for iri in sorted(found) if iri.startswith(ID_BASE)}
