"""`recsys-kg load` against a real Oxigraph server (started here on 127.0.0.1, stopped by PID): every format
arrives with the same quads; replace and append; and each failure (stopped endpoint, wrong or missing password,
a refusal half-way) gives a clear error, a non-zero exit and an exact account of what was loaded.

Authentication and the request-size refusal come from a small reverse proxy in front of the real server
(tests/stores/harness.py): Oxigraph itself has no authentication. Digest authentication and a store that
rejects a format are tested against real Virtuoso in test_stores_virtuoso.py.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from recsys_kg.cli.main import main
from recsys_kg.publish.export import portable, select_graphs
from recsys_kg.publish.load import plan
from recsys_kg.publish.portable import make_portable
from recsys_kg.rdf.dataset import iter_dataset, read_dataset
from recsys_kg.stores.oxigraph import OxigraphServer
from recsys_kg.stores.process import free_port
from recsys_kg.stores.sparql_http import select, update
from stores.harness import AuthProxy, quads_by_value, require

pytestmark = pytest.mark.stores
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    ox_server = require(lambda: OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db").start())
    yield ox_server
    ox_server.stop()


@pytest.fixture
def empty(server):
    update(server.update_url, "CLEAR ALL")
    return server


@pytest.fixture(scope="module")
def dataset(seed_build_dir) -> Path:
    return seed_build_dir / "recsys-kg.nq"


@pytest.fixture(scope="module")
def expected(dataset):
    return quads_by_value(portable(read_dataset(dataset)))


def stored(server) -> list[ox.Quad]:
    import urllib.request

    request = urllib.request.Request(server.store_url, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return list(ox.parse(response.read(), format=ox.RdfFormat.N_QUADS))


def count(server) -> int:
    return int(select(server.query_url, COUNT)[1][0][0].value)


def graphs(server) -> set[str]:
    return {row[0].value.rsplit("/graph/", 1)[1] for row in select(server.query_url, GRAPHS)[1]}


def cli_load(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["load", *args], input=input)


# Graphs with every kind of term the dataset has (blank nodes, decimals, language tags, years, URLs, long text);
# the whole dataset goes through `recsys-kg load` in test_stores_*.py and in the tests below.
SAMPLE = ("ontology", "vocabulary", "metadata", "source/s2-wu2023")


@pytest.mark.parametrize("fmt", ["nt", "ttl", "nq", "trig", "jsonld"])
def test_every_format_arrives_with_the_same_quads(empty, dataset, fmt):
    result = cli_load(
        "--endpoint",
        empty.store_url,
        "--dataset",
        str(dataset),
        "--format",
        fmt,
        *[arg for graph in SAMPLE for arg in ("--graph", graph)],
    )
    assert result.exit_code == 0, result.output
    assert "read back and counted: complete" in result.output
    assert quads_by_value(stored(empty)) == quads_by_value(portable(select_graphs(read_dataset(dataset), SAMPLE)))


def test_a_per_graph_export_directory_loads_like_the_dataset(empty, dataset, expected, tmp_path):
    from recsys_kg.publish.export import export

    directory = export(dataset, "nt", tmp_path / "nt").path
    result = cli_load("--endpoint", empty.store_url, "--dataset", str(directory))
    assert result.exit_code == 0, result.output
    assert quads_by_value(stored(empty)) == expected


def test_progress_is_one_line_per_request_when_not_on_a_terminal(empty, dataset):
    result = cli_load(
        "--endpoint", empty.store_url, "--dataset", str(dataset), "--graph", "vocabulary", "--graph", "metadata"
    )
    assert result.exit_code == 0, result.output
    assert "[1/3] sent vocabulary" in result.stderr and "[2/3] sent metadata" in result.stderr
    assert "[3/3] read back and counted every graph" in result.stderr


def small_dataset(path: Path, value: str) -> Path:
    g = ox.NamedNode("https://w3id.org/recsys-kg/graph/vocabulary")
    quad = ox.Quad(
        ox.NamedNode("https://w3id.org/recsys-kg/id/x"), ox.NamedNode("https://example.org/p"), ox.Literal(value), g
    )
    path.write_bytes(ox.serialize([quad], format=ox.RdfFormat.N_QUADS))
    return path


@pytest.mark.parametrize("fmt", ["nt", "nq"])
def test_replace_replaces_each_graph_and_append_adds(empty, tmp_path, fmt):
    first, second = small_dataset(tmp_path / "a.nq", "first"), small_dataset(tmp_path / "b.nq", "second")
    assert cli_load("--endpoint", empty.store_url, "--dataset", str(first), "--format", fmt).exit_code == 0
    assert cli_load("--endpoint", empty.store_url, "--dataset", str(second), "--format", fmt, "--append").exit_code == 0
    assert sorted(q.object.value for q in stored(empty)) == ["first", "second"]
    assert cli_load("--endpoint", empty.store_url, "--dataset", str(first), "--format", fmt).exit_code == 0
    assert [q.object.value for q in stored(empty)] == ["first"]


def test_stopped_endpoint_is_a_clear_error_and_nothing_is_loaded(dataset):
    result = cli_load("--endpoint", f"http://127.0.0.1:{free_port()}/store", "--dataset", str(dataset))
    assert result.exit_code == 2
    assert "cannot reach" in result.output and "Is the store running" in result.output
    assert "Nothing was loaded." in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["nt", "nq"])
def test_basic_authentication_loads_with_the_right_password(empty, tmp_path, fmt):
    with AuthProxy(empty.base, "loader", "s3cret") as proxy:
        result = cli_load(
            "--endpoint",
            proxy.url + "/store",
            "--dataset",
            str(small_dataset(tmp_path / "a.nq", "x")),
            "--user",
            "loader",
            "--password",
            "s3cret",
            "--format",
            fmt,
        )
    assert result.exit_code == 0, result.output
    assert [q.object.value for q in stored(empty)] == ["x"]


def test_password_is_prompted_for_when_only_the_user_is_given(empty, tmp_path):
    with AuthProxy(empty.base, "loader", "s3cret") as proxy:
        result = cli_load(
            "--endpoint",
            proxy.url + "/store",
            "--dataset",
            str(small_dataset(tmp_path / "a.nq", "x")),
            "--user",
            "loader",
            input="s3cret\n",
        )
    assert result.exit_code == 0, result.output
    assert count(empty) == 1


def test_password_from_the_environment(empty, tmp_path, monkeypatch):
    monkeypatch.setenv("RECSYS_KG_STORE_PASSWORD", "s3cret")
    with AuthProxy(empty.base, "loader", "s3cret") as proxy:
        result = cli_load(
            "--endpoint",
            proxy.url + "/store",
            "--dataset",
            str(small_dataset(tmp_path / "a.nq", "x")),
            "--user",
            "loader",
        )
    assert result.exit_code == 0, result.output
    # set for some other store, it does not get in the way of a store without authentication
    result = cli_load("--endpoint", empty.store_url, "--dataset", str(small_dataset(tmp_path / "b.nq", "y")))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("credentials", "hint"),
    [
        (["--user", "loader", "--password", "wrong"], "check --user and --password"),
        ([], "it asks for basic: pass --user and --password"),
        (
            ["--user", "loader", "--password", "s3cret", "--auth", "digest"],
            "it asks for basic authentication, not digest",
        ),
    ],
)
def test_refused_credentials_are_a_clear_error_before_anything_is_sent(empty, dataset, credentials, hint):
    with AuthProxy(empty.base, "loader", "s3cret") as proxy:
        result = cli_load("--endpoint", proxy.url + "/store", "--dataset", str(dataset), *credentials)
        assert not [r for r in proxy.requests if r[0] != "GET"]
    assert result.exit_code == 2
    assert "refused the credentials (HTTP 401" in result.output and hint in result.output
    assert "Nothing was loaded." in result.output
    assert count(empty) == 0


def test_a_refusal_half_way_says_exactly_what_was_and_was_not_loaded(empty, dataset):
    """A 1 MB request limit (like a web server's) lets the small graphs through and refuses llm4rec-zh."""
    with AuthProxy(empty.base, "loader", "pw", max_body=1_000_000) as proxy:
        result = cli_load(
            "--endpoint", proxy.url + "/store", "--dataset", str(dataset), "--user", "loader", "--password", "pw"
        )
    assert result.exit_code == 2
    message = result.output
    assert "refused source/llm4rec-zh (HTTP 413: Request Entity Too Large)" in message
    assert "PARTIAL dataset" in message
    loaded = message.split("Loaded: ")[1].split(".")[0].split(", ")
    not_loaded = message.split("Not loaded: ")[1].split(". Fix")[0].split(", ")
    order = [u.label for u in plan(make_portable(iter_dataset(dataset), keep="lines"), "nt")]
    assert loaded + not_loaded == order
    assert not_loaded[0] == "source/llm4rec-zh" and not_loaded[-1] == "metadata"
    assert graphs(empty) == set(loaded)


def test_a_refused_whole_dataset_request_loads_nothing(empty, dataset):
    with AuthProxy(empty.base, "loader", "pw", max_body=1_000_000) as proxy:
        result = cli_load(
            "--endpoint",
            proxy.url + "/store",
            "--dataset",
            str(dataset),
            "--user",
            "loader",
            "--password",
            "pw",
            "--format",
            "nq",
            "--append",
        )
    assert result.exit_code == 2
    assert "refused the whole dataset (HTTP 413" in result.output and "Nothing was loaded." in result.output
    assert count(empty) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--endpoint", "ftp://example.org/store"], "not an http(s) URL"),
        (["--endpoint", "http://127.0.0.1:1/store", "--password", "x"], "--password needs --user"),
    ],
)
def test_usage_errors_exit_2(dataset, args, message):
    result = cli_load(*args, "--dataset", str(dataset))
    assert result.exit_code == 2 and message in result.output


def test_unreadable_dataset_is_a_clear_error_and_nothing_is_loaded(empty, tmp_path):
    bad = tmp_path / "bad.nq"
    bad.write_text('<https://e.org/s> <https://e.org/p> "x" <https://e.org/g> .\n<https://e.org/s> oops\n')
    result = cli_load("--endpoint", empty.store_url, "--dataset", str(bad))
    assert result.exit_code == 2 and "bad.nq: not valid NQ" in result.output and "Traceback" not in result.output
    assert count(empty) == 0


@pytest.fixture
def requests_sent(monkeypatch) -> list[tuple[str, str]]:
    """(method, URL) of every request `recsys-kg load` makes, recorded on their way to the real server."""
    from recsys_kg.stores.gsp import GraphStoreClient

    sent: list[tuple[str, str]] = []
    once = GraphStoreClient._once

    def recorded(self, method, url, *args, **kwargs):
        sent.append((method, url))
        return once(self, method, url, *args, **kwargs)

    monkeypatch.setattr(GraphStoreClient, "_once", recorded)
    return sent


@pytest.mark.parametrize(("args", "bulk"), [([], True), (["--no-bulk"], False)])
def test_oxigraph_loads_with_its_bulk_loader_and_counts_with_one_query(empty, dataset, requests_sent, args, bulk):
    """Oxigraph is recognized by its Server header: its bulk loader (5x faster than a transaction per request)
    for large requests unless --no-bulk, and one COUNT query on its /query instead of reading every graph back."""
    result = cli_load(
        "--endpoint",
        empty.store_url,
        "--dataset",
        str(dataset),
        "--graph",
        "vocabulary",
        "--graph",
        "source/llm4rec-zh",
        *args,
    )
    assert result.exit_code == 0, result.output
    assert "read back and counted: complete" in result.output
    assert [method for method, _ in requests_sent] == ["GET", "PUT", "PUT"]  # the probe, no read-back
    large, small = (url for method, url in requests_sent if method == "PUT")  # 2.4 MB and 130 kB of N-Triples
    assert "llm4rec-zh" in large and large.endswith("&no_transaction") == bulk
    assert "vocabulary" in small and "no_transaction" not in small
    assert graphs(empty) == {"vocabulary", "source/llm4rec-zh"}


def test_count_by_query_catches_graphs_the_store_does_not_hold(empty, dataset, tmp_path):
    """The count must come from the store: asked of another (empty) store, the graphs are missing."""
    other = require(lambda: OxigraphServer(tmp_path / "other").start())
    try:
        result = cli_load(
            "--endpoint",
            empty.store_url,
            "--dataset",
            str(dataset),
            "--graph",
            "vocabulary",
            "--query-endpoint",
            other.query_url,
        )
    finally:
        other.stop()
    assert result.exit_code == 2
    assert "acknowledged the data, but reading it back shows: vocabulary is missing" in result.output
    assert graphs(empty) == {"vocabulary"}


def test_a_refusal_of_a_bulk_request_says_part_of_the_graph_may_be_there():
    from recsys_kg.publish.load import _partial

    message = _partial(
        "the store refused vocabulary (HTTP 400: bad)",
        ["ontology"],
        ["vocabulary", "metadata"],
        [],
        part_of="vocabulary",
    )
    assert "PARTIAL dataset. Oxigraph's bulk loader does not roll back: vocabulary may hold part" in message
    assert "Not loaded: vocabulary, metadata." in message
    alone = _partial("the store refused vocabulary (HTTP 400: bad)", [], ["vocabulary"], [], part_of="vocabulary")
    assert "Nothing was loaded" not in alone and "vocabulary may hold part of its triples" in alone


def test_an_unanswered_query_endpoint_falls_back_to_reading_back_only_when_guessed(
    empty, dataset, requests_sent, monkeypatch
):
    import recsys_kg.publish.load

    nowhere = f"http://127.0.0.1:{free_port()}/query"
    result = cli_load(
        "--endpoint", empty.store_url, "--dataset", str(dataset), "--graph", "vocabulary", "--query-endpoint", nowhere
    )
    assert result.exit_code == 2 and f"cannot count the graphs loaded with a query at {nowhere}" in result.output
    requests_sent.clear()
    monkeypatch.setattr(recsys_kg.publish.load, "_oxigraph_query_endpoint", lambda endpoint: nowhere)
    result = cli_load("--endpoint", empty.store_url, "--dataset", str(dataset), "--graph", "vocabulary")
    assert result.exit_code == 0, result.output
    assert [method for method, _ in requests_sent] == ["GET", "PUT", "GET"]  # probe, load, read back
