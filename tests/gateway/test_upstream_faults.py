"""An upstream's answer can fail its own fields, nothing else: every failure while reading,
decoding or validating it is that service's error; nothing it says leaks a credential or
floods the response; it is asked again only when that is safe and useful."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

import httpx
import pytest

import gateway.backends
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from resolvers.backends.resilience import CircuitBreaker
from schema.ids import encode_id
from tests.faults import (
    FaultTransport,
    always,
    echo_authorization,
    first,
    gzip_bomb,
    hang,
    not_gzip,
)
from tests.harness import configured, open_gateway

WORKLOGS = '{ worklogs(from: "2026-11-16", to: "2026-11-22") { service id } }'
PATHS = {  # an endpoint of each service that WORKLOGS or TEAMS reaches
    "tempo": "/worklogs",
    "teampulse": "/timeentries",
    "oncall": "/teams",
    "teamoclock": "/members",
    "hack24": "/users",
}


def services_in(result: dict[str, Any]) -> set[str]:
    return {w["service"].lower() for w in result["data"]["worklogs"] or []}


def errors_by_service(result: dict[str, Any]) -> dict[str, str]:
    return {e["extensions"].get("service", "-"): e["extensions"]["code"] for e in result["errors"]}


@pytest.mark.parametrize(
    ("broken", "answer", "code"),
    [
        ("tempo", not_gzip(), "UPSTREAM_BAD_RESPONSE"),
        ("teampulse", not_gzip(), "UPSTREAM_BAD_RESPONSE"),
        ("tempo", always(lambda r: httpx.Response(
            500, content=b'{"errors":' + b"[" * 50_000 + b"]" * 50_000 + b"}")),
         "UPSTREAM_UNAVAILABLE"),
        ("teampulse", always(lambda r: httpx.Response(200, content=b"[" * 50_000 + b"]" * 50_000)),
         "UPSTREAM_BAD_RESPONSE"),
        ("tempo", always(lambda r: httpx.Response(200, json={"results": "not a list"})),
         "UPSTREAM_BAD_RESPONSE"),
    ],
    ids=["tempo-not-gzip", "teampulse-not-gzip", "tempo-500-deep-json", "teampulse-deep-json",
         "tempo-wrong-shape"],
)  # fmt: skip
async def test_a_broken_answer_fails_only_its_service(
    cast: Cast, broken: str, answer: Any, code: str
) -> None:
    fault = FaultTransport(cast)
    fault.on(PATHS[broken], answer)
    async with open_gateway(cast, transports={broken: fault}) as gw:
        result = await gw.execute(WORKLOGS)
    other = ({"tempo", "teampulse"} - {broken}).pop()
    assert services_in(result) == {other}  # the other service's worklogs are all there
    assert errors_by_service(result) == {broken: code}
    assert "Unexpected error." not in str(result)


async def test_credentials_echoed_by_an_upstream_never_reach_the_client_or_the_log(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    transports = {}
    for service, path in PATHS.items():
        fault = FaultTransport(cast)
        fault.on(path, echo_authorization(400))
        transports[service] = fault
    c = cast.credentials
    secrets = [c.tempo_token, c.teamoclock_key, c.teampulse_password, c.hack24_token]
    async with open_gateway(cast, transports=transports) as gw:
        with caplog.at_level(logging.DEBUG):
            response = await gw.post("{ teams { name } users { name } " + WORKLOGS[2:])
    text = response.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "[redacted]" in text
    for secret in secrets:
        assert secret not in text and secret not in logged
    # Basic credentials in their wire form too.
    import base64

    for user, password in ((c.teamoclock_org, c.teamoclock_key),
                           (c.teampulse_username, c.teampulse_password)):  # fmt: skip
        wire = base64.b64encode(f"{user}:{password}".encode()).decode()
        assert wire not in text and wire not in logged
    assert "hmac teamgraph:" not in text  # oncall's signature is an Authorization value too


async def test_a_huge_upstream_error_is_summarised(cast: Cast) -> None:
    fault = FaultTransport(cast)
    fault.on("/timeentries", always(lambda r: httpx.Response(400, json={"x": "y" * 2_000_000})))
    async with open_gateway(cast, transports={"teampulse": fault}) as gw:
        response = await gw.post(WORKLOGS)
    assert len(response.content) < 5000
    assert errors_by_service(response.json()) == {"teampulse": "UPSTREAM_BAD_REQUEST"}


async def test_an_answer_past_the_size_cap_is_a_bad_response(cast: Cast) -> None:
    settings = configured(cast, teampulse={"max_response_bytes": 10_000})
    fault = FaultTransport(cast)
    fault.on("/timeentries", gzip_bomb(5_000_000))  # 5 MB inflated from a few KB
    async with open_gateway(cast, settings=settings, transports={"teampulse": fault}) as gw:
        result = await gw.execute(WORKLOGS)
    (error,) = result["errors"]
    assert error["extensions"] == {"code": "UPSTREAM_BAD_RESPONSE", "service": "teampulse"}
    assert "max_response_bytes" in error["message"]
    assert services_in(result) == {"tempo"}


async def test_429_is_respected_until_retry_after(cast: Cast) -> None:
    fault = FaultTransport(cast)
    rule = fault.on(
        "/timeentries", always(lambda r: httpx.Response(429, headers={"Retry-After": "30"}))
    )
    async with open_gateway(cast, transports={"teampulse": fault}) as gw:
        first_try = await gw.execute(WORKLOGS)
        second_try = await gw.execute(WORKLOGS)
    for result in (first_try, second_try):
        (error,) = result["errors"]
        assert error["extensions"]["code"] == "UPSTREAM_RATE_LIMITED"
        assert 1 <= error["extensions"]["retryAfter"] <= 30
        assert services_in(result) == {"tempo"}
    assert rule.seen == 1  # the second request did not call TeamPulse again


async def test_a_hung_service_costs_one_timeout(cast: Cast) -> None:
    settings = configured(cast, tempo={"timeout": 0.3})
    fault = FaultTransport(cast)
    teams = fault.on("/teams", hang())
    worklogs = fault.on("/worklogs", hang())
    async with open_gateway(cast, settings=settings, transports={"tempo": fault}) as gw:
        result = await gw.execute("{ teams { name } " + WORKLOGS[2:])
    # Identity asked Tempo for its teams first; that timed out, so nothing else was sent.
    assert teams.seen == 1 and worklogs.seen == 0
    codes = {e["extensions"]["code"] for e in result["errors"]}
    assert codes == {"UPSTREAM_TIMEOUT"}
    assert result["data"]["teams"]  # the other services' teams stand


async def test_the_circuit_opens_fails_fast_and_a_probe_closes_it(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = 0.0  # the breakers' clock, in the test's hands: no window a slow machine outlasts
    monkeypatch.setattr(
        gateway.backends, "CircuitBreaker", partial(CircuitBreaker, clock=lambda: now)
    )
    settings = configured(
        cast, teampulse={"circuit_failures": 2, "circuit_open_seconds": 30, "retries": 0}
    )
    fault = FaultTransport(cast)
    # Every TeamPulse endpoint fails three times: the service is down, then back. (Within a
    # request a failed service is not asked again, so each request makes one call.)
    rule = fault.on("", first(3, lambda r: httpx.Response(503)))
    async with open_gateway(cast, settings=settings, transports={"teampulse": fault}) as gw:
        failing = [await gw.execute(WORKLOGS) for _ in range(2)]
        assert rule.seen == 2
        now = 29.0
        fast = await gw.execute(WORKLOGS)
        assert rule.seen == 2  # open: failed fast without calling
        now = 30.0
        probe_fails = await gw.execute(WORKLOGS)  # half-open: one probe, it fails, reopens
        assert rule.seen == 3
        now = 60.0
        recovered = await gw.execute(WORKLOGS)  # the next probe succeeds and closes it
        again = await gw.execute(WORKLOGS)
    for result in (*failing, probe_fails):
        assert errors_by_service(result) == {"teampulse": "UPSTREAM_UNAVAILABLE"}
    (error,) = fast["errors"]
    assert error["extensions"]["circuit"] == "open" and error["extensions"]["retryAfter"] == 1
    assert "circuit is open" in error["message"]
    assert services_in(recovered) == services_in(again) == {"tempo", "teampulse"}


async def test_idempotent_reads_are_retried_with_jitter(cast: Cast) -> None:
    fault = FaultTransport(cast)
    rule = fault.on("/timeentries", first(2, lambda r: httpx.Response(503)))
    async with open_gateway(cast, transports={"teampulse": fault}) as gw:
        result = await gw.execute(WORKLOGS, trace=True)
    assert "errors" not in result and services_in(result) == {"tempo", "teampulse"}
    assert rule.seen == 3
    (call,) = [c for c in result["extensions"]["upstream"] if "/timeentries" in c["path"]]
    assert call["attempts"] == 3 and call["status"] == 200


async def test_a_stale_pooled_connection_is_retried_at_once(cast: Cast) -> None:
    fault = FaultTransport(cast)
    stale = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    rule = fault.on("/timeentries", first(1, stale))
    settings = configured(cast, teampulse={"retries": 0})  # the stale retry is not a "retry"
    async with open_gateway(cast, settings=settings, transports={"teampulse": fault}) as gw:
        result = await gw.execute(WORKLOGS)
    assert "errors" not in result and rule.seen == 2


async def test_every_upstream_failure_logs_one_warning_per_request_and_service(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    down = {s: Faults(down=True) for s in ("teampulse", "hack24")}
    async with open_gateway(cast, faults=down) as gw:
        with caplog.at_level(logging.DEBUG, logger="teamgraph"):
            await gw.execute("{ teams { name } users { name } " + WORKLOGS[2:])
            await gw.execute("{ users { name } }")
    lines = [r for r in caplog.records if r.name == "teamgraph.upstream"]
    assert all(r.levelno == logging.WARNING and not r.exc_info for r in lines)
    assert sorted(r.getMessage().split(":")[0] for r in lines) == [
        "hack24", "hack24", "teampulse", "teampulse",
    ]  # fmt: skip


async def test_the_trace_lists_calls_that_got_no_answer(cast: Cast) -> None:
    fault = FaultTransport(cast)
    fault.on("/worklogs", hang())
    refused = FaultTransport(cast)
    refused.on("/timeentries", first(99, httpx.ConnectError("connection refused")))
    settings = configured(cast, tempo={"timeout": 0.3}, teampulse={"retries": 0})
    transports = {"tempo": fault, "teampulse": refused}
    async with open_gateway(cast, settings=settings, transports=transports) as gw:
        result = await gw.execute(WORKLOGS, trace=True)
    traced = {(c["service"], c["path"].split("?")[0].rsplit("/", 1)[-1]): c
              for c in result["extensions"]["upstream"]}  # fmt: skip
    assert traced["tempo", "worklogs"]["status"] is None  # timed out
    assert traced["teampulse", "timeentries"]["status"] is None  # refused
    assert errors_by_service(result) == {
        "tempo": "UPSTREAM_TIMEOUT",
        "teampulse": "UPSTREAM_UNAVAILABLE",
    }


@pytest.mark.parametrize("node_last", [False, True])
async def test_a_call_made_straight_from_a_resolver_times_out_alone(
    cast: Cast, node_last: bool
) -> None:
    # `node` asks oncall for the event itself (no loader): the compiled executor starts that
    # resolver in the operation's own task, and continues it once it waits: in a task of its
    # own beside `teams`, or, the last of the fields that wait, in the operation's task
    # itself (completion.join). Either way the timeout must end that call, not the operation.
    settings = configured(cast, oncall={"timeout": 0.3})
    fault = FaultTransport(cast)
    event = fault.on("/events/1", hang())
    node = f'node(id: "{encode_id("Event", "1")}") {{ id }}'
    fields = f"teams {{ name }} {node}" if node_last else f"{node} teams {{ name }}"
    async with open_gateway(cast, settings=settings, transports={"oncall": fault}) as gw:
        result = await gw.execute(f"{{ {fields} }}")
    assert event.seen == 1
    assert [e["extensions"]["code"] for e in result["errors"]] == ["UPSTREAM_TIMEOUT"]
    assert result["errors"][0]["path"] == ["node"]
    assert result["data"]["node"] is None and result["data"]["teams"]
