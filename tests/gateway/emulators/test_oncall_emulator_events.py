"""Event writes on the oncall emulator: create, edit, delete, swap, override, link."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.emulators.cast import Cast
from tests.gateway.emulators.oncall_support import WEEK, audit, mounted, now_s, open_client


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_client(mounted(cast)) as client:
        yield client


async def next_week(http: httpx.AsyncClient, cast: Cast, team: str) -> list[dict[str, Any]]:
    """The team's (primary, secondary) events starting within the coming week."""
    now = now_s(cast)
    found: list[dict[str, Any]] = (
        await http.get(f"/events?team={team}&start__gt={now}&start__lt={now + WEEK}")
    ).json()
    return found


async def test_create_event_and_its_validation(http: httpx.AsyncClient, cast: Cast) -> None:
    now = now_s(cast)
    good = {
        "start": now + 3600,
        "end": now + 7200,
        "user": "bob",
        "team": "platform",
        "role": "shadow",
        "note": "cover",
    }
    created = await http.post("/events", json=good)
    assert (created.status_code, created.json()) == (201, 41)
    stored = (await http.get("/events/41")).json()
    assert (stored["user"], stored["role"], stored["note"], stored["full_name"]) == (
        "bob",
        "shadow",
        "cover",
        "Bob Okafor",
    )
    failures = [
        ({**good, "end": good["start"]}, 400, "Invalid event", "Event must start before it ends"),
        (
            {**good, "start": now - 2 * 86400},
            400,
            "Invalid event",
            "Creating events in the past not allowed",
        ),
        ({**good, "user": "grace"}, 400, "Invalid event", "User must be part of the team"),
        ({**good, "team": "nope"}, 400, "Invalid event", "User must be part of the team"),
        ({**good, "role": "bogus"}, 422, "IntegrityError", 'role "bogus" not found'),
    ]
    for body, status, title, description in failures:
        response = await http.post("/events", json=body)
        assert (response.status_code, response.json()) == (
            status,
            {"title": title, "description": description},
        )
    assert (await http.post("/events", json={"end": now + 60})).status_code == 500
    words = await http.post("/events", json={**good, "start": "soon"})  # compared in Python
    assert (words.status_code, words.json()) == (500, {"title": "500 Internal Server Error"})
    garbage = await http.post("/events", content=b"not json")
    assert garbage.status_code == 400 and garbage.json()["title"] == "invalid JSON"


async def test_update_and_delete_event(http: httpx.AsyncClient, cast: Cast) -> None:
    now = now_s(cast)
    current = (
        await http.get(f"/events?team=platform&role=primary&start__le={now}&end__gt={now}")
    ).json()[0]
    edit = {"start": current["start"], "end": current["end"], "user": "carmen", "note": "swapped"}
    updated = await http.put(f"/events/{current['id']}", json=edit)
    assert (updated.status_code, updated.content) == (200, b"")
    after = (await http.get(f"/events/{current['id']}")).json()
    assert (after["user"], after["note"]) == ("carmen", "swapped")
    assert (
        await http.put(f"/events/{current['id']}", json={"end": current["end"]})
    ).status_code == 500
    bad_key = await http.put(f"/events/{current['id']}", json={"start": 1, "colour": "red"})
    assert bad_key.json() == {"title": "Invalid event update", "description": "Invalid column"}
    outsider = await http.put(
        f"/events/{current['id']}", json={"start": current["start"], "user": "grace"}
    )
    assert outsider.json()["description"] == "Event user must be part of the team"
    assert (await http.put("/events/999", json={"start": 1})).status_code == 404
    future = (await http.get(f"/events?team=platform&start__gt={now}")).json()[0]["id"]
    assert (await http.delete(f"/events/{future}")).status_code == 200
    assert (await http.delete(f"/events/{future}")).status_code == 404
    past = await http.delete("/events/1")
    assert past.json()["description"] == "Deleting events in the past not allowed"


async def test_event_writes_leave_an_audit_trail(http: httpx.AsyncClient, cast: Cast) -> None:
    now = now_s(cast)
    body = {"start": now + 3600, "end": now + 7200, "user": "bob", "team": "platform",
            "role": "shadow"}  # fmt: skip
    event_id = (await http.post("/events", json=body)).json()
    edit = {k: v for k, v in body.items() if k != "team"} | {"note": "n"}
    assert (await http.put(f"/events/{event_id}", json=edit)).status_code == 200
    await http.delete(f"/events/{event_id}")
    rows = await audit(http, team="platform", owner="test_user")
    assert [r["action"] for r in rows] == ["event_created", "event_edited", "event_deleted"]
    created = json.loads(str(rows[0]["context"]))
    assert created == {"new_event_id": event_id, "request_body": body}
    edited = json.loads(str(rows[1]["context"]))
    assert edited["old_event"]["user"] == "bob" and edited["request_body"]["note"] == "n"


async def test_swap_single_events(http: httpx.AsyncClient, cast: Cast) -> None:
    primary, secondary = await next_week(http, cast, "payments")
    refs = [{"id": primary["id"], "linked": False}, {"id": secondary["id"], "linked": False}]
    swap = await http.post("/events/swap", json={"events": refs})
    assert (swap.status_code, swap.content) == (200, b"")
    assert (await http.get(f"/events/{primary['id']}")).json()["user"] == secondary["user"]
    assert (await http.get(f"/events/{secondary['id']}")).json()["user"] == primary["user"]
    assert [r["action"] for r in await audit(http, team="payments")][-1] == "event_swapped"
    failures = [
        ({"events": []}, 400, "Must provide 2 events"),
        ({"events": [refs[0], {"id": 0, "linked": False}]}, 400, "Invalid event id: 0"),
        ({"events": [refs[0], {"id": 99999, "linked": False}]}, 404, None),
        ({"events": [refs[0], {"id": 1, "linked": False}]}, 400, "Cannot edit events in the past"),
        ({"nope": []}, 500, None),
    ]
    for body, status, description in failures:
        response = await http.post("/events/swap", json=body)
        assert response.status_code == status, body
        assert response.json().get("description") == description
    other_team = (await next_week(http, cast, "mobile"))[0]
    mixed = await http.post(
        "/events/swap", json={"events": [refs[0], {"id": other_team["id"], "linked": False}]}
    )
    assert mixed.json() == {
        "title": "Event swap not allowed",
        "description": "Swapped events must come from the same team",
    }


async def test_swap_a_linked_set_keeps_its_link(http: httpx.AsyncClient, cast: Cast) -> None:
    now = now_s(cast)
    shifts = [
        {"start": now + 10 * WEEK + h * 3600, "end": now + 10 * WEEK + (h + 1) * 3600,
         "user": "grace", "team": "payments", "role": "shadow"}
        for h in range(2)
    ]  # fmt: skip
    linked = (await http.post("/events/link", json=shifts)).json()
    single = (await http.post("/events", json={**shifts[0], "user": "hiro",
                                              "start": now + 11 * WEEK,
                                              "end": now + 11 * WEEK + 60})).json()  # fmt: skip
    refs = [{"id": linked["link_id"], "linked": True}, {"id": single, "linked": False}]
    assert (await http.post("/events/swap", json={"events": refs})).status_code == 200
    for event_id in linked["event_ids"]:
        event = (await http.get(f"/events/{event_id}")).json()
        assert (event["user"], event["link_id"]) == ("hiro", linked["link_id"])
    assert (await http.get(f"/events/{single}")).json()["user"] == "grace"


async def test_override_inside_an_event_splits_it(http: httpx.AsyncClient, cast: Cast) -> None:
    primary, _ = await next_week(http, cast, "payments")
    start, end = primary["start"] + 3600, primary["start"] + 7200
    override = await http.post(
        "/events/override",
        json={"event_ids": [primary["id"]], "start": start, "end": end, "user": "grace"},
    )
    assert override.status_code == 200
    rows = override.json()
    assert [(r["user"], r["start"], r["end"]) for r in rows] == [
        (primary["user"], primary["start"], start),
        (primary["user"], end, primary["end"]),
        ("grace", start, end),
    ]
    assert set(rows[0]) == {"start", "end", "id", "role", "team", "user", "full_name"}
    # The original is gone; both remaining parts are new events with no schedule.
    assert (await http.get(f"/events/{primary['id']}")).status_code == 404
    assert all(r["id"] > primary["id"] for r in rows)
    for row in rows:
        stored = (await http.get(f"/events/{row['id']}")).json()
        assert (stored["schedule_id"], stored["role"]) == (None, "primary")


async def test_override_trims_and_deletes(http: httpx.AsyncClient, cast: Cast) -> None:
    t = now_s(cast) + WEEK
    shift = {"user": "mateo", "team": "mobile", "role": "shadow"}
    first = (await http.post("/events", json={**shift, "start": t, "end": t + 7200})).json()
    second = (
        await http.post("/events", json={**shift, "start": t + 7200, "end": t + 14400})
    ).json()
    # Covers the end of the first event and all of the second (and beyond: clamped).
    override = await http.post(
        "/events/override",
        json={"event_ids": [second, first], "start": t + 3600, "end": t + 86400, "user": "lena"},
    )
    rows = override.json()
    assert [(r["id"], r["user"], r["start"], r["end"]) for r in rows] == [
        (first, "mateo", t, t + 3600),
        (second + 1, "lena", t + 3600, t + 14400),
    ]
    assert (await http.get(f"/events/{second}")).status_code == 404


async def test_override_validation(http: httpx.AsyncClient, cast: Cast) -> None:
    primary, secondary = await next_week(http, cast, "payments")
    base = {"event_ids": [primary["id"]], "start": primary["start"], "end": primary["end"]}
    unknown = {"title": "Invalid name or list of events"}  # a title, no description
    failures = [
        ({**base, "user": "nobody"}, unknown),
        ({**base, "event_ids": [99999], "user": "grace"}, unknown),
        ({**base, "user": "bob"}, {"title": "Invalid override request",
                                   "description": "Substituting user must be part of the team"}),
        ({**base, "event_ids": [primary["id"], secondary["id"]], "user": "grace"},
         {"title": "Invalid override request", "description": "events must have the same role"}),
        ({**base, "start": now_s(cast) - 3 * 86400, "user": "grace"},
         {"title": "Invalid override request", "description": "Cannot edit events in the past"}),
        ({**base, "start": primary["end"] + 10, "end": primary["end"] + 20, "user": "grace"},
         {"title": "Invalid override request",
          "description": "events must overlap with override time range"}),
    ]  # fmt: skip
    for body, answer in failures:
        response = await http.post("/events/override", json=body)
        assert (response.status_code, response.json()) == (400, answer), body
    assert (await http.post("/events/override", json={"user": "grace"})).status_code == 500


async def test_link_creates_a_set(http: httpx.AsyncClient, cast: Cast) -> None:
    now = now_s(cast)
    shifts = [
        {"start": now + 10 * WEEK + h * 3600, "end": now + 10 * WEEK + (h + 1) * 3600,
         "user": "grace", "team": "payments", "role": "shadow", "note": f"part {h}"}
        for h in (2, 0, 1)
    ]  # fmt: skip
    linked = await http.post("/events/link", json=shifts)
    assert linked.status_code == 201
    answer = linked.json()
    assert set(answer) == {"link_id", "event_ids"} and len(answer["link_id"]) == 32
    starts = [(await http.get(f"/events/{i}")).json()["start"] for i in answer["event_ids"]]
    assert starts == sorted(starts)  # ids ordered by start
    first = (await http.get(f"/events/{answer['event_ids'][0]}")).json()
    assert (first["link_id"], first["note"]) == (answer["link_id"], "part 0")
    upcoming = (await http.get("/users/grace/upcoming?role=shadow")).json()
    assert len(upcoming) == 1 and upcoming[0]["num_events"] == 3


async def test_link_validation(http: httpx.AsyncClient, cast: Cast) -> None:
    now = now_s(cast)
    good = {"start": now + WEEK, "end": now + WEEK + 60, "user": "grace", "team": "payments",
            "role": "shadow"}  # fmt: skip
    failures = [
        ({"events": []}, "Invalid argument", "events argument needs to be a list"),
        ([], "Invalid argument", "events list cannot be empty"),
        ([{**good, "team": ""}], "Invalid argument", "event missing team attribute"),
        ([{**good, "team": "nope"}], "Invalid event", "Invalid team name: nope"),
        ([good, {**good, "team": "mobile"}], "Invalid event",
         "Events can only be submitted to one team"),
        ([{**good, "user": "bob"}], "Invalid event", "User bob must be part of the team payments"),
        ([{**good, "end": good["start"]}], "Invalid event", "Event must start before it ends"),
    ]  # fmt: skip
    for body, title, description in failures:
        response = await http.post("/events/link", json=body)
        assert (response.status_code, response.json()) == (
            400,
            {"title": title, "description": description},
        ), body
    role = await http.post("/events/link", json=[{**good, "role": "boss"}])
    assert (role.status_code, role.json()["description"]) == (422, "role not found")
