"""What every unified mutation shares: one INFO line each (mutation, services touched,
outcome, no secret), refusals kept for the idempotency key like any answer, and a
description on every type, field, argument and enum value they add."""

from __future__ import annotations

import logging
import re

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, get_named_type

from gateway.emulators.cast import Cast
from schema import schema
from schema.ids import encode_id
from tests.harness import open_gateway
from tests.schema.unified.support import failing, run

MUTATIONS = (
    "addTeamMember",
    "removeTeamMember",
    "logWork",
    "updateWorklog",
    "deleteWorklog",
    "startMeeting",
    "endMeeting",
    "createActionItem",
    "resolveActionItem",
    "overrideShift",
    "swapShifts",
    "linkShifts",
)


def event(n: int) -> str:
    return encode_id("Event", str(n))


FIRST = """mutation First($e5: ID!, $e7: ID!, $e8: ID!, $e9: ID!, $e10: ID!) {
  addTeamMember(input: {team: "mobile", user: "bob"}) { replayed }
  removeTeamMember(input: {team: "mobile", user: "bob"}) { replayed }
  logWork(input: {user: "bob", date: "2026-11-24", seconds: 60, issueKey: "PLAT-204"}) {
    result { id } }
  startMeeting(team: "platform", kind: STANDUP) { result { meeting { id } } }
  createActionItem(team: "platform", text: "Write it down") { result { id } }
  swapShifts(first: $e7, second: $e10) { replayed }
  linkShifts(eventIds: [$e8, $e9]) { replayed }
  overrideShift(input: {eventIds: [$e5], user: "carmen",
    start: "2026-11-25T00:00:00Z", end: "2026-11-26T00:00:00Z"}) { replayed }
}"""
THEN = """mutation Then($worklog: ID!, $meeting: ID!, $item: String!) {
  updateWorklog(id: $worklog, input: {seconds: 120}) { replayed }
  deleteWorklog(id: $worklog) { replayed }
  endMeeting(id: $meeting) { replayed }
  resolveActionItem(id: $item) { replayed }
}"""


async def test_each_mutation_logs_one_line_with_its_services_and_outcome(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    events = {f"e{n}": event(n) for n in (5, 7, 8, 9, 10)}
    async with open_gateway(cast) as gw:
        with caplog.at_level(logging.INFO, logger="teamgraph.mutations"):
            first = await run(gw, FIRST, events)
            await run(
                gw,
                THEN,
                {
                    "worklog": first["logWork"]["result"]["id"],
                    "meeting": first["startMeeting"]["result"]["meeting"]["id"],
                    "item": first["createActionItem"]["result"]["id"],
                },
            )
    lines = [r.getMessage() for r in caplog.records if r.name == "teamgraph.mutations"]
    said = {
        m.group(1): m.group(2)
        for m in map(re.compile(r"mutation (\w+) by \S+ on (\S+): ").match, lines)
        if m
    }
    assert len(lines) == len(MUTATIONS) and sorted(said) == sorted(MUTATIONS)
    assert said["addTeamMember"] == said["removeTeamMember"] == "tempo,oncall,teamoclock"
    assert said["logWork"] == said["updateWorklog"] == said["deleteWorklog"] == "tempo"
    assert said["startMeeting"] == said["resolveActionItem"] == "teamoclock"
    assert said["swapShifts"] == said["linkShifts"] == said["overrideShift"] == "oncall"
    assert all(cast.credentials.tempo_token not in line for line in lines)


async def test_a_failed_change_says_so_in_its_line(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    toc = failing(cast, "POST", "/teams/mobile/members")
    async with open_gateway(cast, transports={"teamoclock": toc}) as gw:
        with caplog.at_level(logging.INFO, logger="teamgraph.mutations"):
            await gw.execute(
                'mutation { addTeamMember(input: {team: "mobile", user: "bob", '
                "atomic: true}) { replayed } }"
            )
    [line] = [r.getMessage() for r in caplog.records if r.name == "teamgraph.mutations"]
    assert " on tempo,oncall,teamoclock: rolled back (teamoclock failed) (" in line


async def test_a_refusal_is_replayed_for_its_key_without_calls(cast: Cast) -> None:
    document = """mutation { addTeamMember(input: {team: "mobile", user: "Sam Taylor"},
      idempotencyKey: "sam") { replayed userErrors { code message } } }"""
    async with open_gateway(cast) as gw:
        first = (await run(gw, document))["addTeamMember"]
        gw.log.clear()
        again = (await run(gw, document))["addTeamMember"]
        assert gw.log.calls == []
    assert first["userErrors"][0]["code"] == "AMBIGUOUS"
    assert again == {**first, "replayed": True}


def test_everything_the_unified_mutations_add_is_described() -> None:
    gql = schema._schema
    root = gql.mutation_type
    assert root is not None
    seen: set[str] = set()
    todo = []
    for name in MUTATIONS:
        field = root.fields[name]
        assert field.description, name
        for arg_name, arg in field.args.items():
            assert arg.description, (name, arg_name)
            todo.append(get_named_type(arg.type))
        todo.append(get_named_type(field.type))
    while todo:
        named = todo.pop()
        if named.name in seen or named.name in ("Team", "User", "Event", "Worklog", "Meeting"):
            continue
        seen.add(named.name)
        assert named.description, named.name
        if isinstance(named, GraphQLEnumType):
            assert all(v.description for v in named.values.values()), named.name
        if isinstance(named, (GraphQLObjectType, GraphQLInputObjectType)):
            for field_name, f in named.fields.items():
                assert f.description, (named.name, field_name)
                if named.name.startswith("TeamOclock"):
                    continue  # Team O'clock's own read types, described with their API
                todo.append(get_named_type(f.type))
    assert {
        "TeamMemberChange",
        "ServiceStep",
        "StepStatus",
        "SkipReason",
        "ChangeOutcome",
        "LogWorkInput",
        "MeetingStart",
        "ShiftChange",
        "OverrideShiftInput",
    } <= seen
