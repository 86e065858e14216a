"""Identifiers from links and title keys, checked on links and titles copied from data/sources/*.md.

Each case group names the source file its inputs come from. Cases marked "not in the sources" cover link forms
the brief requires that the current lists happen not to use.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from recsys_kg.normalize.identifiers import (
    LinkIds,
    normalize_arxiv,
    normalize_doi,
    normalize_title,
    parse_link,
    title_variants,
)

ID_FIELDS = (
    "arxiv", "arxiv_version", "doi", "openreview", "semantic_scholar", "github", "acl_anthology", "ieee", "aaai",
)  # fmt: skip

# (url, kind, expected identifier fields; fields not named must be None)
LINK_CASES = [
    # arXiv -- awesome-llm-enhanced-recsys.md
    ("https://arxiv.org/pdf/2305.19860", "arxiv", {"arxiv": "2305.19860"}),
    ("https://arxiv.org/pdf/2306.02841v4", "arxiv", {"arxiv": "2306.02841", "arxiv_version": "v4"}),
    ("https://www.arxiv.org/pdf/2408.10520", "arxiv", {"arxiv": "2408.10520"}),
    # arXiv -- llm4rec-paper-list.zh.md
    ("https://arxiv.org/pdf/2306.05817v5.pdf", "arxiv", {"arxiv": "2306.05817", "arxiv_version": "v5"}),
    ("https://arxiv.org/pdf/2402.12984v1.pdf", "arxiv", {"arxiv": "2402.12984", "arxiv_version": "v1"}),
    ("https://arxiv.org/pdf/2403.19347.pdf", "arxiv", {"arxiv": "2403.19347"}),
    ("https://arxiv.org/abs/2212.08167v1", "arxiv", {"arxiv": "2212.08167", "arxiv_version": "v1"}),
    # arXiv -- next-gen-llm-recsys-survey.md (plain link, and one with a text fragment)
    ("https://arxiv.org/abs/2410.19744", "arxiv", {"arxiv": "2410.19744"}),
    (
        "https://arxiv.org/abs/2305.15673#:~:text=By%20building%20a%20ChatGPT-like%20book%20recommendation",
        "arxiv",
        {"arxiv": "2305.15673"},
    ),
    # arXiv -- not in the sources: http, trailing slash, old-style id
    ("http://arxiv.org/abs/2305.19860v1/", "arxiv", {"arxiv": "2305.19860", "arxiv_version": "v1"}),
    ("https://arxiv.org/abs/cs/0101001", "arxiv", {"arxiv": "cs/0101001"}),
    # arXiv DOI -- s2-wu2023-llm4rec-survey.md (the S2 page of the Wu et al. survey)
    (
        "https://doi.org/10.48550/arXiv.2305.19860",
        "arxiv",
        {"arxiv": "2305.19860", "doi": "10.48550/arxiv.2305.19860"},
    ),
    # ACM DOIs -- next-gen-llm-recsys-survey.md, awesome-llm-enhanced-recsys.md, llm4rec-paper-list.zh.md
    ("https://dl.acm.org/doi/abs/10.1145/3589335.3648307", "doi", {"doi": "10.1145/3589335.3648307"}),
    ("https://dl.acm.org/doi/pdf/10.1145/3589335.3648307", "doi", {"doi": "10.1145/3589335.3648307"}),
    ("https://dl.acm.org/doi/fullHtml/10.1145/3604915.3608844", "doi", {"doi": "10.1145/3604915.3608844"}),
    # ACM and doi.org -- not in the sources: bare /doi/, epdf, dx.doi.org, percent-encoded slash, .pdf
    ("https://dl.acm.org/doi/10.1145/3604915.3608857", "doi", {"doi": "10.1145/3604915.3608857"}),
    ("https://dl.acm.org/doi/epdf/10.1145/3616855.3635845", "doi", {"doi": "10.1145/3616855.3635845"}),
    ("http://dx.doi.org/10.1145/3626772.3657782", "doi", {"doi": "10.1145/3626772.3657782"}),
    ("https://doi.org/10.1145%2F3637528.3671618", "doi", {"doi": "10.1145/3637528.3671618"}),
    # Springer -- next-gen-llm-recsys-survey.md, awesome-llm-enhanced-recsys.md
    ("https://link.springer.com/chapter/10.1007/978-3-031-56063-7_42", "doi", {"doi": "10.1007/978-3-031-56063-7_42"}),
    ("https://link.springer.com/chapter/10.1007/978-981-97-2650-9_3", "doi", {"doi": "10.1007/978-981-97-2650-9_3"}),
    (
        "https://link.springer.com/content/pdf/10.1007/s11280-024-01276-1.pdf",
        "doi",
        {"doi": "10.1007/s11280-024-01276-1"},
    ),
    # Springer -- not in the sources: /article/
    ("https://link.springer.com/article/10.1007/s11280-024-01276-1", "doi", {"doi": "10.1007/s11280-024-01276-1"}),
    # OpenReview -- awesome-llm-enhanced-recsys.md, llm4rec-paper-list.zh.md, next-gen-llm-recsys-survey.md
    ("https://openreview.net/pdf?id=gwHVlTNKsG", "openreview", {"openreview": "gwHVlTNKsG"}),
    ("https://openreview.net/forum?id=hFx3fY7-m9b", "openreview", {"openreview": "hFx3fY7-m9b"}),
    ("https://openreview.net/forum?id=bStpLVqv1H#all", "openreview", {"openreview": "bStpLVqv1H"}),
    # Semantic Scholar -- s2-wu2023-llm4rec-survey.md
    (
        "https://www.semanticscholar.org/paper/GenRec%3A-Large-Language-Model-for-Generative-Ji-Li/"
        "d9ff3db7a9e37fe0363bb87aa47acd6b6b67977e",
        "semantic-scholar",
        {"semantic_scholar": "d9ff3db7a9e37fe0363bb87aa47acd6b6b67977e"},
    ),
    (
        "https://www.semanticscholar.org/paper/A-Survey-on-Large-Language-Models-for-Wu-Zheng/"
        "b486982fa7c68a8a08df1111ba9607119419c488#cited-papers",
        "semantic-scholar",
        {"semantic_scholar": "b486982fa7c68a8a08df1111ba9607119419c488"},
    ),
    (
        "https://www.semanticscholar.org/paper/A-Survey-on-Large-Language-Models-for-Wu-Zheng/"
        "b486982fa7c68a8a08df1111ba9607119419c488/figure/0",
        "semantic-scholar",
        {"semantic_scholar": "b486982fa7c68a8a08df1111ba9607119419c488"},
    ),
    (
        "https://www.semanticscholar.org/paper/9aeebfab9e27a4cecf7f488fca2d0bf07e06ae15#citing-papers",
        "semantic-scholar",
        {"semantic_scholar": "9aeebfab9e27a4cecf7f488fca2d0bf07e06ae15"},
    ),
    (
        "https://www.semanticscholar.org/paper/59b2280fa6f2a4b7fb7b82d3b6881d9051c22b8f"
        "?sort=is-influential#citing-papers",
        "semantic-scholar",
        {"semantic_scholar": "59b2280fa6f2a4b7fb7b82d3b6881d9051c22b8f"},
    ),
    (
        "https://www.semanticscholar.org/reader/b486982fa7c68a8a08df1111ba9607119419c488",
        "semantic-scholar",
        {"semantic_scholar": "b486982fa7c68a8a08df1111ba9607119419c488"},
    ),
    # Semantic Scholar -- not in the sources: upper-case hex is lower-cased
    (
        "https://www.semanticscholar.org/paper/D9FF3DB7A9E37FE0363BB87AA47ACD6B6B67977E",
        "semantic-scholar",
        {"semantic_scholar": "d9ff3db7a9e37fe0363bb87aa47acd6b6b67977e"},
    ),
    # GitHub -- awesome-llm-enhanced-recsys.md, llm4rec-paper-list.zh.md, next-gen-llm-recsys-survey.md
    ("https://github.com/WLiK/LLM4Rec-Awesome-Papers", "github", {"github": "wlik/llm4rec-awesome-papers"}),
    ("https://github.com/HKUDS/OpenGraph/tree/main", "github", {"github": "hkuds/opengraph"}),
    ("https://github.com/YunjiaXi/REKI?tab=readme-ov-file", "github", {"github": "yunjiaxi/reki"}),
    ("https://github.com/anord-wang/LLM4REC.git", "github", {"github": "anord-wang/llm4rec"}),
    ("https://github.com/RUCAIBox/LSVCR/", "github", {"github": "rucaibox/lsvcr"}),
    ("https://github.com/westlake-repl/IDvs.MoRec", "github", {"github": "westlake-repl/idvs.morec"}),
    (
        "https://github.com/mindspore-lab/models/tree/master/research/huawei-noah/PMG",
        "github",
        {"github": "mindspore-lab/models"},
    ),
    (
        "https://github.com/AaronHeee/LLMs-as-Zero-Shot-Conversational-RecSys#large-language-models-as-zero-shot",
        "github",
        {"github": "aaronheee/llms-as-zero-shot-conversational-recsys"},
    ),
    # ACL Anthology -- awesome-llm-enhanced-recsys.md, llm4rec-paper-list.zh.md
    ("https://aclanthology.org/2024.kallm-1.6.pdf", "acl-anthology", {"acl_anthology": "2024.kallm-1.6"}),
    ("https://aclanthology.org/2022.coling-1.249/", "acl-anthology", {"acl_anthology": "2022.coling-1.249"}),
    # ACL Anthology -- not in the sources: the page form of the same paper
    ("https://aclanthology.org/2024.kallm-1.6/", "acl-anthology", {"acl_anthology": "2024.kallm-1.6"}),
    # IEEE Xplore -- next-gen-llm-recsys-survey.md, awesome-llm-enhanced-recsys.md
    ("https://ieeexplore.ieee.org/abstract/document/10411560", "ieee", {"ieee": "10411560"}),
    ("https://ieeexplore.ieee.org/abstract/document/10506571", "ieee", {"ieee": "10506571"}),
    ("https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber=10447514", "ieee", {"ieee": "10447514"}),
    # IEEE Xplore -- not in the sources: /document/N
    ("https://ieeexplore.ieee.org/document/10506571", "ieee", {"ieee": "10506571"}),
    # AAAI -- next-gen-llm-recsys-survey.md, awesome-llm-enhanced-recsys.md, llm4rec-paper-list.zh.md
    ("https://ojs.aaai.org/index.php/AAAI/article/view/29887", "aaai", {"aaai": "29887"}),
    ("https://ojs.aaai.org/index.php/AAAI/article/view/29887/31548", "aaai", {"aaai": "29887"}),
    ("https://ojs.aaai.org/index.php/AAAI/article/view/16557", "aaai", {"aaai": "16557"}),
    # Links without a paper identifier -- all sources
    ("https://github.com/CHIANGEL", "other", {}),  # a user page (llm4rec-paper-list.zh.md)
    ("https://www.semanticscholar.org/author/Likang-Wu/12892739", "other", {}),  # s2-wu2023-llm4rec-survey.md
    ("https://www.semanticscholar.org/venue?name=RecSys", "other", {}),  # s2-wu2023-llm4rec-survey.md
    ("https://www.semanticscholar.org/reader/b486982fa7c68a8a08df1111ba9607119419c488x", "other", {}),  # 41 chars
    (
        "https://figures.semanticscholar.org/b486982fa7c68a8a08df1111ba9607119419c488/3-Figure1-1.png",
        "other",
        {},
    ),  # an image, s2-wu2023-llm4rec-survey.md
    ("https://topics-beta.apps.semanticscholar.org/topic/64162835186?corpusId=258987581", "other", {}),
    ("https://ceur-ws.org/Vol-3476/paper5.pdf", "other", {}),  # llm4rec-paper-list.zh.md
    ("https://www.ijcai.org/proceedings/2021/462", "other", {}),  # llm4rec-paper-list.zh.md
    ("https://papers.ssrn.com/sol3/papers.cfm?abstract_id=4828316", "other", {}),
    ("https://anonymous.4open.science/r/LoRec/README.md", "other", {}),  # llm4rec-paper-list.zh.md
    ("https://grouplens.org/datasets/movielens/1m/", "other", {}),  # llm4rec-paper-list.zh.md
    # Look-alikes -- not in the sources
    ("https://arxiv.org/list/cs.IR/recent", "other", {}),
    ("https://arxiv.org/abs/2305.198601", "other", {}),  # six digits after the dot
    ("https://example.org/abs/2305.19860", "other", {}),
    ("https://dl.acm.org/doi/abs/11.1145/3589335.3648307", "other", {}),
    ("https://openreview.net/forum", "other", {}),
    ("https://openreview.net/forum?id=a b", "other", {}),
    ("https://github.com/topics/recommender-system", "other", {}),
    ("https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber=", "other", {}),
]


@pytest.mark.parametrize(("url", "kind", "expected"), LINK_CASES, ids=[case[0][:90] for case in LINK_CASES])
def test_parse_link(url: str, kind: str, expected: dict[str, str]) -> None:
    ids = parse_link(url)
    assert ids.url == url
    assert ids.kind == kind
    assert {name: getattr(ids, name) for name in ID_FIELDS} == {name: expected.get(name) for name in ID_FIELDS}


SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"
# Hosts whose every link in the sources names a paper, and the kind each must give.
PAPER_HOSTS = {
    "arxiv.org": "arxiv",
    "www.arxiv.org": "arxiv",
    "dl.acm.org": "doi",
    "link.springer.com": "doi",
    "doi.org": "arxiv",  # the only doi.org link is the arXiv DOI in s2-wu2023-llm4rec-survey.md
    "openreview.net": "openreview",
    "aclanthology.org": "acl-anthology",
    "ieeexplore.ieee.org": "ieee",
    "ojs.aaai.org": "aaai",
}


def test_every_paper_link_in_the_sources_gives_an_identifier() -> None:
    urls = {url for path in SOURCES.glob("*.md") for url in re.findall(r"https?://[^\s()<>|\]\[]+", path.read_text())}
    checked = 0
    for url in sorted(urls):
        host = url.split("/")[2].lower()
        if host in PAPER_HOSTS:
            assert parse_link(url).kind == PAPER_HOSTS[host], url
            checked += 1
    assert checked > 300


def test_parse_link_reads_corpus_id() -> None:
    # s2-wu2023-llm4rec-survey.md, BibTeX block: the brace after the number is part of the copied text.
    ids = parse_link("https://api.semanticscholar.org/CorpusID:258987581}")
    assert (ids.kind, ids.corpus_id, ids.semantic_scholar) == ("other", "258987581", None)


@pytest.mark.parametrize(
    "wrapped",
    [
        "  https://arxiv.org/abs/2410.19744  ",
        "<https://arxiv.org/abs/2410.19744>",
        "\t< https://arxiv.org/abs/2410.19744 >\n",
        "HTTPS://ARXIV.ORG/abs/2410.19744",
    ],
)
def test_parse_link_strips_wrapping_and_keeps_url(wrapped: str) -> None:
    ids = parse_link(wrapped)
    assert (ids.kind, ids.arxiv, ids.url) == ("arxiv", "2410.19744", wrapped)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "not a url",
        "javascript:alert(1)",
        "mailto:someone@example.org",
        "ftp://arxiv.org/abs/2305.19860",
        "arxiv.org/abs/2305.19860",  # no scheme: not a link the lists would write
        "http://[::1",  # urlsplit raises on this
        "https://",
        "https://github.com/",
        "https://doi.org/",
        "https://doi.org/10.1145/",
        "https://openreview.net/forum?id=",
        "https://www.semanticscholar.org/paper/",
        "https://aclanthology.org/",
        "https://ojs.aaai.org/index.php/AAAI/article/view/",
        "\x00\ufffd",
    ],
)
def test_parse_link_garbage_is_other(garbage: str) -> None:
    ids = parse_link(garbage)
    assert ids == LinkIds(url=garbage)


def test_same_paper_same_keys_across_sources() -> None:
    # Enhancing Sequential Recommendation via LLM-based Semantic Embedding Learning: an /abs/ link in
    # next-gen-llm-recsys-survey.md, a /pdf/ link in awesome-llm-enhanced-recsys.md.
    abstract = parse_link("https://dl.acm.org/doi/abs/10.1145/3589335.3648307")
    pdf = parse_link("https://dl.acm.org/doi/pdf/10.1145/3589335.3648307")
    assert abstract.doi == pdf.doi and abstract.url != pdf.url
    # The Wu et al. survey: an arXiv PDF link in awesome-llm-enhanced-recsys.md, its arXiv DOI in the S2 page.
    assert (
        parse_link("https://arxiv.org/pdf/2305.19860").arxiv
        == parse_link("https://doi.org/10.48550/arXiv.2305.19860").arxiv
    )


def test_link_ids_is_frozen_and_has_the_agreed_fields() -> None:
    names = [field.name for field in dataclasses.fields(LinkIds)]
    assert names[: len(ID_FIELDS) + 2] == ["url", *ID_FIELDS, "kind"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_link("https://arxiv.org/abs/2410.19744").arxiv = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://doi.org/10.1145/3589335.3648307", "10.1145/3589335.3648307"),
        ("http://dx.doi.org/10.1145/3589335.3648307", "10.1145/3589335.3648307"),
        ("doi:10.1145/3589335.3648307", "10.1145/3589335.3648307"),
        ("DOI: 10.1145/3589335.3648307", "10.1145/3589335.3648307"),
        ("10.1007/s11280-024-01276-1.pdf", "10.1007/s11280-024-01276-1"),
        ("10.1007/S11280-024-01276-1.PDF", "10.1007/s11280-024-01276-1"),
        ("  10.48550/arXiv.2305.19860/ ", "10.48550/arxiv.2305.19860"),
        ("10.1145%2F3604915.3608844", "10.1145/3604915.3608844"),
        ("10.1007/978-3-031-56063-7_42", "10.1007/978-3-031-56063-7_42"),
        ("10.123456789/x", "10.123456789/x"),  # nine-digit registrant
        ("10.123/x", None),  # registrant too short
        ("10.1234567890/x", None),  # registrant too long
        ("10.1145/", None),  # empty suffix
        ("10.1145/3589335 3648307", None),  # white space inside
        ("11.1145/3589335.3648307", None),
        ("https://dl.acm.org/doi/abs/10.1145/3589335.3648307", None),  # a landing page, not a DOI
        ("", None),
        ("not a doi", None),
    ],
)
def test_normalize_doi(text: str, expected: str | None) -> None:
    assert normalize_doi(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2305.19860", ("2305.19860", None)),
        ("2305.19860v2", ("2305.19860", "v2")),
        ("arXiv:2305.19860", ("2305.19860", None)),
        ("arXiv: 2410.19744v1", ("2410.19744", "v1")),
        ("abs/2305.19860", ("2305.19860", None)),
        ("pdf/2306.05817v5.pdf", ("2306.05817", "v5")),
        (" 2306.02841v4 ", ("2306.02841", "v4")),
        ("0704.0001", ("0704.0001", None)),  # four digits after the dot (2007-2014)
        ("cs/0101001", ("cs/0101001", None)),
        ("hep-th/9901001v2", ("hep-th/9901001", "v2")),
        ("math.CO/0101001", ("math.CO/0101001", None)),
        ("2313.19860", None),  # month 13
        ("2305.198", None),
        ("2305.198601", None),
        ("2305.19860v", None),
        ("10.1145/3589335.3648307", None),
        ("", None),
        ("arXiv", None),
    ],
)
def test_normalize_arxiv(text: str, expected: tuple[str, str | None] | None) -> None:
    assert normalize_arxiv(text) == expected


SAME_TITLE = [
    # next-gen-llm-recsys-survey.md: industrial table (quoted, lower case) vs numbered list
    (
        "'Enhancing sequential recommendation via llm-based semantic embedding learning'",
        "Enhancing Sequential Recommendation via LLM-based Semantic Embedding Learning",
    ),
    (
        "Enhancing sequential recommendation via llm-based semantic embedding learning",
        "Enhancing Sequential Recommendation via LLM-based Semantic Embedding Learning",
    ),
    # next-gen-llm-recsys-survey.md generative table vs llm4rec-paper-list.zh.md
    (
        "'Genrec: Large language model for generative recommendation'",
        "GenRec: Large Language Model for Generative Recommendation",
    ),
    # next-gen-llm-recsys-survey.md generative table ("open-and") vs awesome-llm-enhanced-recsys.md ("Open- and")
    (
        "'Once: Boosting content-based recommendation with both open-and closed-source large language models'",
        "ONCE: Boosting Content-based Recommendation with Both Open- and Closed-source Large Language Models",
    ),
    # awesome-llm-enhanced-recsys.md: mojibake en dash vs the real en dash
    (
        "Survey for Landing Generative AI in Social and E-commerce Recsys â€“ the Industry Perspectives",
        "Survey for Landing Generative AI in Social and E-commerce Recsys – the Industry Perspectives",
    ),
    # next-gen-llm-recsys-survey.md: curly apostrophe vs ASCII, and curly double quotes around the title
    (
        "Uncovering ChatGPT’s Capabilities in Recommender Systems",
        "“Uncovering ChatGPT's capabilities in recommender systems”",
    ),
    # HTML entity, <br /> and doubled spaces, written the way llm4rec-paper-list.zh.md writes its cells
    # ("LLM &amp; RS" in its contents, "ChatGPT+<br />ChatGLM (6B)" in its tables)
    (
        "LLM &amp; RS:<br />Heterogeneous  Knowledge Fusion",
        "LLM & RS: Heterogeneous Knowledge Fusion",
    ),
    # full-width colon (NFKC) vs ASCII colon -- not in the sources
    (
        "CTRL：Connect Collaborative and Language Model for CTR Prediction",
        "CTRL: Connect Collaborative and Language Model for CTR Prediction",
    ),
]


@pytest.mark.parametrize(("left", "right"), SAME_TITLE, ids=[pair[1][:50] for pair in SAME_TITLE])
def test_normalize_title_same_key(left: str, right: str) -> None:
    assert normalize_title(left) == normalize_title(right)


def test_normalize_title_key_shape() -> None:
    assert (
        normalize_title(
            "Survey for Landing Generative AI in Social and E-commerce Recsys â€“ the Industry Perspectives"
        )
        == "survey for landing generative ai in social and e commerce recsys the industry perspectives"
    )
    assert normalize_title("  'Genrec: Large language model for generative recommendation'  ") == (
        "genrec large language model for generative recommendation"
    )
    assert normalize_title("") == ""


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # awesome-llm-enhanced-recsys.md: two surveys listed next to each other
        (
            "A Survey on Large Language Models for Recommendation",
            "How Can Recommender Systems Benefit from Large Language Models: A Survey",
        ),
        # next-gen-llm-recsys-survey.md: similar names, different papers
        (
            "GenRec: Large Language Model for Generative Recommendation",
            "TALLRec: An Effective and Efficient Tuning Framework to Align Large Language Model with Recommendation",
        ),
        # the name prefix is kept, so LLMESR and a bare title do not collide in normalize_title
        (
            "LLMESR: Large Language Models Enhancement for Long-tailed Sequential Recommendation",
            "Large Language Models Enhancement for Long-tailed Sequential Recommendation",
        ),
    ],
)
def test_normalize_title_different_key(left: str, right: str) -> None:
    assert normalize_title(left) != normalize_title(right)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # awesome-llm-enhanced-recsys.md
        (
            "LLMESR: Large Language Models Enhancement for Long-tailed Sequential Recommendation",
            (
                "llmesr large language models enhancement for long tailed sequential recommendation",
                "large language models enhancement for long tailed sequential recommendation",
            ),
        ),
        # next-gen-llm-recsys-survey.md generative table: the quotes do not hide the prefix
        (
            "'Genrec: Large language model for generative recommendation'",
            (
                "genrec large language model for generative recommendation",
                "large language model for generative recommendation",
            ),
        ),
        # awesome-llm-enhanced-recsys.md: a five-word prefix still counts
        (
            "All Roads Lead to Rome: Unveiling the Trajectory of Recommender Systems Across the LLM Era",
            (
                "all roads lead to rome unveiling the trajectory of recommender systems across the llm era",
                "unveiling the trajectory of recommender systems across the llm era",
            ),
        ),
        # awesome-llm-enhanced-recsys.md: a colon after more than five words is part of the title
        (
            "How Can Recommender Systems Benefit from Large Language Models: A Survey",
            ("how can recommender systems benefit from large language models a survey",),
        ),
        # next-gen-llm-recsys-survey.md: no colon
        (
            "Enhancing Sequential Recommendation via LLM-based Semantic Embedding Learning",
            ("enhancing sequential recommendation via llm based semantic embedding learning",),
        ),
        # edge cases -- not in the sources
        ("LLMESR:", ("llmesr",)),
        (": A Survey", ("a survey",)),
        ("", ()),
    ],
)
def test_title_variants(title: str, expected: tuple[str, ...]) -> None:
    assert title_variants(title) == expected


def test_title_variants_match_across_sources() -> None:
    # llm4rec-paper-list.zh.md writes "GenRec: ..."; a list that dropped the name would match the second key.
    bare = normalize_title("Large Language Model for Generative Recommendation")
    assert bare in title_variants("GenRec: Large Language Model for Generative Recommendation")
    assert title_variants("GenRec: Large Language Model for Generative Recommendation")[0] == normalize_title(
        "'Genrec: Large language model for generative recommendation'"
    )
