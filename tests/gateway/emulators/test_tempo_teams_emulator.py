"""The Tempo emulator's team side: team, membership, role and program writes, team
permissions and team links, and how each write shows in the other reads."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.emulators.cast import Cast
from tests.gateway.emulators.tempo_wire import (
    BASE,
    JIRA,
    account,
    all_worklogs,
    error,
    get,
    open_tempo,
    send,
    user_ref,
)


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_tempo(cast) as client:
        yield client


async def member_names(http: httpx.AsyncClient, team_id: int) -> list[str]:
    body = await get(http, f"/teams/{team_id}/members")
    return [m["member"]["displayName"] for m in body["results"]]


# -- teams ----------------------------------------------------------------------------------------


async def test_create_a_team_answers_200_and_lists_it(http: httpx.AsyncClient, cast: Cast) -> None:
    body = {"name": "Search", "summary": "Finds things", "leadAccountId": account(cast, "bob"),
            "programId": 2}  # fmt: skip
    team = await send(http, "POST", "/teams", 200, body)
    assert team == {
        "self": f"{BASE}/teams/5",
        "id": 5,
        "name": "Search",
        "summary": "Finds things",
        "lead": user_ref(cast, "bob"),
        "program": {"self": f"{BASE}/programs/2", "id": 2, "name": "Skunkworks"},
        "links": {"self": f"{BASE}/teams/5/links"},
        "members": {"self": f"{BASE}/teams/5/members"},
        "permissions": {"self": f"{BASE}/teams/5/permissions"},
    }
    assert await get(http, "/teams/5") == team
    assert (await get(http, "/teams"))["metadata"] == {"count": 5}
    assert (await get(http, "/teams/5/members"))["results"] == []
    skunkworks = await get(http, "/programs/2/teams")
    assert [t["name"] for t in skunkworks["results"]] == ["Search"]


async def test_team_bodies_are_validated_all_at_once(http: httpx.AsyncClient) -> None:
    assert await send(http, "POST", "/teams", 400, {"name": "Platform"}) == error(
        "Team with that name ('Platform') already exists"
    )
    body = {"summary": 7, "leadAccountId": "nobody", "programId": 99}
    assert await send(http, "POST", "/teams", 400, body) == error(
        "Team name is required",
        "summary must be a string",
        "User with accountId 'nobody' does not exist",
        "Program not found",
    )
    response = await http.post("/teams", content=b"{not json")
    assert (response.status_code, response.json()) == (
        400, error("The request body is not valid JSON"),
    )  # fmt: skip
    assert (await get(http, "/teams"))["metadata"] == {"count": 4}


async def test_put_replaces_the_whole_team(http: httpx.AsyncClient) -> None:
    team = await send(http, "PUT", "/teams/1", 200, {"name": "Platform Core"})
    assert (team["name"], "summary" in team, "lead" in team, "program" in team) == (
        "Platform Core", False, False, False,
    )  # fmt: skip
    assert (await get(http, "/teams/1"))["name"] == "Platform Core"
    engineering = await get(http, "/programs/1")
    assert [t["id"] for t in engineering["teams"]["values"]] == [2, 3]
    assert await send(http, "PUT", "/teams/1", 400, {"name": "Payments"}) == error(
        "Team with that name ('Payments') already exists"
    )
    assert await send(http, "PUT", "/teams/1", 200, {"name": "Platform Core"})  # its own name
    assert await send(http, "PUT", "/teams/99", 404, {"name": "X"}) == error("Team not found")


async def test_delete_a_team_removes_it_everywhere(http: httpx.AsyncClient) -> None:
    assert await send(http, "DELETE", "/teams/1", 204) is None
    assert await get(http, "/teams/1", 404) == error("Team not found")
    assert [t["id"] for t in (await get(http, "/teams"))["results"]] == [2, 3, 4]
    assert await get(http, "/team-memberships/1", 404)  # alice's Platform membership
    assert [t["id"] for t in (await get(http, "/programs/1/teams"))["results"]] == [2, 3]
    assert await get(http, "/team-links/1", 404) == error("Team link not found")
    assert await all_worklogs(http, "/worklogs/team/1") == []
    assert await send(http, "DELETE", "/teams/1", 404) == error("Team not found")


# -- memberships ----------------------------------------------------------------------------------


async def test_a_new_membership_makes_a_member(http: httpx.AsyncClient, cast: Cast) -> None:
    grace = account(cast, "grace")
    created = await send(
        http,
        "POST",
        "/team-memberships",
        200,
        {"teamId": 3, "accountId": grace, "from": "2026-11-01"},
    )
    assert created["commitmentPercent"] == 100
    assert created["role"] == {"self": f"{BASE}/roles/1", "id": 1, "name": "Default team role"}
    assert created["team"] == {"self": f"{BASE}/teams/3", "id": 3, "name": "Mobile"}
    assert (created["member"], created["from"], created["to"]) == (
        user_ref(cast, "grace"), "2026-11-01", None,
    )  # fmt: skip
    assert await get(http, f"/team-memberships/{created['id']}") == created
    assert "Grace Liu" in await member_names(http, 3)
    member = await get(http, f"/teams/3/members/{grace}")
    assert member["memberships"]["active"]["id"] == created["id"]
    overlapping = {"teamId": 3, "accountId": grace, "from": "2026-12-01", "to": "2026-12-31"}
    assert await send(http, "POST", "/team-memberships", 400, overlapping) == error(
        "User is already a member of this team on this date."
    )


async def test_membership_bodies_are_validated(http: httpx.AsyncClient, cast: Cast) -> None:
    body = {"teamId": 99, "roleId": 42, "commitmentPercent": 120,
            "from": "2026-12-01", "to": "2026-11-01"}  # fmt: skip
    assert await send(http, "POST", "/team-memberships", 400, body) == error(
        "accountId is required",
        "Team not found",
        "Role not found",
        "commitmentPercent must be between 0 and 100",
        "'from' must not be after 'to'",
    )
    bob = account(cast, "bob")
    again = {"teamId": 1, "accountId": bob}
    assert await send(http, "POST", "/team-memberships", 400, again) == error(
        "User is already a member of this team on this date."
    )


async def test_put_replaces_a_membership_and_delete_removes_the_member(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    erin = account(cast, "erin")
    active = (await get(http, f"/teams/1/members/{erin}"))["memberships"]["active"]
    updated = await send(http, "PUT", f"/team-memberships/{active['id']}", 200, {"roleId": 3})
    assert (updated["role"]["name"], updated["commitmentPercent"], updated["from"]) == (
        "Developer", 100, None,
    )  # fmt: skip
    erin_worklogs = await all_worklogs(http, f"/worklogs/user/{erin}")
    team_before = await all_worklogs(http, "/worklogs/team/1")
    assert await send(http, "DELETE", f"/team-memberships/{active['id']}", 204) is None
    assert "Erin Walsh" not in await member_names(http, 1)
    assert await get(http, f"/teams/1/members/{erin}", 404) == error("Team not found")
    team_after = await all_worklogs(http, "/worklogs/team/1")
    assert len(team_after) == len(team_before) - len(erin_worklogs)
    assert await send(http, "DELETE", f"/team-memberships/{active['id']}", 404) == error(
        f"Membership with id '{active['id']}' does not exist"
    )


# -- roles and programs ---------------------------------------------------------------------------


async def test_role_writes(http: httpx.AsyncClient, cast: Cast) -> None:
    created = await send(http, "POST", "/roles", 200, {"name": "Architect"})
    assert created == {"self": f"{BASE}/roles/6", "id": 6, "name": "Architect", "default": False}
    renamed = await send(http, "PUT", "/roles/6", 200, {"name": "Staff"})
    assert renamed == {**created, "name": "Staff"}
    assert await send(http, "POST", "/roles", 400, {"name": "  "}) == error(
        "Role name cannot be blank"
    )
    # Deleting a role in use moves its memberships to the default role.
    assert await send(http, "DELETE", "/roles/5", 204) is None  # Tester: erin, sam.taylor
    erin = await get(http, f"/teams/1/members/{account(cast, 'erin')}")
    assert erin["memberships"]["active"]["role"]["name"] == "Default team role"
    assert await send(http, "DELETE", "/roles/1", 400) == error(
        "The default team role cannot be deleted"
    )
    assert await get(http, "/roles/5", 404) == error("Role not found")
    assert await send(http, "POST", "/roles", 200, {"name": "Next"})  # ids are not reused
    assert [r["id"] for r in (await get(http, "/roles"))["results"]][-2:] == [6, 7]


async def test_program_writes_move_teams(http: httpx.AsyncClient, cast: Cast) -> None:
    body = {"name": "Insights", "managerAccountId": account(cast, "quinn"), "teamIds": [4, 3]}
    created = await send(http, "POST", "/programs", 200, body)
    assert (created["id"], created["manager"]) == (3, user_ref(cast, "quinn"))
    assert [t["name"] for t in created["teams"]["values"]] == ["Mobile", "Data & Analytics"]
    assert (await get(http, "/teams/3"))["program"]["name"] == "Insights"
    engineering = await get(http, "/programs/1/teams")
    assert [t["id"] for t in engineering["results"]] == [1, 2]
    replaced = await send(http, "PUT", "/programs/3", 200, {"name": "Insights 2"})
    assert (replaced["teams"]["values"], "manager" in replaced) == ([], False)
    assert "program" not in await get(http, "/teams/4")
    assert await send(http, "POST", "/programs", 400, {"teamIds": [99]}) == error(
        "Program name is required", "Team with id '99' not found"
    )
    assert await send(http, "DELETE", "/programs/1", 204) is None
    assert "program" not in await get(http, "/teams/1")
    assert await send(http, "DELETE", "/programs/1", 404) == error("Program not found")


# -- permissions and links ------------------------------------------------------------------------


async def test_team_permissions_follow_lead_program_and_members(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    body = await get(http, "/teams/2/permissions")
    assert body["self"] == f"{BASE}/teams/2/permissions"
    assert [p["key"] for p in body["results"]] == [
        "tempo.teams.browse.team", "tempo.timesheets.approve.timesheet",
        "tempo.planner.plan.permission",
    ]  # fmt: skip
    approve = body["results"][1]
    own = f"{BASE}/teams/2/permissions/tempo.timesheets.approve.timesheet"
    assert approve == {
        "self": own,
        "key": "tempo.timesheets.approve.timesheet",
        "users": {"self": f"{own}/users",
                  "values": [user_ref(cast, "grace"), user_ref(cast, "alice")]},
    }  # fmt: skip
    browse = await get(http, "/teams/2/permissions/tempo.teams.browse.team")
    names = [u["displayName"] for u in browse["users"]["values"]]
    assert names == ["Grace Liu", "Alice Nguyen", "Hiro Tanaka", "Ines Costa", "Jonas Berg",
                     "Sam Taylor"]  # fmt: skip
    plan = await get(http, "/teams/4/permissions/tempo.planner.plan.permission")
    assert plan["users"]["values"] == [user_ref(cast, "quinn")]
    assert await get(http, "/teams/2/permissions/tempo.nope", 404) == error(
        "Permission tempo.nope not found"
    )
    assert await get(http, "/teams/9/permissions", 404) == error("Team not found")


async def test_team_links_read_and_delete(http: httpx.AsyncClient) -> None:
    links = await get(http, "/teams/1/links")
    assert links["metadata"] == {"count": 2}
    project, board = links["results"]
    assert project == {
        "self": f"{BASE}/team-links/1",
        "id": 1,
        "team": {"self": f"{BASE}/teams/1", "id": 1, "name": "Platform"},
        "scope": {"self": f"{JIRA}/rest/api/2/project/10001", "id": 10001, "type": "PROJECT"},
    }
    assert board["scope"] == {"self": f"{JIRA}/rest/agile/1.0/board/1", "id": 1, "type": "BOARD"}
    assert await get(http, "/team-links/2") == board
    assert await send(http, "DELETE", "/team-links/2", 204) is None
    assert await get(http, "/team-links/2", 404) == error("Team link not found")
    assert (await get(http, "/teams/1/links"))["metadata"] == {"count": 1}
