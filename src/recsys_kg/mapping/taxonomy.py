"""SKOS concept schemes: one taxonomy per source (its section headings) and one scheme per facet column.

A heading becomes a concept only when some entry stands under it (directly or in a sub-section), so page
furniture such as "Introduction" or "Cite" does not pollute the taxonomy. Concept IRIs follow the heading path
(``…/concept/next-gen-survey/scheming-and-utilizing/…``) or, where the list numbers its sections
(``<h4 id="1.1.1">``), the section number (``…/concept/llm4rec-zh/1.1.1``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import pyoxigraph as ox

from recsys_kg.ingest.base import SourceSpec
from recsys_kg.ingest.markdown_doc import Heading
from recsys_kg.rdf import terms as T
from recsys_kg.text import repair_text

_NUMBER_PREFIX = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")
Add = Callable[[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal], None]
FACET_SCHEMES = {
    "task": "Tasks and domains",
    "data-modality": "Data modalities",
    "technique": "Main techniques",
    "knowledge-type": "Knowledge types (LLM knowledge enhancement)",
    "generation-method": "Generation methods (LLM interaction enhancement)",
    "integration-type": "Integration types (LLM model enhancement)",
}


def scheme_iri(source_id: str) -> ox.NamedNode:
    return T.instance("scheme", source_id)


def _segment(heading: Heading) -> str:
    return (
        heading.anchor
        if heading.anchor and re.fullmatch(r"[0-9A-Za-z.\-]+", heading.anchor)
        else T.slug_or_hash(heading.text)
    )


@lru_cache(maxsize=4096)  # asked for every entry; a list has a few dozen sections
def concept_for(source_id: str, section: tuple[Heading, ...]) -> ox.NamedNode:
    last = section[-1]
    if last.anchor and re.fullmatch(r"[0-9A-Za-z.\-]+", last.anchor):
        return T.instance("concept", source_id, last.anchor)
    return T.instance("concept", source_id, *(_segment(h) for h in section))


def concept_label(heading: Heading) -> str:
    """The heading text without its section number ("1.1.1 User- and ..." -> "User- and ...")."""
    return _NUMBER_PREFIX.sub("", heading.text).strip() or heading.text


def map_taxonomy(add: Add, spec: SourceSpec, sections: list[tuple[Heading, ...]]) -> ox.NamedNode:
    """Concepts for every heading path entries stand under (and its ancestors), with broader/top links."""
    scheme = scheme_iri(spec.id)
    add(scheme, T.RDF_TYPE, T.rkg("Taxonomy"))
    add(scheme, T.RDF_TYPE, T.skos("ConceptScheme"))
    add(scheme, T.skos("prefLabel"), T.string(f"Taxonomy of {spec.title}", "en"))
    seen: set[tuple[Heading, ...]] = set()
    for section in sections:
        for depth in range(1, len(section) + 1):
            seen.add(section[:depth])
    for path in sorted(seen, key=lambda p: [h.line for h in p]):
        c = concept_for(spec.id, path)
        heading = path[-1]
        add(c, T.RDF_TYPE, T.rkg("TaxonomyConcept"))
        add(c, T.skos("prefLabel"), T.string(concept_label(heading), "en"))
        add(c, T.skos("inScheme"), scheme)
        if heading.anchor:
            add(c, T.skos("notation"), T.string(heading.anchor))
        # Where the heading stands and how it is written: what `recsys-kg render source` regenerates it from.
        add(c, T.rkg("headingLevel"), T.integer(heading.level))
        add(c, T.rkg("lineNumber"), T.integer(heading.line))
        if heading.raw:
            add(c, T.rkg("rawText"), T.string(heading.raw))
        if len(path) == 1:
            add(c, T.skos("topConceptOf"), scheme)
            add(scheme, T.skos("hasTopConcept"), c)
        else:
            parent = concept_for(spec.id, path[:-1])
            add(c, T.skos("broader"), parent)
            add(parent, T.skos("narrower"), c)
    return scheme


def facet_concept(add: Add, scheme_key: str, value: str) -> ox.NamedNode:
    """The concept for one value of a facet column; spellings that differ only in case meet."""
    label = repair_text(value)
    scheme = T.instance("scheme", scheme_key)
    c = T.instance("concept", scheme_key, T.slug_or_hash(label))
    add(scheme, T.RDF_TYPE, T.skos("ConceptScheme"))
    add(scheme, T.skos("prefLabel"), T.string(FACET_SCHEMES[scheme_key], "en"))
    add(c, T.RDF_TYPE, T.rkg("FacetValue"))
    add(c, T.skos("prefLabel"), T.string(label.lower(), "en"))
    add(c, T.skos("inScheme"), scheme)
    return c
