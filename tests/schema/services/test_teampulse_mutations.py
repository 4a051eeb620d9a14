"""TeamPulse's writes as root mutations, through the real ASGI app over the emulator: what
each answers and what reads show afterwards, TeamPulse's refusals as user errors naming its
fields, outages, idempotency keys and the log line."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from schema import schema
from tests.harness import Gateway, open_gateway

ERRORS = "userErrors { field message code }"
CREATE = (
    "mutation($input: CreateTeamPulseTimeEntryInput!, $key: String) { "
    "createTeamPulseTimeEntry(input: $input, idempotencyKey: $key) { result { id date hours "
    "type billable note iversion taskId task { id name project { id } } "
    f"user {{ id user {{ key }} }} }} {ERRORS} replayed }} }}"
)
UPDATE = (
    "mutation($id: Int!, $input: UpdateTeamPulseTimeEntryInput!) { "
    "updateTeamPulseTimeEntry(id: $id, input: $input) "
    f"{{ result {{ id date hours type note iversion taskId }} {ERRORS} }} }}"
)
ENTRY = {"date": "2026-11-20", "hours": 1.5, "taskId": 4011, "userId": 2, "type": "BILLABLE"}


async def mutate(
    gw: Gateway, document: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run a mutation and return its one field's payload, failing on any top-level error."""
    result = await gw.execute(document, variables)
    assert "errors" not in result, result["errors"]
    (payload,) = result["data"].values()
    assert isinstance(payload, dict)
    return payload


async def read(gw: Gateway, selection: str) -> Any:
    result = await gw.execute(f"{{ teampulse {{ {selection} }} }}")
    assert "errors" not in result, result["errors"]
    return result["data"]["teampulse"]


def writes(gw: Gateway) -> list[str]:
    return [f"{c.method} {c.path}" for c in gw.log.of("teampulse") if c.method != "GET"]


# -- time entries ------------------------------------------------------------------------------


async def test_a_created_entry_links_its_task_and_user_and_reads_back(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        payload = await mutate(gw, CREATE, {"input": {**ENTRY, "note": "Pairing on the API"}})
        assert writes(gw) == ["POST /timeentries"]
        # TeamPulse names the task by id only: the task is read by its id.
        assert next(c.path for c in gw.log.of("teampulse") if c.method == "GET") == "/tasks/4011"
        entry = payload["result"]
        read_back = await read(
            gw, f"timeEntry(id: {entry['id']}) {{ id date hours type note iversion taskId }}"
        )
    assert payload["userErrors"] == [] and payload["replayed"] is False
    assert entry["task"] == {"id": 4011, "name": "Build the public API", "project": {"id": 1}}
    assert entry["user"] == {"id": 2, "user": {"key": "bob"}}
    assert (entry["type"], entry["billable"], entry["iversion"]) == ("Billable", True, 0)
    shown = {k: entry[k] for k in ("id", "date", "hours", "type", "note", "iversion", "taskId")}
    assert read_back["timeEntry"] == shown


async def test_teampulse_refusals_are_user_errors_one_per_field(cast: Cast) -> None:
    refused = {**ENTRY, "hours": 30, "note": "x" * 129}
    async with open_gateway(cast) as gw:
        result = await gw.execute(CREATE, {"input": refused})
    assert "errors" not in result
    payload = result["data"]["createTeamPulseTimeEntry"]
    assert payload["result"] is None
    assert sorted((e["field"], e["code"]) for e in payload["userErrors"]) == [
        (["te", "hours"], "INVALID_INPUT"),
        (["te", "note"], "INVALID_INPUT"),
    ]
    by_field = {tuple(e["field"]): e["message"] for e in payload["userErrors"]}
    assert by_field["te", "note"] == (
        "teampulse: The field note must be a string with a maximum length of 128."
    )


async def test_an_update_needs_the_iversion_last_read(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        created = (await mutate(gw, CREATE, {"input": ENTRY}))["result"]
        change = {**ENTRY, "hours": 2.5, "iversion": 0, "note": "Corrected"}
        updated = await mutate(gw, UPDATE, {"id": created["id"], "input": change})
        # The same write again carries an iversion someone (here, we) already moved past.
        stale = await mutate(gw, UPDATE, {"id": created["id"], "input": change})
        missing = await mutate(gw, UPDATE, {"id": 99999, "input": change})
        read_back = await read(gw, f"timeEntry(id: {created['id']}) {{ hours note iversion }}")
    assert updated["userErrors"] == []
    assert {k: updated["result"][k] for k in ("hours", "note", "iversion", "type")} == {
        "hours": 2.5, "note": "Corrected", "iversion": 1, "type": "Billable",
    }  # fmt: skip
    assert stale["result"] is None
    (conflict,) = stale["userErrors"]
    assert (conflict["field"], conflict["code"]) == (["te", "iversion"], "CONFLICT")
    assert "read it again and retry" in conflict["message"]
    assert missing["result"] is None
    assert [(e["field"], e["code"]) for e in missing["userErrors"]] == [(["te", "id"], "NOT_FOUND")]
    assert read_back["timeEntry"] == {"hours": 2.5, "note": "Corrected", "iversion": 1}


async def test_an_update_may_keep_the_type_and_note(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        created = (await mutate(gw, CREATE, {"input": {**ENTRY, "note": "Kept"}}))["result"]
        change = {k: v for k, v in ENTRY.items() if k != "type"} | {"hours": 3, "iversion": 0}
        updated = (await mutate(gw, UPDATE, {"id": created["id"], "input": change}))["result"]
        cleared = {**change, "iversion": 1, "type": "UNSPECIFIED", "note": ""}
        emptied = (await mutate(gw, UPDATE, {"id": created["id"], "input": cleared}))["result"]
    assert (updated["type"], updated["note"], updated["hours"]) == ("Billable", "Kept", 3.0)
    assert (emptied["type"], emptied["note"], emptied["iversion"]) == ("", "", 2)


# -- activities and comments -------------------------------------------------------------------

SEEN = (
    "mutation($upTo: Int!, $only: Boolean) { markTeamPulseActivitiesSeen(upTo: $upTo, "
    f"onlyFlagged: $only) {{ result {{ flagged unflagged total }} {ERRORS} }} }}"
)


async def test_marking_activities_seen_answers_the_counts_left(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        before = await read(gw, "unreadCounts { flagged unflagged total }")
        flagged = await mutate(gw, SEEN, {"upTo": 41606, "only": True})
        everything = await mutate(gw, SEEN, {"upTo": 41606})
        unknown = await mutate(gw, SEEN, {"upTo": 5})
        after = await read(gw, "unreadCounts { flagged unflagged total }")
        assert writes(gw) == ["PUT /activities/seenupto/41606"] * 2 + ["PUT /activities/seenupto/5"]
    assert before["unreadCounts"] == {"flagged": 1, "unflagged": 2, "total": 3}
    assert flagged["result"] == {"flagged": 0, "unflagged": 2, "total": 2}
    assert (
        everything["result"] == after["unreadCounts"] == {"flagged": 0, "unflagged": 0, "total": 0}
    )
    assert unknown["result"] is None
    assert [(e["field"], e["code"]) for e in unknown["userErrors"]] == [
        (["activity", "id"], "NOT_FOUND")
    ]


async def test_a_shared_message_shows_in_the_stream(cast: Cast) -> None:
    share = (
        "mutation($m: String!) { shareTeamPulseMessage(input: {message: $m}) "
        f"{{ result {{ message }} {ERRORS} }} }}"
    )
    async with open_gateway(cast) as gw:
        shared = await mutate(gw, share, {"m": "Demo at 3pm."})
        empty = await mutate(gw, share, {"m": " "})
        stream = await read(gw, "activities { id systemEvent content author { name } }")
    assert shared == {
        "result": {"message": "Teamgraph Gateway shared: Demo at 3pm."},
        "userErrors": [],
    }
    assert stream["activities"][0] == {
        "id": 41607,
        "systemEvent": "PersonalMessage",
        "content": "Teamgraph Gateway shared:<br />Demo at 3pm.",
        "author": {"name": "gateway"},
    }
    assert empty["result"] is None
    assert [(e["field"], e["message"]) for e in empty["userErrors"]] == [
        (["share", "message"], "teampulse: The field message is required.")
    ]


async def test_a_comment_on_a_work_item_shows_in_the_stream(cast: Cast) -> None:
    comment = (
        "mutation($input: CreateTeamPulseCommentInput!) { createTeamPulseComment(input: $input) "
        "{ result { id description type iversion workItem { id type } "
        f"project {{ id project {{ name }} }} }} {ERRORS} }} }}"
    )
    feedback = {"projectId": 1, "workItemId": 109, "workItemType": "FEEDBACK"}
    async with open_gateway(cast) as gw:
        made = await mutate(
            gw, comment, {"input": {**feedback, "description": "+1", "type": "PORTAL_COMMENT"}}
        )
        story = {"projectId": 1, "workItemId": 101, "workItemType": "STORY"}
        refused = await mutate(
            gw, comment, {"input": {**story, "description": "+1", "type": "PORTAL_COMMENT"}}
        )
        stream = await read(gw, "activities { content workItem { id type } project { id } }")
    assert made == {
        "result": {
            "id": 1, "description": "+1", "type": "PortalComment", "iversion": 0,
            "workItem": {"id": 109, "type": "Feedback"},
            "project": {"id": 1, "project": {"name": "Platform"}},
        },
        "userErrors": [],
    }  # fmt: skip
    assert stream["activities"][0] == {
        "content": "+1", "workItem": {"id": 109, "type": "Feedback"}, "project": {"id": 1}
    }  # fmt: skip
    assert refused["result"] is None
    assert [(e["field"], e["message"]) for e in refused["userErrors"]] == [
        (["comment", "type"], "teampulse: Only feedback items take portal comments.")
    ]


# -- outages, idempotency, the log line --------------------------------------------------------


async def test_an_outage_is_a_top_level_error_naming_teampulse(cast: Cast) -> None:
    async with open_gateway(cast, faults={"teampulse": Faults(down=True)}) as gw:
        result = await gw.execute(CREATE, {"input": ENTRY})
        assert writes(gw) == ["POST /timeentries"]  # a write is never retried
    (error,) = result["errors"]
    assert error["path"] == ["createTeamPulseTimeEntry"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["service"] == "teampulse"


async def test_a_repeated_key_replays_the_first_answer_without_writing_again(
    cast: Cast,
) -> None:
    sent = {"input": {**ENTRY, "note": "Once"}, "key": "entry-1"}
    async with open_gateway(cast) as gw:
        first = await mutate(gw, CREATE, sent)
        again = await mutate(gw, CREATE, sent)
        assert writes(gw) == ["POST /timeentries"]
        other = await gw.execute(CREATE, {**sent, "input": {**ENTRY, "note": "Twice"}})
        assert writes(gw) == ["POST /timeentries"]
        entries = await read(gw, 'user(id: 2) { timeEntries(from: "2026-11-20", to: "2026-11-20") '
                                 "{ note } }")  # fmt: skip
    assert first["replayed"] is False and again["replayed"] is True
    assert again["result"] == first["result"] and again["userErrors"] == []
    (error,) = other["errors"]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert [e["note"] for e in entries["user"]["timeEntries"]].count("Once") == 1


async def test_a_refusal_is_replayed_too(cast: Cast) -> None:
    sent = {"input": {**ENTRY, "note": "x" * 200}, "key": "too-long"}
    async with open_gateway(cast) as gw:
        first = await mutate(gw, CREATE, sent)
        again = await mutate(gw, CREATE, sent)
        assert writes(gw) == ["POST /timeentries"]
    assert again["replayed"] is True
    assert again["userErrors"] == first["userErrors"] != []


async def test_each_mutation_logs_one_info_line_without_secrets(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    async with open_gateway(cast) as gw:
        with caplog.at_level(logging.INFO, logger="teamgraph.mutations"):
            await mutate(gw, CREATE, {"input": ENTRY})
            await mutate(gw, CREATE, {"input": {**ENTRY, "hours": 99}})
            await mutate(gw, SEEN, {"upTo": 41606})
    lines = [r for r in caplog.records if r.name == "teamgraph.mutations"]
    assert [r.levelno for r in lines] == [logging.INFO] * 3
    said = [r.getMessage() for r in lines]
    assert said[0].startswith("mutation createTeamPulseTimeEntry by anonymous:- on teampulse: done")
    assert said[1].startswith("mutation createTeamPulseTimeEntry by anonymous:- on teampulse: "
                              "rejected")  # fmt: skip
    assert said[2].startswith("mutation markTeamPulseActivitiesSeen by anonymous:- on teampulse")
    secrets = (cast.credentials.teampulse_password, cast.credentials.teampulse_username)
    assert not [line for line in said for s in secrets if s in line]


# -- the schema --------------------------------------------------------------------------------


def test_every_teampulse_write_type_field_argument_and_value_is_described() -> None:
    missing: list[str] = []
    types = schema._schema.type_map
    mutation = types["Mutation"]
    assert isinstance(mutation, GraphQLObjectType)
    for name, field in mutation.fields.items():
        if "TeamPulse" in name:
            missing += [name] if not field.description else []
            missing += [f"{name}({a})" for a, arg in field.args.items() if not arg.description]
    for name, named in types.items():
        if "TeamPulse" not in name:
            continue
        missing += [name] if not named.description else []
        if isinstance(named, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, d in named.values.items() if not d.description]
        if isinstance(named, GraphQLObjectType | GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, d in named.fields.items() if not d.description]
    assert missing == []
