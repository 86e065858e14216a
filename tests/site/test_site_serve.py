"""`recsys-kg serve --site DIR`: IRIs that resolve, checked with real HTTP requests against the real command.

Browsers (Accept: text/html) get 303 See Other to the page; RDF clients get the description in the format they
ask for, parsed back and compared with the dataset; /graph/… is the named graph; /query is the SPARQL endpoint
with the union of all graphs as default graph; nothing outside the site directory is served, nothing written.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from recsys_kg.publish.site_server import negotiate
from recsys_kg.stores.oxigraph import binary
from stores.harness import require

pytestmark = pytest.mark.stores
SURVEY = "https://w3id.org/recsys-kg/id/paper/arxiv-2305.19860"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def served(seed_site, seed_build_dir):
    require(binary)
    script = Path(sys.executable).parent / "recsys-kg"
    process = subprocess.Popen(
        [
            str(script),
            "serve",
            "--port",
            "0",
            "--site",
            str(seed_site),
            "--dataset",
            str(seed_build_dir / "recsys-kg.nq"),
        ],
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while not any(line.startswith("Press Ctrl-C") for line in lines):
        line = process.stdout.readline()
        assert line or process.poll() is None, f"serve exited early: {process.stderr.read()}"
        lines.append(line)
        assert time.monotonic() < deadline, lines
    port = int(re.search(r"on http://127\.0\.0\.1:(\d+)/", "".join(lines)).group(1))
    yield port
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def get(
    port: int,
    path: str,
    accept: str | None = None,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict | None = None,
):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers={**({"Accept": accept} if accept else {}), **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def test_a_browser_is_sent_to_the_page_with_303(served):
    response, _ = get(served, "/id/paper/arxiv-2305.19860", BROWSER)
    assert response.status == 303 and response.getheader("Location") == "/id/paper/arxiv-2305.19860.html"
    assert response.getheader("Vary") == "Accept"
    page, html = get(served, response.getheader("Location"), BROWSER)
    assert page.status == 200 and page.getheader("Content-Type").startswith("text/html")
    assert b"A Survey on Large Language Models for Recommendation" in html


@pytest.mark.parametrize(
    "accept,fmt",
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("text/html;q=0.5, text/turtle", ox.RdfFormat.TURTLE),
    ],
)
def test_rdf_clients_get_the_description_they_ask_for(served, seed_store, accept, fmt):
    response, body = get(served, "/id/paper/arxiv-2305.19860", accept)
    assert response.status == 200 and response.getheader("Content-Type").split(";")[0] == fmt.media_type
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)}
    expected = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in seed_store.quads_for_pattern(ox.NamedNode(SURVEY), None, None)
    }
    assert triples == expected and len(expected) > 20


def test_a_named_graph_resolves(served, seed_store):
    response, body = get(served, "/graph/source/awesome-llm-enhanced", "application/n-triples")
    graph = ox.NamedNode("https://w3id.org/recsys-kg/graph/source/awesome-llm-enhanced")
    assert response.status == 200
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)} == {
        ox.Triple(q.subject, q.predicate, q.object) for q in seed_store.quads_for_pattern(None, None, None, graph)
    }


@pytest.mark.parametrize(
    "path",
    ["/id/paper/arxiv-0000.00000", "/graph/nope", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/nothing.html"],
)
def test_unknown_resources_and_paths_outside_the_site_are_404(served, path):
    assert get(served, path, BROWSER)[0].status == 404


def test_the_sparql_endpoint_sees_the_union_of_all_graphs_and_refuses_writes(served):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/recsys-kg/ontology#Paper> }"
    response, body = get(served, "/query?query=" + quote(query), "application/sparql-results+json")
    assert response.status == 200
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 300
    posted, _ = get(
        served,
        "/query",
        "application/sparql-results+json",
        "POST",
        query.encode(),
        {"Content-Type": "application/sparql-query"},
    )
    assert posted.status == 200
    update = get(served, "/update", None, "POST", b"CLEAR ALL", {"Content-Type": "application/sparql-update"})
    assert update[0].status == 405
    assert get(served, "/store", None, "PUT", b"", {"Content-Type": "text/turtle"})[0].status in (404, 405, 501)


def test_negotiation_rules():
    assert negotiate(None) is None and negotiate("*/*") is None and negotiate(BROWSER) is None
    assert negotiate("text/turtle") == "text/turtle"
    assert negotiate("application/ld+json, text/html;q=0.1") == "application/ld+json"
    assert negotiate("text/html, text/turtle") is None  # a tie goes to the page
    assert negotiate("text/turtle;q=0") is None


def test_in_a_browser_the_iri_opens_the_page_and_the_sparql_ui_runs_a_canned_query(served, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"http://127.0.0.1:{served}/id/paper/arxiv-2305.19860")
    assert page.url.endswith("/id/paper/arxiv-2305.19860.html") and "Wu" in page.content()
    page.goto(f"http://127.0.0.1:{served}/sparql.html?query=source-overlap")
    page.click("#run")
    page.wait_for_function("document.getElementById('status').textContent.endsWith('rows')", timeout=30_000)
    rows = page.locator("#output tr").count()
    assert rows > 5 and errors == []
    # a query without GRAPH sees the union of all graphs (the default graph of `serve --site`)
    page.select_option("#canned", "")
    page.fill("#sparql", "SELECT ?s WHERE { ?s a <https://w3id.org/recsys-kg/ontology#SourceList> }")
    page.click("#run")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('5 rows')", timeout=30_000)
    page.close()


@pytest.mark.parametrize("path", ["/", "/id/paper/arxiv-2305.19860", "/query?query=ASK%7B%7D"])
def test_the_site_port_refuses_other_hosts_and_origins(served, path):
    """DNS rebinding and cross-origin pages get nothing from the site server either (the gateway's rules)."""
    rebound, _ = get(served, path, BROWSER, headers={"Host": f"attacker.example:{served}"})
    assert rebound.status == 421
    foreign, _ = get(served, path, BROWSER, headers={"Origin": "http://attacker.example"})
    assert foreign.status == 403 and foreign.getheader("Access-Control-Allow-Origin") is None
    own, _ = get(served, path, BROWSER, headers={"Origin": f"http://localhost:{served}"})
    assert own.status in (200, 303)
