"""Issue 18, serve: the gateway in front of the Oxigraph server refuses SERVICE (blind SSRF), foreign Host headers
(DNS rebinding), cross-origin requests (CORS off) and writes, and stops a query past --timeout. Each test talks HTTP
to a real `recsys-kg serve` subprocess, as a browser or a script would."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from recsys_kg.cli.main import main
from recsys_kg.publish.gateway import has_service
from recsys_kg.stores.oxigraph import binary
from stores.harness import require

pytestmark = pytest.mark.stores
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } GRAPH ?g3 { ?g ?h ?i } }"
TIMEOUT = 3


@pytest.fixture(scope="module")
def served(seed_build_dir: Path):
    require(binary)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "recsys-kg"),
            "serve",
            "--port",
            "0",
            "--timeout",
            str(TIMEOUT),
            "--dataset",
            str(seed_build_dir / "recsys-kg.nq"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while not any(line.startswith("Server PID") for line in lines):
        line = process.stdout.readline()
        assert line or process.poll() is None, process.stderr.read()
        lines.append(line)
        assert time.monotonic() < deadline
    text = "".join(lines)
    yield re.search(r"on (http://127\.0\.0\.1:\d+)/", text).group(1), int(re.search(r"Server PID (\d+)", text).group(1))
    process.terminate()
    assert process.wait(30) == 0


def request(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data=data, headers=headers or {}, method=method), timeout=60
        ) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def query_url(base: str, query: str) -> str:
    return f"{base}/query?{urllib.parse.urlencode({'query': query})}"


def test_a_plain_query_is_answered_same_origin_without_cors_headers(served):
    base, _ = served
    status, headers, body = request(
        query_url(base, "ASK { GRAPH ?g { ?s ?p ?o } }"),
        headers={"Origin": base, "Accept": "application/sparql-results+json"},
    )
    assert status == 200 and '"boolean":true' in body
    assert not any(name.lower().startswith("access-control-") for name in headers)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1", "attacker.localhost:{port}"])
def test_a_foreign_host_header_is_refused(served, host: str):
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 sends its own Host."""
    base, _ = served
    port = base.rsplit(":", 1)[1]
    status, _, body = request(query_url(base, "ASK {}"), headers={"Host": host.format(port=port)})
    assert status == 421 and "unexpected Host" in body


def test_localhost_is_an_accepted_host(served):
    base, _ = served
    port = base.rsplit(":", 1)[1]
    assert request(query_url(base, "ASK {}"), headers={"Host": f"localhost:{port}"})[0] == 200


def test_a_cross_origin_request_is_refused(served):
    base, _ = served
    status, _, body = request(query_url(base, "ASK {}"), headers={"Origin": "http://evil.example"})
    assert status == 403 and "cross-origin" in body


@pytest.fixture
def listener():
    """A socket on 127.0.0.1 that records whether anyone connected to it (the SSRF target)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        sock.settimeout(0.2)
        hits: list[bool] = []
        stop = threading.Event()

        def accept():
            while not stop.is_set():
                try:
                    connection, _ = sock.accept()
                    hits.append(True)
                    connection.close()
                except OSError:
                    pass

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", hits
        stop.set()
        thread.join(2)


@pytest.mark.parametrize("form", ["get", "form", "body", "nested", "silent-variable"])
def test_service_is_refused_and_never_fetched(served, listener, form: str):
    base, _ = served
    target, hits = listener
    service = f"SERVICE <{target}> {{ ?s ?p ?o }}"
    query = {
        "nested": f"ASK {{ {{ SELECT * WHERE {{ OPTIONAL {{ {service} }} }} }} }}",
        "silent-variable": f"SELECT * WHERE {{ BIND(<{target}> AS ?x) SERVICE SILENT ?x {{ ?s ?p ?o }} }}",
    }.get(form, f"SELECT * WHERE {{ {service} }}")
    if form == "form":
        status, _, body = request(
            f"{base}/query",
            data=urllib.parse.urlencode({"query": query}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    elif form == "body":
        status, _, body = request(
            f"{base}/query", data=query.encode(), headers={"Content-Type": "application/sparql-query"}
        )
    else:
        status, _, body = request(query_url(base, query))
    assert status == 403 and "SERVICE is disabled" in body
    time.sleep(0.3)
    assert hits == []


def test_has_service_reads_the_query_not_the_words():
    assert not has_service('SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }')
    assert has_service("PREFIX : <x:> SELECT * { FILTER EXISTS { SERVICE <x:y> { ?a ?b ?c } } }")


def test_a_query_that_cannot_be_checked_is_not_forwarded(served):
    base, _ = served
    status, _, body = request(query_url(base, "SELECT * WHERE { ?s ?p "))
    assert status == 400 and "not a SPARQL 1.1 query" in body


@pytest.mark.parametrize(
    "method,path",
    [
        ("POST", "/update"),
        ("PUT", "/store?default"),
        ("POST", "/store?default"),
        ("DELETE", "/store?default"),
        ("GET", "/other"),
    ],
)
def test_writes_and_unknown_routes_never_reach_the_server(served, method: str, path: str):
    base, _ = served
    status, _, _ = request(
        base + path,
        data=b"<urn:s> <urn:p> <urn:o> ." if method != "DELETE" else None,
        headers={"Content-Type": "application/n-triples"},
        method=method,
    )
    assert status in (404, 405)


def test_a_query_past_the_timeout_is_stopped(served):
    """A cross product kept the server at 92 % CPU after the client left; now 504 and the server is restarted."""
    base, first_pid = served
    start = time.monotonic()
    status, _, body = request(query_url(base, CROSS_PRODUCT))
    elapsed = time.monotonic() - start
    assert status == 504 and "--timeout" in body
    assert TIMEOUT <= elapsed < TIMEOUT + 5
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(first_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the server still runs the query")
    for _ in range(50):  # the restarted server answers
        if request(query_url(base, "ASK {}"))[0] == 200:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the endpoint did not come back after the restart")


@pytest.mark.parametrize("value", ["0", "-1", "nan"])
def test_timeout_must_be_positive(seed_build_dir: Path, value: str):
    result = CliRunner().invoke(
        main, ["serve", "--port", "0", "--timeout", value, "--dataset", str(seed_build_dir / "recsys-kg.nq")]
    )
    assert result.exit_code == 2
