"""Per-request record of upstream calls, for ``X-Teamgraph-Trace: 1``.

Clients are shared by every request (one pooled connection set per service), so the trace
cannot live on a client: it lives in a context variable that the GraphQL view sets for one
request. asyncio copies the context into every task the request spawns, so calls made from
dataloader batch tasks land in the right list.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UpstreamCall:
    service: str
    method: str
    path: str  # path with query string, as sent
    status: int | None  # None when no response arrived (timeout, connection error)
    ms: float

    def as_dict(self) -> dict[str, object]:
        return {
            "service": self.service,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "ms": round(self.ms, 2),
        }


_current: ContextVar[list[UpstreamCall] | None] = ContextVar("teamgraph_trace", default=None)


@contextmanager
def record_upstream_calls() -> Iterator[list[UpstreamCall]]:
    """Collect every upstream call made inside the block (and the tasks it starts)."""
    calls: list[UpstreamCall] = []
    token = _current.set(calls)
    try:
        yield calls
    finally:
        _current.reset(token)


def note_upstream_call(call: UpstreamCall) -> None:
    calls = _current.get()
    if calls is not None:
        calls.append(call)


def current_calls() -> list[UpstreamCall] | None:
    """The list being recorded into for this request, if tracing is on."""
    return _current.get()
