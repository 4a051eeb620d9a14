"""oncall's mutations under the write conventions, over the ASGI app: outages as errors naming
oncall, idempotency keys (a repeat calls no upstream write; another input is refused), one log
line per mutation without secrets, reads after a write in the same request and in the next
(past the shared cache), a read-back that fails after the write stood, and every field,
argument and input described."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from graphql import GraphQLInputObjectType

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.settings import CacheSettings
from schema import schema
from tests.faults import FaultTransport
from tests.harness import Gateway, configured, open_gateway

ERRORS = "userErrors { field message code }"
CREATE_SRE = (
    'mutation($key: String) { createOncallTeam(input: {name: "sre", schedulingTimezone: "UTC", '
    f'admin: "alice", email: "sre@teamgraph.example"}}, idempotencyKey: $key) '
    f"{{ result {{ name email admins {{ name }} }} {ERRORS} replayed }} }}"
)


def writes(gw: Gateway) -> list[str]:
    """The oncall write calls made, in order."""
    return [f"{c.method} {c.path}" for c in gw.log.of("oncall") if c.method != "GET"]


def calls(gw: Gateway) -> list[str]:
    return [f"{c.method} {c.path}" for c in gw.log.of("oncall")]


async def mutate(gw: Gateway, document: str, variables: dict[str, Any] | None = None) -> Any:
    """The data of a document that must answer without top-level errors."""
    result = await gw.execute(document, variables)
    assert "errors" not in result, result["errors"]
    return result["data"]


# -- outages and idempotency ----------------------------------------------------------------


async def test_an_outage_is_an_error_naming_oncall(cast: Cast) -> None:
    async with open_gateway(cast, faults={"oncall": Faults(down=True)}) as gw:
        result = await gw.execute(CREATE_SRE)
        assert result["data"] is None  # the payload is non-null: the error takes its place
        (error,) = result["errors"]
        assert error["path"] == ["createOncallTeam"]
        assert error["extensions"]["service"] == "oncall"
        assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
        assert writes(gw) == ["POST /teams"]  # a write is never retried


async def test_a_repeated_key_replays_without_writing_again(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        first = await mutate(gw, CREATE_SRE, {"key": "k-1"})
        again = await mutate(gw, CREATE_SRE, {"key": "k-1"})
        assert first["createOncallTeam"]["replayed"] is False
        assert again["createOncallTeam"]["replayed"] is True
        assert again["createOncallTeam"]["result"] == first["createOncallTeam"]["result"]
        assert again["createOncallTeam"]["userErrors"] == []
        assert writes(gw) == ["POST /teams"]  # once; a second POST would be a 422 duplicate
        # The replay reads the team back again: it is the object as oncall has it now.
        assert calls(gw).count("GET /teams/sre") == 2


async def test_a_replayed_refusal_is_refused_again_without_a_call(cast: Cast) -> None:
    document = (
        'mutation { addOncallTeamAdmin(team: "platform", input: {user: "nobody"}, '
        f'idempotencyKey: "k-2") {{ result {{ name }} {ERRORS} replayed }} }}'
    )
    async with open_gateway(cast) as gw:
        first = (await mutate(gw, document))["addOncallTeamAdmin"]
        again = (await mutate(gw, document))["addOncallTeamAdmin"]
    assert (first["result"], again["result"], again["replayed"]) == (None, None, True)
    assert again["userErrors"] == first["userErrors"] == [
        {"field": None, "message": "oncall: IntegrityError: invalid team or user",
         "code": "INVALID_INPUT"}
    ]  # fmt: skip
    assert writes(gw) == ["POST /teams/platform/admins"]


async def test_a_key_reused_with_another_input_is_an_error(cast: Cast) -> None:
    other = CREATE_SRE.replace('"sre@teamgraph.example"', '"other@teamgraph.example"')
    async with open_gateway(cast) as gw:
        await mutate(gw, CREATE_SRE, {"key": "k-3"})
        result = await gw.execute(other, {"key": "k-3"})
        assert result["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
        assert writes(gw) == ["POST /teams"]


async def test_a_path_argument_is_part_of_the_input_a_key_is_checked_against(cast: Cast) -> None:
    def remove(user: str) -> str:
        return (
            f'mutation {{ removeOncallTeamUser(team: "platform", user: "{user}", '
            f'idempotencyKey: "k-4") {{ result {{ name }} {ERRORS} }} }}'
        )

    async with open_gateway(cast) as gw:
        await mutate(gw, remove("erin"))
        result = await gw.execute(remove("farid"))
        assert result["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
        assert writes(gw) == ["DELETE /teams/platform/users/erin"]


# -- the log line -----------------------------------------------------------------------------


async def test_one_log_line_per_mutation_without_secrets(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    document = (
        f'mutation {{ a: updateOncallTeam(team: "platform", input: {{email: "p@x"}}) '
        f'{{ {ERRORS} }} b: addOncallTeamAdmin(team: "platform", input: {{user: "nobody"}}) '
        f"{{ {ERRORS} }} }}"
    )
    async with open_gateway(cast) as gw:
        with caplog.at_level(logging.INFO, logger="teamgraph.mutations"):
            await mutate(gw, document)
    lines = [r.getMessage() for r in caplog.records if r.name == "teamgraph.mutations"]
    assert len(lines) == 2
    assert lines[0].startswith("mutation updateOncallTeam by anonymous:- on oncall: done")
    assert lines[1].startswith("mutation addOncallTeamAdmin by anonymous:- on oncall: rejected")
    secret = cast.credentials.oncall_app_key
    assert all(secret not in line and "hmac" not in line for line in lines)


# -- reads after writes -----------------------------------------------------------------------


async def test_a_read_after_a_write_in_the_same_request_sees_it(cast: Cast) -> None:
    document = f"""mutation {{
        before: addOncallTeamUser(team: "platform", input: {{user: "grace"}})
            {{ result {{ email users {{ name }} }} {ERRORS} }}
        change: updateOncallTeam(team: "platform", input: {{email: "new@teamgraph.example"}})
            {{ result {{ email users {{ name }} }} {ERRORS} }}
        after: removeOncallTeamUser(team: "platform", user: "grace")
            {{ result {{ email users {{ name }} }} {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
    assert data["before"]["result"]["email"] == "platform@teamgraph.example"
    assert "grace" in [u["name"] for u in data["before"]["result"]["users"]]
    assert data["change"]["result"]["email"] == "new@teamgraph.example"
    assert data["after"]["result"]["email"] == "new@teamgraph.example"
    assert "grace" not in [u["name"] for u in data["after"]["result"]["users"]]
    assert calls(gw).count("GET /teams/platform") == 3  # each write read it back afresh


async def test_a_write_drops_what_the_shared_cache_kept_of_oncall(cast: Cast) -> None:
    settings = configured(cast)
    settings = settings.model_copy(update={"cache": CacheSettings(enabled=True)})
    read = '{ oncall { team(name: "platform") { email } } }'
    change = (
        'mutation { updateOncallTeam(team: "platform", input: {email: "new@teamgraph.example"}) '
        f"{{ {ERRORS} }} }}"
    )
    async with open_gateway(cast, settings=settings) as gw:
        before = await mutate(gw, read)
        await mutate(gw, read)
        assert calls(gw) == ["GET /teams/platform"]  # the second read came from the cache
        gw.log.clear()
        await mutate(gw, change)
        # The write dropped oncall's entries: the read-back asks oncall, and is cached.
        assert calls(gw) == ["PUT /teams/platform", "GET /teams/platform"]
        after = await mutate(gw, read)
        assert len(calls(gw)) == 2
    assert before["oncall"]["team"]["email"] == "platform@teamgraph.example"
    assert after["oncall"]["team"]["email"] == "new@teamgraph.example"


async def test_a_failing_read_back_fails_the_field_while_the_write_stands(cast: Cast) -> None:
    oncall = FaultTransport(cast)

    async def fail_reads(request: httpx.Request, _n: int) -> httpx.Response | None:
        if request.method == "GET":
            return httpx.Response(503, json={"title": "503 Service Unavailable"})
        return None

    oncall.on("/teams/sre", fail_reads)
    async with open_gateway(cast, transports={"oncall": oncall}) as gw:
        failed = await gw.execute(CREATE_SRE, {"key": "k-5"})
        assert failed["data"] is None
        assert failed["errors"][0]["extensions"]["service"] == "oncall"
        oncall.rules.clear()
        again = await mutate(gw, CREATE_SRE, {"key": "k-5"})
        assert again["createOncallTeam"]["replayed"] is True  # the write is not repeated
        assert again["createOncallTeam"]["result"]["admins"] == [{"name": "alice"}]
        assert writes(gw) == ["POST /teams"]


# -- descriptions -----------------------------------------------------------------------------


def test_every_oncall_mutation_argument_and_input_field_is_described() -> None:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    mine = {name: f for name, f in mutation.fields.items() if "Oncall" in name}
    assert len(mine) == 33
    missing = [name for name, f in mine.items() if not f.description]
    missing += [f"{name}({a})" for name, f in mine.items() for a, arg in f.args.items()
                if not arg.description]  # fmt: skip
    inputs = {n: t for n, t in schema._schema.type_map.items()
              if isinstance(t, GraphQLInputObjectType) and "Oncall" in n}  # fmt: skip
    assert len(inputs) >= 25
    missing += [n for n, t in inputs.items() if not t.description]
    missing += [f"{n}.{f}" for n, t in inputs.items() for f, field in t.fields.items()
                if not field.description]  # fmt: skip
    assert missing == []
