"""One request never stalls the others: every operation is measured before it runs, and
bounded while it runs (upstream call budget, whole-request deadline)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from gateway.emulators import create_emulator_app
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from tests.harness import configured, open_gateway
from tests.schema.test_team_overview import TEAM_OVERVIEW, week


def fan_out(levels: int = 7, spreads: int = 10) -> str:
    """The 635-byte document that used to run for a minute: 10**7 fields once expanded."""
    fragments = "".join(
        f"fragment Y{i} on Team {{ {' '.join([f'...Y{i + 1}'] * spreads)} }}\n"
        for i in range(levels)
    )
    return "{ teams { ...Y0 } }\n" + fragments + f"fragment Y{levels} on Team {{ name }}"


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    assert "data" not in body or body["data"] is None, body
    (error,) = body["errors"]
    found: dict[str, Any] = error
    return found


@pytest.mark.parametrize(
    ("query", "setting", "measured"),
    [
        (fan_out(), "limits.max_cost", 10**8 + 1),
        ("{ " + " ".join(f"a{i}: teams {{ name }}" for i in range(31)) + " }",
         "limits.max_aliases", 31),
        ("{ teams { members { teams { members { teams { members { teams { name } } } } } } } }",
         "limits.max_cost", None),
        ("{ teams { name " + "@include(if: true) " * 51 + "} }", "limits.max_directives", 51),
        ("{ " + "teams { name } " * 3000 + "}", "limits.max_tokens", 5001),
    ],
    ids=["fragment-fan-out", "aliases", "nested-lists", "directives", "tokens"],
)  # fmt: skip
async def test_an_operation_past_a_limit_is_rejected_before_any_upstream_call(
    cast: Cast, query: str, setting: str, measured: int | None
) -> None:
    async with open_gateway(cast) as gw:
        response = await gw.post(query)
    assert response.status_code == 200
    error = only_error(response.json())
    ext = error["extensions"]
    assert ext["code"] == "OPERATION_TOO_COMPLEX"
    assert ext["setting"] == setting
    assert ext["measured"] > ext["limit"]
    if measured is not None:
        assert ext["measured"] == measured
    assert (
        f"above the limit of {ext['limit']}" in error["message"] or "more than" in error["message"]
    )
    assert gw.log.calls == []  # rejected before anything reached an upstream


async def test_depth_counts_fields_through_fragments(cast: Cast) -> None:
    deep = (
        "{ teams { ...A } } fragment A on Team { members { ...B } } "
        + "".join(
            f"fragment {a} on User {{ teams {{ members {{ ...{b} }} }} }} "
            for a, b in (("B", "C"), ("C", "D"), ("D", "E"), ("E", "F"), ("F", "G"))
        )
        + "fragment G on User { name }"
    )
    async with open_gateway(cast) as gw:
        error = only_error((await gw.post(deep)).json())
    assert error["extensions"]["setting"] in ("limits.max_depth", "limits.max_cost")
    assert gw.log.calls == []


async def test_a_thousand_fragment_chain_is_a_clean_limit_error(cast: Cast) -> None:
    chain = "".join(f"fragment F{i} on Team {{ ...F{i + 1} }}\n" for i in range(1000))
    query = "{ teams { ...F0 } }\n" + chain + "fragment F1000 on Team { name }"
    async with open_gateway(cast) as gw:
        error = only_error((await gw.post(query)).json())
    assert error["extensions"]["code"] == "OPERATION_TOO_COMPLEX"
    assert "recursion" not in error["message"]


async def test_a_fragment_cycle_is_named(cast: Cast) -> None:
    query = "{ teams { ...A } } fragment A on Team { ...B } fragment B on Team { ...A name }"
    async with open_gateway(cast) as gw:
        error = only_error((await gw.post(query)).json())
    assert "spreads itself" in error["message"]


async def test_every_limit_is_configurable(cast: Cast) -> None:
    settings = configured(cast, limits={"max_aliases": 1, "max_depth": 2})
    async with open_gateway(cast, settings=settings) as gw:
        aliases = only_error((await gw.post("{ a: teams { name } b: teams { name } }")).json())
        depth = only_error((await gw.post("{ teams { members { name } } }")).json())
        fine = await gw.execute("{ a: teams { name } }")
    assert aliases["extensions"]["limit"] == 1 and aliases["extensions"]["measured"] == 2
    assert depth["extensions"]["setting"] == "limits.max_depth"
    assert "errors" not in fine


async def test_the_analysis_is_cached_per_document(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        endpoint = gw.app_endpoint()
        first = endpoint.operations.prepare(TEAM_OVERVIEW, None)
        again = endpoint.operations.prepare(TEAM_OVERVIEW, None)
        rejected = endpoint.operations.prepare(fan_out(), None)
    assert again is first and first.analysis is not None
    assert endpoint.operations.prepare(fan_out(), None) is rejected


async def test_cost_is_reported_on_request_with_actual_upstream_calls(cast: Cast) -> None:
    async with open_gateway(cast, settings=configured(cast, directory_ttl=0)) as gw:
        response = await gw.http.post(
            "/graphql",
            json={"query": TEAM_OVERVIEW, "variables": week()},
            headers={"X-Teamgraph-Cost": "1"},
        )
        plain = await gw.execute(TEAM_OVERVIEW, week())
    cost = response.json()["extensions"]["cost"]
    assert cost["upstreamCalls"] == len(gw.log.calls) // 2  # two identical requests
    assert cost["upstreamCallsByService"]["tempo"] == len(cast.teams) + 2
    assert cost["estimatedUpstreamCalls"] >= cost["upstreamCalls"]
    assert cost["fields"] > 0 and cost["depth"] == 5
    assert "extensions" not in plain


async def test_the_upstream_call_budget_fails_fields_and_keeps_the_rest(cast: Cast) -> None:
    # TeamOverview needs 26 calls at scale 1; with 15 the first ones run, later ones fail.
    settings = configured(cast, limits={"max_upstream_calls": 15})
    async with open_gateway(cast, settings=settings) as gw:
        result = await gw.execute(TEAM_OVERVIEW, week())
    assert len(gw.log.calls) == 15
    codes = {e["extensions"]["code"] for e in result["errors"]}
    assert "UPSTREAM_BUDGET_EXCEEDED" in codes
    assert result["data"] is not None and result["data"]["teams"]
    budget = next(
        e for e in result["errors"] if e["extensions"]["code"] == "UPSTREAM_BUDGET_EXCEEDED"
    )
    assert budget["extensions"]["limit"] == 15 and "limits.max_upstream_calls" in budget["message"]


async def test_the_per_service_budget_fails_only_that_service(cast: Cast) -> None:
    settings = configured(cast, limits={"max_upstream_calls_per_service": 3})
    async with open_gateway(cast, settings=settings) as gw:
        result = await gw.execute(TEAM_OVERVIEW, week())
    assert max(gw.log.count(s) for s in ("tempo", "oncall", "teamoclock")) == 3
    over = {e["extensions"]["service"] for e in result["errors"]
            if e["extensions"]["code"] == "UPSTREAM_BUDGET_EXCEEDED"}  # fmt: skip
    assert over and over <= {"tempo", "oncall", "teamoclock"}  # the ones with per-team calls


class Hangs(httpx.AsyncBaseTransport):
    """The emulators, but every call to one path hangs; notes when it is cancelled."""

    def __init__(self, cast: Cast, path: str) -> None:
        self.inner = httpx.ASGITransport(app=create_emulator_app(cast))
        self.path = path
        self.cancelled = 0
        self.started = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(self.path):
            self.started += 1
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                self.cancelled += 1
                raise
        return await self.inner.handle_async_request(request)


async def test_the_request_deadline_cancels_everything_it_started(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    settings = configured(
        cast, limits={"request_timeout": 2.0}, oncall={"timeout": 60}
    )  # the upstream timeout would wait a minute: the deadline wins
    hang = Hangs(cast, "/events")
    async with open_gateway(cast, settings=settings, transports={"oncall": hang}) as gw:
        response = await gw.post("query Slow { teams { name oncallNow { role } } }")
        await asyncio.sleep(0.05)  # let cancellation land
        assert hang.started == 1 and hang.cancelled == 1
        after = await gw.execute("{ teams { name } }")  # nothing left running blocks this
    assert response.status_code == 504
    error = only_error(response.json())
    assert error["extensions"]["code"] == "GATEWAY_TIMEOUT"
    assert "limits.request_timeout" in error["message"]
    assert "errors" not in after
    # Named by its document, though the request sent no operationName.
    assert "operation Slow cancelled after 2.0s" in caplog.text


async def test_work_shared_by_fields_is_cancelled_with_its_request(cast: Cast) -> None:
    """The linked directory is built once for all fields (shielded from any one field's
    cancellation); the request's deadline still stops it and everything it waits on."""
    settings = configured(cast, limits={"request_timeout": 1.0}, hack24={"timeout": 60})
    hang = Hangs(cast, "/users")  # Hack24's people list, one source of the directory
    async with open_gateway(cast, settings=settings, transports={"hack24": hang}) as gw:
        before = asyncio.all_tasks()
        response = await gw.post("{ users { name } teams { name members { name } } }")
        calls = len(gw.log.calls)
        await asyncio.sleep(0.2)  # time for anything left running to show itself
        left = [t for t in asyncio.all_tasks() - before if t is not asyncio.current_task()]
        assert len(gw.log.calls) == calls
    assert response.status_code == 504
    assert hang.started == 1 and hang.cancelled == 1
    assert left == []


async def test_a_date_out_of_range_is_the_callers_error_once(cast: Cast) -> None:
    queries = [
        '{ events(from: "9999-12-31", to: "9999-12-31") { id } }',
        '{ users { name shifts(from: "9999-12-31", to: "9999-12-31") { id } } }',
        '{ teams { events(from: "0001-01-01", to: "2026-01-01") { id } } }',
    ]
    async with open_gateway(cast) as gw:
        bodies = [(await gw.post(q)).json() for q in queries]
        variable = (
            await gw.post(
                "query($d: Date!) { worklogs(from: $d, to: $d) { id } }", {"d": "9999-12-31"}
            )
        ).json()
    for body, argument in zip(bodies, ["from", "from", "from"], strict=True):
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert f"argument `{argument}`" in error["message"]
        assert "1900-01-01 to 2999-12-31" in error["message"]
        assert "data" not in body
    (error,) = variable["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "$d" in error["message"] and "2999-12-31" in error["message"]
    assert gw.log.calls == []


async def test_slow_upstreams_do_not_hold_other_requests(cast: Cast) -> None:
    """A slow operation holds one admission slot; others run beside it."""
    settings = configured(cast, limits={"max_in_flight": 4})
    faults = {"teampulse": Faults(latency_ms=300)}
    async with open_gateway(cast, settings=settings, faults=faults) as gw:
        slow = asyncio.ensure_future(
            gw.execute(
                '{ worklogs(from: "2026-11-16", to: "2026-11-22", service: TEAMPULSE) { id } }'
            )
        )
        quick = await gw.execute('{ team(key: "platform") { name } }')
        assert not slow.done()
        await slow
    assert quick["data"]["team"]["name"] == "Platform"
