"""Each join and root field through GraphQL over the ASGI app, against the demo cast."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gateway.emulators.cast import Cast
from tests.conftest import NOW
from tests.harness import configured, open_gateway

TODAY = NOW.date()
RANGE = {"f": str(TODAY - timedelta(days=27)), "t": str(TODAY)}


async def run(cast: Cast, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    async with open_gateway(cast) as gw:
        result = await gw.execute(query, variables)
    assert "errors" not in result, result["errors"]
    data: dict[str, Any] = result["data"]
    return data


def accounts(node: dict[str, Any]) -> dict[str, str]:
    return {a["service"]: a["id"] for a in node["accounts"]}


# -- identity, with the cast's deliberate mess ------------------------------------------------


async def test_a_person_is_linked_across_services_by_email(cast: Cast) -> None:
    alice = cast.person("alice")
    data = await run(
        cast,
        '{ user(key: "alice@teamgraph.example") { key name linkedBy accounts { service id } } }',
    )
    user = data["user"]
    assert user["key"] == "alice" and user["name"] == "Alice Nguyen"
    assert accounts(user) == {
        "TEMPO": alice.tempo.account_id,  # type: ignore[union-attr]
        "ONCALL": "alice",
        "TEAMOCLOCK": "alice",
        "HACK24": "alice-nguyen",
    }
    assert {"email", "name"} <= set(user["linkedBy"])


async def test_a_username_differing_only_in_case_links(cast: Cast) -> None:
    data = await run(cast, '{ user(key: "DMITRI.K") { key email accounts { service id } } }')
    user = data["user"]
    assert user["key"] == "dmitri.k"
    assert accounts(user)["TEAMOCLOCK"] == "Dmitri.K"  # different email: username linked it
    assert accounts(user)["ONCALL"] == "dmitri.k"
    assert accounts(user)["TEAMPULSE"] == str(cast.person("dmitri").teampulse.id)  # type: ignore[union-attr]


async def test_accents_do_not_split_a_person(cast: Cast) -> None:
    data = await run(cast, '{ user(key: "ines") { name accounts { service id name } } }')
    names = {a["service"]: a["name"] for a in data["user"]["accounts"]}
    assert names["ONCALL"] == "Inês Costa" and names["TEMPO"] == "Ines Costa"


async def test_two_people_with_one_name_stay_apart_and_config_links_them(cast: Cast) -> None:
    data = await run(cast, "{ users { key name accounts { service id } linkedBy } }")
    sams = [u for u in data["users"] if u["name"] == "Sam Taylor"]
    assert sorted(u["key"] for u in sams) == ["sam.taylor", "samuel.taylor"]
    for sam in sams:
        person = cast.person(sam["key"])
        assert accounts(sam)["TEMPO"] == person.tempo.account_id  # type: ignore[union-attr]
        assert accounts(sam)["HACK24"] == person.hack24.id  # type: ignore[union-attr]
        assert "config" in sam["linkedBy"]


async def test_without_the_explicit_links_the_ambiguous_accounts_are_not_merged(
    cast: Cast,
) -> None:
    from gateway.settings import demo_settings

    settings = demo_settings(cast).model_copy(update={"people": []})
    async with open_gateway(cast, settings=settings) as gw:
        result = await gw.execute("{ users { name accounts { service id } } }")
    sams = [u for u in result["data"]["users"] if u["name"] == "Sam Taylor"]
    tempo_sams = [u for u in sams if "TEMPO" in accounts(u)]
    # Both Tempo "Sam Taylor"s stand alone: a guess would be worse than no link.
    assert len(tempo_sams) == 2 and all(len(u["accounts"]) == 1 for u in tempo_sams)


async def test_a_person_known_to_one_service_is_still_a_user(cast: Cast) -> None:
    data = await run(cast, '{ user(key: "yusuf") { name accounts { service } teams { key } } }')
    assert data["user"] == {
        "name": "Yusuf Demir",
        "accounts": [{"service": "TEAMPULSE"}],
        "teams": [],
    }


async def test_every_cast_person_is_one_user(cast: Cast) -> None:
    data = await run(cast, "{ users { key } }")
    assert len(data["users"]) == len(cast.people)


# -- user joins ---------------------------------------------------------------------------


async def test_user_teams_shifts_worklogs_and_meetings(cast: Cast) -> None:
    query = """query($f: Date!, $t: Date!) { user(key: "alice") {
        timeZone contacts { email slack } teamoclockRole
        teams { key }
        shifts(from: $f, to: $t) { role start end team { key } }
        worklogs(from: $f, to: $t) { service date durationSeconds issueKey task }
        meetings { kind team { key } }
    } }"""
    user = (await run(cast, query, RANGE))["user"]
    assert user["timeZone"] == "Europe/Berlin"
    assert user["contacts"]["email"] == "alice@teamgraph.example"
    assert user["teamoclockRole"] == "administrator"
    assert [t["key"] for t in user["teams"]] == ["data-analytics", "platform"]
    assert user["shifts"] and {s["team"]["key"] for s in user["shifts"]} == {"platform"}
    # Alice has no TeamPulse account: her worklogs are Tempo's, each with an issue.
    assert user["worklogs"] and {w["service"] for w in user["worklogs"]} == {"TEMPO"}
    assert all(w["issueKey"] for w in user["worklogs"])
    assert {(m["kind"], m["team"]["key"]) for m in user["meetings"]} == {
        ("STANDUP", "platform"),
        ("RETROSPECTIVE", "platform"),
        ("RETROSPECTIVE", "data-analytics"),
        ("PLANNING_POKER", "data-analytics"),
    }


# -- team joins ---------------------------------------------------------------------------


async def test_team_by_any_services_name_and_its_own_fields(cast: Cast) -> None:
    query = """{ team(key: "Data & Analytics") { key name summary email slackChannel
        schedulingTimezone services lead { key } } }"""
    team = (await run(cast, query))["team"]
    assert team == {
        "key": "data-analytics",
        "name": "Data and Analytics",
        "summary": "The Data & Analytics team",
        "email": "data-analytics@teamgraph.example",
        "slackChannel": "#data-analytics",
        "schedulingTimezone": "UTC",
        "services": ["warehouse"],
        "lead": {"key": "quinn"},
    }


async def test_memberships_unify_four_services(cast: Cast) -> None:
    query = """{ team(key: "platform") {
        memberships { service role commitmentPercent from user { key } } } }"""
    rows = (await run(cast, query))["team"]["memberships"]
    by_service: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_service.setdefault(row["service"], {})[row["user"]["key"]] = row
    assert set(by_service) == {"TEMPO", "ONCALL", "TEAMOCLOCK", "HACK24"}
    assert by_service["TEMPO"]["alice"]["role"] == "Team Lead"
    assert by_service["ONCALL"]["alice"]["role"] == "admin"
    assert by_service["ONCALL"]["bob"]["role"] == "member"
    assert by_service["TEAMOCLOCK"]["alice"]["role"] == "administrator"
    assert by_service["HACK24"]["bob"]["from"] == "2024-02-01"  # the join date
    assert "carmen" not in by_service["HACK24"]  # carmen has no Hack24 account


async def test_team_events_worklogs_and_meetings(cast: Cast) -> None:
    query = """query($f: Date!, $t: Date!) { team(key: "mobile") {
        events(from: $f, to: $t) { role user { key } team { key } }
        worklogs(from: $f, to: $t, service: TEAMPULSE) { service user { key } }
        meetings(kind: PLANNING_POKER) { kind name url }
    } }"""
    team = (await run(cast, query, RANGE))["team"]
    assert team["events"] and {e["team"]["key"] for e in team["events"]} == {"mobile"}
    assert {e["role"] for e in team["events"]} == {"primary", "secondary"}
    members = {m.person for m in next(t for t in cast.teams if t.handle == "mobile").members}
    assert team["worklogs"] and {w["service"] for w in team["worklogs"]} == {"TEAMPULSE"}
    assert {w["user"]["key"] for w in team["worklogs"]} <= members
    (meeting,) = team["meetings"]
    assert meeting["kind"] == "PLANNING_POKER" and meeting["name"].startswith("Mobile")


# -- root fields --------------------------------------------------------------------------


async def test_root_events_filter_by_team_user_and_role(cast: Cast) -> None:
    query = """query($f: Date!, $t: Date!) {
        all: events(from: $f, to: $t) { id }
        mine: events(from: $f, to: $t, user: "bob", role: "primary") { role user { key } }
        team: events(from: $f, to: $t, team: "payments") { team { key } }
    }"""
    data = await run(cast, query, RANGE)
    assert len(data["all"]) > len(data["team"]) > 0
    assert data["mine"] and all(
        e == {"role": "primary", "user": {"key": "bob"}} for e in data["mine"]
    )
    assert {e["team"]["key"] for e in data["team"]} == {"payments"}


async def test_root_worklogs_and_meetings(cast: Cast) -> None:
    query = """query($f: Date!, $t: Date!) {
        tempo: worklogs(from: $f, to: $t, service: TEMPO) { service }
        bob: worklogs(from: $f, to: $t, user: "bob") { user { key } }
        team: worklogs(from: $f, to: $t, team: "payments") { user { key } }
        meetings { kind team { key } }
        standups: meetings(kind: STANDUP) { team { key } }
    }"""
    data = await run(cast, query, RANGE)
    assert data["tempo"] and {w["service"] for w in data["tempo"]} == {"TEMPO"}
    assert data["bob"] and {w["user"]["key"] for w in data["bob"]} == {"bob"}
    payments = next(t for t in cast.teams if t.handle == "payments")
    assert data["team"] and {w["user"]["key"] for w in data["team"]} <= {
        m.person for m in payments.members
    }
    active = [k for t in cast.teams if t.teamoclock for k in t.teamoclock.active_meetings]
    assert len(data["meetings"]) == len(active)
    assert sorted(m["team"]["key"] for m in data["standups"]) == ["payments", "platform"]


async def test_unknown_filter_values_are_caller_errors(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute('{ meetings(team: "no-such-team") { name } }')
    assert result["data"] == {"meetings": None}
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "no team 'no-such-team'" in result["errors"][0]["message"]


async def test_node_fetches_every_type_by_its_id(cast: Cast) -> None:
    query = """query($f: Date!, $t: Date!) { team(key: "platform") { id
        members { id }
        events(from: $f, to: $t) { id }
        worklogs(from: $f, to: $t) { id service }
        meetings { id } } }"""
    team = (await run(cast, query, RANGE))["team"]
    tempo_log = next(w for w in team["worklogs"] if w["service"] == "TEMPO")
    pulse_log = next(w for w in team["worklogs"] if w["service"] == "TEAMPULSE")
    ids = [
        team["id"],
        team["members"][0]["id"],
        team["events"][0]["id"],
        tempo_log["id"],
        pulse_log["id"],
        team["meetings"][0]["id"],
    ]
    fetch = " ".join(f'n{i}: node(id: "{v}") {{ id __typename }}' for i, v in enumerate(ids))
    data = await run(cast, "{ " + fetch + " }")
    got = [data[f"n{i}"] for i in range(len(ids))]
    assert [n["id"] for n in got] == ids
    assert [n["__typename"] for n in got] == [
        "Team",
        "User",
        "Event",
        "Worklog",
        "Worklog",
        "Meeting",
    ]


async def test_a_bad_node_id_says_what_an_id_is(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute('{ node(id: "not-an-id") { id } }')
    assert result["data"] == {"node": None}
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "is not a Teamgraph id" in result["errors"][0]["message"]


# -- tracing ------------------------------------------------------------------------------


async def test_trace_header_lists_every_upstream_call(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        traced = await gw.execute('{ team(key: "platform") { rosters { name } } }', trace=True)
        made = [str(c) for c in gw.log.calls]
        gw.log.clear()
        plain = await gw.execute('{ team(key: "platform") { rosters { name } } }')
    upstream = traced["extensions"]["upstream"]
    assert len(upstream) == len(made) > 0
    detail = next(c for c in upstream if c["path"].endswith("/teams/platform"))
    assert detail["service"] == "oncall" and detail["method"] == "GET"
    assert detail["status"] == 200 and detail["ms"] >= 0
    assert "upstream" not in plain.get("extensions", {})


async def test_loaders_do_not_leak_between_requests(cast: Cast) -> None:
    # The linked directory is kept between requests on purpose (test_directory_held.py);
    # with it off, every call the first request made is made again.
    async with open_gateway(cast, settings=configured(cast, directory_ttl=0)) as gw:
        await gw.execute("{ teams { key } }")
        first = gw.log.count()
        await gw.execute("{ teams { key } }")
    assert gw.log.count() == 2 * first  # the second request asked again: no stale cache
