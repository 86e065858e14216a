"""Entity resolution, checked on the five source lists and on small synthetic entries, one per matching rule.

The real-list tests name the lines of data/sources/*.md they rely on; the synthetic tests build Entry objects the
way the readers do (same field roles, same markdown in the cells).
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pytest

from recsys_kg import paths
from recsys_kg.ingest import load_manifest, read_source
from recsys_kg.ingest import records as R
from recsys_kg.ingest.records import Entry
from recsys_kg.normalize.identifiers import normalize_title
from recsys_kg.resolve.candidates import PaperFeatures, method_names
from recsys_kg.resolve.curated import CurationError
from recsys_kg.resolve.papers import PAPER_KINDS, find_paper, paper_ids_of, resolve

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"
KEY = re.compile(r"^(arxiv|doi|title|s2|corpus|openreview|acl|ieee|aaai|entry)-[A-Za-z0-9._-]+$")


# --- the real lists ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lists():
    specs = load_manifest(SOURCES)
    entries = [entry for spec in specs for entry in read_source(spec, SOURCES)[0]]
    anchors = {spec.id: spec.describes_paper for spec in specs if spec.describes_paper}
    return entries, anchors


@pytest.fixture(scope="module")
def resolution(lists):
    return resolve(*lists)


def paper(resolution, ref):
    found = find_paper(resolution, ref)
    assert found is not None, f"no paper for {ref}"
    return found


def test_single_is_one_node_across_doi_and_arxiv(resolution):
    # next-gen :57 and awesome :64 link the ACM DOI; zh :87 links arXiv 2311.07619; same title.
    single = paper(resolution, "doi:10.1145/3589335.3648305")
    assert single is paper(resolution, "arxiv:2311.07619")
    assert single.key == "arxiv-2311.07619"
    for ref in [
        ("next-gen-survey", 57),
        ("awesome-llm-enhanced", 64),
        ("llm4rec-zh", 87),
        ("next-gen-survey-short", 35),
    ]:
        assert resolution.by_entry[ref] == single.key
    assert any(key == single.key and reason == "same title" for key, reason, _ in resolution.merges)


def test_kellmrec_and_trawl_share_their_arxiv_id(resolution):
    # awesome :32 "KELLMRec: ..." and next-gen :325 "TRAWL: ..." both link arXiv 2403.06642.
    trawl = paper(resolution, "arxiv:2403.06642")
    assert "KELLMRec: Knowledge-Enhanced Large Language Models for Recommendation" in trawl.titles
    assert "TRAWL: External Knowledge-Enhanced Recommendation with LLM Assistance" in trawl.titles
    assert {("awesome-llm-enhanced", 32), ("next-gen-survey", 325), ("next-gen-survey", 352)} <= set(trawl.entries)
    assert any(
        key == trawl.key and reason == "same arXiv id" and "KELLMRec" in detail and "TRAWL" in detail
        for key, reason, detail in resolution.merges
    )


def test_llmrg_is_one_node_through_curation(resolution, lists, tmp_path):
    # zh :85 (arXiv 2308.10835, old title) vs awesome :26 and next-gen :89 (AAAI 29887, new title).
    llmrg = paper(resolution, "arxiv:2308.10835")
    assert llmrg is paper(resolution, "aaai:29887")
    assert "Enhancing Recommender Systems with Large Language Model Reasoning Graphs" in llmrg.titles
    assert "LLMRG: Improving Recommendations through Large Language Model Reasoning Graphs" in llmrg.titles
    assert any(key == llmrg.key and reason == "curated same paper" for key, reason, _ in resolution.merges)
    # Without the curated decision the two stay apart and are proposed, on the method name alone.
    uncurated = resolve(*lists, curation_dir=tmp_path)
    old, new = paper(uncurated, "arxiv:2308.10835"), paper(uncurated, "aaai:29887")
    assert old.key != new.key
    assert any(
        {c.left, c.right} == {old.key, new.key} and "same method name LLMRG" in c.reasons for c in uncurated.candidates
    )


def test_the_two_recgpt_papers_stay_distinct(resolution, lists, tmp_path):
    # next-gen generative table :284 and :285.
    first, second = paper(resolution, "arxiv:2404.08675"), paper(resolution, "arxiv:2405.12715")
    assert first.key != second.key
    assert all("RecGPT" in title for title in first.titles + second.titles)
    assert not any({c.left, c.right} == {first.key, second.key} for c in resolution.candidates)  # curated as different
    uncurated = resolve(*lists, curation_dir=tmp_path)
    assert any(
        {c.left, c.right} == {first.key, second.key} and "same method name RecGPT" in c.reasons
        for c in uncurated.candidates
    )


@pytest.mark.parametrize("refs", [
    ("arxiv:2308.12241", "doi:10.1145/3616855.3635853"),  # LLMRec benchmark (williamliujl) vs LLMRec (HKUDS)
    ("arxiv:2307.15780", "arxiv:2310.14304"),  # both 'LLM-Rec' in the zh list
    ("arxiv:2311.02089", "arxiv:2401.13870"),  # LlamaRec vs Llama4Rec (awesome :49 calls it LlamaRec)
    ("arxiv:2206.06190", "arxiv:2305.15036", "arxiv:2310.06491"),  # three 'TransRec'
    ("arxiv:2309.09261", "arxiv:2402.01339"),  # one code repository, two papers
])  # fmt: skip
def test_papers_sharing_a_name_or_repository_stay_distinct(resolution, refs):
    assert len({paper(resolution, ref).key for ref in refs}) == len(refs)


def test_no_paper_holds_two_arxiv_ids_or_two_dois(resolution):
    # Two ids in one node would mean two papers merged; the lists have no paper with two e-prints or two DOIs.
    assert all(len(p.arxiv) <= 1 and len(p.doi) <= 1 for p in resolution.papers)


def test_every_paper_entry_is_resolved(resolution, lists):
    entries, _ = lists
    for entry in entries:
        if entry.kind in PAPER_KINDS:
            assert (entry.source, entry.line) in resolution.by_entry, entry
    assert set(resolution.by_entry.values()) == {p.key for p in resolution.papers if p.entries}
    assert all(KEY.match(p.key) for p in resolution.papers)


def test_benchmarks_and_datasets_are_keyed_by_their_paper_link(resolution):
    # zh :421 benchmark LLMRec -> arXiv 2308.12241, also next-gen :108; zh :407 dataset Amazon-M2 -> arXiv 2307.09688.
    benchmark = resolution.by_entry[("llm4rec-zh", 421)]
    assert benchmark == resolution.by_entry[("next-gen-survey", 108)] == "arxiv-2308.12241"
    assert resolution.by_entry[("llm4rec-zh", 407)] == resolution.by_entry[("llm4rec-zh", 420)] == "arxiv-2307.09688"
    assert ("llm4rec-zh", 414) not in resolution.by_entry  # Netflix dataset: only a GitHub link


def test_anchors_exist(resolution, lists):
    _, anchors = lists
    for ref in anchors.values():
        paper(resolution, ref)
    assert resolution.by_entry[("next-gen-survey", 32)] == "arxiv-2410.19744"  # the comparison table's 'Ours' row
    assert resolution.by_entry[("s2-wu2023", 5)] == "arxiv-2305.19860"  # DOI 10.48550/arXiv.2305.19860
    assert paper(resolution, "arxiv:2305.19860").corpus_id == ("258987581",)


def test_curated_files_apply_and_suppress_their_candidates(resolution):
    assert resolution.stale_decisions == ()
    assert resolution.kept_apart == ()
    assert resolution.candidates == ()  # every candidate of the current lists has been decided


def test_cross_list_counts(resolution):
    assert resolution.cross_list["s2-wu2023"]["entries"] == 21
    for source, counts in resolution.cross_list.items():
        mine = [key for (src, _), key in resolution.by_entry.items() if src == source]
        assert counts["entries"] == len(mine)
        assert 0 < counts["resolved_to_papers_in_other_lists"] <= counts["entries"]


def test_deterministic(lists):
    entries, anchors = lists
    assert resolve(entries, anchors) == resolve(list(reversed(entries)), anchors)


def test_fast(lists):
    start = time.process_time()
    resolve(*lists)
    assert time.process_time() - start < 1.0


def test_stale_decision_is_reported_with_file_and_line(lists, tmp_path):
    (tmp_path / "same-paper.yaml").write_text(
        "# a comment line\n"
        '- left: "arxiv:2308.10835"\n  right: "aaai:29887"\n  reason: renamed\n  checked_by: test\n'
        '- left: "arxiv:2912.99999"\n  right: "title:No Such Paper Anywhere"\n  reason: gone\n  checked_by: test\n',
        encoding="utf-8",
    )
    result = resolve(*lists, curation_dir=tmp_path)
    assert len(result.stale_decisions) == 2  # one sentence per side that matches nothing
    assert all(f"{tmp_path / 'same-paper.yaml'} line 6:" in s for s in result.stale_decisions)
    assert "'arxiv:2912.99999' matches no entry" in result.stale_decisions[0]
    assert paper(result, "arxiv:2308.10835") is paper(result, "aaai:29887")  # the valid pair still applies


def test_different_papers_decision_prevents_a_merge(lists, tmp_path):
    (tmp_path / "different-papers.yaml").write_text(
        '- left: "title:KELLMRec: Knowledge-Enhanced Large Language Models for Recommendation"\n'
        '  right: "title:TRAWL: External Knowledge-Enhanced Recommendation with LLM Assistance"\n'
        "  reason: pretend they differ\n  checked_by: test\n",
        encoding="utf-8",
    )
    result = resolve(*lists, curation_dir=tmp_path)
    kellmrec = paper(result, "title:KELLMRec: Knowledge-Enhanced Large Language Models for Recommendation")
    trawl = paper(result, "title:TRAWL: External Knowledge-Enhanced Recommendation with LLM Assistance")
    assert kellmrec.key != trawl.key
    assert result.by_entry[("awesome-llm-enhanced", 32)] == kellmrec.key
    assert result.by_entry[("next-gen-survey", 325)] == trawl.key
    [(left, right, detail)] = result.kept_apart
    assert {left, right} == {kellmrec.key, trawl.key} and "same arXiv id 2403.06642" in detail and "line 1" in detail
    assert not any({c.left, c.right} == {kellmrec.key, trawl.key} for c in result.candidates)


def test_real_curation_files_are_well_formed():
    for name in ("same-paper.yaml", "different-papers.yaml"):
        text = (paths.curation_dir() / name).read_text(encoding="utf-8")
        assert text.startswith("#") and "checked_by" in text.split("\n- ")[0]  # the format is documented on top


# --- synthetic entries: one test per rule ---------------------------------------------------------------------


def entry(line: int, source: str = "s", kind: str = R.PAPER, **fields: str) -> Entry:
    return Entry(source, line, kind, (), {role.replace("_", "-"): value for role, value in fields.items()})


def run(*entries: Entry, **options):
    """Resolve synthetic entries without the project's curated decisions."""
    return resolve(list(entries), curation_dir=Path("/nonexistent/curation"), **options)


def test_same_arxiv_id_in_any_version_merges():
    result = run(
        entry(1, title="A", link="[A](https://arxiv.org/abs/2401.00001v1)"),
        entry(2, source="t", title="B", link="[[Paper]](https://arxiv.org/pdf/2401.00001v3.pdf)"),
    )
    [only] = result.papers
    assert only.key == "arxiv-2401.00001" and only.titles == ("A", "B")
    assert result.merges == (("arxiv-2401.00001", "same arXiv id", "2401.00001: A (s) / B (t)"),)
    assert result.cross_list == {
        "s": {"entries": 1, "resolved_to_papers_in_other_lists": 1},
        "t": {"entries": 1, "resolved_to_papers_in_other_lists": 1},
    }


def test_arxiv_doi_counts_as_the_arxiv_id():
    record = entry(
        5, kind=R.BIBLIOGRAPHIC_RECORD, title="Survey", doi="10.48550/arXiv.2305.19860", corpus_id="258987581"
    )
    ids = paper_ids_of(record)
    assert ids.arxiv == {"2305.19860"} and ids.doi == frozenset() and ids.corpus_id == {"258987581"}
    result = run(record, entry(9, title="Other title", link="[x](https://arxiv.org/abs/2305.19860)"))
    assert [p.key for p in result.papers] == ["arxiv-2305.19860"]


@pytest.mark.parametrize("first, second, key", [
    ("https://dl.acm.org/doi/abs/10.1145/3589335.3648305", "https://doi.org/10.1145/3589335.3648305",
     "doi-10.1145_3589335.3648305"),
    ("https://www.semanticscholar.org/paper/X/" + "a" * 40, "https://www.semanticscholar.org/paper/" + "A" * 40, None),
    ("https://openreview.net/forum?id=hFx3fY7-m9b", "https://openreview.net/pdf?id=hFx3fY7-m9b", None),
    ("https://aclanthology.org/2022.coling-1.249/", "https://aclanthology.org/2022.coling-1.249.pdf", None),
    ("https://ieeexplore.ieee.org/document/10191241", "https://ieeexplore.ieee.org/abstract/document/10191241", None),
    ("https://ojs.aaai.org/index.php/AAAI/article/view/29887/31548",
     "https://ojs.aaai.org/index.php/AAAI/article/view/29887", None),
])  # fmt: skip
def test_same_identifier_merges(first, second, key):
    # Different titles, so only the identifier can merge them.
    result = run(
        entry(1, title="First title", link=f"[a]({first})"), entry(2, title="Second title", link=f"[b]({second})")
    )
    [only] = result.papers
    assert only.titles == ("First title", "Second title")
    # A DOI makes the key; the other identifiers rank below a title (key 'title-...').
    assert only.key == key if key else only.key.startswith("title-")


def test_same_semantic_scholar_corpus_id_merges():
    result = run(
        entry(1, title="A", link="https://api.semanticscholar.org/CorpusID:258987581"),
        entry(2, kind=R.BIBLIOGRAPHIC_RECORD, title="B", corpus_id="258987581"),
    )
    assert [p.corpus_id for p in result.papers] == [("258987581",)]


def test_same_normalized_title_merges_and_keys_by_title_hash():
    result = run(
        entry(1, title="'Noah's Ark: LLM-Based Recommendation'"),  # next-gen table quoting
        entry(2, source="t", title="Noahs Ark — LLM based recommendation"),
    )
    [only] = result.papers
    digest = hashlib.sha1(normalize_title("Noah's Ark: LLM-Based Recommendation").encode()).hexdigest()[:16]
    assert only.key == "title-" + digest
    assert only.titles == ("Noah's Ark: LLM-Based Recommendation", "Noahs Ark — LLM based recommendation")


def test_name_stripped_title_is_a_candidate_not_a_merge():
    result = run(
        entry(1, title="LLMESR: Large Language Models Enhancement for Long-tailed Sequential Recommendation"),
        entry(2, title="Large Language Models Enhancement for Long-tailed Sequential Recommendation"),
    )
    assert len(result.papers) == 2
    [candidate] = result.candidates
    assert candidate.left < candidate.right
    assert any(r.startswith("same title without its name prefix") for r in candidate.reasons)


def test_a_generic_remainder_of_two_words_is_no_candidate_key():
    # 'A Survey' says nothing about the paper: every 'Name: A Survey' would pair with every other (quadratic).
    result = run(
        entry(1, title="LLMRec: A Survey"),
        entry(2, title="RecSysLLM: A Survey"),
        entry(3, title="GenRec: Generative Recommendation Survey"),
        entry(4, title="Generative Recommendation Survey"),
    )
    [candidate] = result.candidates  # entries 3 and 4 only
    assert {candidate.left_titles, candidate.right_titles} == {
        ("GenRec: Generative Recommendation Survey",),
        ("Generative Recommendation Survey",),
    }
    assert "same title without its name prefix: 'generative recommendation survey'" in candidate.reasons


def test_similar_titles_are_a_candidate_not_a_merge():
    result = run(
        entry(1, title="Pre-train, Prompt and Recommendation: A Survey of Language Modelling Paradigms"),
        entry(2, title="Pre-train, Prompt, and Recommendation: A Survey of Language Modeling Paradigms"),
    )
    [candidate] = result.candidates
    assert len(result.papers) == 2 and 85 <= candidate.score < 100
    assert candidate.reasons[0].startswith("similar titles (token_sort_ratio ")


def test_same_method_name_is_a_candidate_unless_it_is_a_product():
    result = run(
        entry(1, name="RecGPT", title="RecGPT: Generative Personalized Prompts"),
        entry(2, name="RecGPT", title="Text-based Pre-training"),
        entry(3, name="ChatGPT✅", title="Is ChatGPT a Good Recommender?"),
        entry(4, name="ChatGPT", title="Uncovering ChatGPT's Capabilities"),
    )
    assert len(result.papers) == 4
    [candidate] = result.candidates
    assert candidate.reasons == ("same method name RecGPT",)


def test_method_names_come_from_name_cells_and_one_word_title_prefixes():
    titles = ("LLMRec: Graph Augmentation", "Breaking the Barrier: A Title")
    features = PaperFeatures("k", titles, (), ("GPT-4", "LLM-Rec"), frozenset())
    assert method_names(features) == {"llmrec": "LLMRec", "llm-rec": "LLM-Rec"}


def test_code_links_never_merge_but_make_candidates():
    repo = "https://github.com/dh-r/LLM-Sequential-Recommendation"
    result = run(
        entry(1, title="Leveraging LLMs for Sequential Recommendation", code=f"[Link]({repo})"),
        entry(2, title="Improving Sequential Recommendations with LLMs", link=f"[[Code]]({repo})"),
    )
    assert len(result.papers) == 2
    [candidate] = result.candidates
    assert candidate.reasons == ("same code repository github:dh-r/llm-sequential-recommendation",)


def test_key_prefers_the_lowest_arxiv_id_then_doi():
    result = run(
        entry(1, title="Old", link="[x](https://arxiv.org/abs/2402.00002)"),
        entry(2, title="New", link="[x](https://dl.acm.org/doi/10.1145/1.2)"),
        entry(3, title="Old", link="[x](https://arxiv.org/abs/2401.00001)"),
    )
    assert sorted(p.key for p in result.papers) == ["arxiv-2401.00001", "doi-10.1145_1.2"]
    assert find_paper(result, "arxiv:2402.00002").key == "arxiv-2401.00001"


def test_doi_with_unusual_characters_is_hashed():
    doi = "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0"
    result = run(entry(1, title="T", link=f"https://doi.org/{doi}"))
    assert result.papers[0].key == "doi-" + hashlib.sha1(doi.encode()).hexdigest()[:16]


def test_self_entry_and_anchor_without_entries():
    anchors = {"s": "arxiv:2410.19744", "u": "arxiv:2305.19860"}
    result = run(entry(32, kind=R.SURVEY_COMPARISON, self=""), anchors=anchors)
    assert result.by_entry == {("s", 32): "arxiv-2410.19744"}
    assert find_paper(result, "arxiv:2305.19860").entries == ()  # an anchored paper exists even with no entry
    with pytest.raises(ValueError, match="identifier"):
        run(anchors={"s": "title:Some Survey"})


def test_benchmark_keyed_only_with_a_paper_link():
    result = run(
        entry(
            1,
            kind=R.BENCHMARK,
            name="LLMRec",
            paper_link="[[Paper]](https://arxiv.org/abs/2308.12241)",
            website="[[Link]](https://github.com/williamliujl/LLMRec)",
        ),
        entry(2, kind=R.DATASET, name="Netflix", link="[[Link]](https://github.com/HKUDS/LLMRec)"),
        entry(3, kind=R.REPOSITORY, name="x", link="[x](https://arxiv.org/abs/2308.12241)"),
    )
    assert result.by_entry == {("s", 1): "arxiv-2308.12241"}
    assert result.papers[0].titles == ()  # a benchmark's name is not a paper title


def test_curated_same_paper_merges_and_different_papers_keeps_apart(tmp_path):
    (tmp_path / "same-paper.yaml").write_text(
        '- left: "title:Old Name"\n  right: "doi:10.1145/1.2"\n  reason: renamed\n  checked_by: test\n',
        encoding="utf-8",
    )
    (tmp_path / "different-papers.yaml").write_text(
        '- left: "title:Twin A"\n  right: "title:Twin B"\n  reason: two papers\n  checked_by: test\n', encoding="utf-8"
    )
    result = resolve(
        [
            entry(1, title="Old Name"),
            entry(2, title="New Name", link="https://doi.org/10.1145/1.2"),
            entry(3, title="Twin A", link="https://arxiv.org/abs/2401.00001"),
            entry(4, title="Twin B", link="https://arxiv.org/abs/2401.00001"),
        ],
        curation_dir=tmp_path,
    )
    assert result.by_entry[("s", 1)] == result.by_entry[("s", 2)] == "doi-10.1145_1.2"
    assert result.by_entry[("s", 3)] != result.by_entry[("s", 4)]
    # Both want arxiv-2401.00001; one gets it (the one whose key options sort first), the other its title key.
    assert sorted(result.by_entry[("s", n)][:6] for n in (3, 4)) == ["arxiv-", "title-"]
    assert len(result.kept_apart) == 1 and result.candidates == ()


def test_decision_naming_one_entry_twice_is_reported(tmp_path):
    (tmp_path / "different-papers.yaml").write_text(
        '- left: "arxiv:2401.00001"\n  right: "title:A"\n  reason: x\n  checked_by: y\n', encoding="utf-8"
    )
    result = resolve([entry(1, title="A", link="https://arxiv.org/abs/2401.00001")], curation_dir=tmp_path)
    [message] = result.stale_decisions
    assert "line 1" in message and "match the same entry" in message


@pytest.mark.parametrize("text, line", [
    ('- left: "arxiv:2401.00001"\n  right: "title:A"\n  reason: x\n', 1),  # no checked_by
    ('- left: "arxiv:2401.00001"\n  right: "title:A"\n  reason: x\n  checked_by: y\n- left: "isbn:1"\n'
     '  right: "title:A"\n  reason: x\n  checked_by: y\n', 5),  # unknown identifier prefix
    ("- left: title:A: B\n", 1),  # unquoted colon: a YAML error
])  # fmt: skip
def test_malformed_curation_names_file_and_line(tmp_path, text, line):
    (tmp_path / "same-paper.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CurationError, match=rf"same-paper\.yaml:{line}:"):
        resolve([entry(1, title="A", link="https://arxiv.org/abs/2401.00001")], curation_dir=tmp_path)
