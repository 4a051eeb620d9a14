"""The shared upstream cache: GET answers kept between requests, per endpoint, per credentials.

An answer is **fresh** for its endpoint's TTL and served without a call; then **stale** for
``stale_while_revalidate`` seconds, still served at once while one background call refreshes
it; and kept up to ``stale_if_error`` seconds in all, to be served (with a warning saying how
old it is) when the upstream fails. Concurrent requests for the same GET with the same
credentials share one call (coalescing). A key always holds the credentials that fetched the
answer, so no caller is served what another's credentials fetched. Writes drop what their
service cached for those credentials.

Two stores behind one interface: :class:`MemoryStore` (this process; LRU bounded by bytes) and
``RedisStore`` (:mod:`.redis_cache`, shared by every replica). Parsed models are kept beside
an entry in this process, so a warm hit costs neither a call nor a parse. A store never
fails a read: when Redis fails, a read is a miss the upstream answers.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import httpx
import orjson

from resolvers.backends.errors import BackendError, Service
from resolvers.backends.scope import RequestScope, StaleAnswer


@dataclass
class Entry:
    """One upstream answer: what came back, and when."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    stored_at: float  # wall-clock seconds
    ttl: float
    # Models parsed from `body` in this process, by model type: shared, immutable.
    parsed: dict[object, object] = field(default_factory=dict)
    # The headers a replay answers with, built once (httpx copies them per response).
    replay_headers: httpx.Headers | None = field(default=None, compare=False, repr=False)

    def age(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.stored_at

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200

    def dumps(self) -> bytes:
        return orjson.dumps(
            {"s": self.status, "h": self.headers, "b": self.body.decode("latin-1"),
             "t": self.stored_at, "l": self.ttl}
        )  # fmt: skip

    @classmethod
    def loads(cls, raw: bytes) -> Entry:
        """The entry :meth:`dumps` wrote; ValueError for anything else (a corrupt entry, or
        another program's value under our key)."""
        try:
            data = orjson.loads(raw)
            status, body, stored_at, ttl = data["s"], data["b"], data["t"], data["l"]
            headers = [(str(k), str(v)) for k, v in data["h"]]
            if not isinstance(status, int) or not 100 <= status <= 599:
                raise ValueError(f"status {status!r}")
            if not isinstance(stored_at, (int, float)) or not isinstance(ttl, (int, float)):
                raise ValueError("times are not numbers")
            return cls(status, headers, body.encode("latin-1"), float(stored_at), float(ttl))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not a cache entry: {exc}") from exc


class Store(Protocol):
    """Where entries live. Keys are strings; a service-and-credentials prefix lets writes
    drop everything they may have changed."""

    async def get(self, key: str) -> Entry | None: ...

    async def set(self, key: str, entry: Entry, keep_seconds: float) -> None: ...

    async def drop_prefix(self, prefix: str) -> None: ...

    async def close(self) -> None: ...


class MemoryStore:
    def __init__(self, *, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[Entry, float]] = OrderedDict()
        self._bytes = 0

    async def get(self, key: str) -> Entry | None:
        found = self._entries.get(key)
        if found is None:
            return None
        entry, until = found
        if time.time() > until:
            self._remove(key)
            return None
        self._entries.move_to_end(key)
        return entry

    async def set(self, key: str, entry: Entry, keep_seconds: float) -> None:
        self._remove(key)
        self._entries[key] = (entry, time.time() + keep_seconds)
        self._bytes += entry.size
        while self._bytes > self.max_bytes and self._entries:
            self._remove(next(iter(self._entries)))

    async def drop_prefix(self, prefix: str) -> None:
        for key in [k for k in self._entries if k.startswith(prefix)]:
            self._remove(key)

    async def close(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def _remove(self, key: str) -> None:
        found = self._entries.pop(key, None)
        if found is not None:
            self._bytes -= found[0].size


# Default freshness per endpoint, by API: lists of people and teams change rarely, worklogs
# and who is on call now change often. The first pattern that matches the path wins.
DEFAULT_TTLS: Mapping[Service, tuple[tuple[str, float], ...]] = {
    "tempo": (
        (r"/worklogs", 30), (r"/timesheet-approvals", 30), (r"/plans", 60),
        (r"/teams/[^/]+/members", 120), (r"/team-memberships", 120), (r"", 300),
    ),
    "oncall": (
        (r"/events", 15), (r"/teams/[^/]+/oncall", 15), (r"/services/[^/]+/oncall", 15),
        (r"/users/[^/]+/upcoming", 15), (r"/teams/[^/]+", 60), (r"", 300),
    ),
    "teamoclock": (
        (r"/(standup|planpoker|retro)", 15), (r"/(actionitems|timeline)", 30), (r"", 300),
    ),
    "teampulse": ((r"/(timeentries|activities)", 30), (r"/(tasks|projects)", 120), (r"", 300)),
    "hack24": ((r"", 300),),
}  # fmt: skip


@dataclass(frozen=True)
class CachePolicy:
    """How long an endpoint's answers stay fresh, and how long they are kept past that."""

    ttls: Mapping[Service, tuple[tuple[str, float], ...]] = field(
        default_factory=lambda: DEFAULT_TTLS
    )
    stale_while_revalidate: float = 30.0
    stale_if_error: float = 600.0

    def ttl(self, service: Service, path: str) -> float:
        for pattern, seconds in self.ttls.get(service, ()):
            if re.match(pattern, path):
                return seconds
        return 0.0

    def keep(self, ttl: float) -> float:
        return ttl + max(self.stale_while_revalidate, self.stale_if_error)


def merged_ttls(
    overrides: Mapping[str, float], base: Mapping[Service, tuple[tuple[str, float], ...]]
) -> dict[Service, tuple[tuple[str, float], ...]]:
    """`{"tempo:/teams": 600, "oncall:/events": 0}` in front of the defaults."""
    out = {service: tuple(rules) for service, rules in base.items()}
    for spec, seconds in overrides.items():
        service, _, prefix = spec.partition(":")
        rules = out.get(service, ())  # type: ignore[call-overload]
        out[service] = ((re.escape(prefix), seconds), *rules)  # type: ignore[index]
    return out


class UpstreamCache:
    """The store, the policy, and the calls in flight (for coalescing), for every client."""

    def __init__(self, store: Store, policy: CachePolicy | None = None) -> None:
        self.store = store
        self.policy = policy or CachePolicy()
        # Calls in flight, for coalescing: key -> the call, and how many requests await it.
        self.inflight: dict[str, asyncio.Task[httpx.Response]] = {}
        self.waiters: dict[str, int] = {}
        self.refreshing: set[str] = set()
        self.background: set[asyncio.Task[None]] = set()
        # Writes seen: whatever was built from cached answers before one may be out of date.
        self.writes = 0

    @staticmethod
    def key(service: Service, credentials: str, url: str) -> str:
        return f"{service}|{credentials}|{url}"

    async def invalidate(self, service: Service, credentials: str) -> None:
        self.writes += 1
        await self.store.drop_prefix(f"{service}|{credentials}|")

    async def close(self) -> None:
        await self.store.close()


def entry_of(
    status: int, headers: Iterable[tuple[str, str]], body: bytes, ttl: float,
    clock: Callable[[], float] = time.time,
) -> Entry:  # fmt: skip
    kept = [(k, v) for k, v in headers if k.lower() not in _HOP_HEADERS]
    return Entry(status, kept, body, clock(), ttl)


# Not replayed from a cached answer: the body is stored decoded and whole.
_HOP_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection"}


# -- serving a GET through the cache -------------------------------------------------------

# (the request scope to account the call to, shared) -> the upstream's answer
Fetch = Callable[[RequestScope | None, bool], Awaitable[httpx.Response]]


class GetUrl(Protocol):
    """What the cache needs of a GET before any request is built."""

    @property
    def text(self) -> str:
        """The full URL: with the service and the credentials, the cache key."""

    @property
    def below_base(self) -> str:
        """The path below the service's base URL, that picks the answer's TTL."""

    def request(self) -> httpx.Request:
        """The request itself, built when the answer needs one."""


async def through_cache(
    cache: UpstreamCache,
    service: Service,
    url: GetUrl,
    where: str,
    scope: RequestScope | None,
    fetch: Fetch,
) -> tuple[httpx.Response, str]:
    """The answer to a GET, from the cache when it may be, else from one call shared by every
    request asking the same thing; and how it was served: hit, stale, coalesced or miss.

    No ``httpx.Request`` is built for an answer from the cache: ``fetch`` builds the one
    that goes out, and a replayed answer builds its own only if someone reads it."""
    credentials = scope.credentials_key(service) if scope is not None else "configured"
    key = cache.key(service, credentials, url.text)
    bypass = scope is not None and scope.cache_bypass
    entry = None if bypass else await cache.store.get(key)
    policy = cache.policy
    if entry is not None:
        age = entry.age()
        if age <= entry.ttl:
            if scope is not None:
                scope.used_until(entry.stored_at + entry.ttl)
            return replay(entry, url.request), "hit"
        if age <= entry.ttl + policy.stale_while_revalidate:
            # The refresh is not this request's: no budget, no trace, not cancelled with it.
            detached = RequestScope(credentials=scope.credentials) if scope else None
            _refresh_later(cache, service, key, url, fetch, detached)
            if scope is not None:
                scope.used_until(0)  # already old: an answer built on it is not kept
            return replay(entry, url.request), "stale"
    how = "coalesced" if key in cache.inflight else "miss"
    try:
        response = await _shared_call(cache, service, key, url, fetch, scope)
    except BackendError as exc:
        if entry is None or entry.age() > policy.stale_if_error:
            raise
        if scope is not None:
            scope.stale.append(StaleAnswer(service, where, entry.age(), exc.message))
            scope.used_until(0)
        return replay(entry, url.request), "stale"
    if scope is not None:  # an answer that was not kept (not a 200, or TTL 0) is never fresh
        kept: Entry | None = response.extensions.get("teamgraph.entry")
        scope.used_until(kept.stored_at + kept.ttl if kept is not None else 0)
    return response, how


async def _shared_call(
    cache: UpstreamCache,
    service: Service,
    key: str,
    url: GetUrl,
    fetch: Fetch,
    scope: RequestScope | None,
) -> httpx.Response:
    task: asyncio.Task[httpx.Response] | None = cache.inflight.get(key)
    if task is None:
        call = _fetch_and_keep(cache, service, key, url, fetch, scope)
        task = asyncio.ensure_future(call)
        cache.inflight[key] = task
        cache.waiters[key] = 0
        task.add_done_callback(lambda _t: _forget(cache, key))
    cache.waiters[key] += 1
    try:
        # Shielded: one waiter giving up (its client left) must not cancel the others' call.
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        if key in cache.waiters:
            cache.waiters[key] -= 1
            if cache.waiters[key] <= 0 and not task.done():
                task.cancel()  # nobody waits any more: stop the call
        raise


def _forget(cache: UpstreamCache, key: str) -> None:
    cache.inflight.pop(key, None)
    cache.waiters.pop(key, None)


async def _fetch_and_keep(
    cache: UpstreamCache,
    service: Service,
    key: str,
    url: GetUrl,
    fetch: Fetch,
    scope: RequestScope | None,
) -> httpx.Response:
    response = await fetch(scope, True)
    ttl = cache.policy.ttl(service, url.below_base)
    if response.status_code == 200 and ttl > 0:
        entry = entry_of(200, response.headers.multi_items(), response.content, ttl)
        await cache.store.set(key, entry, cache.policy.keep(ttl))
        response.extensions["teamgraph.entry"] = entry
    return response


def _refresh_later(
    cache: UpstreamCache,
    service: Service,
    key: str,
    url: GetUrl,
    fetch: Fetch,
    scope: RequestScope | None,
) -> None:
    """Refresh a stale entry in the background, once, outside the request that noticed."""
    if key in cache.refreshing or key in cache.inflight:
        return
    cache.refreshing.add(key)

    async def refresh() -> None:
        try:
            await _fetch_and_keep(cache, service, key, url, fetch, scope)
        except Exception:  # the stale entry stays; the next request will try again
            pass
        finally:
            cache.refreshing.discard(key)

    task = asyncio.ensure_future(refresh())
    cache.background.add(task)
    task.add_done_callback(cache.background.discard)


def replay(entry: Entry, request: Callable[[], httpx.Request]) -> httpx.Response:
    """The entry as a response, read and closed, as ``httpx.Response(content=...)`` makes
    it, without running the body through httpx's decoders again: it is stored decoded."""
    headers = entry.replay_headers
    if headers is None:
        headers = httpx.Headers(entry.headers)
        headers["Content-Length"] = str(len(entry.body))
        entry.replay_headers = headers
    response = _Replayed(entry.status, headers=headers, stream=httpx.ByteStream(entry.body))
    response._content = entry.body  # httpx's own slot for a read body (httpx is pinned)
    response.is_stream_consumed = response.is_closed = True
    response.build_request = request
    response.extensions["teamgraph.entry"] = entry
    return response


class _Replayed(httpx.Response):
    """A cached answer, whose request is built the first time it is read: a hit whose
    models were parsed before never needs one."""

    build_request: Callable[[], httpx.Request]

    @property
    def request(self) -> httpx.Request:
        if self._request is None:
            self._request = self.build_request()
        return self._request

    @request.setter
    def request(self, value: httpx.Request) -> None:
        self._request = value
