"""OpenTelemetry spans, kept by an in-memory exporter: a server span per operation, a child
span per upstream call; W3C trace context honoured in and carried out to every upstream (as
the recording transport saw the requests); JSON log lines carry the trace; OTLP export."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.logs import JsonFormatter
from gateway.settings import Settings, TelemetrySettings
from tests.harness import configured, open_gateway

TEAMS = "query Teams { teams { name rosters { name } } }"
WORKLOGS = 'query Worklogs { worklogs(from: "2026-11-16", to: "2026-11-22") { service id } }'
CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c"
CALLER_SPAN = "b7ad6b7169203331"
TRACEPARENT = f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"


def with_telemetry(settings: Settings, **telemetry: Any) -> Settings:
    return settings.model_copy(update={"telemetry": TelemetrySettings(**telemetry)})


def hex_ids(span: ReadableSpan) -> tuple[str, str, str | None]:
    """(trace id, span id, parent span id) as W3C writes them."""
    assert span.context is not None
    parent = f"{span.parent.span_id:016x}" if span.parent is not None else None
    return f"{span.context.trace_id:032x}", f"{span.context.span_id:016x}", parent


def split(traceparent: str | None) -> tuple[str, str]:
    assert traceparent is not None
    version, trace_id, parent_id, _flags = traceparent.split("-")
    assert version == "00"
    return trace_id, parent_id


async def test_an_operation_is_a_server_span_with_a_child_per_upstream_call(cast: Cast) -> None:
    spans = InMemorySpanExporter()
    async with open_gateway(cast, span_exporter=spans) as gw:
        assert "errors" not in await gw.execute(TEAMS)
        calls = list(gw.log.calls)
    (server,) = [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER]
    clients = [s for s in spans.get_finished_spans() if s.kind == SpanKind.CLIENT]
    assert server.name == "query Teams"  # OpenTelemetry's GraphQL span name
    assert server.attributes is not None
    assert server.attributes["graphql.operation.type"] == "query"
    assert server.attributes["graphql.operation.name"] == "Teams"
    assert server.attributes["teamgraph.outcome"] == "ok"
    trace_id, span_id, parent = hex_ids(server)
    assert parent is None  # no caller trace: the operation starts one
    assert len(clients) == len(calls) > 5
    for client in clients:
        assert hex_ids(client)[0] == trace_id and hex_ids(client)[2] == span_id
    # One span per request the upstreams saw, naming what was sent.
    assert sorted(
        (str(s.attributes["peer.service"]), str(s.attributes["http.request.method"]),
         httpx.URL(str(s.attributes["url.full"])).path)
        for s in clients if s.attributes is not None
    ) == sorted((c.service, c.method, MOUNTS[c.service] + c.path) for c in calls)  # fmt: skip
    members = [s for s in clients if s.name == "GET /teams/{id}/members"]
    assert members and all(s.attributes and s.attributes["url.template"] == "/teams/{id}/members"
                           and s.attributes["http.response.status_code"] == 200
                           for s in members)  # fmt: skip
    # Each upstream request carried its own span's context.
    sent = sorted(split(c.traceparent) for c in calls)
    assert sent == sorted((trace_id, hex_ids(s)[1]) for s in clients)


async def test_a_callers_traceparent_is_the_parent_and_reaches_every_upstream(cast: Cast) -> None:
    spans = InMemorySpanExporter()
    async with open_gateway(cast, span_exporter=spans) as gw:
        response = await gw.http.post(
            "/graphql", json={"query": TEAMS}, headers={"traceparent": TRACEPARENT}
        )
        assert response.status_code == 200 and "errors" not in response.json()
        calls = list(gw.log.calls)
    (server,) = [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert hex_ids(server)[0] == CALLER_TRACE and hex_ids(server)[2] == CALLER_SPAN
    assert server.parent is not None and server.parent.is_remote
    client_ids = {hex_ids(s)[1] for s in spans.get_finished_spans() if s.kind == SpanKind.CLIENT}
    assert calls and {split(c.traceparent)[0] for c in calls} == {CALLER_TRACE}
    assert {split(c.traceparent)[1] for c in calls} == client_ids


async def test_without_an_exporter_the_callers_context_passes_through(cast: Cast) -> None:
    async with open_gateway(cast) as gw:  # the default: nothing exported, context propagated
        await gw.http.post("/graphql", json={"query": TEAMS}, headers={
            "traceparent": TRACEPARENT, "tracestate": "vendor=abc"})  # fmt: skip
        passed = list(gw.log.calls)
        gw.log.clear()
        await gw.execute(TEAMS)  # no caller trace: none is invented
        untraced = list(gw.log.calls)
    assert passed and {c.traceparent for c in passed} == {TRACEPARENT}
    assert untraced and {c.traceparent for c in untraced} == {None}


async def test_propagation_can_be_turned_off(cast: Cast) -> None:
    spans = InMemorySpanExporter()
    settings = with_telemetry(configured(cast), propagate=False)
    async with open_gateway(cast, settings=settings, span_exporter=spans) as gw:
        await gw.http.post("/graphql", json={"query": TEAMS}, headers={"traceparent": TRACEPARENT})
        calls = list(gw.log.calls)
    assert calls and {c.traceparent for c in calls} == {None}
    (server,) = [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert hex_ids(server)[0] == CALLER_TRACE  # still honoured coming in


async def test_a_caller_that_does_not_sample_is_not_recorded(cast: Cast) -> None:
    spans = InMemorySpanExporter()
    async with open_gateway(cast, span_exporter=spans) as gw:
        unsampled = f"00-{CALLER_TRACE}-{CALLER_SPAN}-00"
        await gw.http.post("/graphql", json={"query": TEAMS}, headers={"traceparent": unsampled})
        calls = list(gw.log.calls)
    assert spans.get_finished_spans() == ()
    assert calls and all(c.traceparent and c.traceparent.startswith(f"00-{CALLER_TRACE}-")
                         and c.traceparent.endswith("-00") for c in calls)  # fmt: skip


async def test_failed_calls_and_operations_mark_their_spans(cast: Cast) -> None:
    spans = InMemorySpanExporter()
    async with open_gateway(
        cast, faults={"teampulse": Faults(down=True)}, span_exporter=spans
    ) as gw:
        await gw.execute(WORKLOGS)
        await gw.post("{ tempo { teams { nmae } } }")
    finished = spans.get_finished_spans()
    failed = [
        s for s in finished if s.attributes and s.attributes.get("peer.service") == "teampulse"
    ]
    assert failed and all(s.status.status_code == StatusCode.ERROR
                          and s.attributes and s.attributes["error.type"] == "503"
                          for s in failed)  # fmt: skip
    servers = {s.name: s for s in finished if s.kind == SpanKind.SERVER}
    assert servers["query Worklogs"].attributes is not None
    assert servers["query Worklogs"].attributes["teamgraph.outcome"] == "partial"
    rejected = servers["GraphQL Operation"]  # never validated: no name to give it
    assert (
        rejected.attributes is not None and rejected.attributes["teamgraph.outcome"] == "rejected"
    )


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the root handler writes with TEAMGRAPH_LOG_FORMAT=json."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


async def test_json_logs_are_one_line_per_event_and_carry_the_trace(
    cast: Cast, json_log: io.StringIO
) -> None:
    import orjson

    async with open_gateway(cast, faults={"teampulse": Faults(down=True)}) as gw:
        bad = 'query Bad($n: Int) { tempo { teams { nmae\n wrong: nope(x: "a\\nb") } } }'
        await gw.http.post("/graphql", json={"query": bad}, headers={"traceparent": TRACEPARENT})
        first = json_log.getvalue()
        await gw.http.post("/graphql", json={"query": WORKLOGS})
    rejected = [orjson.loads(line) for line in first.splitlines()]
    assert len(rejected) == 1  # a rejected document is one event, one line
    (line,) = rejected
    assert line["level"] == "WARNING" and line["logger"] == "teamgraph.errors"
    assert line["trace_id"] == CALLER_TRACE and "(and 2 more)" in line["message"]
    failed = [orjson.loads(line) for line in json_log.getvalue().splitlines()[1:]]
    assert [entry["logger"] for entry in failed] == ["teamgraph.upstream"]  # one per service
    assert "trace_id" not in failed[0]  # no caller trace and no exporter: no trace at all


async def test_spans_are_exported_over_otlp(cast: Cast) -> None:
    received: list[tuple[str, bytes]] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, body))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_port}/v1/traces"
        settings = with_telemetry(configured(cast), otlp_endpoint=endpoint, service_name="tg-test")
        async with open_gateway(cast, settings=settings) as gw:
            assert "errors" not in await gw.execute(TEAMS)
        # The lifespan's end flushed the batch.
    finally:
        server.shutdown()
        server.server_close()
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    assert received and {path for path, _ in received} == {"/v1/traces"}
    names, services = [], set()
    for _, body in received:
        request = ExportTraceServiceRequest.FromString(body)
        for resource in request.resource_spans:
            attributes = {a.key: a.value.string_value for a in resource.resource.attributes}
            services.add(attributes["service.name"])
            names += [s.name for scope in resource.scope_spans for s in scope.spans]
    assert services == {"tg-test"}
    assert "query Teams" in names and "GET /teams/{id}/members" in names


def test_otlp_without_its_extra_says_what_to_install(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from gateway.app import create_app
    from gateway.settings import ConfigError

    monkeypatch.setitem(sys.modules, "opentelemetry.exporter.otlp.proto.http.trace_exporter", None)
    settings = with_telemetry(configured(cast), otlp_endpoint="http://127.0.0.1:4318/v1/traces")
    with pytest.raises(ConfigError, match=r"pip install 'teamgraph\[otlp\]'"):
        create_app(settings)


def test_otlp_headers_are_secrets(cast: Cast) -> None:
    from gateway.backends import build_redactor

    settings = with_telemetry(configured(cast), otlp_headers={"x-api-key": "vendor-key-123"})
    assert build_redactor(settings)("sent vendor-key-123 to the collector") == (
        "sent [redacted] to the collector"
    )
