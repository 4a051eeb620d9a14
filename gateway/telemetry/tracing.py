"""OpenTelemetry spans and W3C trace context, per app.

Spans are recorded only when something exports them (``telemetry.otlp_endpoint``, or an
exporter a test hands in): a span nobody reads costs tens of microseconds per upstream call.
Trace context is honoured either way: a caller's ``traceparent`` becomes the parent of the
operation's span, and every upstream call carries a ``traceparent`` of the same trace
(the call's own span when recording, else the caller's context passed through unchanged).

The provider is this app's alone and never the global one, so two apps in a process (tests)
keep their spans apart, and a host application's own tracing setup is left alone.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Mapping

import httpx
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from gateway.settings import ConfigError, TelemetrySettings

TRACEPARENT = "traceparent"
_propagator = TraceContextTextMapPropagator()


def _version() -> str:
    try:
        return importlib.metadata.version("teamgraph")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def build_provider(
    settings: TelemetrySettings, exporter: SpanExporter | None = None
) -> TracerProvider | None:
    """This app's tracer provider, or None when no span would be exported."""
    processors: list[SpanProcessor] = []
    if exporter is not None:  # tests: spans kept in memory, each as it ends
        processors.append(SimpleSpanProcessor(exporter))
    if settings.otlp_endpoint is not None:
        processors.append(BatchSpanProcessor(_otlp(settings)))
    if not processors:
        return None
    provider = TracerProvider(
        resource=Resource.create(
            {"service.name": settings.service_name, "service.version": _version()}
        ),
        # A caller's sampling decision (traceparent's flag) wins; new traces by the ratio.
        sampler=ParentBased(TraceIdRatioBased(settings.sample_ratio)),
        shutdown_on_exit=False,  # the app's lifespan shuts it down (and flushes)
    )
    for processor in processors:
        provider.add_span_processor(processor)
    return provider


def _otlp(settings: TelemetrySettings) -> SpanExporter:
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    except ImportError:
        raise ConfigError(
            "telemetry.otlp_endpoint is set but the OTLP exporter is not installed; "
            "install it with: pip install 'teamgraph[otlp]'"
        ) from None
    return OTLPSpanExporter(
        endpoint=str(settings.otlp_endpoint), headers=dict(settings.otlp_headers), timeout=10
    )


class Tracing:
    """Starts this app's spans and carries trace context in and out."""

    def __init__(self, provider: TracerProvider | None, *, propagate: bool) -> None:
        self.provider = provider
        self.tracer = provider.get_tracer("teamgraph", _version()) if provider else None
        self.propagate = propagate

    @property
    def active(self) -> bool:
        """Whether an operation needs a trace context at all."""
        return self.tracer is not None or self.propagate

    def incoming(self, headers: Mapping[str, str]) -> Context | None:
        """The caller's trace context, if it sent one."""
        if TRACEPARENT not in headers:
            return None
        return _propagator.extract(headers)

    def server_span(self, parent: Context | None, attributes: dict[str, str]) -> Span | None:
        if self.tracer is None:
            return None
        return self.tracer.start_span(
            "GraphQL Operation", parent, kind=SpanKind.SERVER, attributes=attributes
        )

    def client_span(self, name: str, attributes: dict[str, str | int]) -> Span | None:
        """A span for an upstream call, a child of the current operation's."""
        if self.tracer is None:
            return None
        return self.tracer.start_span(name, kind=SpanKind.CLIENT, attributes=attributes)

    def inject(self, headers: httpx.Headers, span: Span | None) -> None:
        """`traceparent` (and `tracestate`) for an outgoing request: the call's span, or the
        context the operation runs in (a caller's, passed through). None when neither."""
        if not self.propagate:
            return
        if span is None and not otel_context.get_current():
            return  # no span and no caller's context (Operation attaches it): nothing to send
        context = trace.set_span_in_context(span) if span is not None else None
        _propagator.inject(headers, context)

    def shutdown(self) -> None:
        if self.provider is not None:
            self.provider.shutdown()


def end_span(span: Span, *, error: str | None, attributes: Mapping[str, str | int]) -> None:
    span.set_attributes(attributes)
    if error is not None:
        span.set_attribute("error.type", error)
        span.set_status(Status(StatusCode.ERROR))
    span.end()
