"""Text repair and slugs shared by readers, normalization and IRI minting.

Two needs, two functions. Text the graph *keeps* (titles, summaries, highlights, headings) must read as the
source wrote it: :func:`fix_mojibake` repairs only what is broken (mis-encoded characters such as "â€“" where an
en dash was meant) and leaves curly quotes, full-width punctuation (``，（）``), ligatures and runs of spaces
alone. Text that is only *looked up* in a curated table (a backbone, a strategy, a venue) is folded further by
:func:`repair_text`: HTML tags removed, entities decoded, ✅ marks dropped, white space folded.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SPACE = re.compile(r"\s+")
_MARKS = "✅✔☑"


def _ftfy():
    """ftfy, imported when first needed: its import (0.1 s) is most of what `recsys-kg validate FILE` on an ASCII
    contribution would otherwise spend on text repair."""
    import ftfy

    return ftfy


@lru_cache(maxsize=1 << 16)
def fix_mojibake(text: str) -> str:
    """``text`` with mis-encoded characters repaired and nothing else changed.

    ftfy runs with the fixes that alter correct text turned off: quotes stay curly, full-width characters stay
    full-width, ligatures stay. Printable ASCII without '&' skips ftfy, which has nothing to fix there.
    """
    if text.isascii() and text.isprintable() and "&" not in text:
        return text
    return _ftfy().fix_text(
        text,
        normalization="NFC",
        uncurl_quotes=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        unescape_html=False,
    )


def repair_kinds(raw: str) -> tuple[str, ...]:
    """The kinds of repair :func:`fix_mojibake` makes to ``raw`` (for the build report): ("mojibake",) or ()."""
    return ("mojibake",) if fix_mojibake(raw) != raw else ()


@lru_cache(maxsize=1 << 16)
def repair_text(raw: str) -> str:
    """Plain, folded text of a markdown/HTML cell, for lookups in the curated tables and for keys.

    Mojibake fixed, ``<br />`` becomes a space (it separates parts of one value in these lists), other tags
    removed, entities decoded, ✅ marks removed, white space folded. Not for text the graph keeps as written.
    """
    text = fix_mojibake(raw)
    text = _BR.sub(" ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = text.translate({ord(c): None for c in _MARKS})
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=1 << 16)
def slugify(text: str, max_length: int = 80) -> str:
    """A lowercase ASCII slug (``[a-z0-9-]``) for IRIs; stable for the same input.

    Non-ASCII letters are transliterated where Unicode decomposition allows; what remains is dropped. Returns
    an empty string when nothing is left (callers then fall back to a hash).
    """
    text = unicodedata.normalize("NFKD", repair_text(text)).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ").replace("+", " plus ")
    slug = re.sub(r"[^a-z0-9.]+", "-", text).strip("-.")
    slug = re.sub(r"-{2,}", "-", slug)
    return slug[:max_length].rstrip("-.")
