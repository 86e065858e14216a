"""The front door of `recsys-kg serve`: a small reverse proxy on 127.0.0.1 in front of the Oxigraph server.

Why: the Oxigraph server is read-only and loopback-only, but on its own it (1) runs ``SERVICE <url>`` clauses, so
a web page could make a visitor's browser use it to reach other hosts (blind SSRF); (2) answers any ``Host:``
header, so a page on a domain re-bound to 127.0.0.1 (DNS rebinding) could read it; (3) accepts requests a web page
sends cross-origin. The gateway, which alone listens on the published port, refuses all three before a request
reaches the server:

- ``Host`` must name the bind address (``127.0.0.1:PORT`` or ``localhost:PORT``): otherwise 421;
- a request with an ``Origin`` other than the gateway's own is refused (403): CORS is off, same-origin only;
- a query is parsed (rdflib's SPARQL parser) and refused (403) if it has a ``SERVICE`` clause anywhere, or 400 if
  it cannot be parsed (fail closed: what cannot be checked is not forwarded);
- only the routes in :data:`ROUTES` exist, each with its methods; anything else is 404 or 405, so writes
  (``/update``, ``PUT``/``POST``/``DELETE`` on ``/store``) never reach the server;
- a request may take at most ``timeout`` seconds in all: then the gateway answers 504 and calls ``on_timeout``
  (serve.py restarts the server: Oxigraph's own ``--timeout-s`` does not stop a long aggregate, and a query
  whose client left must not keep a core busy).

Extending: a new route is one line in :data:`ROUTES` (path -> methods and handler); handlers get the request
handler and return nothing. The static site and content negotiation (branch ``site``) plug in there.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 1 << 20  # a SPARQL query of more than 1 MiB is not a question a person asks
FORWARDED_REQUEST_HEADERS = ("Accept", "Content-Type")  # no cookies or credentials travel to the server
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "upgrade",
    "content-length",
}


class Refused(Exception):
    """A request the gateway answers itself, with an HTTP status and a one-line reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def has_service(query: str) -> bool:
    """Whether a SPARQL query uses ``SERVICE`` anywhere (any nesting, any form); :class:`Refused` (400) for text
    that does not parse as a SPARQL 1.1 query."""
    from pyparsing import ParseException, ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(query)
    except ParseException as exc:
        raise Refused(400, f"not a SPARQL 1.1 query (line {exc.lineno}, column {exc.column}): {exc.msg}") from None
    except Exception as exc:  # rdflib raises assorted errors on odd input; none of it may be forwarded unchecked
        raise Refused(400, f"the query could not be checked: {type(exc).__name__}") from None

    stack: list[object] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(list(node))
        elif isinstance(node, dict):
            stack.extend(node.values())
    return False


@dataclass(frozen=True)
class Route:
    methods: tuple[str, ...]
    handle: Callable[[GatewayHandler], None]


def _query_parameter(encoded: str) -> str | None:
    """The one ``query`` parameter of a URL-encoded string, decoded strictly (UTF-8), so the text checked is
    exactly the text the server runs; two ``query`` parameters are refused (which one would run?)."""
    try:
        values = urllib.parse.parse_qs(encoded, errors="strict").get("query")
    except UnicodeDecodeError:
        raise Refused(400, "the query is not UTF-8 text") from None
    if values and len(values) > 1:
        raise Refused(400, "more than one query parameter")
    return values[0] if values else None


def _query_text(handler: GatewayHandler, body: bytes) -> str | None:
    """The SPARQL query of a /query request (GET ?query=, POST form or POST application/sparql-query)."""
    if handler.command == "GET":
        return _query_parameter(urllib.parse.urlsplit(handler.path).query)
    content_type = (handler.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the request body is not UTF-8 text") from None
    if content_type == "application/sparql-query":
        if urllib.parse.urlsplit(handler.path).query:
            raise Refused(400, "send the query in the body or in the URL, not both")
        return text
    if content_type == "application/x-www-form-urlencoded":
        return _query_parameter(text)
    raise Refused(415, "send the query as ?query=, a form, or application/sparql-query")


def _checked_query(handler: GatewayHandler) -> None:
    body = handler.read_body()
    query = _query_text(handler, body)
    if query is None:
        raise Refused(400, "no query: pass it as the 'query' parameter")
    if has_service(query):
        raise Refused(403, "SERVICE is disabled on this endpoint: it would make the server fetch other URLs")
    handler.forward(body)


def _forward(handler: GatewayHandler) -> None:
    handler.forward(handler.read_body())


ROUTES: dict[str, Route] = {
    "/": Route(("GET", "HEAD"), _forward),  # the query UI
    "/query": Route(("GET", "POST"), _checked_query),  # SPARQL 1.1 Protocol
    "/store": Route(("GET", "HEAD"), _forward),  # Graph Store Protocol, reading only
}


class GatewayHandler(BaseHTTPRequestHandler):
    server: Gateway
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds a client may take to send its request (a connection left open does not hold a thread)

    def do_GET(self) -> None:
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        try:
            self._check_host_and_origin()
            route = ROUTES.get(urllib.parse.urlsplit(self.path).path)
            if route is None:
                raise Refused(404, "no such endpoint (this server is read-only: /, /query, /store)")
            if self.command not in route.methods:
                raise Refused(405, f"{self.command} is not allowed here (read-only endpoint)")
            route.handle(self)
        except Refused as refused:
            self.reply(refused.status, refused.reason)

    def _check_host_and_origin(self) -> None:
        check_host_and_origin(self.headers, self.server.address, self.server.port)

    def read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise Refused(400, "Content-Length is not a number") from None
        if length < 0 or length > MAX_BODY:
            raise Refused(413, f"the request body is limited to {MAX_BODY} bytes")
        if self.headers.get("Transfer-Encoding"):
            raise Refused(411, "send a Content-Length (chunked requests are not accepted)")
        return self.rfile.read(length) if length else b""

    def forward(self, body: bytes) -> None:
        """Send the request on to the server and its answer back; 504 when it takes longer than the timeout."""
        headers = {name: self.headers[name] for name in FORWARDED_REQUEST_HEADERS if self.headers.get(name)}
        deadline = time.monotonic() + self.server.query_timeout
        connection = http.client.HTTPConnection(
            self.server.upstream_host, self.server.upstream_port, timeout=self.server.query_timeout
        )
        try:
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            chunks = []
            while chunk := response.read1(1 << 16):  # a total deadline, not one per socket read
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise TimeoutError
            payload = b"".join(chunks)
        except TimeoutError:
            connection.close()
            self.server.on_timeout()
            raise Refused(
                504, f"the query took longer than {self.server.query_timeout:g} s (--timeout); it was stopped"
            ) from None
        except OSError as exc:
            raise Refused(502, f"the SPARQL server did not answer: {exc}") from None
        finally:
            connection.close()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP and not name.lower().startswith("access-control-"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def reply(self, status: int, reason: str) -> None:
        data = (reason + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        """Quiet: the command's output is for the person running it, not an access log."""


def check_host_and_origin(headers: Message, address: str, port: int) -> None:
    """Refuse a request whose ``Host`` does not name this server (DNS rebinding: 421) or that comes from another
    origin (403: CORS is off). Every server ``serve`` starts on a public port checks this, the gateway and the
    site server alike."""
    allowed_hosts = {f"{address}:{port}", f"localhost:{port}"}
    host = (headers.get("Host") or "").lower()
    if host not in allowed_hosts:
        raise Refused(421, f"unexpected Host {host!r}: use http://{address}:{port}")
    origin = headers.get("Origin")
    if origin is not None and origin.lower() not in {f"http://{name}" for name in allowed_hosts}:
        raise Refused(403, "cross-origin requests are not allowed (CORS is off)")


class Gateway(ThreadingHTTPServer):
    """The gateway on ``host:port`` (port 0: any free one) in front of the server at ``upstream``."""

    daemon_threads = True

    def __init__(
        self, host: str, port: int, upstream: str, timeout: float, on_timeout: Callable[[], None] = lambda: None
    ) -> None:
        super().__init__((host, port), GatewayHandler)
        self.on_timeout = on_timeout
        parsed = urllib.parse.urlsplit(upstream)
        self.upstream_host, self.upstream_port = parsed.hostname or host, parsed.port or 80
        self.query_timeout = timeout
        self.address, self.port = host, self.server_address[1]
        self.origin = f"http://{host}:{self.port}"

    def start(self) -> Gateway:
        threading.Thread(target=self.serve_forever, name="recsys-kg-gateway", daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
