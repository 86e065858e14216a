"""`recsys-kg render site`: the pages hold what the graph says (checked with SPARQL on the seed build and against
the source files), every internal link of the whole site resolves, every picture draws one mark per table row,
and the output is byte-identical across renders."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from click.testing import CliRunner

from recsys_kg.cli.main import main

ID = "https://w3id.org/recsys-kg/id/"
G = "https://w3id.org/recsys-kg/graph/"
TALLREC = ID + "paper/doi-10.1145_3604915.3608857"


class Page(HTMLParser):
    """Links, ids, table rows and text of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.rows: list[tuple[str, list[str]]] = []  # (class of the row, its cells' text)
        self._row: list[str] | None = None
        self._row_class = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for name in ("href", "src"):
            if a.get(name):
                self.links.append(a[name])
        if tag == "tr":
            self._row, self._row_class = [], a.get("class") or ""
        elif tag in ("td", "th") and self._row is not None:
            self._row.append("")

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            self.rows.append((self._row_class, self._row))
            self._row = None

    def handle_data(self, data):
        self.text.append(data)
        if self._row:
            self._row[-1] += data


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def page_of(site: Path, iri: str) -> Path:
    return site / (iri[len("https://w3id.org/recsys-kg/") :] + ".html")


def test_a_page_for_every_paper_node(seed_site, seed_store):
    papers = {
        r["p"].value
        for r in seed_store.query(
            f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?p a <https://w3id.org/recsys-kg/ontology#Paper> }} "
            f'FILTER(STRSTARTS(STR(?g), "{G}source/")) }}'
        )
    }
    pages = {str(p.relative_to(seed_site))[:-5] for p in (seed_site / "id" / "paper").glob("*.html")}
    assert pages == {p[len("https://w3id.org/recsys-kg/") :] for p in papers}


def test_the_tallrec_page_shows_every_sources_claims_with_their_lines(seed_site, seed_store):
    page = parse(page_of(seed_site, TALLREC))
    lists = {
        r["g"].value[len(G + "source/") :]: int(r["line"].value)
        for r in seed_store.query(f"""
        SELECT ?g ?line WHERE {{ GRAPH ?g {{ ?e <https://w3id.org/recsys-kg/ontology#describes> <{TALLREC}> ;
                                         <https://w3id.org/recsys-kg/ontology#lineNumber> ?line }} }}""")
    }
    assert set(lists) == {"llm4rec-zh", "next-gen-survey", "s2-wu2023"}
    header = next(cells for _, cells in page.rows if cells and cells[0] == "field")
    assert header[1:] == sorted(lists)
    # every literal each list states about the paper is in that list's column
    columns = {src: i + 1 for i, src in enumerate(sorted(lists))}
    for r in seed_store.query(f"SELECT ?g ?o WHERE {{ GRAPH ?g {{ <{TALLREC}> ?p ?o }} FILTER(isLiteral(?o)) }}"):
        if r["g"].value.startswith(G + "source/"):
            src = r["g"].value[len(G + "source/") :]
            assert any(r["o"].value in cells[columns[src]] for _, cells in page.rows), (src, r["o"].value)
    # each list's line link points at the line of the source file that has the paper
    for src, line in lists.items():
        link = next(link for link in page.links if link.endswith(f"#L{line}") and "/sources/" in link)
        target = (page_of(seed_site, TALLREC).parent / urlsplit(link).path).resolve()
        raw = target.with_suffix("").read_text(encoding="utf-8").split("\n")[line - 1]
        assert "TALLRec" in raw, (src, raw)
    assert "@inproceedings{" in "".join(page.text) and "doi = {10.1145/3604915.3608857}" in "".join(page.text)


def test_conflicts_are_highlighted_on_exactly_the_conflicting_fields(seed_site, seed_store):
    from recsys_kg.query.canned import get_spec, run

    expected: dict[str, set[str]] = {}
    for row in run(seed_store, get_spec("source-conflicts")).rows:
        expected.setdefault(row[0].value, set()).add(row[2].value)
    names = {"title": "title", "year": "year", "published in": "venue", "backbone (tuning strategy)": "tuning strategy"}
    assert len(expected) > 5
    for paper, fields in expected.items():
        page = parse(page_of(seed_site, paper))
        marked = {names[cells[0].strip().rstrip(" ⚠")] for cls, cells in page.rows if cls == "conflict"}
        assert marked == fields, paper


def test_every_internal_link_of_the_whole_site_resolves(seed_site):
    """A crawler from index.html: every href/src that is not http(s) must be a file of the site, and a #fragment
    an id on the target page."""
    seen, queue, checked = set(), [seed_site / "index.html"], 0
    ids: dict[Path, set[str]] = {}
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        if path.suffix != ".html":
            continue
        page = parse(path)
        ids[path] = page.ids
        for link in page.links:
            split = urlsplit(link)
            if split.scheme in ("http", "https", "mailto"):
                continue
            assert not split.scheme, f"{path}: {link}"
            target = (path.parent / unquote(split.path)).resolve() if split.path else path
            assert target.is_relative_to(seed_site.resolve()) and target.is_file(), f"{path}: broken {link}"
            if split.fragment:
                if target not in ids:
                    ids[target] = parse(target).ids
                assert split.fragment in ids[target], f"{path}: no id {split.fragment!r} in {target}"
            checked += 1
            queue.append(target)
    html = set(seed_site.rglob("*.html"))
    assert html <= seen, f"pages no link reaches: {sorted(html - seen)[:5]}"
    assert checked > 5000


def test_every_picture_draws_one_mark_per_row_of_its_table(seed_site, seed_store):
    page = (seed_site / "charts.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure id="([^"]+)">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert len(figures) == 6
    for name, body in figures:
        rows = body.count("<tr>")
        svg = (seed_site / "charts" / f"{name}.svg").read_text(encoding="utf-8")
        marks = re.findall(r'<g class="mark-(\w+) role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
        drawn = sum(body.count("<path") for _, body in marks)
        assert rows > 0 and drawn > 0
        if name == "source-overlap":  # the UpSet plot: a bar per combination and a dot per list and combination
            assert [(kind, b.count("<path")) for kind, b in marks] == [("rect", rows), ("symbol", rows * 5)]
        else:
            assert drawn == rows, name
    # the numbers behind one picture, against the graph: industrial papers per company, subsidiaries rolled up
    companies = re.search(r'<figure id="industrial-by-company">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    alibaba = re.search(r"<td>Alibaba Group</td><td>(\d+)</td>", companies).group(1)
    query = f"""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{
        GRAPH ?g {{ ?p <https://w3id.org/recsys-kg/ontology#deployedBy> ?o }}
        GRAPH ?v {{ ?o <http://www.w3.org/ns/org#subOrganizationOf>* <{ID}org/alibaba> }} }}"""
    assert int(alibaba) == int(next(iter(seed_store.query(query)))["n"].value)


def test_search_index_has_every_paper_with_its_ids(seed_site):
    import json

    text = (seed_site / "search-index.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("=") + 1 :].rstrip().rstrip(";"))
    assert len(index) == len(list((seed_site / "id" / "paper").glob("*.html")))
    tallrec = next(e for e in index if e[0].endswith("doi-10.1145_3604915.3608857.html"))
    assert tallrec[4] == "10.1145/3604915.3608857" and "TALLRec" in tallrec[2]


def test_the_reference_pages(seed_site):
    ontology = "".join(parse(seed_site / "ontology.html").text)
    assert "rkg:Paper" in ontology and "rkg:hasBackboneUsage" in ontology
    assert "DUP-003" in "".join(parse(seed_site / "shapes.html").text)
    queries = (seed_site / "queries.html").read_text(encoding="utf-8")
    rq = len(list((Path(__file__).resolve().parents[2] / "queries").glob("*.rq")))
    assert queries.count('href="sparql.html?query=') == rq >= 14 and "VALUES" in queries


def test_rendering_twice_is_byte_identical(seed_site, seed_build_dir, tmp_path):
    again = tmp_path / "again"
    result = CliRunner().invoke(
        main, ["render", "site", "--out", str(again), "--data", str(seed_build_dir / "recsys-kg.nq")]
    )
    assert result.exit_code == 0, result.output
    ours = {p.relative_to(seed_site): p.read_bytes() for p in seed_site.rglob("*") if p.is_file()}
    theirs = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert ours.keys() == theirs.keys()
    assert [k for k in ours if ours[k] != theirs[k]] == []


def test_a_missing_source_file_is_exit_2_and_keeps_the_previous_site(seed_build_dir, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous")
    result = CliRunner().invoke(
        main,
        [
            "render",
            "site",
            "--out",
            str(out),
            "--sources",
            str(sources),
            "--data",
            str(seed_build_dir / "recsys-kg.nq"),
        ],
    )
    assert result.exit_code == 2 and "is missing" in result.output and "Traceback" not in result.output
    assert (out / "index.html").read_text() == "previous"
