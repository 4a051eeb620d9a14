"""The Tempo emulator's worklog writes and the Jira-filter and account worklog lists: a
written worklog shows in every list that covers it, and only there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.emulators.cast import Cast
from tests.conftest import NOW
from tests.gateway.emulators.tempo_wire import (
    BASE,
    JIRA,
    account,
    all_worklogs,
    error,
    get,
    open_tempo,
    send,
    user_ref,
)


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_tempo(cast) as client:
        yield client


STAMP = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")


async def issue_of(http: httpx.AsyncClient, project: str) -> str:
    key: str = (await all_worklogs(http, f"/worklogs/project/{project}"))[0]["issue"]["key"]
    return key


async def ids(http: httpx.AsyncClient, path: str, **params: Any) -> set[int]:
    return {w["tempoWorklogId"] for w in await all_worklogs(http, path, **params)}


def lists_covering(cast: Cast, issue: str, day: str, handle: str) -> list[str]:
    """Every worklog list that should hold a Platform worklog of `handle` on `issue`."""
    return [
        "/worklogs",
        f"/worklogs?from={day}&to={day}",
        f"/worklogs?issue={issue}",
        "/worklogs?project=PLAT",
        f"/worklogs/user/{account(cast, handle)}",
        "/worklogs/team/1",
        "/worklogs/project/PLAT",
        f"/worklogs/issue/{issue}",
        "/worklogs/account/PLAT_DEV",
        "/worklogs/jira/filter/10101",
        "/worklogs/jira/filter/10100",
    ]


async def test_a_created_worklog_shows_in_every_list_that_covers_it(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    issue = await issue_of(http, "PLAT")
    body = {"issueKey": issue, "timeSpentSeconds": 3600, "billableSeconds": 1800,
            "startDate": "2026-11-23", "startTime": "09:30:00", "description": "Hotfix",
            "authorAccountId": account(cast, "bob"), "remainingEstimateSeconds": 7200,
            "attributes": [{"key": "_COLOR_", "value": "green"},
                           {"key": "_DELIVERED_", "value": False}]}  # fmt: skip
    created = await send(http, "POST", "/worklogs", 200, body)
    wid = created["tempoWorklogId"]
    assert created == {
        "self": f"{BASE}/worklogs/{wid}",
        "tempoWorklogId": 1273,
        "jiraWorklogId": 10273,
        "issue": {"self": f"{JIRA}/rest/api/2/issue/{issue}", "key": issue},
        "timeSpentSeconds": 3600,
        "billableSeconds": 1800,
        "startDate": "2026-11-23",
        "startTime": "09:30:00",
        "description": "Hotfix",
        "createdAt": STAMP,
        "updatedAt": STAMP,
        "author": user_ref(cast, "bob"),
        "attributes": {
            "self": f"{BASE}/worklogs/{wid}/work-attribute-values",
            "values": [
                {"key": "_COLOR_", "value": "green"},
                {"key": "_DELIVERED_", "value": False},
            ],
        },
    }
    assert await get(http, f"/worklogs/{wid}") == created
    assert await get(http, "/worklogs/jira/10273") == created
    assert await get(http, f"/worklogs/{wid}/work-attribute-values/_DELIVERED_") == {
        "key": "_DELIVERED_", "value": False,
    }  # fmt: skip
    for path in lists_covering(cast, issue, "2026-11-23", "bob"):
        assert wid in await ids(http, path), path
    for path in ("/worklogs/team/2", "/worklogs/project/DATA", "/worklogs/account/DATA_DEV",
                 "/worklogs/jira/filter/10104", "/worklogs?to=2026-11-22"):  # fmt: skip
        assert wid not in await ids(http, path), path
    assert (await get(http, "/worklogs"))["metadata"]["count"] == 273


async def test_worklog_bodies_list_every_problem(http: httpx.AsyncClient) -> None:
    assert await send(http, "POST", "/worklogs", 400, {}) == error(
        "Issue not found",
        "Invalid time duration entered",
        "Date can not be empty",
        "startTime is required",
        "authorAccountId is required",
    )
    body = {"issueKey": "NOPE-1", "timeSpentSeconds": -5, "startDate": "2026-13-01",
            "startTime": "25:00", "authorAccountId": "ghost",
            "attributes": [{"key": "_COLOR_", "value": "mauve"},
                           {"key": "_X_", "value": 1}]}  # fmt: skip
    assert await send(http, "POST", "/worklogs", 400, body) == error(
        "Issue not found",
        "Invalid time duration entered",
        "startDate must be a date (YYYY-MM-DD)",
        "startTime must be a time (HH:MM:SS)",
        "User with accountId 'ghost' does not exist",
        "'mauve' is not a value of work attribute '_COLOR_'",
        "A work attribute with key '_X_' does not exist",
    )
    assert (await get(http, "/worklogs"))["metadata"]["count"] == 272


async def test_put_replaces_a_worklog_and_moves_it_between_lists(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    tagged = next(
        w for w in await all_worklogs(http, "/worklogs/project/PLAT") if "attributes" in w
    )
    wid, data_issue = tagged["tempoWorklogId"], await issue_of(http, "DATA")
    body = {"issueKey": data_issue, "timeSpentSeconds": 1800, "startDate": "2026-11-02",
            "startTime": "14:00:00", "authorAccountId": account(cast, "rosa")}  # fmt: skip
    updated = await send(http, "PUT", f"/worklogs/{wid}", 200, body)
    assert (updated["tempoWorklogId"], updated["jiraWorklogId"]) == (
        wid, tagged["jiraWorklogId"],
    )  # fmt: skip
    assert (updated["createdAt"], updated["updatedAt"]) == (tagged["createdAt"], STAMP)
    assert (updated["description"], "attributes" in updated) == ("", False)
    assert updated["billableSeconds"] == 1800  # all of it, when not given
    assert wid in await ids(http, "/worklogs/account/DATA_DEV")
    assert wid in await ids(http, f"/worklogs/user/{account(cast, 'rosa')}")
    assert wid not in await ids(http, "/worklogs/project/PLAT")
    assert wid not in await ids(http, "/worklogs/jira/filter/10100")
    assert await get(http, f"/worklogs/{wid}/work-attribute-values") == {
        "self": f"{BASE}/worklogs/{wid}/work-attribute-values",
        "metadata": {"count": 0},
        "results": [],
    }
    assert await send(http, "PUT", "/worklogs/1", 404, body) == error("Worklog cannot be found")


async def test_delete_removes_a_worklog_from_every_list(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    first = (await all_worklogs(http, "/worklogs/project/PLAT"))[0]
    wid, issue = first["tempoWorklogId"], first["issue"]["key"]
    handle = next(p.handle for p in cast.people if p.tempo and
                  p.tempo.account_id == first["author"]["accountId"])  # fmt: skip
    assert await send(http, "DELETE", f"/worklogs/{wid}", 204) is None
    for path in lists_covering(cast, issue, first["startDate"], handle):
        assert wid not in await ids(http, path), path
    assert await get(http, f"/worklogs/{wid}", 404) == error("Worklog cannot be found")
    assert await get(http, f"/worklogs/jira/{first['jiraWorklogId']}", 404)
    assert await send(http, "DELETE", f"/worklogs/{wid}", 404) == error("Worklog cannot be found")
    assert (await get(http, "/worklogs"))["metadata"]["count"] == 271
    created = await send(http, "POST", "/worklogs", 200, {
        "issueKey": issue, "timeSpentSeconds": 60, "startDate": "2026-11-20",
        "startTime": "08:00:00", "authorAccountId": account(cast, "alice"),
    })  # fmt: skip
    assert created["tempoWorklogId"] == 1273  # ids are never handed out twice


async def test_jira_filter_worklogs_are_the_filtered_projects(http: httpx.AsyncClient) -> None:
    platform = await all_worklogs(http, "/worklogs/jira/filter/10101")
    assert platform == await all_worklogs(http, "/worklogs/project/PLAT")
    program = await all_worklogs(http, "/worklogs/jira/filter/10100")
    assert {w["issue"]["key"].split("-")[0] for w in program} == {"PLAT", "PAYM", "MOBI"}
    page = await get(http, "/worklogs/jira/filter/10100", limit=10, **{"from": "2026-11-01"})
    assert page["self"] == f"{BASE}/worklogs/jira/filter/10100?limit=10&from=2026-11-01"
    assert page["metadata"]["next"] == (
        f"{BASE}/worklogs/jira/filter/10100?from=2026-11-01&offset=10&limit=10"
    )
    assert await get(http, "/worklogs/jira/filter/999") == {
        "self": f"{BASE}/worklogs/jira/filter/999",
        "metadata": {"count": 0, "offset": 0, "limit": 50},
        "results": [],
    }
