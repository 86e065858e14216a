"""What the readers extract, pinned on the real source lines that showed each defect of issue 13.

Each test names the file and line(s) of data/sources/ it is built from.
"""

from __future__ import annotations

from types import MappingProxyType

import pytest

from recsys_kg import paths
from recsys_kg.ingest import load_manifest, read_source
from recsys_kg.ingest.markdown_doc import inline_text, parse_document
from recsys_kg.ingest.records import Entry

ZH, NEXT, S2 = "llm4rec-paper-list.zh.md", "next-gen-llm-recsys-survey.md", "s2-wu2023-llm4rec-survey.md"
SPECS = {spec.file: spec for spec in load_manifest(paths.sources_dir())}


def lines_of(file: str) -> list[str]:
    return (paths.sources_dir() / file).read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def entries() -> dict[str, dict[int, Entry]]:
    read = {}
    for file in (ZH, NEXT, S2):
        found, _rejections = read_source(SPECS[file], paths.sources_dir())
        read[file] = {e.line: e for e in found}
    return read


def test_two_html_headings_in_one_block_are_both_read(entries):
    # ZH:109-110: '<h3 id="1.2">1.2 LLM as Feature Encoder</h3>' and '<h4 id="1.2.1">…' in one HTML block
    doc = parse_document("\n".join(lines_of(ZH)))
    by_line = {h.line: h for h in doc.headings}
    assert (by_line[109].anchor, by_line[109].level, by_line[110].anchor, by_line[110].level) == ("1.2", 3, "1.2.1", 4)
    assert by_line[110].raw == '<h4 id="1.2.1">1.2.1 Representation Enhancement</h4>'
    # the 35 rows of 1.2.1 (ZH:115-149, NoteLLM at 146 and BAHE at 144) stand under 1.2 > 1.2.1, not under 1.1.2
    rows = [e for line, e in entries[ZH].items() if 115 <= line <= 149]
    assert len(rows) == 35
    assert {tuple(h.anchor for h in e.section) for e in rows} == {("1", "1.2", "1.2.1")}
    # ZH:151 "1.2.2" hangs under 1.2, not under 1.1
    assert [h.anchor for h in entries[ZH][156].section] == ["1", "1.2", "1.2.2"]


def test_visible_text_keeps_what_the_source_wrote():
    # ZH:146 (NoteLLM) writes "[EMB],\<Output\>": an escaped text, not an HTML tag to delete
    assert "[EMB],<Output>来获取物品embedding" in inline_text(lines_of(ZH)[145].split("|")[7])
    # ZH:356: two spaces in "HGC  dominate"; ZH:316 curly quotes “Self- Inspiring”; full-width ，（）
    assert "HGC  dominate，HGC-AIGC coexist" in inline_text(lines_of(ZH)[355].split("|")[7])
    assert "“Self- Inspiring”" in inline_text(lines_of(ZH)[315].split("|")[7])
    # NEXT:240 "ChatGPT’s" keeps its curly apostrophe
    assert inline_text(lines_of(NEXT)[239][3:]) == "Uncovering ChatGPT’s Capabilities in Recommender Systems"
    # mojibake is still repaired (AWESOME:16 "Recsys â€“ the Industry Perspectives")
    assert inline_text("Recsys â€“ the Industry") == "Recsys – the Industry"


def test_page_blocks_keep_their_lines_verbatim_and_end_at_save(entries):
    lines = lines_of(S2)
    # S2:501 (CLLM4Rec), the last reference: it ends with "Save" at S2:518, not in the pagination (S2:520-533)
    block = entries[S2][501]
    assert (block.end_line, lines[517]) == (518, "Save")
    assert block.raw == "\n".join(lines[500:518])  # blank lines and "*   " markers included
    assert "\n\n*   2024\n\nTLDR\n\n" in block.raw
    # S2:279, the last citing paper, likewise ends at its Save (S2:297) before "..." (S2:299)
    assert entries[S2][279].end_line == 297
    # the page's own record includes its title heading (S2:19-20) and its "*   DOI:" item as written
    own = entries[S2][5]
    assert "\nA Survey on Large Language Models for Recommendation\n====" in own.raw
    assert "*   DOI:[10.48550/arXiv.2305.19860](https://doi.org/10.48550/arXiv.2305.19860)" in own.raw
    assert own.fields["link"].endswith("/reader/b486982fa7c68a8a08df1111ba9607119419c488")


def test_list_items_keep_their_continuation_lines(entries):
    # NEXT:270-271: the item's paragraph goes on with "<br>" on the next line
    assert entries[NEXT][270].raw == "\n".join(lines_of(NEXT)[269:271])


def test_entries_are_immutable(entries):
    entry = entries[ZH][146]
    assert isinstance(entry.fields, MappingProxyType)
    with pytest.raises(TypeError):
        entry.fields["title"] = "changed"  # type: ignore[index]
    changed = entry.with_fields({"title": "x"}, drop=("summary",))
    assert (changed.fields["title"], "summary" in changed.fields, entry.fields["title"] != "x") == ("x", False, True)
