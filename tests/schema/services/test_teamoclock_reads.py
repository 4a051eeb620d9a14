"""`teamoclock { ... }` through the real app: each read maps the API's payload field by field
(checked against the emulator's own JSON), missing items are null, and every type, field,
argument and enum value is described."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLEnumType, GraphQLInterfaceType, GraphQLObjectType, GraphQLUnionType

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from schema import schema
from tests.conftest import emulator_http, mounted_emulator
from tests.harness import open_gateway
from tests.schema.coverage.teamoclock import MOBILE_TASK, PLATFORM_RETRO


async def raw(cast: Cast, path: str, **params: str) -> Any:
    """The `data` the emulator answers for `path`: what the GraphQL must map."""
    app = mounted_emulator("teamoclock", cast)
    auth = (cast.credentials.teamoclock_org, cast.credentials.teamoclock_key)
    base = "http://emulator" + MOUNTS["teamoclock"]
    async with emulator_http(app, service="teamoclock", base_url=base, auth=auth) as http:
        response = await http.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def toc(cast: Cast, query: str, variables: dict[str, Any] | None = None) -> Any:
    """`data.teamoclock` of a query that must not fail."""
    async with open_gateway(cast) as gw:
        result = await gw.execute(f"{{ teamoclock {{ {query} }} }}", variables)
    assert "errors" not in result, result["errors"]
    return result["data"]["teamoclock"]


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


async def test_members_map_every_field_and_link_each_to_a_user(cast: Cast) -> None:
    query = "members { username firstName lastName avatar email role user { key email } }"
    got = (await toc(cast, query))["members"]
    wire = await raw(cast, "/members")
    assert [m["username"] for m in got] == [m["username"] for m in wire]  # the API's order
    for mine, theirs in zip(got, wire, strict=True):
        assert mine["firstName"] == theirs["first_name"]
        assert mine["lastName"] == theirs["last_name"]
        assert mine["avatar"] == theirs["avatar"]
        assert mine["email"] == theirs["email"]
        assert mine["role"] == theirs["role"].upper()
        assert mine["user"] is not None
    roles = {m["username"]: m["role"] for m in got}
    assert roles["alice"] == "ADMINISTRATOR" and roles["grace"] == "MANAGER"
    # Team O'clock's "Dmitri.K" (another email, another case) is oncall's dmitri.k.
    dmitri = next(m for m in got if m["username"] == "Dmitri.K")
    assert dmitri["user"]["key"] == "dmitri.k"


async def test_one_member_and_one_team_by_key_null_when_missing(cast: Cast) -> None:
    got = await toc(
        cast,
        'alice: member(username: "alice") { username firstName email role } '
        'nobody: member(username: "nobody") { username } '
        'data: team(slug: "data-analytics") { name slug videoUrl moodEnabled team { key } } '
        'nope: team(slug: "nope") { slug }',
    )
    assert got["alice"] == {
        "username": "alice", "firstName": "Alice", "email": "alice@teamgraph.example",
        "role": "ADMINISTRATOR",
    }  # fmt: skip
    assert got["data"] == {
        "name": "Data and Analytics", "slug": "data-analytics",
        "videoUrl": "https://meet.example/data-analytics", "moodEnabled": False,
        "team": {"key": "data-analytics"},
    }  # fmt: skip
    assert got["nobody"] is None and got["nope"] is None


async def test_teams_and_their_members_in_the_apis_order(cast: Cast) -> None:
    query = "teams { slug name videoUrl moodEnabled members { username } }"
    got = (await toc(cast, query))["teams"]
    wire = await raw(cast, "/teams")
    assert [t["slug"] for t in got] == [t["slug"] for t in wire]
    for mine, theirs in zip(got, wire, strict=True):
        assert (mine["name"], mine["videoUrl"], mine["moodEnabled"]) == (
            theirs["name"], theirs["video_url"], theirs["mood_enabled"],
        )  # fmt: skip
        members = await raw(cast, f"/teams/{theirs['slug']}/members")
        assert [m["username"] for m in mine["members"]] == [m["username"] for m in members]


async def test_active_meetings_are_listed_oldest_first_and_filtered_by_team(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(
            "{ teamoclock { all: standups { id name date url teamSlug team { key } } "
            'mine: standups(team: "payments") { id } pokers: planningPokers { id teamSlug } '
            "retros: retrospectives { id teamSlug } } }"
        )
    assert "errors" not in result, result["errors"]
    got = result["data"]["teamoclock"]
    wire = await raw(cast, "/standup")
    oldest_first = sorted(wire, key=lambda s: (instant(s["date"]), s["id"]))
    assert [(s["id"], s["teamSlug"]) for s in got["all"]] == [
        (s["id"], s["team"]["slug"]) for s in oldest_first
    ]
    platform = next(s for s in got["all"] if s["id"] == "platform")
    assert platform["team"] == {"key": "platform"}
    assert platform["name"] == "Platform standup"
    assert platform["url"].endswith("/standup/platform")
    assert got["mine"] == [{"id": "payments"}]
    assert sorted(p["teamSlug"] for p in got["pokers"]) == ["data-analytics", "mobile"]
    assert sorted(r["teamSlug"] for r in got["retros"]) == ["data-analytics", "platform"]
    assert PLATFORM_RETRO in {r["id"] for r in got["retros"]}
    # Both standup lists come from one unfiltered call, shared with `Team.meetings`.
    asked = [str(c) for c in gw.log.of("teamoclock")]
    assert asked.count("teamoclock GET /standup") == 1 and "filter" not in " ".join(asked)


async def test_a_standup_in_detail_maps_its_questions_and_notes(cast: Cast) -> None:
    got = await toc(
        cast,
        'standup(id: "platform") { id name state { questions { q1 q2 q3 } '
        "roundupNotes { id text } memberNotes { username user { key } "
        "questions { q1 q2 q3 answeredAt } } } }",
    )
    wire = (await raw(cast, "/standup/platform"))["state"]
    state = got["standup"]["state"]
    assert state["questions"] == wire["questions"]
    assert state["roundupNotes"] == wire["roundup_notes"]
    assert len(state["memberNotes"]) == len(wire["member_notes"]) > 0
    for mine, theirs in zip(state["memberNotes"], wire["member_notes"], strict=True):
        assert mine["username"] == theirs["username"]
        assert mine["user"]["key"] == theirs["username"].lower()
        answers = theirs["questions"]
        assert {k: mine["questions"][k] for k in ("q1", "q2", "q3")} == {
            k: answers[k] for k in ("q1", "q2", "q3")
        }
        # `q_ts` is epoch seconds on the wire; a DateTime here.
        assert instant(mine["questions"]["answeredAt"]).timestamp() == answers["q_ts"]


async def test_a_planning_poker_maps_its_facilitator_tasks_and_votes(cast: Cast) -> None:
    got = await toc(
        cast,
        'planningPoker(id: "mobile") { id teamSlug state { facilitatorUsername '
        "facilitator { key } tasks { id status text avgVote jira voters { username vote "
        "user { key } } } } }",
    )
    wire = (await raw(cast, "/planpoker/mobile"))["state"]
    state = got["planningPoker"]["state"]
    assert state["facilitatorUsername"] == wire["facilitator"]["username"]
    assert state["facilitator"]["key"] == wire["facilitator"]["username"].lower()
    assert [t["id"] for t in state["tasks"]] == [t["id"] for t in wire["tasks"]]
    for mine, theirs in zip(state["tasks"], wire["tasks"], strict=True):
        assert mine["status"] == theirs["status"].upper()
        assert mine["text"] == theirs["text"]
        assert mine["avgVote"] == theirs["avg_vote"]
        assert mine["jira"] == theirs["links"].get("jira")
        assert [(v["username"], v["vote"]) for v in mine["voters"]] == [
            (v["username"], v["vote"]) for v in theirs["voters"]
        ]
        assert all(v["user"]["key"] == v["username"].lower() for v in mine["voters"])
    assert {t["status"] for t in state["tasks"]} == {"ACTIVE", "COMPLETED"}


async def test_a_planning_pokers_tasks_and_one_task(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(
            "query($task: String!) { teamoclock { "
            'tasks: planningPokerTasks(id: "mobile") { id text avgVote } '
            'task: planningPokerTask(id: "mobile", taskId: $task) { id text voters { username } } '
            'missing: planningPokerTasks(id: "nope") { id } '
            'gone: planningPokerTask(id: "mobile", taskId: "nope") { id } } }',
            {"task": MOBILE_TASK},
        )
    assert "errors" not in result, result["errors"]
    got = result["data"]["teamoclock"]
    wire = await raw(cast, "/planpoker/mobile/tasks")
    assert got["tasks"] == [
        {"id": t["id"], "text": t["text"], "avgVote": t["avg_vote"]} for t in wire
    ]
    assert got["task"]["id"] == MOBILE_TASK == wire[0]["id"]
    assert [v["username"] for v in got["task"]["voters"]] == [
        v["username"] for v in wire[0]["voters"]
    ]
    # No such planning poker, no such task: null, like any missing item, and no error.
    assert got["missing"] is None and got["gone"] is None


async def test_a_retrospective_maps_its_stage_board_and_action_items(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(
            "query($id: String!) { teamoclock { retrospective(id: $id) { id teamSlug "
            "state { stage maxVotes publicVoting anonymousNotes hideImActionitems "
            "facilitatorUsername facilitator { key } columns { id name description } "
            "notes { id text column votes group authorUsername author { key } } "
            "actionItems { id text } } } } }",
            {"id": PLATFORM_RETRO},
        )
    assert "errors" not in result, result["errors"]
    retro = result["data"]["teamoclock"]["retrospective"]
    wire = (await raw(cast, f"/retro/{PLATFORM_RETRO}"))["state"]
    state = retro["state"]
    assert retro["teamSlug"] == "platform"
    assert state["stage"] == wire["stage"].upper()
    assert (state["maxVotes"], state["publicVoting"], state["anonymousNotes"]) == (
        wire["max_votes"], wire["public_voting"], wire["anonymous_notes"],
    )  # fmt: skip
    assert state["hideImActionitems"] == wire["hide_im_actionitems"]
    assert state["facilitator"]["key"] == wire["facilitator"]["username"].lower()
    assert state["columns"] == wire["columns"]
    assert state["actionItems"] == wire["action_items"]
    assert len(state["notes"]) == len(wire["notes"]) > 0
    for mine, theirs in zip(state["notes"], wire["notes"], strict=True):
        assert (mine["id"], mine["text"], mine["column"], mine["votes"], mine["group"]) == (
            theirs["id"], theirs["text"], theirs["column"], theirs["votes"], theirs["group"],
        )  # fmt: skip
        assert mine["authorUsername"] == theirs.get("author")
        assert mine["author"]["key"] == theirs["author"].lower()  # "Dmitri.K" is dmitri.k


async def test_an_action_item_by_id(cast: Cast) -> None:
    got = await toc(
        cast,
        'first: actionItem(id: "A1") { id text resolved jira teamSlug team { key name } } '
        'none: actionItem(id: "A99999") { id }',
    )
    wire = await raw(cast, "/actionitems/A1")
    assert got["first"] == {
        "id": "A1", "text": wire["text"], "resolved": wire["resolved"],
        "jira": wire.get("links", {}).get("jira"), "teamSlug": wire["team"]["slug"],
        "team": {"key": wire["team"]["slug"], "name": "Platform"},
    }  # fmt: skip
    assert got["none"] is None


RECORD = """
__typename
... on TeamOclockTimelineStandup { id type date teamSlug team { key } isAsync origin
  questions { q1 } syncNotes asyncNotes { username text question user { key } } }
... on TeamOclockTimelineRetro { id type name columns { id } notes { text votes column }
  actionItems { id resolved } }
... on TeamOclockTimelinePlanningPoker { id type task avgVote jira
  votes { username vote user { key } } }
"""


async def test_timeline_records_of_every_kind(cast: Cast) -> None:
    listed = await raw(cast, "/timeline")
    ids = {kind: next(r["id"] for r in listed if r["type"] == kind) for kind in
           ("standup", "planpoker", "retro")}  # fmt: skip
    got = await toc(
        cast,
        f'standup: timelineRecord(id: "{ids["standup"]}") {{ {RECORD} }} '
        f'poker: timelineRecord(id: "{ids["planpoker"]}") {{ {RECORD} }} '
        f'retro: timelineRecord(id: "{ids["retro"]}") {{ {RECORD} }} '
        'none: timelineRecord(id: "S999999") { __typename }',
    )
    standup, poker, retro = got["standup"], got["poker"], got["retro"]
    assert got["none"] is None

    wire = await raw(cast, f"/timeline/{ids['standup']}")
    assert standup["__typename"] == "TeamOclockTimelineStandup"
    assert (standup["type"], standup["isAsync"], standup["origin"]) == (
        "STANDUP", wire["async"], wire["origin"].upper(),
    )  # fmt: skip
    assert standup["syncNotes"] == wire["sync_notes"]
    assert [(n["username"], n["question"], n["text"]) for n in standup["asyncNotes"]] == [
        (n["username"], n["question"], n["text"]) for n in wire["async_notes"]
    ]
    assert all(n["user"]["key"] == n["username"].lower() for n in standup["asyncNotes"])

    wire = await raw(cast, f"/timeline/{ids['planpoker']}")
    assert poker["__typename"] == "TeamOclockTimelinePlanningPoker"
    assert (poker["type"], poker["task"], poker["jira"]) == (
        "PLANNING_POKER", wire["task"], wire["links"]["jira"],
    )  # fmt: skip
    # The timeline writes votes as strings ("5"); they are numbers here.
    assert poker["avgVote"] == float(wire["avg_vote"])
    assert [(v["username"], v["vote"]) for v in poker["votes"]] == [
        (v["username"], float(v["vote"])) for v in wire["votes"]
    ]

    wire = await raw(cast, f"/timeline/{ids['retro']}")
    assert retro["__typename"] == "TeamOclockTimelineRetro"
    assert (retro["type"], retro["name"]) == ("RETROSPECTIVE", wire["name"])
    assert [c["id"] for c in retro["columns"]] == [c["id"] for c in wire["columns"]]
    assert retro["notes"] == wire["notes"]
    assert [a["id"] for a in retro["actionItems"]] == [a["id"] for a in wire["action_items"]]


def test_every_team_oclock_type_field_argument_and_enum_value_is_described() -> None:
    missing: list[str] = []
    for name, named in schema._schema.type_map.items():
        if not name.startswith("TeamOclock"):
            continue
        if not named.description:
            missing.append(name)
        if isinstance(named, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, d in named.values.items() if not d.description]
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [
                    f"{name}.{field_name}({a})" for a, arg in field.args.items()
                    if not arg.description
                ]  # fmt: skip
        if isinstance(named, GraphQLUnionType):
            assert named.types
    assert missing == []
