"""The one hook through which the gateway watches upstream calls (metrics, spans, trace
context), without this layer knowing Prometheus or OpenTelemetry.

``gateway.backends`` hands an observer to every client's policy; :class:`BaseClient` tells
it about each call it sends and each GET the shared cache answered. With no observer (the
default, and telemetry off) a call costs one ``is None`` test.
"""

from __future__ import annotations

from typing import Protocol

import httpx

from resolvers.backends.errors import Service


class ObservedCall(Protocol):
    def finished(self, status: int | None, attempts: int, error: BaseException | None) -> None:
        """The call is over: the status it got (None without an answer), the exchanges it
        took (retries included; 0 when it failed before an answer), and what it raised."""


class CallObserver(Protocol):
    def started(self, service: Service, request: httpx.Request) -> ObservedCall:
        """`request` is about to be sent (once, or more with retries); the observer may add
        headers to it (``traceparent``)."""

    def served(self, service: Service, how: str) -> None:
        """The shared cache answered a GET: "hit", "stale", "coalesced" (another request's
        call), or "miss" (this request's own call)."""
