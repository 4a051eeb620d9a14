"""GET /metrics, scraped over HTTP and parsed as Prometheus text: operations by name and
outcome, upstream calls by service, endpoint template and status (counted against the
recording transport), cache lookups, circuit state, admission; labels stay bounded."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from gateway.app import create_app
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.settings import ConfigError, Settings, TelemetrySettings, parse_settings
from gateway.telemetry.endpoints import TEMPLATES
from tests.faults import FaultTransport, first
from tests.gateway.test_sockets import Watched, serving
from tests.harness import Gateway, configured, open_gateway
from tests.servers import free_port

TEMPO_TEAMS = "query TempoTeams { tempo { teams { name } } }"
WORKLOGS = 'query Worklogs { worklogs(from: "2026-11-16", to: "2026-11-22") { service id } }'
TEAMS = "query Teams { teams { name rosters { name } } }"

Series = dict[tuple[tuple[str, str], ...], float]

JSON = {"Content-Type": "application/json"}


def with_telemetry(settings: Settings, **telemetry: Any) -> Settings:
    return settings.model_copy(update={"telemetry": TelemetrySettings(**telemetry)})


async def scrape(gw: Gateway, path: str = "/metrics") -> str:
    response = await gw.http.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return response.text


def series(text: str, name: str, **only: str) -> Series:
    """Samples of `name` (e.g. "teamgraph_operations_total"), by their sorted labels."""
    found: Series = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in only.items()):
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def by(found: Series, *keys: str) -> dict[tuple[str, ...], float]:
    """The samples summed by some of their labels."""
    out: dict[tuple[str, ...], float] = {}
    for labels, value in found.items():
        key = tuple(dict(labels)[k] for k in keys)
        out[key] = out.get(key, 0.0) + value
    return out


async def test_operations_are_counted_by_name_and_outcome(cast: Cast) -> None:
    settings = configured(cast, limits={"max_in_flight": 1, "max_queue": 0})
    slow = {"teampulse": Faults(latency_ms=300)}
    async with open_gateway(cast, settings=settings, faults=slow) as gw:
        assert "errors" not in await gw.execute(TEMPO_TEAMS)
        assert "errors" not in await gw.execute("{ tempo { roles { name } } }")
        assert (await gw.post("{ tempo { teams { nmae } } }")).json()["errors"]
        assert (await gw.http.post("/graphql", content=b"{nope", headers=JSON)).status_code == 400
        both = await asyncio.gather(gw.post(WORKLOGS), gw.post(WORKLOGS))
        assert sorted(r.status_code for r in both) == [200, 503]
        text = await scrape(gw)
    assert by(series(text, "teamgraph_operations_total"), "operation", "outcome") == {
        ("TempoTeams", "ok"): 1,
        ("(anonymous)", "ok"): 1,
        ("(unknown)", "rejected"): 2,  # an invalid document, a body that is not JSON
        ("Worklogs", "ok"): 1,
        ("(unknown)", "shed"): 1,  # turned away before its document was read
    }
    durations = series(text, "teamgraph_operation_duration_seconds_count")
    assert by(durations, "operation", "outcome")[("Worklogs", "ok")] == 1
    # TeamPulse answered after 300 ms at the earliest: the histogram saw that much.
    total = series(text, "teamgraph_operation_duration_seconds_sum", operation="Worklogs")
    (seconds,) = total.values()
    assert seconds >= 0.3
    buckets = series(text, "teamgraph_operation_duration_seconds_bucket", operation="Worklogs")
    assert by(buckets, "le")[("0.25",)] == 0 and by(buckets, "le")[("+Inf",)] == 1
    assert series(text, "teamgraph_operations_shed_total") == {(): 1}
    assert series(text, "teamgraph_operations_in_flight") == {(): 0}


async def test_partial_and_timed_out_operations_have_their_own_outcomes(cast: Cast) -> None:
    async with open_gateway(cast, faults={"teampulse": Faults(down=True)}) as gw:
        partial = await gw.execute(WORKLOGS)
        assert partial["data"]["worklogs"] and partial["errors"]
        text = await scrape(gw)
    assert by(series(text, "teamgraph_operations_total"), "operation", "outcome") == {
        ("Worklogs", "partial"): 1
    }
    upstream = series(text, "teamgraph_upstream_requests_total", service="teampulse")
    assert set(by(upstream, "status")) == {("503",)}

    settings = configured(cast, limits={"request_timeout": 0.2})
    async with open_gateway(
        cast, settings=settings, faults={"hack24": Faults(latency_ms=400)}
    ) as gw:
        assert (await gw.post("query Hack { hack24 { teams { name } } }")).status_code == 504
        text = await scrape(gw)
    assert by(series(text, "teamgraph_operations_total"), "operation", "outcome") == {
        ("Hack", "timeout"): 1
    }


async def test_upstream_calls_are_counted_as_the_upstreams_saw_them(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        assert "errors" not in await gw.execute(TEAMS)
        assert "errors" not in await gw.execute(WORKLOGS)
        text = await scrape(gw)
        calls = list(gw.log.calls)
    found = series(text, "teamgraph_upstream_requests_total")
    assert by(found, "service") == {
        (s,): float(len([c for c in calls if c.service == s])) for s in {c.service for c in calls}
    }
    # Labelled by the API's path template, never by the path as sent.
    assert by(found, "service", "method", "endpoint", "status")[
        ("tempo", "GET", "/teams/{id}/members", "200")
    ] == len([c for c in calls if c.service == "tempo" and c.path.endswith("/members")])
    for labels in found:
        values = dict(labels)
        assert values["endpoint"] in TEMPLATES[values["service"]], values
    timed = by(series(text, "teamgraph_upstream_request_duration_seconds_count"), "service")
    assert timed == by(found, "service")


async def test_upstream_durations_fall_in_their_buckets(cast: Cast) -> None:
    # Every hack24 answer takes at least 60 ms: none below the 0.05 s bucket, all by 10 s.
    async with open_gateway(cast, faults={"hack24": Faults(latency_ms=60)}) as gw:
        assert "errors" not in await gw.execute("{ hack24 { teams { name } users { name } } }")
        text = await scrape(gw)
        made = len(gw.log.of("hack24"))
    name = "teamgraph_upstream_request_duration_seconds"
    buckets = by(series(text, f"{name}_bucket", service="hack24"), "le")
    assert made == 2 and buckets[("+Inf",)] == made
    assert buckets[("0.05",)] == 0 and buckets[("10.0",)] == made
    bounds = sorted(buckets, key=lambda le: float(le[0]))
    assert [buckets[b] for b in bounds] == sorted(buckets.values())  # cumulative
    assert by(series(text, f"{name}_count", service="hack24"), "service") == {("hack24",): made}
    total = by(series(text, f"{name}_sum", service="hack24"), "service")[("hack24",)]
    assert 0.06 * made <= total < 10 * made


async def test_endpoint_labels_stay_bounded_however_many_ids_are_asked_for(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        for i in range(1, 13):
            await gw.execute(f"{{ tempo {{ team(id: {i}) {{ name }} }} }}")
            await gw.execute(f'{{ oncall {{ team(name: "team-{i}") {{ name }} }} }}')
        text = await scrape(gw)
    assert len(gw.log.calls) == 24  # every id was asked for...
    found = series(text, "teamgraph_upstream_requests_total")
    assert by(found, "service", "endpoint", "status") == {  # ...and two endpoints counted
        ("tempo", "/teams/{id}", "200"): 4,
        ("tempo", "/teams/{id}", "404"): 8,
        ("oncall", "/teams/{team}", "404"): 12,
    }


async def test_operation_names_are_capped(cast: Cast) -> None:
    settings = with_telemetry(configured(cast), max_operation_names=2)
    async with open_gateway(cast, settings=settings) as gw:
        for name in ("A", "B", "C", "D", "A"):
            await gw.execute(f"query {name} {{ tempo {{ roles {{ name }} }} }}")
        text = await scrape(gw)
    names = by(series(text, "teamgraph_operations_total"), "operation")
    assert names == {("A",): 2, ("B",): 1, ("(other)",): 2}


async def test_cache_lookups_by_result(cast: Cast) -> None:
    # Whole answers not kept, so the repeat runs and looks its upstream answer up.
    cache = configured(cast).cache.model_copy(update={"enabled": True, "answers": False})
    settings = configured(cast).model_copy(update={"cache": cache})
    async with open_gateway(cast, settings=settings) as gw:
        await gw.execute(TEMPO_TEAMS)
        await gw.execute(TEMPO_TEAMS)
        text = await scrape(gw)
    assert gw.log.count("tempo") == 1
    lookups = series(text, "teamgraph_cache_lookups_total", service="tempo")
    assert by(lookups, "result") == {("miss",): 1, ("hit",): 1}


async def test_circuit_state_and_transitions(cast: Cast) -> None:
    settings = configured(cast, teampulse={"circuit_failures": 2, "retries": 0})
    fault = FaultTransport(cast)
    fault.on("", first(2, lambda r: httpx.Response(503)))
    async with open_gateway(cast, settings=settings, transports={"teampulse": fault}) as gw:
        closed = await scrape(gw)
        for _ in range(2):
            await gw.execute(WORKLOGS)
        opened = await scrape(gw)

    def states(text: str) -> Mapping[tuple[str, ...], float]:
        return by(series(text, "teamgraph_circuit_state", state="open"), "service")

    assert states(closed) == {(s,): 0 for s in ("tempo", "oncall", "teamoclock", "teampulse",
                                                 "hack24")}  # fmt: skip
    assert states(opened)[("teampulse",)] == 1 and states(opened)[("tempo",)] == 0
    transitions = series(opened, "teamgraph_circuit_transitions_total")
    assert transitions == {(("service", "teampulse"), ("state", "open")): 1}


async def test_each_app_has_its_own_registry(cast: Cast) -> None:
    async with open_gateway(cast) as one, open_gateway(cast) as two:
        await one.execute(TEMPO_TEAMS)
        first_text, second_text = await scrape(one), await scrape(two)
    assert series(first_text, "teamgraph_operations_total") != {}
    assert series(second_text, "teamgraph_operations_total") == {}


async def test_metrics_can_move_or_be_turned_off(cast: Cast) -> None:
    moved = with_telemetry(configured(cast), metrics_path="/internal/metrics")
    async with open_gateway(cast, settings=moved) as gw:
        assert "teamgraph_operations_total" in await scrape(gw, "/internal/metrics")
        assert (await gw.http.get("/metrics")).status_code == 404
    off = with_telemetry(configured(cast), metrics=False)
    async with open_gateway(cast, settings=off) as gw:
        assert "errors" not in await gw.execute(TEMPO_TEAMS)
        assert (await gw.http.get("/metrics")).status_code == 404


async def test_openmetrics_scrapers_get_exemplars_linking_to_traces(cast: Cast) -> None:
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    spans = InMemorySpanExporter()
    async with open_gateway(cast, span_exporter=spans) as gw:
        await gw.execute(TEMPO_TEAMS)
        response = await gw.http.get(
            "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
        )
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    (server,) = [s for s in spans.get_finished_spans() if s.name == "query TempoTeams"]
    assert server.context is not None
    assert f'trace_id="{server.context.trace_id:032x}"' in response.text


def test_telemetry_config_is_checked() -> None:
    with pytest.raises(ConfigError) as taken:
        parse_settings({"telemetry": {"metrics_path": "/graphql"}}, env={})
    assert "telemetry.metrics_path" in str(taken.value) and "is taken" in str(taken.value)
    with pytest.raises(ConfigError) as typo:
        parse_settings({"telemetry": {"otlp_endpont": "http://localhost:4318"}}, env={})
    assert "did you mean 'otlp_endpoint'?" in str(typo.value)


async def test_a_real_scrape_counts_an_operation_its_client_abandoned(cast: Cast) -> None:
    watched = Watched(cast)  # oncall's /events hangs until cancelled
    others = FaultTransport(cast)
    app = create_app(configured(cast, oncall={"timeout": 60}),
                     transport_for=lambda s: watched if s == "oncall" else others)  # fmt: skip
    port = free_port()
    async with serving(app, port) as url:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        body = b'{"query": "query Now { teams { name oncallNow { role } } }"}'
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        await writer.drain()
        await asyncio.sleep(0.3)  # the operation is now waiting on the hung upstream
        writer.close()
        await asyncio.wait_for(watched.cancelled.wait(), timeout=5)
        async with httpx.AsyncClient(base_url=url, timeout=5) as http:
            for _ in range(50):  # the endpoint records the operation as it unwinds
                text = (await http.get("/metrics")).text
                if series(text, "teamgraph_operations_total"):
                    break
                await asyncio.sleep(0.02)
    assert by(series(text, "teamgraph_operations_total"), "operation", "outcome") == {
        ("Now", "cancelled"): 1
    }
    upstream = series(text, "teamgraph_upstream_requests_total", service="oncall")
    assert by(upstream, "endpoint", "status")[("/events", "cancelled")] == 1
