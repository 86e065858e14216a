"""The site in a real browser (Debian's chromium, driven by playwright), opened from file:// as a reader would:
no console error, the offline search finds papers by name, DOI and arXiv id in any form, a paper page shows
every list's column, every picture loads; screenshots of the index and a paper page are written as artefacts."""

from __future__ import annotations

import pytest

WU_SURVEY = "A Survey on Large Language Models for Recommendation"
TALLREC = "TALLRec: An Effective and Efficient Tuning Framework"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on("requestfailed", lambda r: tab.errors.append(f"failed: {r.url}"))
    yield tab
    context.close()


def search(page, seed_site, text: str) -> list[str]:
    page.goto((seed_site / "index.html").as_uri())
    page.fill("#q", text)
    return page.locator("#results li a").all_inner_texts()


@pytest.mark.parametrize(
    "query,title",
    [
        ("tallrec", TALLREC),
        ("10.1145/3604915.3608857", TALLREC),
        ("https://doi.org/10.1145/3604915.3608857", TALLREC),
        ("arXiv:2305.19860v2", WU_SURVEY),
        ("https://arxiv.org/abs/2305.19860", WU_SURVEY),
    ],
)
def test_search_finds_papers_by_name_doi_and_arxiv_id(page, seed_site, query, title):
    found = search(page, seed_site, query)
    assert any(t.startswith(title) for t in found), found
    assert len(found) <= 3 and page.errors == []


def test_the_index_loads_without_console_errors_and_is_screenshotted(page, seed_site, tmp_path_factory):
    page.goto((seed_site / "index.html").as_uri())
    page.wait_for_load_state("load")
    assert "340 papers" in page.locator("#count").inner_text()
    assert page.errors == []
    shot = tmp_path_factory.mktemp("screenshots") / "index.png"
    page.fill("#q", "tallrec")
    page.screenshot(path=str(shot))
    print(f"\nscreenshot of the index: {shot}")
    assert shot.stat().st_size > 10_000


def test_a_paper_page_shows_every_lists_claims(page, seed_site, tmp_path_factory):
    page.goto((seed_site / "id" / "paper" / "doi-10.1145_3604915.3608857.html").as_uri())
    header = page.locator("table.claims thead th").all_inner_texts()
    assert header == ["field", "llm4rec-zh", "next-gen-survey", "s2-wu2023"]
    titles = page.locator("table.claims tbody tr").first.locator("td").all_inner_texts()
    assert all(t.startswith("TALLRec") for t in titles) and len(titles) == 3
    line = page.locator("a.line", has_text="llm4rec-paper-list.zh.md:187")
    line.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("llm4rec-paper-list.zh.md.html#L187")
    assert "TALLRec" in page.locator("tr#L187").inner_text() and page.errors == []
    page.go_back()
    shot = tmp_path_factory.mktemp("screenshots") / "paper-tallrec.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"\nscreenshot of a paper page: {shot}")
    assert shot.stat().st_size > 10_000


def test_every_picture_renders(page, seed_site):
    page.goto((seed_site / "charts.html").as_uri())
    page.wait_for_load_state("load")
    sizes = page.eval_on_selector_all(
        "figure img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])"
    )
    assert len(sizes) == 6 and all(ok and w > 100 and h > 50 for ok, w, h in sizes), sizes
    page.locator("#industrial-by-company summary").click()
    assert "Alibaba Group" in page.locator("#industrial-by-company table").inner_text()
    assert page.errors == []


def test_the_sparql_page_preloads_the_canned_query_it_is_opened_with(page, seed_site):
    page.goto((seed_site / "sparql.html").as_uri() + "?query=source-overlap")
    assert "source-overlap" == page.locator("#canned").input_value()
    assert "SELECT" in page.locator("#sparql").input_value() and page.errors == []
