"""`recsys-kg render list`: the merged markdown list, checked with markdown-it-py against the graph (SPARQL on the
seed build) and against the source files' own headings, never against the renderer's own data structures."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from recsys_kg.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
G = "https://w3id.org/recsys-kg/graph/"
PAGE_BASE = "https://w3id.org/recsys-kg/id/paper/"
PAPERS = f"""PREFIX rkg: <https://w3id.org/recsys-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?paper ?title ?link WHERE {{
  GRAPH ?g {{ ?paper a rkg:Paper }} FILTER(STRSTARTS(STR(?g), "{G}source/"))
  OPTIONAL {{ GRAPH ?t {{ ?paper dcterms:title ?title }} }}
  OPTIONAL {{ GRAPH ?l {{ {{ ?paper rkg:link ?link }}
                        UNION {{ ?paper rkg:arxivId ?a BIND(CONCAT("https://arxiv.org/abs/", ?a) AS ?link) }}
                        UNION {{ ?paper rkg:doi ?d BIND(CONCAT("https://doi.org/", ?d) AS ?link) }} }} }}
}}"""


def render(data: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["render", "list", "--data", str(data), *args])
    assert result.exit_code == 0, result.output
    return result.output


def items(markdown: str) -> list[tuple[str | None, str, str]]:
    """(heading above, first link target, first link text) of every list item, parsed by markdown-it-py."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    found, heading = [], None
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            heading = tokens[i + 1].content
        if tok.type == "list_item_open":
            inline = tokens[i + 2]
            assert inline.type == "inline", "each paper is one paragraph"
            children = [c for c in inline.children or [] if c.content or c.type != "text"]
            if children and children[0].type == "link_open":
                text = "".join(
                    c.content for c in children[1 : children.index(next(c for c in children if c.type == "link_close"))]
                )
                found.append((heading, children[0].attrs["href"], text))
            else:
                found.append((heading, "", children[1].content if len(children) > 1 else inline.content))
    return found


@pytest.fixture(scope="module")
def graph_papers(seed_store) -> dict[str, tuple[set[str], set[str]]]:
    """paper IRI -> (its titles, its links) in any source list, from SPARQL."""
    papers: dict[str, tuple[set[str], set[str]]] = {}
    for row in seed_store.query(PAPERS):
        titles, links = papers.setdefault(row["paper"].value, (set(), set()))
        if row["title"] is not None:
            titles.add(" ".join(row["title"].value.split()))
        if row["link"] is not None:
            links.add(row["link"].value)
    assert len(papers) > 300
    return papers


def match(graph_papers, link: str, text: str) -> list[str]:
    """Papers with this title and link; a paper without a title (known only as a benchmark's paper) is listed by
    its id, linking to its page when it has no link either."""
    if link.startswith(PAGE_BASE):
        iri = "https://w3id.org/recsys-kg/id/paper/" + link[len(PAGE_BASE) :]
        titles, links = graph_papers.get(iri, (set(), set()))
        return [iri] if not links and (text in titles or not titles) else []
    link = link.replace("%20", " ").replace("%28", "(").replace("%29", ")")
    untitled = "https://w3id.org/recsys-kg/id/paper/" + text  # a paper no list gives a title is listed by its id
    if untitled in graph_papers and not graph_papers[untitled][0]:
        return [untitled] if link in graph_papers[untitled][1] else []
    return [p for p, (titles, links) in graph_papers.items() if text in titles and link in links]


@pytest.mark.parametrize(
    "grouping",
    [
        "none",
        "year",
        "tuning",
        "venue",
        "taxonomy:next-gen-survey",
        "taxonomy:llm4rec-zh",
        "taxonomy:awesome-llm-enhanced",
    ],
)
def test_exactly_one_line_per_paper_node(seed_build_dir, graph_papers, grouping):
    listed = items(render(seed_build_dir / "recsys-kg.nq", "--group-by", grouping))
    assert len(listed) == len(graph_papers)
    matched = Counter()
    for _, link, text in listed:
        candidates = match(graph_papers, link, text)
        assert candidates, f"no paper has title {text!r} and link {link!r}"
        matched[candidates[0] if len(candidates) == 1 else tuple(sorted(candidates))] += 1
    # papers that share a title and a link are distinct nodes listed once each: the groups have as many lines
    for key, n in matched.items():
        assert n == (len(key) if isinstance(key, tuple) else 1), key


def test_disagreement_markers_link_to_the_pages_of_exactly_the_conflicting_papers(seed_build_dir, seed_store):
    from recsys_kg.query.canned import get_spec, run

    conflicting = {row[0].value for row in run(seed_store, get_spec("source-conflicts")).rows}
    markdown = render(seed_build_dir / "recsys-kg.nq")
    marked = set(re.findall(r"\[⚠ lists disagree: [a-z ,]+\]\((\S+)\)", markdown))
    assert marked == {PAGE_BASE + p[len("https://w3id.org/recsys-kg/id/paper/") :] for p in conflicting}
    assert len(marked) > 5


def source_headings(path: Path) -> list[tuple[int, int, str]]:
    """(line, level, text) of every heading of a source list: markdown headings and HTML <hN> blocks."""
    text = path.read_text(encoding="utf-8")
    found = []
    tokens = MarkdownIt("commonmark").parse(text)
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            found.append((tok.map[0] + 1, int(tok.tag[1]), tokens[i + 1].content))
    for n, line in enumerate(text.split("\n"), 1):
        m = re.match(r"\s*<h([1-6])[^>]*>(.*?)</h\1>", line)
        if m:
            found.append((n, int(m.group(1)), m.group(2)))
    return sorted(found)


def norm(heading: str) -> str:
    heading = re.sub(r"^[\d.]+\s*", "", heading.replace("\\", "").strip()).replace("&amp;", "&")
    return " ".join(heading.split()).lower()


@pytest.mark.parametrize(
    "source,file",
    [
        ("next-gen-survey", "next-gen-llm-recsys-survey.md"),
        ("llm4rec-zh", "llm4rec-paper-list.zh.md"),
        ("awesome-llm-enhanced", "awesome-llm-enhanced-recsys.md"),
    ],
)
def test_grouped_by_a_taxonomy_it_has_that_sources_heading_tree(seed_build_dir, seed_store, source, file):
    markdown = render(seed_build_dir / "recsys-kg.nq", "--group-by", f"taxonomy:{source}")
    tokens = MarkdownIt("commonmark").parse(markdown)
    ours = [(int(t.tag[1]), norm(tokens[i + 1].content)) for i, t in enumerate(tokens) if t.type == "heading_open"]
    ours = [h for h in ours[1:] if not h[1].startswith("not in ")]  # the title and the "not in this list" tail
    theirs = [(line, level, norm(text)) for line, level, text in source_headings(SOURCES / file)]
    # every concept of the scheme in the graph has a heading
    concepts = {
        norm(r["label"].value)
        for r in seed_store.query(f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?label WHERE {{ GRAPH <{G}source/{source}> {{ ?c skos:inScheme ?s ; skos:prefLabel ?label }} }}""")
    }
    assert {text for _, text in ours} == concepts
    # in the source's order, each under the heading the source nests it under
    position, stack = 0, []
    for level, text in ours:
        at = next(i for i in range(position, len(theirs)) if theirs[i][2] == text)
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent_in_source = next((h[2] for h in reversed(theirs[:at]) if h[1] < theirs[at][1]), None)
        if stack:
            assert stack[-1][1] == parent_in_source, (text, stack[-1][1], parent_in_source)
        stack.append((level, text))
        position = at + 1


def test_papers_under_a_concept_heading_are_placed_there_by_that_source(seed_build_dir, seed_store, graph_papers):
    rows = seed_store.query(f"""PREFIX rkg: <https://w3id.org/recsys-kg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?paper ?label WHERE {{ GRAPH <{G}source/llm4rec-zh> {{
          ?paper rkg:taxonomyPosition ?c . ?c skos:prefLabel ?label }} }}""")
    placed: dict[str, set[str]] = {}
    for r in rows:
        placed.setdefault(r["paper"].value, set()).add(norm(r["label"].value))
    for heading, link, text in items(render(seed_build_dir / "recsys-kg.nq", "--group-by", "taxonomy:llm4rec-zh")):
        papers = match(graph_papers, link, text)
        if heading.startswith("Not in"):
            assert not any(p in placed for p in papers), text
        else:
            assert any(norm(heading) in placed.get(p, ()) for p in papers), (heading, text)


def test_sorted_by_date_newest_first(seed_build_dir):
    markdown = render(seed_build_dir / "recsys-kg.nq")
    years = [int(m) for m in re.findall(r"^- .*? · (?:[^·`]*? )?(\d{4})(?: ·| `)", markdown, re.M)]
    assert len(years) > 200 and years == sorted(years, reverse=True)


def test_written_atomically_to_a_file_and_deterministic(seed_build_dir, tmp_path):
    out = tmp_path / "README.md"
    written = []
    for _ in range(2):
        result = CliRunner().invoke(
            main,
            [
                "render",
                "list",
                "--data",
                str(seed_build_dir / "recsys-kg.nq"),
                "--group-by",
                "venue",
                "--sort",
                "venue",
                "--out",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        written.append(out.read_bytes())
    assert written[0] == written[1] and [p.name for p in tmp_path.iterdir()] == ["README.md"]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--group-by", "taxonomy:nope"], "unknown grouping 'taxonomy:nope'"),
        (["--group-by", "taxonomy:s2-wu2023"], "unknown grouping"),
        (["--sort", "title"], "Invalid value for '--sort'"),
    ],
)
def test_bad_options_are_usage_errors(seed_build_dir, args, message):
    result = CliRunner().invoke(main, ["render", "list", "--data", str(seed_build_dir / "recsys-kg.nq"), *args])
    assert result.exit_code == 2 and message in result.output


def test_unreadable_or_empty_datasets_are_exit_2(tmp_path):
    missing = CliRunner().invoke(main, ["render", "list", "--data", str(tmp_path / "none.nq")])
    assert missing.exit_code == 2 and "does not exist" in missing.output and "Traceback" not in missing.output
    empty = tmp_path / "empty.nq"
    empty.write_text("<urn:a> <urn:b> <urn:c> <https://w3id.org/recsys-kg/graph/vocabulary> .\n")
    nothing = CliRunner().invoke(main, ["render", "list", "--data", str(empty)])
    assert nothing.exit_code == 2 and "no papers" in nothing.output
