"""Tests of recsys_kg.normalize.values against real cell values of the source lists (each group names its source)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from recsys_kg.normalize import values as normalize
from recsys_kg.normalize.values import (
    BackboneMention,
    method_name_is_product,
    organizations,
    parse_backbones,
    parse_date_venue,
    parse_organizations,
    parse_publication,
    parse_strategy,
)

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"
ZH = "llm4rec-paper-list.zh.md"
AWESOME = "awesome-llm-enhanced-recsys.md"
NEXT_GEN = "next-gen-llm-recsys-survey.md"


def column(file: str, header_prefix: str) -> list[str]:
    """Every non-empty cell of the table columns whose header starts with ``header_prefix``, in file order.

    Deliberately simple and independent of the project's readers: a table is a run of '|' lines, its first line
    is the header, a '---' line follows it.
    """
    values: list[str] = []
    header: list[str] | None = None
    for line in (SOURCES / file).read_text(encoding="utf-8").splitlines():
        if not line.strip().startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = [cell.replace("*", "").strip() for cell in cells]
        elif not all(re.fullmatch(r":?-*:?", cell) for cell in cells):
            values += [
                cell for name, cell in zip(header, cells, strict=False) if name.startswith(header_prefix) and cell
            ]
    return values


def distinct(*columns: list[str]) -> list[str]:
    return sorted({value for values in columns for value in values})


STRATEGY_CELLS = distinct(column(ZH, "LLM Tuning Strategy"))
BACKBONE_CELLS = distinct(column(ZH, "LLM Backbone"), column(AWESOME, "Foundation Model"))
PUBLICATION_CELLS = distinct(column(ZH, "Publication"))
DATE_VENUE_CELLS = distinct(column(AWESOME, "Date / Venue"))
ORGANIZATION_CELLS = distinct(column(NEXT_GEN, "Company"), column(AWESOME, "Institution"))


def test_the_extraction_finds_the_columns() -> None:
    assert len(STRATEGY_CELLS) >= 20 and "Layerwise Adater Tuning" in STRATEGY_CELLS
    assert "Qwen-1<br />（8B）" in BACKBONE_CELLS and "T5-small (F) + Mixtral-8*22B (N)" in BACKBONE_CELLS
    assert "ICLR 2024<br />Spotlight" in PUBLICATION_CELLS and "2023.6 / WWWJ'24" in DATE_VENUE_CELLS
    assert {"Taobao, Alibaba", "Linkdin, Amazon, Tiktok, Rutgers, Microsoft"} <= set(ORGANIZATION_CELLS)


# --- every real value parses without warnings -------------------------------------------------------------------


@pytest.mark.parametrize("raw", STRATEGY_CELLS)
def test_every_strategy_cell_is_known(raw: str) -> None:
    reading = parse_strategy(raw)
    assert reading.warnings == ()
    assert (not reading.strategies or "unknown" in reading.strategies) == (raw in {"Unknown", "N/A"})


@pytest.mark.parametrize("raw", BACKBONE_CELLS)
def test_every_backbone_cell_is_known(raw: str) -> None:
    mentions = parse_backbones(raw)
    assert [m.warnings for m in mentions if m.warnings] == []
    assert mentions or raw in {"unknown", "N/A"}


@pytest.mark.parametrize("raw", PUBLICATION_CELLS)
def test_every_publication_cell_is_known(raw: str) -> None:
    reading = parse_publication(raw)
    assert reading.warnings == () and reading.venue_key and reading.venue_kind
    assert reading.year or raw == "IEEE Access"


@pytest.mark.parametrize("raw", DATE_VENUE_CELLS)
def test_every_date_venue_cell_is_known(raw: str) -> None:
    reading = parse_date_venue(raw)
    assert reading.warnings == () and reading.venue_key and reading.venue_kind and reading.year and reading.month


@pytest.mark.parametrize("raw", ORGANIZATION_CELLS)
def test_every_organization_cell_is_known(raw: str) -> None:
    keys, warnings = parse_organizations(raw)
    assert warnings == () and keys


# --- tuning strategies: llm4rec-paper-list.zh.md "LLM Tuning Strategy" ----------------------------------------


@pytest.mark.parametrize(
    ("raw", "strategies"),
    [
        ("Frozen", ("frozen",)),
        ("Full Finetuning", ("full-finetuning",)),
        ("Full<br />Finetuning", ("full-finetuning",)),
        ("Frozen/ Full Finetuning", ("frozen", "full-finetuning")),
        ("Full Finetuning/ Prompt Tuning", ("full-finetuning", "prompt-tuning")),
        ("Full Finetuning & Frozen", ("full-finetuning", "frozen")),
        ("LoRA", ("lora",)),
        ("QLoRA", ("qlora",)),
        ("Layerwise Adapter Tuning", ("adapter-tuning",)),
        ("Layerwise Adater Tuning", ("adapter-tuning",)),
        ("Prefix Tuning", ("prefix-tuning",)),
        ("Option Tuning", ("prompt-tuning",)),
        ("Top-2-layer Finetuning", ("partial-finetuning",)),
        ("Last-layer Finetuning", ("partial-finetuning",)),
        ("Selective-layer Finetuning", ("partial-finetuning",)),
        ("Few-shot Parameter-effiecnt Finetuning", ("parameter-efficient",)),
        ("Finetune", ("tuned",)),
        ("gpt-3.5-urbo finetuning API", ("vendor-api-finetuning",)),
        ("Unknown", ("unknown",)),
        ("N/A", ()),
        ("", ()),
        ("full-finetuning", ("full-finetuning",)),  # case and hyphens folded
        ("LoRA and Frozen", ("lora", "frozen")),
        ("Frozen, Frozen", ("frozen",)),
    ],
)
def test_parse_strategy(raw: str, strategies: tuple[str, ...]) -> None:
    reading = parse_strategy(raw)
    assert (reading.raw, reading.strategies, reading.warnings) == (raw, strategies, ())


def test_unknown_strategy_falls_back_with_a_warning() -> None:
    reading = parse_strategy("Frozen/ Distillation Tuning")
    assert reading.strategies == ("frozen", "unknown")
    assert len(reading.warnings) == 1 and "'Distillation Tuning'" in reading.warnings[0]
    assert "data/normalization/tuning-strategies.yaml" in reading.warnings[0]


# --- backbones: zh "LLM Backbone (Largest)" and awesome "Foundation Model" ------------------------------------


def brief(mentions: tuple[BackboneMention, ...]) -> list[str]:
    """'model_key family_key size strategy' per mention, '-' for None."""
    return [" ".join(value or "-" for value in (m.model_key, m.family_key, m.size, m.strategy)) for m in mentions]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # zh list
        ("GhatGLM (6B)", ["chatglm-6b chatglm 6B -"]),
        ("Qwen-1<br />（8B）", ["qwen-8b qwen 8B -"]),
        ("PaLM (540B)/ ChatGPT", ["palm-540b palm 540B -", "chatgpt gpt - -"]),
        ("ChatGPT+<br />ChatGLM (6B)", ["chatgpt gpt - -", "chatglm-6b chatglm 6B -"]),
        (
            "ChatGPT+<br />LLaMA2(7B)/LLaMA2(13B)",
            [
                "chatgpt gpt - -",
                "llama2-7b llama 7B -",
                "llama2-13b llama 13B -",
            ],
        ),
        ("Llama2 <br />(7B)", ["llama2-7b llama 7B -"]),
        ("GPT-3<br />(175B)", ["gpt-3-175b gpt 175B -"]),
        ("BERT<br />GPT2<br />T5<br />LLaMA", ["bert bert - -", "gpt-2 gpt - -", "t5 t5 - -", "llama llama - -"]),
        ("GPT4<br />LLaVA (13B)", ["gpt-4 gpt - -", "llava-13b llava 13B -"]),
        ("LLaMA (30B)", ["llama-30b llama 30B -"]),
        ("BERT-base (110M) & GPT2 (110M)", ["bert-base bert 110M -", "gpt-2-110m gpt 110M -"]),
        ("text-davinci-003 & gpt-3.5-turbo", ["text-davinci-003 gpt - -", "chatgpt gpt - -"]),
        ("Customized BERT (1.5B)", ["customized-bert-1.5b bert 1.5B -"]),
        ("FLAN-T5-base (250M)", ["flan-t5-base t5 250M -"]),
        ("FLAN-5-XXL (11B)", ["flan-t5-xxl t5 11B -"]),
        ("CLIP-B/32 (400M)", ["clip-vit-b-32 clip 400M -"]),
        ("OPT-175B (175B)", ["opt-175b opt 175B -"]),
        ("GPT4", ["gpt-4 gpt - -"]),
        ("text-davinci-003", ["text-davinci-003 gpt - -"]),
        ("OpenAI ada model", ["gpt-3-ada gpt - -"]),
        ("N/A", []),
        ("", []),
        # awesome list
        ("GPT-4 (N) / GPT-3.5 (N)", ["gpt-4 gpt - frozen", "gpt-3.5 gpt - frozen"]),
        ("GPT-3.5 (N) / ChatGLM2 (N)", ["gpt-3.5 gpt - frozen", "chatglm2 chatglm - frozen"]),
        ("LLaMA-7B (F) + GPT-3.5 (N)", ["llama-7b llama 7B tuned", "gpt-3.5 gpt - frozen"]),
        (
            "GPT-3.5 + text-embedding-ada-002 (N)",
            [
                "gpt-3.5 gpt - frozen",
                "text-embedding-ada-002 openai-embedding - frozen",
            ],
        ),
        (
            "GPT-3.5 (N) + text-embedding-ada-002 (F)",
            [
                "gpt-3.5 gpt - frozen",
                "text-embedding-ada-002 openai-embedding - tuned",
            ],
        ),
        ("LLaMA2-7B (N), T5 (N)", ["llama2-7b llama 7B frozen", "t5 t5 - frozen"]),
        ("T5-small (F) + Mixtral-8*22B (N)", ["t5-small t5 - tuned", "mixtral-8x22b mistral 8x22B frozen"]),
        (
            "QWen-max-1201 (N) + text-embedding-v2 (N)",
            [
                "qwen-max-1201 qwen - frozen",
                "text-embedding-v2 dashscope-embedding - frozen",
            ],
        ),
        ("QWen-8B (F)", ["qwen-8b qwen 8B tuned"]),
        ("ChatGLM-6B (F)", ["chatglm-6b chatglm 6B tuned"]),
        (
            "TinyLLaMA-1.1B (F) / Baichuan2-7B (F)",
            [
                "tinyllama-1.1b llama 1.1B tuned",
                "baichuan2-7b baichuan 7B tuned",
            ],
        ),
        (
            "GPT-4V (N) / LLaVA1.5-7B (N) / InternLM-7B (N)",
            [
                "gpt-4v gpt - frozen",
                "llava-1.5-7b llava 7B frozen",
                "internlm-7b internlm 7B frozen",
            ],
        ),
        ("TinyBERT", ["tinybert bert - -"]),
        ("GPT-4 (N)", ["gpt-4 gpt - frozen"]),
        ("unknown", []),
    ],
)
def test_parse_backbones(raw: str, expected: list[str]) -> None:
    mentions = parse_backbones(raw)
    assert brief(mentions) == expected
    assert all(m.warnings == () for m in mentions)


def test_backbone_labels_sizes_and_raw_text() -> None:
    (palm, chatgpt) = parse_backbones("PaLM (540B)/ ChatGPT")  # zh list
    assert (palm.raw, palm.label, palm.family_label) == ("PaLM (540B)", "PaLM-540B", "PaLM")
    assert palm.size_billions == Decimal("540")
    assert (chatgpt.label, chatgpt.size_billions) == ("ChatGPT", None)
    (glm,) = parse_backbones("GhatGLM (6B)")
    assert (glm.label, glm.size_billions) == ("ChatGLM-6B", Decimal("6"))
    (bert,) = parse_backbones("BERT-base (110M)")
    assert (bert.label, bert.size_billions) == ("BERT-base", Decimal("0.11"))
    (_, mixtral) = parse_backbones("T5-small (F) + Mixtral-8*22B (N)")  # awesome list
    assert (mixtral.raw, mixtral.label, mixtral.size) == ("Mixtral-8*22B (N)", "Mixtral-8x22B", "8x22B")
    assert mixtral.size_billions == Decimal("176")
    (tiny, _) = parse_backbones("TinyLLaMA-1.1B (F) / Baichuan2-7B (F)")
    assert tiny.size_billions == Decimal("1.1")
    gpt4 = BackboneMention("GPT4", "gpt-4", "GPT-4", "gpt", "GPT (OpenAI)", None, None, None, api_only=True)
    assert parse_backbones("GPT4") == (gpt4,)
    assert parse_backbones("GPT-4")[0].model_key == parse_backbones("GPT4")[0].model_key


def test_a_mark_after_a_plus_group_covers_only_unmarked_members_of_that_group() -> None:
    marks = [m.strategy for m in parse_backbones("ChatGPT (N) + LLaMA-7B / GPT-4 + GPT-3.5 (N) + BERT")]
    assert marks == ["frozen", None, None, "frozen", None]  # the groups' last members have no mark
    assert [m.strategy for m in parse_backbones("ChatGPT + LLaMA-7B (F) / GPT-4 + GPT-3.5 (N)")] == [
        "tuned",
        "tuned",
        "frozen",
        "frozen",
    ]


def test_unknown_backbone_still_yields_a_mention_with_a_warning() -> None:
    (mention,) = parse_backbones("Yi-34B (F)")
    assert brief((mention,)) == ["yi-34b yi 34B tuned"]
    assert len(mention.warnings) == 1 and "data/normalization/backbones.yaml" in mention.warnings[0]


# --- venues: zh "Publication" and awesome "Date / Venue" --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Arxiv 2023", ("arxiv", "arXiv", "preprint", 2023, None)),
        ("Arixv 2024", ("arxiv", "arXiv", "preprint", 2024, None)),
        ("WWW 2024", ("www", "WWW", "conference", 2024, None)),
        ("ICLR 2024<br />Spotlight", ("iclr", "ICLR", "conference", 2024, "Spotlight")),
        ("KDD 2023<br />Best Paper", ("kdd", "KDD", "conference", 2023, "Best Paper")),
        ("EMNLP 2023 Findings", ("emnlp", "EMNLP", "conference", 2023, "Findings")),
        (
            "RecSys Doctoral Symposium 2023",
            ("recsys-doctoral-symposium", "RecSys Doctoral Symposium", "symposium", 2023, "Doctoral Symposium"),
        ),
        ("RecSys Workshop 2023", ("recsys-workshop", "RecSys Workshop", "workshop", 2023, None)),
        ("Gen-IR@SIGIR 2023", ("gen-ir-sigir", "Gen-IR@SIGIR", "workshop", 2023, None)),
        ("ENLSP 2021", ("enlsp-neurips", "ENLSP@NeurIPS", "workshop", 2021, None)),
        ("NIPS 2023", ("neurips", "NeurIPS", "conference", 2023, None)),
        ("ACM TOIS 2023", ("tois", "ACM TOIS", "journal", 2023, None)),
        ("IEEE Access", ("ieee-access", "IEEE Access", "journal", None, None)),
        (
            "IEEE Data Engineering Bulletin 2023",
            ("ieee-data-eng-bull", "IEEE Data Engineering Bulletin", "journal", 2023, None),
        ),
        ("SIGIR-AP 2023", ("sigir-ap", "SIGIR-AP", "conference", 2023, None)),
        ("", (None, None, None, None, None)),
    ],
)
def test_parse_publication(raw: str, expected: tuple) -> None:
    reading = parse_publication(raw)
    assert (reading.venue_key, reading.venue_label, reading.venue_kind, reading.year, reading.note) == expected
    assert (reading.raw, reading.month, reading.warnings) == (raw, None, ())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023.6 / WWWJ'24", ("wwwj", "World Wide Web Journal", "journal", 2024, 6)),
        ("2023.6 / TOIS'24", ("tois", "ACM TOIS", "journal", 2024, 6)),
        ("2024.5 / SIGIRW'24", ("sigir-workshop", "SIGIR Workshop", "workshop", 2024, 5)),
        ("2024.8 / ACLW'24", ("acl-workshop", "ACL Workshop", "workshop", 2024, 8)),
        ("2023.12 / arXiv'23", ("arxiv", "arXiv", "preprint", 2023, 12)),
        ("2024.9 / COLING'24", ("coling", "COLING", "conference", 2024, 9)),
        ("2024.5 / NeurIPS'24", ("neurips", "NeurIPS", "conference", 2024, 5)),
        ("2024.6 / FCS'24", ("fcs", "Frontiers of Computer Science", "journal", 2024, 6)),
        ("2023.10 / RecSys'24", ("recsys", "RecSys", "conference", 2024, 10)),
        ("2023.6 / arXiv", ("arxiv", "arXiv", "preprint", 2023, 6)),  # no venue year: the date's year
        ("", (None, None, None, None, None)),
    ],
)
def test_parse_date_venue(raw: str, expected: tuple) -> None:
    reading = parse_date_venue(raw)
    assert (reading.venue_key, reading.venue_label, reading.venue_kind, reading.year, reading.month) == expected
    assert (reading.raw, reading.note, reading.warnings) == (raw, None, ())


def test_unknown_venue_falls_back_with_a_warning() -> None:
    reading = parse_publication("Foo Conf 2022")
    assert (reading.venue_key, reading.venue_label, reading.venue_kind) == ("foo-conf", "Foo Conf", None)
    assert reading.year == 2022
    assert len(reading.warnings) == 1 and "data/normalization/venues.yaml" in reading.warnings[0]
    assert parse_date_venue("2023.13 / KDD'24").month is None and parse_date_venue("2023.13 / KDD'24").warnings


# --- organizations: next-gen "Company" and awesome "Institution" -------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "keys"),
    [
        # next-gen survey, industrial table
        ("Ant Group", ("ant-group",)),
        ("KuaiShou", ("kuaishou",)),
        ("Kuaishou", ("kuaishou",)),
        ("HuaWei", ("huawei",)),
        ("Taobao, Alibaba", ("taobao",)),
        ("WeChat, Tencent", ("wechat",)),
        ("xiaohongshu.com", ("xiaohongshu",)),
        ("tubi.tv", ("tubi",)),
        ("Meituan", ("meituan",)),
        # awesome list, survey table
        ("USTC, BOSS, HKUST", ("ustc", "boss-zhipin", "hkust")),
        ("SJTU, Noah's Ark", ("sjtu", "noahs-ark")),
        ("UNSW, Adobe, Gatech, ETH, CSIRO, UCSD", ("unsw", "adobe", "gatech", "eth-zurich", "csiro", "ucsd")),
        # Microsoft is not right after LinkedIn: its own affiliation, kept
        ("Linkdin, Amazon, Tiktok, Rutgers, Microsoft", ("linkedin", "amazon", "tiktok", "rutgers", "microsoft")),
        ("Tiktok, ByteDance", ("tiktok",)),
        ("Alibaba, Taobao", ("alibaba", "taobao")),  # a parent written first is not a qualifier
        ("Amazon, Amazon", ("amazon",)),
        ("", ()),
    ],
)
def test_parse_organizations(raw: str, keys: tuple[str, ...]) -> None:
    assert parse_organizations(raw) == (keys, ())


def test_qualifying_names_are_dropped_up_a_longer_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    chain = (
        normalize.Organization("alibaba", "Alibaba Group", None, "company", ()),
        normalize.Organization("huawei", "Huawei", "alibaba", "company", ()),  # a made-up chain
        normalize.Organization("noahs-ark", "Huawei Noah's Ark Lab", "huawei", "lab", ()),
    )
    monkeypatch.setattr(normalize, "organizations", lambda: chain)
    assert normalize.ancestors("noahs-ark") == ("huawei", "alibaba")
    assert parse_organizations("Noah's Ark, HuaWei, Alibaba") == (("noahs-ark",), ())


def test_unknown_organization_falls_back_with_a_warning() -> None:
    keys, warnings = parse_organizations("Foo Labs, Amazon")
    assert keys == ("foo-labs", "amazon")
    assert len(warnings) == 1 and "data/normalization/organizations.yaml" in warnings[0]


def test_organization_catalogue() -> None:
    catalogue = organizations()
    by_key = {o.key: o for o in catalogue}
    assert [o.key for o in catalogue] == sorted(by_key)
    assert {o.kind for o in catalogue} <= {"company", "institution", "lab"}
    assert all(o.parent is None or o.parent in by_key for o in catalogue), "every parent exists"
    for organization in catalogue:  # no cycles: walking up always ends at a top-level organization
        seen, key = {organization.key}, organization.key
        while (key := by_key[key].parent) is not None:
            assert key not in seen, f"cycle through {key}"
            seen.add(key)
    assert by_key["taobao"].parent == "alibaba" and by_key["ant-group"].parent is None
    assert by_key["wechat"].parent == "tencent" and by_key["tiktok"].parent == "bytedance"
    assert by_key["noahs-ark"].parent == "huawei" and "bytedance" in by_key
    assert "Linkdin" in by_key["linkedin"].aliases


# --- method names: zh "Name" and awesome "Model" --------------------------------------------------------------


def test_method_names_that_are_products() -> None:
    names = distinct(column(ZH, "Name"), column(AWESOME, "Model"))
    flagged = {name for name in names if method_name_is_product(name)}
    assert flagged == {"ChatGPT✅", "FLAN-T5✅"}
    assert method_name_is_product("GPT-4") and method_name_is_product("llama")
    assert not method_name_is_product("LLMRec✅") and not method_name_is_product("GPT4Rec")


# --- data files -----------------------------------------------------------------------------------------------


# The top-level sections each data file must have, and a key each section must hold (a known entry).
_SECTIONS = {
    normalize.STRATEGIES_FILE: ("concepts", "lora"),
    normalize.BACKBONES_FILE: ("models", "chatglm"),
    normalize.VENUES_FILE: ("venues", "recsys"),
    normalize.ORGANIZATIONS_FILE: ("organizations", "alibaba"),
}


@pytest.mark.parametrize("name", normalize.DATA_FILES)
def test_data_file_loads_with_its_sections(name: str) -> None:
    data = normalize.load_data(name)
    assert isinstance(data, dict) and data, f"{name} is empty"
    if name in _SECTIONS:
        section, known = _SECTIONS[name]
        assert known in data[section], f"{name}: {known!r} missing from {section!r}"


def test_data_files_are_consistent() -> None:
    strategies = normalize.load_data(normalize.STRATEGIES_FILE)
    concepts = strategies["concepts"]
    assert set(concepts) == set(
        "frozen tuned full-finetuning partial-finetuning parameter-efficient lora qlora adapter-tuning"
        " prefix-tuning prompt-tuning instruction-tuning vendor-api-finetuning unknown".split()
    )
    assert all(broader is None or broader in concepts for broader in concepts.values())
    for keys in strategies["spellings"].values():
        assert set(keys if isinstance(keys, list) else [keys]) <= set(concepts)
    backbones = normalize.load_data(normalize.BACKBONES_FILE)
    assert all(model["family"] in backbones["families"] for model in backbones["models"].values())
    venues = normalize.load_data(normalize.VENUES_FILE)["venues"]
    assert {v["kind"] for v in venues.values()} <= {"conference", "journal", "workshop", "preprint", "symposium"}
    for name, section in [
        (normalize.BACKBONES_FILE, "models"),
        (normalize.VENUES_FILE, "venues"),
        (normalize.ORGANIZATIONS_FILE, "organizations"),
    ]:
        index = normalize._lookup(name, section)  # raises when one spelling names two entries
        entries = normalize.load_data(name)[section]
        assert set(index.values()) == set(entries), f"{name}: every entry is reachable by its label"
        for key, entry in entries.items():
            assert index[normalize._fold(entry["label"])] == key
