"""`recsys-kg load`: send the dataset to a store through the SPARQL 1.1 Graph Store HTTP Protocol
(https://www.w3.org/TR/sparql11-http-rdf-update/), named graphs preserved.

Two ways to send it, chosen by ``--format``:

- ``nt`` (default) or ``ttl``: one request per named graph (``PUT ?graph=G`` to replace it, ``POST`` to add to
  it). Every store with a Graph Store endpoint accepts this, including Virtuoso, which takes no quad format.
- ``nq``, ``trig`` or ``jsonld``: the whole dataset in one ``POST`` to the endpoint (Oxigraph, Fuseki). With
  ``--replace`` each graph of the dataset is first deleted (``DELETE ?graph=G``).

What the store receives is what `recsys-kg export` writes (canonical, portable literals), made the same way
(portable.py); each request's body is serialized by pyoxigraph just before it is sent, so one graph's text is in
memory at a time. Before sending any data a probe (``GET`` of a graph that does not exist) checks that the
endpoint is reachable and accepts the credentials, so a stopped store or a wrong password fails with nothing
loaded. After sending, every graph is counted in the store: a store that answers "200 OK" but ignored the data
(Virtuoso does this for a quad POST: it returns its HTML query form) or merged triples is caught. The count is one
SPARQL query (``COUNT`` grouped by graph, the graphs given as ``named-graph-uri`` protocol parameters) when the
store's query endpoint is known (``--query-endpoint``); otherwise every graph is read back (``GET ?graph=G``) and
its triples counted. Loading graph by graph is not atomic: when a store refuses a graph half-way, the error lists
the graphs that were and were not loaded. The metadata graph goes last, so its presence in a store means every
other graph arrived.

Oxigraph's server loads a Graph Store request in one transaction, 5-7x slower than its bulk loader (24 s against
5 s for the 10x dataset); it takes ``?no_transaction`` to use the bulk loader instead (its own extension, found in
its server's source, not in the protocol). When the probe's ``Server`` header says Oxigraph, requests of 256 kB
or more carry it (unless ``--no-bulk``; below that a transaction is as fast: the bulk loader costs 20-40 ms a
request), and the graphs are counted on its ``/query`` beside ``/store`` (0.3 s instead of downloading the dataset
again; if that endpoint does not answer, the graphs are read back). The bulk loader does not roll back: a request
that fails may leave part of its graph, and the error says so.
"""

from __future__ import annotations

import io
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from recsys_kg.publish.export import write_dataset, write_triples
from recsys_kg.publish.portable import PortableDataset, PortableGraph, make_portable
from recsys_kg.rdf.dataset import TRIPLE_FORMATS, iter_dataset
from recsys_kg.rdf.graphs import GRAPH_BASE, METADATA
from recsys_kg.stores.gsp import Auth, GraphStoreClient, Response
from recsys_kg.stores.sparql_http import EndpointError, select

CONTENT_TYPES = {
    "nt": "application/n-triples",
    "ttl": "text/turtle",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
}
KEEP = {"nt": "lines", "nq": "lines", "ttl": "quads", "trig": "quads", "jsonld": "quads"}  # what bodies are made from
READ_BACK = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
PROBE_GRAPH = "urn:x-recsys-kg:probe-graph-that-does-not-exist"
COUNT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
OXIGRAPH_BULK = "no_transaction"
BULK_FROM = 256_000  # bytes: below, a transaction is as fast as the bulk loader (which costs 20-40 ms a request)
OK = (200, 201, 204)
Progress = Callable[[str, int, int], None]  # (what was just done, step, steps)

__all__ = ["Auth", "LoadError", "LoadSummary", "Upload", "load", "plan", "send_uploads"]


class LoadError(Exception):
    """The load failed; the message says what was and was not loaded."""


@dataclass(frozen=True)
class Upload:
    """One request: a named graph ("" for the default graph), or the whole dataset (``graph`` None). The body is
    made when it is sent."""

    graph: str | None
    content_type: str
    triples: int
    expected: tuple[tuple[str, int], ...]  # (graph, triples) this upload puts in the store
    make_body: Callable[[], bytes] = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        return label(self.graph)

    def body(self) -> bytes:
        return self.make_body()


def label(graph: str | None) -> str:
    if graph is None:
        return "the whole dataset"
    return "the default graph" if graph == "" else graph.removeprefix(GRAPH_BASE)


@dataclass
class LoadSummary:
    endpoint: str
    uploads: int = 0
    triples: int = 0
    bytes: int = 0
    seconds: float = 0.0
    loaded: list[str] = field(default_factory=list)
    verified: bool = False


def _written(write: Callable[[io.BytesIO], None]) -> bytes:
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()


def _graph_body(graphs: list[PortableGraph], fmt: str) -> Callable[[], bytes]:
    if fmt == "nt":
        return lambda: b"".join(chunk for graph in graphs for chunk in graph.ntriples())
    return lambda: _written(lambda buffer: write_triples(graphs, fmt, buffer))


def _dataset_body(data: PortableDataset, fmt: str) -> Callable[[], bytes]:
    if fmt == "nq":
        return lambda: b"".join(data.nquads())
    return lambda: _written(lambda buffer: write_dataset(data, fmt, buffer))


def plan(data: PortableDataset, fmt: str) -> list[Upload]:
    """The requests a load makes, in order (the metadata graph last). ``data`` keeps what ``KEEP[fmt]`` says."""
    if fmt not in CONTENT_TYPES:
        raise LoadError(f"unknown format {fmt!r} (choose from {', '.join(CONTENT_TYPES)})")
    groups: dict[str, list[PortableGraph]] = {}
    for graph in data.graphs:
        groups.setdefault(graph.key, []).append(graph)
    sizes = {key: sum(graph.size for graph in graphs) for key, graphs in groups.items()}
    if fmt not in TRIPLE_FORMATS:
        counts = tuple(sorted(sizes.items()))
        return [Upload(None, CONTENT_TYPES[fmt], len(data), counts, _dataset_body(data, fmt))]
    order = sorted(groups, key=lambda g: (g == METADATA.value, g))
    return [Upload(g, CONTENT_TYPES[fmt], sizes[g], ((g, sizes[g]),), _graph_body(groups[g], fmt)) for g in order]


def _auth_hint(response: Response, auth: Auth | None) -> str:
    asks = response.challenge.split(" ", 1)[0].lower() or None
    if auth is None:
        return f"it asks for {asks or 'authentication'}: pass --user and --password" + (
            " with --auth digest" if asks == "digest" else ""
        )
    if asks and asks != auth.scheme:
        return f"it asks for {asks} authentication, not {auth.scheme}: pass --auth {asks}"
    return "check --user and --password" + (
        ", and --auth: some stores (Virtuoso) only take digest" if auth.scheme == "basic" else ""
    )


def probe(client: GraphStoreClient) -> Response:
    """Reachable, and the credentials accepted? Raises :class:`LoadError` before anything is sent."""
    try:
        response = client.send("GET", PROBE_GRAPH)
    except ConnectionError as exc:
        raise LoadError(
            f"cannot reach {client.endpoint}: {exc}. Is the store running, and is this its Graph Store "
            "endpoint? Nothing was loaded."
        ) from None
    if response.status in (401, 403):
        raise LoadError(
            f"{client.endpoint} refused the credentials (HTTP {response.status}; "
            f"{_auth_hint(response, client.auth)}). Nothing was loaded."
        )
    if response.status >= 500 or response.status in (400, 405):
        raise LoadError(
            f"{client.endpoint} does not answer like a Graph Store endpoint (HTTP {response.status}: "
            f"{response.text[:300]}). Nothing was loaded."
        )
    return response


def _partial(message: str, done: list[str], pending: list[str], deleted: list[str], part_of: str | None = None) -> str:
    part = f" Oxigraph's bulk loader does not roll back: {part_of} may hold part of its triples." if part_of else ""
    if not done and not deleted:
        return message + "." + (part or " Nothing was loaded.")
    parts = [message + ". The store now holds a PARTIAL dataset." + part]
    if done:
        parts.append("Loaded: " + ", ".join(done) + ".")
    if deleted:
        parts.append("Deleted first (by --replace): " + ", ".join(deleted) + ".")
    parts.append("Not loaded: " + ", ".join(pending) + ". Fix the problem and run again with --replace.")
    return " ".join(parts)


def _refusal(upload: Upload, response: Response) -> str:
    message = f"the store refused {upload.label} (HTTP {response.status}: {response.text[:500]})"
    if response.status in (400, 406, 415, 500, 501) and upload.graph is None:
        message += (
            f". Many stores (Virtuoso among them) take no {upload.content_type} through the Graph Store "
            "Protocol: use --format nt, which sends one graph per request"
        )
    if response.status in (401, 403):
        message += ": this account may read but not write"
    return message


def triples_in_store(client: GraphStoreClient, graph: str) -> int | None:
    """How many triples the store holds in ``graph`` (None when it has no such graph), read back whole."""
    response = client.send("GET", graph, accept="application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5")
    if response.status == 404:
        return None
    if response.status not in OK:
        raise LoadError(
            f"cannot read graph {label(graph)} back from {client.endpoint} to check the load "
            f"(HTTP {response.status}: {response.text[:300]}); pass --no-verify to skip the check"
        )
    media = response.content_type.split(";")[0].strip().lower()
    fmt = READ_BACK.get(media, ox.RdfFormat.N_TRIPLES)
    try:
        return len({q for q in ox.parse(response.body, format=fmt, lenient=True)})
    except SyntaxError as exc:
        raise LoadError(
            f"graph {label(graph)} read back from {client.endpoint} is not {media or 'RDF'}: {exc}; "
            "pass --no-verify to skip the check"
        ) from None


def counted_by_query(query_endpoint: str, graphs: Sequence[str], timeout: float) -> dict[str, int]:
    """Triples per named graph, counted by the store in one query; a graph it does not hold has no entry."""
    try:
        _, rows = select(query_endpoint, COUNT_QUERY, graphs, timeout)
        return {g.value: int(n.value) for g, n in rows if isinstance(g, ox.NamedNode)}
    except (EndpointError, ValueError) as exc:
        raise LoadError(
            f"cannot count the graphs loaded with a query at {query_endpoint} ({exc}); pass another "
            "--query-endpoint, or --no-verify to skip the check"
        ) from None


def verify(
    client: GraphStoreClient,
    uploads: Sequence[Upload],
    replace: bool,
    query_endpoint: str | None = None,
    guessed: bool = False,
) -> None:
    """Every graph sent is in the store with (at least, when appending) the triples sent. A ``guessed`` query
    endpoint that does not answer is given up for reading every graph back."""
    expected = [pair for upload in uploads for pair in upload.expected]
    named = [graph for graph, _ in expected if graph]
    found: dict[str, int | None] = {}
    if query_endpoint and named:
        try:
            counted = counted_by_query(query_endpoint, named, client.timeout)
            found = {graph: counted.get(graph) for graph in named}
        except LoadError:
            if not guessed:
                raise
    problems = []
    for graph, sent in expected:
        if graph not in found:  # no query endpoint, or the default graph (no protocol parameter names it)
            try:
                found[graph] = triples_in_store(client, graph)
            except ConnectionError as exc:
                raise LoadError(
                    f"lost the connection to {client.endpoint} while reading {label(graph)} back to "
                    f"check the load ({exc}); everything was sent"
                ) from None
        count = found[graph]
        if count is None:
            problems.append(f"{label(graph)} is missing")
        elif count < sent or (replace and count != sent):
            problems.append(f"{label(graph)} holds {count} triples, {sent} were sent")
    if problems:
        raise LoadError(
            f"{client.endpoint} acknowledged the data, but reading it back shows: {'; '.join(problems)}. "
            "The store ignored, dropped or merged data (a store that does not take "
            f"{uploads[0].content_type} for a whole dataset answers like this: try --format nt)."
        )


def send_uploads(
    client: GraphStoreClient,
    uploads: Sequence[Upload],
    replace: bool,
    verify_after: bool = True,
    progress: Progress | None = None,
    query_endpoint: str | None = None,
    guessed: bool = False,
    bulk: bool = False,
) -> LoadSummary:
    """Send every upload in order, then count what arrived (see :func:`verify`); :class:`LoadError` on the first
    problem. ``bulk``: the store is Oxigraph, to be asked for its bulk loader for bodies of ``BULK_FROM`` bytes
    or more."""
    summary = LoadSummary(client.endpoint)
    started = time.monotonic()
    deleted: list[str] = []
    for index, upload in enumerate(uploads):
        pending = [u.label for u in uploads[index:]]
        part_of = None  # the graph a failed request may have loaded in part
        try:
            if upload.graph is None and replace:
                for graph, _ in upload.expected:
                    if graph:
                        response = client.send("DELETE", graph)
                        if response.status not in OK + (404,):
                            raise LoadError(
                                _partial(
                                    f"the store refused to delete {label(graph)} before loading "
                                    f"(HTTP {response.status}: {response.text[:300]})",
                                    summary.loaded,
                                    pending,
                                    deleted,
                                )
                            )
                        deleted.append(label(graph))
            method = "PUT" if replace and upload.graph is not None else "POST"
            body = upload.body()
            parameter = OXIGRAPH_BULK if bulk and len(body) >= BULK_FROM else ""
            part_of = upload.label if parameter else None
            response = client.send(method, upload.graph, body, upload.content_type, parameter=parameter)
        except ConnectionError as exc:
            raise LoadError(
                _partial(
                    f"lost the connection to {client.endpoint} while sending {upload.label} ({exc})",
                    summary.loaded,
                    pending,
                    deleted,
                    part_of,
                )
            ) from None
        if response.status not in OK:
            raise LoadError(_partial(_refusal(upload, response), summary.loaded, pending, deleted, part_of))
        summary.loaded.append(upload.label)
        summary.uploads += 1
        summary.triples += upload.triples
        summary.bytes += len(body)
        del body
        if progress:
            progress(f"sent {upload.label}: {upload.triples} triples", index + 1, len(uploads) + verify_after)
    if verify_after:
        try:
            verify(client, uploads, replace, query_endpoint, guessed)
        except LoadError as exc:
            if deleted:
                raise LoadError(
                    f"{exc} Before sending, --replace deleted these graphs from the store: {', '.join(deleted)}."
                ) from None
            raise
        summary.verified = True
        if progress:
            progress("read back and counted every graph", len(uploads) + 1, len(uploads) + 1)
    summary.seconds = time.monotonic() - started
    return summary


def _oxigraph_query_endpoint(endpoint: str) -> str | None:
    """Oxigraph serves queries at ``/query`` beside its Graph Store endpoint ``/store``."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.path.rstrip("/").endswith("/store") and not parts.query:
        return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/")[: -len("store")] + "query"))
    return None


def check_url(option: str, url: str, example: str) -> None:
    """An http(s) URL with a host and a valid port, or :class:`LoadError` naming the option (never a traceback)."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in 0-65535
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise LoadError(f"{option}: not a valid URL: {url!r} ({exc}); for example {example}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"{option}: not an http(s) URL: {url!r} (for example {example})")


def load(
    dataset: Path,
    endpoint: str,
    fmt: str = "nt",
    replace: bool = True,
    auth: Auth | None = None,
    graphs: Sequence[str] = (),
    timeout: float = 300.0,
    verify_after: bool = True,
    progress: Progress | None = None,
    query_endpoint: str | None = None,
    bulk: bool = True,
) -> LoadSummary:
    """Read the built dataset (or an export), make it portable and send it to ``endpoint``; count what arrived
    with a query at ``query_endpoint`` (Oxigraph's is found by itself) or by reading every graph back."""
    check_url("--endpoint", endpoint, "http://127.0.0.1:7878/store")
    if query_endpoint is not None:
        check_url("--query-endpoint", query_endpoint, "http://127.0.0.1:7878/query")
    if not timeout > 0:  # also NaN
        raise LoadError(f"--timeout must be a positive number of seconds, not {timeout}")
    client = GraphStoreClient(endpoint, auth, timeout)
    answer = probe(client)  # before reading the dataset: a stopped store or a wrong password fails at once
    oxigraph, guessed = answer.server.startswith("Oxigraph/"), False
    if oxigraph and query_endpoint is None:
        query_endpoint = _oxigraph_query_endpoint(endpoint)
        guessed = True
    if fmt not in CONTENT_TYPES:
        raise LoadError(f"unknown format {fmt!r} (choose from {', '.join(CONTENT_TYPES)})")
    uploads = plan(make_portable(iter_dataset(dataset), graphs, keep=KEEP[fmt]), fmt)
    return send_uploads(client, uploads, replace, verify_after, progress, query_endpoint, guessed, bulk and oxigraph)
