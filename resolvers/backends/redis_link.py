"""The one Redis connection the shared stores use, and how a Redis that fails is survived.

The upstream cache, idempotency records and APQ documents live in the same Redis (with
``cache.backend = "redis"``), so they share one :class:`RedisLink`: one connection pool, one
view of whether Redis works, one log line when it stops and one when it is back.

Redis is a cache here, never the source of truth, so a failing Redis must cost little:

* **Short timeouts.** Connecting and every reply are bounded by ``cache.redis_timeout``
  (0.25 s by default: Redis answers in well under a millisecond on a healthy network), and a
  whole operation by twice that, so a Redis that accepts connections and never answers costs
  at most that, not redis-py's default of 5 s times ten retries.
* **One retry, on a broken connection only** (redis-py's own :class:`Retry`, no back-off): a
  pooled connection that a restarted Redis closed fails at once and the retry reconnects; a
  timeout is not retried, since it would only double the wait.
* **A breaker.** After a failure Redis is skipped for ``cache.redis_backoff`` seconds: every
  operation fails at once with :class:`StoreUnavailable`, without touching the network. Then
  one operation (and only one, however many requests arrive) tries it again; its success
  closes the breaker. A dead or hung Redis thus costs one timeout per back-off, not one per
  request.
* **The loop's own lateness is not Redis's fault.** A timeout during which the event loop
  itself ran late (the gateway saturated, see :class:`LoopLag`) fails that one operation but
  does not open the breaker: skipping the cache would only add upstream load to a gateway
  that is already behind.

What each store does with :class:`StoreUnavailable` is its own decision: the cache treats it
as a miss, idempotency refuses a keyed mutation, APQ answers "not found".
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from resolvers.backends.resilience import LoopLag

if TYPE_CHECKING:
    from redis.asyncio import Redis

T = TypeVar("T")

log = logging.getLogger("teamgraph.redis")


class StoreUnavailable(Exception):
    """Redis could not be used for this operation: it failed now, or it failed a moment ago
    and is being skipped. ``retry_after``: seconds until it is tried again."""

    def __init__(self, reason: str, *, retry_after: float) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def shown_url(url: str) -> str:
    """The URL without its credentials (``redis://:secret@host`` → ``redis://host:6379/0``),
    for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}:{parts.port or 6379}{parts.path or '/0'}"


def _is_timeout(exc: BaseException) -> bool:
    from redis.exceptions import TimeoutError as RedisTimeout

    return isinstance(exc, (TimeoutError, RedisTimeout))


def _reason(exc: BaseException, timeout: float) -> str:
    """A short cause for /healthz, which anyone may read: no address, no key."""
    from redis.exceptions import AuthenticationError, ConnectionError, ResponseError

    if _is_timeout(exc):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, AuthenticationError):
        return "authentication failed"
    if isinstance(exc, (ConnectionError, OSError)):
        return "cannot connect"
    if isinstance(exc, ResponseError):
        return "it answered an error"
    return type(exc).__name__


class RedisLink:
    """A redis-py client with short timeouts behind a breaker; see the module docstring.

    ``lag`` is the app's loop-lag meter (see the module docstring).
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 0.25,
        backoff: float = 5.0,
        lag: LoopLag | None = None,
    ) -> None:
        import redis.asyncio as redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff
        from redis.exceptions import ConnectionError, RedisError

        self.url = shown_url(url)
        self.timeout = timeout
        self.backoff = backoff
        self.client: Redis = redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 1, supported_errors=(ConnectionError,)),
        )
        # What Redis failing looks like (anything else is a bug of ours, and propagates).
        self._failures: tuple[type[BaseException], ...] = (RedisError, OSError, TimeoutError)
        self._lag = lag
        self.down_since: datetime | None = None  # None: up (or not tried yet)
        self.reason = ""  # why it is down, for /healthz
        self.detail = ""  # redis-py's own words, for the log and `teamgraph check`
        self._retry_at = 0.0
        self._probing = False

    @property
    def up(self) -> bool:
        return self.down_since is None

    async def run(self, op: Callable[[Redis], Awaitable[T]]) -> T:
        """``op(client)``, or :class:`StoreUnavailable` at once while Redis is skipped, or
        when it fails (within twice the timeout)."""
        probe = False
        if not self.up:
            wait = self._retry_at - time.monotonic()
            if wait > 0 or self._probing:
                raise StoreUnavailable(self.reason, retry_after=max(wait, 2 * self.timeout))
            probe = self._probing = True  # this one tries it; the others keep skipping
        loop = asyncio.get_running_loop()
        lag_before = self._lag_total(loop)
        try:
            async with asyncio.timeout(2 * self.timeout):
                result = await op(self.client)
        except self._failures as exc:
            late = self._lag_total(loop) - lag_before
            if self.up and _is_timeout(exc) and late >= self.timeout / 2:
                # The loop itself ran late for much of the wait, not Redis: fail this
                # operation only (a miss), and keep using Redis.
                raise StoreUnavailable("the gateway ran late", retry_after=0) from exc
            self._failed(exc)
            raise StoreUnavailable(self.reason, retry_after=self.backoff) from exc
        finally:
            if probe:
                self._probing = False
        if not self.up:
            self._recovered()
        return result

    async def check(self) -> bool:
        """Ping Redis unless it is being skipped; whether it is up now."""
        try:
            await self.run(lambda client: client.ping())
        except StoreUnavailable:
            return False
        return True

    def status(self) -> dict[str, object]:
        """The state /healthz shows."""
        if self.up:
            return {"backend": "redis", "status": "up"}
        assert self.down_since is not None
        return {
            "backend": "redis",
            "status": "down",
            "since": self.down_since.isoformat(timespec="seconds"),
            "reason": self.reason,
            "retryIn": round(max(0.0, self._retry_at - time.monotonic()), 1),
        }

    async def close(self) -> None:
        await self.client.aclose()

    def _failed(self, exc: BaseException) -> None:
        self._retry_at = time.monotonic() + self.backoff
        self.reason, self.detail = _reason(exc, self.timeout), str(exc) or type(exc).__name__
        if self.up:
            self.down_since = datetime.now(UTC)
            log.warning(
                "redis at %s failed (%s): until it is back the cache reads from the upstreams, "
                "mutations with an idempotency key are refused and APQ hashes are unknown; "
                "trying again every %g s",
                self.url, self.detail, self.backoff,
            )  # fmt: skip

    def _recovered(self) -> None:
        assert self.down_since is not None
        down = (datetime.now(UTC) - self.down_since).total_seconds()
        self.down_since = None
        self.reason = self.detail = ""
        log.info("redis at %s is back after %.1f s: the cache and idempotency keys work again",
                 self.url, down)  # fmt: skip

    def _lag_total(self, loop: asyncio.AbstractEventLoop) -> float:
        return self._lag.total(loop) if self._lag is not None else 0.0
