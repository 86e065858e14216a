"""Every canned query on the hand-made fixture (tests/fixtures/queries/README.md), with its exact rows.

The fixture gets the real ontology and the build's reasoner, as `recsys-kg build` does, so the queries read a
real inferred graph. Cells are compared in their compact form (id:org/acme, a literal's text); columns that
hold a set as separated text are compared as sets, since SPARQL leaves GROUP_CONCAT's order open.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from recsys_kg.query.canned import catalogue, run
from support import fixture_quads, short

SET_COLUMNS = {
    "frozen_models": ", ",
    "frozen_sources": " ",
    "tuned_sources": " ",
    "sources": " ",
    "units": ", ",
    "lines": " ",
}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.extend(fixture_quads())
    return store


@pytest.fixture(scope="module")
def specs():
    return catalogue()


def rows(store, spec, params=None) -> list[tuple]:
    result = run(store, spec, params)
    out = []
    for row in result.rows:
        cells = []
        for column, cell in zip(result.columns, row, strict=False):
            text = short(cell) if cell is not None else None
            if column in SET_COLUMNS and text is not None:
                text = frozenset(text.split(SET_COLUMNS[column])) if text else frozenset()
            cells.append(text)
        out.append(tuple(cells))
    return out


S = frozenset
P1, P2, P3, P4 = (
    "id:paper/arxiv-2401.00001",
    "id:paper/arxiv-2401.00002",
    "id:paper/doi-10.1000_xyz",
    "id:paper/arxiv-2401.00004",
)


def test_frozen_llm_industrial_by_company(store, specs):
    spec = specs["frozen-llm-industrial-by-company"]
    assert rows(store, spec) == [
        # paper 1: deployed by Acme Labs East, two levels below Acme; beta says its LLaMA is LoRA-tuned
        (
            "id:org/acme",
            "Acme Corp",
            P1,
            "Frozen Giant",
            "2401.00001",
            None,
            S({"GPT-4"}),
            S({"alpha"}),
            S({"beta"}),
            "true",
        ),
        (
            "id:org/acme",
            "Acme Corp",
            P3,
            "Shared Frozen",
            None,
            "10.1000/xyz",
            S({"GPT-4"}),
            S({"gamma"}),
            None,
            "false",
        ),
        ("id:org/zeta", "Zeta", P3, "Shared Frozen", None, "10.1000/xyz", S({"GPT-4"}), S({"gamma"}), None, "false"),
    ]
    assert [r[:3] for r in rows(store, spec, {"company": "id:org/zeta"})] == [("id:org/zeta", "Zeta", P3)]
    assert rows(store, spec, {"company": "id:org/acme-labs"}) == []  # not a top-level company


def test_papers_by_tuning_strategy(store, specs):
    spec = specs["papers-by-tuning-strategy"]
    t = "id:tuning/"
    assert rows(store, spec) == [
        (t + "frozen", "Frozen", None, "3", "3", "3"),
        (t + "tuned", "Tuned", None, "2", "0", "2"),  # rolled up from full fine-tuning (paper 2) and LoRA (paper 1)
        (t + "full-finetuning", "Full fine-tuning", t + "tuned", "1", "1", "1"),
        (t + "lora", "LoRA", t + "parameter-efficient", "1", "1", "1"),
        (t + "parameter-efficient", "Parameter-efficient fine-tuning", t + "tuned", "1", "0", "1"),
        (t + "adapter-tuning", "Adapter tuning", t + "parameter-efficient", "0", "0", "0"),
        (t + "instruction-tuning", "Instruction tuning", t + "tuned", "0", "0", "0"),
        (t + "partial-finetuning", "Partial fine-tuning", t + "tuned", "0", "0", "0"),
        (t + "prefix-tuning", "Prefix tuning", t + "parameter-efficient", "0", "0", "0"),
        (t + "prompt-tuning", "Prompt tuning", t + "parameter-efficient", "0", "0", "0"),
        (t + "qlora", "QLoRA", t + "parameter-efficient", "0", "0", "0"),
        (t + "unknown", "Unknown", None, "0", "0", "0"),
        (t + "vendor-api-finetuning", "Vendor API fine-tuning", t + "tuned", "0", "0", "0"),
    ]
    beta = [r[:4] for r in rows(store, spec, {"source": "id:source/beta"}) if r[3] != "0"]
    assert beta == [
        (t + "frozen", "Frozen", None, "1"),
        (t + "lora", "LoRA", t + "parameter-efficient", "1"),
        (t + "parameter-efficient", "Parameter-efficient fine-tuning", t + "tuned", "1"),
        (t + "tuned", "Tuned", None, "1"),
    ]


def test_papers_in_taxonomy(store, specs):
    spec = specs["papers-in-taxonomy"]
    assert rows(store, spec) == [  # default label "Industrial Deploying": a concept in beta and one in gamma
        (
            "id:scheme/beta",
            "id:concept/beta/b1",
            "Industrial Deploying",
            P1,
            "Frozen Giant",
            "id:concept/beta/b1",
            "Industrial Deploying",
        ),
        (
            "id:scheme/beta",
            "id:concept/beta/b1",
            "Industrial Deploying",
            P3,
            "Shared Frozen",
            "id:concept/beta/b1",
            "Industrial Deploying",
        ),
        (
            "id:scheme/gamma",
            "id:concept/gamma/g1",
            "Industrial Deploying",
            P3,
            "Shared Frozen",
            "id:concept/gamma/g1",
            "Industrial Deploying",
        ),
    ]
    assert rows(store, spec, {"concept": "id:concept/alpha/a1"}) == [  # paper 1 sits in the narrower a1-1
        (
            "id:scheme/alpha",
            "id:concept/alpha/a1",
            "Methods",
            P1,
            "Frozen Giant",
            "id:concept/alpha/a1/a1-1",
            "Frozen Methods",
        ),
        ("id:scheme/alpha", "id:concept/alpha/a1", "Methods", P2, "Tuned Only", "id:concept/alpha/a1", "Methods"),
    ]
    assert [r[3] for r in rows(store, spec, {"label": "frozen METHODS"})] == [P1]


def test_taxonomy_crosswalk(store, specs):
    spec = specs["taxonomy-crosswalk"]
    assert rows(store, spec) == [
        (P1, "Frozen Giant", "2", "id:scheme/alpha", "id:concept/alpha/a1/a1-1", "Frozen Methods", "Methods"),
        (
            P1,
            "Frozen Giant",
            "2",
            "id:scheme/beta",
            "id:concept/beta/b1",
            "Industrial Deploying",
            "Industrial Deploying",
        ),
        (
            P3,
            "Shared Frozen",
            "2",
            "id:scheme/beta",
            "id:concept/beta/b1",
            "Industrial Deploying",
            "Industrial Deploying",
        ),
        (
            P3,
            "Shared Frozen",
            "2",
            "id:scheme/gamma",
            "id:concept/gamma/g1",
            "Industrial Deploying",
            "Industrial Deploying",
        ),
    ]
    assert rows(store, spec, {"min_schemes": "3"}) == []
    assert {r[0] for r in rows(store, spec, {"min_schemes": "1"})} == {P1, P2, P3, P4}


def test_backbones_by_tuning(store, specs):
    spec = specs["backbones-by-tuning"]
    assert rows(store, spec) == [
        (
            "id:model-family/gpt",
            "GPT",
            "id:model/gpt-4",
            "GPT-4",
            "id:tuning/frozen",
            "Frozen",
            "3",
            "3",
            S({"alpha", "beta", "gamma"}),
        ),
        (
            "id:model-family/bert",
            "BERT",
            "id:model/bert-base",
            "BERT-base",
            "id:tuning/full-finetuning",
            "Full fine-tuning",
            "1",
            "1",
            S({"alpha"}),
        ),
        (
            "id:model-family/llama",
            "LLaMA",
            "id:model/llama-7b",
            "LLaMA-7B",
            "id:tuning/lora",
            "LoRA",
            "1",
            "1",
            S({"beta"}),
        ),
    ]
    assert [r[2] for r in rows(store, spec, {"family": "id:model-family/llama"})] == ["id:model/llama-7b"]


def test_source_conflicts(store, specs):
    spec = specs["source-conflicts"]
    assert rows(store, spec) == [
        (P1, "Frozen Giant", "tuning strategy", "alpha", "id:tuning/frozen", "Frozen"),
        (P1, "Frozen Giant", "tuning strategy", "beta", "id:tuning/lora", "LoRA"),
        (P1, "Frozen Giant", "venue", "alpha", "id:venue/www", "WWW"),
        (P1, "Frozen Giant", "venue", "beta", "id:venue/arxiv", "arXiv"),
        (P1, "Frozen Giant", "year", "alpha", "2024", "2024"),
        (P1, "Frozen Giant", "year", "beta", "2023", "2023"),
        # "shared frozen" (beta) equals "Shared Frozen" ignoring case; "Shared Frozen Models" (gamma) does not
        (P3, "Shared Frozen", "title", "beta", "shared frozen", "shared frozen"),
        (P3, "Shared Frozen", "title", "gamma", "Shared Frozen", "Shared Frozen"),
        (P3, "Shared Frozen", "title", "gamma", "Shared Frozen Models", "Shared Frozen Models"),
    ]
    assert [r[2:5] for r in rows(store, spec, {"field": "year"})] == [
        ("year", "alpha", "2024"),
        ("year", "beta", "2023"),
    ]


def test_paper(store, specs):
    spec = specs["paper"]
    rkg, alpha = "rkg:", "source/alpha"
    assert rows(store, spec, {"q": "tuned ONLY"}) == [
        (P2, "dcterms:subject", "id:concept/alpha/a1", "Methods", "inferred", S()),
        (P2, "dcterms:title", "Tuned Only", None, alpha, S({"11"})),
        (P2, "cito:cites", P1, None, alpha, S({"11"})),
        (P2, "rdf:type", "fabio:ScholarlyWork", None, "inferred", S()),
        (P2, "rdf:type", "rkg:IndustrialPaper", "industrial paper", "inferred", S()),
        (P2, "rdf:type", "rkg:Paper", "paper", alpha, S({"11"})),
        (P2, rkg + "arxivId", "2401.00002", None, alpha, S({"11"})),
        (P2, rkg + "deployedBy", "id:org/zeta", "Zeta", alpha, S({"11"})),
        (P2, rkg + "taxonomyPosition", "id:concept/alpha/a1", "Methods", alpha, S({"11"})),
        (P2, rkg + "tuningStrategy", "id:tuning/full-finetuning", "Full fine-tuning", alpha, S({"11"})),
        (P2, rkg + "usesModel", "id:model/bert-base", "BERT-base", alpha, S({"11"})),
    ]
    assert {r[0] for r in rows(store, spec, {"q": "10.1000/XYZ"})} == {P3}  # DOIs compare ignoring case
    assert {r[0] for r in rows(store, spec, {"q": "2401.00004"})} == {P4}
    assert {r[0] for r in rows(store, spec, {"q": "frozen"})} == {P1, P3, P4}
    titles = {r[2] for r in rows(store, spec, {"q": "shared"}) if r[1] == "dcterms:title"}
    assert titles == {"shared frozen", "Shared Frozen", "Shared Frozen Models"}
    lines = {r[4]: r[5] for r in rows(store, spec, {"q": "shared"}) if r[2] == "Shared Frozen"}
    assert lines == {"source/gamma": S({"30", "31"})}  # both gamma entries describe it


def test_papers_by_venue_year(store, specs):
    spec = specs["papers-by-venue-year"]
    assert rows(store, spec) == [  # code-point order: "WWW" sorts before "arXiv"
        ("id:venue/www", "WWW", "conference", "2024", "2"),
        ("id:venue/arxiv", "arXiv", "preprint server", "2023", "1"),
    ]
    assert [r[0] for r in rows(store, spec, {"year": "2023"})] == ["id:venue/arxiv"]
    assert [r[0] for r in rows(store, spec, {"venue": "id:venue/www", "year": "2024"})] == ["id:venue/www"]
    assert rows(store, spec, {"venue": "id:venue/www", "year": "2023"}) == []


def test_papers_with_code(store, specs):
    spec = specs["papers-with-code"]
    expected = [(P1, "Frozen Giant", "id:repository/github/acme/giant", "https://github.com/acme/giant", S({"alpha"}))]
    assert rows(store, spec) == expected
    assert rows(store, spec, {"host": "GitHub.com"}) == expected
    assert rows(store, spec, {"host": "gitlab.com"}) == []


def test_citations(store, specs):
    spec = specs["citations"]
    assert rows(store, spec) == []  # the default paper (the Wu et al. survey) is not in the fixture
    assert rows(store, spec, {"paper": P1}) == [
        ("citing", P2, "Tuned Only", None, None, None),
        ("reference", P4, "Academic Frozen", "2024", None, "7"),
    ]


def test_source_overlap(store, specs):
    spec = specs["source-overlap"]
    assert rows(store, spec) == [
        ("id:source/beta", "id:source/gamma", "2", "1", "0"),  # papers 3 and 4 in both; paper 1 only in beta
        ("id:source/alpha", "id:source/beta", "1", "1", "2"),
        ("id:source/alpha", "id:source/gamma", "0", "2", "2"),
    ]


def test_shared_method_names(store, specs):
    spec = specs["shared-method-names"]
    assert rows(store, spec) == [
        ("giant", "2", P4, "Academic Frozen", "id:method/arxiv-2401.00004/giant", "GIANT"),
        ("giant", "2", P1, "Frozen Giant", "id:method/arxiv-2401.00001/giant", "Giant"),
    ]


def test_datasets_and_benchmarks(store, specs):
    spec = specs["datasets-and-benchmarks"]
    bench = ("id:benchmark/bench", "benchmark", "Bench", None, P2, "Tuned Only", "https://example.org/bench")
    movies = (
        "id:dataset/movielens",
        "dataset",
        "MovieLens",
        "Movie",
        P4,
        "Academic Frozen",
        "https://grouplens.org/datasets/movielens/",
    )
    assert rows(store, spec) == [bench, movies]
    assert rows(store, spec, {"kind": "Dataset"}) == [movies]


def test_companies(store, specs):
    spec = specs["companies"]
    assert rows(store, spec) == [
        ("id:org/acme", "Acme Corp", S({"Acme Labs", "Acme Labs East"}), "2", "2"),  # paper 1 through Acme Labs East
        ("id:org/zeta", "Zeta", None, "2", "1"),
    ]


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_query_runs_on_an_empty_dataset(name, specs):
    result = run(ox.Store(), specs[name])
    assert result.columns == specs[name].columns
    assert result.rows == []


def test_paper_claims(store, specs):
    # paper 1: alpha line 10 and beta line 20 disagree on year, venue and backbone; each claim keeps its line
    assert rows(store, specs["paper-claims"], {"q": "2401.00001"}) == [
        (P1, "backbone", "id:model/gpt-4", "GPT-4", "id:tuning/frozen", "Frozen", "alpha", "10"),
        (P1, "backbone", "id:model/llama-7b", "LLaMA-7B", "id:tuning/lora", "LoRA", "beta", "20"),
        (P1, "organization", "id:org/acme-labs-east", "Acme Labs East", None, None, "alpha", "10"),
        (P1, "taxonomy position", "id:concept/alpha/a1/a1-1", "Frozen Methods", None, None, "alpha", "10"),
        (P1, "title", "Frozen Giant", None, None, None, "alpha", "10"),
        (P1, "title", "Frozen Giant", None, None, None, "beta", "20"),
        (P1, "venue", "id:venue/www", "WWW", None, None, "alpha", "10"),
        (P1, "venue", "id:venue/arxiv", "arXiv", None, None, "beta", "20"),
        (P1, "year", "2024", None, None, None, "alpha", "10"),
        (P1, "year", "2023", None, None, None, "beta", "20"),
    ]
    assert rows(store, specs["paper-claims"], {"q": "no such paper"}) == []


def test_every_query_has_a_behaviour_test():
    tested = {n.removeprefix("test_").replace("_", "-") for n in globals() if n.startswith("test_")}
    assert set(catalogue()) <= tested


def test_papers_with_strategy(store, specs):
    spec = specs["papers-with-strategy"]
    t, m, alpha, beta, gamma = "id:tuning/", "id:model/", "id:source/alpha", "id:source/beta", "id:source/gamma"
    giant_lora = (P1, "Frozen Giant", m + "llama-7b", "LLaMA-7B", t + "lora", beta, "20")
    tuned_only = (P2, "Tuned Only", m + "bert-base", "BERT-base", t + "full-finetuning", alpha, "11")
    assert rows(store, spec) == [
        (t + "frozen", "Frozen", P4, "Academic Frozen", m + "gpt-4", "GPT-4", t + "frozen", beta, "22"),
        (t + "frozen", "Frozen", P1, "Frozen Giant", m + "gpt-4", "GPT-4", t + "frozen", alpha, "10"),
        (t + "frozen", "Frozen", P3, "Shared Frozen", m + "gpt-4", "GPT-4", t + "frozen", gamma, "30"),
        (t + "full-finetuning", "Full fine-tuning") + tuned_only,
        (t + "lora", "LoRA") + giant_lora,
        (t + "parameter-efficient", "Parameter-efficient fine-tuning") + giant_lora,  # rolled up from LoRA
        (t + "tuned", "Tuned") + giant_lora,
        (t + "tuned", "Tuned") + tuned_only,
    ]
    assert rows(store, spec, {"strategy": "id:tuning/parameter-efficient"}) == [
        (t + "parameter-efficient", "Parameter-efficient fine-tuning") + giant_lora
    ]
    assert [r[2] for r in rows(store, spec, {"strategy": "id:tuning/frozen", "source": beta})] == [P4]
    # the papers behind each count of papers-by-tuning-strategy, no more and no fewer
    listed = {}
    for row in rows(store, spec):
        listed.setdefault(row[0], set()).add(row[2])
    counts = {r[0]: int(r[3]) for r in rows(store, specs["papers-by-tuning-strategy"])}
    assert {s: len(listed.get(s, ())) for s in counts} == counts


def test_papers_by_backbone(store, specs):
    spec = specs["papers-by-backbone"]
    f, m, t = "id:model-family/", "id:model/", "id:tuning/"
    gpt = (f + "gpt", "GPT", m + "gpt-4", "GPT-4")
    assert rows(store, spec) == [
        (
            f + "bert",
            "BERT",
            m + "bert-base",
            "BERT-base",
            P2,
            "Tuned Only",
            t + "full-finetuning",
            "Full fine-tuning",
            "id:source/alpha",
            "11",
        ),
        gpt + (P4, "Academic Frozen", t + "frozen", "Frozen", "id:source/beta", "22"),
        gpt + (P1, "Frozen Giant", t + "frozen", "Frozen", "id:source/alpha", "10"),
        gpt + (P3, "Shared Frozen", t + "frozen", "Frozen", "id:source/gamma", "30"),
        (
            f + "llama",
            "LLaMA",
            m + "llama-7b",
            "LLaMA-7B",
            P1,
            "Frozen Giant",
            t + "lora",
            "LoRA",
            "id:source/beta",
            "20",
        ),
    ]
    assert [r[4] for r in rows(store, spec, {"family": f + "llama"})] == [P1]
    assert [r[4] for r in rows(store, spec, {"model": m + "gpt-4"})] == [P4, P1, P3]
    assert rows(store, spec, {"model": m + "gpt-4", "family": f + "bert"}) == []


def test_already_listed(store, specs):
    spec = specs["already-listed"]
    # beta:21 writes "shared frozen", gamma:30 and gamma:31 describe the same paper with two titles
    assert rows(store, spec, {"q": "shared"}) == [
        (P3, "id:source/beta", "21", None, None, None, "shared frozen"),
        (P3, "id:source/gamma", "30", None, None, None, "Shared Frozen"),
        (P3, "id:source/gamma", "31", None, None, None, "Shared Frozen"),
    ]
    assert [r[:3] for r in rows(store, spec, {"q": "2401.00004"})] == [
        (P4, "id:source/beta", "22"),
        (P4, "id:source/gamma", "32"),
    ]
    assert [r[:2] for r in rows(store, spec, {"q": "10.1000/XYZ"})] == [(P3, "id:source/beta")] + [
        (P3, "id:source/gamma")
    ] * 2
    assert rows(store, spec, {"q": "not listed anywhere"}) == []
