"""An HTTP client for SPARQL 1.1 Graph Store Protocol endpoints (https://www.w3.org/TR/sparql11-http-rdf-update/)
with HTTP Basic (RFC 7617) or Digest (RFC 7616) authentication, both httpx's (stores/http.py: no redirects, a total
deadline per request).

Digest and large requests: a client that sends a request without credentials first and answers the 401 challenge
after would send the body twice, and Virtuoso answers that first attempt before reading the body and closes the
connection ("broken pipe" on a multi-megabyte PUT). So the challenge is fetched once with a body-less GET; httpx's
DigestAuth then puts the Authorization header on every later request from the start (and answers a stale nonce).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

import httpx

from recsys_kg.stores.http import request


@dataclass(frozen=True)
class Auth:
    user: str
    password: str
    scheme: str = "basic"  # or "digest"


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str
    challenge: str  # the WWW-Authenticate header of a 401, else ""
    server: str = ""  # the Server header: says which store answers (``Oxigraph/0.5.13``)

    @property
    def text(self) -> str:
        """The start of the body as one line; an HTML error page is reduced to its text."""
        text = self.body[:4000].decode("utf-8", "replace")
        if "html" in self.content_type or text.lstrip().startswith("<"):
            text = re.sub(r"<[^>]*>", " ", re.sub(r"(?is)<(head|style|script)\b.*?</\1>", " ", text))
        return " ".join(text.split())[:1000]


class GraphStoreClient:
    """Requests to one Graph Store endpoint; ``url(graph)`` adds ``?graph=`` (or ``?default`` for "") and a
    store's own parameter, if any (Oxigraph's ``no_transaction``, see load.py)."""

    def __init__(self, endpoint: str, auth: Auth | None = None, timeout: float = 300.0):
        self.endpoint, self.auth, self.timeout = endpoint, auth, timeout
        self._httpx_auth: httpx.Auth | None = None
        if auth is not None:
            self._httpx_auth = (
                httpx.DigestAuth(auth.user, auth.password)
                if auth.scheme == "digest"
                else httpx.BasicAuth(auth.user, auth.password)
            )
        self._asked = False  # whether the digest challenge was fetched already

    def url(self, graph: str | None, parameter: str = "") -> str:
        parameters = (
            [] if graph is None else ["default" if graph == "" else "graph=" + urllib.parse.quote(graph, safe="")]
        )
        parameters += [parameter] if parameter else []
        if not parameters:
            return self.endpoint
        return self.endpoint + ("&" if "?" in self.endpoint else "?") + "&".join(parameters)

    def _once(
        self, method: str, url: str, body: bytes | None, content_type: str | None, accept: str = "*/*"
    ) -> Response:
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        response = request(method, url, content=body, headers=headers, auth=self._httpx_auth, timeout=self.timeout)
        return Response(
            response.status_code,
            response.content,
            response.headers.get("Content-Type", ""),
            response.headers.get("WWW-Authenticate", "") if response.status_code == 401 else "",
            response.headers.get("Server", ""),
        )

    def send(
        self,
        method: str,
        graph: str | None,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str = "*/*",
        parameter: str = "",
    ) -> Response:
        """One request (for digest, the challenge is fetched with a body-less GET first). Raises
        :class:`ConnectionError` (stores.http.HttpError) when there is no usable answer."""
        url = self.url(graph, parameter)
        if self.auth and self.auth.scheme == "digest" and not self._asked:
            self._asked = True
            self._once("GET", url, None, None)
        return self._once(method, url, body, content_type, accept)
