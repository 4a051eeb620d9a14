"""The Tempo emulator's raw wire format, over HTTP, mounted as in production."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from gateway.emulators.faults import Faults
from gateway.emulators.tempo import create_app
from tests.conftest import NOW
from tests.gateway.emulators.tempo_wire import (
    BASE,
    JIRA,
    JIRA_USER,
    account,
    all_worklogs,
    error,
    get,
    mounted,
    open_tempo,
    user_ref,
)


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_tempo(cast) as client:
        yield client


# -- auth, unknown paths, faults -----------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic dGVtcG8tZGVtby10b2tlbg=="])
async def test_without_the_bearer_token_every_path_is_401_with_no_body(
    cast: Cast, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    transport = httpx.ASGITransport(app=mounted(cast))
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as client:
        for path in ("/teams", "/worklogs", "/no-such-thing"):
            response = await client.get(path)
            assert (response.status_code, response.content) == (401, b"")


async def test_the_token_scheme_is_case_insensitive(cast: Cast) -> None:
    headers = {"Authorization": f"bearer {cast.credentials.tempo_token}"}
    transport = httpx.ASGITransport(app=mounted(cast))
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as client:
        assert (await client.get("/roles")).status_code == 200


async def test_unknown_paths_and_methods_answer_in_tempo_error_format(
    http: httpx.AsyncClient,
) -> None:
    assert await get(http, "/no-such-thing", 404) == error("Not Found")
    response = await http.patch("/teams/1")
    assert (response.status_code, response.json()) == (405, error("Method Not Allowed"))


async def test_an_outage_is_503_in_tempo_format_before_auth(cast: Cast) -> None:
    transport = httpx.ASGITransport(app=mounted(cast, Faults(down=True)))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        response = await client.get("/teams")
    assert response.status_code == 503
    assert response.json() == error("Service Unavailable (emulated outage)")


async def test_self_links_follow_the_mount(cast: Cast) -> None:
    headers = {"Authorization": f"Bearer {cast.credentials.tempo_token}"}
    transport = httpx.ASGITransport(app=create_app(cast))  # unmounted: routes at the root
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as c:
        body = (await c.get("/teams/1")).json()
    assert body["self"] == "http://t/teams/1"
    assert body["members"] == {"self": "http://t/teams/1/members"}


# -- teams, members, memberships, roles, programs ------------------------------------------------


async def test_teams_collection(http: httpx.AsyncClient, cast: Cast) -> None:
    body = await get(http, "/teams")
    assert body["self"] == f"{BASE}/teams"
    assert body["metadata"] == {"count": 4}
    assert [t["name"] for t in body["results"]] == [
        "Platform", "Payments", "Mobile", "Data & Analytics",
    ]  # fmt: skip
    assert body["results"][0] == {
        "self": f"{BASE}/teams/1",
        "id": 1,
        "name": "Platform",
        "summary": "The Platform team",
        "lead": user_ref(cast, "alice"),
        "program": {"self": f"{BASE}/programs/1", "id": 1, "name": "Product Engineering"},
        "links": {"self": f"{BASE}/teams/1/links"},
        "members": {"self": f"{BASE}/teams/1/members"},
        "permissions": {"self": f"{BASE}/teams/1/permissions"},
    }
    assert "program" not in body["results"][3]  # the data team belongs to no program


async def test_get_team_and_its_404(http: httpx.AsyncClient, cast: Cast) -> None:
    team = await get(http, "/teams/4")
    assert (team["name"], team["lead"]) == ("Data & Analytics", user_ref(cast, "quinn"))
    assert await get(http, "/teams/99", 404) == error("Team not found")
    assert await get(http, "/teams/abc", 404) == error("Team not found")


async def test_team_members_carry_their_active_membership(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    body = await get(http, "/teams/1/members")
    assert body["self"] == f"{BASE}/teams/1/members"
    assert body["metadata"] == {"count": 6}
    names = [m["member"]["displayName"] for m in body["results"]]
    assert names == ["Alice Nguyen", "Bob Okafor", "Carmen Ruiz", "Dmitri Kuznetsov",
                     "Erin Walsh", "Farid Haddad"]  # fmt: skip
    alice = account(cast, "alice")
    assert body["results"][0] == {
        "self": f"{BASE}/teams/1/members/{alice}",
        "team": {"self": f"{BASE}/teams/1"},
        "member": user_ref(cast, "alice"),
        "memberships": {
            "self": f"{BASE}/teams/1/members/{alice}/memberships",
            "active": {
                "self": f"{BASE}/team-memberships/1",
                "id": 1,
                "commitmentPercent": 80,
                "from": "2024-01-01",
                "to": None,
                "role": {"self": f"{BASE}/roles/2", "id": 2, "name": "Team Lead"},
            },
        },
    }
    payments = await get(http, "/teams/2/members")  # Kofi has no Tempo account
    assert "Kofi Mensah" not in [m["member"]["displayName"] for m in payments["results"]]
    assert await get(http, "/teams/9/members", 404) == error("Team not found")


async def test_one_team_member(http: httpx.AsyncClient, cast: Cast) -> None:
    alice = account(cast, "alice")
    member = await get(http, f"/teams/4/members/{alice}")  # alice also helps the data team
    assert member["memberships"]["active"]["commitmentPercent"] == 20
    assert member["memberships"]["active"]["role"]["name"] == "Developer"
    grace = account(cast, "grace")  # not a member of team 1
    assert await get(http, f"/teams/1/members/{grace}", 404) == error("Team not found")


async def test_member_memberships_link_team_and_member_by_self_only(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    alice = account(cast, "alice")
    body = await get(http, f"/teams/1/members/{alice}/memberships")
    assert body["self"] == f"{BASE}/teams/1/members/{alice}/memberships"
    assert body["metadata"] == {"count": 2}
    earlier, current = body["results"]
    assert earlier == {
        "self": f"{BASE}/team-memberships/24",
        "id": 24,
        "commitmentPercent": 100,
        "from": "2023-01-01",
        "to": "2023-12-31",
        "role": {"self": f"{BASE}/roles/3", "id": 3, "name": "Developer"},
        "team": {"self": f"{BASE}/teams/1"},
        "member": {"self": JIRA_USER + alice},
    }
    assert (current["id"], current["to"]) == (1, None)


async def test_team_membership_by_id(http: httpx.AsyncClient, cast: Cast) -> None:
    membership = await get(http, "/team-memberships/7")
    assert membership["team"] == {"self": f"{BASE}/teams/2", "id": 2, "name": "Payments"}
    assert membership["member"] == user_ref(cast, "grace")
    assert (membership["from"], membership["role"]["name"]) == ("2024-01-04", "Team Lead")
    assert await get(http, "/team-memberships/999", 404) == error(
        "Membership with id '999' does not exist"
    )


async def test_roles(http: httpx.AsyncClient) -> None:
    body = await get(http, "/roles")
    assert body["metadata"] == {"count": 5}
    assert body["results"][0] == {
        "self": f"{BASE}/roles/1", "id": 1, "name": "Default team role", "default": True,
    }  # fmt: skip
    assert [r["name"] for r in body["results"][1:]] == ["Team Lead", "Developer", "Designer",
                                                         "Tester"]  # fmt: skip
    assert await get(http, "/roles/5") == {
        "self": f"{BASE}/roles/5", "id": 5, "name": "Tester", "default": False,
    }  # fmt: skip
    assert await get(http, "/roles/6", 404) == error("Role not found")


async def test_programs(http: httpx.AsyncClient, cast: Cast) -> None:
    body = await get(http, "/programs")
    engineering, skunkworks = body["results"]
    assert engineering["manager"] == user_ref(cast, "alice")
    assert engineering["teams"]["self"] == f"{BASE}/programs/1/teams"
    assert [t["name"] for t in engineering["teams"]["values"]] == ["Platform", "Payments", "Mobile"]
    assert skunkworks == {
        "self": f"{BASE}/programs/2", "id": 2, "name": "Skunkworks",
        "teams": {"self": f"{BASE}/programs/2/teams", "values": []},
    }  # fmt: skip
    teams = await get(http, "/programs/1/teams")
    assert teams["results"][0] == {"self": f"{BASE}/teams/1", "id": 1, "name": "Platform"}
    assert await get(http, "/programs/3", 404) == error("Program not found")


# -- worklogs -----------------------------------------------------------------------------------


async def test_worklog_pages_link_next_and_previous_and_count_all_matches(
    http: httpx.AsyncClient,
) -> None:
    first = await get(http, "/worklogs")
    assert first["self"] == f"{BASE}/worklogs"
    assert first["metadata"] == {
        "count": 272, "offset": 0, "limit": 50, "next": f"{BASE}/worklogs?offset=50&limit=50",
    }  # fmt: skip
    assert len(first["results"]) == 50
    last = await get(http, "/worklogs", offset=250, limit=50)
    assert last["self"] == f"{BASE}/worklogs?offset=250&limit=50"
    assert last["metadata"] == {
        "count": 272, "offset": 250, "limit": 50,
        "previous": f"{BASE}/worklogs?offset=200&limit=50",
    }  # fmt: skip
    assert len(last["results"]) == 22
    early = await get(http, "/worklogs", offset=1, limit=50)  # previous clamps to offset 0
    assert early["metadata"]["previous"] == f"{BASE}/worklogs?offset=0&limit=50"
    assert early["metadata"]["next"] == f"{BASE}/worklogs?offset=51&limit=50"
    beyond = await get(http, "/worklogs", offset=300)
    assert (beyond["results"], beyond["metadata"]["count"]) == ([], 272)


async def test_following_next_visits_every_worklog_once_in_date_then_id_order(
    http: httpx.AsyncClient,
) -> None:
    seen: list[Any] = []
    url: str | None = f"{BASE}/worklogs?limit=100"
    while url:
        body = (await http.get(url)).json()
        seen.extend(body["results"])
        url = body["metadata"].get("next")
    assert len(seen) == 272 == len({w["tempoWorklogId"] for w in seen})
    keys = [(w["startDate"], w["tempoWorklogId"]) for w in seen]
    assert keys == sorted(keys)
    assert [w["tempoWorklogId"] for w in seen] == sorted(w["tempoWorklogId"] for w in seen)


async def test_worklogs_span_the_four_weeks_before_today_on_weekdays(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    worklogs = await all_worklogs(http)
    days = {date.fromisoformat(w["startDate"]) for w in worklogs}
    assert min(days) >= cast.today - timedelta(days=28) and max(days) < cast.today
    assert all(d.weekday() < 5 for d in days)
    per_person: dict[str, int] = {}
    for w in worklogs:
        per_person[w["author"]["accountId"]] = per_person.get(w["author"]["accountId"], 0) + 1
    tempo_people = [p for p in cast.people if p.tempo]
    assert len(per_person) == len(tempo_people) == 22
    assert all(10 <= n <= 14 for n in per_person.values())


async def test_limit_over_1000_and_bad_parameters_are_400(http: httpx.AsyncClient) -> None:
    assert await get(http, "/worklogs", 400, limit=1001) == error(
        "limit must be between 1 and 1000, was 1001"
    )
    assert (await get(http, "/worklogs", 400, offset="-1"))["errors"][0]["message"] == (
        "offset must be a non-negative integer, was '-1'"
    )
    assert await get(http, "/worklogs", 400, **{"from": "23.11.2026"}) == error(
        "Invalid date '23.11.2026' for 'from': use YYYY-MM-DD"
    )
    assert (await get(http, "/worklogs", 400, to="2026-02-30"))["errors"]


async def test_from_and_to_are_inclusive_and_updated_from_filters(
    http: httpx.AsyncClient,
) -> None:
    worklogs = await all_worklogs(http)
    day = worklogs[100]["startDate"]
    body = await get(http, "/worklogs", limit=1000, **{"from": day, "to": day})
    assert body["metadata"]["count"] == sum(w["startDate"] == day for w in worklogs) > 0
    assert {w["startDate"] for w in body["results"]} == {day}
    edited = [w for w in worklogs if w["updatedAt"] != w["createdAt"]]
    assert edited, "some worklogs were edited after creation"
    since = max(w["updatedAt"] for w in worklogs)[:10]
    recent = await get(http, "/worklogs", limit=1000, updatedFrom=since)
    assert recent["results"] and all(w["updatedAt"] >= since for w in recent["results"])
    assert recent["metadata"]["count"] < len(worklogs)


async def test_issue_and_project_filters_repeat(http: httpx.AsyncClient) -> None:
    worklogs = await all_worklogs(http)
    keys = sorted({w["issue"]["key"] for w in worklogs})[:2]
    response = await http.get("/worklogs", params={"issue": keys, "limit": 1000})
    assert sorted({w["issue"]["key"] for w in response.json()["results"]}) == keys
    projects = await http.get("/worklogs", params={"project": ["PLAT", "10004"], "limit": 1000})
    found = {w["issue"]["key"].split("-")[0] for w in projects.json()["results"]}
    assert found == {"PLAT", "DATA"}  # by key and by id (10000 + team id)


async def test_one_worklog_by_tempo_and_by_jira_id(http: httpx.AsyncClient, cast: Cast) -> None:
    worklog = (await all_worklogs(http))[0]
    wid = worklog["tempoWorklogId"]
    assert await get(http, f"/worklogs/{wid}") == worklog
    assert await get(http, f"/worklogs/jira/{worklog['jiraWorklogId']}") == worklog
    assert worklog["self"] == f"{BASE}/worklogs/{wid}"
    key = worklog["issue"]["key"]
    assert worklog["issue"]["self"] == f"{JIRA}/rest/api/2/issue/{key}"
    assert worklog["startTime"][2] == ":" and len(worklog["startTime"]) == 8
    assert worklog["createdAt"].endswith("Z")
    assert worklog["timeSpentSeconds"] % 1800 == 0
    assert worklog["billableSeconds"] in (0, worklog["timeSpentSeconds"])
    handles = {p.tempo.account_id: p.handle for p in cast.people if p.tempo}
    assert worklog["author"] == user_ref(cast, handles[worklog["author"]["accountId"]])
    for path in ("/worklogs/1", "/worklogs/jira/1", "/worklogs/x"):
        assert await get(http, path, 404) == error("Worklog cannot be found")


async def test_work_attribute_values_of_a_worklog(http: httpx.AsyncClient) -> None:
    worklogs = await all_worklogs(http)
    tagged = next(w for w in worklogs if "attributes" in w)
    wid, values = tagged["tempoWorklogId"], tagged["attributes"]["values"]
    assert tagged["attributes"]["self"] == f"{BASE}/worklogs/{wid}/work-attribute-values"
    body = await get(http, f"/worklogs/{wid}/work-attribute-values")
    assert (body["metadata"], body["results"]) == ({"count": len(values)}, values)
    first = values[0]
    assert await get(http, f"/worklogs/{wid}/work-attribute-values/{first['key']}") == first
    assert await get(http, f"/worklogs/{wid}/work-attribute-values/_NOPE_", 404) == error(
        "Work attribute value cannot be found"
    )


async def test_team_worklogs_are_their_members_worklogs(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    team = await all_worklogs(http, "/worklogs/team/1")
    platform = {account(cast, h) for h in ("alice", "bob", "carmen", "dmitri", "erin", "farid")}
    assert team and {w["author"]["accountId"] for w in team} == platform
    # The docs' example of an empty page, for a team that does not exist:
    assert await get(http, "/worklogs/team/42") == {
        "self": f"{BASE}/worklogs/team/42",
        "metadata": {"count": 0, "offset": 0, "limit": 50},
        "results": [],
    }


async def test_user_project_and_issue_worklogs(http: httpx.AsyncClient, cast: Cast) -> None:
    alice = account(cast, "alice")
    mine = await all_worklogs(http, f"/worklogs/user/{alice}")
    assert mine and {w["author"]["displayName"] for w in mine} == {"Alice Nguyen"}
    assert (await get(http, "/worklogs/user/nobody"))["metadata"]["count"] == 0
    platform = await all_worklogs(http, "/worklogs/project/PLAT")
    assert platform and all(w["issue"]["key"].startswith("PLAT-") for w in platform)
    key = platform[0]["issue"]["key"]
    issue = await all_worklogs(http, f"/worklogs/issue/{key}")
    assert issue and {w["issue"]["key"] for w in issue} == {key}
    assert await get(http, "/worklogs/issue/PLAT-0", 404) == error("Issue not found")


async def test_worklogs_fit_one_page_up_to_scale_three() -> None:
    cast = build_cast(scale=3, now=NOW)
    headers = {"Authorization": f"Bearer {cast.credentials.tempo_token}"}
    transport = httpx.ASGITransport(app=mounted(cast))
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as client:
        body = await get(client, "/worklogs", limit=1000)
    assert body["metadata"]["count"] == len(body["results"]) == 811
    assert "next" not in body["metadata"]


# -- work attributes, periods, schedules ---------------------------------------------------------


async def test_work_attributes(http: httpx.AsyncClient) -> None:
    body = await get(http, "/work-attributes")
    assert [a["key"] for a in body["results"]] == ["_COLOR_", "_EXTERNALREF_", "_DELIVERED_"]
    assert await get(http, "/work-attributes/_COLOR_") == {
        "self": f"{BASE}/work-attributes/_COLOR_", "key": "_COLOR_", "name": "Color",
        "type": "STATIC_LIST", "required": False,
        "values": ["red", "green", "blue", "yellow", "pink"],
    }  # fmt: skip
    assert await get(http, "/work-attributes/_X_", 404) == error(
        "A work attribute with key '_X_' does not exist"
    )


async def test_periods_are_calendar_months(http: httpx.AsyncClient) -> None:
    body = await get(http, "/periods", **{"from": "2026-10-15", "to": "2026-12-01"})
    assert body == {"periods": [
        {"from": "2026-10-01", "to": "2026-10-31"},
        {"from": "2026-11-01", "to": "2026-11-30"},
        {"from": "2026-12-01", "to": "2026-12-31"},
    ]}  # fmt: skip
    assert await get(http, "/periods", 400, to="2026-12-01") == error(
        "Query parameter 'from' is required"
    )


async def test_user_schedule_as_in_the_docs_example(http: httpx.AsyncClient, cast: Cast) -> None:
    alice = account(cast, "alice")
    span = {"from": "2026-12-24", "to": "2026-12-27"}
    body = await get(http, f"/user-schedule/{alice}", **span)
    assert body["self"] == f"{BASE}/user-schedule/{alice}?from=2026-12-24&to=2026-12-27"
    assert body["metadata"] == {"count": 4}
    assert body["results"] == [
        {"date": "2026-12-24", "requiredSeconds": 14400, "type": "HOLIDAY",
         "holiday": {"name": "Christmas Eve", "durationSeconds": 14400,
                     "description": "Twas the night before Christmas"}},
        {"date": "2026-12-25", "requiredSeconds": 0, "type": "HOLIDAY",
         "holiday": {"name": "Christmas Day", "durationSeconds": 28800}},
        {"date": "2026-12-26", "requiredSeconds": 0, "type": "HOLIDAY_AND_NON_WORKING_DAY",
         "holiday": {"name": "Boxing Day", "durationSeconds": 28800}},
        {"date": "2026-12-27", "requiredSeconds": 0, "type": "NON_WORKING_DAY"},
    ]  # fmt: skip
    mine = await get(http, "/user-schedule", **{"from": "2026-11-23", "to": "2026-11-23"})
    assert mine["results"] == [{"date": "2026-11-23", "requiredSeconds": 28800,
                                "type": "WORKING_DAY"}]  # fmt: skip
