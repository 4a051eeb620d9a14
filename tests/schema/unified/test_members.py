"""`addTeamMember` and `removeTeamMember` through the ASGI app over the emulators: one person
joins or leaves one team in every service that knows both, each service's step reported,
the new state read back through GraphQL, ambiguity refused, repeats replayed, one log line."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from gateway.auth import hash_key
from gateway.emulators.cast import Cast
from gateway.settings import AuthSettings, CacheSettings
from tests.harness import configured, open_gateway
from tests.schema.unified.support import run, writes

STEPS = (
    "steps { service status reason detail error { code message } compensationError { code } "
    "changes left }"
)
ADD = f"""mutation Add($input: AddTeamMemberInput!, $key: String) {{
  addTeamMember(input: $input, idempotencyKey: $key) {{
    replayed userErrors {{ field message code }}
    result {{ outcome atomic team {{ key name }} user {{ key name }} {STEPS} }}
  }}
}}"""
REMOVE = (
    ADD.replace("Add(", "Remove(")
    .replace("AddTeamMember", "RemoveTeamMember")
    .replace("addTeamMember", "removeTeamMember")
)
PLATFORM = """{ team(key: "platform") {
  memberships { service role commitmentPercent from to user { key } }
  rosters { name members { username inRotation } } }
  hack24 { payments: teamMembers(team: "payments") { id } } }"""


def steps(result: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {s["service"]: (s["status"], s["reason"]) for s in result["steps"]}


def membership(team: dict[str, Any], service: str, key: str) -> dict[str, Any] | None:
    found = [m for m in team["memberships"] if m["service"] == service and m["user"]["key"] == key]
    return found[0] if found else None


async def test_a_person_joins_a_team_in_every_service_and_reads_show_it(cast: Cast) -> None:
    grace = {
        "team": "platform",
        "user": "grace@teamgraph.example",
        "role": "developer",
        "commitmentPercent": 50,
        "roster": "platform-rotation",
        "inRotation": False,
        "services": ["TEMPO", "ONCALL", "TEAMOCLOCK", "HACK24"],
    }
    async with open_gateway(cast) as gw:
        before = (await run(gw, PLATFORM))["team"]
        assert all(membership(before, s, "grace") is None for s in ("TEMPO", "ONCALL"))
        gw.log.clear()
        answer = (await run(gw, ADD, {"input": grace}))["addTeamMember"]
        made = writes(gw)
        after = await run(gw, PLATFORM)

    assert answer["userErrors"] == [] and answer["replayed"] is False
    result = answer["result"]
    assert result["outcome"] == "CHANGED" and result["atomic"] is False
    assert result["team"] == {"key": "platform", "name": "Platform"}
    assert result["user"] == {"key": "grace", "name": "Grace Liu"}
    everywhere = ("TEMPO", "ONCALL", "TEAMOCLOCK", "HACK24")
    assert steps(result) == {s: ("APPLIED", None) for s in everywhere}
    changes = {s["service"]: s["changes"] for s in result["steps"]}
    assert changes["TEMPO"][0].endswith("created: Developer, 50%, from 2026-11-23")
    assert changes["ONCALL"] == [
        "oncall: added to roster 'platform-rotation' of team platform, out of rotation"
    ]
    assert changes["HACK24"] == ["Hack24: added to team platform, moving them out of payments"]
    assert all(s["left"] == s["changes"] for s in result["steps"])
    # One write per service, each a success; Tempo's role was looked up by name first.
    assert made == [
        "tempo POST /team-memberships 200",
        "oncall POST /teams/platform/rosters/platform-rotation/users 201",
        "teamoclock POST /teams/platform/members 204",
        "hack24 POST /teams/platform/members 200",
    ]
    team = after["team"]
    tempo = membership(team, "TEMPO", "grace")
    assert tempo == {
        "service": "TEMPO",
        "role": "Developer",
        "commitmentPercent": 50,
        "from": "2026-11-23",
        "to": None,
        "user": {"key": "grace"},
    }
    assert membership(team, "ONCALL", "grace") is not None
    assert membership(team, "TEAMOCLOCK", "grace") is not None
    assert membership(team, "HACK24", "grace") is not None
    [roster] = team["rosters"]
    assert {"username": "grace", "inRotation": False} in roster["members"]
    assert {"id": "grace-liu"} not in after["hack24"]["payments"]


async def test_each_service_says_why_it_had_nothing_to_do(cast: Cast) -> None:
    """Kofi has no Tempo account; Hack24 moves people only when asked; oncall and Team
    O'clock already have Alice; TeamPulse has no teams."""
    async with open_gateway(cast) as gw:
        kofi = await run(gw, ADD, {"input": {"team": "platform", "user": "kofi"}})
        alice = await run(
            gw,
            ADD,
            {"input": {"team": "platform", "user": "alice", "services": ["ONCALL", "TEAMPULSE"]}},
        )
    result = kofi["addTeamMember"]["result"]
    assert steps(result) == {
        "TEMPO": ("SKIPPED", "PERSON_UNKNOWN"),
        "ONCALL": ("APPLIED", None),
        "TEAMOCLOCK": ("APPLIED", None),
        "HACK24": ("SKIPPED", "IN_ANOTHER_TEAM"),
    }
    hack24 = next(s for s in result["steps"] if s["service"] == "HACK24")
    assert "name HACK24 in `services` to move them" in hack24["detail"]
    result = alice["addTeamMember"]["result"]
    assert result["outcome"] == "UNCHANGED"
    assert steps(result) == {
        "TEMPO": ("SKIPPED", "NOT_ASKED"),
        "ONCALL": ("SKIPPED", "ALREADY_MEMBER"),
        "TEAMOCLOCK": ("SKIPPED", "NOT_ASKED"),
        "HACK24": ("SKIPPED", "NOT_ASKED"),
        "TEAMPULSE": ("SKIPPED", "NO_TEAMS"),
    }


async def test_a_person_leaves_a_team_everywhere_and_tempo_keeps_the_history(cast: Cast) -> None:
    """Alice helps the data team: Tempo (Developer, 20%), oncall, Team O'clock; her Hack24
    team is Platform."""
    async with open_gateway(cast) as gw:
        gw.log.clear()
        answer = await run(gw, REMOVE, {"input": {"team": "Data & Analytics", "user": "alice"}})
        made = writes(gw)
        after = await run(
            gw, '{ team(key: "data-analytics") { memberships { service role to user { key } } } }'
        )

    result = answer["removeTeamMember"]["result"]
    assert result["outcome"] == "CHANGED"
    assert result["team"]["key"] == "data-analytics"
    assert steps(result) == {
        "TEMPO": ("APPLIED", None),
        "ONCALL": ("APPLIED", None),
        "TEAMOCLOCK": ("APPLIED", None),
        "HACK24": ("SKIPPED", "NOT_A_MEMBER"),
    }
    tempo_id = made[0].split()[2].rsplit("/", 1)[1]
    assert made == [
        f"tempo PUT /team-memberships/{tempo_id} 200",  # ended yesterday, not deleted
        "oncall DELETE /teams/data-analytics/users/alice 200",
        "oncall DELETE /teams/data-analytics/rosters/data-analytics-rotation/users/alice 200",
        "teamoclock DELETE /teams/data-analytics/members 204",
    ]
    team = after["team"]
    # Tempo lists former members, with no active membership; the others drop her.
    assert membership(team, "TEMPO", "alice") == {
        "service": "TEMPO",
        "role": None,
        "to": None,
        "user": {"key": "alice"},
    }
    assert membership(team, "ONCALL", "alice") is None
    assert membership(team, "TEAMOCLOCK", "alice") is None


@pytest.mark.parametrize("who", ["Sam Taylor", "sam taylor"])
async def test_an_ambiguous_person_is_a_user_error_and_nothing_is_written(
    cast: Cast, who: str
) -> None:
    async with open_gateway(cast) as gw:
        answer = await run(gw, ADD, {"input": {"team": "platform", "user": who}})
        leaving = await run(gw, REMOVE, {"input": {"team": "payments", "user": who}})
        unknown = await run(gw, REMOVE, {"input": {"team": "platform", "user": "nobody"}})
        nowhere = await run(gw, ADD, {"input": {"team": "marketing", "user": "alice"}})
        made = writes(gw)
    [error] = answer["addTeamMember"]["userErrors"]
    assert error["code"] == "AMBIGUOUS" and error["field"] == ["input", "user"]
    assert "(sam.taylor, samuel.taylor)" in error["message"]
    assert answer["addTeamMember"]["result"] is None
    assert leaving["removeTeamMember"]["userErrors"] == [error]
    assert [e["code"] for e in unknown["removeTeamMember"]["userErrors"]] == ["NOT_FOUND"]
    assert nowhere["addTeamMember"]["userErrors"][0]["field"] == ["input", "team"]
    assert made == []


async def test_the_key_of_an_ambiguous_name_is_not_ambiguous(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        sam = {"team": "platform", "user": "samuel.taylor", "services": ["ONCALL"]}
        answer = await run(gw, ADD, {"input": sam})
    assert answer["addTeamMember"]["result"]["user"] == {
        "key": "samuel.taylor",
        "name": "Sam Taylor",
    }
    assert steps(answer["addTeamMember"]["result"])["ONCALL"] == ("APPLIED", None)


async def test_what_a_service_refuses_in_planning_is_a_user_error_before_any_write(
    cast: Cast,
) -> None:
    async with open_gateway(cast) as gw:
        answer = await run(
            gw,
            ADD,
            {
                "input": {
                    "team": "platform",
                    "user": "grace",
                    "role": "Astronaut",
                    "roster": "nope",
                    "commitmentPercent": 120,
                }
            },
        )
        made = writes(gw)
    errors = answer["addTeamMember"]["userErrors"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("INVALID_INPUT", ["input", "commitmentPercent"])
    ]
    async with open_gateway(cast) as gw:
        wrong = {"team": "platform", "user": "grace", "role": "Astronaut", "roster": "nope"}
        answer = await run(gw, ADD, {"input": wrong})
        made += writes(gw)
    errors = answer["addTeamMember"]["userErrors"]
    assert sorted(tuple(e["field"]) for e in errors) == [("input", "role"), ("input", "roster")]
    assert "Developer" in next(e["message"] for e in errors if e["field"][1] == "role")
    assert "platform-rotation" in next(e["message"] for e in errors if e["field"][1] == "roster")
    assert made == []


async def test_an_idempotent_repeat_calls_no_upstream(cast: Cast) -> None:
    variables = {"input": {"team": "payments", "user": "bob"}, "key": "bob-joins-payments"}
    async with open_gateway(cast) as gw:
        first = (await run(gw, ADD, variables))["addTeamMember"]
        gw.log.clear()
        again = (await run(gw, ADD, variables))["addTeamMember"]
        assert gw.log.calls == []
        reused = await gw.execute(ADD, {**variables, "input": {"team": "mobile", "user": "bob"}})
    assert first["result"]["outcome"] == "CHANGED" and first["replayed"] is False
    assert again == {**first, "replayed": True}
    assert reused["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_ids_name_people_and_teams_too(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        ids = await run(gw, '{ user(key: "bob") { id } team(key: "mobile") { id } }')
        by_id = {"team": ids["team"]["id"], "user": ids["user"]["id"], "services": ["TEAMOCLOCK"]}
        answer = await run(gw, ADD, {"input": by_id})
    result = answer["addTeamMember"]["result"]
    assert (result["team"]["key"], result["user"]["key"]) == ("mobile", "bob")


async def test_the_next_read_shows_the_change_through_the_shared_cache(cast: Cast) -> None:
    settings = configured(cast).model_copy(update={"cache": CacheSettings(enabled=True)})
    read = '{ team(key: "mobile") { members { key } } }'
    async with open_gateway(cast, settings=settings) as gw:
        before = await run(gw, read)
        await run(gw, read)  # now served from the cache
        await run(gw, ADD, {"input": {"team": "mobile", "user": "bob", "services": ["ONCALL"]}})
        after = await run(gw, read)
    assert {"key": "bob"} not in before["team"]["members"]
    assert {"key": "bob"} in after["team"]["members"]


async def test_one_info_line_per_mutation_names_caller_services_and_outcome(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    auth = AuthSettings(api_key_sha256=[hash_key("k3y-s3cret")])
    settings = configured(cast, server={"auth": auth})
    body = {"query": ADD, "variables": {"input": {"team": "mobile", "user": "bob"}}}
    async with open_gateway(cast, settings=settings) as gw:
        with caplog.at_level(logging.INFO, logger="teamgraph.mutations"):
            headers = {"X-API-Key": "k3y-s3cret"}
            response = await gw.http.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200 and "errors" not in response.json()
    [line] = [r.getMessage() for r in caplog.records if r.name == "teamgraph.mutations"]
    assert line.startswith("mutation addTeamMember by api-key:")
    assert " on tempo,oncall,teamoclock: changed (" in line
    assert "k3y-s3cret" not in line and cast.credentials.tempo_token not in line
