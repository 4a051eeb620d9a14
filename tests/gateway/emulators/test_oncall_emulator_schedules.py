"""Schedule writes and the scheduler (populate) on the oncall emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.emulators.cast import Cast
from tests.gateway.emulators.oncall_support import DAY, WEEK, mounted, now_s, open_client


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_client(mounted(cast)) as client:
        yield client


ROSTER = "/teams/platform/rosters/platform-rotation/schedules"


async def test_create_schedule(http: httpx.AsyncClient) -> None:
    body = {"role": "manager", "advanced_mode": 0, "auto_populate_threshold": "14",
            "events": [{"start": DAY + 9 * 3600, "duration": WEEK}]}  # fmt: skip
    created = await http.post(ROSTER, json=body)
    assert (created.status_code, created.json()) == (201, {"id": 9})
    schedule = (await http.get("/schedules/9")).json()
    assert (schedule["role"], schedule["auto_populate_threshold"], schedule["roster"]) == (
        "manager",
        14,
        "platform-rotation",
    )
    assert schedule["scheduler"] == {"name": "default"}
    assert [s["id"] for s in (await http.get(ROSTER)).json()] == [1, 2, 9]
    # Consecutive template events are stored merged.
    twelve = [{"start": DAY * d + h, "duration": 12 * 3600} for d in range(7) for h in (0, 43200)]
    merged = await http.post(ROSTER, json={"role": "shadow", "advanced_mode": 1, "events": twelve})
    stored = (await http.get(f"/schedules/{merged.json()['id']}")).json()
    assert stored["events"] == [{"start": 0, "duration": WEEK}]
    assert stored["auto_populate_threshold"] == 21  # the default


async def test_create_schedule_validation(http: httpx.AsyncClient) -> None:
    good = {"role": "primary", "advanced_mode": 0, "events": [{"start": 0, "duration": WEEK}]}
    failures = [
        ({"role": "primary"}, 400, "missing required parameters: advanced_mode, events"),
        ({**good, "events": [{"start": 0}]}, 400,
         "schedule event requires both start and duration fields"),
        ({**good, "events": [{"start": 0, "duration": DAY}]}, 400, "invalid advanced mode setting"),
        ({**good, "role": "boss"}, 422, "role not found"),
    ]  # fmt: skip
    for body, status, description in failures:
        response = await http.post(ROSTER, json=body)
        assert (response.status_code, response.json()["description"]) == (status, description)
    nope = await http.post("/teams/platform/rosters/nope/schedules", json=good)
    assert nope.json() == {"title": "IntegrityError", "description": 'roster "nope" not found'}
    with_scheduler = {**good, "scheduler": {"name": "default"}}
    assert (await http.post(ROSTER, json=with_scheduler)).status_code == 500  # observed upstream


async def test_update_and_delete_schedule(http: httpx.AsyncClient) -> None:
    edit = await http.put("/schedules/1", json={"role": "shadow", "auto_populate_threshold": 7})
    assert (edit.status_code, edit.content) == (200, b"")
    schedule = (await http.get("/schedules/1")).json()
    assert (schedule["role"], schedule["role_id"], schedule["auto_populate_threshold"]) == (
        "shadow",
        3,
        7,
    )
    events = [{"start": 0, "duration": 3 * DAY}]
    simple = await http.put("/schedules/1", json={"events": events})
    assert simple.json() == {
        "title": "Invalid edit",
        "description": "schedule cannot be represented in simple mode",
    }
    advanced = await http.put("/schedules/1", json={"events": events, "advanced_mode": 1})
    assert advanced.status_code == 200
    assert (await http.get("/schedules/1")).json()["events"] == [{"start": 0, "duration": 3 * DAY}]
    roster_only = await http.put("/schedules/1", json={"roster": "payments-rotation"})
    assert roster_only.json()["description"] == "team must be specified with roster"
    moved = await http.put("/schedules/1", json={"team": "payments", "roster": "payments-rotation"})
    assert moved.status_code == 200
    assert (await http.get("/schedules/1")).json()["team"] == "payments"
    assert (await http.put("/schedules/1", json={"role": "boss"})).status_code == 500
    assert (await http.put("/schedules/999", json={"role": "primary"})).status_code == 404
    assert (await http.delete("/schedules/1")).status_code == 200
    assert (await http.delete("/schedules/1")).status_code == 404
    assert (await http.get("/schedules/1")).status_code == 500
    # Events keep the id of their deleted schedule.
    assert (await http.get("/events/1")).json()["schedule_id"] == 1


async def test_populate_fills_the_calendar_from_the_roster(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    now = now_s(cast)  # Monday 2026-11-23 10:30 UTC
    before = (await http.get("/events?team=platform&role=primary")).json()
    populated = await http.post("/schedules/1/populate", json={"start": now + DAY})
    assert (populated.status_code, populated.content) == (200, b"")
    after = (await http.get("/events?team=platform&role=primary")).json()
    # From the next hand-off (Monday 30 Nov 00:00) to 21 days ahead: three new weekly shifts
    # replace the schedule's two later ones; earlier shifts stay.
    kept = [e for e in before if e["start"] < now + DAY]
    assert [e for e in after if e["start"] < now + DAY] == kept
    fresh = [e for e in after if e["start"] >= now + DAY]
    monday = 1795392000 + WEEK  # 2026-11-30 00:00 UTC
    assert [(e["start"], e["end"]) for e in fresh] == [
        (monday + w * WEEK, monday + (w + 1) * WEEK) for w in range(3)
    ]
    assert all(e["schedule_id"] == 1 and e["id"] > 40 for e in fresh)
    rotating = {"alice", "bob", "carmen", "dmitri.k", "farid"}
    assert {e["user"] for e in fresh} <= rotating
    # Nobody is scheduled over a shift of their own on the same team.
    secondary = await http.get("/events?team=platform&role=secondary")
    by_start = {e["start"]: e["user"] for e in secondary.json()}
    assert all(by_start.get(e["start"]) != e["user"] for e in fresh)
    past = await http.post("/schedules/1/populate", json={"start": now - 2 * WEEK})
    assert past.json() == {
        "title": "Invalid populate/preview request",
        "description": "cannot populate/preview starting in the past",
    }
    assert (await http.post("/schedules/999/populate", json={"start": now})).status_code == 404
    assert (await http.post("/schedules/1/populate", json={})).status_code == 500
