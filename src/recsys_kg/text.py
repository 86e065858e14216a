"""Text repair and slugs shared by readers, normalization and IRI minting.

The lists carry mis-encoded characters ("â€“" where an en dash was meant), HTML inside cells (``<br />``,
``&amp;``), ✅ marks after names and irregular white space. ftfy repairs the mojibake; the rest is handled here so
every module cleans text the same way.
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
def repair_text(raw: str) -> str:
    """Plain, repaired text of a markdown/HTML cell: mojibake fixed, tags removed, entities decoded, spaces folded.

    ``<br />`` becomes a space (it separates parts of one value in these lists). ✅ marks are removed. Printable
    ASCII without '&' skips ftfy, which has nothing to fix there (no mojibake, controls or entities) and is slow.
    """
    text = raw if raw.isascii() and raw.isprintable() and "&" not in raw else _ftfy().fix_text(raw, normalization="NFC")
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
