"""`teampulse { ... }`: every read, mapped from TeamPulse's payloads as they are, through the
real ASGI app over the emulator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gateway.emulators.cast import Cast
from tests.conftest import NOW
from tests.harness import Gateway, open_gateway

WEEK = {"from": str(NOW.date() - timedelta(days=6)), "to": str(NOW.date())}


async def teampulse(gw: Gateway, selection: str, variables: dict[str, Any] | None = None) -> Any:
    """Run `{ teampulse { <selection> } }` and return its data, failing on any error."""
    params = "($from: Date!, $to: Date!)" if variables else ""
    result = await gw.execute(f"query{params} {{ teampulse {{ {selection} }} }}", variables)
    assert "errors" not in result, result["errors"]
    return result["data"]["teampulse"]


def paths(gw: Gateway) -> list[str]:
    return [f"{c.method} {c.path}" for c in gw.log.of("teampulse")]


# -- people --------------------------------------------------------------------------------


async def test_users_are_the_cast_accounts_as_teampulse_shows_them(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        data = await teampulse(gw, "users { id name displayName } mentionableUsers { id name }")
    accounts = sorted((p.teampulse for p in cast.people if p.teampulse), key=lambda a: a.id)
    expected = [{"id": a.id, "name": a.name, "displayName": a.display_name} for a in accounts]
    assert data["users"] == expected
    assert data["mentionableUsers"] == [{"id": u["id"], "name": u["name"]} for u in expected]
    # TeamPulse's own usernames, not the cast's handles: Sam Taylor is "staylor" there.
    assert {"id": 11, "name": "staylor", "displayName": "Sam Taylor"} in expected


async def test_one_user_me_and_an_unknown_id(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        data = await teampulse(
            gw,
            "bob: user(id: 2) { id name displayName } "
            "gateway: user(id: 999) { name } nobody: user(id: 5555) { id } "
            "me { id name displayName }",
        )
        assert sorted(paths(gw)) == [
            "GET /users/2", "GET /users/5555", "GET /users/999", "GET /users/me",
        ]  # fmt: skip
    assert data["bob"] == {"id": 2, "name": "bob", "displayName": "Bob Okafor"}
    assert data["nobody"] is None
    # `/users/me` is the account the gateway signs in as, which `/users/{id}` finds too.
    assert data["me"] == {"id": 999, "name": "gateway", "displayName": "Teamgraph Gateway"}
    assert data["gateway"] == {"name": "gateway"}


# -- projects and tasks ----------------------------------------------------------------------


async def test_projects_with_their_users_tasks_and_time_entry_types(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        data = await teampulse(
            gw,
            "projects { id name users { name } tasks { id name workItem { type } } "
            "timeEntryTypes { id name sequenceNumber iversion timeEntryType { id name iversion } "
            "project { id } } }",
        )
    by_id = {p["id"]: p for p in data["projects"]}
    assert [(p["id"], p["name"]) for p in data["projects"]] == [
        (1, "Platform"), (2, "Payments"), (3, "Mobile"), (4, "Data & Analytics"),
    ]  # fmt: skip
    platform = next(t for t in cast.teams if t.handle == "platform")
    members = [cast.person(m.person).teampulse for m in platform.members]
    assert [u["name"] for u in by_id[1]["users"]] == [
        a.name for a in sorted((a for a in members if a), key=lambda a: a.id)
    ]
    assert [(t["id"], t["name"], t["workItem"]) for t in by_id[2]["tasks"]] == [
        (4020, "Meetings", None),
        (4021, "Build the public API", {"type": "Story"}),
        (4022, "Fix flaky login", {"type": "Bug"}),
        (4023, "Review the on-call runbook", {"type": "Issue"}),
    ]
    assert by_id[3]["timeEntryTypes"] == [
        {"id": 31, "name": "Billable", "sequenceNumber": 1, "iversion": 1,
         "timeEntryType": {"id": 1, "name": "Billable", "iversion": 0}, "project": {"id": 3}},
        {"id": 32, "name": "Non Billable", "sequenceNumber": 2, "iversion": 1,
         "timeEntryType": {"id": 2, "name": "Non Billable", "iversion": 0}, "project": {"id": 3}},
    ]  # fmt: skip


async def test_every_task_and_one_projects_tasks(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        data = await teampulse(
            gw,
            "tasks { id name project { id } workCompleted estimate { pert } } "
            "mine: tasks(project: 2) { id } unknown: tasks(project: 99) { id } "
            "project(id: 2) { name } noProject: project(id: 99) { name }",
        )
        assert sorted(paths(gw)) == [
            "GET /projects", "GET /projects/2/tasks", "GET /projects/99/tasks", "GET /tasks",
        ]  # fmt: skip
    general = [t for t in data["tasks"] if t["project"] is None]
    # The project sentinel {"id": -1} and the empty estimate {} read as null.
    assert general == [
        {"id": 75090, "name": "Vacation", "project": None, "workCompleted": None,
         "estimate": None},
        {"id": 75091, "name": "Sick leave", "project": None, "workCompleted": None,
         "estimate": None},
        {"id": 75092, "name": "Contract work", "project": None, "workCompleted": None,
         "estimate": None},
    ]  # fmt: skip
    assert len(data["tasks"]) == 3 + 4 * len(cast.teams)
    assert [t["id"] for t in data["mine"]] == [4020, 4021, 4022, 4023]
    assert data["unknown"] is None  # TeamPulse says 404: no such project
    assert data["project"] == {"name": "Payments"}
    assert data["noProject"] is None


async def test_one_task_with_its_work_item_and_estimate(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        data = await teampulse(
            gw,
            "task(id: 4012) { id name project { id name } workItem { id name type estimate } "
            "workCompleted estimate { optimistic probable pessimistic pert } } "
            "missing: task(id: 1) { id }",
        )
    task = data["task"]
    assert task["project"] == {"id": 1, "name": "Platform"}
    assert task["workItem"] == {"id": 102, "name": "Bug #102", "type": "Bug", "estimate": 2.0}
    assert task["estimate"] == {"optimistic": 1.0, "probable": 2.0, "pessimistic": 4.0,
                                "pert": 2.17}  # fmt: skip
    assert task["workCompleted"] > 0
    assert data["missing"] is None


# -- time entries ------------------------------------------------------------------------------


async def test_time_entries_of_a_range_and_one_entry(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        data = await teampulse(
            gw,
            "timeEntries(from: $from, to: $to) { id date hours type billable note iversion "
            "taskId user { id name displayName } task { id name } }",
            WEEK,
        )
        first = data["timeEntries"][0]
        one = await teampulse(
            gw,
            f"timeEntry(id: {first['id']}) {{ id date hours type note taskId task {{ id }} }} "
            "missing: timeEntry(id: 1) { id }",
        )
    entries = data["timeEntries"]
    assert entries and all(WEEK["from"] <= e["date"] <= WEEK["to"] for e in entries)
    assert [(e["date"], e["id"]) for e in entries] == sorted((e["date"], e["id"]) for e in entries)
    for e in entries:
        assert e["taskId"] == e["task"]["id"]
        # `billable` reads the API's three spellings; an empty type is unknown.
        expected = {"Billable": True, "Non-Billable": False, "Non Billable": False, "": None}
        assert e["billable"] == expected[e["type"]]
        assert 0 < e["hours"] <= 8
    assert {e["type"] for e in entries} >= {"Billable", "Non-Billable", "Non Billable"}
    bob = [e for e in entries if e["user"]["id"] == 2]
    assert bob and all(e["user"] == {"id": 2, "name": "bob", "displayName": "Bob Okafor"}
                       for e in bob)  # fmt: skip
    picked = {k: first[k] for k in ("id", "date", "hours", "type", "note", "taskId")}
    assert one["timeEntry"] == {**picked, "task": {"id": first["taskId"]}}
    assert one["missing"] is None


async def test_a_reversed_range_is_the_callers_mistake(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(
            '{ teampulse { timeEntries(from: "2026-11-20", to: "2026-11-10") { id } } }'
        )
        assert gw.log.of("teampulse") == []
    (error,) = result["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert result["data"]["teampulse"]["timeEntries"] is None


# -- activities ------------------------------------------------------------------------------


async def test_the_activity_stream_and_unread_counts(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        data = await teampulse(
            gw,
            "activities { id project { id } author { name displayName } workItem { id type "
            "isVisibleInPortal } content iconUrl hyperlink modifiedAt canComment commentType "
            "isFlagged system systemEvent } "
            "flagged: activities(flagged: true) { id } "
            "unflagged: activities(flagged: false) { id } "
            "unreadCounts { flagged unflagged total }",
        )
        assert sorted(str(c) for c in gw.log.of("teampulse")) == [
            "teampulse GET /activities",
            "teampulse GET /activities/count",
            "teampulse GET /activities?isFlagged=false",
            "teampulse GET /activities?isFlagged=true",
        ]
    stream = data["activities"]
    assert [a["id"] for a in stream] == [41606, 41605, 41604, 41603, 41602, 41601]
    assert [a["modifiedAt"] for a in stream] == sorted(
        (a["modifiedAt"] for a in stream), reverse=True
    )
    feedback = next(a for a in stream if a["id"] == 41602)
    assert feedback["author"] == {"name": "grace", "displayName": "Grace Liu"}
    assert feedback["project"] == {"id": 2}
    assert feedback["workItem"] == {"id": 209, "type": "Feedback", "isVisibleInPortal": True}
    assert feedback["hyperlink"].endswith("#/Project/2/GettingStarted$FeedbackId=209")
    assert (feedback["isFlagged"], feedback["systemEvent"], feedback["commentType"]) == (
        True, "WorkItemChanged", 1,
    )  # fmt: skip
    shared = next(a for a in stream if a["id"] == 41605)
    assert shared["project"] is None and shared["workItem"] is None
    assert shared["hyperlink"] is None and shared["commentType"] is None
    assert shared["content"] == "Bob Okafor shared:<br />Going for lunch, anyone want to come?"
    assert shared["iconUrl"].endswith("GetCachedThumbnailedUserImage?name=bob")
    assert (shared["system"], shared["systemEvent"]) == ("TeamPulse", "PersonalMessage")
    assert [a["id"] for a in data["flagged"]] == [41604, 41602]
    assert [a["id"] for a in data["unflagged"]] == [41606, 41605, 41603, 41601]
    # Activities older than a day start as seen in the demo.
    assert data["unreadCounts"] == {"flagged": 1, "unflagged": 2, "total": 3}
