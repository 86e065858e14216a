"""The site's reference pages: the ontology documentation, the SHACL rules and the canned-query catalogue.

The ontology page is generated from the dataset's ontology graph (classes and properties with their labels,
definitions, domains, ranges and super-classes). pyLODE was the candidate library; it pulls in a stack of
dependencies and fetches nothing we need, while this page needs a few dozen lines over quads already read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pyoxigraph as ox
from markdown_it import MarkdownIt

from recsys_kg.query.canned import catalogue as query_catalogue
from recsys_kg.query.canned import standalone_text
from recsys_kg.rdf.namespaces import PREFIXES, compact_iri

OWL = str(PREFIXES["owl"])
RDFS = str(PREFIXES["rdfs"])
RDF_TYPE = str(PREFIXES["rdf"]) + "type"
KINDS = [
    ("Classes", OWL + "Class"),
    ("Object properties", OWL + "ObjectProperty"),
    ("Datatype properties", OWL + "DatatypeProperty"),
    ("Annotation properties", OWL + "AnnotationProperty"),
]
DETAILS = [
    ("label", RDFS + "label"),
    ("definition", RDFS + "comment"),
    ("definition", str(PREFIXES["skos"]) + "definition"),
    ("sub-class of", RDFS + "subClassOf"),
    ("sub-property of", RDFS + "subPropertyOf"),
    ("domain", RDFS + "domain"),
    ("range", RDFS + "range"),
    ("equivalent to", OWL + "equivalentClass"),
]


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def compact(iri: str) -> str:
    return compact_iri(iri) or iri


def _anchor(iri: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", compact(iri))


def ontology_html(quads: list[ox.Quad]) -> str:
    """HTML sections (one per kind of term) documenting every named class and property of the ontology graph."""
    facts: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            facts[q.subject.value][q.predicate.value].append(q.object)
    documented = {iri for iri, f in facts.items() for kind in KINDS if ox.NamedNode(kind[1]) in f.get(RDF_TYPE, [])}
    if not documented:
        raise ValueError("the dataset's ontology graph declares no class or property: nothing to document")

    def show(term: Term) -> str:
        if isinstance(term, ox.NamedNode):
            name = escape(compact(term.value))
            if term.value in documented:
                return f'<a href="#{_anchor(term.value)}">{name}</a>'
            return f"<code>{name}</code>"
        if isinstance(term, ox.Literal):
            return escape(term.value)
        return "(an expression)"

    out = ["<p>Generated from the ontology graph of the dataset (<code>ontology/*.ttl</code>, merged).</p><ul>"]
    out += [f'<li><a href="#{_anchor(kind)}">{title}</a></li>' for title, kind in KINDS]
    out.append("</ul>")
    for title, kind in KINDS:
        terms = sorted(iri for iri in documented if ox.NamedNode(kind) in facts[iri].get(RDF_TYPE, []))
        out.append(f'<h2 id="{_anchor(kind)}">{title} ({len(terms)})</h2>')
        for iri in terms:
            out.append(
                f'<section id="{_anchor(iri)}"><h3>{escape(compact(iri))}</h3><p><code>{escape(iri)}</code></p><dl>'
            )
            for name, prop in DETAILS:
                values = [
                    v
                    for v in facts[iri].get(prop, [])
                    if not isinstance(v, ox.BlankNode) and (not isinstance(v, ox.Literal) or v.language in (None, "en"))
                ]
                if values:
                    out.append(f"<dt>{name}</dt><dd>{', '.join(sorted(show(v) for v in values))}</dd>")
            out.append("</dl></section>")
    return "\n".join(out)


def markdown_html(path: Path) -> str:
    """A markdown file as HTML; links to files of the repository (not part of the site) become plain text."""
    html = MarkdownIt("commonmark").enable("table").render(path.read_text(encoding="utf-8"))
    return re.sub(r'<a href="(?!https?:|#)[^"]*">(.*?)</a>', r"\1", html)


@dataclass(frozen=True)
class QueryView:
    name: str
    title: str
    description: str
    text: str  # standalone: parameters bound to their defaults, so it runs as is in the UI


def queries(directory: Path) -> list[QueryView]:
    """Every canned query (none is a QueryError from the query layer, never an empty catalogue)."""
    return [QueryView(s.name, s.title, s.description, standalone_text(s)) for s in query_catalogue(directory).values()]
