"""Each shortcut the performance work (issue 7) put into the build path, checked against the slow path it replaced,
on every cell, item, paragraph and line of the seed lists and of a synthetic 3x copy, plus hand-made edge cases.

- markdown_doc: documents parsed without markdown-it's inline pass; inline_text / inline_links without the inline
  parser for plain text and simple links;
- text.repair_text: ftfy skipped for printable ASCII without '&';
- candidates.similar_titles: sorted tokens scored with ratio() and, for large inputs, a lossless histogram filter
  instead of token_sort_ratio over every pair.
"""

from __future__ import annotations

import random
import re
import string

import ftfy
import pytest
from rapidfuzz import fuzz, process

from recsys_kg import paths
from recsys_kg.ingest import markdown_doc as M
from recsys_kg.resolve.candidates import TITLE_SIMILARITY, similar_titles
from recsys_kg.text import fix_mojibake
from recsys_kg.tools.synthetic import synthesize

EDGE_CASES = [
    "a  b",
    "x\\*y",
    "<https://a.b/c> t",
    "&amp; x",
    "t~x~",
    "  lead trail  ",
    "a_b_c",
    "**b**",
    "`c`",
    "[](http://x)",
    "[a]()",
    "[a](javascript:alert(1))",
    "[a](http://x y)",
    "[a](<http://x>)",
    "[a [b] c](u)",
    "[[a]](u) [b](v)",
    "x [a](u) (y) [b](http://é.com/ü)",
    '[a](u "t")',
    "[a](u)(v)",
    "[a]",
    "[a] (u)",
    "[ü](http://x.org/a b)",
    "[a](HTTP://X)",
    "[a](data:x)",
    "[a](http://x?a=1&amp;b=2)",
    "[a](%zz)",
    "[a](http://x/%41)",
    "line\nbreak",
    "[a\nb](u)",
    "Noah\u2019s [Ark](u)",
    "â€“ [x](u)",
]


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> set[str]:
    """Every table cell, table line, list item, paragraph and line of the seed lists and of a 3x copy."""
    copy = tmp_path_factory.mktemp("synthetic-3x")
    synthesize(copy, 3, paths.sources_dir(), paths.curation_dir())
    found = set(EDGE_CASES)
    for directory in (paths.sources_dir(), copy / "sources"):
        for path in sorted(directory.glob("*.md")):
            text = path.read_text(encoding="utf-8")
            doc = M.parse_document(text)
            for table in doc.tables:
                found.update(table.headers)
                for row in table.rows:
                    found.update(cell.raw for cell in row.cells)
                    found.add(row.raw_line)
            found.update(item.raw for item in doc.items)
            found.update(p.raw for p in doc.paragraphs)
            found.update(text.split("\n"))
    return found


def _slow_inline(raw: str) -> tuple[str, tuple[M.Link, ...]]:
    """inline_text and inline_links by their definition, with markdown-it's inline parser on everything: visible
    text as written (text and code kept, line breaks and <br> a newline, other HTML dropped), only mojibake
    repaired, ends trimmed (issue 13: text kept as the source wrote it)."""
    parts, links = [], []
    for token in M._parser().parseInline(raw):
        children = token.children or []
        for i, child in enumerate(children):
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak") or (
                child.type == "html_inline" and re.fullmatch(r"<br\s*/?>", child.content, re.I)
            ):
                parts.append("\n")
            elif child.type == "link_open":
                inner = []
                for after in children[i + 1 :]:
                    if after.type == "link_close":
                        break
                    inner.append(after.content)
                links.append(M.Link(text=fix_mojibake("".join(inner)).strip(), url=str(child.attrGet("href") or "")))
    return fix_mojibake("".join(parts)).strip(), tuple(links)


def test_inline_shortcuts_match_the_inline_parser(texts: set[str]):
    wrong = [raw for raw in sorted(texts) if (M.inline_text(raw), M.inline_links(raw)) != _slow_inline(raw)]
    assert not wrong, wrong[:10]


def test_documents_parse_the_same_without_the_inline_pass():
    for path in sorted(paths.sources_dir().glob("*.md")):
        text = path.read_text(encoding="utf-8")
        tokens = M._parser().parse(text)
        fast = M._block_parser().parse(text)
        assert [(t.type, t.map, t.content, t.info, t.attrs) for t in tokens] == [
            (t.type, t.map, t.content, t.info, t.attrs) for t in fast
        ], path.name


def test_repair_text_skips_ftfy_only_where_ftfy_changes_nothing(texts: set[str]):
    rnd = random.Random(7)
    samples = set(texts) | {
        "".join(rnd.choice(string.printable) for _ in range(rnd.randint(1, 40))) for _ in range(20000)
    }
    skipped = [s for s in samples if s.isascii() and s.isprintable() and "&" not in s]
    assert skipped and all(ftfy.fix_text(s, normalization="NFC") == s for s in skipped)


def _slow_similar(titles: list[tuple[int, str]]) -> dict[tuple[int, int], float]:
    """candidates.find_candidates' title loop as it was: token_sort_ratio against every later title."""
    keys, similar = [key for _, key in titles], {}
    for n, (i, key) in enumerate(titles):
        for _, score, m in process.extract(
            key, keys[n + 1 :], scorer=fuzz.token_sort_ratio, score_cutoff=TITLE_SIMILARITY, limit=None
        ):
            j = titles[n + 1 + m][0]
            if i != j:
                similar[(min(i, j), max(i, j))] = max(similar.get((min(i, j), max(i, j)), 0.0), score)
    return similar


def test_similar_titles_finds_exactly_the_pairs_of_the_exhaustive_search():
    """900 titles through the histogram filter (which the build uses from 2,000 titles on), with planted
    near-duplicates and papers that have two titles."""
    rnd = random.Random(11)
    words = sorted(
        {
            w.lower()
            for p in paths.sources_dir().glob("*.md")
            for w in p.read_text(encoding="utf-8").split()
            if w.isalpha() and 2 < len(w) < 14
        }
    )
    titles = [
        (n // 3 if n % 5 == 0 else n, " ".join(rnd.choice(words) for _ in range(rnd.randint(4, 14))))
        for n in range(800)
    ]
    for n in range(0, 800, 8):  # a near-duplicate: one word changed or dropped, or two swapped
        tokens = titles[n][1].split()
        k = rnd.randrange(len(tokens))
        tokens[k] = rnd.choice([rnd.choice(words), tokens[k] + "s", ""])
        titles.append((5000 + n, " ".join(t for t in tokens if t)))
    expected = _slow_similar(titles)
    assert len(expected) > 50
    assert similar_titles(titles, exhaustive_below=0) == expected
    assert similar_titles(titles) == expected
