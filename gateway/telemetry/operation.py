"""One GraphQL request as telemetry sees it: its server span, the trace context its upstream
calls inherit, and, when it ends, its name, outcome and duration.

Outcomes: ``ok``; ``partial`` (data and errors); ``error`` (errors and no data, or a bug that
escaped); ``rejected`` (never executed: bad input, invalid document, unauthenticated);
``timeout`` (limits.request_timeout); ``shed`` (503, the gateway at capacity);
``cancelled`` (the client went away).
"""

from __future__ import annotations

import time
from contextvars import Token
from types import TracebackType
from typing import TYPE_CHECKING, Any

from graphql import get_operation_ast
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span
from starlette.datastructures import Headers

from gateway.operations import Prepared
from gateway.telemetry.metrics import UNKNOWN
from gateway.telemetry.tracing import end_span

if TYPE_CHECKING:
    from gateway.telemetry import Telemetry


class Operation:
    __slots__ = ("body", "gone", "headers", "kind", "label", "method", "name", "span",
                 "started", "status", "telemetry", "token")  # fmt: skip

    def __init__(self, telemetry: Telemetry, method: str, headers: Headers) -> None:
        self.telemetry = telemetry
        self.method = method
        self.headers = headers
        self.started = time.perf_counter()
        self.name: str | None = None
        self.kind: str | None = None
        self.label = UNKNOWN
        self.status: int | None = None
        self.body: dict[str, Any] | None = None
        self.gone = False
        self.span: Span | None = None
        self.token: Token[Context] | None = None

    def __enter__(self) -> Operation:
        tracing = self.telemetry.tracing
        if not tracing.active:
            return self
        parent = tracing.incoming(self.headers)
        self.span = tracing.server_span(
            parent, {"http.request.method": self.method, "http.route": "/graphql"}
        )
        context = trace.set_span_in_context(self.span, parent) if self.span else parent
        if context is not None:
            # Current for the rest of the request: tasks it starts (execution, dataloader
            # batches) copy it, so upstream calls find their parent here.
            self.token = otel_context.attach(context)
        return self

    def prepared(self, prepared: Prepared, operation_name: str | None) -> None:
        """The document passed validation: its operation's name and type are known."""
        if prepared.document is None or prepared.errors:
            return
        node = get_operation_ast(prepared.document, operation_name)
        self.kind = prepared.operation.value if prepared.operation else None
        self.name = node.name.value if node is not None and node.name else None
        metrics = self.telemetry.metrics
        if metrics is not None:
            self.label = metrics.operation_label(self.name)
        if self.span is not None and self.kind is not None:
            self.span.update_name(f"{self.kind} {self.name}" if self.name else self.kind)
            self.span.set_attribute("graphql.operation.type", self.kind)
            if self.name:
                self.span.set_attribute("graphql.operation.name", self.name)

    def answered(self, status: int, body: dict[str, Any] | None = None) -> None:
        self.status, self.body = status, body

    def cancelled(self) -> None:
        self.gone = True

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.token is not None:
            otel_context.detach(self.token)
        outcome = self._outcome(exc)
        metrics = self.telemetry.metrics
        if metrics is not None and outcome is not None:
            seconds = time.perf_counter() - self.started
            metrics.operations.labels(self.label, outcome).inc()
            metrics.operation_seconds.labels(self.label, outcome).observe(
                seconds, exemplar=self._exemplar()
            )
        if self.span is not None:
            attributes: dict[str, str | int] = {"teamgraph.outcome": outcome or "none"}
            if self.status is not None:
                attributes["http.response.status_code"] = self.status
            if exc is not None:
                self.span.record_exception(exc)
            failed = type(exc).__name__ if exc is not None else None
            if outcome == "timeout":
                failed = "GATEWAY_TIMEOUT"
            elif outcome == "error" and failed is None:
                failed = "GRAPHQL_ERRORS"
            end_span(self.span, error=failed, attributes=attributes)

    def _outcome(self, exc: BaseException | None) -> str | None:
        """The outcome label; None for a request that was no operation (GraphiQL's page)."""
        if exc is not None:
            return "error"
        if self.gone:
            return "cancelled"
        status, body = self.status, self.body
        if status is None:
            return None
        if status == 503:
            return "shed"
        if status == 504:
            return "timeout"
        if status >= 400 or body is None or "data" not in body:
            return "rejected"
        if not body.get("errors"):
            return "ok"
        return "error" if body["data"] is None else "partial"

    def _exemplar(self) -> dict[str, str] | None:
        """The trace this observation came from, for OpenMetrics scrapers."""
        if self.span is None:
            return None
        context = self.span.get_span_context()
        return {"trace_id": format(context.trace_id, "032x")} if context.is_valid else None
