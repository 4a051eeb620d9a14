"""Teamgraph as an Apollo Federation v2 subgraph (`server.federation = true`), over HTTP:
`_service { sdl }` for composition, `_entities` for a router's entity fetches, batched through
the one linked directory, and nothing of it when federation is off."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gateway.cli import main
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from schema.ids import encode_id
from tests.harness import Gateway, configured, open_gateway
from tests.recording import CallLog

ROOT = Path(__file__).parents[2]
SUBGRAPH_SDL = ROOT / "schema.federation.graphql"

# What a router sends: the representations as a variable, one fragment per entity type.
ENTITIES = """query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Team { id key name members { key } }
    ... on User { id key name }
  }
}"""


def team(key: str) -> dict[str, str]:
    return {"__typename": "Team", "id": encode_id("Team", key)}


def user(key: str) -> dict[str, str]:
    return {"__typename": "User", "id": encode_id("User", key)}


def asked(log: CallLog) -> Counter[tuple[str, str, str, tuple[tuple[str, str], ...]]]:
    return Counter(call.as_asked() for call in log.calls)


def federated(cast: Cast, **server: Any) -> Any:
    # Each operation lists everyone (no directory kept between them): their calls compare.
    return configured(cast, server={"federation": True, **server}, directory_ttl=0)


async def entities(gw: Gateway, representations: list[Any]) -> dict[str, Any]:
    return await gw.execute(ENTITIES, {"representations": representations})


async def test_service_answers_the_committed_subgraph_sdl_with_both_keys(cast: Cast) -> None:
    async with open_gateway(cast, settings=federated(cast)) as gw:
        body = await gw.execute("{ _service { sdl } }")
        assert gw.log.count() == 0  # the SDL is the schema's: no upstream is asked
    sdl = body["data"]["_service"]["sdl"]
    # On failure: `teamgraph schema --federation > schema.federation.graphql`.
    assert sdl.strip() == SUBGRAPH_SDL.read_text(encoding="utf-8").strip()
    assert 'schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key"])' in sdl
    assert 'type Team implements Node @key(fields: "id"' in sdl
    assert 'type User implements Node @key(fields: "id"' in sdl
    assert "union _Entity = Team | User" in sdl
    # The plain schema does not change: no key, no federation fields.
    plain = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert "type Team implements Node {" in plain and "type User implements Node {" in plain
    assert "  _service:" not in plain and "  _entities(" not in plain and "@link" not in plain


async def test_service_is_answered_with_introspection_off(cast: Cast) -> None:
    # A router reads the subgraph's SDL through `_service`, even where introspection is off.
    async with open_gateway(cast, settings=federated(cast, introspection=False)) as gw:
        sdl = (await gw.execute("{ _service { sdl } }"))["data"]["_service"]["sdl"]
        assert "@key" in sdl
        refused = await gw.execute("{ __schema { types { name } } }")
    assert refused["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "data" not in refused


async def test_without_federation_there_is_no_service_nor_entities(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        service = await gw.execute("{ _service { sdl } }")
        found = await gw.execute("{ _entities(representations: []) { __typename } }")
    for body in (service, found):
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "Cannot query field" in error["message"]


@pytest.mark.parametrize("executor", ["compiled", "graphql-core"])
async def test_entities_answer_each_representation_in_order(cast: Cast, executor: str) -> None:
    async with open_gateway(cast, settings=federated(cast, executor=executor)) as gw:
        listed = await gw.execute("{ teams { id key name members { key } } users { id key name } }")
        wanted = [team("platform"), user("alice"), team("mobile"), user("bob"), team("platform")]
        body = await entities(gw, wanted)
    assert "errors" not in body, body
    teams = {t["key"]: t for t in listed["data"]["teams"]}
    users = {u["key"]: u for u in listed["data"]["users"]}
    assert body["data"]["_entities"] == [
        {"__typename": "Team", **teams["platform"]},
        {"__typename": "User", **users["alice"]},
        {"__typename": "Team", **teams["mobile"]},
        {"__typename": "User", **users["bob"]},
        {"__typename": "Team", **teams["platform"]},
    ]


async def test_entities_of_every_team_cost_the_calls_of_the_teams_list(cast: Cast) -> None:
    async with open_gateway(cast, settings=federated(cast)) as gw:
        listed = await gw.execute("{ teams { id key name members { key } } }")
        as_list = asked(gw.log)
        keys = [t["key"] for t in listed["data"]["teams"]]
        assert len(keys) >= 4

        gw.log.clear()
        body = await entities(gw, [team(k) for k in keys])
        assert [e["key"] for e in body["data"]["_entities"]] == keys
        # The same calls, however many teams the router asks for at once.
        assert asked(gw.log) == as_list

        gw.log.clear()
        await entities(gw, [team(keys[0])])
        one = asked(gw.log)
    # One team costs the directory and that team's members; N teams add only members.
    assert sum(one.values()) < sum(as_list.values())


async def test_entities_of_many_users_cost_the_calls_of_one(cast: Cast) -> None:
    async with open_gateway(cast, settings=federated(cast)) as gw:
        listed = await gw.execute("{ users { key name } }")
        as_list = asked(gw.log)
        keys = [u["key"] for u in listed["data"]["users"]]

        gw.log.clear()
        body = await entities(gw, [user(k) for k in keys])
        many = asked(gw.log)
        assert [e["key"] for e in body["data"]["_entities"]] == keys

        gw.log.clear()
        await entities(gw, [user(keys[0])])
        one = asked(gw.log)
    assert len(keys) > 20
    assert many == one == as_list  # the linked directory's calls, once


async def test_unknown_and_malformed_representations_are_null_with_an_error(cast: Cast) -> None:
    wanted: list[Any] = [
        team("platform"),
        team("no-such-team"),
        {"__typename": "Review", "id": "x"},
        {"__typename": "User", "id": "not-an-id"},
        {"__typename": "User", "id": encode_id("Team", "platform")},
        "Team:platform",
        {"__typename": "User"},
        user("alice"),
    ]
    async with open_gateway(cast, settings=federated(cast)) as gw:
        response = await gw.post(ENTITIES, {"representations": wanted})
    assert response.status_code == 200
    body = response.json()
    found = body["data"]["_entities"]
    assert [e and e["key"] for e in found] == ["platform", *[None] * 6, "alice"]
    errors = {tuple(e["path"]): e for e in body["errors"]}
    assert sorted(errors) == [("_entities", i) for i in range(1, 7)]
    codes = {path[1]: e["extensions"]["code"] for path, e in errors.items()}
    assert codes == {1: "NOT_FOUND", **dict.fromkeys(range(2, 7), "BAD_USER_INPUT")}
    for (_, index), error in errors.items():
        assert error["message"].startswith(f"representations[{index}]"), error
    assert "no Team 'no-such-team'" in errors[("_entities", 1)]["message"]
    assert "use one of Team, User" in errors[("_entities", 2)]["message"]
    assert "the id of a Team, not of a User" in errors[("_entities", 4)]["message"]


async def test_an_entity_missing_while_a_service_is_down_names_the_service(cast: Cast) -> None:
    # "No such team" would be a guess while Tempo cannot list its teams: say that instead.
    async with open_gateway(
        cast, settings=federated(cast), faults={"tempo": Faults(down=True)}
    ) as gw:
        body = await entities(gw, [team("platform"), team("no-such-team")])
    assert body["data"]["_entities"][0]["key"] == "platform"
    assert body["data"]["_entities"][1] is None
    located = [e for e in body["errors"] if e.get("path") == ["_entities", 1]]
    assert located[0]["extensions"] == {
        **located[0]["extensions"],
        "code": "UPSTREAM_UNAVAILABLE",
        "service": "tempo",
    }


async def test_entities_are_measured_like_the_lists_they_batch(cast: Cast) -> None:
    async with open_gateway(cast, settings=federated(cast)) as gw:
        headers = {"X-Teamgraph-Cost": "1"}
        listed = await gw.http.post(
            "/graphql", json={"query": "{ teams { id key } }"}, headers=headers
        )
        fetched = await gw.http.post(
            "/graphql",
            json={"query": ENTITIES.replace(" members { key }", ""),
                  "variables": {"representations": [team("platform")]}},
            headers=headers,
        )  # fmt: skip
    by_list = listed.json()["extensions"]["cost"]
    by_entities = fetched.json()["extensions"]["cost"]
    assert by_entities["estimatedUpstreamCalls"] == by_list["estimatedUpstreamCalls"]
    assert by_entities["upstreamCalls"] == by_list["upstreamCalls"]


def test_schema_federation_check_names_its_own_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--federation", "--check", str(SUBGRAPH_SDL)]) == 0
    # The committed subgraph SDL without the key on User: a change to regenerate, not a match.
    old = tmp_path / "schema.federation.graphql"
    text = SUBGRAPH_SDL.read_text(encoding="utf-8")
    old.write_text(text.replace('type User implements Node @key(fields: "id", resolvable: true)',
                                "type User implements Node"), encoding="utf-8")  # fmt: skip
    capsys.readouterr()
    assert main(["schema", "--federation", "--check", str(old)]) == 1
    assert f"run `teamgraph schema --federation > {old}`" in capsys.readouterr().out
