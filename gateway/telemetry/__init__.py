"""Metrics, traces and trace context for one app: built by ``gateway.app`` from
``[telemetry]`` and passed down, never global.

* :mod:`.metrics`: the Prometheus registry and every ``teamgraph_*`` series; ``GET /metrics``.
* :mod:`.tracing`: the OpenTelemetry provider (only when spans are exported) and W3C trace
  context in and out.
* :mod:`.operation`: one GraphQL request: its span, name, outcome and duration.
* :mod:`.calls`: the observer the REST clients report each upstream call to.
* :mod:`.endpoints`: upstream paths matched to their API's path templates (bounded labels).
"""

from __future__ import annotations

from collections.abc import Callable

from opentelemetry.sdk.trace.export import SpanExporter
from starlette.datastructures import Headers
from starlette.routing import BaseRoute, Route

from gateway.admission import Admission
from gateway.settings import TelemetrySettings
from gateway.telemetry.calls import UpstreamObserver
from gateway.telemetry.metrics import Metrics
from gateway.telemetry.operation import Operation
from gateway.telemetry.tracing import Tracing, build_provider
from resolvers.backends import Backends
from resolvers.backends.resilience import CircuitState

__all__ = ["Operation", "Telemetry"]


class Telemetry:
    """What one app records. ``span_exporter`` receives every span (tests pass an
    in-memory one); otherwise spans are recorded only when ``otlp_endpoint`` is set."""

    def __init__(
        self, settings: TelemetrySettings, *, span_exporter: SpanExporter | None = None
    ) -> None:
        self.settings = settings
        self.metrics = (
            Metrics(max_operation_names=settings.max_operation_names) if settings.metrics else None
        )
        self.tracing = Tracing(
            build_provider(settings, span_exporter), propagate=settings.propagate
        )
        # No observer at all when there is nothing to observe for: calls cost nothing then.
        self.observer = (
            UpstreamObserver(metrics=self.metrics, tracing=self.tracing)
            if self.metrics is not None or self.tracing.active
            else None
        )

    def operation(self, method: str, headers: Headers) -> Operation:
        """Use as ``with telemetry.operation(method, headers) as op:`` around one request."""
        return Operation(self, method, headers)

    def routes(self) -> list[BaseRoute]:
        if self.metrics is None:
            return []
        return [Route(self.settings.metrics_path, self.metrics.endpoint, methods=["GET"])]

    def watch(self, admission: Admission, backends: Callable[[], Backends | None]) -> None:
        """Admission and the circuit breakers, read at scrape time."""
        if self.metrics is not None:
            self.metrics.watch(admission, backends)

    def opened(self, backends: Backends) -> None:
        """Count each circuit breaker's changes from now on (the app's lifespan calls this
        once the clients exist)."""
        metrics = self.metrics
        if metrics is None:
            return
        counter = metrics.circuit_changes
        for service in backends.configured():

            def changed(state: CircuitState, service: str = service) -> None:
                counter.labels(service, state).inc()

            backends.require(service).policy.breaker.listeners.append(changed)

    def shutdown(self) -> None:
        """Export the spans still buffered, and stop."""
        self.tracing.shutdown()
