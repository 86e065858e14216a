"""Typed records that readers yield and the mapping turns into triples.

A reader knows a format; it does not know RDF. It yields one :class:`Entry` per table row or list item that
describes something (a paper, a dataset, ...) and one :class:`Rejection` per row or item it will not map, with a
reason a person can act on. Together they account for every row and item of a source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the readers import this module
    from recsys_kg.ingest.markdown_doc import Cell, Heading

# Entry kinds.
PAPER = "paper"
SURVEY_COMPARISON = "survey-comparison"
DATASET = "dataset"
BENCHMARK = "benchmark"
REPOSITORY = "repository"
BIBLIOGRAPHIC_RECORD = "bibliographic-record"
CITING_PAPER = "citing-paper"
REFERENCE = "reference"

# Field roles: what a cell or part of an item means, whatever its header says in a given list.
TITLE = "title"  # the paper's title (may be markdown with a link)
LINK = "link"  # markdown holding the paper link(s)
NAME = "name"  # the method/model name a list gives the work
BACKBONE = "backbone"
STRATEGY = "strategy"
PUBLICATION = "publication"  # "WWW 2024" style
DATE_VENUE = "date-venue"  # "2023.6 / WWWJ'24" style
CODE = "code"
COMPANY = "company"
INSTITUTION = "institution"
TASK = "task"
MODALITY = "modality"
TECHNIQUES = "techniques"
SUMMARY = "summary"  # prose summary (language given by Entry.language)
HIGHLIGHTS = "highlights"
KNOWLEDGE_TYPE = "knowledge-type"
GENERATION_METHOD = "generation-method"
INTEGRATION_TYPE = "integration-type"
SCENARIO = "scenario"
PIPELINE = "pipeline"
COVERS_NON_GENERATIVE = "covers-non-generative"
COVERS_GENERATIVE = "covers-generative"
COVERS_ACADEMIC = "covers-academic"
COVERS_INDUSTRIAL = "covers-industrial"
AUTHORS = "authors"  # markdown with author links
VENUE = "venue"  # a plain venue name (Semantic Scholar)
YEAR = "year"
DATE = "date"  # "31 May 2023"
TLDR = "tldr"
CITATION_COUNT = "citation-count"
FIELDS_OF_STUDY = "fields-of-study"
DOI = "doi"
CORPUS_ID = "corpus-id"
WEBSITE = "website"
PAPER_LINK = "paper-link"
MAINTAINER = "maintainer"
BIBTEX = "bibtex"
SELF = "self"  # the entry describes the list's own paper ("arxiv:2410.19744", from the manifest)

FACET_ROLES = (KNOWLEDGE_TYPE, GENERATION_METHOD, INTEGRATION_TYPE)


@dataclass(frozen=True)
class Entry:
    """One row or item of a source that describes something, with everything needed to trace it back."""

    source: str  # source id from data/sources/manifest.yaml
    line: int  # 1-based line where the entry starts
    kind: str
    section: tuple[Heading, ...]  # heading path above the entry (its taxonomy position)
    fields: Mapping[str, str]  # role -> raw markdown text as written; read-only (see __post_init__)
    cells: tuple[Cell, ...] = ()  # the raw cells, for table rows
    raw: str = ""  # the entry's source text as written (the whole row line, or the item's text)
    end_line: int | None = None  # last line, for entries spanning several lines (Semantic Scholar blocks)
    item_number: int | None = None  # its number in an ordered list
    language: str = "en"  # language of its prose fields
    warnings: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        """Freeze ``fields`` in fact, not only the attribute: a reader that wants other fields makes a new entry
        (:meth:`with_fields`), so an entry seen by resolution is the entry the mapping sees."""
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))

    def with_fields(self, set_: Mapping[str, str] | None = None, drop: Iterable[str] = ()) -> Entry:
        """A copy with the roles in ``set_`` set and the roles in ``drop`` removed."""
        fields = {role: text for role, text in self.fields.items() if role not in set(drop)}
        fields.update(set_ or {})
        return replace(self, fields=fields)


@dataclass(frozen=True)
class Rejection:
    """A row or item the reader will not map, and why."""

    source: str
    line: int
    reason: str
    raw: str
