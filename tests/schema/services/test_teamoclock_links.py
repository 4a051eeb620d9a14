"""Team O'clock linked into the unified graph, both ways: `User.teamoclock`,
`Team.teamoclock` and `Meeting.teamoclock` reach the per-service types, and their people and
teams are the unified `User`s and `Team`s again, at no extra upstream call."""

from __future__ import annotations

from typing import Any

from gateway.emulators.cast import Cast
from tests.harness import open_gateway


async def run(cast: Cast, query: str) -> tuple[Any, list[str]]:
    """`data` of a query that must not fail, and its Team O'clock calls, sorted."""
    async with open_gateway(cast) as gw:
        result = await gw.execute(query)
    assert "errors" not in result, result["errors"]
    return result["data"], sorted(str(c) for c in gw.log.of("teamoclock"))


async def test_every_user_reaches_their_member_and_back(cast: Cast) -> None:
    data, calls = await run(
        cast,
        "{ users { key accounts { service id } "
        "teamoclock { username firstName role user { key } } } }",
    )
    # username -> Team O'clock account, as the cast has it
    expected = {p.teamoclock.username: p.teamoclock for p in cast.people if p.teamoclock}
    for user in data["users"]:
        ids = {a["service"]: a["id"] for a in user["accounts"]}
        member = user["teamoclock"]
        if "TEAMOCLOCK" not in ids:
            assert member is None, user
            continue
        assert member["username"] == ids["TEAMOCLOCK"]
        assert member["user"] == {"key": user["key"]}  # the way back
        account = expected[member["username"]]
        assert (member["firstName"], member["role"]) == (account.first_name, account.role.upper())
    assert any(u["teamoclock"] is None for u in data["users"])  # jonas, victor: not members
    # The member list identity loads anyway: the field costs nothing more.
    assert calls == ["teamoclock GET /members", "teamoclock GET /teams"]


async def test_every_team_reaches_its_team_oclock_team_and_back(cast: Cast) -> None:
    data, calls = await run(
        cast, "{ teams { key teamoclock { slug name videoUrl team { key name } } } }"
    )
    by_key = {t["key"]: t["teamoclock"] for t in data["teams"]}
    assert by_key["data-analytics"] == {
        "slug": "data-analytics", "name": "Data and Analytics",
        "videoUrl": "https://meet.example/data-analytics",
        "team": {"key": "data-analytics", "name": "Data and Analytics"},
    }  # fmt: skip
    assert all(t["team"]["key"] == key for key, t in by_key.items())
    assert calls == ["teamoclock GET /members", "teamoclock GET /teams"]


async def test_a_meeting_reaches_its_notes_tasks_votes_and_board(cast: Cast) -> None:
    data, calls = await run(
        cast,
        """{ meetings {
          kind team { key }
          teamoclock {
            __typename id teamSlug team { key }
            ... on TeamOclockStandup { state { memberNotes { user { key } questions { q1 } } } }
            ... on TeamOclockPlanningPoker {
              state { facilitator { key } tasks { text voters { vote user { key } } } }
            }
            ... on TeamOclockRetrospective {
              state { stage columns { name } notes { text author { key } } }
            }
          }
        } }""",
    )
    kinds = {
        "STANDUP": "TeamOclockStandup",
        "PLANNING_POKER": "TeamOclockPlanningPoker",
        "RETROSPECTIVE": "TeamOclockRetrospective",
    }
    meetings = data["meetings"]
    assert len(meetings) == 6
    for meeting in meetings:
        detail = meeting["teamoclock"]
        assert detail["__typename"] == kinds[meeting["kind"]]
        assert detail["team"] == meeting["team"]
        state = detail["state"]
        if meeting["kind"] == "STANDUP":
            assert state["memberNotes"] and all(n["user"] for n in state["memberNotes"])
        elif meeting["kind"] == "PLANNING_POKER":
            assert state["facilitator"]["key"]
            assert any(v["user"] for t in state["tasks"] for v in t["voters"])
        else:
            assert [c["name"] for c in state["columns"]] == [
                "Went well", "To improve", "Ideas",
            ]  # fmt: skip
            assert state["notes"] and all(n["author"] for n in state["notes"])
    # The three lists, then one detail per meeting: nothing twice.
    noun = {"STANDUP": "standup", "PLANNING_POKER": "planpoker", "RETROSPECTIVE": "retro"}
    details = sorted(f"teamoclock GET /{noun[m['kind']]}/{m['teamoclock']['id']}" for m in meetings)
    lists = ["teamoclock GET /planpoker", "teamoclock GET /retro", "teamoclock GET /standup"]
    identity = ["teamoclock GET /members", "teamoclock GET /teams"]
    assert calls == sorted(lists + identity + details)


async def test_action_items_belong_to_teams_and_teams_to_their_action_items(cast: Cast) -> None:
    data, _ = await run(
        cast,
        "{ teamoclock { actionItems(first: 40) { nodes { id teamSlug team { key "
        "teamoclock { slug actionItems(first: 3) { nodes { teamSlug } } } } } } } }",
    )
    nodes = data["teamoclock"]["actionItems"]["nodes"]
    assert len(nodes) == 40
    slugs = {n["teamSlug"] for n in nodes}
    assert len(slugs) > 1
    for node in nodes:
        team = node["team"]
        assert team["key"] == node["teamSlug"]
        assert team["teamoclock"]["slug"] == node["teamSlug"]
        own = team["teamoclock"]["actionItems"]["nodes"]
        assert len(own) == 3 and {n["teamSlug"] for n in own} == {node["teamSlug"]}
