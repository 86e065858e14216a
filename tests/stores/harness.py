"""Helpers shared by the tests that run real stores: the skip-or-fail rule for a missing store, reading a store's
content back, and an authenticating reverse proxy in front of a real Oxigraph server.

The proxy exists because the Oxigraph server has no authentication and Virtuoso only speaks digest: it adds HTTP
Basic authentication (and, optionally, a request-size limit like a web server's) in front of a real store, so
`recsys-kg load` is tested against real refusals while the data still lands in a real store.
"""

from __future__ import annotations

import base64
import http.server
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

import pyoxigraph as ox

from recsys_kg.stores.compare import value_of
from recsys_kg.stores.process import LOOPBACK, StoreUnavailable
from support import unavailable

T = TypeVar("T")


def require(start: Callable[[], T]) -> T:
    """Run ``start``; a store that is not installed skips the test with the install command, except under CI,
    where it fails the test (CI installs every store, so a missing one is a broken CI)."""
    try:
        return start()
    except StoreUnavailable as exc:
        unavailable(str(exc))


def quads_by_value(quads: Iterable[ox.Quad]) -> Counter:
    """A multiset of quads compared by value (blank nodes as one placeholder, numbers by value...)."""
    return Counter(
        (
            q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "",
            value_of(q.subject),
            q.predicate.value,
            value_of(q.object),
        )
        for q in quads
    )


def graph_from_gsp(url: str, graph: str) -> list[ox.Quad]:
    """A graph read back through a Graph Store endpoint (anonymous GET), as quads in that graph."""
    request = urllib.request.Request(
        url + "?graph=" + urllib.parse.quote(graph, safe=""), headers={"Accept": "application/n-triples"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    g = ox.NamedNode(graph)
    return [ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]


class AuthProxy:
    """A reverse proxy on 127.0.0.1 that demands HTTP Basic ``user:password`` and refuses request bodies over
    ``max_body`` bytes with 413, forwarding everything else to ``upstream``."""

    def __init__(self, upstream: str, user: str, password: str, max_body: int | None = None):
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *_args) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if self.headers.get("Authorization") != expected:
                    self.rfile.read(length)
                    self._answer(401, b"", {"WWW-Authenticate": 'Basic realm="store"'})
                    return
                body = self.rfile.read(length) if length else None
                if max_body is not None and length > max_body:
                    self._answer(413, b"Request Entity Too Large", {"Content-Type": "text/plain"})
                    return
                proxy.requests.append((self.command, self.path))
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                request = urllib.request.Request(upstream + self.path, data=body, method=self.command, headers=headers)
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        self._answer(
                            response.status, response.read(), {"Content-Type": response.headers.get("Content-Type", "")}
                        )
                except urllib.error.HTTPError as exc:
                    self._answer(exc.code, exc.read(), {"Content-Type": exc.headers.get("Content-Type", "")})

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_PUT = do_POST = do_DELETE = _forward

        self.requests: list[tuple[str, str]] = []
        self.server = http.server.ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.url = f"http://{LOOPBACK}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> AuthProxy:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()
