"""The one way the project sends HTTP requests to a store: httpx, no redirects followed, a total deadline.

Why httpx (a maintained client) rather than urllib and hand-written authentication: it implements HTTP Digest
(RFC 7616) and Basic authentication, so there is no digest code of our own to get wrong; and what it does not do
for us by default is decided here, once:

- **No redirects are followed.** A store that answers 3xx gets the error ``redirects to <url>`` and nothing is
  re-sent there: credentials (and the data) never travel to another origin, whatever the redirect says.
- **A total deadline per request.** Socket timeouts bound each read or write, not the request: a server sending
  one byte every few seconds would never time out. Each request runs under ``asyncio.wait_for`` and is cancelled
  when ``timeout`` seconds have passed in all.
- **Nothing from the environment**: no proxy variables, no ``.netrc`` credentials (``trust_env=False``).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx


class HttpError(ConnectionError):
    """The request got no usable answer: unreachable, too slow, a redirect, or a protocol error."""


def request(
    method: str,
    url: str,
    *,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    auth: httpx.Auth | None = None,
    timeout: float = 300.0,
) -> httpx.Response:
    """Send one request and read the whole answer within ``timeout`` seconds; :class:`HttpError` otherwise."""

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(auth=auth, follow_redirects=False, timeout=timeout, trust_env=False) as client:
            response = await client.request(method, url, content=content, headers=headers)
            await response.aread()
            return response

    try:
        # in a thread of its own: asyncio.run refuses to start where an event loop already runs (a caller's own,
        # or a library's, such as Playwright's in the test session)
        with ThreadPoolExecutor(1) as worker:
            response = worker.submit(asyncio.run, asyncio.wait_for(send(), timeout)).result()
    except TimeoutError:
        raise HttpError(f"no complete answer within {timeout:g} s (--timeout)") from None
    except httpx.InvalidURL as exc:
        raise HttpError(f"not a valid URL: {exc}") from None
    except httpx.HTTPError as exc:
        raise HttpError(str(exc) or type(exc).__name__) from None
    except (KeyError, ValueError) as exc:  # httpx's digest code on a challenge it does not speak (algorithm=FOO)
        raise HttpError(f"cannot answer the server's authentication challenge ({exc})") from None
    if response.is_redirect:
        raise HttpError(
            f"{url} redirects to {response.headers.get('Location', '?')} (HTTP {response.status_code}); "
            "redirects are not followed, so credentials never go to another address: use that URL "
            "if you trust it"
        )
    return response
