"""The TeamPulse emulator's raw wire format, mounted where production mounts it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.emulators.teampulse import create_app
from tests.conftest import emulator_http, mounted_emulator

BASE = "http://emulator" + MOUNTS["teampulse"]
AUTH = ("gateway", "demo-password")
TODAY = date(2026, 11, 23)  # conftest's NOW
NOTE_TOO_LONG = "The field note must be a string with a maximum length of 128."
BOB = {"id": 2, "name": "bob", "displayName": "Bob Okafor"}
PLATFORM = {"id": 1, "name": "Platform"}


def mounted(cast: Cast, *, faults: Faults | None = None) -> ASGIApp:
    return mounted_emulator("teampulse", cast, faults=faults)


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with emulator_http(mounted(cast), service="teampulse", base_url=BASE, auth=AUTH) as c:
        yield c


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def error(response: httpx.Response, status: int) -> dict[str, str]:
    """The error map, after checking the status: ``{"<entity>.<field>": message}``."""
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, dict) and body
    assert all(isinstance(v, str) for v in body.values())
    return body


def tp_users(cast: Cast) -> list[dict[str, object]]:
    accounts = sorted((p.teampulse for p in cast.people if p.teampulse), key=lambda a: a.id)
    return [{"id": a.id, "name": a.name, "displayName": a.display_name} for a in accounts]


# -- auth and errors ---------------------------------------------------------------------


@pytest.mark.parametrize("auth", [None, ("gateway", "wrong"), ("someone", "demo-password")])
@pytest.mark.parametrize("path", ["/users", "/no/such/path"])
async def test_wrong_or_missing_credentials_get_401(
    cast: Cast, auth: tuple[str, str] | None, path: str
) -> None:
    async with emulator_http(mounted(cast), service="teampulse", base_url=BASE) as raw:
        response = await raw.get(path, auth=auth) if auth else await raw.get(path)
    assert error(response, 401) == {"auth": "Invalid username or password."}
    assert response.headers["www-authenticate"] == 'Basic realm="TeamPulse"'


async def test_a_malformed_basic_header_gets_401(cast: Cast) -> None:
    headers = {"Authorization": "Basic !!not-base64!!"}
    async with emulator_http(mounted(cast), service="teampulse", base_url=BASE) as raw:
        assert error(await raw.get("/users", headers=headers), 401)["auth"]


async def test_unknown_paths_and_methods_get_a_404_error_map(http: httpx.AsyncClient) -> None:
    assert error(await http.get("/nope"), 404) == {
        "path": "No action matches GET /teampulse/api/nope."
    }
    assert error(await http.delete("/timeentries/3001"), 404)["path"].startswith("No action")


async def test_down_answers_503_before_checking_credentials(cast: Cast) -> None:
    app = mounted(cast, faults=Faults(down=True))
    async with emulator_http(app, service="teampulse", base_url=BASE) as raw:
        response = await raw.get("/users")
    assert error(response, 503) == {"server": "Service Unavailable (emulated outage)"}


# -- users and projects ------------------------------------------------------------------


async def test_users_are_bare_arrays_of_the_casts_teampulse_accounts(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    users = ok(await http.get("/users"))
    assert users == tp_users(cast)
    assert BOB in users
    assert {"id": 9, "name": "ines", "displayName": "Ines Costa"} in users
    assert {"id": 90, "name": "yusuf", "displayName": "Yusuf Demir"} in users  # contractor
    assert "alice" not in {u["name"] for u in users}  # alice has no TeamPulse account
    assert ok(await http.get("/activities/users")) == users  # "Both return the same results"


async def test_single_user_me_and_404(http: httpx.AsyncClient) -> None:
    assert ok(await http.get("/users/2")) == BOB
    me = {"id": 999, "name": "gateway", "displayName": "Teamgraph Gateway"}
    assert ok(await http.get("/users/me")) == me
    assert ok(await http.get("/users/999")) == me
    assert error(await http.get("/users/4242"), 404) == {"user.id": "User 4242 does not exist."}


async def test_projects_and_their_users(http: httpx.AsyncClient) -> None:
    assert ok(await http.get("/projects")) == [
        PLATFORM,
        {"id": 2, "name": "Payments"},
        {"id": 3, "name": "Mobile"},
        {"id": 4, "name": "Data & Analytics"},
    ]
    # Platform without alice and farid, who have no TeamPulse account.
    users = ok(await http.get("/projects/1/users"))
    assert [u["name"] for u in users] == ["bob", "carmen", "dmitri.k", "erin"]
    assert users[0] == BOB
    assert error(await http.get("/projects/77/users"), 404) == {
        "project.id": "Project 77 does not exist."
    }


# -- tasks -------------------------------------------------------------------------------


async def test_tasks_have_the_documented_variants(http: httpx.AsyncClient) -> None:
    tasks = {t["id"]: t for t in ok(await http.get("/tasks"))}
    # A general task outside any project: the sentinel project, no workCompleted.
    assert tasks[75090] == {
        "id": 75090, "name": "Vacation", "project": {"id": -1, "name": ""}, "estimate": {}
    }  # fmt: skip
    assert tasks[75091]["name"] == "Sick leave"
    meetings = tasks[4010]  # a general project task: no workItem
    assert meetings["name"] == "Meetings" and meetings["project"] == PLATFORM
    assert "workItem" not in meetings and meetings["estimate"] == {}
    assert isinstance(meetings["workCompleted"], float)
    story = tasks[4011]
    assert list(story) == ["id", "name", "project", "workItem", "workCompleted", "estimate"]
    assert story["workItem"] == {"id": 101, "name": "Story #101", "type": "Story", "estimate": 10.0}
    assert story["estimate"] == {
        "optimistic": 5.0, "probable": 10.0, "pessimistic": 15.0, "pert": 10.0
    }  # fmt: skip


async def test_single_task_and_project_tasks(http: httpx.AsyncClient) -> None:
    task = ok(await http.get("/tasks/4012"))
    assert task["name"] == "Fix flaky login" and task["workItem"]["type"] == "Bug"
    assert error(await http.get("/tasks/1"), 404) == {"task.id": "Task 1 does not exist."}
    tasks = ok(await http.get("/projects/2/tasks"))
    assert [t["id"] for t in tasks] == [4020, 4021, 4022, 4023]
    assert all(t["project"] == {"id": 2, "name": "Payments"} for t in tasks)


async def test_time_entry_types_of_a_project(http: httpx.AsyncClient) -> None:
    assert ok(await http.get("/projects/2/timeentrytypes")) == [
        {"id": 21, "timeEntryType": {"id": 1, "name": "Billable", "iversion": 0},
         "project": {"id": 2}, "sequenceNumber": 1, "iversion": 1},
        {"id": 22, "timeEntryType": {"id": 2, "name": "Non Billable", "iversion": 0},
         "project": {"id": 2}, "sequenceNumber": 2, "iversion": 1},
    ]  # fmt: skip
    assert error(await http.get("/projects/9/timeentrytypes"), 404)["project.id"]


# -- time entries ------------------------------------------------------------------------


async def test_time_entries_cover_weekdays_of_the_last_28_days(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    entries = ok(await http.get("/timeentries"))
    users = {u["id"]: u for u in tp_users(cast)}
    days = {date.fromisoformat(e["date"]) for e in entries}
    assert min(days) >= TODAY - timedelta(days=27) and max(days) == TODAY
    assert all(d.weekday() < 5 for d in days)
    assert {e["user"]["id"] for e in entries} == set(users)  # everyone logs time
    assert {e["type"] for e in entries} == {"Billable", "Non-Billable", "Non Billable", ""}
    for e in entries:
        assert list(e) == ["id", "date", "hours", "type", "user", "task", "note", "iversion"]
        assert e["user"] == users[e["user"]["id"]]  # TimeEntryFull embeds the whole user
        assert isinstance(e["hours"], float) and 0 < e["hours"] <= 8
        assert len(e["note"]) <= 128 and isinstance(e["iversion"], int)
    yusuf = {e["task"]["name"] for e in entries if e["user"]["id"] == 90}
    assert "Contract work" in yusuf  # the contractor is in no project
    vacation = next(e for e in entries if e["task"]["id"] == 75090)
    assert vacation["type"] == "" and vacation["task"]["project"] == {"id": -1, "name": ""}


async def test_time_entries_are_deterministic(cast: Cast, http: httpx.AsyncClient) -> None:
    async with emulator_http(mounted(cast), service="teampulse", base_url=BASE, auth=AUTH) as c:
        again = ok(await c.get("/timeentries"))
    assert ok(await http.get("/timeentries")) == again


async def test_date_bounds_are_inclusive_and_each_optional(http: httpx.AsyncClient) -> None:
    day = TODAY - timedelta(days=3)  # a Friday
    one_day = ok(
        await http.get(
            "/timeentries", params={"startDate": day.isoformat(), "endDate": day.isoformat()}
        )
    )
    assert one_day and {e["date"] for e in one_day} == {day.isoformat()}
    since = ok(await http.get("/timeentries", params={"startDate": day.isoformat()}))
    assert {e["date"] for e in since} == {day.isoformat(), TODAY.isoformat()}
    until = ok(await http.get("/timeentries", params={"endDate": "2026-10-27"}))
    assert {e["date"] for e in until} == {"2026-10-27"}  # the first day of the window


async def test_a_malformed_date_is_a_400_error_map(http: httpx.AsyncClient) -> None:
    response = await http.get("/timeentries", params={"startDate": "23/11/2026"})
    assert error(response, 400) == {
        "startDate": "The value '23/11/2026' is not a valid date (YYYY-MM-DD)."
    }


async def test_a_reversed_range_is_a_400_error_map(http: httpx.AsyncClient) -> None:
    response = await http.get(
        "/timeentries", params={"startDate": "2026-11-20", "endDate": "2026-11-19"}
    )
    assert error(response, 400) == {
        "endDate": "The endDate 2026-11-19 is before the startDate 2026-11-20."
    }


async def test_single_time_entry_matches_the_list(http: httpx.AsyncClient) -> None:
    first = ok(await http.get("/timeentries"))[0]
    assert ok(await http.get(f"/timeentries/{first['id']}")) == first
    assert error(await http.get("/timeentries/1"), 404) == {"te.id": "Time entry 1 does not exist."}


async def test_create_time_entry_answers_201_location_and_the_compact_form(
    http: httpx.AsyncClient,
) -> None:
    before = ok(await http.get("/tasks/4011"))["workCompleted"]
    body = {"date": "2026-11-20", "hours": 2, "task": {"id": 4011}, "user": {"id": 2},
            "type": "Billable"}  # fmt: skip
    response = await http.post("/timeentries", json=body)
    created = ok(response, 201)
    assert created == {
        "id": created["id"], "date": "2026-11-20", "hours": 2.0, "type": "Billable",
        "user": {"id": 2}, "task": {"id": 4011, "workCompleted": before + 2.0},
        "note": "", "iversion": 0,
    }  # fmt: skip
    location = response.headers["location"]
    assert location == f"{BASE}/timeentries/{created['id']}"
    full = ok(await http.get(location))
    assert full["user"] == BOB and full["task"]["name"] == "Build the public API"


async def test_a_created_time_entry_is_listed_in_its_range_only(http: httpx.AsyncClient) -> None:
    body = {"date": "2026-11-21", "hours": 1.5, "task": {"id": 4021}, "user": {"id": 2},
            "type": "Non-Billable", "note": "Weekend fix"}  # fmt: skip
    created = ok(await http.post("/timeentries", json=body), 201)
    saturday = {"startDate": "2026-11-21", "endDate": "2026-11-21"}
    (listed,) = ok(await http.get("/timeentries", params=saturday))  # nobody else works then
    assert listed == ok(await http.get(f"/timeentries/{created['id']}"))
    assert (listed["id"], listed["hours"], listed["note"]) == (created["id"], 1.5, "Weekend fix")
    assert listed["user"] == BOB and listed["task"]["project"] == {"id": 2, "name": "Payments"}
    friday = {"startDate": "2026-11-20", "endDate": "2026-11-20"}
    assert created["id"] not in {e["id"] for e in ok(await http.get("/timeentries", params=friday))}


async def test_create_time_entry_validates_every_field(http: httpx.AsyncClient) -> None:
    body = {"date": "2026-11-20", "hours": 1, "task": {"id": 4011}, "user": {"id": 2},
            "note": "x" * 129}  # fmt: skip
    assert error(await http.post("/timeentries", json=body), 400) == {"te.note": NOTE_TOO_LONG}
    ok(await http.post("/timeentries", json={**body, "note": "x" * 128}), 201)
    bad = {"date": "tomorrow", "hours": 0, "task": {"id": 1}, "user": {"id": 999},
           "type": "Overtime"}  # fmt: skip
    problems = error(await http.post("/timeentries", json=bad), 400)
    assert set(problems) == {"te.date", "te.hours", "te.task", "te.user", "te.type"}
    not_json = await http.post("/timeentries", content=b"[1]")
    assert error(not_json, 400) == {"te": "The request body must be a JSON object."}


async def test_update_time_entry_checks_iversion(http: httpx.AsyncClient) -> None:
    current = ok(await http.get("/timeentries/3001"))
    body = {"date": "2026-11-19", "hours": 3, "task": {"id": 75090}, "user": {"id": 2},
            "iversion": current["iversion"]}  # fmt: skip
    updated = ok(await http.put("/timeentries/3001", json=body))
    assert updated["iversion"] == current["iversion"] + 1
    assert updated["note"] == current["note"]  # an omitted note keeps the stored one
    assert list(updated["task"]) == ["id", "workCompleted"] and updated["task"]["id"] == 75090
    # The entry moved off its task, taking its hours with it.
    moved_off = ok(await http.get(f"/tasks/{current['task']['id']}"))["workCompleted"]
    assert moved_off == current["task"]["workCompleted"] - current["hours"]
    stored = ok(await http.get("/timeentries/3001"))
    assert (stored["date"], stored["hours"], stored["task"]["name"]) == (
        "2026-11-19", 3.0, "Vacation"
    )  # fmt: skip
    stale = error(await http.put("/timeentries/3001", json=body), 409)
    assert "iversion is" in stale["te.iversion"]
    missing = {k: v for k, v in body.items() if k != "iversion"}
    assert error(await http.put("/timeentries/3001", json=missing), 400)["te.iversion"]
    assert error(await http.put("/timeentries/1", json=body), 404)["te.id"]


# -- activities and comments -------------------------------------------------------------


async def test_activities_newest_first_with_the_documented_fields(
    http: httpx.AsyncClient,
) -> None:
    activities = ok(await http.get("/activities"))
    assert [a["id"] for a in activities] == [41606, 41605, 41604, 41603, 41602, 41601]
    changed = activities[0]
    assert list(changed) == [
        "id", "project", "author", "workItem", "content", "iconUrl", "hyperlink",
        "modifiedAt", "canComment", "commentType", "isFlagged", "system", "systemEvent",
    ]  # fmt: skip
    assert changed["author"] == {"name": "grace", "displayName": "Grace Liu"}  # no id
    assert changed["workItem"] == {"id": 201, "type": "Story", "isVisibleInPortal": False}
    assert changed["modifiedAt"] == "2026-11-23T09:29:59.445Z"
    assert changed["iconUrl"].startswith("http://emulator/teampulse/UserMenu/")
    shared = activities[1]
    assert shared["systemEvent"] == "PersonalMessage" and "project" not in shared
    assert shared["content"] == "Bob Okafor shared:<br />Going for lunch, anyone want to come?"
    flagged = ok(await http.get("/activities", params={"isFlagged": "true"}))
    assert [a["id"] for a in flagged] == [41604, 41602]
    unflagged = ok(await http.get("/activities", params={"isFlagged": "false"}))
    assert len(unflagged) == 4 and not any(a["isFlagged"] for a in unflagged)
    assert error(await http.get("/activities", params={"isFlagged": "yes"}), 400)["isFlagged"]


async def test_unread_counts_and_marking_seen(http: httpx.AsyncClient) -> None:
    assert ok(await http.get("/activities/count")) == {"flagged": 1, "unflagged": 2, "total": 3}
    only_flagged = await http.put("/activities/seenupto/41606", params={"onlyFlagged": "true"})
    assert ok(only_flagged) == {"flagged": 0, "unflagged": 2, "total": 2}
    assert ok(await http.put("/activities/seenupto/41605")) == {
        "flagged": 0, "unflagged": 1, "total": 1
    }  # fmt: skip
    assert ok(await http.get("/activities/count"))["total"] == 1
    assert error(await http.put("/activities/seenupto/5"), 404)["activity.id"]


async def test_sharing_a_message(http: httpx.AsyncClient) -> None:
    response = await http.post("/activities", json={"message": "hello world"})
    assert ok(response, 201) == {"message": "Teamgraph Gateway shared: hello world"}
    newest = ok(await http.get("/activities"))[0]
    assert newest["author"] == {"name": "gateway", "displayName": "Teamgraph Gateway"}
    assert newest["content"] == "Teamgraph Gateway shared:<br />hello world"
    assert ok(await http.get("/activities/count"))["total"] == 3  # your own is never unread
    assert error(await http.post("/activities", json={"message": ""}), 400) == {
        "share.message": "The field message is required."
    }


async def test_commenting_on_a_work_item(http: httpx.AsyncClient) -> None:
    body = {"description": "hello world", "type": "PortalComment", "project": {"id": 1},
            "workItem": {"id": 109, "type": "Feedback"}}  # fmt: skip
    assert ok(await http.post("/comments", json=body), 201) == {
        "id": 1, "project": {"id": 1}, "workItem": {"id": 109, "type": "Feedback"},
        "description": "hello world", "type": "PortalComment", "iversion": 0,
    }  # fmt: skip
    on_story = {**body, "workItem": {"id": 101, "type": "Story"}}
    assert error(await http.post("/comments", json=on_story), 400) == {
        "comment.type": "Only feedback items take portal comments."
    }
    assert ok(await http.post("/comments", json={**on_story, "type": "Comment"}), 201)["id"] == 2
    elsewhere = {**body, "project": {"id": 2}}
    assert set(error(await http.post("/comments", json=elsewhere), 400)) == {"comment.workItem"}
    mistyped = {**body, "workItem": {"id": 109, "type": "Bug"}}
    assert error(await http.post("/comments", json=mistyped), 400) == {
        "comment.workItem": "Work item 109 is a Feedback, not a Bug."
    }
    assert error(await http.post("/comments", json={"type": "Comment"}), 400).keys() == {
        "comment.description", "comment.project", "comment.workItem"
    }  # fmt: skip


async def test_a_comment_shows_in_the_stream_on_its_work_item(http: httpx.AsyncClient) -> None:
    body = {"description": "I agree, ship it.", "project": {"id": 1},
            "workItem": {"id": 109, "type": "Feedback"}}  # fmt: skip
    ok(await http.post("/comments", json=body), 201)
    newest = ok(await http.get("/activities"))[0]
    assert newest["id"] == 41607 and newest["content"] == "I agree, ship it."
    assert (newest["project"], newest["workItem"]) == (
        {"id": 1}, {"id": 109, "type": "Feedback", "isVisibleInPortal": True},
    )  # fmt: skip
    assert newest["author"]["displayName"] == "Teamgraph Gateway"
    assert newest["systemEvent"] == "WorkItemChanged"
    assert ok(await http.get("/activities/count"))["total"] == 3  # your own is never unread


async def test_unmounted_app_builds_links_from_its_own_root(cast: Cast) -> None:
    async with emulator_http(create_app(cast), service="teampulse", base_url="http://tp",
                             auth=AUTH) as c:  # fmt: skip
        body = {"date": "2026-11-20", "hours": 1, "task": {"id": 4010}, "user": {"id": 3}}
        response = await c.post("/timeentries", json=body)
        assert response.status_code == 201
        assert response.headers["location"].startswith("http://tp/timeentries/")
        icon = ok(await c.get("/activities"))[0]["iconUrl"]
    assert icon == "http://tp/UserMenu/GetCachedThumbnailedUserImage?name=grace"
