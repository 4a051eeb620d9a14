"""oncall's writes to teams, their admins, members and services, and to services: results read
back and linked, what oncall refuses as user errors naming the input field, and the writes
2.1.7 accepts while changing nothing."""

from __future__ import annotations

from gateway.emulators.cast import Cast
from tests.harness import open_gateway
from tests.schema.services.test_oncall_mutations import ERRORS, calls, mutate, writes


async def test_a_created_team_is_read_back_and_linked(cast: Cast) -> None:
    document = (
        'mutation { createOncallTeam(input: {name: " sre ", schedulingTimezone: "US/Pacific", '
        'admin: "bob", slackChannel: "#sre", description: "Reliability", irisEnabled: true}) '
        "{ result { name id schedulingTimezone slackChannel description irisEnabled "
        f"admins {{ name }} users {{ name }} team {{ key name }} }} {ERRORS} replayed }} }}"
    )
    async with open_gateway(cast) as gw:
        payload = (await mutate(gw, document))["createOncallTeam"]
        assert calls(gw)[:2] == ["POST /teams", "GET /teams/sre"]  # trimmed, as oncall does
        after = await mutate(gw, '{ oncall { teams { name } team(name: "sre") { id } } }')
    assert payload["userErrors"] == [] and payload["replayed"] is False
    assert payload["result"] == {
        "name": "sre", "id": 9, "schedulingTimezone": "US/Pacific", "slackChannel": "#sre",
        "description": "Reliability", "irisEnabled": True, "admins": [{"name": "bob"}],
        "users": [{"name": "bob"}], "team": {"key": "sre", "name": "sre"},
    }  # fmt: skip
    assert {"name": "sre"} in after["oncall"]["teams"]
    assert after["oncall"]["team"] == {"id": 9}


async def test_what_oncall_refuses_names_the_input_field(cast: Cast) -> None:
    def create(fields: str) -> str:
        return f"createOncallTeam(input: {{{fields}}}) {{ result {{ name }} {ERRORS} }}"

    document = f"""mutation {{
        duplicate: {create('name: "platform", schedulingTimezone: "UTC", admin: "alice"')}
        slash: {create('name: "a/b", schedulingTimezone: "UTC", admin: "alice"')}
        zone: {create('name: "x", schedulingTimezone: "", admin: "alice"')}
        admin: {create('name: "x", schedulingTimezone: "UTC", admin: "nobody"')}
        slack: {create('name: "x", schedulingTimezone: "UTC", admin: "alice", slackChannel: "x"')}
        update: updateOncallTeam(team: "platform", input: {{schedulingTimezone: "Mars/Base"}})
            {{ result {{ name }} {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
        assert writes(gw) == ["POST /teams"] * 5 + ["PUT /teams/platform"]
    refused = {alias: p["userErrors"] for alias, p in data.items()}
    assert all(p["result"] is None for p in data.values())
    assert refused["duplicate"] == [
        {"field": ["input", "name"], "code": "INVALID_INPUT",
         "message": 'oncall: IntegrityError: team name "platform" already exists'}
    ]  # fmt: skip
    assert refused["slash"][0]["field"] == ["input", "name"]
    assert refused["zone"] == [
        {"field": ["input", "schedulingTimezone"], "code": "INVALID_INPUT",
         "message": "oncall: scheduling_timezone attribute missing from request"}
    ]  # fmt: skip
    assert refused["admin"] == [
        {"field": ["input", "admin"], "code": "INVALID_INPUT",
         "message": "oncall: invalid admin: admin username nobody was not found in db"}
    ]  # fmt: skip
    assert refused["slack"][0]["field"] == ["input", "slackChannel"]
    assert refused["slack"][0]["message"].endswith("slack channel name needs to start with #")
    assert refused["update"][0]["field"] == ["input", "schedulingTimezone"]
    assert "is not supported" in refused["update"][0]["message"]


async def test_a_renamed_team_answers_under_its_new_name(cast: Cast) -> None:
    document = (
        'mutation { updateOncallTeam(team: "platform", input: {name: "platform-eng", '
        f'email: "eng@teamgraph.example"}}) {{ result {{ name email team {{ key }} }} '
        f"{ERRORS} }} }}"
    )
    async with open_gateway(cast) as gw:
        payload = (await mutate(gw, document))["updateOncallTeam"]
        after = await mutate(gw, '{ oncall { team(name: "platform") { name } } }')
    assert payload["result"] == {
        "name": "platform-eng", "email": "eng@teamgraph.example", "team": {"key": "platform-eng"},
    }  # fmt: skip
    assert after["oncall"]["team"] is None


async def test_an_update_oncall_ignores_is_not_found(cast: Cast) -> None:
    document = f"""mutation {{
        team: updateOncallTeam(team: "nope", input: {{email: "x@y"}})
            {{ result {{ name }} {ERRORS} }}
        service: updateOncallService(service: "nope", input: {{name: "other"}})
            {{ result {{ name }} {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
        assert writes(gw) == ["PUT /teams/nope", "PUT /services/nope"]  # both answered 200
    assert data["team"] == {"result": None, "userErrors": [
        {"field": None, "code": "NOT_FOUND",
         "message": "oncall: no active team named 'nope', so nothing changed"}]}  # fmt: skip
    assert data["service"]["userErrors"][0]["code"] == "NOT_FOUND"


async def test_admins_and_members_come_and_go(cast: Cast) -> None:
    team = "result { admins { name } users { name } }"
    document = f"""mutation {{
        admin: addOncallTeamAdmin(team: "platform", input: {{user: "grace"}}) {{ {team} {ERRORS} }}
        unadmin: removeOncallTeamAdmin(team: "platform", user: "grace") {{ {team} {ERRORS} }}
        member: addOncallTeamUser(team: "platform", input: {{user: "hiro"}}) {{ {team} {ERRORS} }}
        leave: removeOncallTeamUser(team: "platform", user: "hiro") {{ {team} {ERRORS} }}
        unknown: addOncallTeamUser(team: "platform", input: {{user: "nobody"}})
            {{ {team} {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)

    def of(alias: str, part: str) -> list[str]:
        return [u["name"] for u in data[alias]["result"][part]]

    assert of("admin", "admins") == ["alice", "grace"] and "grace" in of("admin", "users")
    # grace is in no platform roster: no longer an admin, she leaves the team.
    assert of("unadmin", "admins") == ["alice"] and "grace" not in of("unadmin", "users")
    assert of("member", "users")[-1] == "hiro" and "hiro" not in of("leave", "users")
    assert data["unknown"]["result"] is None
    assert (
        data["unknown"]["userErrors"][0]["message"]
        == "oncall: IntegrityError: user nobody not found"
    )


async def test_a_service_moves_between_teams_and_is_renamed_and_deleted(cast: Cast) -> None:
    services = f"result {{ name services {{ name }} }} {ERRORS}"
    document = f"""mutation {{
        taken: addOncallTeamService(team: "mobile", input: {{service: "kubernetes"}})
            {{ {services} }}
        off: removeOncallTeamService(team: "platform", service: "kubernetes") {{ {services} }}
        on: addOncallTeamService(team: "mobile", input: {{service: "kubernetes"}}) {{ {services} }}
        renamed: updateOncallService(service: "kubernetes", input: {{name: "k8s"}})
            {{ result {{ name id teams {{ name }} }} {ERRORS} }}
        deleted: deleteOncallService(service: "k8s") {{ result {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
        after = await mutate(gw, '{ oncall { teamServices(team: "mobile") { name } } }')
    assert data["taken"]["result"] is None
    assert data["taken"]["userErrors"] == [
        {"field": ["input", "service"], "code": "INVALID_INPUT",
         "message": 'oncall: IntegrityError: service "kubernetes" already claimed by team '
                    '"platform"'}
    ]  # fmt: skip
    assert data["off"]["result"]["services"] == [{"name": "api-gateway"}]
    assert [s["name"] for s in data["on"]["result"]["services"]] == [
        "android-app", "ios-app", "kubernetes"
    ]  # fmt: skip
    assert data["renamed"]["result"] == {"name": "k8s", "id": 2, "teams": [{"name": "mobile"}]}
    assert data["deleted"] == {"result": "k8s", "userErrors": []}
    assert after["oncall"]["teamServices"] == [{"name": "android-app"}, {"name": "ios-app"}]


async def test_a_deleted_team_is_gone_and_its_name_free(cast: Cast) -> None:
    document = f"""mutation {{
        gone: deleteOncallTeam(team: "mobile") {{ result {ERRORS} }}
        again: deleteOncallTeam(team: "mobile") {{ result {ERRORS} }}
        reused: createOncallTeam(input: {{name: "mobile", schedulingTimezone: "UTC",
                                          admin: "lena"}}) {{ result {{ id rosters {{ name }} }} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
    assert data["gone"] == {"result": "mobile", "userErrors": []}
    assert data["again"] == {"result": None, "userErrors": [
        {"field": None, "code": "NOT_FOUND", "message": "oncall: 404 Not Found"}]}  # fmt: skip
    assert data["reused"]["result"] == {"id": 9, "rosters": []}
