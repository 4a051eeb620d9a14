"""When things go wrong: a service down, slow, answering garbage, or not configured; bad
queries and variables; unexpected exceptions. The rest of the response always stands."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gateway.emulators import create_emulator_app
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.settings import demo_settings
from tests.harness import open_gateway
from tests.schema.test_team_overview import TEAM_OVERVIEW, by_key, week


def errors_of(result: dict[str, Any], service: str) -> list[dict[str, Any]]:
    return [
        e for e in result.get("errors", []) if e.get("extensions", {}).get("service") == service
    ]


async def test_oncall_down_leaves_the_rest_of_team_overview_intact(cast: Cast) -> None:
    async with open_gateway(cast, faults={"oncall": Faults(down=True)}) as gw:
        response = await gw.post(TEAM_OVERVIEW, week())
    assert response.status_code == 200
    result = response.json()
    platform = by_key(result["data"]["teams"], "platform")
    # Tempo memberships and Team O'clock meetings still arrive...
    assert len(platform["memberships"]) == 6
    assert platform["memberships"][0]["user"] is not None
    assert sorted(m["kind"] for m in platform["meetings"]) == ["RETROSPECTIVE", "STANDUP"]
    # ...the oncall fields are null, each with an error naming oncall.
    assert platform["rosters"] is None and platform["oncallNow"] is None
    oncall_errors = errors_of(result, "oncall")
    assert oncall_errors
    assert {e["extensions"]["code"] for e in oncall_errors} == {"UPSTREAM_UNAVAILABLE"}
    assert any(e.get("path", [None])[-1] == "rosters" for e in oncall_errors)
    assert all(e["message"].startswith("oncall: ") for e in oncall_errors)


async def test_a_slow_service_times_out_alone(cast: Cast) -> None:
    settings = demo_settings(cast)
    slow = settings.backends.teamoclock.model_copy(update={"timeout": 0.05})  # type: ignore[union-attr]
    settings = settings.model_copy(
        update={"backends": settings.backends.model_copy(update={"teamoclock": slow})}
    )
    faults = {"teamoclock": Faults(latency_ms=400)}
    async with open_gateway(cast, faults=faults, settings=settings) as gw:
        result = await gw.execute(
            '{ team(key: "platform") { name rosters { name } meetings { kind } } }'
        )
    team = result["data"]["team"]
    assert team["rosters"] and team["meetings"] is None
    (error,) = [e for e in errors_of(result, "teamoclock") if e.get("path")]
    assert error["extensions"]["code"] == "UPSTREAM_TIMEOUT"
    assert "timed out after 0.05s" in error["message"]


async def test_garbage_from_upstream_is_a_clear_error(cast: Cast) -> None:
    def html(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, text="<html>Maintenance</html>", headers={"content-type": "text/html"}
        )

    transports = {"teampulse": httpx.MockTransport(html)}
    async with open_gateway(cast, transports=transports) as gw:
        result = await gw.execute(
            'query($f: Date!, $t: Date!) { user(key: "bob") { name '
            "worklogs(from: $f, to: $t, service: TEAMPULSE) { date } } }",
            {"f": week()["from"], "t": week()["to"]},
        )
    assert result["data"]["user"]["name"] == "Bob Okafor"
    assert result["data"]["user"]["worklogs"] is None
    (error,) = [e for e in errors_of(result, "teampulse") if e.get("path")]
    assert error["extensions"]["code"] == "UPSTREAM_BAD_RESPONSE"
    assert "not JSON" in error["message"]


async def test_a_wrong_shape_is_reported_not_mirrored(cast: Cast) -> None:
    def wrong(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"unexpected": True}})

    async with open_gateway(cast, transports={"hack24": httpx.MockTransport(wrong)}) as gw:
        result = await gw.execute(
            '{ team(key: "platform") { name memberships(service: HACK24) { role } } }'
        )
    # Identity still works from the other services; the Hack24 field fails alone.
    assert result["data"]["team"]["name"] == "Platform"
    assert result["data"]["team"]["memberships"] is None
    codes = {e["extensions"]["code"] for e in errors_of(result, "hack24")}
    assert codes == {"UPSTREAM_BAD_RESPONSE"}


class Rewrites(httpx.AsyncBaseTransport):
    """The emulators, with the JSON answer to `path` changed by `change` on the way back."""

    def __init__(self, cast: Cast, path: str, change: Callable[[Any], None]) -> None:
        self.inner = httpx.ASGITransport(app=create_emulator_app(cast))
        self.path, self.change = path, change

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path != self.path:
            return response
        body = json.loads(await response.aread())
        self.change(body)
        return httpx.Response(response.status_code, json=body)


async def test_a_wrong_shape_in_a_part_fails_only_the_fields_that_read_it(cast: Cast) -> None:
    # oncall's team answer carries every member's details; they are validated when first
    # read (resolvers/backends/deferred.py), so a broken one fails the fields reading them.
    def break_a_member(body: Any) -> None:
        body["users"]["alice"]["contacts"] = "alice@example.com"  # an object on the wire

    transports = {"oncall": Rewrites(cast, "/oncall/api/v0/teams/platform", break_a_member)}
    async with open_gateway(cast, transports=transports) as gw:
        result = await gw.execute(
            '{ oncall { team(name: "platform") { name rosters { name users { inRotation } } } } '
            'members: oncall { team(name: "platform") { users { name } } } '
            'team(key: "platform") { rosters { name } memberships(service: ONCALL) { role } } }'
        )
    data = result["data"]
    assert data["oncall"]["team"]["name"] == "platform"
    assert [r["name"] for r in data["oncall"]["team"]["rosters"]] == ["platform-rotation"]
    assert data["team"]["rosters"] == [{"name": "platform-rotation"}]
    assert data["members"]["team"]["users"] is None
    assert data["team"]["memberships"] is None
    errors = errors_of(result, "oncall")
    assert sorted(e["path"] for e in errors) == [
        ["members", "team", "users"],
        ["team", "memberships"],
    ]
    for error in errors:
        assert error["extensions"] == {"code": "UPSTREAM_BAD_RESPONSE", "service": "oncall"}
        assert error["message"].startswith(
            "oncall: GET /oncall/api/v0/teams/platform answered a payload that does not match "
            "its documented shape (1 problem(s); first at users.alice.contacts: "
        )


async def test_an_unconfigured_service_says_how_to_configure_it(cast: Cast) -> None:
    async with open_gateway(cast, only=["tempo", "oncall", "teamoclock", "teampulse"]) as gw:
        result = await gw.execute(
            '{ team(key: "platform") { name memberships(service: HACK24) { role } } }'
        )
    assert result["data"]["team"]["name"] == "Platform"
    assert result["data"]["team"]["memberships"] is None
    (error,) = errors_of(result, "hack24")
    assert error["extensions"]["code"] == "SERVICE_NOT_CONFIGURED"
    assert "[backends.hack24]" in error["message"]


class BreaksOn(httpx.AsyncBaseTransport):
    """The emulators, except that requests to `path_prefix` raise a bug-like exception."""

    def __init__(self, cast: Cast, path_prefix: str) -> None:
        self.inner = httpx.ASGITransport(app=create_emulator_app(cast))
        self.path_prefix = path_prefix

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith(self.path_prefix):
            raise RuntimeError("secret internals: db password is hunter2")
        return await self.inner.handle_async_request(request)


async def test_unexpected_exceptions_are_masked(cast: Cast) -> None:
    # oncall team detail is read only by `rosters`: the bug fails that field alone.
    transports = {"oncall": BreaksOn(cast, "/oncall/api/v0/teams/platform")}
    async with open_gateway(cast, transports=transports) as gw:
        result = await gw.execute('{ team(key: "platform") { name rosters { name } } }')
    assert result["data"]["team"] == {"name": "Platform", "rosters": None}
    assert "hunter2" not in str(result)
    (error,) = result["errors"]
    assert error["message"] == "Unexpected error." and error["path"] == ["team", "rosters"]


async def test_a_bug_while_linking_identity_fails_only_that_service(cast: Cast) -> None:
    transports = {"teamoclock": BreaksOn(cast, "/teamoclock/api/v2/members")}
    async with open_gateway(cast, transports=transports) as gw:
        result = await gw.execute('{ team(key: "platform") { name meetings { kind } } }')
    assert result["data"]["team"] == {"name": "Platform", "meetings": None}
    assert "hunter2" not in str(result)
    codes = {(e["extensions"]["code"], e["extensions"]["service"]) for e in result["errors"]}
    assert codes == {("INTERNAL_ERROR", "teamoclock")}


async def test_a_malformed_query_gets_a_clear_message(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        syntax = (await gw.post("{ teams { name ")).json()
        unknown = (await gw.post("{ teams { nmae } }")).json()
    assert "Syntax Error" in syntax["errors"][0]["message"]
    assert "Cannot query field 'nmae' on type 'Team'" in unknown["errors"][0]["message"]
    assert "Did you mean 'name'" in unknown["errors"][0]["message"]


async def test_bad_variables_get_a_clear_message(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = (await gw.post(TEAM_OVERVIEW, {"from": "last tuesday", "to": "2026-11-23"})).json()
        missing = (await gw.post(TEAM_OVERVIEW, {"to": "2026-11-23"})).json()
    assert result.get("data") is None
    assert "$from" in result["errors"][0]["message"]
    assert "last tuesday" in result["errors"][0]["message"]
    assert "$from" in missing["errors"][0]["message"]


async def test_a_reversed_range_is_the_callers_error(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(
            '{ user(key: "bob") { name worklogs(from: "2026-11-23", to: "2026-11-01") { date } } }'
        )
    assert result["data"]["user"]["name"] == "Bob Okafor"
    (error,) = result["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "swap them" in error["message"]
    assert not [c for c in gw.log.calls if c.path in ("/worklogs", "/timeentries")]


async def test_upstream_failures_log_one_line_and_bugs_a_traceback(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    transports = {"oncall": BreaksOn(cast, "/oncall/api/v0/teams/platform")}
    down = {"hack24": Faults(down=True)}
    query = '{ team(key: "platform") { rosters { name } memberships(service: HACK24) { role } } }'
    async with open_gateway(cast, transports=transports, faults=down) as gw:
        with caplog.at_level(logging.WARNING):
            await gw.execute(query)
    outage = [r for r in caplog.records if r.name == "teamgraph.upstream"]
    assert outage and all(r.levelno == logging.WARNING and not r.exc_info for r in outage)
    assert [r.getMessage().split(":")[0] for r in outage] == ["hack24"]  # one line a service
    bugs = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(bugs) == 1 and bugs[0].name == "teamgraph.errors"
    assert bugs[0].exc_info and "hunter2" in str(bugs[0].exc_info[1])
