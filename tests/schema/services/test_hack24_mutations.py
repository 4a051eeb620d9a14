"""Hack24's writes as root mutations, through the real ASGI app over the emulator: what each
answers, linked to `Team` and `User`, and what reads show afterwards; Hack24's refusals as
user errors naming the member of the request document; outages, idempotency keys and the log
line.

The demo starts with Platform = alice-nguyen, bob-okafor, erin-walsh, farid-haddad and
Payments = grace-liu, ines-costa, jonas-berg, sam-taylor, kofi-mensah.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from schema import schema
from tests.conftest import NOW
from tests.harness import Gateway, open_gateway

ERRORS = "userErrors { field message code }"
JOINED_NOW = NOW.isoformat()
MEMBERS = f"result {{ id teamId joined user {{ key }} team {{ id team {{ key }} }} }} {ERRORS}"


def members_mutation(name: str, extra: str = MEMBERS) -> str:
    return (
        f"mutation($team: String!, $ids: [String!]!, $key: String) {{ {name}(team: $team, "
        f"input: {{userIds: $ids}}, idempotencyKey: $key) {{ {extra} replayed }} }}"
    )


ADD = members_mutation("addHack24TeamMembers")
REPLACE = members_mutation("replaceHack24TeamMembers")
REMOVE = members_mutation(
    "removeHack24TeamMembers",
    f"result {{ teamId userIds team {{ id name members {{ id }} team {{ key }} }} }} {ERRORS}",
)
CREATE_USER = (
    "mutation($name: String!, $team: String) { createHack24User(input: {name: $name, "
    "teamId: $team}) { result { id name teamId joined user { key name } team { id name } } "
    f"{ERRORS} }} }}"
)
SET_TEAM = (
    "mutation($user: String!, $team: String) { setHack24UserTeam(user: $user, "
    "input: {teamId: $team}) { result { userId teamId user { id teamId joined "
    f"team {{ id }} user {{ key }} }} }} {ERRORS} }} }}"
)


async def mutate(
    gw: Gateway, document: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run a mutation and return its one field's payload, failing on any top-level error."""
    result = await gw.execute(document, variables)
    assert "errors" not in result, result["errors"]
    (payload,) = result["data"].values()
    assert isinstance(payload, dict)
    return payload


async def members(gw: Gateway, team: str) -> list[str]:
    result = await gw.execute(f'{{ hack24 {{ teamMembers(team: "{team}") {{ id }} }} }}')
    assert "errors" not in result, result["errors"]
    return [u["id"] for u in result["data"]["hack24"]["teamMembers"]]


def writes(gw: Gateway) -> list[str]:
    return [f"{c.method} {c.path}" for c in gw.log.of("hack24") if c.method != "GET"]


# -- team members ------------------------------------------------------------------------------


async def test_adding_members_moves_them_and_answers_the_team_linked(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        added = await mutate(gw, ADD, {"team": "payments", "ids": ["bob-okafor", "grace-liu"]})
        assert writes(gw) == ["POST /teams/payments/members"]
        platform, payments = await members(gw, "platform"), await members(gw, "payments")
    assert added["userErrors"] == [] and added["replayed"] is False
    result = added["result"]
    assert [u["id"] for u in result] == payments == [
        "grace-liu", "ines-costa", "jonas-berg", "sam-taylor", "kofi-mensah", "bob-okafor",
    ]  # fmt: skip
    bob = result[-1]
    assert bob == {
        "id": "bob-okafor",
        "teamId": "payments",
        "joined": JOINED_NOW,  # a new join happens now; grace keeps hers
        "user": {"key": "bob"},
        "team": {"id": "payments", "team": {"key": "payments"}},
    }
    assert result[0]["joined"] != JOINED_NOW
    assert platform == ["alice-nguyen", "erin-walsh", "farid-haddad"]


async def test_replacing_members_leaves_the_others_in_no_team(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        replaced = await mutate(gw, REPLACE, {"team": "platform", "ids": ["alice-nguyen"]})
        after = await gw.execute('{ hack24 { user(id: "bob-okafor") { teamId team { id } } } }')
    assert [u["id"] for u in replaced["result"]] == ["alice-nguyen"]
    assert after["data"]["hack24"]["user"] == {"teamId": None, "team": None}


async def test_removing_members_answers_who_and_the_team_now(cast: Cast) -> None:
    ids = ["farid-haddad", "erin-walsh", "erin-walsh", "grace-liu"]
    async with open_gateway(cast) as gw:
        removed = await mutate(gw, REMOVE, {"team": "platform", "ids": ids})
        platform, payments = await members(gw, "platform"), await members(gw, "payments")
    assert removed["result"] == {
        "teamId": "platform",
        "userIds": ["erin-walsh", "farid-haddad", "grace-liu"],  # grace is not in it: ignored
        "team": {
            "id": "platform",
            "name": "Platform",
            "members": [{"id": "alice-nguyen"}, {"id": "bob-okafor"}],
            "team": {"key": "platform"},
        },
    }
    assert platform == ["alice-nguyen", "bob-okafor"]
    assert "grace-liu" in payments


async def test_hack24_refusals_are_user_errors_naming_the_document_member(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        unknown_user = await mutate(gw, ADD, {"team": "platform", "ids": ["ghost"]})
        unknown_team = await mutate(gw, ADD, {"team": "nowhere", "ids": ["bob-okafor"]})
        taken = await mutate(
            gw,
            'mutation { createHack24Team(input: {name: "Platform"}) { result { id } '
            f"{ERRORS} }} }}",
        )
        blank = await mutate(gw, CREATE_USER, {"name": "  "})
        assert await members(gw, "platform") == [
            "alice-nguyen", "bob-okafor", "erin-walsh", "farid-haddad",
        ]  # fmt: skip
    for payload in (unknown_user, unknown_team, taken, blank):
        assert payload["result"] is None
    assert unknown_user["userErrors"] == [
        {"field": ["data", "0", "id"], "message": "hack24: No user with id 'ghost'.",
         "code": "NOT_FOUND"},
    ]  # fmt: skip
    assert unknown_team["userErrors"] == [
        {"field": None, "message": "hack24: No team with id 'nowhere'.", "code": "NOT_FOUND"},
    ]
    assert taken["userErrors"] == [
        {"field": ["data", "attributes", "name"], "code": "CONFLICT",
         "message": "hack24: A team with id 'platform' already exists."},
    ]  # fmt: skip
    assert [(e["field"], e["code"]) for e in blank["userErrors"]] == [
        (["data", "attributes", "name"], "INVALID_INPUT")
    ]


# -- users -------------------------------------------------------------------------------------


async def test_a_created_user_links_to_a_user_and_their_team(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        created = await mutate(gw, CREATE_USER, {"name": "Casey Cover", "team": "mobile"})
        assert writes(gw) == ["POST /users"]
        read_back = await gw.execute(
            '{ hack24 { user(id: "casey-cover") { name teamId joined } } '
            'team(key: "mobile") { hack24 { members { id } } } }'
        )
    assert created == {
        "result": {
            "id": "casey-cover",
            "name": "Casey Cover",
            "teamId": "mobile",
            "joined": JOINED_NOW,
            "user": {"key": "hack24:casey-cover", "name": "Casey Cover"},
            "team": {"id": "mobile", "name": "Mobile"},
        },
        "userErrors": [],
    }
    data = read_back["data"]
    assert data["hack24"]["user"] == {
        "name": "Casey Cover",
        "teamId": "mobile",
        "joined": JOINED_NOW,
    }
    assert data["team"]["hack24"]["members"][-1] == {"id": "casey-cover"}


async def test_setting_a_users_team_moves_them_or_takes_them_out(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        moved = await mutate(gw, SET_TEAM, {"user": "bob-okafor", "team": "payments"})
        left = await mutate(gw, SET_TEAM, {"user": "erin-walsh"})
        nowhere = await mutate(gw, SET_TEAM, {"user": "bob-okafor", "team": "nowhere"})
        assert writes(gw) == [
            "PATCH /users/bob-okafor/team", "PATCH /users/erin-walsh/team",
            "PATCH /users/bob-okafor/team",
        ]  # fmt: skip
        after = await gw.execute(
            '{ hack24 { bob: userTeam(user: "bob-okafor") { id } '
            'erin: userTeam(user: "erin-walsh") { id } } }'
        )
    assert moved == {
        "result": {
            "userId": "bob-okafor",
            "teamId": "payments",
            "user": {
                "id": "bob-okafor", "teamId": "payments", "joined": JOINED_NOW,
                "team": {"id": "payments"}, "user": {"key": "bob"},
            },
        },
        "userErrors": [],
    }  # fmt: skip
    assert left["result"]["teamId"] is None and left["result"]["user"]["teamId"] is None
    assert nowhere["result"] is None
    assert [(e["field"], e["code"]) for e in nowhere["userErrors"]] == [
        (["data", "id"], "NOT_FOUND")
    ]
    assert after["data"]["hack24"] == {"bob": {"id": "payments"}, "erin": None}


# -- outages, idempotency, the log line --------------------------------------------------------


async def test_an_outage_is_a_top_level_error_naming_hack24(cast: Cast) -> None:
    async with open_gateway(cast, faults={"hack24": Faults(down=True)}) as gw:
        result = await gw.execute(REMOVE, {"team": "platform", "ids": ["bob-okafor"]})
        assert writes(gw) == ["DELETE /teams/platform/members"]  # a write is never retried
    (error,) = result["errors"]
    assert error["path"] == ["removeHack24TeamMembers"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["service"] == "hack24"


@pytest.mark.parametrize(
    ("document", "method"),
    [(ADD, "POST"), (REMOVE, "DELETE")],
    ids=["a member list", "a 204 answer"],
)
async def test_a_repeated_key_replays_the_first_answer_without_writing_again(
    cast: Cast, document: str, method: str
) -> None:
    sent = {"team": "payments", "ids": ["bob-okafor"], "key": "k-1"}
    async with open_gateway(cast) as gw:
        first = await mutate(gw, document, sent)
        again = await mutate(gw, document, sent)
        assert writes(gw) == [f"{method} /teams/payments/members"]
        other = await gw.execute(document, {**sent, "ids": ["alice-nguyen"]})
        assert len(writes(gw)) == 1
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["result"] == first["result"] and first["result"] is not None
    (error,) = other["errors"]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_the_same_key_on_another_team_is_another_input(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        await mutate(gw, ADD, {"team": "payments", "ids": ["bob-okafor"], "key": "k-2"})
        other = await gw.execute(ADD, {"team": "mobile", "ids": ["bob-okafor"], "key": "k-2"})
    assert other["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_each_mutation_logs_one_info_line_without_secrets(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    async with open_gateway(cast) as gw:
        with caplog.at_level(logging.INFO, logger="teamgraph.mutations"):
            await mutate(gw, CREATE_USER, {"name": "Casey Cover"})
            await mutate(gw, CREATE_USER, {"name": "Casey Cover"})
            await mutate(gw, SET_TEAM, {"user": "casey-cover", "team": "mobile"})
    said = [r.getMessage() for r in caplog.records if r.name == "teamgraph.mutations"]
    assert [s.split(" (")[0] for s in said] == [
        "mutation createHack24User by anonymous:- on hack24: done",
        "mutation createHack24User by anonymous:- on hack24: rejected",
        "mutation setHack24UserTeam by anonymous:- on hack24: done",
    ]
    assert not [s for s in said if cast.credentials.hack24_token in s]


# -- the schema --------------------------------------------------------------------------------


def test_every_hack24_write_type_field_argument_and_value_is_described() -> None:
    missing: list[str] = []
    types = schema._schema.type_map
    mutation = types["Mutation"]
    assert isinstance(mutation, GraphQLObjectType)
    for name, field in mutation.fields.items():
        if "Hack24" in name:
            missing += [name] if not field.description else []
            missing += [f"{name}({a})" for a, arg in field.args.items() if not arg.description]
    for name, named in types.items():
        if "Hack24" not in name:
            continue
        missing += [name] if not named.description else []
        if isinstance(named, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, d in named.values.items() if not d.description]
        if isinstance(named, GraphQLObjectType | GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, d in named.fields.items() if not d.description]
    assert missing == []
