"""oncall events, services and the catalogue through GraphQL over the ASGI app; orders that do
not depend on oncall's; failures that stay in their fields; every description present."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from graphql import GraphQLEnumType, GraphQLObjectType

from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from gateway.emulators.faults import Faults
from schema import schema
from tests.conftest import NOW
from tests.faults import FaultTransport, always
from tests.harness import Gateway, open_gateway

NOW_TEXT = "2026-11-23T10:30:00Z"


def oncall_calls(gw: Gateway) -> list[str]:
    return sorted(f"{c.method} {c.path}" for c in gw.log.of("oncall"))


async def run(cast: Cast, query: str, **kw: Any) -> tuple[dict[str, Any], Gateway]:
    async with open_gateway(cast, **kw) as gw:
        result = await gw.execute(query)
    assert "errors" not in result, result["errors"]
    data: dict[str, Any] = result["data"]
    return data, gw


# -- events -----------------------------------------------------------------------------------


async def test_events_are_filtered_upstream_and_ordered_by_start(cast: Cast) -> None:
    data, gw = await run(cast, """{ oncall {
        events(team: "platform", startAfter: "2026-11-23T00:00:00Z", endBefore: "2026-12-14T00:00:00Z") {
          id start end role fullName scheduleId linkId note user { name } team { name } }
        one: event(id: 5) { id role user { name } schedule { id role roster } }
        none: event(id: 99999) { id } } }""")  # fmt: skip  # noqa: E501
    found = data["oncall"]["events"]
    assert [(e["id"], e["role"], e["user"]["name"]) for e in found] == [
        (5, "primary", "bob"), (6, "secondary", "carmen"), (7, "primary", "carmen"),
        (8, "secondary", "dmitri.k"), (9, "primary", "dmitri.k"), (10, "secondary", "farid"),
    ]  # fmt: skip
    assert found[0] == {
        "id": 5, "start": "2026-11-23T00:00:00+00:00", "end": "2026-11-30T00:00:00+00:00",
        "role": "primary", "fullName": "Bob Okafor", "scheduleId": 1, "linkId": None,
        "note": None, "user": {"name": "bob"}, "team": {"name": "platform"},
    }  # fmt: skip
    assert data["oncall"]["one"] == {
        "id": 5, "role": "primary", "user": {"name": "bob"},
        "schedule": {"id": 1, "role": "primary", "roster": "platform-rotation"},
    }  # fmt: skip
    assert data["oncall"]["none"] is None
    (events,) = [c for c in gw.log.of("oncall") if c.path == "/events"]
    assert dict(events.params) == {"team": "platform", "start__ge": "1795392000",
                                   "end__le": "1797206400"}  # fmt: skip


async def test_a_window_of_events_shares_the_unified_fields_call(cast: Cast) -> None:
    data, gw = await run(cast, f"""{{
        teams {{ oncallNow {{ role }} }}
        oncall {{ events(startBefore: "{NOW_TEXT}", endAfter: "{NOW_TEXT}") {{ id team {{ name }} }} }} }}""")  # fmt: skip  # noqa: E501
    assert len(data["oncall"]["events"]) == 8  # a primary and a secondary in each of 4 teams
    assert oncall_calls(gw).count("GET /events") == 1


async def test_event_and_event_oncall_link_both_ways(cast: Cast) -> None:
    data, _ = await run(cast, """{
        team(key: "platform") { oncallNow { id oncall { id scheduleId schedule { role } } } }
        oncall { event(id: 5) { shift { id role user { key } team { key } } } } }""")  # fmt: skip
    for shift in data["team"]["oncallNow"]:
        assert shift["oncall"]["schedule"]["role"] in {"primary", "secondary"}
    linked = data["oncall"]["event"]["shift"]
    assert linked["id"] in {s["id"] for s in data["team"]["oncallNow"]}
    assert linked | {"id": None} == {
        "id": None, "role": "primary", "user": {"key": "bob"}, "team": {"key": "platform"},
    }  # fmt: skip


async def test_schedules_of_many_events_cost_one_call_per_schedule() -> None:
    cast = build_cast(scale=3, now=NOW)
    data, gw = await run(cast, "{ oncall { events { id schedule { id team { name } } } } }")
    events = data["oncall"]["events"]
    schedules = {e["schedule"]["id"] for e in events}
    assert len(events) > len(schedules) > 10
    assert oncall_calls(gw) == sorted(["GET /events"] + [f"GET /schedules/{i}" for i in schedules])


# -- services ---------------------------------------------------------------------------------


async def test_a_service_its_teams_and_who_is_on_call(cast: Cast) -> None:
    data, _ = await run(cast, """{ oncall {
        service(name: "api-gateway") { name id teams { name team { key } }
          oncallNow(role: "primary") { user { name } team { name } fullName start } }
        unknown: service(name: "nope") { name }
        serviceTeams(service: "checkout") { name }
        services { name } } }""")  # fmt: skip
    o = data["oncall"]
    assert o["service"] == {
        "name": "api-gateway", "id": 1,
        "teams": [{"name": "platform", "team": {"key": "platform"}}],
        "oncallNow": [{"user": {"name": "bob"}, "team": {"name": "platform"},
                       "fullName": "Bob Okafor", "start": "2026-11-23T00:00:00+00:00"}],
    }  # fmt: skip
    assert o["unknown"] is None
    assert o["serviceTeams"] == [{"name": "payments"}]
    assert [s["name"] for s in o["services"]] == [
        "android-app", "api-gateway", "checkout", "ios-app", "kubernetes", "ledger", "warehouse",
    ]  # fmt: skip


async def test_per_service_fields_cost_one_call_per_service_each() -> None:
    cast = build_cast(scale=3, now=NOW)
    data, gw = await run(cast, """{ oncall { services {
        name id teams { name } oncallNow(role: "primary") { user { name } } } } }""")  # fmt: skip
    names = [s["name"] for s in data["oncall"]["services"]]
    assert len(names) == 21
    assert all(s["teams"] and s["oncallNow"] for s in data["oncall"]["services"])
    assert oncall_calls(gw) == sorted(
        ["GET /services", "GET /team_services"]
        + [f"GET /services/{n}" for n in names]
        + [f"GET /services/{n}/oncall/primary" for n in names]
    )


# -- the catalogue ----------------------------------------------------------------------------


async def test_roles_notification_types_and_search(cast: Cast) -> None:
    data, gw = await run(cast, """{ oncall {
        roles { id name displayOrder } notificationTypes { name isReminder }
        search(keyword: "a") { teams { name } services { service { name } teams { name } }
                               users { name fullName } }
        people: search(keyword: "a", fields: [USERS]) {
          teams { name } users { name } } } }""")  # fmt: skip
    o = data["oncall"]
    assert [r["name"] for r in o["roles"]] == [
        "primary", "secondary", "shadow", "manager", "vacation", "unavailable",
    ]  # fmt: skip
    assert o["roles"][0] == {"id": 1, "name": "primary", "displayOrder": 1}
    types = {t["name"]: t["isReminder"] for t in o["notificationTypes"]}
    assert [t["name"] for t in o["notificationTypes"]] == sorted(types)
    assert types["oncall_reminder"] is True and types["event_swapped"] is False
    found = o["search"]
    assert [t["name"] for t in found["teams"]] == ["data-analytics", "payments", "platform"]
    assert [(s["service"]["name"], [t["name"] for t in s["teams"]]) for s in found["services"]] == [
        ("android-app", ["mobile"]), ("api-gateway", ["platform"]), ("ios-app", ["mobile"]),
        ("warehouse", ["data-analytics"]),
    ]  # fmt: skip
    assert found["users"] == [{"name": "alice", "fullName": "Alice Nguyen"}]
    assert o["people"] == {"teams": [], "users": [{"name": "alice"}]}
    searches = sorted(c.params for c in gw.log.of("oncall") if c.path == "/search")
    assert searches == [(("fields", "users"), ("keyword", "a")), (("keyword", "a"),)]


def answering(body: object) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _request: httpx.Response(200, json=body)


async def test_lists_the_gateway_orders_do_not_follow_oncalls_order(cast: Cast) -> None:
    oncall = FaultTransport(cast)
    shuffled: dict[str, object] = {
        "/teams/platform/admins": ["erin", "alice"],
        "/services": ["warehouse", "api-gateway"],
        "/roles": [{"id": 2, "name": "secondary", "display_order": 2},
                   {"id": 1, "name": "primary", "display_order": 1}],
        "/users/alice/notifications": [
            {"id": 9, "team": "platform", "roles": [], "mode": "email", "type": "event_edited"},
            {"id": 4, "team": "platform", "roles": [], "mode": "email", "type": "event_edited"},
        ],
    }  # fmt: skip
    for path, body in shuffled.items():
        oncall.on(path, always(answering(body)))
    data, _ = await run(cast, """{ oncall {
        teamAdmins(team: "platform") { name } services { name } roles { name }
        user(name: "alice") { notifications { id } }
        events(team: "platform") { id } } }""", transports={"oncall": oncall})  # fmt: skip
    o = data["oncall"]
    assert o["teamAdmins"] == [{"name": "alice"}, {"name": "erin"}]
    assert o["services"] == [{"name": "api-gateway"}, {"name": "warehouse"}]
    assert o["roles"] == [{"name": "primary"}, {"name": "secondary"}]
    assert o["user"]["notifications"] == [{"id": 4}, {"id": 9}]
    ids = [e["id"] for e in o["events"]]
    assert ids == sorted(ids)  # by start, then id (each start has primary, then secondary)


# -- failures ---------------------------------------------------------------------------------


def errors_of(result: dict[str, Any]) -> list[tuple[str, str, list[Any]]]:
    return [(e["extensions"].get("service"), e["extensions"]["code"], e.get("path"))
            for e in result.get("errors", [])]  # fmt: skip


async def test_oncall_down_fails_only_oncall_fields(cast: Cast) -> None:
    async with open_gateway(cast, faults={"oncall": Faults(down=True)}) as gw:
        result = await gw.execute("""{ tempo { roles { name } }
            oncall { roles { name } } team(key: "platform") { key oncall { name } } }""")
    assert result["data"]["tempo"]["roles"]
    assert result["data"]["oncall"] == {"roles": None}
    assert result["data"]["team"] == {"key": "platform", "oncall": None}
    assert {(s, c) for s, c, _ in errors_of(result)} == {("oncall", "UPSTREAM_UNAVAILABLE")}
    paths = [p for _, _, p in errors_of(result)]
    assert ["oncall", "roles"] in paths and ["team", "oncall"] in paths


async def test_one_failing_key_fails_only_its_field(cast: Cast) -> None:
    oncall = FaultTransport(cast)
    rejected = httpx.Response(422, json={"title": "IntegrityError", "description": "nope"})
    oncall.on("/teams/payments/summary", always(lambda _r: rejected))
    async with open_gateway(cast, transports={"oncall": oncall}) as gw:
        result = await gw.execute("{ oncall { teams { name summary { current { role } } } } }")
    summaries = {t["name"]: t["summary"] for t in result["data"]["oncall"]["teams"]}
    assert summaries.pop("payments") is None
    assert len(summaries) == 3 and all(s["current"] for s in summaries.values())
    assert errors_of(result) == [("oncall", "UPSTREAM_BAD_REQUEST",
                                  ["oncall", "teams", 2, "summary"])]  # fmt: skip


# -- descriptions -----------------------------------------------------------------------------


def test_every_oncall_type_field_argument_and_value_is_described() -> None:
    types = {name: t for name, t in schema._schema.type_map.items() if name.startswith("Oncall")}
    assert len(types) >= 20
    missing = []
    for name, kind in types.items():
        if not kind.description:
            missing.append(name)
        if isinstance(kind, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in kind.values.items() if not value.description]
        if isinstance(kind, GraphQLObjectType):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [f"{name}.{field_name}({a})" for a, arg in field.args.items()
                            if not arg.description]  # fmt: skip
    assert missing == []
