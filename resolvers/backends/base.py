"""What every REST client shares: one request path that guards, times, retries, traces and
translates errors.

A client subclasses :class:`BaseClient`, sets ``service``, and overrides
:meth:`BaseClient.error_detail` to read its API's error body. Every httpx exception, every
non-success status and every unreadable body becomes one of :mod:`resolvers.backends.errors`
here and in :mod:`resolvers.backends.responses` (reading bodies and statuses) and nowhere
else, with its message redacted and its upstream text summarised.

The path of one call (:meth:`BaseClient.send`):

1. **Guard**, failing fast without calling: the service already failed in this request; it
   rate-limited us and its ``Retry-After`` has not passed; its circuit is open; the
   operation's call budget is spent.
2. **Exchange** under a timeout that measures the upstream, not the gateway's own loop lag,
   and never reaches past the request's deadline; the body is read up to
   ``max_response_bytes``.
3. **Retry** what is safe: a GET whose pooled connection turned out stale, at once; a GET
   that met a connection error or 502/503/504, with jitter, while the deadline allows; a
   write only when it provably never left (the connection was never made).
4. **Record**: the trace, the budget, the breaker, the request's failed services, one
   WARNING line per request and service, and the policy's observer (metrics and spans).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from typing import ClassVar, TypeVar

import httpx
import orjson

from resolvers.backends.cache import through_cache
from resolvers.backends.errors import (
    BackendError,
    DeadlinePassed,
    Service,
    UpstreamBadResponse,
    UpstreamNotFound,
    UpstreamRateLimited,
    UpstreamTimeout,
    UpstreamUnauthorized,
    UpstreamUnavailable,
)
from resolvers.backends.observer import ObservedCall
from resolvers.backends.resilience import ClientPolicy, summarize
from resolvers.backends.responses import Responses
from resolvers.backends.scope import RequestScope, UpstreamCall, current_scope
from resolvers.backends.wire import (
    JSON,
    ArrivedBody,
    Outgoing,
    QueryParams,
    Requests,
    Slice,
    adapter_for,
    clean_params,
    gather_limited,
    jitter,
    jitter_cap,
    timeout_seconds,
)

__all__ = ["JSON", "BaseClient", "QueryParams", "Slice", "adapter_for", "gather_limited"]

T = TypeVar("T")

log = logging.getLogger("teamgraph.upstream")

_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
_RETRY_STATUSES = frozenset({502, 503, 504})
# A pooled connection the server had already closed: the request may or may not have left.
_STALE = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
# The connection was refused: the request provably never left.
_NEVER_LEFT = (httpx.ConnectError,)
# Failures that say the service itself is in trouble: they keep the rest of the request
# away from it (a plain 500 excepted: see `_attempts`).
_SERVICE_DOWN = (UpstreamTimeout, UpstreamUnavailable, UpstreamRateLimited, UpstreamUnauthorized)


class _RetryLater(Exception):
    """An attempt failed in a way a retry may fix; ``error`` is what to raise if none does."""

    def __init__(self, error: BackendError, *, at_once: bool = False) -> None:
        super().__init__(error.message)
        self.error = error
        self.at_once = at_once


class BaseClient(Responses):
    """One typed client for one REST API, over a shared pooled ``httpx.AsyncClient``.

    The ``httpx.AsyncClient`` carries the base URL, the auth and the timeout; the
    ``ClientPolicy`` carries what lives between requests (breaker, rate-limit gate, loop
    lag, redaction). ``gateway.backends`` builds both.
    """

    service: ClassVar[Service]
    # What the API speaks: sent as Accept, and as Content-Type with a body.
    media_type: ClassVar[str] = "application/json"

    def __init__(self, http: httpx.AsyncClient, *, policy: ClientPolicy | None = None) -> None:
        self.http = http
        self.policy = policy or ClientPolicy()
        self.requests = Requests(http)

    # -- the one request path -------------------------------------------------------------

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams = None,
        json: JSON = None,
        expect: Iterable[int] = (200,),
    ) -> httpx.Response:
        """Send a request; return the response if its status is expected, else raise."""
        scope = current_scope()
        content = orjson.dumps(json) if json is not None else None
        caller = scope.credentials.get(self.service) if scope is not None else None
        target = self.requests.target(path, clean_params(params))
        shown = target.shown
        where = f"{method} {shown}"
        cache = self.policy.cache
        if cache is not None and method == "GET":
            # The httpx.Request is built only when the call goes out (or an answer's is read).
            outgoing = Outgoing(self.requests, method, target, content, self.media_type, caller)
            started = time.perf_counter()

            async def fetch(account_to: RequestScope | None, shared: bool) -> httpx.Response:
                return await self._call(outgoing.request(), where, account_to, shared=shared)

            try:
                response, how = await through_cache(
                    cache, self.service, outgoing, where, scope, fetch
                )
            except BackendError as exc:
                self._note_failure(scope, exc)
                raise
            if self.policy.observer is not None:
                self.policy.observer.served(self.service, how)
            if how != "miss" and scope is not None and scope.trace is not None:
                ms = (time.perf_counter() - started) * 1000
                call = UpstreamCall(self.service, method, shown, response.status_code, ms, 0, how)
                scope.trace.append(call)
        else:
            request = self.requests.build(
                method, target, content, self.media_type, authorization=caller
            )
            response = await self._call(request, where, scope)
            if scope is not None:
                scope.used_until(0)  # not cached: an answer built on it is not kept either
            if cache is not None and response.status_code < 300:
                # A write: what this service cached for these credentials may be stale now.
                credentials = scope.credentials_key(self.service) if scope else "configured"
                await cache.invalidate(self.service, credentials)
        if response.status_code in expect:
            return response
        error = self.translate_status(method, shown, response)
        self._note_failure(scope, error)
        raise error

    async def _call(
        self,
        request: httpx.Request,
        where: str,
        scope: RequestScope | None,
        *,
        shared: bool = False,
    ) -> httpx.Response:
        """One upstream call, retries included. Raises when the service is in trouble (no
        answer, 5xx, 429, 401/403); any other answer is returned for `send` to judge."""
        shown = where.partition(" ")[2]
        started = time.perf_counter()
        sent = [0]  # attempts made, kept by _attempts even when it raises
        status: int | None = None
        observed: ObservedCall | None = None
        error: BaseException | None = None
        try:
            self._guard(scope, where)
            if self.policy.observer is not None:  # after the guard: only calls that go out
                observed = self.policy.observer.started(self.service, request)
            response = await self._attempts(request, where, scope, sent, shared=shared)
            status = response.status_code
            if status >= 500 or status in (401, 403, 408, 429):
                raise self.translate_status(request.method, shown, response)
            return response
        except BackendError as exc:
            error = exc
            self._note_failure(scope, exc)
            raise
        except BaseException as exc:  # cancelled, or a bug: the span still ends
            error = exc
            raise
        finally:
            attempts = sent[0]
            if observed is not None:
                observed.finished(status, attempts, error)
            # A call that went out is traced whatever became of it (a timeout or a refused
            # connection shows with no status); one the deadline stopped never went out.
            went_out = attempts and not isinstance(error, DeadlinePassed)
            if scope is not None and scope.trace is not None and went_out:
                ms = (time.perf_counter() - started) * 1000
                call = UpstreamCall(self.service, request.method, shown, status, ms, attempts)
                scope.trace.append(call)

    def _guard(self, scope: RequestScope | None, where: str) -> None:
        if scope is not None and scope.failed:
            failed = scope.failed.get(self.service)
            if failed is not None:
                raise failed
        gate = self.policy.rate_limits
        if gate.blocked:  # a 429 is pending for some credentials: are they these?
            key = scope.credentials_key(self.service) if scope is not None else "configured"
            wait = gate.wait_left(key)
        else:
            wait = 0.0
        if wait > 0:
            raise UpstreamRateLimited(
                self.service,
                f"{where} not sent: the service asked us to wait {wait:.0f}s more (429); "
                "retry after that",
                retry_after=wait,
            )
        if not self.policy.breaker.allow():
            retry = max(1, round(self.policy.breaker.retry_in()))
            raise UpstreamUnavailable(
                self.service,
                f"{where} not sent: the circuit is open after repeated failures; "
                f"the next probe goes out in {retry}s",
                extra={"circuit": "open", "retryAfter": retry},
            )

    async def _attempts(
        self,
        request: httpx.Request,
        where: str,
        scope: RequestScope | None,
        sent: list[int],
        *,
        shared: bool,
    ) -> httpx.Response:
        """The exchange, and the retries that are safe for it; `sent[0]` counts attempts."""
        idempotent = request.method in _IDEMPOTENT
        retries = self.policy.retries if idempotent else 0
        stale_retry = idempotent
        attempt = 0
        while True:
            attempt += 1
            if scope is not None:
                scope.take_call(self.service, where)
            sent[0] = attempt
            try:
                response = await self._exchange(request, where, scope, shared=shared)
            except _RetryLater as retry:
                if retry.at_once and stale_retry:
                    stale_retry = False  # once, at once, on a fresh connection
                    attempt -= 1
                    continue
                if attempt > retries or not self._time_for_retry(scope, attempt):
                    self.policy.breaker.record_failure()
                    raise retry.error from None
                await asyncio.sleep(jitter(attempt))
                continue
            status = response.status_code
            retryable = status in _RETRY_STATUSES and attempt <= retries
            if retryable and self._time_for_retry(scope, attempt):
                await asyncio.sleep(jitter(attempt))
                continue
            if status in _RETRY_STATUSES:
                # The service (or what fronts it) is down. A plain 500 is this request
                # breaking there: real servers answer some bad ids so (oncall 2.1.7 does).
                self.policy.breaker.record_failure()
            elif status == 429:
                self.policy.breaker.release_probe()
            else:
                self.policy.breaker.record_success()
            return response

    def _time_for_retry(self, scope: RequestScope | None, attempt: int) -> bool:
        if scope is None or scope.deadline is None:
            return True
        left = scope.remaining(asyncio.get_running_loop())
        return left is not None and left > jitter_cap(attempt) + 0.25

    async def _exchange(
        self, request: httpx.Request, where: str, scope: RequestScope | None, *, shared: bool
    ) -> httpx.Response:
        """One HTTP exchange, body read in full (up to the size cap)."""
        loop = asyncio.get_running_loop()
        timeout = self.policy.timeout or timeout_seconds(self.http)
        if scope is not None and scope.deadline is not None:
            left = scope.deadline - loop.time()
            if left <= 0:
                raise self._error(
                    DeadlinePassed,
                    f"{where} not sent: the operation's time (limits.request_timeout) ran out "
                    "before it; ask for less in one operation",
                )
            timeout = left if timeout is None else min(timeout, left)
        current = asyncio.current_task(loop)
        # A call shared with other requests (coalesced) is not this request's alone to cancel.
        task = None if shared else current
        if scope is not None and task is not None:
            scope.tasks.add(task)
        deadlines = self.policy.deadlines
        watched = deadlines.watch(timeout, loop, current) if timeout is not None else None
        try:
            try:
                # Straight to the transport (see `Requests`): its answer names the request.
                response = await self.requests.transport.handle_async_request(request)
                response.request = request
                try:
                    await self._read(response, where)
                finally:
                    # What `response.aclose()` does, without the context manager it wraps
                    # the close in: the body is read (or abandoned) here, and closing our
                    # transports' streams raises nothing for it to annotate.
                    if not response.is_closed:
                        response.is_closed = True
                        stream = response.stream
                        if isinstance(stream, ArrivedBody):
                            stream.release()
                        else:
                            await stream.aclose()  # type: ignore[union-attr]
            except asyncio.CancelledError:
                if watched is not None and deadlines.leave(watched):
                    raise TimeoutError from None  # the deadline's, not anyone else's
                raise
            finally:
                if watched is not None:
                    deadlines.leave(watched)
        except (TimeoutError, httpx.TimeoutException) as exc:
            # A timeout is not retried: a hung service costs one timeout, not several.
            raise self._error(
                UpstreamTimeout,
                f"{where} timed out after {timeout or 0:g}s; the service is slow or "
                "unreachable (raise its `timeout` in the config if it is just slow)",
            ) from exc
        except _NEVER_LEFT as exc:
            raise _RetryLater(self._unavailable(where, exc)) from exc
        except _STALE as exc:
            raise _RetryLater(self._unavailable(where, exc), at_once=True) from exc
        except httpx.DecodingError as exc:
            raise self._error(
                UpstreamBadResponse,
                f"{where} answered a body that is not encoded as its Content-Encoding says "
                f"({summarize(str(exc), limit=80)})",
            ) from exc
        except httpx.TransportError as exc:
            raise self._unavailable(where, exc) from exc
        finally:
            if scope is not None and task is not None:
                scope.tasks.discard(task)
        return response

    def _unavailable(self, where: str, exc: Exception) -> BackendError:
        return self._error(
            UpstreamUnavailable,
            f"{where} failed: {type(exc).__name__}: {summarize(str(exc)) or 'no detail'}; "
            "check that the service is running and its `url` in the config is right",
        )

    def _note_failure(self, scope: RequestScope | None, exc: BackendError) -> None:
        if isinstance(exc, UpstreamNotFound):
            return
        down = isinstance(exc, _SERVICE_DOWN) and not (
            isinstance(exc, UpstreamUnavailable) and exc.status == 500
        )
        if scope is None or scope.note_failure(exc, service_down=down):
            log.warning("%s", exc.message)

    async def get_json(self, path: str, *, params: QueryParams = None) -> JSON:
        return self.decode(await self.send("GET", path, params=params))

    async def get_model(self, path: str, tp: type[T], *, params: QueryParams = None) -> T:
        response = await self.send("GET", path, params=params)
        return self.read_model(tp, response)

    async def get_optional(self, path: str, tp: type[T], *, params: QueryParams = None) -> T | None:
        """GET one resource; ``None`` when the API says it does not exist (404)."""
        try:
            return await self.get_model(path, tp, params=params)
        except UpstreamNotFound:
            return None

    # -- paging ---------------------------------------------------------------------------

    def same_service_url(self, url: str) -> str:
        """Return a `next` link from the API if it points back at this service.

        Following a link to another host would send it our credentials, so refuse that.
        """
        base = self.http.base_url
        target = httpx.URL(url)
        if target.is_relative_url:
            return url
        if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
            raise UpstreamBadResponse(
                self.service,
                f"pagination link {url!r} leaves the configured base URL {str(base)!r}; "
                "refusing to send credentials there",
            )
        return url
