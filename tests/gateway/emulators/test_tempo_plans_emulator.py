"""The Tempo emulator's plans: recurrences, a user's plans in a range, and the writes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.emulators.cast import Cast
from tests.conftest import NOW
from tests.gateway.emulators.tempo_wire import (
    BASE,
    JIRA,
    JIRA_USER,
    account,
    error,
    get,
    open_tempo,
    send,
)


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_tempo(cast) as client:
        yield client


NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}
STAMP = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")


def dates(plan: dict[str, object]) -> list[tuple[str, int]]:
    values = plan["dates"]["values"]  # type: ignore[index]
    return [(v["from"], v["timePlannedSeconds"]) for v in values]


async def test_a_plan_shows_its_first_occurrence_unless_asked_to_expand(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    plan = await get(http, "/plans/1")  # the Platform lead grooms the backlog every Monday
    assert plan == {
        "self": f"{BASE}/plans/1",
        "id": 1,
        "startDate": "2026-11-23",
        "endDate": "2026-11-23",
        "description": "Backlog grooming for Platform",
        "createdAt": "2026-11-13T10:30:00Z",
        "updatedAt": "2026-11-13T10:30:00Z",
        "assignee": {"self": JIRA_USER + account(cast, "alice"), "type": "USER"},
        "planItem": {"self": f"{JIRA}/rest/api/2/project/10001", "type": "PROJECT"},
        "recurrence": {"rule": "WEEKLY", "recurrenceEndDate": "2027-01-18"},
        "dates": {
            "metadata": {"count": 1, "all": f"{BASE}/plans/1?from=2026-11-23&to=2027-01-18"},
            "values": [{"from": "2026-11-23", "to": "2026-11-23", "timePlannedSeconds": 7200}],
        },
    }
    december = await get(http, "/plans/1", **{"from": "2026-12-01", "to": "2026-12-31"})
    assert [d for d, _ in dates(december)] == [
        "2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28",
    ]  # fmt: skip
    everything = (await http.get(plan["dates"]["metadata"]["all"])).json()
    assert everything["dates"]["metadata"]["count"] == 9
    assert await get(http, "/plans/99", 404) == error("Allocation not found")


async def test_planned_seconds_count_working_days_only(http: httpx.AsyncClient) -> None:
    week = await get(http, "/plans/2")  # Bob, on an issue all of next week, 4h a day
    assert week["planItem"]["type"] == "ISSUE"
    assert dates(week) == [("2026-11-30", 5 * 4 * 3600)]
    monthly = await get(http, "/plans/3", **{"from": "2026-11-01", "to": "2027-04-30"})
    assert "description" not in monthly
    assert monthly["recurrence"] == {"rule": "MONTHLY", "recurrenceEndDate": "2027-04-02"}
    assert dates(monthly) == [
        ("2026-11-02", 3600), ("2026-12-02", 3600), ("2027-01-02", 0),  # a Saturday
        ("2027-02-02", 3600), ("2027-03-02", 3600), ("2027-04-02", 3600),
    ]  # fmt: skip


async def test_a_users_plans_in_a_range(http: httpx.AsyncClient, cast: Cast) -> None:
    alice = account(cast, "alice")
    body = await get(http, f"/plans/user/{alice}", **NOVEMBER)
    assert body["self"] == f"{BASE}/plans/user/{alice}?from=2026-11-01&to=2026-11-30"
    assert [p["id"] for p in body["results"]] == [1]
    assert dates(body["results"][0]) == [("2026-11-23", 7200), ("2026-11-30", 7200)]
    bob = account(cast, "bob")
    assert (await get(http, f"/plans/user/{bob}", **NOVEMBER))["metadata"] == {"count": 1}
    early = {"from": "2026-10-01", "to": "2026-10-31"}
    assert (await get(http, f"/plans/user/{bob}", **early))["results"] == []
    recent = await get(http, f"/plans/user/{alice}", **NOVEMBER, updatedFrom="2026-11-20")
    assert recent["results"] == []
    assert (await get(http, "/plans/user/nobody", **NOVEMBER))["results"] == []
    assert await get(http, f"/plans/user/{alice}", 400) == error(
        "Query parameter 'from' is required", "Query parameter 'to' is required"
    )


async def test_create_replace_and_delete_a_plan(http: httpx.AsyncClient, cast: Cast) -> None:
    erin = account(cast, "erin")
    body = {"startDate": "2026-12-01", "endDate": "2026-12-02", "plannedPerDaySeconds": 1800,
            "rule": "BI_WEEKLY", "recurrenceEndDate": "2026-12-31", "accountId": erin,
            "issueKey": "PLAT-12", "description": "Test runs"}  # fmt: skip
    created = await send(http, "POST", "/plans", 200, body)
    assert (created["id"], created["recurrence"]) == (
        13, {"rule": "BIWEEKLY", "recurrenceEndDate": "2026-12-31"},
    )  # fmt: skip
    assert (created["createdAt"], created["planItem"]["self"]) == (
        STAMP, f"{JIRA}/rest/api/2/issue/PLAT-12",
    )  # fmt: skip
    december = await get(http, f"/plans/user/{erin}", **{"from": "2026-12-01", "to": "2026-12-31"})
    assert dates(december["results"][0]) == [
        ("2026-12-01", 3600), ("2026-12-15", 3600), ("2026-12-29", 3600),
    ]  # fmt: skip
    replaced = await send(http, "PUT", "/plans/13", 200, {
        "startDate": "2026-12-05", "endDate": "2026-12-06", "plannedPerDaySeconds": 3600,
        "includeNonWorkingDays": True, "accountId": erin, "projectKey": "PLAT",
    })  # fmt: skip
    assert (replaced["recurrence"], "description" in replaced) == (
        {"rule": "NEVER", "recurrenceEndDate": "2026-12-06"}, False,
    )  # fmt: skip
    assert replaced["planItem"] == {"self": f"{JIRA}/rest/api/2/project/10001", "type": "PROJECT"}
    assert dates(replaced) == [("2026-12-05", 7200)]  # a weekend, counted on request
    assert await send(http, "DELETE", "/plans/13", 204) is None
    assert await get(http, "/plans/13", 404) == error("Allocation not found")
    assert await send(http, "PUT", "/plans/13", 404, body) == error("Allocation not found")


async def test_plan_bodies_are_validated(http: httpx.AsyncClient, cast: Cast) -> None:
    assert await send(http, "POST", "/plans", 400, {"rule": "DAILY"}) == error(
        "startDate is required",
        "endDate is required",
        "plannedPerDaySeconds is required",
        "rule must be one of NEVER, WEEKLY, BI_WEEKLY, MONTHLY",
        "accountId is required",
        "issueKey or projectKey is required",
    )
    body = {"startDate": "2026-12-02", "endDate": "2026-12-01", "plannedPerDaySeconds": 0.5,
            "recurrenceEndDate": "2026-11-01", "accountId": account(cast, "bob"),
            "issueKey": "NOPE-1"}  # fmt: skip
    assert await send(http, "POST", "/plans", 400, body) == error(
        "endDate must not be before startDate",
        "plannedPerDaySeconds must be a positive whole number of seconds",
        "recurrenceEndDate must not be before startDate",
        "Issue not found",
    )
    both = {**body, "endDate": "2026-12-02", "plannedPerDaySeconds": 60, "recurrenceEndDate": None,
            "issueKey": "PLAT-12", "projectKey": "PLAT"}  # fmt: skip
    assert await send(http, "POST", "/plans", 400, both) == error(
        "Give issueKey or projectKey, not both"
    )
