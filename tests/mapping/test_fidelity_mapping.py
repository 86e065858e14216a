"""What the mapping states, pinned on the seed graph and the real source lines of issue 13's defects.

Each test names the file and line(s) of data/sources/ its expected values come from. The graph is the one the
seed build wrote (tests/conftest.py), queried with SPARQL.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from recsys_kg.query.canned import catalogue, run
from support import short

PREFIXES = """PREFIX rkg: <https://w3id.org/recsys-kg/ontology#>
PREFIX id: <https://w3id.org/recsys-kg/id/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def select(store: ox.Store, query: str) -> set[tuple[str | None, ...]]:
    result = store.query(PREFIXES + query)
    assert isinstance(result, ox.QuerySolutions)
    return {tuple(short(v) if v is not None else None for v in row) for row in result}


def usages(store: ox.Store, entry: str) -> set[tuple[str | None, ...]]:
    return select(
        store,
        f"""SELECT ?model ?strategy ?note WHERE {{ GRAPH ?g {{
        ?u rkg:statedIn <{entry}> ; rkg:usesModel ?model .
        OPTIONAL {{ ?u rkg:tuningStrategy ?strategy }} OPTIONAL {{ ?u rkg:note ?note }} }} }}""",
    )


@pytest.mark.parametrize(
    "line, open_model", [(79, "id:model/chatglm-6b"), (99, "id:model/llama2-13b"), (234, "id:model/chatglm-6b")]
)
def test_a_strategy_cell_is_the_open_models_when_an_api_only_model_shares_the_cell(seed_store, line, open_model):
    # ZH:79, 99, 234: "ChatGPT+<br />ChatGLM (6B)" (or "+LLaMA2(7B)/LLaMA2(13B)") with "LoRA": ChatGPT (api_only in
    # data/normalization/backbones.yaml) cannot be LoRA-tuned: its strategy is unknown, with a note saying why
    found = usages(seed_store, f"https://w3id.org/recsys-kg/id/entry/llm4rec-zh/L{line}")
    chatgpt = {(s, n) for m, s, n in found if m == "id:model/chatgpt"}
    assert len(chatgpt) == 1 and next(iter(chatgpt))[0] == "id:tuning/unknown"
    assert "api_only" in next(iter(chatgpt))[1]
    assert (open_model, "id:tuning/lora", None) in found


def test_a_single_api_model_keeps_its_cell_strategy(seed_store):
    # ZH:72 "TagGPT | … | ChatGPT | Frozen": nothing else in the cell, so the strategy is ChatGPT's
    assert usages(seed_store, "https://w3id.org/recsys-kg/id/entry/llm4rec-zh/L72") == {
        ("id:model/chatgpt", "id:tuning/frozen", None)
    }


def test_a_heading_that_states_a_strategy_is_a_tuning_claim(seed_store):
    # NEXT:122 (2309.08939) stands under "Naive Fine-Tuning" (NEXT:118); NEXT:214 (LLM-KERec) under "Direct Utilizing"
    assert usages(seed_store, "https://w3id.org/recsys-kg/id/entry/next-gen-survey/L122") == {
        ("id:model/unspecified", "id:tuning/tuned", None)
    }
    assert usages(seed_store, "https://w3id.org/recsys-kg/id/entry/next-gen-survey/L214") == {
        ("id:model/unspecified", "id:tuning/frozen", None)
    }


def test_text_is_stored_as_the_source_wrote_it(seed_store):
    summaries = {
        row[0]
        for row in select(
            seed_store,
            """SELECT ?s WHERE { GRAPH ?g {
        ?p rkg:summary ?s . FILTER(LANG(?s) = "zh") } }""",
        )
    }
    # full-width punctuation kept in every Chinese summary that has it (69 of 70 had it flattened before)
    assert sum("，" in s for s in summaries) >= 60
    assert not any("," in s and "，" not in s and s.count(",") > 3 for s in summaries)
    # ZH:146 NoteLLM keeps "<Output>"; ZH:356 two spaces; ZH:316 curly quotes
    assert any("[EMB],<Output>来获取" in s for s in summaries)
    assert any("HGC  dominate" in s for s in summaries)
    assert any("“Self- Inspiring”" in s for s in summaries)
    # NEXT:240 "Uncovering ChatGPT’s Capabilities in Recommender Systems"
    titles = select(
        seed_store,
        """SELECT ?t WHERE { GRAPH <https://w3id.org/recsys-kg/graph/source/next-gen-survey> {
        <https://w3id.org/recsys-kg/id/entry/next-gen-survey/L240> rkg:statedTitle ?t } }""",
    )
    assert titles == {("Uncovering ChatGPT’s Capabilities in Recommender Systems",)}


def test_paper_links_of_dataset_and_benchmark_rows_are_identifiers(seed_store):
    # ZH:407 (Amazon-M2 dataset, Link arxiv 2307.09688), ZH:420 "[[Paper]](https://arxiv.org/abs/2307.09688)",
    # ZH:422 OpenP5 (2306.11134), ZH:423 TABLET (2304.13188)
    for arxiv in ("2307.09688", "2306.11134", "2304.13188"):
        found = select(seed_store, f"""SELECT ?p WHERE {{ GRAPH ?g {{ ?p rkg:arxivId "{arxiv}" ; rkg:link ?l }} }}""")
        assert found == {(f"id:paper/arxiv-{arxiv}",)}, arxiv
    rows = run(seed_store, catalogue()["paper"], {"q": "2307.09688"}).rows
    assert rows, "`query paper -p q=2307.09688` finds the paper"


def test_the_semantic_scholar_record_keeps_its_identifiers(seed_store):
    # S2:15 "DOI:10.48550/arXiv.2305.19860", S2:17 "Corpus ID: 258987581", S2 paper id from the page's own links
    found = select(
        seed_store,
        """SELECT ?p ?o WHERE { GRAPH <https://w3id.org/recsys-kg/graph/source/s2-wu2023> {
        id:paper\\/arxiv-2305.19860 ?p ?o .
        FILTER(?p IN (rkg:doi, rkg:corpusId, rkg:semanticScholarId)) } }""",
    )
    assert found == {
        ("rkg:doi", "10.48550/arxiv.2305.19860"),
        ("rkg:corpusId", "258987581"),
        ("rkg:semanticScholarId", "b486982fa7c68a8a08df1111ba9607119419c488"),
    }


def test_each_claim_is_traceable_to_its_entry(seed_store):
    # ZH:105 "WWW 2024" and ZH:365 "Arxiv 2023" both describe 2311.03758 (BEQUE)
    claims = select(
        seed_store,
        """SELECT ?line ?year ?venue WHERE { GRAPH ?g {
        ?e rkg:describes id:paper\\/arxiv-2311.03758 ; rkg:lineNumber ?line ;
           rkg:statedYear ?year ; rkg:statedVenue ?venue } }""",
    )
    assert claims == {("105", "2024", "id:venue/www"), ("365", "2023", "id:venue/arxiv")}
    # NEXT:348 SINGLE "Taobao, Alibaba" (Alibaba only qualifies Taobao: organizations.yaml): the company claim
    # is on the entry
    orgs = select(
        seed_store,
        """SELECT ?o WHERE { GRAPH ?g {
        <https://w3id.org/recsys-kg/id/entry/next-gen-survey/L348> rkg:statedOrganization ?o } }""",
    )
    assert orgs == {("id:org/taobao",)}


def test_a_code_link_is_a_repository_not_the_paper(seed_store):
    # ZH:353 LoRec: "[[Code]](https://anonymous.4open.science/r/LoRec/README.md)" in the Link column
    url = '"https://anonymous.4open.science/r/LoRec/README.md"^^<http://www.w3.org/2001/XMLSchema#anyURI>'
    assert not select(seed_store, f"SELECT ?p WHERE {{ GRAPH ?g {{ ?p rkg:link {url} }} }}")
    repos = select(seed_store, f"SELECT ?p WHERE {{ GRAPH ?g {{ ?p rkg:codeRepository ?r . ?r rkg:url {url} }} }}")
    assert len(repos) == 1


def test_taxonomy_concepts_keep_their_headings(seed_store):
    # ZH:110 '<h4 id="1.2.1">1.2.1 Representation Enhancement</h4>'
    found = select(
        seed_store,
        """SELECT ?level ?line ?raw WHERE { GRAPH ?g {
        <https://w3id.org/recsys-kg/id/concept/llm4rec-zh/1.2.1> rkg:headingLevel ?level ; rkg:lineNumber ?line ;
            rkg:rawText ?raw } }""",
    )
    assert found == {("4", "110", '<h4 id="1.2.1">1.2.1 Representation Enhancement</h4>')}


def test_the_report_has_a_fidelity_line_per_source(seed_build):
    fidelity = {sid: s["fidelity"] for sid, s in seed_build.report["sources"].items()}
    assert set(fidelity) == {
        "next-gen-survey",
        "next-gen-survey-short",
        "llm4rec-zh",
        "awesome-llm-enhanced",
        "s2-wu2023",
    }
    zh = fidelity["llm4rec-zh"]
    # ZH: 273 table rows and list items, 263 entries, 10 rejected (9 list items, ZH:384 an empty row)
    assert (zh["rows_and_items_seen"], zh["entries_made"], zh["rows_rejected"]) == (273, 263, 10)
    assert zh["cells_kept_verbatim"] == zh["cells"] > 0
    # AWESOME:16 "Recsys â€“ the Industry Perspectives": the one mojibake repair of the seed lists
    assert fidelity["awesome-llm-enhanced"]["texts_repaired"] == {"mojibake": 1}
