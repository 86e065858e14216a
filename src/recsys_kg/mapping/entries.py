"""Records to triples: what each entry says goes into its source's named graph, with the entry as provenance.

The mapping is separate from the readers so each can be tested alone. It uses the entity resolution (which
paper an entry describes) and the curated normalization tables (strategies, backbones, venues, organizations);
values it cannot normalize are kept raw on the entry and reported as warnings, never dropped.
Shared things (models, venues, organizations, facet values) are described once, in the vocabulary graph.

Every claim is traceable to the entry that made it, because two entries of one list can disagree (the Chinese
list gives 2311.03758 the years 2023 and 2024, rows 105 and 365) and a source graph alone cannot say which row
said which. The entry node is the statement node: besides ``rkg:describes`` it carries what it states about the
paper (``rkg:statedTitle``, ``rkg:statedYear``, ``rkg:statedVenue``, ``rkg:statedOrganization``, its taxonomy
position ``rkg:inSection``); backbone usages name their entry with ``rkg:statedIn``. Plain triples on named
nodes, so Oxigraph, Jena and Virtuoso query them alike (RDF-star is not supported by the Jena and Virtuoso here).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from recsys_kg.ingest import records as R
from recsys_kg.ingest.common import display_title
from recsys_kg.ingest.markdown_doc import Heading, Link, inline_links, inline_text
from recsys_kg.ingest.records import Entry
from recsys_kg.mapping.context import MappingContext, add_paper_links, add_venue, entry_iri, paper_iri, source_iri
from recsys_kg.mapping.resources import map_dataset, map_repository, repository_iri
from recsys_kg.mapping.semantic_scholar import map_semantic_scholar
from recsys_kg.mapping.taxonomy import concept_for, concept_label, facet_concept, map_taxonomy
from recsys_kg.normalize.identifiers import parse_link
from recsys_kg.normalize.values import (
    BackboneMention,
    method_name_is_product,
    parse_backbones,
    parse_date_venue,
    parse_organizations,
    parse_publication,
    parse_strategy,
    section_strategy,
)
from recsys_kg.rdf import terms as T
from recsys_kg.text import repair_text

UNSPECIFIED_MODEL = T.instance("model", "unspecified")
_SURVEY = re.compile(r"\b(survey|review)\b", re.IGNORECASE)
_SURVEY_SECTION = re.compile(r"\bsurveys?( papers)?\s*$", re.IGNORECASE)  # "LLM4RS Survey", "Related Survey Papers"
_TOP_LEVEL_COMMA = re.compile(r",\s*(?![^()]*\))")
_CHECK = "✅"
_NO_NAME = {"", "N/A", "NA", "-", "~"}
_TITLE_NAME = re.compile(r"^\s*([A-Za-z][\w.+-]{1,24})\s*:\s+\S")
_CODE_LABEL = re.compile(r"^\[?\s*code\s*\]?$", re.IGNORECASE)  # "[[Code]](…)": the link's text is "[Code]"
API_ONLY_NOTE = (
    "strategy cell not applied: an API-only model named beside open models "
    "(data/normalization/backbones.yaml api_only); its strategy is unknown"
)


def split_values(raw: str, separator: re.Pattern[str] = _TOP_LEVEL_COMMA) -> list[str]:
    """Comma-separated values of a descriptive cell; commas inside parentheses do not split."""
    return [v.strip() for v in separator.split(repair_text(raw)) if v.strip()]


def map_entry(ctx: MappingContext, entry: Entry) -> None:
    """Provenance of the entry itself, then what it describes."""
    e = entry_iri(entry)
    kind = "TableRowEntry" if entry.cells else ("PageBlockEntry" if entry.end_line else "ListItemEntry")
    ctx.add(e, T.RDF_TYPE, T.rkg(kind))
    ctx.add(e, T.rkg("fromSource"), source_iri(entry.source))
    ctx.add(e, T.rkg("lineNumber"), T.integer(entry.line))
    if entry.end_line and entry.end_line != entry.line:
        ctx.add(e, T.rkg("endLine"), T.integer(entry.end_line))
    if entry.item_number is not None:
        ctx.add(e, T.rkg("itemNumber"), T.integer(entry.item_number))
    ctx.add(e, T.rkg("rawText"), T.string(entry.raw))
    if entry.section:
        ctx.add(e, T.rkg("inSection"), concept_for(entry.source, entry.section))
    for cell in entry.cells:
        c = T.instance("entry", entry.source, f"L{entry.line}", f"cell-{cell.index + 1}")
        ctx.add(e, T.rkg("hasCell"), c)
        ctx.add(c, T.RDF_TYPE, T.rkg("Cell"))
        ctx.add(c, T.rkg("columnHeader"), T.string(cell.header))
        ctx.add(c, T.rkg("columnIndex"), T.integer(cell.index + 1))
        ctx.add(c, T.rkg("rawText"), T.string(cell.raw))
    for note in entry.warnings:
        ctx.add(e, T.rkg("note"), T.string(note))
    ctx.warn(entry, "row", entry.warnings)
    mapper = {
        R.DATASET: map_dataset,
        R.BENCHMARK: map_dataset,
        R.REPOSITORY: map_repository,
    }.get(entry.kind, map_paper)
    described = mapper(ctx, entry)
    if described is not None:
        ctx.add(e, T.rkg("describes"), described)


def is_code_link(link: Link) -> bool:
    """A link to code, not to the paper: labelled "Code" (ZH line 353, LoRec: ``[[Code]](https://anonymous.4open
    .science/r/LoRec/README.md)``) or pointing at a GitHub repository."""
    return bool(_CODE_LABEL.match(link.text) or parse_link(link.url).github)


def entry_links(entry: Entry, roles: tuple[str, ...] = (R.LINK, R.TITLE)) -> tuple[list[str], list[str]]:
    """(paper URLs, code URLs) an entry gives in ``roles``, each in order without repeats."""
    papers: list[str] = []
    code: list[str] = []
    for role in roles:
        raw = entry.fields.get(role, "")
        links = [link for link in inline_links(raw) if link.url]
        for link in links:
            (code if is_code_link(link) else papers).append(link.url)
        if role == R.LINK and not links and raw.strip().startswith("http"):
            papers.append(raw.strip())
    return list(dict.fromkeys(papers)), list(dict.fromkeys(code))


def map_paper(ctx: MappingContext, entry: Entry) -> ox.NamedNode | None:
    key = ctx.resolution.by_entry.get((entry.source, entry.line))
    if key is None:
        ctx.warn(entry, "paper", ["no paper could be identified (no title, link or identifier)"])
        return None
    p = paper_iri(key)
    ctx.add(p, T.RDF_TYPE, T.rkg("Paper"))
    title = display_title(entry.fields.get(R.TITLE, ""))
    if title:
        ctx.add(p, T.dcterms("title"), T.string(title))
        ctx.add(entry_iri(entry), T.rkg("statedTitle"), T.string(title))
    in_survey_section = any(_SURVEY_SECTION.search(h.text) for h in entry.section)
    if entry.kind == R.SURVEY_COMPARISON or _SURVEY.search(title) or in_survey_section:
        ctx.add(p, T.RDF_TYPE, T.rkg("Survey"))
    papers, code = entry_links(entry)
    add_paper_links(ctx, p, papers)
    for url in code:  # a "[[Code]]" link in the paper's Link column
        add_repository(ctx, p, url)
    if entry.section and entry.kind != R.SURVEY_COMPARISON:  # the comparison table is no taxonomy position
        ctx.add(p, T.rkg("taxonomyPosition"), concept_for(entry.source, entry.section))
        map_section_strategies(ctx, entry, p)
    map_name(ctx, entry, p, key)
    map_backbones(ctx, entry, p)
    map_venue(ctx, entry, p)
    map_descriptions(ctx, entry, p)
    if entry.kind == R.SURVEY_COMPARISON:
        map_survey_comparison(ctx, entry, p)
    if entry.kind in (R.BIBLIOGRAPHIC_RECORD, R.CITING_PAPER, R.REFERENCE):
        map_semantic_scholar(ctx, entry, p, key)
    return p


def map_name(ctx: MappingContext, entry: Entry, p: ox.NamedNode, key: str) -> None:
    """A Name/Model cell names a method of this paper, unless it is really a product or backbone name."""
    name = repair_text(entry.fields.get(R.NAME, "")).replace(_CHECK, "").strip()
    if name.upper() in _NO_NAME:
        name = title_prefix_name(display_title(entry.fields.get(R.TITLE, "")))
    if not name:
        return
    if method_name_is_product(name):
        ctx.add(p, T.rkg("listedName"), T.string(name))
        return
    m = T.instance("method", key, T.slug_or_hash(name))
    ctx.add(m, T.RDF_TYPE, T.rkg("Method"))
    ctx.add(m, T.RDFS_LABEL, T.string(name))
    ctx.add(m, T.rkg("proposedIn"), p)
    ctx.add(p, T.rkg("proposesMethod"), m)


def title_prefix_name(title: str) -> str:
    """The method name a title announces ("RecGPT: Generative ..." -> "RecGPT"), when the list gives none.

    Only a single token with at least two capitals ("LLMRec", "ONCE", "LLM4SBR") counts, so ordinary
    title openings ("Breaking the Barrier: ...", "Genrec: ...") are not taken for names.
    """
    match = _TITLE_NAME.match(title)
    return match.group(1) if match and sum(c.isupper() for c in match.group(1)) >= 2 else ""


def map_backbones(ctx: MappingContext, entry: Entry, p: ox.NamedNode) -> None:
    """One backbone usage per model mentioned, each with its tuning strategy (see BackboneUsage in the ontology).

    Strategies come from the (F)/(N) mark of each model (awesome list) or from the strategy cell (Chinese
    list). When the cell names as many strategies as there are models they pair up in order; otherwise every
    model gets every strategy named, except that an API-only model (backbones.yaml ``api_only``) named beside an
    open one gets Unknown: "ChatGPT+<br />ChatGLM (6B)" with "LoRA" (ZH lines 79, 99, 234) is a LoRA-tuned ChatGLM,
    and ChatGPT, which nobody can LoRA-tune, keeps its usage with strategy Unknown and a note saying why.
    """
    raw_backbone = entry.fields.get(R.BACKBONE, "")
    raw_strategy = entry.fields.get(R.STRATEGY, "")
    if not raw_backbone and not raw_strategy:
        return
    mentions = parse_backbones(raw_backbone) if raw_backbone else ()
    for given in mentions:
        ctx.warn(entry, R.BACKBONE, given.warnings)
    reading = parse_strategy(raw_strategy) if raw_strategy else None
    if reading:
        ctx.warn(entry, R.STRATEGY, reading.warnings)
    cell_strategies = reading.strategies if reading else ()
    models: list[BackboneMention | None] = [*mentions] or [None]
    mixed = any(m is not None and m.api_only for m in models) and any(m is not None and not m.api_only for m in models)
    for n, mention in enumerate(models, 1):
        withheld = False
        if mention is not None and mention.strategy:
            strategies: tuple[str, ...] = (mention.strategy,)
        elif len(cell_strategies) == len(models) and len(models) > 1:
            strategies = (cell_strategies[n - 1],)
        elif mixed and mention is not None and mention.api_only and cell_strategies:
            strategies, withheld = ("unknown",), True
        else:
            strategies = cell_strategies
        if mention is None and not strategies:
            continue
        u = T.instance("usage", entry.source, f"L{entry.line}", str(n))
        ctx.add(p, T.rkg("hasBackboneUsage"), u)
        ctx.add(u, T.RDF_TYPE, T.rkg("BackboneUsage"))
        ctx.add(u, T.rkg("statedIn"), entry_iri(entry))
        if withheld:
            ctx.add(u, T.rkg("note"), T.string(API_ONLY_NOTE))
        for key in strategies:
            ctx.add(u, T.rkg("tuningStrategy"), T.instance("tuning", key))
        if mention is None:
            ctx.add(u, T.rkg("usesModel"), UNSPECIFIED_MODEL)
            ctx.vocab(UNSPECIFIED_MODEL, T.RDF_TYPE, T.rkg("LanguageModel"))
            ctx.vocab(UNSPECIFIED_MODEL, T.RDFS_LABEL, T.string("unspecified LLM"))
            continue
        ctx.add(u, T.rkg("rawText"), T.string(mention.raw))
        model = T.instance("model", mention.model_key)
        family = T.instance("model-family", mention.family_key)
        ctx.add(u, T.rkg("usesModel"), model)
        ctx.vocab(model, T.RDF_TYPE, T.rkg("LanguageModel"))
        ctx.vocab(model, T.RDFS_LABEL, T.string(mention.label))
        ctx.vocab(model, T.rkg("modelFamily"), family)
        ctx.vocab(family, T.RDF_TYPE, T.rkg("ModelFamily"))
        ctx.vocab(family, T.RDFS_LABEL, T.string(mention.family_label))
        if mention.size:
            ctx.vocab(model, T.rkg("modelSize"), T.string(mention.size))
        if mention.size_billions is not None:
            ctx.vocab(model, T.rkg("parameterCountBillions"), T.decimal(mention.size_billions))


def map_section_strategies(ctx: MappingContext, entry: Entry, p: ox.NamedNode) -> None:
    """A heading the entry stands under that states a tuning strategy ("Naive Fine-Tuning", "Direct Utilizing":
    data/normalization/section-strategies.yaml) is that list's tuning claim about the paper: a backbone usage of
    an unspecified model with that strategy, stated by the entry."""
    for n, heading in enumerate(entry.section, 1):
        strategy = section_strategy(concept_label(heading))
        if strategy is None:
            continue
        u = T.instance("usage", entry.source, f"L{entry.line}", f"section-{n}")
        ctx.add(p, T.rkg("hasBackboneUsage"), u)
        ctx.add(u, T.RDF_TYPE, T.rkg("BackboneUsage"))
        ctx.add(u, T.rkg("statedIn"), entry_iri(entry))
        ctx.add(u, T.rkg("tuningStrategy"), T.instance("tuning", strategy))
        ctx.add(u, T.rkg("usesModel"), UNSPECIFIED_MODEL)
        ctx.add(u, T.rkg("rawText"), T.string(heading.text))
        ctx.vocab(UNSPECIFIED_MODEL, T.RDF_TYPE, T.rkg("LanguageModel"))
        ctx.vocab(UNSPECIFIED_MODEL, T.RDFS_LABEL, T.string("unspecified LLM"))


def map_venue(ctx: MappingContext, entry: Entry, p: ox.NamedNode) -> None:
    readings = []
    if entry.fields.get(R.PUBLICATION):
        readings.append((R.PUBLICATION, parse_publication(entry.fields[R.PUBLICATION])))
    if entry.fields.get(R.DATE_VENUE):
        readings.append((R.DATE_VENUE, parse_date_venue(entry.fields[R.DATE_VENUE])))
    for role, reading in readings:
        add_venue(ctx, entry, p, role, reading)
        if reading.year:
            ctx.add(p, T.rkg("year"), T.g_year(reading.year))
            ctx.add(entry_iri(entry), T.rkg("statedYear"), T.g_year(reading.year))
        if role == R.DATE_VENUE and reading.month and reading.year:
            first = _first_listed(entry.fields[R.DATE_VENUE])
            if first:
                ctx.add(p, T.rkg("firstListed"), T.g_year_month(*first))
        if reading.note:
            ctx.add(p, T.rkg("venueNote"), T.string(reading.note))


def _first_listed(raw: str) -> tuple[int, int] | None:
    """The date part of an awesome-list "2023.6 / WWWJ'24" cell: (2023, 6)."""
    match = re.match(r"\s*(\d{4})\.(\d{1,2})\b", raw)
    return (int(match.group(1)), int(match.group(2))) if match and 1 <= int(match.group(2)) <= 12 else None


def add_organizations(ctx: MappingContext, entry: Entry, p: ox.NamedNode, role: str, prop: str) -> None:
    raw = entry.fields.get(role)
    if not raw:
        return
    keys, warnings = parse_organizations(repair_text(raw))
    ctx.warn(entry, role, warnings)
    for key in keys:
        ctx.add(p, T.rkg(prop), T.instance("org", key))
        ctx.add(entry_iri(entry), T.rkg("statedOrganization"), T.instance("org", key))


def map_descriptions(ctx: MappingContext, entry: Entry, p: ox.NamedNode) -> None:
    """Organizations, code, facets (task, modality, techniques, awesome-list facets) and prose."""
    add_organizations(ctx, entry, p, R.COMPANY, "deployedBy")
    add_organizations(ctx, entry, p, R.INSTITUTION, "affiliatedInstitution")
    code = entry.fields.get(R.CODE, "").strip()
    for url in [link.url for link in inline_links(code)] or ([code] if code.startswith("http") else []):
        add_repository(ctx, p, url)
    facets = (
        (R.TASK, "addressesTask", "task", _TOP_LEVEL_COMMA),
        (R.MODALITY, "dataModality", "data-modality", _TOP_LEVEL_COMMA),
        (R.TECHNIQUES, "mainTechnique", "technique", _TOP_LEVEL_COMMA),
        (R.KNOWLEDGE_TYPE, "knowledgeType", "knowledge-type", re.compile(r"\s+/\s+")),
        (R.GENERATION_METHOD, "generationMethod", "generation-method", re.compile(r"\s+/\s+")),
        (R.INTEGRATION_TYPE, "integrationType", "integration-type", re.compile(r"\s+/\s+")),
    )
    for role, prop, scheme, separator in facets:
        for value in split_values(entry.fields.get(role, ""), separator):
            concept = facet_concept(ctx.vocab, scheme, value)
            ctx.add(p, T.rkg(prop), concept)
    summary = inline_text(entry.fields.get(R.SUMMARY, ""))
    if summary:
        ctx.add(p, T.rkg("summary"), T.string(summary, entry.language))
    highlight = inline_text(entry.fields.get(R.HIGHLIGHTS, ""))
    if highlight:
        ctx.add(p, T.rkg("highlight"), T.string(highlight, "en"))


def map_survey_comparison(ctx: MappingContext, entry: Entry, p: ox.NamedNode) -> None:
    for role, prop in (
        (R.COVERS_NON_GENERATIVE, "coversNonGenerativeRS"),
        (R.COVERS_GENERATIVE, "coversGenerativeRS"),
        (R.COVERS_ACADEMIC, "coversAcademic"),
        (R.COVERS_INDUSTRIAL, "coversIndustrial"),
    ):
        ctx.add(p, T.rkg(prop), T.boolean(_CHECK in entry.fields.get(role, "")))
    for role, prop in ((R.SCENARIO, "scenario"), (R.PIPELINE, "pipeline")):
        text = inline_text(entry.fields.get(role, ""))
        if text:
            ctx.add(p, T.rkg(prop), T.string(text))


def add_repository(ctx: MappingContext, p: ox.NamedNode, url: str) -> None:
    repo = repository_iri(url)
    ctx.add(p, T.rkg("codeRepository"), repo)
    ctx.add(repo, T.RDF_TYPE, T.rkg("CodeRepository"))
    ctx.add(repo, T.rkg("url"), T.any_uri(url))


def map_source(ctx: MappingContext, headings_used: list[tuple[Heading, ...]]) -> None:
    """The source list itself and the taxonomy its headings form."""
    spec = ctx.spec
    s = source_iri(spec.id)
    ctx.add(s, T.RDF_TYPE, T.rkg("SourceList"))
    ctx.add(s, T.dcterms("title"), T.string(spec.title))
    ctx.add(s, T.rkg("fileName"), T.string(spec.file))
    ctx.add(s, T.rkg("readerName"), T.string(spec.reader))
    ctx.add(s, T.dcterms("source"), T.string(spec.origin))
    ctx.add(s, T.dcterms("description"), T.string(spec.contains))
    ctx.add(s, T.dcterms("language"), T.string(spec.language))
    anchor = ctx.anchor_key(spec.describes_paper)
    if anchor:
        ctx.add(s, T.rkg("belongsToPaper"), paper_iri(anchor))
    if headings_used:
        ctx.add(s, T.rkg("taxonomy"), map_taxonomy(ctx.add, spec, headings_used))
