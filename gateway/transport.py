"""The fallback upstream transport (``server.upstream_transport = "aiohttp"``): httpx's
interface over aiohttp's connection pool. The default is gateway/http1.py (less CPU a call);
this one stays for an upstream that needs what that one does not do.

Clients speak ``httpx`` (requests, responses, streams, error types); this transport carries
their requests on an ``aiohttp`` pool instead of httpcore's. Measured under the bench's load
(bench/peers, README "Performance"), httpcore's pool cost more CPU than the rest of an
upstream call: it checks every pooled connection for expiry on each request (a socket poll
through anyio's typed attributes per connection), runs each exchange through anyio's cancel
scopes and h11's pure-Python parser, and leaks connections when a request is cancelled at high
concurrency (encode/httpcore#1093). aiohttp parses with llhttp, expires idle connections
with one timer, and closes a connection whose request was cancelled.

The package ``httpx-aiohttp`` does the same, but maps aiohttp's errors onto httpx's in a
way ``resolvers/backends/base.py`` would misread (a server that hung up on a stale
keep-alive connection became ``ConnectTimeout``, so it was neither retried nor blamed
correctly), so the mapping lives here, where it is tested (tests/gateway/test_transport.py).

pyreqwest 0.15 (Rust reqwest/hyper) behind this same interface and error mapping was measured
in place and not taken: 1.15-1.5x the CPU per Q1 query at concurrency 1 and 16 (each exchange
goes to its tokio thread and back under the GIL), 40-60 MB more RSS, a thread that outlives
its clients, and a request cancelled mid-flight kept its connection, and its slot under
``max_connections``, until the upstream answered (its cancellation test fails).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import aiohttp
import httpx
from yarl import URL

from gateway.proxies import Proxies, refused, unreachable

# The longest status line or header an upstream may send (aiohttp's default, 8190 bytes, is
# shorter than what h11 accepted before; a long Link header must not become an error).
_MAX_FIELD = 65536


class _Body(httpx.AsyncByteStream):
    """A response body read from aiohttp as it arrives; closing it releases the connection
    to the pool when the body was read in full, and closes it otherwise."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except aiohttp.ClientPayloadError as exc:  # cut short, or chunked encoding broken
            raise httpx.RemoteProtocolError(str(exc)) from exc
        except aiohttp.ClientError as exc:
            raise _mapped(exc) from exc

    async def aclose(self) -> None:
        self._response.release()


def _mapped(exc: aiohttp.ClientError) -> httpx.TransportError:
    """aiohttp's error as the httpx error ``BaseClient`` judges: a refused connection
    (never left: retried, even a write), a dropped one (stale: retried at once, reads only),
    anything else a network failure."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(text)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return httpx.RemoteProtocolError(text)
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout(text)
    if isinstance(exc, aiohttp.ClientOSError):
        return httpx.ReadError(text)
    if isinstance(exc, aiohttp.ClientResponseError | aiohttp.ClientPayloadError):
        return httpx.RemoteProtocolError(text)  # not HTTP, or not HTTP/1.1 as it should be
    if isinstance(exc, aiohttp.InvalidURL):
        return httpx.UnsupportedProtocol(text)
    return httpx.NetworkError(text)


class AiohttpTransport(httpx.AsyncBaseTransport):
    """One pool per upstream service, opened in the running loop at its first request."""

    def __init__(
        self,
        limits: httpx.Limits,
        *,
        ssl_context: ssl.SSLContext | None = None,
        proxies: Proxies | None = None,
    ) -> None:
        self._limits = limits
        self._ssl_context = ssl_context  # default: the CA bundle httpx's own transport trusts
        self._session: aiohttp.ClientSession | None = None
        self._proxies = proxies if proxies else None  # gateway/proxies.py decides, as for http1

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._limits.max_connections or 0,
            limit_per_host=0,
            # None (httpx's "never") is aiohttp's "never" too.
            keepalive_timeout=self._limits.keepalive_expiry,
            ssl=self._ssl_context or httpx.create_ssl_context(),
        )
        return aiohttp.ClientSession(
            connector=connector,
            # The bodies reach httpx undecoded: httpx decodes Content-Encoding (and raises
            # DecodingError) exactly as before; cookies are not kept, as before.
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=None),  # base.py's lag-aware timer bounds it
            max_line_size=_MAX_FIELD,
            max_field_size=_MAX_FIELD,
            skip_auto_headers=("User-Agent", "Accept-Encoding", "Accept"),  # httpx's are sent
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._session
        if session is None:
            session = self._session = self._open()
        content = request.content  # always read: clients send bytes, never streams
        try:  # ASCII, as headers should be: decoded without httpx's per-request detection
            headers = [(k.decode("ascii"), v.decode("ascii")) for k, v in request.headers.raw]
        except UnicodeDecodeError:
            headers = request.headers.multi_items()  # httpx's fallbacks (UTF-8, Latin-1)
        url = request.url
        proxy, proxy_headers = None, None
        if self._proxies is not None:
            proxy = self._proxies.for_url(url)
            if proxy is not None and proxy.authorization:
                # On CONNECT for https://; with the request itself for http://, which aiohttp
                # sends to the proxy as it is.
                credentials = ("Proxy-Authorization", proxy.authorization.decode())
                if url.scheme == "https":
                    proxy_headers = dict([credentials])
                else:
                    headers = [*headers, credentials]
        try:
            response = await session.request(
                request.method,
                URL(str(url), encoded=True),
                headers=headers,
                data=content or None,
                allow_redirects=False,
                compress=None,
                proxy=proxy.url if proxy else None,
                proxy_headers=proxy_headers,
            )
        except aiohttp.ClientHttpProxyError as exc:  # not a bad answer: the tunnel refused
            assert proxy is not None
            authority = f"{url.raw_host.decode('ascii')}:{url.port or 443}"  # https:// only
            raise refused(proxy, exc.status, f"CONNECT {authority}") from exc
        except aiohttp.ClientProxyConnectionError as exc:
            assert proxy is not None
            raise unreachable(proxy, _mapped(exc)) from exc
        except aiohttp.ClientError as exc:
            raise _mapped(exc) from exc
        if proxy is not None and response.status == 407:  # the proxy's answer (http:// only)
            response.release()
            raise refused(proxy, 407, f"{request.method} {url}")
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=_Body(response),
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def aclose(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()
            await asyncio.sleep(0)  # let closed connections' transports finish closing
