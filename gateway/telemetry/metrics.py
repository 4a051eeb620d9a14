"""The Prometheus series: one registry per app, so two apps in one process never share or
collide (tests build many), and nothing is registered at import.

What changes per event (operations, upstream calls, cache lookups) is counted as it happens;
what is a state (admission's slots and queue, each service's circuit) is read when scraped,
so it costs the request path nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from starlette.requests import Request
from starlette.responses import Response

from gateway.admission import Admission
from gateway.telemetry.upstream_series import UpstreamSeries
from resolvers.backends import Backends
from resolvers.backends.resilience import CircuitState

# Seconds. Operations may run up to limits.request_timeout (30 s by default).
OPERATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, float("inf"))
CIRCUIT_STATES: tuple[CircuitState, ...] = ("closed", "half-open", "open")

# Names a valid operation did not give, or a request never got to.
ANONYMOUS = "(anonymous)"
UNKNOWN = "(unknown)"
OTHER_NAME = "(other)"


class Metrics:
    """Every `teamgraph_*` series of one app, and the /metrics answer."""

    def __init__(self, *, max_operation_names: int = 200) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.operations = Counter(
            "teamgraph_operations", "GraphQL operations by name and outcome",
            ["operation", "outcome"], registry=r,
        )  # fmt: skip
        self.operation_seconds = Histogram(
            "teamgraph_operation_duration_seconds",
            "Time from the request's arrival to its answer, by operation name and outcome",
            ["operation", "outcome"], buckets=OPERATION_BUCKETS, registry=r,
        )  # fmt: skip
        self.upstream = UpstreamSeries()  # one update per call: plain dicts, read when scraped
        r.register(self.upstream)
        self.cache = Counter(
            "teamgraph_cache_lookups",
            "GETs through the shared upstream cache by service and result: hit, stale, "
            "coalesced (shared another request's call) or miss",
            ["service", "result"], registry=r,
        )  # fmt: skip
        self.answers = Counter(
            "teamgraph_answer_cache_lookups",
            "Queries looked up among the whole answers kept (cache.answers): hit (answered "
            "without running) or miss",
            ["result"], registry=r,
        )  # fmt: skip
        self.circuit_changes = Counter(
            "teamgraph_circuit_transitions",
            "Changes of a service's circuit breaker, by the state it moved to",
            ["service", "state"], registry=r,
        )  # fmt: skip
        self.state = _States()
        r.register(self.state)
        for collector in (ProcessCollector, PlatformCollector, GCCollector):
            collector(registry=r)
        self.max_operation_names = max_operation_names
        self._names: set[str] = set()

    def operation_label(self, name: str | None) -> str:
        """A valid operation's name as a label value: bounded, since each new name is one
        more series and any caller can send a new one."""
        if name is None:
            return ANONYMOUS
        if name in self._names:
            return name
        if len(self._names) >= self.max_operation_names:
            return OTHER_NAME
        self._names.add(name)
        return name

    def watch(self, admission: Admission, backends: Callable[[], Backends | None]) -> None:
        self.state.admission = admission
        self.state.backends = backends

    async def endpoint(self, request: Request) -> Response:
        encode, media_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encode(self.registry), media_type=media_type)


class _States:
    """Admission and circuit breakers, read at scrape time."""

    def __init__(self) -> None:
        self.admission: Admission | None = None
        self.backends: Callable[[], Backends | None] = lambda: None

    def collect(self) -> Iterator[Metric]:
        admission = self.admission
        if admission is not None:
            yield GaugeMetricFamily(
                "teamgraph_operations_in_flight", "Operations running now (limits.max_in_flight)",
                value=admission.in_flight,
            )  # fmt: skip
            yield GaugeMetricFamily(
                "teamgraph_operations_queued", "Operations waiting for a slot (limits.max_queue)",
                value=admission.waiting,
            )  # fmt: skip
            yield CounterMetricFamily(
                "teamgraph_operations_shed",
                "Operations turned away with 503 because the gateway was at capacity",
                value=admission.shed,
            )
        backends = self.backends()
        yield from _parsed_answers(backends)
        circuit = GaugeMetricFamily(
            "teamgraph_circuit_state",
            "Each service's circuit breaker: 1 for the state it is in, 0 for the others",
            labels=["service", "state"],
        )
        for service in backends.configured() if backends is not None else ():
            now = getattr(backends, service).policy.breaker.state
            for state in CIRCUIT_STATES:
                circuit.add_metric([service, state], 1.0 if state == now else 0.0)
        yield circuit


def _parsed_answers(backends: Backends | None) -> Iterator[Metric]:
    """The reuse of validated answers (`limits.parsed_answer_bytes`; one store for every
    service): nothing when it is off."""
    configured = backends.configured() if backends is not None else ()
    policies = (getattr(backends, service).policy for service in configured)
    parsed = next((p.parsed for p in policies if p.parsed is not None), None)
    if parsed is None:
        return
    lookups = CounterMetricFamily(
        "teamgraph_parsed_answers",
        "GET answers looked up among those validated before (limits.parsed_answer_bytes): "
        "reused (the same bytes: validation skipped) or validated",
        labels=["outcome"],
    )
    lookups.add_metric(["reused"], parsed.reused)
    lookups.add_metric(["validated"], parsed.validated)
    yield lookups
    yield GaugeMetricFamily(
        "teamgraph_parsed_answer_bytes",
        "Bytes of the answer bodies kept with their validated models",
        value=parsed.kept_bytes,
    )
