"""Builds one client per configured service, over one pooled httpx.AsyncClient each.

This is the only place clients are constructed, each with its policy: what it keeps between
requests (circuit breaker, rate-limit gate), the loop-lag clock its timeouts use, and the
redactor that keeps every configured secret out of messages and logs. The transport is
injectable: demo mode and tests hand in an in-process transport to the emulators.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from gateway.answer_cache import AnswerCache
from gateway.http1 import Http1Transport
from gateway.proxies import Proxies
from gateway.settings import CacheSettings, Settings, _Backend
from gateway.transport import AiohttpTransport
from resolvers.backends import Backends
from resolvers.backends.cache import (
    DEFAULT_TTLS,
    CachePolicy,
    MemoryStore,
    Store,
    UpstreamCache,
    merged_ttls,
)
from resolvers.backends.hack24 import Hack24Client
from resolvers.backends.observer import CallObserver
from resolvers.backends.oncall import OncallClient, OncallHmacAuth
from resolvers.backends.parsed import ParsedAnswers
from resolvers.backends.redis_cache import RedisStore
from resolvers.backends.redis_link import RedisLink
from resolvers.backends.resilience import CircuitBreaker, ClientPolicy, LoopLag, Redactor
from resolvers.backends.teamoclock import TeamOclockClient
from resolvers.backends.teampulse import TeamPulseClient
from resolvers.backends.tempo import TempoClient

# service name -> the transport to use for it (None: a real network transport)
TransportFor = Callable[[str], httpx.AsyncBaseTransport | None]

# Idle connections are dropped after 4 s: uvicorn's and Node's keep-alive is 5 s, and a
# connection the server closed first fails the next request sent on it.
LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=50, keepalive_expiry=4)
USER_AGENT = "teamgraph/0.1"


class Transport(Protocol):
    """What makes a network transport: https:// verified against `ssl_context` (default:
    httpx's CA bundle); `proxies` from gateway/proxies.py, None for none."""

    def __call__(
        self,
        limits: httpx.Limits,
        *,
        ssl_context: ssl.SSLContext | None = None,
        proxies: Proxies | None = None,
    ) -> httpx.AsyncBaseTransport: ...


# `server.upstream_transport`: what carries upstream calls (gateway/http1.py says why two).
TRANSPORTS: dict[str, Transport] = {
    "http1": Http1Transport,
    "aiohttp": AiohttpTransport,
}


def build_redactor(settings: Settings) -> Redactor:
    """Every secret in the configuration, in every form an upstream might echo it."""
    redact = Redactor()
    b = settings.backends
    if b.tempo:
        redact.add(b.tempo.token)
    if b.oncall:
        redact.add(b.oncall.app_key)
    if b.teamoclock:
        redact.add_basic(b.teamoclock.org, b.teamoclock.key)
    if b.teampulse:
        redact.add_basic(b.teampulse.username, b.teampulse.password)
    if b.hack24:
        redact.add(b.hack24.token)
    if settings.cache.redis_url:  # redis-py's errors do not echo it; in case one ever does
        redact.add(urlsplit(settings.cache.redis_url).password)
    redact.add(*settings.telemetry.otlp_headers.values())  # a tracing vendor's key
    return redact


def _http(
    backend: _Backend,
    transport: httpx.AsyncBaseTransport,
    *,
    auth: httpx.Auth | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=str(backend.url),
        # The whole exchange, connect included, is bounded by the client's own lag-aware
        # timer (base.py). httpx's connect timer does not discount the loop's lag: at
        # backend.timeout it blamed healthy services under load (bench/load.py), so it is only
        # a backstop for a timer that somehow never fires.
        timeout=httpx.Timeout(None, connect=max(60.0, 4 * backend.timeout)),
        transport=transport,
        auth=auth,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
        follow_redirects=False,
    )


def build_link(settings: CacheSettings, *, lag: LoopLag | None = None) -> RedisLink | None:
    """The one Redis connection the cache, idempotency keys and APQ share, with
    `cache.backend = "redis"` (None: they live in this process). Its builder closes it."""
    if settings.backend != "redis" or settings.redis_url is None:
        return None
    return RedisLink(
        settings.redis_url, timeout=settings.redis_timeout, backoff=settings.redis_backoff, lag=lag
    )


def build_cache(settings: CacheSettings, link: RedisLink | None = None) -> UpstreamCache | None:
    """The shared upstream cache the settings ask for (None: off)."""
    if not settings.enabled:
        return None
    store: Store = MemoryStore(max_bytes=settings.max_bytes) if link is None else RedisStore(link)
    policy = CachePolicy(
        ttls=merged_ttls(settings.ttl, DEFAULT_TTLS),
        stale_while_revalidate=settings.stale_while_revalidate,
        stale_if_error=settings.stale_if_error,
    )
    return UpstreamCache(store, policy)


def build_answer_cache(
    settings: CacheSettings, upstream: UpstreamCache | None
) -> AnswerCache | None:
    """Whole answers kept (gateway/answer_cache.py): beside the upstream cache, in this
    process only, so not with Redis (another replica's writes would not reach them)."""
    if upstream is None or not settings.answers or settings.backend != "memory":
        return None
    return AnswerCache(max_bytes=max(1, settings.max_bytes // 4), writes=lambda: upstream.writes)


def _policy(
    backend: _Backend,
    redact: Redactor,
    lag: LoopLag,
    cache: UpstreamCache | None,
    observer: CallObserver | None,
    parsed: ParsedAnswers | None,
) -> ClientPolicy:
    return ClientPolicy(
        breaker=CircuitBreaker(
            failures=backend.circuit_failures, open_seconds=backend.circuit_open_seconds
        ),
        lag=lag,
        redact=redact,
        retries=backend.retries,
        max_response_bytes=backend.max_response_bytes,
        timeout=backend.timeout,
        cache=cache,
        observer=observer,
        parsed=parsed,
    )


@asynccontextmanager
async def open_backends(
    settings: Settings,
    *,
    transport_for: TransportFor | None = None,
    lag: LoopLag | None = None,
    link: RedisLink | None = None,
    cache: UpstreamCache | None = None,
    observer: CallObserver | None = None,
    proxies: Proxies | None = None,
) -> AsyncIterator[Backends]:
    """Clients for every configured backend, closed (connections and all) on exit. `link`:
    the app's Redis link (else one of its own is opened here, when the settings ask);
    `observer` sees every upstream call (metrics and spans); `proxies`: the forward proxies
    (else read from the environment when a service is first called over the network)."""
    network = TRANSPORTS[settings.server.upstream_transport]

    def pick(service: str) -> httpx.AsyncBaseTransport:
        nonlocal proxies
        given = transport_for and transport_for(service)
        if given:
            return given
        if proxies is None:  # the demo's in-process emulators need none
            proxies = Proxies.from_environment()
        return network(LIMITS, proxies=proxies)

    b = settings.backends
    redact = build_redactor(settings)
    lag = lag or LoopLag()  # the app's, when admission reads it too
    lag.start()
    own_link = build_link(settings.cache, lag=lag) if link is None else None
    own_cache = build_cache(settings.cache, link or own_link) if cache is None else None
    cache = cache or own_cache
    # One for every client: its keys name the model and URL, so services never share one.
    kept = settings.limits.parsed_answer_bytes
    parsed = ParsedAnswers(kept) if kept else None
    async with AsyncExitStack() as stack:
        stack.callback(lag.stop)
        if own_link is not None:
            stack.push_async_callback(own_link.close)
        if own_cache is not None:
            stack.push_async_callback(own_cache.close)

        async def opened(http: httpx.AsyncClient) -> httpx.AsyncClient:
            return await stack.enter_async_context(http)

        tempo = oncall = teamoclock = teampulse = hack24 = None
        if b.tempo:
            tempo = TempoClient(
                await opened(_http(b.tempo, pick("tempo"),
                                   headers={"Authorization": f"Bearer {b.tempo.token}"})),
                policy=_policy(b.tempo, redact, lag, cache, observer, parsed),
            )  # fmt: skip
        if b.oncall:
            auth = (
                OncallHmacAuth(b.oncall.app_name, b.oncall.app_key)
                if b.oncall.app_name and b.oncall.app_key
                else None
            )
            oncall = OncallClient(
                await opened(_http(b.oncall, pick("oncall"), auth=auth)),
                policy=_policy(b.oncall, redact, lag, cache, observer, parsed),
            )
        if b.teamoclock:
            basic = httpx.BasicAuth(b.teamoclock.org, b.teamoclock.key)
            teamoclock = TeamOclockClient(
                await opened(_http(b.teamoclock, pick("teamoclock"), auth=basic)),
                policy=_policy(b.teamoclock, redact, lag, cache, observer, parsed),
            )
        if b.teampulse:
            basic = httpx.BasicAuth(b.teampulse.username, b.teampulse.password)
            teampulse = TeamPulseClient(
                await opened(_http(b.teampulse, pick("teampulse"), auth=basic)),
                policy=_policy(b.teampulse, redact, lag, cache, observer, parsed),
            )
        if b.hack24:
            headers = {"Authorization": f"Bearer {b.hack24.token}"} if b.hack24.token else None
            hack24 = Hack24Client(
                await opened(_http(b.hack24, pick("hack24"), headers=headers)),
                policy=_policy(b.hack24, redact, lag, cache, observer, parsed),
            )
        yield Backends(
            tempo=tempo, oncall=oncall, teamoclock=teamoclock, teampulse=teampulse, hack24=hack24
        )
