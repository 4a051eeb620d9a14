"""Forward proxies for upstream calls, from the environment as curl, httpx and aiohttp read
it: ``HTTPS_PROXY`` for https:// upstreams, ``HTTP_PROXY`` for http:// ones, ``ALL_PROXY``
for both, ``NO_PROXY`` for hosts reached directly (a comma-separated list of names and
domain suffixes, ``*`` for all; lower-case names win). A gateway in a network that reaches
the internet only through a proxy must reach Tempo's or Team O'clock's cloud that way.

gateway/http1.py tunnels an https:// call through the proxy with ``CONNECT`` (TLS end to end,
the upstream's certificate verified against its own name) and sends an http:// call to the
proxy with its URL whole (absolute form). The user and password in a proxy's URL are sent as
``Proxy-Authorization: Basic``. Only http:// proxies are spoken to; any other kind stops the
gateway at start-up with a message saying so.
"""

from __future__ import annotations

import asyncio
import base64
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# NO_PROXY as urllib itself reads it (undocumented, so typeshed leaves it out).
from urllib.request import proxy_bypass_environment  # type: ignore[attr-defined]

import httptools
import httpx

from gateway.addresses import Addresses, P
from gateway.http1_messages import request_head
from gateway.settings import ConfigError

# A proxy's answer to CONNECT longer than this is refused: it must not be buffered unbounded.
_MAX_ANSWER = 65536


@dataclass(frozen=True, slots=True)
class Proxy:
    """One proxy: where it is, how errors name it (no password), what it is sent."""

    host: str
    port: int
    shown: str  # "http://proxy.corp:3128 (HTTPS_PROXY)"
    authorization: bytes | None  # the Proxy-Authorization value, from the URL's user:password

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


class Proxies:
    """Which proxy, if any, carries calls to an origin. Falsy when none is set."""

    # Origins looked up, kept: a gateway calls the same few. Bounded: emptied when full.
    max_origins = 1024

    def __init__(self, found: Mapping[str, str]) -> None:
        """`found`: what `urllib.request.getproxies_environment()` gives (scheme → proxy
        URL, "no" → NO_PROXY)."""
        self._by_scheme: dict[str, Proxy] = {}
        for scheme in ("http", "https"):
            for key in (scheme, "all"):
                if found.get(key):
                    self._by_scheme[scheme] = _parsed(found[key], f"{key.upper()}_PROXY")
                    break
        self._no = {"no": found["no"]} if found.get("no") else None
        self._chosen: dict[tuple[str, str, int], Proxy | None] = {}

    @classmethod
    def from_environment(cls) -> Proxies:
        """The proxies the process's environment sets; ConfigError for one not usable."""
        return cls(urllib.request.getproxies_environment())

    def __bool__(self) -> bool:
        return bool(self._by_scheme)

    def __str__(self) -> str:
        """What operators are told at start-up: which calls go where."""
        said = [f"{scheme}:// through {proxy.shown}" for scheme, proxy in self._by_scheme.items()]
        if self._no is not None:
            said.append(f"NO_PROXY hosts directly ({self._no['no']})")
        return "; ".join(said) or "no proxy"

    def for_url(self, url: httpx.URL) -> Proxy | None:
        port = url.port or (443 if url.scheme == "https" else 80)
        return self.of(url.scheme, url.raw_host.decode("ascii"), port)

    def of(self, scheme: str, host: str, port: int) -> Proxy | None:
        key = (scheme, host, port)
        try:
            return self._chosen[key]
        except KeyError:
            pass
        proxy = self._by_scheme.get(scheme)
        if proxy is not None and self._no is not None:
            named = f"[{host}]" if ":" in host else host  # an IPv6 literal, as NO_PROXY has it
            if proxy_bypass_environment(f"{named}:{port}", self._no):
                proxy = None
        if len(self._chosen) >= self.max_origins:
            self._chosen.clear()
        self._chosen[key] = proxy
        return proxy


def _parsed(value: str, name: str) -> Proxy:
    # A bare "host:port" is an http:// proxy, as curl reads it.
    parts = urlsplit(value if "://" in value else f"http://{value}")
    if parts.scheme != "http":
        raise ConfigError(
            f"{name} is a {parts.scheme}:// proxy: the gateway speaks to http:// proxies only "
            "(one that tunnels https:// calls with CONNECT); set an http:// proxy, or unset "
            f"{name} to call the upstreams directly"
        )
    try:
        port = parts.port or 80
    except ValueError as exc:  # a port that is not a number, or out of range
        raise ConfigError(
            f"{name} has a port that is not one ({exc}); set http://host:port"
        ) from exc
    if not parts.hostname:
        raise ConfigError(f"{name} names no host; set it to http://host:port")
    authorization = None
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        authorization = b"Basic " + base64.b64encode(pair.encode())
    return Proxy(parts.hostname, port, f"http://{parts.hostname}:{port} ({name})", authorization)


def forwarded_head(request: httpx.Request, proxy: Proxy) -> bytes:
    """An http:// request as a proxy takes it: its URL whole, and the proxy's credentials."""
    url = request.url
    target = b"%s://%s%s" % (url.raw_scheme, url.netloc, url.raw_path)
    extra = [(b"Proxy-Authorization", proxy.authorization)] if proxy.authorization else []
    return request_head(request, request.content, target=target, extra=extra)


async def connect_to(
    addresses: Addresses, proxy: Proxy, protocol: Callable[[], P]
) -> tuple[asyncio.Transport, P]:
    """A connection to the proxy itself; httpx.ConnectError naming it when it cannot be had."""
    try:
        return await addresses.connect(proxy.host, proxy.port, protocol)
    except httpx.ConnectError as exc:
        raise unreachable(proxy, exc) from exc


async def open_tunnel(
    addresses: Addresses, proxy: Proxy, host: str, port: int
) -> asyncio.Transport:
    """A connection through `proxy` to host:port, its CONNECT answered 2xx; TLS is the
    caller's. httpx.ConnectError when the proxy cannot be reached, httpx.ProxyError when it
    refuses."""
    transport, answer = await connect_to(addresses, proxy, _ConnectAnswer)
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"]
        if proxy.authorization:
            lines.append(f"Proxy-Authorization: {proxy.authorization.decode()}")
        transport.write(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
        status = await answer.status
    except BaseException:
        transport.abort()  # cancelled, or the proxy broke off: the connection is useless
        raise
    if not 200 <= status < 300:
        transport.abort()
        raise refused(proxy, status, f"CONNECT {authority}")
    return transport


# The errors both transports raise for a proxy, saying what to check.


def refused(proxy: Proxy, status: int, asked: str) -> httpx.ProxyError:
    """`proxy` answered `status` where it should have passed `asked` ("CONNECT host:port",
    or an http:// request's method and URL) on."""
    advice = (
        "check the user and password in its URL"
        if status in (401, 407)  # 407 is the standard's; tinyproxy, for one, answers 401
        else "check that it lets the gateway reach this host, or list the host in NO_PROXY"
    )
    return httpx.ProxyError(f"the proxy {proxy.shown} answered {status} to {asked}; {advice}")


def unreachable(proxy: Proxy, exc: Exception) -> httpx.ConnectError:
    return httpx.ConnectError(f"the proxy {proxy.shown} cannot be reached: {exc}")


class _ConnectAnswer(asyncio.Protocol):
    """Reads the proxy's answer to CONNECT; what follows it belongs to TLS."""

    def __init__(self) -> None:
        self.status: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._parser = httptools.HttpResponseParser(self)
        self._read = 0

    def data_received(self, data: bytes) -> None:
        if self.status.done():
            return
        self._read += len(data)
        try:
            if self._read > _MAX_ANSWER:
                raise httpx.ProxyError(f"the proxy's answer to CONNECT is over {_MAX_ANSWER} bytes")
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._settle(httpx.ProxyError(f"the proxy's answer to CONNECT is not HTTP: {exc}"))
        except httpx.ProxyError as exc:
            self._settle(exc)

    def on_headers_complete(self) -> None:
        if not self.status.done():
            self.status.set_result(self._parser.get_status_code())

    def connection_lost(self, exc: Exception | None) -> None:
        detail = f": {exc}" if exc else ""
        self._settle(httpx.ProxyError(f"the proxy closed the connection unanswered{detail}"))

    def _settle(self, error: Exception) -> None:
        if not self.status.done():
            self.status.set_exception(error)
