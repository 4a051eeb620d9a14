"""What one GraphQL request allows its upstream calls, and what they did.

Clients are shared by every request (one pooled connection set per service), so a request's
budget, deadline, trace and caller credentials cannot live on a client: they live in a
:class:`RequestScope` held in a context variable that the gateway sets for one request.
asyncio copies the context into every task the request spawns (dataloader batches
included), so every upstream call lands in the right scope. Outside a request (client
tests, ``teamgraph check``) there is no scope and nothing is limited.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from resolvers.backends.errors import BackendError, Service, UpstreamBudgetExceeded


@dataclass(frozen=True, slots=True)
class UpstreamCall:
    service: str
    method: str
    path: str  # path with query string, as sent
    status: int | None  # None when no response arrived (timeout, connection error)
    ms: float
    attempts: int = 1
    # How the shared cache served it: "hit", "stale", "coalesced"; None for a plain call.
    cache: str | None = None

    def as_dict(self) -> dict[str, object]:
        shown: dict[str, object] = {
            "service": self.service,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "ms": round(self.ms, 2),
        }
        if self.attempts > 1:
            shown["attempts"] = self.attempts
        if self.cache is not None:
            shown["cache"] = self.cache
        return shown


@dataclass(frozen=True, slots=True)
class StaleAnswer:
    """An answer served from the cache because its service failed: shown as a warning."""

    service: Service
    where: str
    age: float
    because: str


@dataclass(frozen=True, slots=True)
class Budget:
    """Upstream calls one operation may make: in all, and to any one service."""

    total: int | None = None
    per_service: int | None = None


@dataclass
class RequestScope:
    budget: Budget = Budget()
    # Loop time after which the request is over; upstream timeouts never reach past it.
    deadline: float | None = None
    # Set when the caller asked for a trace (`X-Teamgraph-Trace: 1`).
    trace: list[UpstreamCall] | None = None
    # Per-caller credentials: the Authorization value to send to a service instead of the
    # configured one (from an allow-listed request header).
    credentials: Mapping[Service, str] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)
    # The sum of `calls`, kept as they are counted: every call checks it against the budget.
    taken: int = 0
    # Calls made by the operations before this one in the same batch: a batch has one
    # operation's budget, so they count against this one's.
    earlier: Counter[str] = field(default_factory=Counter)
    # A service that failed in this request is not called again by it: a hung service
    # costs one timeout, not one per field.
    failed: dict[Service, BackendError] = field(default_factory=dict)
    # Services whose failure was already logged: one WARNING line per request and service.
    logged: set[Service] = field(default_factory=set)
    # Tasks making upstream calls for this request: cancelled with it.
    tasks: set[asyncio.Task[object]] = field(default_factory=set)
    # `Cache-Control: no-cache`: read nothing from the shared cache (answers still go in).
    cache_bypass: bool = False
    # Answers served from the cache because their service failed: warned about.
    stale: list[StaleAnswer] = field(default_factory=list)
    # Wall-clock time until which every upstream answer this request used stays fresh: a
    # whole answer built from them may be kept that long (0: it may not be kept at all).
    fresh_until: float = math.inf

    def used_until(self, until: float) -> None:
        """Note that this request's answer rests on data fresh until `until`."""
        self.fresh_until = min(self.fresh_until, until)

    @property
    def total_calls(self) -> int:
        return self.taken

    def credentials_key(self, service: Service) -> str:
        """What to key anything cached across requests by: the credentials that fetched it."""
        given = self.credentials.get(service)
        return "configured" if given is None else credentials_digest(given)

    def remaining(self, loop: asyncio.AbstractEventLoop) -> float | None:
        return None if self.deadline is None else self.deadline - loop.time()

    def take_call(self, service: Service, where: str) -> None:
        """Count one upstream call, or refuse it when the operation's budget is spent."""
        budget, earlier = self.budget, self.earlier
        who = "the batch" if earlier else "the operation"
        if budget.total is not None and self.taken + (earlier.total() if earlier else 0) >= (
            budget.total
        ):
            raise UpstreamBudgetExceeded(
                service,
                f"{where} not sent: {who} used its {budget.total} upstream calls "
                f"(limits.max_upstream_calls); ask for less in one {who[4:]}",
                extra={"limit": budget.total},
            )
        mine = self.calls.get(service, 0)
        used = mine + (earlier.get(service, 0) if earlier else 0)
        if budget.per_service is not None and used >= budget.per_service:
            raise UpstreamBudgetExceeded(
                service,
                f"{where} not sent: {who} used its {budget.per_service} calls to "
                f"{service} (limits.max_upstream_calls_per_service); ask for less in one "
                f"{who[4:]}",
                extra={"limit": budget.per_service},
            )
        self.calls[service] = mine + 1
        self.taken += 1

    def note_failure(self, error: BackendError, *, service_down: bool) -> bool:
        """Remember a failure; True the first time this request sees `error.service` fail
        (log it then: one line per request and service)."""
        if service_down:
            self.failed.setdefault(error.service, error)
        if error.service in self.logged:
            return False
        self.logged.add(error.service)
        return True

    def cancel_tasks(self) -> None:
        for task in list(self.tasks):
            task.cancel()


def credentials_digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


_current: ContextVar[RequestScope | None] = ContextVar("teamgraph_scope", default=None)


@contextmanager
def request_scope(scope: RequestScope) -> Iterator[RequestScope]:
    """Make `scope` the one every upstream call inside the block (and its tasks) uses."""
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


def current_scope() -> RequestScope | None:
    return _current.get()


@contextmanager
def record_upstream_calls() -> Iterator[list[UpstreamCall]]:
    """Collect every upstream call made inside the block (tests and the trace header)."""
    scope = current_scope()
    if scope is None:
        with request_scope(RequestScope(trace=[])) as fresh:
            assert fresh.trace is not None
            yield fresh.trace
        return
    if scope.trace is None:
        scope.trace = []
    yield scope.trace
