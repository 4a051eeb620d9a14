"""The observer every client reports its upstream calls to: a counter and a histogram per
call, a client span per call, and the trace context the upstream receives."""

from __future__ import annotations

import asyncio
import time

import httpx
from opentelemetry.trace import Span

from gateway.telemetry.endpoints import Endpoints
from gateway.telemetry.metrics import Metrics
from gateway.telemetry.tracing import Tracing, end_span
from resolvers.backends.errors import (
    BackendError,
    DeadlinePassed,
    Service,
    UpstreamBudgetExceeded,
    UpstreamTimeout,
    UpstreamUnavailable,
)


class UpstreamObserver:
    def __init__(self, *, metrics: Metrics | None, tracing: Tracing) -> None:
        self.metrics = metrics
        self.tracing = tracing
        self.endpoints = Endpoints()

    def started(self, service: Service, request: httpx.Request) -> _Call:
        endpoint = self.endpoints.template(service, request)
        span = None
        if self.tracing.tracer is not None:
            url = request.url
            span = self.tracing.client_span(
                f"{request.method} {endpoint}",
                {
                    "http.request.method": request.method,
                    "url.full": str(url),
                    "url.template": endpoint,
                    "server.address": url.host,
                    "server.port": url.port or (443 if url.scheme == "https" else 80),
                    "peer.service": service,
                },
            )
        self.tracing.inject(request.headers, span)
        return _Call(self, service, request.method, endpoint, span)

    def served(self, service: Service, how: str) -> None:
        if self.metrics is not None:
            self.metrics.cache.labels(service, how).inc()


class _Call:
    __slots__ = ("endpoint", "method", "observer", "service", "span", "started")

    def __init__(
        self,
        observer: UpstreamObserver,
        service: Service,
        method: str,
        endpoint: str,
        span: Span | None,
    ) -> None:
        self.observer = observer
        self.service = service
        self.method = method
        self.endpoint = endpoint
        self.span = span
        self.started = time.perf_counter()

    def finished(self, status: int | None, attempts: int, error: BaseException | None) -> None:
        seconds = time.perf_counter() - self.started
        metrics = self.observer.metrics
        label = str(status) if status is not None else _without_answer(error)
        if metrics is not None:
            metrics.upstream.count((self.service, self.method, self.endpoint, label))
            if label not in ("not_sent", "cancelled"):  # no exchange to time
                metrics.upstream.time((self.service, self.method, self.endpoint), seconds)
        if self.span is not None:
            attributes: dict[str, str | int] = {}
            if status is not None:
                attributes["http.response.status_code"] = status
            if attempts > 1:
                attributes["http.request.resend_count"] = attempts - 1
            failed = None
            if status is not None and status >= 400:
                failed = str(status)
            elif error is not None:
                failed = error.code if isinstance(error, BackendError) else type(error).__name__
            end_span(self.span, error=failed, attributes=attributes)


def _without_answer(error: BaseException | None) -> str:
    """The status label of a call that got no HTTP answer."""
    if isinstance(error, UpstreamTimeout):
        return "timeout"
    if isinstance(error, DeadlinePassed | UpstreamBudgetExceeded):
        return "not_sent"
    if isinstance(error, UpstreamUnavailable):
        return "unreachable"
    if isinstance(error, asyncio.CancelledError):
        return "cancelled"
    return "error"
