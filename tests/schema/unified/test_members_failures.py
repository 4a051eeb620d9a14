"""A team membership change when a service fails: the payload and `errors[]` say which, and
with `atomic: true` the other services' writes are undone (and an undo that fails says
exactly what is left)."""

from __future__ import annotations

from typing import Any

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from tests.harness import Gateway, open_gateway
from tests.schema.unified.support import failing, writes
from tests.schema.unified.test_members import ADD, PLATFORM, REMOVE, membership, steps

GRACE = {"team": "platform", "user": "grace", "role": "Developer", "commitmentPercent": 50}


async def answer_of(gw: Gateway, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    answer = await gw.execute(document, variables)
    assert answer["data"] is not None, answer
    return answer


def by_service(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["service"]: s for s in result["steps"]}


async def test_one_service_failing_is_in_the_payload_and_in_errors(cast: Cast) -> None:
    toc = failing(cast, "POST", "/teams/platform/members")
    async with open_gateway(cast, transports={"teamoclock": toc}) as gw:
        answer = await answer_of(gw, ADD, {"input": GRACE, "key": "grace-1"})
        made = writes(gw)
        after = await gw.execute(PLATFORM)
        gw.log.clear()
        again = await answer_of(gw, ADD, {"input": GRACE, "key": "grace-1"})
        assert gw.log.calls == []

    result = answer["data"]["addTeamMember"]["result"]
    assert result["outcome"] == "PARTIAL"
    assert steps(result) == {
        "TEMPO": ("APPLIED", None),
        "ONCALL": ("APPLIED", None),
        "TEAMOCLOCK": ("FAILED", None),
        "HACK24": ("SKIPPED", "IN_ANOTHER_TEAM"),
    }
    toc_step = by_service(result)["TEAMOCLOCK"]
    assert toc_step["error"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert "/teams/platform/members answered 503" in toc_step["error"]["message"]
    assert toc_step["changes"] == toc_step["left"] == []
    [error] = answer["errors"]
    assert error["extensions"] == {
        "code": "UPSTREAM_UNAVAILABLE",
        "service": "teamoclock",
        "mutation": "addTeamMember",
        "step": "FAILED",
    }
    assert error["message"].startswith("teamoclock: addTeamMember: it failed and did not change")
    assert made == [
        "tempo POST /team-memberships 200",
        "oncall POST /teams/platform/users 201",
        "teamoclock POST /teams/platform/members 503",  # never retried
    ]
    team = after["data"]["team"]
    assert membership(team, "TEMPO", "grace") is not None  # not atomic: the rest stands
    assert membership(team, "ONCALL", "grace") is not None
    # The repeat answers the same, failure included, and changes nothing.
    assert again["data"]["addTeamMember"] == {**answer["data"]["addTeamMember"], "replayed": True}
    assert again["errors"] == answer["errors"]


async def test_atomic_undoes_the_other_services_in_reverse_order(cast: Cast) -> None:
    toc = failing(cast, "POST", "/teams/platform/members")
    async with open_gateway(cast, transports={"teamoclock": toc}) as gw:
        answer = await answer_of(gw, ADD, {"input": {**GRACE, "atomic": True}})
        made = writes(gw)
        after = await gw.execute(PLATFORM)

    result = answer["data"]["addTeamMember"]["result"]
    assert result["outcome"] == "ROLLED_BACK" and result["atomic"] is True
    assert steps(result) == {
        "TEMPO": ("COMPENSATED", None),
        "ONCALL": ("COMPENSATED", None),
        "TEAMOCLOCK": ("FAILED", None),
        "HACK24": ("SKIPPED", "IN_ANOTHER_TEAM"),
    }
    tempo = by_service(result)["TEMPO"]
    assert len(tempo["changes"]) == 1 and tempo["left"] == []
    assert [e["extensions"]["service"] for e in answer["errors"]] == ["teamoclock"]
    membership_id = made[0]
    assert membership_id.startswith("tempo POST /team-memberships")
    assert made[1:] == [
        "oncall POST /teams/platform/users 201",
        "teamoclock POST /teams/platform/members 503",
        "oncall DELETE /teams/platform/users/grace 200",  # newest first
        f"tempo DELETE /team-memberships/{tempo['changes'][0].split()[2]} 204",
    ]
    team = after["data"]["team"]
    assert membership(team, "TEMPO", "grace") is None
    assert membership(team, "ONCALL", "grace") is None


async def test_atomic_writes_nothing_when_a_service_cannot_even_be_read(cast: Cast) -> None:
    async with open_gateway(cast, faults={"teamoclock": Faults(down=True)}) as gw:
        answer = await answer_of(gw, ADD, {"input": {**GRACE, "atomic": True}})
        made = writes(gw)
    result = answer["data"]["addTeamMember"]["result"]
    assert result["outcome"] == "FAILED"
    assert steps(result) == {
        "TEMPO": ("SKIPPED", "NOT_ATTEMPTED"),
        "ONCALL": ("SKIPPED", "NOT_ATTEMPTED"),
        "TEAMOCLOCK": ("FAILED", None),
        "HACK24": ("SKIPPED", "IN_ANOTHER_TEAM"),
    }
    assert by_service(result)["TEAMOCLOCK"]["error"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert made == []
    services = {
        (e["extensions"]["service"], e["extensions"].get("mutation")) for e in answer["errors"]
    }
    assert ("teamoclock", "addTeamMember") in services


async def test_without_atomic_a_service_that_cannot_be_read_fails_alone(cast: Cast) -> None:
    async with open_gateway(cast, faults={"teamoclock": Faults(down=True)}) as gw:
        answer = await answer_of(gw, ADD, {"input": GRACE})
    result = answer["data"]["addTeamMember"]["result"]
    assert result["outcome"] == "PARTIAL"
    assert steps(result)["TEAMOCLOCK"] == ("FAILED", None)
    assert steps(result)["TEMPO"] == steps(result)["ONCALL"] == ("APPLIED", None)


async def test_an_undo_that_fails_says_exactly_what_is_left(cast: Cast) -> None:
    toc = failing(cast, "POST", "/teams/platform/members")
    # Undoing fails too: 28 is the id Tempo gives the membership this change creates.
    tempo = failing(cast, "DELETE", "/team-memberships/28")
    async with open_gateway(cast, transports={"teamoclock": toc, "tempo": tempo}) as gw:
        answer = await answer_of(gw, ADD, {"input": {**GRACE, "atomic": True}})
        after = await gw.execute(PLATFORM)

    result = answer["data"]["addTeamMember"]["result"]
    assert result["outcome"] == "ROLLBACK_FAILED"
    assert steps(result) == {
        "TEMPO": ("COMPENSATION_FAILED", None),
        "ONCALL": ("COMPENSATED", None),
        "TEAMOCLOCK": ("FAILED", None),
        "HACK24": ("SKIPPED", "IN_ANOTHER_TEAM"),
    }
    left = by_service(result)["TEMPO"]
    assert (
        left["left"]
        == left["changes"]
        == ["Tempo membership 28 created: Developer, 50%, from 2026-11-23"]
    )
    assert left["compensationError"] == {"code": "UPSTREAM_UNAVAILABLE"}
    errors = {e["extensions"]["service"]: e for e in answer["errors"]}
    assert errors["tempo"]["extensions"]["step"] == "COMPENSATION_FAILED"
    assert "this is left: Tempo membership 28 created" in errors["tempo"]["message"]
    assert errors["teamoclock"]["extensions"]["step"] == "FAILED"
    team = after["data"]["team"]
    assert membership(team, "TEMPO", "grace") is not None  # what the payload said is left
    assert membership(team, "ONCALL", "grace") is None


async def test_atomic_removal_puts_tempo_back_as_it_was(cast: Cast) -> None:
    """Alice is a Developer at 20% in the data team: an atomic removal that fails in Team
    O'clock restores that membership's period, role and commitment, and her oncall roster
    place out of rotation."""
    toc = failing(cast, "DELETE", "/teams/data-analytics/members")
    read = """{ team(key: "data-analytics") {
      memberships { service role commitmentPercent from to user { key } }
      rosters { members { username inRotation } } } }"""
    async with open_gateway(cast, transports={"teamoclock": toc}) as gw:
        before = (await gw.execute(read))["data"]["team"]
        answer = await answer_of(
            gw, REMOVE, {"input": {"team": "data-analytics", "user": "alice", "atomic": True}}
        )
        after = (await gw.execute(read))["data"]["team"]

    result = answer["data"]["removeTeamMember"]["result"]
    assert result["outcome"] == "ROLLED_BACK"
    assert steps(result)["TEMPO"] == steps(result)["ONCALL"] == ("COMPENSATED", None)
    assert by_service(result)["ONCALL"]["changes"] == [
        "oncall: no longer a user of team data-analytics",
        "oncall: taken off roster 'data-analytics-rotation' of team data-analytics "
        "(was out of rotation)",
    ]
    assert membership(after, "TEMPO", "alice") == membership(before, "TEMPO", "alice")
    assert membership(before, "TEMPO", "alice")["commitmentPercent"] == 20  # type: ignore[index]
    assert membership(after, "ONCALL", "alice") == membership(before, "ONCALL", "alice")
    assert after["rosters"] == before["rosters"]
