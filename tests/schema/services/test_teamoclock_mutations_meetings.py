"""Team O'clock's meeting and history writes through the real app: starting a standup or
planning poker creates one or answers the running one (`alreadyActive`), retrospectives start
anew, meetings end, poker tasks and action items come and go, and each change reads back."""

from __future__ import annotations

from typing import Any

from gateway.emulators.cast import Cast
from tests.harness import open_gateway
from tests.schema.coverage.teamoclock import MOBILE_TASK, PLATFORM_RETRO
from tests.schema.services.test_teamoclock_mutations import (
    ERRORS,
    NOT_FOUND,
    REFUSED,
    mutate,
    read,
    writes,
)

START = (
    "mutation($team: String!, $host: String) { %s(input: { team: $team, facilitator: $host }) "
    f"{{ result {{ alreadyActive meeting {{ id name date url teamSlug team {{ key }} }} }} "
    f"{ERRORS} }} }}"
)
START_STANDUP = (
    "mutation($team: String!) { startTeamOclockStandup(input: { team: $team }) "
    f"{{ result {{ alreadyActive meeting {{ id name date url teamSlug team {{ key }} }} }} "
    f"{ERRORS} }} }}"
)
START_POKER = START % "startTeamOclockPlanningPoker"
START_RETRO = (
    "mutation($team: String!, $host: String) { startTeamOclockRetrospective(input: "
    "{ team: $team, facilitator: $host }) "
    f"{{ result {{ id name teamSlug team {{ key }} }} {ERRORS} }} }}"
)


def end(kind: str) -> str:
    return f"mutation($id: String!) {{ end{kind}(id: $id) {{ result {ERRORS} }} }}"


def refused(payload: Any, code: str = "INVALID_INPUT") -> bool:
    message = REFUSED if code == "INVALID_INPUT" else NOT_FOUND
    expected = {
        "result": None,
        "userErrors": [{"field": None, "message": message, "code": code}],
    }
    return bool(payload == expected)


# -- standups and planning pokers: one active per team ----------------------------------------


async def test_a_standup_starts_or_the_running_one_is_answered(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        running = await read(gw, 'standups(team: "platform") { id name date url }')
        new = await mutate(gw, START_STANDUP, {"team": "mobile"})
        same = await mutate(gw, START_STANDUP, {"team": "platform"})
        listed = await read(gw, "standups { id teamSlug }")
        # Team O'clock tells them apart by status only: 201 started, 200 already running.
        assert writes(gw) == [("POST /standup", 201), ("POST /standup", 200)]
    assert new["userErrors"] == [] and new["result"]["alreadyActive"] is False
    assert new["result"]["meeting"] == {
        "id": "mobile", "name": "Mobile standup", "date": "2026-11-23T10:30:00+00:00",
        "url": "https://www.teamoclock.com/teamgraph-demo/standup/mobile", "teamSlug": "mobile",
        "team": {"key": "mobile"},
    }  # fmt: skip
    assert same["result"]["alreadyActive"] is True
    meeting = same["result"]["meeting"]
    assert {k: meeting[k] for k in ("id", "name", "date", "url")} == running["standups"][0]
    assert [s["id"] for s in listed["standups"]] == ["platform", "payments", "mobile"]


async def test_a_running_planning_poker_keeps_its_facilitator(cast: Cast) -> None:
    poker = (
        'planningPoker(id: "%s") { state { facilitatorUsername facilitator { key } tasks { id } } }'
    )
    async with open_gateway(cast) as gw:
        before = await read(gw, poker % "mobile")
        same = await mutate(gw, START_POKER, {"team": "mobile", "host": "bob"})
        new = await mutate(gw, START_POKER, {"team": "platform", "host": "bob"})
        got = await read(gw, f"mobile: {poker % 'mobile'} platform: {poker % 'platform'}")
        assert writes(gw) == [("POST /planpoker", 200), ("POST /planpoker", 201)]
    assert same["result"]["alreadyActive"] is True and same["result"]["meeting"]["id"] == "mobile"
    assert got["mobile"] == before["planningPoker"]  # bob was not made its facilitator
    assert new["result"]["alreadyActive"] is False
    assert new["result"]["meeting"]["name"] == "Platform planning poker"
    assert got["platform"]["state"] == {
        "facilitatorUsername": "bob", "facilitator": {"key": "bob"}, "tasks": []
    }  # fmt: skip


async def test_a_meeting_for_an_unknown_team_or_facilitator_is_refused(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        no_team = await mutate(gw, START_STANDUP, {"team": "nope"})
        no_host = await mutate(gw, START_POKER, {"team": "platform", "host": "nobody"})
        no_slug = await mutate(gw, START_RETRO, {"team": ""})
        got = await read(gw, "planningPokers { id } retrospectives { id }")
    assert refused(no_team, "NOT_FOUND")
    assert refused(no_host) and refused(no_slug, "NOT_FOUND")
    assert [p["id"] for p in got["planningPokers"]] == ["mobile", "data-analytics"]
    assert len(got["retrospectives"]) == 2


async def test_standups_and_planning_pokers_end(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        standup = await mutate(gw, end("TeamOclockStandup"), {"id": "platform"})
        poker = await mutate(gw, end("TeamOclockPlanningPoker"), {"id": "mobile"})
        got = await read(
            gw,
            'standups { id } standup(id: "platform") { id } planningPokers { id } '
            'team(slug: "mobile") { planningPoker { id } }',
        )
        again = await mutate(gw, end("TeamOclockStandup"), {"id": "platform"})
        assert writes(gw) == [
            ("DELETE /standup/platform", 204), ("DELETE /planpoker/mobile", 204),
            ("DELETE /standup/platform", 404),
        ]  # fmt: skip
    assert standup == {"result": "platform", "userErrors": []}
    assert poker == {"result": "mobile", "userErrors": []}
    assert got == {
        "standups": [{"id": "payments"}], "standup": None,
        "planningPokers": [{"id": "data-analytics"}], "team": {"planningPoker": None},
    }  # fmt: skip
    assert refused(again, "NOT_FOUND")


# -- retrospectives: every start is a new one -------------------------------------------------


async def test_retrospectives_start_anew_and_end(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        first = await mutate(gw, START_RETRO, {"team": "payments", "host": "grace"})
        second = await mutate(gw, START_RETRO, {"team": "payments"})
        ended = await mutate(gw, end("TeamOclockRetrospective"), {"id": PLATFORM_RETRO})
        got = await read(
            gw,
            'retrospectives(team: "payments") { id } platform: retrospectives(team: "platform") '
            "{ id }",
        )
        detail = await gw.execute(
            "query($id: String!) { teamoclock { retrospective(id: $id) { state { stage "
            "facilitatorUsername notes { id } } } } }",
            {"id": first["result"]["id"]},
        )
        assert writes(gw) == [
            ("POST /retro", 201), ("POST /retro", 201), (f"DELETE /retro/{PLATFORM_RETRO}", 204)
        ]  # fmt: skip
    ids = [first["result"]["id"], second["result"]["id"]]
    assert ids[0] != ids[1] and all(i.startswith("r") for i in ids)
    assert first["result"]["name"] == "Payments retrospective"
    assert first["result"]["team"] == {"key": "payments"}
    assert [r["id"] for r in got["retrospectives"]] == sorted(ids)  # same start: by id
    assert ended == {"result": PLATFORM_RETRO, "userErrors": []}
    assert got["platform"] == []
    state = detail["data"]["teamoclock"]["retrospective"]["state"]
    assert state == {"stage": "GATHER", "facilitatorUsername": "grace", "notes": []}


# -- planning poker tasks ---------------------------------------------------------------------

CREATE_TASK = (
    "mutation($id: String!, $text: String!) { createTeamOclockPlanningPokerTask(id: $id, "
    f"input: {{ text: $text }}) {{ result {{ id text status avgVote voters {{ username }} jira }} "
    f"{ERRORS} }} }}"
)
DELETE_TASK = (
    "mutation($id: String!, $task: String!) { deleteTeamOclockPlanningPokerTask(id: $id, "
    f"taskId: $task) {{ result {ERRORS} }} }}"
)


async def test_poker_tasks_are_added_and_deleted(cast: Cast) -> None:
    tasks = 'planningPokerTasks(id: "mobile") { id text }'
    async with open_gateway(cast) as gw:
        before = (await read(gw, tasks))["planningPokerTasks"]
        created = await mutate(gw, CREATE_TASK, {"id": "mobile", "text": "Offline mode"})
        task = created["result"]
        after = (await read(gw, tasks))["planningPokerTasks"]
        deleted = await mutate(gw, DELETE_TASK, {"id": "mobile", "task": MOBILE_TASK})
        left = (await read(gw, tasks))["planningPokerTasks"]
    assert created["userErrors"] == []
    assert task == {"id": task["id"], "text": "Offline mode", "status": "ACTIVE",
                    "avgVote": None, "voters": [], "jira": None}  # fmt: skip
    assert after == [*before, {"id": task["id"], "text": "Offline mode"}]
    assert deleted == {"result": MOBILE_TASK, "userErrors": []}
    assert left == [t for t in after if t["id"] != MOBILE_TASK]


async def test_a_task_needs_a_running_poker_and_some_text(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        no_poker = await mutate(gw, CREATE_TASK, {"id": "platform", "text": "Anything"})
        no_text = await mutate(gw, CREATE_TASK, {"id": "mobile", "text": ""})
        no_task = await mutate(gw, DELETE_TASK, {"id": "mobile", "task": "zzzz"})
    assert refused(no_poker, "NOT_FOUND") and refused(no_text) and refused(no_task, "NOT_FOUND")


# -- action items and the timeline ------------------------------------------------------------

ITEM = "id text resolved teamSlug team { key }"


async def test_an_action_item_is_created_changed_and_deleted(cast: Cast) -> None:
    create = (
        'mutation { createTeamOclockActionItem(input: { team: "data-analytics", text: "Write '
        f'the incident review" }}) {{ result {{ {ITEM} }} {ERRORS} }} }}'
    )
    update = (
        "mutation($id: String!, $input: UpdateTeamOclockActionItemInput!) { "
        f"updateTeamOclockActionItem(id: $id, input: $input) {{ result {{ {ITEM} }} {ERRORS} }} }}"
    )
    delete = (
        f"mutation($id: String!) {{ deleteTeamOclockActionItem(id: $id) {{ result {ERRORS} }} }}"
    )
    async with open_gateway(cast) as gw:
        created = (await mutate(gw, create))["result"]
        newest = await read(gw, 'actionItems(team: "data-analytics", first: 1) { nodes { id } }')
        resolved = await mutate(gw, update, {"id": created["id"], "input": {"resolved": True}})
        renamed = await mutate(gw, update, {"id": created["id"], "input": {"text": "Done it"}})
        got = await read(gw, f'actionItem(id: "{created["id"]}") {{ text resolved }}')
        deleted = await mutate(gw, delete, {"id": created["id"]})
        gone = await read(gw, f'actionItem(id: "{created["id"]}") {{ id }}')
    assert created == {
        "id": "A129", "text": "Write the incident review", "resolved": False,
        "teamSlug": "data-analytics",
        "team": {"key": "data-analytics"},
    }  # fmt: skip
    assert newest["actionItems"]["nodes"] == [{"id": "A129"}]  # newest first
    assert resolved["result"]["resolved"] is True
    assert renamed["result"] == {**created, "text": "Done it", "resolved": True}
    assert got["actionItem"] == {"text": "Done it", "resolved": True}
    assert deleted == {"result": "A129", "userErrors": []} and gone["actionItem"] is None


async def test_an_action_item_needs_a_known_team_and_some_text(cast: Cast) -> None:
    document = (
        "mutation($team: String!, $text: String!) { createTeamOclockActionItem(input: "
        f"{{ team: $team, text: $text }}) {{ result {{ id }} {ERRORS} }} }}"
    )
    async with open_gateway(cast) as gw:
        no_team = await mutate(gw, document, {"team": "nope", "text": "Something"})
        no_text = await mutate(gw, document, {"team": "platform", "text": ""})
        no_item = await mutate(
            gw,
            f'mutation {{ updateTeamOclockActionItem(id: "A999", input: {{ resolved: true }}) '
            f"{{ result {{ id }} {ERRORS} }} }}",
        )
    assert refused(no_team, "NOT_FOUND") and refused(no_text) and refused(no_item, "NOT_FOUND")


async def test_a_timeline_record_is_deleted(cast: Cast) -> None:
    delete = (
        "mutation($id: String!) { deleteTeamOclockTimelineRecord(id: $id) "
        f"{{ result {ERRORS} }} }}"
    )
    oldest = "timeline(type: STANDUP, first: 100) { nodes { id } }"  # every standup: 80
    async with open_gateway(cast) as gw:
        before = [n["id"] for n in (await read(gw, oldest))["timeline"]["nodes"]]
        deleted = await mutate(gw, delete, {"id": "S1"})
        after = await read(gw, f'{oldest} timelineRecord(id: "S1") {{ __typename }}')
        again = await mutate(gw, delete, {"id": "S1"})
    assert "S1" in before
    assert deleted == {"result": "S1", "userErrors": []}
    assert [n["id"] for n in after["timeline"]["nodes"]] == [i for i in before if i != "S1"]
    assert after["timelineRecord"] is None
    assert refused(again, "NOT_FOUND")
