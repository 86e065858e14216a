"""Paper search on the seed graph: every identifier form a list or a person uses finds the paper through the
build's own parser, and titles and method names match ignoring case, hyphens, punctuation and small typos."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from recsys_kg.query.search import PaperIndex, identifier_keys

SURVEY = "https://w3id.org/recsys-kg/id/paper/arxiv-2305.19860"
TALLREC = "https://w3id.org/recsys-kg/id/paper/doi-10.1145_3604915.3608857"  # ZH:187, NEXT:161, S2:482
LLAMAREC = "https://w3id.org/recsys-kg/id/paper/arxiv-2311.02089"


@pytest.fixture(scope="module")
def index(seed_store: ox.Store) -> PaperIndex:
    return PaperIndex(seed_store)


@pytest.mark.parametrize(
    "text",
    [
        "2305.19860",
        "arXiv:2305.19860",
        "arxiv: 2305.19860",
        "2305.19860v2",
        "https://arxiv.org/abs/2305.19860",
        "https://arxiv.org/pdf/2305.19860v3.pdf",
        "http://export.arxiv.org/abs/2305.19860",
        "https://doi.org/10.48550/arXiv.2305.19860",
    ],
)
def test_every_arxiv_form_finds_the_survey(index, text):
    hits = index.search(text)
    assert [(h.paper, h.score) for h in hits] == [(SURVEY, 100.0)]


@pytest.mark.parametrize(
    "text",
    [
        "10.1145/3604915.3608857",
        "doi:10.1145/3604915.3608857",
        "https://doi.org/10.1145/3604915.3608857",
        "http://dx.doi.org/10.1145/3604915.3608857",
        "10.1145/3604915.3608857".upper(),
        "https://dl.acm.org/doi/10.1145/3604915.3608857",
        "https://dl.acm.org/doi/pdf/10.1145/3604915.3608857",
    ],
)
def test_every_doi_form_finds_tallrec(index, text):
    assert [h.paper for h in index.search(text)] == [TALLREC]


@pytest.mark.parametrize(
    "prop, url",
    [
        ("openReviewId", "https://openreview.net/forum?id={}"),
        ("aclAnthologyId", "https://aclanthology.org/{}.pdf"),
        ("ieeeDocumentId", "https://ieeexplore.ieee.org/document/{}"),
        ("aaaiArticleId", "https://ojs.aaai.org/index.php/AAAI/article/view/{}"),
        ("semanticScholarId", "https://www.semanticscholar.org/paper/Some-Title/{}"),
    ],
)
def test_links_of_every_kind_find_their_paper(index, seed_store, prop, url):
    predicate = ox.NamedNode("https://w3id.org/recsys-kg/ontology#" + prop)
    pairs = {(q.subject.value, q.object.value) for q in seed_store.quads_for_pattern(None, predicate, None, None)}
    assert pairs, f"the seed graph has no rkg:{prop}"
    for paper, value in sorted(pairs):
        assert paper in [h.paper for h in index.search(url.format(value))], (prop, value)


def test_an_identifier_not_in_the_graph_finds_nothing_by_identifier(index):
    assert index.by_identifier("2305.00447") == []  # TALLRec's arXiv id: every list links its ACM DOI instead
    assert index.by_identifier("two stage recommendation") is None  # not an identifier at all


@pytest.mark.parametrize(
    "text",
    ["two stage recommendation", "Two-Stage Recommendation", "two-stage, recommendation!", "TWO STAGE RECOMMENDATION"],
)
def test_title_words_ignore_case_hyphens_and_punctuation(index, text):
    best = index.search(text)[0]
    assert (best.paper, best.score, best.matched) == (LLAMAREC, 95.0, "title")


@pytest.mark.parametrize(
    "text, matched",
    [
        ("TALLRec", "method TALLRec"),
        ("tallrec", "method TALLRec"),
        ("TALRec", "method TALLRec"),
        ("TALLRce", "method TALLRec"),
        ("An Effective and Efficient Tuning Framework to Align Large Language Model with Recomendation", "title"),
    ],
)
def test_method_names_and_titles_survive_small_typos(index, text, matched):
    best = index.search(text)[0]
    assert (best.paper, best.matched) == (TALLREC, matched)
    assert best.score >= 85


def test_results_are_ranked_with_scores_and_limited(index):
    hits = index.search("large language models for recommendation", limit=5)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits == index.search("large language models for recommendation", limit=5)  # deterministic


def test_a_method_name_several_papers_use_gives_them_all(index):
    # NEXT:338 "RecGPT: Generative Personalized Prompts ..." and NEXT:285 "RecGPT: Generative Pre-training ..."
    hits = [h for h in index.search("RecGPT") if h.score == 100.0]
    assert {h.paper for h in hits} == {
        "https://w3id.org/recsys-kg/id/paper/arxiv-2404.08675",
        "https://w3id.org/recsys-kg/id/paper/arxiv-2405.12715",
    }


def test_identifier_keys_use_the_build_parser():
    assert identifier_keys("arXiv:2305.19860v2") == [("arxiv", "2305.19860")]
    assert identifier_keys("https://doi.org/10.48550/arXiv.2305.19860") == [
        ("doi", "10.48550/arxiv.2305.19860"),
        ("arxiv", "2305.19860"),
        ("link", "https://doi.org/10.48550/arXiv.2305.19860"),
    ]
    assert identifier_keys("LlamaRec") == []
