"""Synthetic source lists of the real lists' shape at k times their size, for benchmarks and scale tests.

Why clone the seed lists instead of inventing papers: the graph's shape (papers per list, entries per paper,
backbone usages and their strategies, the same paper in several lists saying different things, taxonomy depth,
organizations, malformed rows) is what makes the pipeline slow or fast, and it is hard to describe but easy to
copy. Every entry of every list (table row, list item, Semantic Scholar paper block) is written k times, in place:
copy 0 is the original, copy c gets identifiers and names of its own. The rewriting is a function of (original
value, c) applied the same way in every list, so the copies of one paper still meet across lists exactly where
the originals do, and stay apart from every other copy:

- identifiers in links: arXiv ids get a fresh number in the same month, DOIs, IEEE, AAAI, ACL Anthology,
  OpenReview and Semantic Scholar ids (paper, corpus, author) a suffix or a derived hash, GitHub repositories a
  suffix on their name; other links stay as written (they identify nothing);
- titles and names (title, name, model, dataset, benchmark and repository columns; list-item and block titles):
  every word is replaced by a made-up word drawn from a hash of (word, c), in the word's case pattern and a
  little longer; stop words, "survey"/"review" (they make a paper a Survey) and product names (ChatGPT) stay,
  and a name with nothing to replace ('P5') gets a mark of the copy;
- everything else (backbones, strategies, venues, companies, facets, prose) stays as written, so the vocabulary
  does not grow with the papers, as in a real field.

The list's own rows (the "Ours" row, the Semantic Scholar page's own record) and rejected rows are not copied.
The curated decisions (data/curation) are copied the same way, so copies resolve like their originals. The
output is a sources directory (manifest + lists in the original formats) the normal build reads, readers
included. Same seed and scale, same bytes.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from recsys_kg.ingest import load_manifest
from recsys_kg.ingest import records as R
from recsys_kg.ingest.base import READERS, SourceSpec, decode_source
from recsys_kg.ingest.common import header_key
from recsys_kg.ingest.markdown_doc import Document, parse_document
from recsys_kg.ingest.pedigree import record_checksums
from recsys_kg.normalize.identifiers import parse_link
from recsys_kg.normalize.values import method_name_is_product
from recsys_kg.resolve.curated import DIFFERENT_FILE, SAME_FILE, load_decisions

MAX_SCALE = 1000  # copy numbers (1 to scale - 1) are written with three digits
RENAMED_COLUMNS = frozenset({"paper", "model/paper", "name", "model", "dataset", "benchmarks", "repo name"})
_KEEP = frozenset(
    {
        "an",
        "as",
        "at",
        "by",
        "in",
        "is",
        "of",
        "on",
        "or",
        "to",
        "vs",
        "the",
        "and",
        "for",
        "with",
        "from",
        "via",
        "into",
        "its",
        "are",
        "not",
        "can",
        "how",
        "what",
        "when",
        "who",
        "why",
        "survey",
        "surveys",
        "review",
        "reviews",
    }
)
_URL = re.compile(r"https?://(?:[^\s()<>\]|\\]|\([^\s()<>]*\))+")
_PROTECTED = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*\)|https?://\S+|<[^<>]*>|&#?\w+;")
_WORD = re.compile(r"[A-Za-z]{2,}")
_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.+-]*[A-Za-z0-9])?")
_PIPE = re.compile(r"(?<!\\)\|")
_ORDERED = re.compile(r"^(\s*)(\d+)([.)]\s)")
_MODERN_ARXIV = re.compile(r"(\d{4})\.(\d{4,5})")
_S2_AUTHOR = re.compile(r"(/author/[^/\s)]+/)(\d+)")
_CONSONANTS, _VOWELS = "bcdfghjklmnprstvz", "aeiou"
_FIRST_SYNTHETIC_ARXIV = 50000  # arXiv numbers above this are far beyond any month of the seed lists


class ScaleError(ValueError):
    """The seed cannot be scaled as asked (too many copies for the identifier space)."""


def _digest(*parts: object) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode("utf-8")).hexdigest()


@cache
def _kept(lower: str) -> bool:
    """Stop words, 'survey' (it makes a paper a Survey) and product names ('chatgpt': never a method name)."""
    return lower in _KEEP or method_name_is_product(lower)


@lru_cache(maxsize=1 << 20)
def _pseudo_word(c: int, word: str, length: int) -> str:
    """A pronounceable lower-case word of ``length`` letters drawn from a hash of (copy, word)."""
    number, letters = int(_digest(c, word), 16), list[str]()
    while len(letters) < length:
        number, k = divmod(number, len(_CONSONANTS) * len(_VOWELS))
        letters += [_CONSONANTS[k // len(_VOWELS)], _VOWELS[k % len(_VOWELS)]]
    return "".join(letters[:length])


@dataclass(frozen=True)
class Seed:
    """The seed lists, parsed once: what each copy is made from."""

    directory: Path
    specs: tuple[SourceSpec, ...]
    texts: dict[str, str]  # source id -> file text
    units: dict[str, list[tuple[int, int, str, frozenset[int]]]]  # source id -> (first, last line, kind, renamed cols)
    numbered: dict[str, set[int]]  # source id -> lines of ordered-list items
    arxiv_slots: dict[str, tuple[str, int]]  # seed arXiv id -> (month 'YYMM', index within the month)
    month_size: int


def _units(spec: SourceSpec, doc: Document) -> list[tuple[int, int, str, frozenset[int]]]:
    """The copyable parts of one list: (first line, last line, 'row'|'item'|'para', table columns to rename)."""
    rows = {row.line: table for table in doc.tables for row in table.rows}
    items = {item.line for item in doc.items}
    units = []
    for record in READERS[spec.reader](spec, doc):
        if not isinstance(record, R.Entry) or R.SELF in record.fields or record.kind == R.BIBLIOGRAPHIC_RECORD:
            continue
        last = record.end_line or record.line
        if record.line in rows:
            headers = rows[record.line].headers
            columns = frozenset(k for k, h in enumerate(headers) if header_key(h) in RENAMED_COLUMNS)
            units.append((record.line, last, "row", columns))
        else:
            units.append((record.line, last, "item" if record.line in items else "para", frozenset()))
    return sorted(units)


def load_seed(sources_dir: Path, curation_dir: Path) -> Seed:
    """Parse the seed lists with the project's own readers; raises SourceError for an unreadable list."""
    specs = load_manifest(sources_dir)
    texts, units, numbered, arxiv = {}, {}, {}, set[str]()
    for spec in specs:
        text = decode_source(sources_dir / spec.file)
        doc = parse_document(text)
        texts[spec.id], units[spec.id] = text, _units(spec, doc)
        numbered[spec.id] = {item.line for item in doc.items if item.number is not None}
        arxiv.update(ids.arxiv for url in _URL.findall(text) if (ids := parse_link(url)).arxiv)
    for name in (SAME_FILE, DIFFERENT_FILE):
        for decision in load_decisions(curation_dir / name):
            arxiv.update(
                ref.split(":", 1)[1].split("v")[0]
                for ref in (decision.left, decision.right)
                if ref.lower().startswith("arxiv:")
            )
    months: dict[str, list[str]] = defaultdict(list)
    for arxiv_id in sorted(arxiv):
        digits = re.sub(r"\D", "", arxiv_id)
        months[digits[:4]].append(arxiv_id)
    slots = {a: (month, n) for month, ids in months.items() for n, a in enumerate(ids)}
    return Seed(sources_dir, specs, texts, units, numbered, slots, max(map(len, months.values()), default=1))


class Copy:
    """The rewriting of one copy number ``c`` (>= 1): identifiers, URLs, words."""

    def __init__(self, seed: Seed, c: int):
        self.seed, self.c = seed, c
        self.tag = f"{c:03d}"
        self.mark = _pseudo_word(c, "", 4)

    def arxiv(self, arxiv_id: str) -> str:
        month, index = self.seed.arxiv_slots[arxiv_id]
        number = _FIRST_SYNTHETIC_ARXIV + (self.c - 1) * self.seed.month_size + index
        return f"{month}.{number:05d}"

    def word(self, word: str) -> str:
        """A made-up word for this copy in the word's case pattern. It depends on the lower-case form only, so
        spellings that differ in case ('LLMRec' / 'LLMREC') stay equal after normalization, and it is a little
        longer than the word, so two words (and so two titles or names) meet by chance almost never."""
        new = _pseudo_word(self.c, word.lower(), max(6, len(word) + 2))
        if word.isupper():
            return new.upper()
        capitals = [k for k, ch in enumerate(word) if ch.isupper()]
        if len(capitals) >= 2 or (capitals and capitals[0] > 0):  # 'RecGPT', 'iPhone': keep an inner capital
            k = min(capitals[1] if len(capitals) >= 2 else capitals[0], len(new) - 1)
            new = new[:k] + new[k].upper() + new[k + 1 :]
        return new[0].upper() + new[1:] if word[0].isupper() else new

    def words(self, text: str) -> str:
        """Every word outside link targets, bare URLs, HTML tags and entities replaced (see :meth:`token`)."""
        out, pos = [], 0
        for match in _PROTECTED.finditer(text):
            out += [_TOKEN.sub(self.token, text[pos : match.start()]), match.group()]
            pos = match.end()
        out.append(_TOKEN.sub(self.token, text[pos:]))
        return "".join(out)

    def token(self, match: re.Match) -> str:
        """One token ('LLaMA-E', 'GPT4Rec', 'P5'): kept whole when it is a stop word or a product name, else each
        word in it replaced; a name with no word to replace ('P5') gets the copy's mark, so copies differ."""
        token = match.group()
        if _kept(token.lower()):
            return token
        new = _WORD.sub(lambda m: m.group() if m.group().lower() in _KEEP else self.word(m.group()), token)
        if new == token and any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token):
            new = token + self.mark
        return new

    def url(self, url: str) -> str:
        ids = parse_link(url)
        t = self.tag
        if ids.arxiv:
            new = self.arxiv(ids.arxiv)
            return url.replace(ids.arxiv, new) if ids.arxiv in url else f"https://arxiv.org/abs/{new}"
        if ids.doi:
            start = unquote(url).lower().find(ids.doi)
            if start < 0 or unquote(url) != url:
                return f"https://doi.org/{ids.doi}-c{t}"
            end = start + len(ids.doi)
            return f"{url[:end]}-c{t}{url[end:]}"
        if ids.semantic_scholar:
            return re.sub(ids.semantic_scholar, _digest("s2", self.c, ids.semantic_scholar), url, flags=re.IGNORECASE)
        if ids.github:
            parts = urlsplit(url)
            segments = parts.path.split("/")
            name, git = (segments[2][:-4], ".git") if segments[2].endswith(".git") else (segments[2], "")
            segments[2] = f"{name}-c{t}{git}"
            return parts._replace(path="/".join(segments)).geturl()
        for value in (ids.corpus_id, ids.openreview, ids.acl_anthology, ids.ieee, ids.aaai):
            if value:
                return url.replace(value, value + t, 1)
        return _S2_AUTHOR.sub(lambda m: m.group(1) + m.group(2) + t, url)

    def urls(self, text: str) -> str:
        return _URL.sub(lambda m: self.url(m.group()), text)

    def ref(self, ref: str) -> str:
        """A curation reference ('arxiv:2308.10835', 'title:...') as it reads for this copy."""
        prefix, _, value = ref.partition(":")
        kind = prefix.strip().lower()
        if kind == "arxiv":
            return f"{prefix}:{self.arxiv(value.strip().split('v')[0])}"
        if kind == "title":
            return f"{prefix}:{self.words(value)}"
        if kind == "doi":
            return f"{prefix}:{value.strip()}-c{self.tag}"
        if kind == "s2":
            return f"{prefix}:{_digest('s2', self.c, value.strip().lower())}"
        return f"{prefix}:{value.strip()}{self.tag}"

    def row(self, line: str, columns: frozenset[int]) -> str:
        parts = _PIPE.split(line)
        offset = 1 if line.lstrip().startswith("|") else 0
        for k in range(len(parts)):
            parts[k] = self.words(parts[k]) if k - offset in columns else parts[k]
        return self.urls("|".join(parts))


def _renumber(line: str, c: int, scale: int) -> str:
    """Ordered items keep consecutive numbers when each is followed by its copies."""
    m = _ORDERED.match(line)
    return line if not m else f"{m.group(1)}{(int(m.group(2)) - 1) * scale + c + 1}{m.group(3)}{line[m.end() :]}"


def scale_list(seed: Seed, source_id: str, copies: list[Copy]) -> str:
    """One list with each copyable part followed by its copies (copy 1, 2, ...)."""
    lines = seed.texts[source_id].split("\n")
    units = {first: (last, kind, columns) for first, last, kind, columns in seed.units[source_id]}
    scale = len(copies) + 1
    out: list[str] = []
    n = 1
    while n <= len(lines):
        if n not in units:
            out.append(lines[n - 1])
            n += 1
            continue
        last, kind, columns = units[n]
        block = lines[n - 1 : last]
        numbered = n in seed.numbered[source_id]
        out += [_renumber(block[0], 0, scale) if numbered else block[0], *block[1:]]
        for copy in copies:
            if kind == "row":
                out.append(copy.row(block[0], columns))
            elif kind == "item":
                first = copy.urls(copy.words(block[0]))
                out += [_renumber(first, copy.c, scale) if numbered else first, *map(copy.urls, block[1:])]
            else:  # a paragraph or a page block: its first paragraph is its title
                out += ([""] if block[-1].strip() else []) + [copy.urls(copy.words(block[0]))]
                out += [copy.urls(text) for text in block[1:]]
        n = last + 1
    return "\n".join(out)


def scale_decisions(curation_dir: Path, name: str, copies: list[Copy]) -> str:
    """A curation file with each decision followed by its copies."""
    items = []
    for decision in load_decisions(curation_dir / name):
        base = {
            "left": decision.left,
            "right": decision.right,
            "reason": decision.reason,
            "checked_by": decision.checked_by,
        }
        items.append(base)
        for copy in copies:
            items.append(
                {
                    **base,
                    "left": copy.ref(decision.left),
                    "right": copy.ref(decision.right),
                    "checked_by": f"synthetic copy {copy.c} of the decision at {decision.file}:{decision.line}",
                }
            )
    header = f"# Synthetic: data/curation/{name} scaled {len(copies) + 1}x by recsys_kg.tools.synthetic. Do not edit.\n"
    return header + (yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=120) if items else "")


@dataclass(frozen=True)
class Synthesized:
    sources_dir: Path
    curation_dir: Path
    files: tuple[Path, ...]


def synthesize(out_dir: Path, scale: int, sources_dir: Path, curation_dir: Path) -> Synthesized:
    """Write ``out_dir/sources`` (manifest + lists) and ``out_dir/curation`` at ``scale`` times the seed."""
    if not 1 <= scale <= MAX_SCALE:
        raise ScaleError(f"scale must be between 1 and {MAX_SCALE}, not {scale}")
    seed = load_seed(sources_dir, curation_dir)
    if _FIRST_SYNTHETIC_ARXIV + (scale - 1) * seed.month_size >= 100000:
        raise ScaleError(f"scale {scale} needs more than 5-digit arXiv numbers for {seed.month_size} ids of one month")
    clash = [
        a for a in seed.arxiv_slots if (m := _MODERN_ARXIV.fullmatch(a)) and int(m.group(2)) >= _FIRST_SYNTHETIC_ARXIV
    ]
    if clash and scale > 1:
        raise ScaleError(f"seed arXiv ids {clash[:3]} fall in the range synthetic copies use")
    sources, curation = out_dir / "sources", out_dir / "curation"
    for directory in (sources, curation):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    copies = [Copy(seed, c) for c in range(1, scale)]
    files = [sources / "manifest.yaml"]
    shutil.copyfile(sources_dir / "manifest.yaml", files[0])
    for spec in seed.specs:
        files.append(sources / spec.file)
        files[-1].write_text(scale_list(seed, spec.id, copies), encoding="utf-8")
    record_checksums(sources)  # the synthetic lists are a version of their own
    for name in (SAME_FILE, DIFFERENT_FILE):
        files.append(curation / name)
        files[-1].write_text(scale_decisions(curation_dir, name, copies), encoding="utf-8")
    return Synthesized(sources, curation, tuple(files))
