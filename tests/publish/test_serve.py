"""`recsys-kg serve`: a read-only SPARQL endpoint on 127.0.0.1 over the built graph, stopped cleanly.

The command runs as a real subprocess (as a user runs it); the test reads the endpoint from its output, queries
it, checks that writes are refused, then stops it with SIGTERM and checks the Oxigraph server it started is gone
and the graph's persistent store it served is left in place.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from recsys_kg.cli.main import main
from recsys_kg.publish.export import by_graph, portable
from recsys_kg.rdf.dataset import read_dataset
from recsys_kg.rdf.graph_store import store_root
from recsys_kg.stores.oxigraph import binary
from recsys_kg.stores.sparql_http import EndpointError, select, update
from stores.harness import require

pytestmark = pytest.mark.stores
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def start_serve(dataset: Path):
    """`recsys-kg serve --port 0` in a subprocess, as a user runs it; returns (process, base URL, server PID,
    the server's database directory), once the command printed that it is ready."""
    require(binary)
    script = Path(sys.executable).parent / "recsys-kg"
    process = subprocess.Popen(
        [str(script), "serve", "--port", "0", "--dataset", str(dataset)],
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while not any(line.startswith("Server PID") for line in lines):
        line = process.stdout.readline()
        assert line or process.poll() is None, f"serve exited early: {process.stderr.read()}"
        lines.append(line)
        assert time.monotonic() < deadline, f"serve did not get ready: {lines}"
    text = "".join(lines)
    base = re.search(r"on (http://127\.0\.0\.1:\d+)/", text).group(1)
    server_pid = int(re.search(r"Server PID (\d+)", text).group(1))
    arguments = Path(f"/proc/{server_pid}/cmdline").read_bytes().split(b"\0")
    location = Path(arguments[arguments.index(b"--location") + 1].decode())
    return process, base, server_pid, location, text


@pytest.fixture(scope="module")
def served(seed_build_dir: Path):
    process, base, _, _, text = start_serve(seed_build_dir / "recsys-kg.nq")
    yield base, text
    process.terminate()
    process.wait(30)


def test_serves_every_graph_of_the_dataset(served, seed_build_dir):
    base, text = served
    assert "SPARQL endpoint: " + base + "/query" in text
    expected = {g: len(t) for g, t in by_graph(portable(read_dataset(seed_build_dir / "recsys-kg.nq"))).items()}
    _, rows = select(base + "/query", COUNTS)
    assert {row[0].value: int(row[1].value) for row in rows} == expected


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:
                found.add(address)
    return found


def test_listens_on_loopback_only(served):
    base, _ = served
    assert listening_addresses(int(base.rsplit(":", 1)[1])) == {"0100007F"}  # 127.0.0.1, little-endian hex


def test_is_read_only(served):
    base, _ = served
    with pytest.raises(EndpointError):
        update(base + "/update", "INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> <urn:o> } }")
    request = urllib.request.Request(
        base + "/store?graph=urn:g",
        data=b"<urn:s> <urn:p> <urn:o> .",
        method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code in (403, 404, 405)
    assert select(base + "/query", "SELECT * WHERE { GRAPH <urn:g> { ?s ?p ?o } }")[1] == []


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_server_and_leaves_the_persistent_store(seed_build_dir, stop_signal):
    """The server reads the built graph's persistent store (no copy, nothing loaded again); stopping it leaves
    the store in place for the next reader."""
    dataset = seed_build_dir / "recsys-kg.nq"
    process, base, server_pid, location, _ = start_serve(dataset)
    assert alive(server_pid) and location.is_dir()
    assert location.parent.parent == store_root(dataset)
    process.send_signal(stop_signal)
    assert process.wait(30) == 0
    assert not alive(server_pid)
    assert (location / "CURRENT").is_file()
    with pytest.raises(EndpointError, match="cannot reach"):
        select(base + "/query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_a_busy_port_is_a_clear_error(seed_build_dir):
    require(binary)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main, ["serve", "--port", str(port), "--dataset", str(seed_build_dir / "recsys-kg.nq")]
        )
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is not free" in result.output and "--port 0" in result.output


def test_missing_oxigraph_server_says_how_to_install_it(seed_build_dir, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--dataset", str(seed_build_dir / "recsys-kg.nq")])
    assert result.exit_code == 2
    assert "the Oxigraph server is not installed" in result.output and "pip install oxigraph" in result.output
