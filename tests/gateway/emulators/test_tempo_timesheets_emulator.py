"""The Tempo emulator's timesheet approvals: the state machine, reviewers, and lists."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.emulators.cast import Cast
from tests.conftest import NOW
from tests.gateway.emulators.tempo_wire import (
    BASE,
    account,
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


OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}
STAMP = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_one_approval_in_review(http: httpx.AsyncClient, cast: Cast) -> None:
    farid = account(cast, "farid")
    approval = await get(http, f"/timesheet-approvals/user/{farid}", **OCTOBER)
    own = f"{BASE}/timesheet-approvals/user/{farid}"
    query = "from=2026-10-01&to=2026-10-31"
    assert approval == {
        "self": f"{own}?{query}",
        "period": {"from": "2026-10-01", "to": "2026-10-31"},
        "requiredSeconds": 22 * 8 * 3600,
        "timeSpentSeconds": 37800,
        "status": {
            "key": "IN_REVIEW",
            "actor": user_ref(cast, "farid"),
            "requiredSecondsAtSubmit": 22 * 8 * 3600,
            "timeSpentSecondsAtSubmit": 37800,
            "updatedAt": "2026-11-01T09:00:00Z",
        },
        "user": user_ref(cast, "farid"),
        "reviewer": user_ref(cast, "alice"),
        "actions": {"approve": {"self": f"{own}/approve?{query}"},
                    "reject": {"self": f"{own}/reject?{query}"}},
        "worklogs": {"self": f"{BASE}/worklogs/user/{farid}?{query}"},
    }  # fmt: skip
    # The period is the one containing `from`, so any day of October names it.
    assert await get(http, f"/timesheet-approvals/user/{farid}", **{"from": "2026-10-17"}) == (
        approval
    )
    assert await get(http, "/timesheet-approvals/user/nobody", 404) == error("User not found")


async def test_without_dates_the_current_period_untouched_is_open(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    bob = account(cast, "bob")
    approval = await get(http, f"/timesheet-approvals/user/{bob}")
    assert approval["period"] == {"from": "2026-11-01", "to": "2026-11-30"}
    assert approval["status"] == {"key": "OPEN", "updatedAt": "2026-11-01T00:00:00Z"}
    assert list(approval["actions"]) == ["submit"]
    assert "reviewer" not in approval
    rejected = await get(http, f"/timesheet-approvals/user/{bob}", **OCTOBER)
    assert (rejected["status"]["key"], rejected["status"]["comment"]) == (
        "OPEN", "Please log the missing hours",
    )  # fmt: skip
    assert rejected["reviewer"] == rejected["status"]["actor"] == user_ref(cast, "alice")


async def test_waiting_lists_what_awaits_the_tokens_user(http: httpx.AsyncClient) -> None:
    body = await get(http, "/timesheet-approvals/waiting")
    assert body["self"] == f"{BASE}/timesheet-approvals/waiting"
    found = [(a["user"]["displayName"], a["period"]["from"]) for a in body["results"]]
    assert found == [("Farid Haddad", "2026-10-01"), ("Erin Walsh", "2026-11-01")]
    assert all(a["status"]["key"] == "IN_REVIEW" for a in body["results"])


async def test_reviewers_hold_the_approve_permission_in_the_users_teams(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    bob = await get(http, f"/timesheet-approvals/user/{account(cast, 'bob')}/reviewers")
    assert bob["results"] == [user_ref(cast, "alice")]
    alice = await get(http, f"/timesheet-approvals/user/{account(cast, 'alice')}/reviewers")
    assert alice["results"] == [user_ref(cast, "alice"), user_ref(cast, "quinn")]
    assert await get(http, "/timesheet-approvals/user/nobody/reviewers", 404)


async def test_submit_approve_reopen_reject(http: httpx.AsyncClient, cast: Cast) -> None:
    bob, alice = account(cast, "bob"), account(cast, "alice")
    path = f"/timesheet-approvals/user/{bob}"
    submitted = await send(http, "POST", f"{path}/submit", 200,
                           {"comment": "Done", "reviewerAccountId": alice})  # fmt: skip
    assert submitted["status"] == {
        "key": "IN_REVIEW", "comment": "Done", "actor": user_ref(cast, "bob"),
        "requiredSecondsAtSubmit": submitted["requiredSeconds"],
        "timeSpentSecondsAtSubmit": submitted["timeSpentSeconds"], "updatedAt": STAMP,
    }  # fmt: skip
    assert (submitted["reviewer"], list(submitted["actions"])) == (
        user_ref(cast, "alice"), ["approve", "reject"],
    )  # fmt: skip
    waiting = await get(http, "/timesheet-approvals/waiting")
    assert "Bob Okafor" in [a["user"]["displayName"] for a in waiting["results"]]
    approved = await send(http, "POST", f"{path}/approve", 200, {"comment": "Great job"})
    assert (approved["status"]["key"], approved["status"]["actor"]) == (
        "APPROVED", user_ref(cast, "alice"),
    )  # fmt: skip
    assert list(approved["actions"]) == ["reopen"]
    assert await get(http, path) == approved
    assert await send(http, "POST", f"{path}/reject", 400, {}) == error(
        "Cannot reject a timesheet that is APPROVED"
    )
    reopened = await send(http, "POST", f"{path}/reopen", 200, {"comment": "Fix Monday"})
    assert (reopened["status"]["key"], reopened["status"]["comment"]) == ("OPEN", "Fix Monday")
    assert list(reopened["actions"]) == ["submit"]
    again = await send(http, "POST", f"{path}/submit", 200, {"reviewerAccountId": alice})
    rejected = await send(http, "POST", f"{path}/reject", 200, {"comment": "Hours missing"})
    assert (again["status"]["key"], rejected["status"]["key"]) == ("IN_REVIEW", "OPEN")
    assert rejected["reviewer"] == user_ref(cast, "alice")


async def test_actions_name_their_period_and_check_their_body(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    farid = account(cast, "farid")
    path = f"/timesheet-approvals/user/{farid}"
    assert await send(http, "POST", f"{path}/approve", 400) == error(
        "Cannot approve a timesheet that is OPEN"  # November: nothing submitted yet
    )
    approved = await send(http, "POST", f"{path}/approve", 200, **OCTOBER)
    assert approved["period"]["from"] == "2026-10-01"
    assert await send(http, "POST", f"{path}/submit", 400, {}) == error(
        "reviewerAccountId is required"
    )
    quinn = account(cast, "quinn")
    assert await send(http, "POST", f"{path}/submit", 400, {"reviewerAccountId": quinn}) == error(
        "Quinn Harper cannot review this timesheet"
    )
    assert await send(http, "POST", "/timesheet-approvals/user/nobody/submit", 404, {}) == error(
        "User not found"
    )


async def test_time_spent_follows_the_worklogs(http: httpx.AsyncClient, cast: Cast) -> None:
    bob = account(cast, "bob")
    before = await get(http, f"/timesheet-approvals/user/{bob}")
    await send(http, "POST", "/worklogs", 200, {
        "issueKey": "PLAT-12", "timeSpentSeconds": 3600, "startDate": "2026-11-23",
        "startTime": "09:00:00", "authorAccountId": bob,
    })  # fmt: skip
    after = await get(http, f"/timesheet-approvals/user/{bob}")
    assert after["timeSpentSeconds"] == before["timeSpentSeconds"] + 3600


async def test_a_teams_approvals_one_per_member(http: httpx.AsyncClient) -> None:
    body = await get(http, "/timesheet-approvals/team/1", **OCTOBER)
    assert body["self"] == f"{BASE}/timesheet-approvals/team/1?from=2026-10-01&to=2026-10-31"
    statuses = [(a["user"]["displayName"], a["status"]["key"]) for a in body["results"]]
    assert statuses == [
        ("Alice Nguyen", "IN_REVIEW"), ("Bob Okafor", "OPEN"), ("Carmen Ruiz", "APPROVED"),
        ("Dmitri Kuznetsov", "APPROVED"), ("Erin Walsh", "APPROVED"),
        ("Farid Haddad", "IN_REVIEW"),
    ]  # fmt: skip
    assert await get(http, "/timesheet-approvals/team/99", 404) == error("Team not found")
