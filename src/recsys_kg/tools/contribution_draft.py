"""`recsys-kg contribute new`: a contribution file drafted from command-line values, in the template's shape.

Values are normalized with the same tables the build uses (a backbone "LLaMA-2-7B" becomes ``model/llama2-7b``,
"LoRA" ``tuning/lora``, a venue "WWW 2024" ``venue/www`` and the year), so the draft refers to the IRIs the graph
has; every literal is written by pyoxigraph (escaped as N-Triples), never pasted. A value that cannot be
normalized is a :class:`DraftError` naming the option and what to give instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from recsys_kg.normalize.values import parse_backbones, parse_publication, parse_strategy
from recsys_kg.rdf.graphs import ID_BASE

_ARXIV = re.compile(r"^\d{4}\.\d{4,5}$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_CATEGORY = re.compile(r"^[a-z0-9-]+/[A-Za-z0-9._/-]+$")


class DraftError(ValueError):
    """A value the draft cannot use: names the option."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option


@dataclass
class Draft:
    title: str
    arxiv: str | None = None
    doi: str | None = None
    categories: list[str] = field(default_factory=list)  # 'llm4rec-zh/1.3'
    backbones: list[str] = field(default_factory=list)  # 'LLaMA-2-7B:LoRA'
    venue: str | None = None  # 'WWW 2024', 'arXiv'
    year: int | None = None
    links: list[str] = field(default_factory=list)
    contributor: str | None = None
    date: str | None = None
    reference: str | None = None

    def paper_key(self) -> str:
        if self.arxiv:
            return f"arxiv-{self.arxiv}"
        assert self.doi
        return "doi-" + self.doi.replace("/", "_")


def _literal(value: str, datatype: str | None = None) -> str:
    """A Turtle literal: the text escaped by pyoxigraph (N-Triples form), typed with an xsd: name if given."""
    text = str(ox.Literal(value))
    return f"{text}^^xsd:{datatype}" if datatype else text


def _check(draft: Draft) -> None:
    if not draft.title.strip():
        raise DraftError("--title", "give the title as printed on the paper")
    if draft.arxiv is not None:
        draft.arxiv = draft.arxiv.strip().removeprefix("arXiv:").removeprefix("arxiv:")
        if not _ARXIV.match(draft.arxiv):
            raise DraftError("--arxiv", f"{draft.arxiv!r} is not an arXiv id like 2305.19860 (no version, no URL)")
    if draft.doi is not None:
        draft.doi = draft.doi.strip().removeprefix("https://doi.org/").lower()
        if not _DOI.match(draft.doi):
            raise DraftError("--doi", f"{draft.doi!r} is not a DOI like 10.1145/3589334.3645347")
    if not (draft.arxiv or draft.doi):
        raise DraftError("--arxiv", "give the paper's arXiv id (--arxiv) or DOI (--doi)")
    if not draft.categories:
        raise DraftError("--category", "give at least one category, like llm4rec-zh/1.3 (`recsys-kg vocab categories`)")
    for category in draft.categories:
        if not _CATEGORY.match(category):
            raise DraftError("--category", f"{category!r} is not <list>/<section>, like llm4rec-zh/1.3")


def _usage(backbone: str) -> tuple[str, str]:
    """'LLaMA-2-7B:LoRA' -> ('model/llama2-7b', 'tuning/lora')."""
    model_text, colon, strategy_text = backbone.rpartition(":")
    if not colon or not model_text.strip() or not strategy_text.strip():
        raise DraftError("--backbone", f'{backbone!r}: write MODEL:STRATEGY, like "LLaMA-2-7B:LoRA" or "GPT-4:Frozen"')
    mentions = parse_backbones(model_text)
    if len(mentions) != 1:
        raise DraftError("--backbone", f"{model_text!r} names {len(mentions)} models; give one per --backbone")
    strategy = parse_strategy(strategy_text)
    if strategy.warnings or len(strategy.strategies) != 1:
        raise DraftError("--backbone", f"{strategy_text!r} is not one tuning strategy (`recsys-kg vocab strategies`)")
    return f"model/{mentions[0].model_key}", f"tuning/{strategy.strategies[0]}"


def render(draft: Draft) -> str:
    """The Turtle text of the draft (raises DraftError for a value that cannot be used)."""
    _check(draft)
    usages = [_usage(b) for b in draft.backbones]
    venue_key, year = None, draft.year
    if draft.venue:
        reading = parse_publication(draft.venue)
        if not reading.venue_key:
            raise DraftError("--venue", f"{draft.venue!r} is no known venue (`recsys-kg vocab venues`)")
        venue_key, year = reading.venue_key, year or reading.year
    lines = []
    for name in ("contributor", "date", "reference"):
        value = getattr(draft, name)
        if value:
            lines.append(f"# {name}: {value}")
    lines += [
        "# Drafted by `recsys-kg contribute new`; check it with `recsys-kg validate FILE`.",
        f"@base <{ID_BASE}> .",
        "@prefix rkg: <https://w3id.org/recsys-kg/ontology#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"<paper/{draft.paper_key()}> a rkg:Paper ;",
        f"    dcterms:title {_literal(draft.title.strip())} ;",
    ]
    if draft.arxiv:
        lines.append(f"    rkg:arxivId {_literal(draft.arxiv)} ;")
    if draft.doi:
        lines.append(f"    rkg:doi {_literal(draft.doi)} ;")
    if year:
        lines.append(f"    rkg:year {_literal(f'{year:04d}', 'gYear')} ;")
    if venue_key:
        lines.append(f"    rkg:publishedIn <venue/{venue_key}> ;")
    links = draft.links or (
        [f"https://arxiv.org/abs/{draft.arxiv}"] if draft.arxiv else [f"https://doi.org/{draft.doi}"]
    )
    for link in links:
        lines.append(f"    rkg:link {_literal(link, 'anyURI')} ;")
    for category in draft.categories:
        lines.append(f"    rkg:taxonomyPosition <concept/{category}> ;")
    for model, strategy in usages:
        lines.append(
            f"    rkg:hasBackboneUsage [ a rkg:BackboneUsage ; rkg:usesModel <{model}> ; "
            f"rkg:tuningStrategy <{strategy}> ] ;"
        )
    lines[-1] = lines[-1][:-2] + " ."
    return "\n".join(lines) + "\n"
