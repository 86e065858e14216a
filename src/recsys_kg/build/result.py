"""What a build produced before it is written: the quads, each source's entries and rejections, warnings, the
report and the validation results. Its own module so the report can read it without importing the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from recsys_kg.ingest.base import SourceSpec
from recsys_kg.ingest.markdown_doc import Document
from recsys_kg.ingest.records import Entry, Rejection
from recsys_kg.mapping.context import Warning_
from recsys_kg.rdf.quads import QuadSet
from recsys_kg.shacl.report import ValidationReport


@dataclass
class SourceResult:
    spec: SourceSpec
    entries: list[Entry]
    rejections: list[Rejection]
    document: Document | None = None  # the parsed source: the report counts its headings and rows


@dataclass
class BuildResult:
    quads: QuadSet
    sources: list[SourceResult]
    warnings: list[Warning_] = field(default_factory=list)
    report: dict = field(default_factory=dict)
    validation: ValidationReport | None = None  # SHACL results (shapes/); violations fail the build
