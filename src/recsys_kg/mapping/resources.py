"""Mapping of the entries that describe things other than papers: datasets, benchmarks and repositories
(the Chinese list's sections 3 and 4, the awesome list's related-list link), and the repository IRIs that
papers' code links share with them."""

from __future__ import annotations

import pyoxigraph as ox

from recsys_kg.ingest import records as R
from recsys_kg.ingest.markdown_doc import inline_links, inline_text
from recsys_kg.ingest.records import Entry
from recsys_kg.mapping.context import MappingContext, add_paper_links, paper_iri
from recsys_kg.normalize.identifiers import ID_FIELDS, parse_link
from recsys_kg.rdf import terms as T


def repository_iri(url: str) -> ox.NamedNode:
    """GitHub repositories by owner/name (so two lists linking one repository meet), others by URL hash."""
    github = parse_link(url).github
    if github:
        owner, _, name = github.partition("/")
        return T.instance("repository", "github", T.slug_or_hash(owner), T.slug_or_hash(name))
    return T.instance("repository", "url-" + T.short_hash(url.strip()))


def map_dataset(ctx: MappingContext, entry: Entry) -> ox.NamedNode:
    """A dataset or benchmark row of the Chinese list; its paper link (if any) names the paper introducing it."""
    name = inline_text(entry.fields.get(R.NAME, "")) or "unnamed"
    is_benchmark = entry.kind == R.BENCHMARK
    d = T.instance("benchmark" if is_benchmark else "dataset", T.slug_or_hash(name))
    ctx.add(d, T.RDF_TYPE, T.rkg("Benchmark" if is_benchmark else "Dataset"))
    ctx.add(d, T.RDFS_LABEL, T.string(name))
    scenario = inline_text(entry.fields.get(R.SCENARIO, ""))
    if scenario:
        ctx.add(d, T.rkg("scenario"), T.string(scenario))
    for role in (R.LINK, R.WEBSITE):
        for link in inline_links(entry.fields.get(role, "")):
            ctx.add(d, T.rkg("link"), T.any_uri(link.url))
    key = ctx.resolution.by_entry.get((entry.source, entry.line))
    if key:
        ctx.add(d, T.rkg("describedInPaper"), paper_iri(key))
        ctx.add(paper_iri(key), T.RDF_TYPE, T.rkg("Paper"))
        add_paper_links(ctx, paper_iri(key), paper_urls(entry))
    summary = inline_text(entry.fields.get(R.SUMMARY, ""))
    if summary:
        ctx.add(d, T.rkg("summary"), T.string(summary, entry.language))
    return d


def paper_urls(entry: Entry) -> list[str]:
    """The links of a dataset or benchmark row that name the paper introducing it: every link of its Paper column
    (``[[Paper]](https://arxiv.org/abs/2307.09688)``, ZH line 420) and the links of its Link column that carry a
    paper identifier (an arXiv link, ZH line 407). Resolution keyed the paper by them; they are its identifiers."""
    urls = [link.url for link in inline_links(entry.fields.get(R.PAPER_LINK, "")) if link.url]
    for link in inline_links(entry.fields.get(R.LINK, "")):
        ids = parse_link(link.url)
        if any(getattr(ids, id_field.name) for id_field in ID_FIELDS):
            urls.append(link.url)
    return list(dict.fromkeys(urls))


def map_repository(ctx: MappingContext, entry: Entry) -> ox.NamedNode | None:
    links = inline_links(entry.fields.get(R.NAME, "")) + inline_links(entry.fields.get(R.LINK, ""))
    if not links:
        ctx.warn(entry, R.LINK, ["repository row without a link"])
        return None
    repo = repository_iri(links[0].url)
    ctx.add(repo, T.RDF_TYPE, T.rkg("CodeRepository"))
    ctx.add(repo, T.RDFS_LABEL, T.string(inline_text(entry.fields.get(R.NAME, "")) or links[0].text))
    ctx.add(repo, T.rkg("url"), T.any_uri(links[0].url))
    for link in inline_links(entry.fields.get(R.MAINTAINER, "")):
        ctx.add(repo, T.dcterms("creator"), T.string(link.text))
    return repo
