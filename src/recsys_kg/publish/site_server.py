"""The site and the graph's IRIs on one origin: `recsys-kg serve --site DIR`.

Requests are answered on 127.0.0.1 only, read-only:

- ``/id/…`` (an instance IRI with the w3id.org prefix cut off) is negotiated as the W3C "Cool URIs for the
  Semantic Web" note's 303 recipe: a client asking for RDF (``Accept: text/turtle``, ``application/n-triples``,
  ``application/ld+json``) gets the resource's description (every triple with it as subject, in any graph)
  directly; any other client (a browser) gets ``303 See Other`` to the HTML page ``/id/….html``, so the IRI
  names the thing and the page is a document about it;
- ``/graph/…`` returns that named graph (Turtle unless N-Triples or JSON-LD is asked for);
- ``/query`` is forwarded to the Oxigraph server's read-only SPARQL endpoint (the union of all graphs as default
  graph), which the site's ``sparql.html`` uses;
- everything else is a file of the site directory (``/`` is ``index.html``); paths cannot leave it.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from mimetypes import guess_type
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox

from recsys_kg.publish.gateway import Refused, check_host_and_origin
from recsys_kg.rdf.graphs import GRAPH_BASE, ID_BASE
from recsys_kg.rdf.namespaces import BASE
from recsys_kg.stores.process import LOOPBACK

# media type -> pyoxigraph format, in the order a client with no preference among them gets them
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
HTML_TYPES = ("text/html", "application/xhtml+xml")
PROXY_TIMEOUT = 60.0


def negotiate(accept: str | None) -> str | None:
    """The RDF media type to answer with, or None for HTML: the highest-q type of the Accept header among
    RDF and HTML types (RDF wins a tie only when HTML is not listed; no header, or */* alone, means HTML)."""
    best: tuple[float, int, str | None] = (0.0, 0, None)
    for position, part in enumerate((accept or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media in RDF_TYPES or media in HTML_TYPES:
            choice = None if media in HTML_TYPES else media
            if q > best[0] or (q == best[0] and best[2] is not None and choice is None):
                best = (q, -position, choice)
    return best[2] if best[0] > 0 else None


class SiteHandler(BaseHTTPRequestHandler):
    server: SiteHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: the command prints where it serves; errors are answered to the client

    def _send(self, status: int, body: bytes, media: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found(self, what: str) -> None:
        self._send(404, f"not found: {what}\n".encode(), "text/plain; charset=utf-8")

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self.do_GET()

    def _refused(self) -> bool:
        """The gateway's Host and Origin rules (DNS rebinding, no CORS), answered here when they refuse."""
        try:
            check_host_and_origin(self.headers, LOOPBACK, self.server.server_address[1])
        except Refused as refused:
            self._send(refused.status, f"{refused.reason}\n".encode(), "text/plain; charset=utf-8")
            return True
        return False

    def do_GET(self) -> None:  # noqa: N802
        if self._refused():
            return
        path = unquote(urlsplit(self.path).path)
        if path.startswith("/id/") and not path.endswith(".html"):
            self._resource(path)
        elif path.startswith("/graph/"):
            self._graph(path)
        elif path == "/query":
            self._proxy()
        else:
            self._file(path)

    def do_POST(self) -> None:  # noqa: N802
        if self._refused():
            return
        if urlsplit(self.path).path == "/query":
            self._proxy()
        else:
            self._send(405, b"read-only: only /query accepts POST\n", "text/plain; charset=utf-8", {"Allow": "GET"})

    def _rdf(self, triples: list[ox.Triple], media: str) -> None:
        body = ox.serialize(triples, format=RDF_TYPES[media], prefixes={"rkg": BASE + "ontology#", "id": ID_BASE})
        self._send(
            200, body or b"", f"{media}; charset=utf-8" if media != "application/ld+json" else media, {"Vary": "Accept"}
        )

    def _resource(self, path: str) -> None:
        iri = BASE + path.lstrip("/")
        media = negotiate(self.headers.get("Accept"))
        try:
            subject = ox.NamedNode(iri)
        except ValueError:
            return self._not_found(path)
        triples = list(
            dict.fromkeys(
                ox.Triple(q.subject, q.predicate, q.object)
                for q in self.server.store.quads_for_pattern(subject, None, None)
            )
        )
        if not triples:
            return self._not_found(iri)
        if media is not None:
            return self._rdf(triples, media)
        page = path + ".html"
        if not self._site_file(page):
            return self._rdf(triples, "text/turtle")  # a resource without a page (a cell, a usage): its data
        self._send(303, f"See {page}\n".encode(), "text/plain; charset=utf-8", {"Location": page, "Vary": "Accept"})

    def _graph(self, path: str) -> None:
        try:
            graph = ox.NamedNode(GRAPH_BASE + path[len("/graph/") :])
        except ValueError:
            return self._not_found(path)
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self.server.store.quads_for_pattern(None, None, None, graph)
        ]
        if not triples:
            return self._not_found(graph.value)
        self._rdf(triples, negotiate(self.headers.get("Accept")) or "text/turtle")

    def _site_file(self, path: str) -> Path | None:
        root = self.server.site_dir
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            return None
        return target

    def _file(self, path: str) -> None:
        target = self._site_file(path)
        if target is None:
            return self._not_found(path)
        media = guess_type(target.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media in ("application/javascript", "image/svg+xml", "application/json"):
            media += "; charset=utf-8"
        self._send(200, target.read_bytes(), media)

    def _proxy(self) -> None:
        """Forward a SPARQL query to the Oxigraph server (its read-only endpoint; no other path is forwarded)."""
        split = urlsplit(self.path)
        url = self.server.query_url + (f"?{split.query}" if split.query else "")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if self.command == "POST" else None
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("accept", "content-type")}
        request = urllib.request.Request(url, data=body, headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(request, timeout=PROXY_TIMEOUT) as answer:
                self._send(answer.status, answer.read(), answer.headers.get("Content-Type", "text/plain"))
        except urllib.error.HTTPError as exc:
            self._send(exc.code, exc.read(), exc.headers.get("Content-Type", "text/plain"))
        except (urllib.error.URLError, TimeoutError) as exc:
            self._send(502, f"the SPARQL endpoint did not answer: {exc}\n".encode(), "text/plain; charset=utf-8")


class SiteHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, site_dir: Path, store: ox.Store, query_url: str) -> None:
        self.site_dir = site_dir.resolve()
        self.store = store
        self.query_url = query_url
        super().__init__((LOOPBACK, port), SiteHandler)

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.server_address[1]}"


def start_site_server(port: int, site_dir: Path, store: ox.Store, query_url: str) -> SiteHTTPServer:
    """Serve the site on 127.0.0.1:``port`` (0: any free port) in a background thread; the caller stops it with
    ``shutdown()``."""
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(
            f"{site_dir}: no index.html; write the site first with `recsys-kg render site --out {site_dir}`"
        )
    server = SiteHTTPServer(port, site_dir, store, query_url)
    threading.Thread(target=server.serve_forever, name="site-server", daemon=True).start()
    return server
