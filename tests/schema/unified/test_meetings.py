"""`startMeeting`, `endMeeting`, `createActionItem` and `resolveActionItem` through the ASGI
app: Team O'clock meetings as the unified `Meeting` (a running standup surfaced as
`alreadyActive`), action items, and each change read back through GraphQL."""

from __future__ import annotations

from typing import Any

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from tests.harness import Gateway, open_gateway
from tests.schema.unified.support import run, writes

MEETING = "id kind name team { key }"
START = f"""mutation Start($team: String!, $kind: MeetingKind!, $by: String, $key: String) {{
  startMeeting(team: $team, kind: $kind, facilitator: $by, idempotencyKey: $key) {{
    replayed userErrors {{ field message code }}
    result {{ alreadyActive meeting {{ {MEETING} }} }}
  }}
}}"""
END = f"""mutation End($id: ID!) {{
  endMeeting(id: $id) {{ userErrors {{ field message code }} result {{ {MEETING} }} }}
}}"""
ITEM = "id text resolved teamSlug team { key }"
CREATE = f"""mutation Create($team: String!, $text: String!) {{
  createActionItem(team: $team, text: $text) {{
    userErrors {{ field message code }} result {{ {ITEM} }}
  }}
}}"""
RESOLVE = f"""mutation Resolve($id: String!, $resolved: Boolean!) {{
  resolveActionItem(id: $id, resolved: $resolved) {{
    userErrors {{ field message code }} result {{ {ITEM} }}
  }}
}}"""


async def meetings(gw: Gateway, team: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (
        await run(gw, f'{{ meetings(team: "{team}") {{ {MEETING} }} }}')
    )["meetings"]
    return found


async def start(gw: Gateway, **variables: Any) -> dict[str, Any]:
    answer: dict[str, Any] = (await run(gw, START, variables))["startMeeting"]
    return answer


async def test_starting_a_meeting_shows_it_in_the_teams_meetings(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        before = await meetings(gw, "platform")
        answer = await start(gw, team="Platform", kind="PLANNING_POKER", by="bob")
        made = writes(gw)
        after = await meetings(gw, "platform")
        detail = await run(
            gw,
            "query($id: ID!) { node(id: $id) { ... on Meeting { teamoclock { "
            "... on TeamOclockPlanningPoker { state { facilitatorUsername } } } } } }",
            {"id": answer["result"]["meeting"]["id"]},
        )
    assert answer["userErrors"] == [] and answer["result"]["alreadyActive"] is False
    meeting = answer["result"]["meeting"]
    assert meeting["kind"] == "PLANNING_POKER" and meeting["team"] == {"key": "platform"}
    assert meeting not in before and meeting in after
    assert made == ["teamoclock POST /planpoker 201"]
    assert detail["node"]["teamoclock"] == {"state": {"facilitatorUsername": "bob"}}


async def test_a_running_standup_is_answered_as_already_active(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        running = [m for m in await meetings(gw, "platform") if m["kind"] == "STANDUP"]
        answer = await start(gw, team="platform", kind="STANDUP")
        made = writes(gw)
        after = await meetings(gw, "platform")
    assert answer["result"] == {"alreadyActive": True, "meeting": running[0]}
    assert made == ["teamoclock POST /standup 200"]
    assert [m for m in after if m["kind"] == "STANDUP"] == running


async def test_a_retrospective_always_starts_anew(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        first = await start(gw, team="platform", kind="RETROSPECTIVE")
        second = await start(gw, team="platform", kind="RETROSPECTIVE")
        retros = [m for m in await meetings(gw, "platform") if m["kind"] == "RETROSPECTIVE"]
    assert first["result"]["alreadyActive"] is second["result"]["alreadyActive"] is False
    assert first["result"]["meeting"]["id"] != second["result"]["meeting"]["id"]
    assert len(retros) == 3  # the demo's own, and the two new ones


async def test_ending_a_meeting_answers_it_and_it_is_gone(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        [standup] = [m for m in await meetings(gw, "payments") if m["kind"] == "STANDUP"]
        ended = (await run(gw, END, {"id": standup["id"]}))["endMeeting"]
        again = (await run(gw, END, {"id": standup["id"]}))["endMeeting"]
        made = writes(gw)
        after = await meetings(gw, "payments")
    assert ended == {"userErrors": [], "result": standup}
    assert standup not in after
    assert [e["code"] for e in again["userErrors"]] == ["NOT_FOUND"]
    assert made == ["teamoclock DELETE /standup/payments 204"]


async def test_action_items_are_created_and_resolved(cast: Cast) -> None:
    read = (
        '{ team(key: "mobile") { teamoclock { '
        "actionItems(status: RESOLVED, first: 100) { nodes { id text } } } } }"
    )
    async with open_gateway(cast) as gw:
        created = await run(gw, CREATE, {"team": "mobile", "text": "Fix the flaky build"})
        item = created["createActionItem"]["result"]
        resolved = await run(gw, RESOLVE, {"id": item["id"], "resolved": True})
        made = writes(gw)
        after = await run(gw, read)
        missing = await run(gw, RESOLVE, {"id": "A999999", "resolved": True})
        empty = await run(gw, CREATE, {"team": "mobile", "text": ""})
    assert item["text"] == "Fix the flaky build" and item["resolved"] is False
    assert item["team"] == {"key": "mobile"} and item["teamSlug"] == "mobile"
    assert resolved["resolveActionItem"]["result"] == {**item, "resolved": True}
    assert made == [
        "teamoclock POST /actionitems 201",
        f"teamoclock PATCH /actionitems/{item['id']} 200",
    ]
    nodes = after["team"]["teamoclock"]["actionItems"]["nodes"]
    assert {"id": item["id"], "text": "Fix the flaky build"} in nodes
    assert [e["code"] for e in missing["resolveActionItem"]["userErrors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in empty["createActionItem"]["userErrors"]] == ["INVALID_INPUT"]


async def test_an_ambiguous_facilitator_or_unknown_team_is_a_user_error(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        sam = await start(gw, team="mobile", kind="RETROSPECTIVE", by="Sam Taylor")
        nowhere = await start(gw, team="marketing", kind="STANDUP")
        standup = await start(gw, team="mobile", kind="STANDUP", by="bob")
        made = writes(gw)
    [error] = sam["userErrors"]
    assert error["code"] == "AMBIGUOUS" and error["field"] == ["facilitator"]
    assert "sam.taylor, samuel.taylor" in error["message"]
    assert [(e["code"], e["field"]) for e in nowhere["userErrors"]] == [("NOT_FOUND", ["team"])]
    assert [e["field"] for e in standup["userErrors"]] == [["facilitator"]]
    assert made == []


async def test_a_repeat_with_the_same_key_starts_nothing_twice(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        first = await start(gw, team="platform", kind="RETROSPECTIVE", key="retro-1")
        gw.log.clear()
        again = await start(gw, team="platform", kind="RETROSPECTIVE", key="retro-1")
        assert gw.log.calls == []
    assert again == {**first, "replayed": True}


async def test_team_oclock_down_is_an_error_naming_it(cast: Cast) -> None:
    async with open_gateway(cast, faults={"teamoclock": Faults(down=True)}) as gw:
        answer = await gw.execute(START, {"team": "platform", "kind": "STANDUP"})
        made = writes(gw)
    assert answer["data"] is None
    assert {e["extensions"]["service"] for e in answer["errors"]} == {"teamoclock"}
    assert made == []
