"""Normalization of the values the source lists write in many ways, driven by curated data files.

The lists name one tuning strategy, backbone model, venue or organization in many spellings ("GhatGLM (6B)",
"Arixv 2024", "KuaiShou" / "Kuaishou", "Layerwise Adater Tuning") and pack several values into one cell
("ChatGPT+<br />LLaMA2(7B)/LLaMA2(13B)"). Which spelling means what is curated knowledge, not logic, so it lives
in the YAML files under ``data/normalization/`` where it can be reviewed and extended without touching code;
this module only splits cells, looks the parts up in those files and builds the readings. A value no file knows
never stops a build: it gets a fallback ('unknown', a slug key) and a warning naming the file to extend.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

import yaml

from recsys_kg import paths
from recsys_kg.text import repair_text, slugify

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the same data, 10x faster
STRATEGIES_FILE = "tuning-strategies.yaml"
BACKBONES_FILE = "backbones.yaml"
VENUES_FILE = "venues.yaml"
ORGANIZATIONS_FILE = "organizations.yaml"
EXCLUSIONS_FILE = "method-name-exclusions.yaml"
SECTION_STRATEGIES_FILE = "section-strategies.yaml"
DATA_FILES = (STRATEGIES_FILE, BACKBONES_FILE, VENUES_FILE, ORGANIZATIONS_FILE, EXCLUSIONS_FILE)


@cache
def load_data(name: str) -> dict[str, Any]:
    """The parsed content of one file of ``data/normalization/`` (cached; do not modify it)."""
    with (paths.normalization_dir() / name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)


def _fold(text: str) -> str:
    """The matching form of a spelling: NFKC, case-folded, ’ as ', spaces, hyphens and underscores removed."""
    return re.sub(r"[\s\-_]+", "", unicodedata.normalize("NFKC", text).casefold().replace("’", "'"))


@cache
def _lookup(name: str, section: str) -> dict[str, str]:
    """Folded label or alias -> key for the entries of ``section`` in data file ``name``."""
    index: dict[str, str] = {}
    for key, entry in load_data(name)[section].items():
        for spelling in (entry["label"], *entry.get("aliases", ())):
            if index.setdefault(_fold(spelling), key) != key:
                raise ValueError(f"{name}: {spelling!r} names both {index[_fold(spelling)]!r} and {key!r}")
    return index


def _hint(what: str, value: str, name: str) -> str:
    return f"unknown {what} {value!r}: add it (or an alias) to data/normalization/{name}"


# --- tuning strategies ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StrategyReading:
    raw: str
    strategies: tuple[str, ...]  # concept keys of the tuning-strategy scheme, in order of appearance, deduplicated
    warnings: tuple[str, ...] = ()


_STRATEGY_SEPARATOR = re.compile(r"\s*(?:[/+&,]|\band\b)\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _strategy_spellings() -> dict[str, tuple[str, ...]]:
    spellings = load_data(STRATEGIES_FILE)["spellings"]
    return {_fold(text): tuple(keys) if isinstance(keys, list) else (keys,) for text, keys in spellings.items()}


@lru_cache(maxsize=1 << 16)  # pure, and asked again for every row that repeats a value
def parse_strategy(raw: str) -> StrategyReading:
    """The tuning-strategy concepts of an "LLM Tuning Strategy" cell ("Frozen/ Full Finetuning" -> both).

    A cell that is itself a listed spelling ("N/A") is not split.
    """
    text = repair_text(raw)
    parts = [text] if _fold(text) in _strategy_spellings() else _STRATEGY_SEPARATOR.split(text)
    strategies: list[str] = []
    warnings: list[str] = []
    for part in filter(None, parts):
        keys = _strategy_spellings().get(_fold(part))
        if keys is None:
            keys = ("unknown",)
            warnings.append(_hint("tuning strategy", part, STRATEGIES_FILE))
        strategies += [key for key in keys if key not in strategies]
    return StrategyReading(raw, tuple(strategies), tuple(warnings))


# --- backbone models --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackboneMention:
    raw: str  # the text of this one mention as written
    model_key: str  # canonical model slug: 'chatglm-6b', 'gpt-3.5', 'llama2-7b', 'text-embedding-ada-002'
    label: str  # canonical display label: 'ChatGLM-6B', 'GPT-3.5'
    family_key: str  # 'chatglm', 'gpt', 'llama', ...
    family_label: str
    size: str | None  # '6B', '110M', '1.1B', '8x22B'; None when the cell gives none
    size_billions: Decimal | None  # Decimal('6'), Decimal('0.11'), Decimal('176') for '8x22B'
    strategy: str | None  # from the awesome list's marks: '(F)' -> 'tuned', '(N)' -> 'frozen', no mark -> None
    warnings: tuple[str, ...] = ()
    api_only: bool = False  # a closed model reached only through its vendor's API (backbones.yaml `api_only`)


_MARKS = {"F": "tuned", "N": "frozen"}
_MARK = re.compile(r"\s*\(\s*([FN])\s*\)$")
_SIZE = r"\d+(?:\.\d+)?(?:\s*[x*×]\s*\d+(?:\.\d+)?)?\s*[BbMm]"
_PAREN_SIZE = re.compile(rf"\s*\(\s*({_SIZE})\s*\)$")
_NAME_SIZE = re.compile(rf"^(?P<name>.+?)[-\s]*(?P<size>{_SIZE})$")
_BACKBONE_SEPARATOR = re.compile(r"\s*(\+|/(?!\d)|&|,)\s*")  # '/' before a digit is part of a name: CLIP-B/32
_BR = r"\s*<br\s*/?>\s*"


def _backbone_text(raw: str) -> str:
    """The repaired cell, each <br /> read as a '/' between mentions unless it only precedes a "(size)"
    ("Llama2 <br />(7B)") or follows a separator ("ChatGPT+<br />ChatGLM (6B)"); "（8B）" made ASCII by NFKC."""
    text = re.sub(rf"{_BR}(?=[(（])|(?<=[+/&,]){_BR}", " ", raw, flags=re.IGNORECASE)
    text = re.sub(_BR, " / ", text, flags=re.IGNORECASE)
    return unicodedata.normalize("NFKC", repair_text(text))


def _size(text: str) -> tuple[str, Decimal]:
    """'8*22B' -> ('8x22B', Decimal('176')); '110m' -> ('110M', Decimal('0.11'))."""
    text = re.sub(r"\s+", "", text).replace("*", "x").replace("×", "x")
    number, unit = text[:-1], text[-1].upper()
    billions = Decimal(1)
    for factor in number.split("x"):
        billions *= Decimal(factor)
    return number + unit, billions / 1000 if unit == "M" else billions


def _split_mark(member: str) -> tuple[str, str | None]:
    """'LLaMA-7B (F)' -> ('LLaMA-7B', 'F')."""
    match = _MARK.search(member)
    return (member[: match.start()].strip(), match[1]) if match else (member.strip(), None)


def _mention(written: str, group_mark: str | None) -> BackboneMention:
    """One mention: mark, size ("(7B)" or a name ending in "-7B"), then the model looked up by its name."""
    data, models = load_data(BACKBONES_FILE), _lookup(BACKBONES_FILE, "models")
    name, mark = _split_mark(written)
    size, warnings = None, []
    if match := _PAREN_SIZE.search(name):
        name, size = name[: match.start()].strip(), _size(match[1])
    key = models.get(_fold(name))
    if key is None and (match := _NAME_SIZE.match(name)):  # "LLaMA-7B": the size ends the name
        name_size = _size(match["size"])
        if size and size != name_size:
            warnings.append(f"backbone {written!r} gives sizes {name_size[0]} and {size[0]}; kept {name_size[0]}")
        name, size = match["name"], name_size
        key = models.get(_fold(name))
    if key is None:
        key = family = slugify(name) or "unnamed-model"
        entry, family_label = {"label": name}, name
        warnings.append(_hint("backbone model", name, BACKBONES_FILE))
    else:
        entry = data["models"][key]
        family, family_label = entry["family"], data["families"][entry["family"]]
    model_key, label = key, entry["label"]
    if size and not entry.get("fixed_size"):
        model_key, label = f"{key}-{size[0].lower()}", f"{label}-{size[0]}"
    return BackboneMention(
        raw=written,
        model_key=model_key,
        label=label,
        family_key=family,
        family_label=family_label,
        size=size[0] if size else None,
        size_billions=size[1] if size else None,
        strategy=_MARKS.get(mark or group_mark or ""),
        warnings=tuple(warnings),
        api_only=bool(entry.get("api_only")),
    )


@lru_cache(maxsize=1 << 16)  # pure, and asked again for every row that repeats a value
def parse_backbones(raw: str) -> tuple[BackboneMention, ...]:
    """The backbone mentions of an "LLM Backbone (Largest)" (zh list) or "Foundation Model" (awesome list) cell.

    Mentions are separated by '/', '+', '&', ',' and line breaks. Members joined by '+' form a group: a (F)/(N)
    mark after the group's last member applies to every member of the group written without a mark of its own
    ("GPT-3.5 + text-embedding-ada-002 (N)" -> both frozen). Any other separator ends the group, so in
    "GPT-3.5 (N) / ChatGLM2 (N)" each mention keeps its own mark. "unknown" and "N/A" mean none given.
    """
    not_given = {"", *(_fold(value) for value in load_data(BACKBONES_FILE)["not_given"])}
    text = _backbone_text(raw)
    if _fold(text) in not_given:  # before splitting: "N/A"
        return ()
    pieces = _BACKBONE_SEPARATOR.split(text)
    groups = [[pieces[0]]]
    for separator, member in zip(pieces[1::2], pieces[2::2], strict=False):
        if separator == "+":
            groups[-1].append(member)
        else:
            groups.append([member])
    mentions: list[BackboneMention] = []
    for group in groups:
        members = [member for member in group if _fold(_split_mark(member)[0]) not in not_given]
        group_mark = _split_mark(members[-1])[1] if members else None
        mentions += [_mention(member, group_mark) for member in members]
    return tuple(mentions)


# --- venues -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VenueReading:
    raw: str
    venue_key: str | None  # 'www', 'sigir', 'arxiv', 'wwwj' (World Wide Web journal), 'sigir-workshop', ...
    venue_label: str | None  # 'WWW', 'SIGIR', 'arXiv', 'World Wide Web Journal', ...
    venue_kind: str | None  # 'conference' | 'journal' | 'workshop' | 'preprint' | 'symposium'
    year: int | None
    month: int | None  # only from the awesome list's dates ('2023.6')
    note: str | None  # 'Spotlight', 'Best Paper', 'Findings', 'Doctoral Symposium', ...
    warnings: tuple[str, ...] = ()


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_DATE = re.compile(r"^(\d{4})\.(\d{1,2})\s*(?:/\s*|$)")  # '2023.6 / '
_SHORT_YEAR = re.compile(r"\s*['’‘](\d{2})$")  # "WWWJ'24"


def _venue(raw: str, name: str, year: int | None, month: int | None = None, note: str = "") -> VenueReading:
    """The reading of a venue name already split from its year, month and note."""
    warnings = []
    if month is not None and not 1 <= month <= 12:
        warnings.append(f"month {month} in {raw!r} is not a month; ignored")
        month = None
    if not name:
        return VenueReading(raw, None, None, None, year, month, note or None, tuple(warnings))
    key = _lookup(VENUES_FILE, "venues").get(_fold(name))
    if key is None:
        warnings.append(_hint("venue", name, VENUES_FILE))
        return VenueReading(raw, slugify(name) or None, name, None, year, month, note or None, tuple(warnings))
    entry = load_data(VENUES_FILE)["venues"][key]
    note = note or entry.get("note", "")
    return VenueReading(raw, key, entry["label"], entry["kind"], year, month, note or None, tuple(warnings))


@lru_cache(maxsize=1 << 16)  # pure, and asked again for every row that repeats a value
def parse_publication(raw: str) -> VenueReading:
    """A zh-list "Publication" cell: the venue before the year, the year, and a note after it
    ('ICLR 2024<br />Spotlight' -> iclr, 2024, 'Spotlight'; 'IEEE Access' -> no year)."""
    text = repair_text(raw)
    if year := _YEAR.search(text):
        return _venue(raw, text[: year.start()].strip(), int(year[0]), note=text[year.end() :].strip())
    return _venue(raw, text, None)


@lru_cache(maxsize=1 << 16)  # pure, and asked again for every row that repeats a value
def parse_date_venue(raw: str) -> VenueReading:
    """An awesome-list "Date / Venue" cell ("2023.6 / WWWJ'24").

    The year is the venue's ('24 -> 2024), else the date's; the month is the date's (when the list first dated
    the paper, often as a preprint), kept even when the venue's year differs.
    """
    text = repair_text(raw)
    date = _DATE.match(text)
    venue = text[date.end() :] if date else text
    year = int(date[1]) if date else None
    if short_year := _SHORT_YEAR.search(venue):
        venue, year = venue[: short_year.start()], 2000 + int(short_year[1])
    return _venue(raw, venue.strip(), year, int(date[2]) if date else None)


# --- organizations ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organization:
    key: str
    label: str
    parent: str | None
    kind: str  # 'company' | 'institution' | 'lab'
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def organizations() -> tuple[Organization, ...]:
    """The whole curated catalogue of organizations, sorted by key."""
    entries = load_data(ORGANIZATIONS_FILE)["organizations"]
    return tuple(
        Organization(key, entry["label"], entry.get("parent"), entry["kind"], tuple(entry.get("aliases", ())))
        for key, entry in sorted(entries.items())
    )


def ancestors(key: str) -> tuple[str, ...]:
    """The keys of the organizations ``key`` is part of, nearest first (stops at a cycle instead of looping)."""
    parents = {organization.key: organization.parent for organization in organizations()}
    chain: list[str] = []
    parent = parents.get(key)
    while parent and parent not in chain:
        chain.append(parent)
        parent = parents.get(parent)
    return tuple(chain)


def parse_organizations(raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """-> (organization keys as listed, warnings) for a "Company" or "Institution" cell, split on ',' and ';'.

    A name written right after one of its parts only qualifies it and is dropped: "Taobao, Alibaba" ->
    ('taobao',), "WeChat, Tencent" -> ('wechat',) (and so on up a longer chain). Written anywhere else, a parent
    names affiliations of its own and is kept: in "Linkdin, Amazon, Tiktok, Rutgers, Microsoft" the Microsoft
    authors are not the LinkedIn ones. Repeated names are kept once. Unknown names get a slug key and a warning.
    """
    keys: list[str] = []
    warnings: list[str] = []
    previous = None
    for name in filter(None, re.split(r"\s*[,;]\s*", repair_text(raw))):
        key = _lookup(ORGANIZATIONS_FILE, "organizations").get(_fold(name))
        if key is None:
            key = slugify(name) or "unnamed-organization"
            warnings.append(_hint("organization", name, ORGANIZATIONS_FILE))
        if key not in keys and not (previous and key in ancestors(previous)):
            keys.append(key)
        previous = key
    return tuple(keys), tuple(warnings)


# --- method names -----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _products() -> frozenset[str]:
    return frozenset(_fold(name) for name in load_data(EXCLUSIONS_FILE)["products"])


@lru_cache(maxsize=1 << 16)  # pure, and asked again for every row that repeats a value
def method_name_is_product(name: str) -> bool:
    """True when a Name/Model cell names a backbone or product ('ChatGPT✅', 'GPT-4', 'LLaMA') rather than the
    paper's method, as listed in data/normalization/method-name-exclusions.yaml."""
    return _fold(repair_text(name)) in _products()


# --- taxonomy headings that state a strategy --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _section_strategies() -> dict[str, str]:
    """Folded heading label -> tuning-strategy key (section-strategies.yaml); an unknown key is an error."""
    known = load_data(STRATEGIES_FILE)["concepts"]
    table: dict[str, str] = {}
    for heading, key in (load_data(SECTION_STRATEGIES_FILE).get("headings") or {}).items():
        if key not in known:
            raise ValueError(
                f"{SECTION_STRATEGIES_FILE}: {heading!r} names {key!r}, not a strategy of {STRATEGIES_FILE}"
            )
        table[_fold(heading)] = key
    return table


def section_strategy(label: str) -> str | None:
    """The tuning strategy a taxonomy heading states ("Naive Fine-Tuning" -> 'tuned'), or None."""
    return _section_strategies().get(_fold(label))
