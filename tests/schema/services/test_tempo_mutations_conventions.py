"""Tempo's mutations under the write conventions: every write row changes what its read
shows (across requests, so no cache hides it), one upstream call per mutation, outages as
errors naming Tempo, idempotent repeats, and one log line each without secrets."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from tests.harness import open_gateway
from tests.schema.coverage.tempo import WRITES

CREATE_ROLE = """mutation($name: String!, $key: String) {
  createTempoRole(input: {name: $name}, idempotencyKey: $key) {
    result { id name } userErrors { field message code } replayed } }"""


def payloads(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in data.values() if isinstance(p, dict) and "userErrors" in p]


@pytest.mark.parametrize("row", list(WRITES), ids=[f"{m}-{p}" for m, p in WRITES])
async def test_every_write_changes_what_its_read_shows(cast: Cast, row: tuple[str, str]) -> None:
    case = WRITES[row]
    assert case.then is not None
    async with open_gateway(cast) as gw:
        before = await gw.execute(case.then)
        gw.log.clear()
        done = await gw.execute(case.document)
        assert "errors" not in done, done["errors"]
        for payload in payloads(done["data"]):
            assert payload["userErrors"] == [] and payload.get("result") is not None, payload
        sent = [c for c in gw.log.calls if c.method != "GET"]
        assert [(c.method, c.status) for c in sent] == [
            (row[0], 204 if row[0] == "DELETE" else 200)
        ]
        after = await gw.execute(case.then)
    assert "errors" not in before and "errors" not in after
    assert after["data"] != before["data"], case.then


async def test_an_outage_is_an_error_naming_tempo_and_the_write_is_not_retried(
    cast: Cast,
) -> None:
    async with open_gateway(cast, faults={"tempo": Faults(down=True)}) as gw:
        result = await gw.execute(CREATE_ROLE, {"name": "Ops"})
        sent = [c for c in gw.log.calls if c.method == "POST"]
    assert result["data"] is None  # the payload is non-null: the error reaches the root
    [error] = result["errors"]
    assert error["path"] == ["createTempoRole"]
    assert error["extensions"]["service"] == "tempo"
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert len(sent) == 1


async def test_a_repeat_with_the_same_key_replays_without_writing_again(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        first = await gw.execute(CREATE_ROLE, {"name": "Ops", "key": "k-1"})
        again = await gw.execute(CREATE_ROLE, {"name": "Ops", "key": "k-1"})
        other = await gw.execute(CREATE_ROLE, {"name": "Ops", "key": "k-2"})
        sent = [str(c) for c in gw.log.calls if c.method != "GET"]
        roles = await gw.execute("{ tempo { roles { name } } }")
    made = first["data"]["createTempoRole"]
    assert made["replayed"] is False and made["result"]["name"] == "Ops"
    assert again["data"]["createTempoRole"] == {**made, "replayed": True}
    assert other["data"]["createTempoRole"]["result"]["id"] != made["result"]["id"]
    assert sent == ["tempo POST /roles", "tempo POST /roles"]  # k-1 once, k-2 once
    assert [r["name"] for r in roles["data"]["tempo"]["roles"]].count("Ops") == 2


async def test_a_refusal_is_replayed_too(cast: Cast) -> None:
    refused = (
        'mutation { deleteTempoRole(id: 1, idempotencyKey: "d-1") '
        "{ result replayed userErrors { message } } }"
    )
    async with open_gateway(cast) as gw:
        first = await gw.execute(refused)
        again = await gw.execute(refused)
        sent = [c for c in gw.log.calls if c.method == "DELETE"]
    assert first["data"]["deleteTempoRole"]["userErrors"] == [
        {"message": "tempo: The default team role cannot be deleted"}
    ]
    assert again["data"]["deleteTempoRole"] == {
        **first["data"]["deleteTempoRole"],
        "replayed": True,
    }
    assert len(sent) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            'mutation { m: updateTempoRole(id: 3, input: {name: "Dev"}, idempotencyKey: "u") '
            "{ replayed } }",
            'mutation { m: updateTempoRole(id: 3, input: {name: "Devs"}, idempotencyKey: "u") '
            "{ replayed } }",
        ),
        (  # the same input for another object is another request
            'mutation { m: updateTempoRole(id: 3, input: {name: "Dev"}, idempotencyKey: "u") '
            "{ replayed } }",
            'mutation { m: updateTempoRole(id: 4, input: {name: "Dev"}, idempotencyKey: "u") '
            "{ replayed } }",
        ),
    ],
    ids=["other-input", "other-id"],
)
async def test_the_same_key_with_another_request_is_an_error(
    cast: Cast, first: str, second: str
) -> None:
    async with open_gateway(cast) as gw:
        done = await gw.execute(first)
        refused = await gw.execute(second)
        sent = [c for c in gw.log.calls if c.method == "PUT"]
    assert done["data"] == {"m": {"replayed": False}}
    [error] = refused["errors"]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert len(sent) == 1


async def test_each_mutation_logs_one_line_without_secrets(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    document = """mutation($lead: String!) {
      a: createTempoTeam(input: {name: "Security", leadAccountId: $lead}) { result { id } }
      b: createTempoTeam(input: {name: "Security"}) { userErrors { message } }
      c: deleteTempoTeamLink(id: 1) { result } }"""
    lead = cast.person("alice").tempo
    assert lead is not None
    async with open_gateway(cast) as gw:
        with caplog.at_level(logging.INFO):
            result = await gw.execute(document, {"lead": lead.account_id})
    assert "errors" not in result
    lines = [r.getMessage() for r in caplog.records if r.name == "teamgraph.mutations"]
    assert len(lines) == 3
    for line, (name, outcome) in zip(
        lines,
        [("createTempoTeam", "done"), ("createTempoTeam", "rejected"),
         ("deleteTempoTeamLink", "done")],
        strict=True,
    ):  # fmt: skip
        assert line.startswith(f"mutation {name} by ") and f" on tempo: {outcome} (" in line
    token = cast.credentials.tempo_token
    assert not any(token in r.getMessage() for r in caplog.records)


async def test_an_attribute_value_that_is_not_json_is_refused_before_tempo_is_called(
    cast: Cast,
) -> None:
    document = """mutation($me: String!) { createTempoWorklog(input: {issueKey: "PLAT-226",
      timeSpentSeconds: 60, startDate: "2026-11-23", startTime: "09:00:00",
      authorAccountId: $me, attributes: [{key: "_COLOR_", value: "green"}]}) {
      result { tempoWorklogId } } }"""
    me = cast.person("bob").tempo
    assert me is not None
    async with open_gateway(cast) as gw:
        result = await gw.execute(document, {"me": me.account_id})
        sent = [c for c in gw.log.calls if c.method != "GET"]
    [error] = result["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "'_COLOR_' is not JSON text" in error["message"]
    assert sent == []
