"""Persistent identifiers from paper links, and matching keys for paper titles.

The five source lists point at the same paper in many ways: arXiv abstract or PDF pages (with or without a
version), DOIs behind ACM, Springer or doi.org links, OpenReview forums, Semantic Scholar pages, GitHub
repositories, ACL Anthology, IEEE Xplore and AAAI pages. Merging their entries into one paper node needs the
identifier behind each link, written one canonical way, and a title key that survives the lists' differences in
case, quoting, punctuation and mis-encoded characters. Links are only parsed here, never fetched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

from recsys_kg.text import repair_text


@dataclass(frozen=True)
class LinkIds:
    """The identifiers one link names, so entries from different lists can be merged on them.

    ``kind`` says which identifier the link is chiefly about: 'arxiv', 'doi', 'openreview', 'semantic-scholar',
    'github', 'acl-anthology', 'ieee', 'aaai' or 'other'. An arXiv DOI (10.48550/arXiv.N) sets both ``arxiv`` and
    ``doi`` and counts as 'arxiv'.
    """

    url: str
    arxiv: str | None = None
    arxiv_version: str | None = None
    doi: str | None = None
    openreview: str | None = None
    semantic_scholar: str | None = None
    github: str | None = None
    acl_anthology: str | None = None
    ieee: str | None = None
    aaai: str | None = None
    kind: str = "other"
    corpus_id: str | None = None  # Semantic Scholar CorpusID (api.semanticscholar.org/CorpusID:N); kind stays 'other'


@dataclass(frozen=True)
class IdField:
    """One kind of persistent paper identifier, with every name the code gives it."""

    name: str  # attribute of LinkIds, of resolution's EntryIds and PaperIdentity
    prefix: str  # prefix of a curated reference or an anchor ('arxiv:2308.10835', 's2:<id>') and of a paper key
    property: str  # local name of the rkg: property that states it on a paper
    rule: str  # the merge rule entries sharing it are joined by


# The one list of identifier kinds, in the order resolution's merge rules run; each one names a paper on its own.
ID_FIELDS = (
    IdField("arxiv", "arxiv", "arxivId", "same arXiv id"),
    IdField("doi", "doi", "doi", "same DOI"),
    IdField("semantic_scholar", "s2", "semanticScholarId", "same Semantic Scholar id"),
    IdField("corpus_id", "corpus", "corpusId", "same Semantic Scholar corpus id"),
    IdField("openreview", "openreview", "openReviewId", "same OpenReview id"),
    IdField("acl_anthology", "acl", "aclAnthologyId", "same ACL Anthology id"),
    IdField("ieee", "ieee", "ieeeDocumentId", "same IEEE Xplore id"),
    IdField("aaai", "aaai", "aaaiArticleId", "same AAAI id"),
)
ID_FIELD_NAMES = tuple(f.name for f in ID_FIELDS)


_ARXIV_ID = re.compile(
    r"(?P<id>\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})"
    r"(?P<version>v\d+)?",
    re.ASCII,
)
_ARXIV_TEXT = re.compile(r"(?:arxiv:\s*|abs/|pdf/)?" + _ARXIV_ID.pattern + r"(?:\.pdf)?/?", re.ASCII | re.IGNORECASE)
_ARXIV_PATH = re.compile(r"/(?:abs|pdf|html)/" + _ARXIV_ID.pattern + r"(?![\w-])", re.ASCII)
_ARXIV_DOI_PREFIX = "10.48550/arxiv."
_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")
_DOI_URL_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI_PATHS = {
    "doi.org": re.compile(r"/(10\..+)"),
    "dx.doi.org": re.compile(r"/(10\..+)"),
    "dl.acm.org": re.compile(r"/doi/(?:(?:abs|pdf|full|fullhtml|epdf)/)?(10\..+)", re.IGNORECASE),
    "link.springer.com": re.compile(r"/(?:chapter|article|content/pdf)/(10\..+)"),
}
_S2_PAPER = re.compile(r"/(?:paper|reader)/(?:[^/]+/)?([0-9a-fA-F]{40})(?:/|$)")
_S2_CORPUS = re.compile(r"/CorpusID:(\d+)", re.ASCII | re.IGNORECASE)
_GITHUB_REPO = re.compile(r"/([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]+)")
# First path segments of github.com that are site pages, not user or organisation names.
_GITHUB_RESERVED = {
    "about", "apps", "collections", "enterprise", "explore", "features", "login", "marketplace", "orgs",
    "pricing", "search", "settings", "sponsors", "topics", "trending", "users",
}  # fmt: skip
_ACL_ID = re.compile(r"/(\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+|[A-Z]\d{2}-\d{4})(?:\.pdf)?/?$", re.ASCII)
_IEEE_PATH = re.compile(r"/document/([0-9]+)")
_DIGITS = re.compile(r"[0-9]+")
_OPENREVIEW_ID = re.compile(r"[A-Za-z0-9_-]+")
_AAAI_PATH = re.compile(r"/article/(?:view|download)/([0-9]+)")


def normalize_doi(text: str) -> str | None:
    """One spelling per DOI (DOIs are case-insensitive), so links from ACM, Springer and doi.org compare equal."""
    text = _DOI_URL_PREFIX.sub("", unquote(text.strip())).rstrip("/").lower().removesuffix(".pdf")
    return text if _DOI.fullmatch(text) else None


def normalize_arxiv(text: str) -> tuple[str, str | None] | None:
    """The version-free arXiv id and the version, if any: every version of an e-print is the same paper."""
    match = _ARXIV_TEXT.fullmatch(text.strip())
    return (match["id"], match["version"]) if match else None


@lru_cache(maxsize=1 << 16)  # pure; the mapping and resolution parse every link
def parse_link(url: str) -> LinkIds:
    """The identifiers named by one link; unknown or malformed links give kind 'other' and never raise."""
    text = url.strip().strip("<>").strip() if isinstance(url, str) else ""
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return LinkIds(url=url)
    if parts.scheme.lower() not in ("http", "https"):
        return LinkIds(url=url)
    host = host.removeprefix("www.")
    path = unquote(parts.path)
    query = parse_qs(parts.query)

    if host in ("arxiv.org", "export.arxiv.org") and (match := _ARXIV_PATH.match(path)):
        return LinkIds(url=url, arxiv=match["id"], arxiv_version=match["version"], kind="arxiv")
    if host in _DOI_PATHS and (match := _DOI_PATHS[host].match(path)) and (doi := normalize_doi(match[1])):
        if doi.startswith(_ARXIV_DOI_PREFIX) and (arxiv := normalize_arxiv(doi[len(_ARXIV_DOI_PREFIX) :])):
            # An arXiv DOI names an arXiv e-print: keep both keys, class the link with arXiv links.
            return LinkIds(url=url, arxiv=arxiv[0], arxiv_version=arxiv[1], doi=doi, kind="arxiv")
        return LinkIds(url=url, doi=doi, kind="doi")
    forum = (query.get("id") or [""])[0].strip()
    if host == "openreview.net" and path.rstrip("/") in ("/forum", "/pdf") and _OPENREVIEW_ID.fullmatch(forum):
        return LinkIds(url=url, openreview=forum, kind="openreview")
    if host == "semanticscholar.org" and (match := _S2_PAPER.match(parts.path)):
        return LinkIds(url=url, semantic_scholar=match[1].lower(), kind="semantic-scholar")
    if host in ("semanticscholar.org", "api.semanticscholar.org") and (match := _S2_CORPUS.match(path)):
        return LinkIds(url=url, corpus_id=match[1])
    if host == "github.com" and (match := _GITHUB_REPO.match(path)) and match[1].lower() not in _GITHUB_RESERVED:
        repo = match[2].removesuffix(".git")
        if repo.strip("."):
            return LinkIds(url=url, github=f"{match[1]}/{repo}".lower(), kind="github")
    if host == "aclanthology.org" and (match := _ACL_ID.match(path)):
        return LinkIds(url=url, acl_anthology=match[1], kind="acl-anthology")
    if host == "ieeexplore.ieee.org":
        match = _IEEE_PATH.search(path)
        number = match[1] if match else (query.get("arnumber") or [""])[0].strip()
        if _DIGITS.fullmatch(number):
            return LinkIds(url=url, ieee=number, kind="ieee")
    if host == "ojs.aaai.org" and (match := _AAAI_PATH.search(path)):
        return LinkIds(url=url, aaai=match[1], kind="aaai")
    return LinkIds(url=url)


# Apostrophe-like marks, dropped inside words; every other punctuation mark or symbol (dashes, double quotes,
# colons ...) becomes a space.
_APOSTROPHES = dict.fromkeys(map(ord, "'‘’‛′`´"))
_ASCII_PUNCTUATION_AND_SYMBOLS = {c: " " for c in range(128) if unicodedata.category(chr(c))[0] in "PS"}


def normalize_title(title: str) -> str:
    """A key under which spellings of one title that differ only in case, punctuation, quotes, HTML or spacing meet.

    Any dash or quote counts as its ASCII form. Punctuation and symbols become spaces, except apostrophes and single
    quotes, which are dropped ("Noah's" -> "noahs"); that also removes the quotes the next-generation survey's
    tables put around titles.
    """
    return match_key(repair_text(title))


def match_key(text: str) -> str:
    """`normalize_title` of text that needs no repair (labels already in the graph): the same key, without
    loading the mojibake repair."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    if text.isascii():  # the same replacement, from a table (the loop below is most of the time spent here)
        text = text.translate(_ASCII_PUNCTUATION_AND_SYMBOLS)
    else:
        text = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text)
    return " ".join(text.split())


def title_variants(title: str) -> tuple[str, ...]:
    """Keys for a title, most specific first; adds the title without a short 'Name:' prefix.

    Lists write the same paper as "LLMESR: Large Language Models Enhancement ..." and as the bare descriptive
    title, so both keys are offered. A prefix longer than five words is part of the title, not a name.
    """
    keys = [normalize_title(title)]
    text = unicodedata.normalize("NFKC", repair_text(title))  # NFKC turns a full-width colon into ':'
    prefix, colon, rest = text.partition(":")
    if colon and 0 < len(prefix.split()) <= 5 and (rest_key := normalize_title(rest)):
        keys.append(rest_key)
    return tuple(dict.fromkeys(k for k in keys if k))
