"""`recsys-kg load`: send the dataset to a store through the SPARQL 1.1 Graph Store HTTP Protocol
(https://www.w3.org/TR/sparql11-http-rdf-update/), named graphs preserved.

Two ways to send it, chosen by ``--format``:

- ``nt`` (default) or ``ttl``: one request per named graph (``PUT ?graph=G`` to replace it, ``POST`` to add to
  it). Every store with a Graph Store endpoint accepts this, including Virtuoso, which takes no quad format.
- ``nq``, ``trig`` or ``jsonld``: the whole dataset in one ``POST`` to the endpoint (Oxigraph, Fuseki). With
  ``--replace`` each graph of the dataset is first deleted (``DELETE ?graph=G``).

What the store receives is what `recsys-kg export` writes (canonical, portable literals). Before sending any data
a probe (``GET`` of a graph that does not exist) checks that the endpoint is reachable and accepts the
credentials, so a stopped store or a wrong password fails with nothing loaded. After sending, every graph is
read back (``GET ?graph=G``) and its triples counted: a store that answers "200 OK" but ignored the data
(Virtuoso does this for a quad POST: it returns its HTML query form) or merged triples is caught. Loading graph
by graph is not atomic: when a store refuses a graph half-way, the error lists the graphs that were and were not
loaded. The metadata graph goes last, so its presence in a store means every other graph arrived.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .export import TRIPLE_FORMATS, by_graph, dataset_bytes, portable, read_dataset, select_graphs, serialize_triples
from .metadata import METADATA_GRAPH
from .stores.gsp import Auth, GraphStoreClient, Response
from .terms import GRAPH_BASE

CONTENT_TYPES = {"nt": "application/n-triples", "ttl": "text/turtle", "nq": "application/n-quads",
                 "trig": "application/trig", "jsonld": "application/ld+json"}
READ_BACK = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
             "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML}
PROBE_GRAPH = "urn:x-recsys-kg:probe-graph-that-does-not-exist"
OK = (200, 201, 204)
Progress = Callable[[str, int, int], None]  # (what was just done, step, steps)

__all__ = ["Auth", "LoadError", "LoadSummary", "Upload", "load", "plan", "send_uploads"]


class LoadError(Exception):
    """The load failed; the message says what was and was not loaded."""


@dataclass(frozen=True)
class Upload:
    """One request's body: a named graph ("" for the default graph), or the whole dataset (``graph`` None)."""

    graph: str | None
    content_type: str
    body: bytes
    triples: int
    expected: tuple[tuple[str, int], ...] = ()  # (graph, triples) this upload puts in the store

    @property
    def label(self) -> str:
        return label(self.graph)


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


def plan(quads: list[ox.Quad], fmt: str) -> list[Upload]:
    """The requests a load makes, in order (the metadata graph last)."""
    if fmt not in CONTENT_TYPES:
        raise LoadError(f"unknown format {fmt!r} (choose from {', '.join(CONTENT_TYPES)})")
    graphs = by_graph(quads)
    counts = tuple((g, len(set(graphs[g]))) for g in sorted(graphs))
    if fmt not in TRIPLE_FORMATS:
        return [Upload(None, CONTENT_TYPES[fmt], dataset_bytes(quads, fmt), len(quads), counts)]
    order = sorted(graphs, key=lambda g: (g == METADATA_GRAPH.value, g))
    return [Upload(g, CONTENT_TYPES[fmt], serialize_triples(graphs[g], fmt), len(graphs[g]), ((g, len(graphs[g])),))
            for g in order]


def _auth_hint(response: Response, auth: Auth | None) -> str:
    asks = response.challenge.split(" ", 1)[0].lower() or None
    if auth is None:
        return f"it asks for {asks or 'authentication'}: pass --user and --password" + (
            " with --auth digest" if asks == "digest" else "")
    if asks and asks != auth.scheme:
        return f"it asks for {asks} authentication, not {auth.scheme}: pass --auth {asks}"
    return "check --user and --password" + (
        ", and --auth: some stores (Virtuoso) only take digest" if auth.scheme == "basic" else "")


def _contact(client: GraphStoreClient, method: str, graph: str | None, body: bytes | None = None,
             content_type: str | None = None) -> Response:
    try:
        return client.send(method, graph, body, content_type)
    except ValueError as exc:  # e.g. a digest algorithm we do not speak
        raise LoadError(f"cannot authenticate to {client.endpoint}: {exc}. Nothing was loaded.") from None


def probe(client: GraphStoreClient) -> None:
    """Reachable, and the credentials accepted? Raises :class:`LoadError` before anything is sent."""
    try:
        response = _contact(client, "GET", PROBE_GRAPH)
    except ConnectionError as exc:
        raise LoadError(f"cannot reach {client.endpoint}: {exc}. Is the store running, and is this its Graph Store "
                        "endpoint? Nothing was loaded.") from None
    if response.status in (401, 403):
        raise LoadError(f"{client.endpoint} refused the credentials (HTTP {response.status}; "
                        f"{_auth_hint(response, client.auth)}). Nothing was loaded.")
    if response.status >= 500 or response.status in (400, 405):
        raise LoadError(f"{client.endpoint} does not answer like a Graph Store endpoint (HTTP {response.status}: "
                        f"{response.text[:300]}). Nothing was loaded.")


def _partial(message: str, done: list[str], pending: list[str], deleted: list[str]) -> str:
    if not done and not deleted:
        return message + ". Nothing was loaded."
    parts = [message + ". The store now holds a PARTIAL dataset."]
    if done:
        parts.append("Loaded: " + ", ".join(done) + ".")
    if deleted:
        parts.append("Deleted first (by --replace): " + ", ".join(deleted) + ".")
    parts.append("Not loaded: " + ", ".join(pending) + ". Fix the problem and run again with --replace.")
    return " ".join(parts)


def _refusal(upload: Upload, response: Response) -> str:
    message = f"the store refused {upload.label} (HTTP {response.status}: {response.text[:500]})"
    if response.status in (400, 406, 415, 500, 501) and upload.graph is None:
        message += (f". Many stores (Virtuoso among them) take no {upload.content_type} through the Graph Store "
                    "Protocol: use --format nt, which sends one graph per request")
    if response.status in (401, 403):
        message += ": this account may read but not write"
    return message


def triples_in_store(client: GraphStoreClient, graph: str) -> int | None:
    """How many triples the store holds in ``graph`` (None when it has no such graph)."""
    response = client.send("GET", graph, accept="application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5")
    if response.status == 404:
        return None
    if response.status not in OK:
        raise LoadError(f"cannot read graph {label(graph)} back from {client.endpoint} to check the load "
                        f"(HTTP {response.status}: {response.text[:300]}); pass --no-verify to skip the check")
    media = response.content_type.split(";")[0].strip().lower()
    fmt = READ_BACK.get(media, ox.RdfFormat.N_TRIPLES)
    try:
        return len({q for q in ox.parse(response.body, format=fmt, lenient=True)})
    except SyntaxError as exc:
        raise LoadError(f"graph {label(graph)} read back from {client.endpoint} is not {media or 'RDF'}: {exc}; "
                        "pass --no-verify to skip the check") from None


def verify(client: GraphStoreClient, uploads: Sequence[Upload], replace: bool) -> None:
    """Every graph sent is in the store with (at least, when appending) the triples sent."""
    problems = []
    for upload in uploads:
        for graph, expected in upload.expected:
            try:
                found = triples_in_store(client, graph)
            except ConnectionError as exc:
                raise LoadError(f"lost the connection to {client.endpoint} while reading {label(graph)} back to "
                                f"check the load ({exc}); everything was sent") from None
            if found is None:
                problems.append(f"{label(graph)} is missing")
            elif found < expected or (replace and found != expected):
                problems.append(f"{label(graph)} holds {found} triples, {expected} were sent")
    if problems:
        raise LoadError(f"{client.endpoint} acknowledged the data, but reading it back shows: {'; '.join(problems)}. "
                        "The store ignored, dropped or merged data (a store that does not take "
                        f"{uploads[0].content_type} for a whole dataset answers like this: try --format nt).")


def send_uploads(client: GraphStoreClient, uploads: Sequence[Upload], replace: bool, verify_after: bool = True,
                 progress: Progress | None = None) -> LoadSummary:
    """Send every upload in order, then read back; :class:`LoadError` on the first problem. Probe first."""
    summary = LoadSummary(client.endpoint)
    started = time.monotonic()
    deleted: list[str] = []
    for index, upload in enumerate(uploads):
        pending = [u.label for u in uploads[index:]]
        try:
            if upload.graph is None and replace:
                for graph, _ in upload.expected:
                    if graph:
                        response = _contact(client, "DELETE", graph)
                        if response.status not in OK + (404,):
                            raise LoadError(_partial(f"the store refused to delete {label(graph)} before loading "
                                                     f"(HTTP {response.status}: {response.text[:300]})",
                                                     summary.loaded, pending, deleted))
                        deleted.append(label(graph))
            method = "PUT" if replace and upload.graph is not None else "POST"
            response = _contact(client, method, upload.graph, upload.body, upload.content_type)
        except ConnectionError as exc:
            raise LoadError(_partial(f"lost the connection to {client.endpoint} while sending {upload.label} ({exc})",
                                     summary.loaded, pending, deleted)) from None
        if response.status not in OK:
            raise LoadError(_partial(_refusal(upload, response), summary.loaded, pending, deleted))
        summary.loaded.append(upload.label)
        summary.uploads += 1
        summary.triples += upload.triples
        summary.bytes += len(upload.body)
        if progress:
            progress(f"sent {upload.label}: {upload.triples} triples", index + 1, len(uploads) + verify_after)
    if verify_after:
        try:
            verify(client, uploads, replace)
        except LoadError as exc:
            if deleted:
                raise LoadError(f"{exc} Before sending, --replace deleted these graphs from the store: "
                                f"{', '.join(deleted)}.") from None
            raise
        summary.verified = True
        if progress:
            progress("read back and counted every graph", len(uploads) + 1, len(uploads) + 1)
    summary.seconds = time.monotonic() - started
    return summary


def load(dataset: Path, endpoint: str, fmt: str = "nt", replace: bool = True, auth: Auth | None = None,
         graphs: Sequence[str] = (), timeout: float = 300.0, verify_after: bool = True,
         progress: Progress | None = None) -> LoadSummary:
    """Read the built dataset (or an export), make it portable and send it to ``endpoint``."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LoadError(f"not an http(s) URL: {endpoint!r} (for example http://127.0.0.1:7878/store)")
    client = GraphStoreClient(endpoint, auth, timeout)
    probe(client)  # before reading the dataset: a stopped store or a wrong password fails at once
    uploads = plan(portable(select_graphs(read_dataset(dataset), graphs)), fmt)
    return send_uploads(client, uploads, replace, verify_after, progress)
