"""Team O'clock's writes through the real app: members, teams and team membership answer the
changed object (linked into the unified graph) and read back; what the API refuses is a user
error; and the write conventions hold for them (outages, idempotency keys, the log line)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLObjectType, get_named_type

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from schema import schema
from tests.harness import Gateway, open_gateway

ERRORS = "userErrors { field message code }"
REFUSED = "teamoclock: Invalid request: Enter a valid json body"
NOT_FOUND = (
    "teamoclock: Object not found: Object not found. It may have been deleted or not been "
    "created yet"
)

CREATE_MEMBER = (
    "mutation($input: CreateTeamOclockMemberInput!, $key: String) { "
    "createTeamOclockMember(input: $input, idempotencyKey: $key) { "
    f"result {{ username firstName lastName avatar email role user {{ key name }} }} "
    f"{ERRORS} replayed }} }}"
)
ZOE = {
    "username": "zoe",
    "firstName": "Zoe",
    "lastName": "Park",
    "avatar": "zoe.png",
    "email": "zoe@teamgraph.example",
    "role": "MANAGER",
}


async def mutate(gw: Gateway, document: str, variables: dict[str, Any] | None = None) -> Any:
    """The payload of a one-mutation document that must not fail."""
    result = await gw.execute(document, variables)
    assert "errors" not in result, result["errors"]
    (payload,) = result["data"].values()
    return payload


async def read(gw: Gateway, query: str) -> Any:
    result = await gw.execute(f"{{ teamoclock {{ {query} }} }}")
    assert "errors" not in result, result["errors"]
    return result["data"]["teamoclock"]


def writes(gw: Gateway) -> list[tuple[str, int | None]]:
    """The write calls Team O'clock received, with the status it answered."""
    return [
        (f"{c.method} {c.path}", c.status) for c in gw.log.of("teamoclock") if c.method != "GET"
    ]


# -- members ----------------------------------------------------------------------------------


async def test_a_created_member_is_answered_linked_to_a_user_and_reads_back(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        payload = await mutate(gw, CREATE_MEMBER, {"input": ZOE})
        assert writes(gw) == [("POST /members", 201)]
        got = await read(gw, 'member(username: "zoe") { username role email } members { username }')
    assert payload["userErrors"] == [] and payload["replayed"] is False
    result = payload["result"]
    assert {k: result[k] for k in ZOE} == ZOE
    assert result["user"] == {"key": "zoe", "name": "Zoe Park"}  # a new person, linked
    assert got["member"] == {"username": "zoe", "role": "MANAGER", "email": ZOE["email"]}
    assert got["members"][-1] == {"username": "zoe"}


async def test_a_member_left_without_a_role_gets_team_oclocks_default(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        payload = await mutate(gw, CREATE_MEMBER, {"input": {"username": "yuki"}})
    assert payload["result"]["role"] == "MEMBER" and payload["result"]["firstName"] == ""


@pytest.mark.parametrize("username", ["alice", "", "a/b"])
async def test_a_taken_or_bad_username_is_refused_as_a_user_error(
    cast: Cast, username: str
) -> None:
    async with open_gateway(cast) as gw:
        payload = await mutate(gw, CREATE_MEMBER, {"input": {**ZOE, "username": username}})
        assert writes(gw) == [("POST /members", 400)]
    # Team O'clock gives one reason for every bad body and names no field.
    assert payload == {
        "result": None,
        "userErrors": [{"field": None, "message": REFUSED, "code": "INVALID_INPUT"}],
        "replayed": False,
    }


async def test_an_update_changes_only_the_fields_given(cast: Cast) -> None:
    document = (
        'mutation { updateTeamOclockMember(username: "bob", input: { lastName: "Builder", '
        f"role: MANAGER }}) {{ result {{ username firstName lastName role email }} {ERRORS} }} }}"
    )
    async with open_gateway(cast) as gw:
        before = await read(gw, 'member(username: "bob") { firstName email }')
        payload = await mutate(gw, document)
        after = await read(gw, 'member(username: "bob") { firstName lastName role email }')
        assert writes(gw) == [("PATCH /members/bob", 200)]
    assert payload["userErrors"] == []
    assert payload["result"] == {"username": "bob", "lastName": "Builder", "role": "MANAGER",
                                 **before["member"]}  # fmt: skip
    assert after["member"] == {k: v for k, v in payload["result"].items() if k != "username"}


async def test_changing_a_member_who_is_not_there_is_not_found(cast: Cast) -> None:
    document = (
        'mutation { updateTeamOclockMember(username: "nobody", input: { firstName: "N" }) '
        f"{{ result {{ username }} {ERRORS} }} }}"
    )
    async with open_gateway(cast) as gw:
        payload = await mutate(gw, document)
    assert payload["result"] is None
    assert payload["userErrors"] == [{"field": None, "message": NOT_FOUND, "code": "NOT_FOUND"}]


async def test_a_deleted_member_leaves_the_organisation_and_its_teams(cast: Cast) -> None:
    document = f'mutation {{ deleteTeamOclockMember(username: "erin") {{ result {ERRORS} }} }}'
    async with open_gateway(cast) as gw:
        payload = await mutate(gw, document)
        got = await read(
            gw,
            'member(username: "erin") { username } team(slug: "platform") { members { username } }',
        )
        again = await mutate(gw, document)
    assert payload == {"result": "erin", "userErrors": []}
    assert got["member"] is None
    assert "erin" not in [m["username"] for m in got["team"]["members"]]
    assert again["result"] is None and again["userErrors"][0]["code"] == "NOT_FOUND"


# -- teams and their members ------------------------------------------------------------------


async def test_a_team_is_created_changed_and_deleted(cast: Cast) -> None:
    create = (
        'mutation { createTeamOclockTeam(input: { name: "Growth", slug: "growth", '
        'videoUrl: "https://meet.example/growth" }) '
        f"{{ result {{ slug name videoUrl moodEnabled team {{ key name }} }} {ERRORS} }} }}"
    )
    update = (
        'mutation { updateTeamOclockTeam(slug: "growth", input: { name: "Growth Hackers", '
        f"moodEnabled: true }}) {{ result {{ slug name videoUrl moodEnabled }} {ERRORS} }} }}"
    )
    delete = f'mutation {{ deleteTeamOclockTeam(slug: "growth") {{ result {ERRORS} }} }}'
    async with open_gateway(cast) as gw:
        created = await mutate(gw, create)
        updated = await mutate(gw, update)
        got = await read(gw, 'team(slug: "growth") { name moodEnabled members { username } }')
        deleted = await mutate(gw, delete)
        gone = await read(gw, 'team(slug: "growth") { slug } teams { slug }')
        assert writes(gw) == [
            ("POST /teams", 201), ("PATCH /teams/growth", 200), ("DELETE /teams/growth", 204)
        ]  # fmt: skip
    assert created["result"] == {
        "slug": "growth", "name": "Growth", "videoUrl": "https://meet.example/growth",
        "moodEnabled": False, "team": {"key": "growth", "name": "Growth"},
    }  # fmt: skip
    assert updated["result"] == {
        "slug": "growth", "name": "Growth Hackers", "videoUrl": "https://meet.example/growth",
        "moodEnabled": True,
    }  # fmt: skip
    assert got["team"] == {"name": "Growth Hackers", "moodEnabled": True, "members": []}
    assert deleted == {"result": "growth", "userErrors": []}
    assert gone["team"] is None and "growth" not in [t["slug"] for t in gone["teams"]]


async def test_a_taken_slug_or_an_empty_name_is_refused(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        taken = await mutate(
            gw,
            'mutation { createTeamOclockTeam(input: { name: "Again", slug: "platform" }) '
            f"{{ result {{ slug }} {ERRORS} }} }}",
        )
        empty = await mutate(
            gw,
            'mutation { updateTeamOclockTeam(slug: "platform", input: { name: "" }) '
            f"{{ result {{ slug }} {ERRORS} }} }}",
        )
        got = await read(gw, 'team(slug: "platform") { name }')
    for payload in (taken, empty):
        assert payload["result"] is None
        assert payload["userErrors"] == [
            {"field": None, "message": REFUSED, "code": "INVALID_INPUT"}
        ]
    assert got["team"] == {"name": "Platform"}


TEAM_MEMBERS = (
    "mutation($slug: String!, $names: [String!]!) { %s(slug: $slug, input: { usernames: $names }) "
    f"{{ result {{ teamSlug usernames team {{ slug team {{ key }} members {{ username }} }} }} "
    f"{ERRORS} }} }}"
)


async def test_members_are_added_to_a_team_and_taken_out(cast: Cast) -> None:
    add, remove = (
        TEAM_MEMBERS % "addTeamOclockTeamMembers",
        TEAM_MEMBERS % "removeTeamOclockTeamMembers",
    )
    async with open_gateway(cast) as gw:
        before = [
            m["username"]
            for m in (await read(gw, 'team(slug: "platform") { members { username } }'))["team"][
                "members"
            ]
        ]
        added = await mutate(gw, add, {"slug": "platform", "names": ["grace", "lena"]})
        removed = await mutate(gw, remove, {"slug": "platform", "names": ["bob", "nobody"]})
        got = await read(
            gw,
            'team(slug: "platform") { members { username } } member(username: "bob") { username }',
        )
        assert writes(gw) == [
            ("POST /teams/platform/members", 204), ("DELETE /teams/platform/members", 204)
        ]  # fmt: skip
    result = added["result"]
    assert result["teamSlug"] == "platform" and result["usernames"] == ["grace", "lena"]
    assert result["team"]["team"] == {"key": "platform"}
    assert [m["username"] for m in result["team"]["members"]] == [*before, "grace", "lena"]
    members = [m["username"] for m in removed["result"]["team"]["members"]]
    assert members == [u for u in before if u != "bob"] + ["grace", "lena"]
    assert [m["username"] for m in got["team"]["members"]] == members
    assert got["member"] == {"username": "bob"}  # still in the organisation


async def test_adding_someone_who_is_not_a_member_adds_no_one(cast: Cast) -> None:
    add = TEAM_MEMBERS % "addTeamOclockTeamMembers"
    async with open_gateway(cast) as gw:
        refused = await mutate(gw, add, {"slug": "platform", "names": ["grace", "nobody"]})
        missing = await mutate(gw, add, {"slug": "nope", "names": ["grace"]})
        got = await read(gw, 'team(slug: "platform") { members { username } }')
    assert refused["result"] is None
    assert refused["userErrors"] == [{"field": None, "message": REFUSED, "code": "INVALID_INPUT"}]
    assert missing["result"] is None and missing["userErrors"][0]["code"] == "NOT_FOUND"
    assert "grace" not in [m["username"] for m in got["team"]["members"]]


# -- the write conventions --------------------------------------------------------------------


async def test_an_outage_is_a_top_level_error_naming_team_oclock_and_is_not_retried(
    cast: Cast,
) -> None:
    async with open_gateway(cast, faults={"teamoclock": Faults(down=True)}) as gw:
        result = await gw.execute(CREATE_MEMBER, {"input": ZOE})
        assert writes(gw) == [("POST /members", 503)]  # writes are never retried
    (error,) = result["errors"]
    assert error["extensions"]["service"] == "teamoclock"
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["path"] == ["createTeamOclockMember"]


REPEATS = [
    (CREATE_MEMBER, {"input": ZOE}, "POST /members"),
    (
        'mutation($key: String) { startTeamOclockStandup(input: { team: "mobile" }, '
        "idempotencyKey: $key) { result { alreadyActive meeting { id date team { key } } } "
        f"{ERRORS} replayed }} }}",
        {},
        "POST /standup",
    ),
    (
        'mutation($key: String) { addTeamOclockTeamMembers(slug: "platform", input: '
        '{ usernames: ["grace"] }, idempotencyKey: $key) { result { teamSlug usernames } '
        f"{ERRORS} replayed }} }}",
        {},
        "POST /teams/platform/members",
    ),
    (
        'mutation($key: String) { deleteTeamOclockTimelineRecord(id: "S1", idempotencyKey: $key) '
        f"{{ result {ERRORS} replayed }} }}",
        {},
        "DELETE /timeline/S1",
    ),
]


@pytest.mark.parametrize(("document", "variables", "call"), REPEATS, ids=lambda v: str(v)[:30])
async def test_a_repeat_with_the_same_key_is_replayed_without_a_second_call(
    cast: Cast, document: str, variables: dict[str, Any], call: str
) -> None:
    async with open_gateway(cast) as gw:
        first = await mutate(gw, document, {**variables, "key": "k-1"})
        again = await mutate(gw, document, {**variables, "key": "k-1"})
        assert [c for c, _ in writes(gw)] == [call]
    assert first["replayed"] is False and again["replayed"] is True
    assert first["userErrors"] == [] and again["result"] == first["result"]


async def test_a_replayed_start_still_says_it_started_the_meeting(cast: Cast) -> None:
    """The first answer comes back as it was: a repeat sent without the key would be told
    the standup was already running."""
    document, _, _ = REPEATS[1]
    async with open_gateway(cast) as gw:
        first = await mutate(gw, document, {"key": "start"})
        replayed = await mutate(gw, document, {"key": "start"})
        unkeyed = await mutate(gw, document, {})
    assert first["result"]["alreadyActive"] is False and replayed["result"] == first["result"]
    assert unkeyed["result"]["alreadyActive"] is True
    assert unkeyed["result"]["meeting"] == first["result"]["meeting"]


async def test_a_refusal_is_replayed_too(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        first = await mutate(gw, CREATE_MEMBER, {"input": {"username": "alice"}, "key": "k"})
        again = await mutate(gw, CREATE_MEMBER, {"input": {"username": "alice"}, "key": "k"})
        assert writes(gw) == [("POST /members", 400)]
    assert again["replayed"] is True and again["userErrors"] == first["userErrors"] != []


async def test_the_same_key_with_another_input_is_an_error(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        await mutate(gw, CREATE_MEMBER, {"input": ZOE, "key": "k-2"})
        result = await gw.execute(
            CREATE_MEMBER, {"input": {**ZOE, "username": "zed"}, "key": "k-2"}
        )
        assert writes(gw) == [("POST /members", 201)]
    (error,) = result["errors"]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"


@pytest.mark.parametrize("record", [b"not json", b"[]", b'{"state": "done"}'])
async def test_an_unreadable_idempotency_record_refuses_the_repeat(
    cast: Cast, record: bytes
) -> None:
    """A record the store holds but nobody can read (another writer, an older gateway, a
    corrupted entry): the repeat is neither replayed nor run again."""
    async with open_gateway(cast) as gw:
        await mutate(gw, CREATE_MEMBER, {"input": ZOE, "key": "k-9"})
        for each in (gw, gw.twin):  # the differential run's reference gateway too
            if each is not None:
                await each.app_endpoint().idempotency.store.put("anonymous:-:k-9", record, 60)
        result = await gw.execute(CREATE_MEMBER, {"input": ZOE, "key": "k-9"})
        assert writes(gw) == [("POST /members", 201)]
    (error,) = result["errors"]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert "cannot be read" in error["message"] and "new key" in error["message"]


async def test_the_same_key_for_another_path_id_is_an_error(cast: Cast) -> None:
    """The digest covers the path id, not only the input: deleting another member with the
    key of an earlier delete is refused, not answered with the first one's result."""
    document = (
        "mutation($who: String!) { deleteTeamOclockMember(username: $who, idempotencyKey: "
        f'"k-3") {{ result {ERRORS} replayed }} }}'
    )
    async with open_gateway(cast) as gw:
        await mutate(gw, document, {"who": "erin"})
        result = await gw.execute(document, {"who": "farid"})
        assert writes(gw) == [("DELETE /members/erin", 204)]
    assert result["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_each_mutation_logs_one_info_line_without_secrets(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="teamgraph.mutations")
    async with open_gateway(cast) as gw:
        await mutate(gw, CREATE_MEMBER, {"input": ZOE})
        await mutate(gw, CREATE_MEMBER, {"input": ZOE})  # now taken
        await mutate(gw, CREATE_MEMBER, {"input": {**ZOE, "username": "zed"}, "key": "k"})
        await mutate(gw, CREATE_MEMBER, {"input": {**ZOE, "username": "zed"}, "key": "k"})
    lines = [r for r in caplog.records if r.name == "teamgraph.mutations"]
    assert [r.levelno for r in lines] == [logging.INFO] * 4
    said = [r.getMessage() for r in lines]
    for line, outcome in zip(said, ("done", "rejected", "done", "replayed"), strict=True):
        assert line.startswith("mutation createTeamOclockMember by anonymous:- on teamoclock: ")
        assert f": {outcome} (" in line
    secrets = (cast.credentials.teamoclock_key, cast.credentials.teamoclock_org + ":")
    assert not any(s in line for s in secrets for line in said)


def test_every_team_oclock_mutation_argument_and_type_it_adds_is_described() -> None:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    mine = {n: f for n, f in mutation.fields.items() if "TeamOclock" in n}
    assert len(mine) == 20
    missing: list[str] = []
    seen: set[str] = set()

    def check(named: object) -> None:
        if not isinstance(named, GraphQLObjectType | GraphQLInputObjectType):
            return
        if named.name in seen:
            return
        seen.add(named.name)
        if not named.description:
            missing.append(named.name)
        for name, field in named.fields.items():
            if not field.description:
                missing.append(f"{named.name}.{name}")
            if named.name.startswith(("Create", "Update", "Start", "Add", "Remove")):
                check(get_named_type(field.type))

    for name, field in mine.items():
        if not field.description:
            missing.append(name)
        for arg_name, arg in field.args.items():
            if not arg.description:
                missing.append(f"{name}({arg_name})")
            check(get_named_type(arg.type))
        payload = get_named_type(field.type)
        check(payload)
        assert isinstance(payload, GraphQLObjectType)
        check(get_named_type(payload.fields["result"].type))
    assert missing == []
