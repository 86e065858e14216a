"""A minimal SPARQL 1.1 Protocol client (https://www.w3.org/TR/sparql11-protocol/): POST a query as a form,
ask for SPARQL JSON results, parse them with pyoxigraph into terms.

JSON, not CSV, because CSV drops datatypes and language tags. pyoxigraph's parser also accepts Virtuoso's
``"type": "typed-literal"`` (the SPARQL 1.0 draft form).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable

import pyoxigraph as ox

from recsys_kg.stores.http import HttpError, request

JSON_RESULTS = "application/sparql-results+json"


class EndpointError(RuntimeError):
    """The endpoint could not be reached or answered with an error; the message quotes it."""


def post_form(url: str, fields: Iterable[tuple[str, str]], accept: str, timeout: float = 120.0) -> bytes:
    """POST a form (stores/http.py: no redirects, a total deadline) and return the body of a 2xx answer."""
    body = urllib.parse.urlencode(list(fields)).encode("utf-8")
    try:
        response = request(
            "POST",
            url,
            content=body,
            timeout=timeout,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
    except HttpError as exc:
        raise EndpointError(f"cannot reach {url}: {exc}") from None
    if response.status_code >= 300:
        detail = response.content.decode("utf-8", "replace")[:2000]
        raise EndpointError(f"{url} answered HTTP {response.status_code}: {detail}") from None
    return response.content


def select(
    url: str, query: str, named_graphs: Iterable[str] = (), timeout: float = 120.0
) -> tuple[tuple[str, ...], list[tuple]]:
    """Run a SELECT query; returns the column names and the rows (pyoxigraph terms, None when unbound).

    ``named_graphs`` become ``named-graph-uri`` protocol parameters: they pin the dataset the query sees (on
    Virtuoso this hides its system graphs from ``GRAPH ?g``)."""
    fields = [("query", query)] + [("named-graph-uri", g) for g in named_graphs]
    data = post_form(url, fields, JSON_RESULTS, timeout)
    try:
        results = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(f"{url} returned results that are not SPARQL JSON: {exc}: {data[:300]!r}") from None
    if not isinstance(results, ox.QuerySolutions):
        raise EndpointError(f"{url} answered a SELECT query with a boolean result: {data[:300]!r}")
    columns = tuple(v.value for v in results.variables)
    return columns, [tuple(solution[name] for name in columns) for solution in results]


def update(url: str, text: str) -> None:
    post_form(url, [("update", text)], "*/*")
