"""An HTTP client for SPARQL 1.1 Graph Store Protocol endpoints (https://www.w3.org/TR/sparql11-http-rdf-update/)
with HTTP Basic (RFC 7617) or Digest (RFC 7616, qop=auth, MD5 or SHA-256) authentication.

Why not urllib's own digest handler: it sends every request without credentials first and answers the 401
challenge after; Virtuoso replies to that first attempt before reading the body and closes the connection, so a
multi-megabyte PUT dies with "broken pipe". Here the challenge is fetched once with a body-less request and every
later request carries its Authorization header from the start (a stale nonce is refreshed and retried once).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


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


def parse_challenge(header: str) -> dict[str, str]:
    """``Digest realm="x", nonce="y", qop="auth"`` -> {"realm": "x", ...} (scheme under the key "scheme")."""
    scheme, _, rest = header.strip().partition(" ")
    fields = {k.lower(): v1 if v1 else v2 for k, v1, v2 in re.findall(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))', rest)}
    fields["scheme"] = scheme.lower()
    return fields


class GraphStoreClient:
    """Requests to one Graph Store endpoint; ``url(graph)`` adds ``?graph=`` (or ``?default`` for "") and a
    store's own parameter, if any (Oxigraph's ``no_transaction``, see load.py)."""

    def __init__(self, endpoint: str, auth: Auth | None = None, timeout: float = 300.0):
        self.endpoint, self.auth, self.timeout = endpoint, auth, timeout
        self._challenge: dict[str, str] | None = None
        self._asked = False  # whether the digest challenge was fetched already
        self._nc = 0

    def url(self, graph: str | None, parameter: str = "") -> str:
        parameters = [] if graph is None else ["default" if graph == "" else
                                               "graph=" + urllib.parse.quote(graph, safe="")]
        parameters += [parameter] if parameter else []
        if not parameters:
            return self.endpoint
        return self.endpoint + ("&" if "?" in self.endpoint else "?") + "&".join(parameters)

    def _digest(self, method: str, url: str) -> str:
        c = self._challenge or {}
        algorithm = c.get("algorithm", "MD5").upper()
        digest = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}.get(algorithm)
        if digest is None:
            raise ValueError(f"unsupported digest algorithm {algorithm}")
        h = lambda text: digest(text.encode("utf-8")).hexdigest()  # noqa: E731
        parts = urllib.parse.urlsplit(url)
        uri = parts.path + ("?" + parts.query if parts.query else "")
        ha1 = h(f"{self.auth.user}:{c.get('realm', '')}:{self.auth.password}")
        ha2 = h(f"{method}:{uri}")
        self._nc += 1
        nc, cnonce = f"{self._nc:08x}", os.urandom(8).hex()
        fields = {"username": self.auth.user, "realm": c.get("realm", ""), "nonce": c.get("nonce", ""), "uri": uri,
                  "algorithm": algorithm}
        if "auth" in [q.strip() for q in c.get("qop", "").split(",")]:
            fields["response"] = h(f"{ha1}:{c.get('nonce', '')}:{nc}:{cnonce}:auth:{ha2}")
            text = ", ".join(f'{k}="{v}"' for k, v in fields.items()) + f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            fields["response"] = h(f"{ha1}:{c.get('nonce', '')}:{ha2}")
            text = ", ".join(f'{k}="{v}"' for k, v in fields.items())
        if "opaque" in c:
            text += f', opaque="{c["opaque"]}"'
        return "Digest " + text

    def _once(self, method: str, url: str, body: bytes | None, content_type: str | None, accept: str = "*/*"
              ) -> Response:
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        if self.auth and self.auth.scheme == "basic":
            token = base64.b64encode(f"{self.auth.user}:{self.auth.password}".encode()).decode("ascii")
            headers["Authorization"] = "Basic " + token
        elif self.auth and self._challenge:
            headers["Authorization"] = self._digest(method, url)
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return Response(response.status, response.read(), response.headers.get("Content-Type", ""), "",
                                response.headers.get("Server", ""))
        except urllib.error.HTTPError as exc:
            headers = exc.headers or {}
            return Response(exc.code, exc.read(), headers.get("Content-Type", ""),
                            headers.get("WWW-Authenticate", "") if exc.code == 401 else "", headers.get("Server", ""))
        except (urllib.error.URLError, OSError) as exc:
            raise ConnectionError(str(getattr(exc, "reason", exc))) from None

    def send(self, method: str, graph: str | None, body: bytes | None = None, content_type: str | None = None,
             accept: str = "*/*", parameter: str = "") -> Response:
        """One request. For digest, a missing or stale challenge is fetched with a body-less GET first.
        Raises :class:`ConnectionError` when the endpoint cannot be reached."""
        url = self.url(graph, parameter)
        if self.auth and self.auth.scheme == "digest" and not self._asked:
            self._learn_challenge(url)
        response = self._once(method, url, body, content_type, accept)
        challenge = parse_challenge(response.challenge) if response.challenge else {}
        if response.status == 401 and challenge.get("scheme") == "digest" and self.auth \
                and self.auth.scheme == "digest" and (challenge.get("stale", "").lower() == "true" or body is None):
            self._challenge, self._nc = challenge, 0
            response = self._once(method, url, body, content_type, accept)
        return response

    def _learn_challenge(self, url: str) -> None:
        self._asked = True
        response = self._once("GET", url, None, None)
        challenge = parse_challenge(response.challenge) if response.challenge else {}
        if challenge.get("scheme") == "digest":
            self._challenge, self._nc = challenge, 0
