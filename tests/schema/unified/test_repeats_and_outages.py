"""Every unified mutation, the same two ways: a repeat with its idempotency key answers the
first answer with `replayed: true` and calls no upstream at all (a second swap would swap
the shifts back, a second removal fail); and a service it needs being down is said, by the
step that failed (team membership) or by an error naming the service (the rest), without
any write succeeding."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from schema.ids import encode_id
from tests.harness import open_gateway
from tests.schema.unified.support import run, writes

PAYLOAD = "replayed userErrors { code message }"
ANSWER = {
    "TeamMemberChange": "result { outcome steps { service status } }",
    "Worklog": "result { id service durationSeconds user { key } }",
    "Meeting": "result { id name }",
    "ActionItem": "result { id text resolved }",
    "Shifts": "result { events { id username } removedIds }",
}
TEMPO_WORKLOG = encode_id("Worklog", "tempo:1261")  # carmen's, on Nov 20
STANDUP = encode_id("Meeting", "standup:platform")

# (mutation, the service it needs, arguments, what its answer is)
CASES: list[tuple[str, str, str, str]] = [
    ("addTeamMember", "teamoclock", 'input: {team: "mobile", user: "bob"}', "TeamMemberChange"),
    ("removeTeamMember", "oncall", 'input: {team: "data-analytics", user: "alice"}',
     "TeamMemberChange"),
    ("logWork", "teampulse", 'input: {user: "bob", date: "2026-11-24", seconds: 60, '
     'task: "Vacation"}', "Worklog"),
    ("updateWorklog", "tempo", f'id: "{TEMPO_WORKLOG}", input: {{seconds: 60}}', "Worklog"),
    ("deleteWorklog", "tempo", f'id: "{TEMPO_WORKLOG}"', "Worklog"),
    ("startMeeting", "teamoclock", 'team: "platform", kind: PLANNING_POKER',
     "MeetingStart"),
    ("endMeeting", "teamoclock", f'id: "{STANDUP}"', "Meeting"),
    ("createActionItem", "teamoclock", 'team: "mobile", text: "Ship it"', "ActionItem"),
    ("resolveActionItem", "teamoclock", 'id: "A128"', "ActionItem"),
    ("overrideShift", "oncall", f'input: {{eventIds: ["{encode_id("Event", "5")}"], '
     'user: "carmen", start: "2026-11-25T00:00:00Z", end: "2026-11-26T00:00:00Z"}', "Shifts"),
    ("swapShifts", "oncall", f'first: "{encode_id("Event", "7")}", '
     f'second: "{encode_id("Event", "10")}"', "Shifts"),
    ("linkShifts", "oncall", f'eventIds: ["{encode_id("Event", "8")}", '
     f'"{encode_id("Event", "9")}"]', "Shifts"),
]  # fmt: skip
ANSWER["MeetingStart"] = "result { alreadyActive meeting { id name } }"


def document(name: str, arguments: str, answer: str, key: str | None = None) -> str:
    keyed = f', idempotencyKey: "{key}"' if key else ""
    return f"mutation {{ {name}({arguments}{keyed}) {{ {PAYLOAD} {ANSWER[answer]} }} }}"


@pytest.mark.parametrize(("name", "service", "arguments", "answer"), CASES)
async def test_a_repeat_with_the_key_answers_the_same_and_calls_nothing(
    cast: Cast, name: str, service: str, arguments: str, answer: str
) -> None:
    query = document(name, arguments, answer, key=f"once-{name}")
    async with open_gateway(cast) as gw:
        first = (await run(gw, query))[name]
        gw.log.clear()
        again = (await run(gw, query))[name]
        assert gw.log.calls == []
    assert first["userErrors"] == [] and first["result"] is not None, first
    assert first["replayed"] is False
    assert again == {**first, "replayed": True}


@pytest.mark.parametrize(("name", "service", "arguments", "answer"), CASES)
async def test_a_service_that_is_down_is_named_and_nothing_is_written(
    cast: Cast, name: str, service: str, arguments: str, answer: str
) -> None:
    async with open_gateway(cast, faults={service: Faults(down=True)}) as gw:
        found = await gw.execute(document(name, arguments, answer))
        made = writes(gw)
    assert service in {e["extensions"].get("service") for e in found["errors"]}
    if answer == "TeamMemberChange":  # not atomic: the others change, the step says why not
        steps: list[dict[str, Any]] = found["data"][name]["result"]["steps"]
        assert {"service": service.upper(), "status": "FAILED"} in steps
        assert not [m for m in made if m.startswith(f"{service} ")]
    else:
        assert found["data"] is None
        assert all(m.endswith(" 503") for m in made), made  # tried at most, never done
