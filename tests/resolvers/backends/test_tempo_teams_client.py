"""TempoClient's team side against the emulator: writes, permissions and links."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.errors import UpstreamNotFound, UpstreamRejected
from resolvers.backends.tempo import (
    MembershipInput,
    MembershipUpdate,
    Program,
    ProgramInput,
    ProgramRef,
    Role,
    RoleRef,
    Team,
    TeamInput,
    TeamLink,
    TeamPermission,
    TeamRef,
    TempoClient,
)
from tests.recording import CallLog
from tests.resolvers.backends.tempo_clients import (
    DOCS,
    JOHN,
    JOHN_REF,
    answering,
    calls,
    open_client,
    ref,
)


@pytest.fixture
async def client(cast: Cast, call_log: CallLog) -> AsyncIterator[TempoClient]:
    async with open_client(cast, call_log) as client:
        yield client


async def test_team_writes(client: TempoClient, cast: Cast, call_log: CallLog) -> None:
    bob = ref(cast, "bob")
    created = await client.create_team(
        TeamInput(name="Search", summary="Finds", lead_account_id=bob.account_id, program_id=2)
    )
    assert created == Team(id=5, name="Search", summary="Finds", lead=bob,
                           program=ProgramRef(id=2, name="Skunkworks"))  # fmt: skip
    assert await client.get_team(5) == created
    updated = await client.update_team(5, TeamInput(name="Search & Find"))
    assert updated == Team(id=5, name="Search & Find")
    await client.delete_team(5)
    assert await client.get_team(5) is None
    assert calls(call_log) == [
        "tempo POST /teams", "tempo GET /teams/5", "tempo PUT /teams/5", "tempo DELETE /teams/5",
        "tempo GET /teams/5",
    ]  # fmt: skip
    with pytest.raises(UpstreamNotFound):
        await client.delete_team(5)


async def test_a_rejected_write_says_why_in_one_line(client: TempoClient) -> None:
    with pytest.raises(UpstreamRejected) as caught:
        await client.create_team(TeamInput(name="Platform", program_id=99))
    assert str(caught.value) == (
        "tempo: POST /tempo/core/3/teams answered 400: "
        "Program not found; Team with that name ('Platform') already exists"
    )
    assert caught.value.status == 400


async def test_membership_writes(client: TempoClient, cast: Cast) -> None:
    grace = ref(cast, "grace")
    created = await client.create_membership(
        MembershipInput(
            team_id=3,
            account_id=grace.account_id,
            role_id=3,
            commitment_percent=40,
            from_=date(2026, 11, 1),
        )
    )
    assert (created.team_id, created.member, created.role) == (
        3, grace, RoleRef(id=3, name="Developer"),
    )  # fmt: skip
    assert (created.commitment_percent, created.from_, created.to) == (40, date(2026, 11, 1), None)
    assert grace in [m.member for m in await client.list_team_members(3)]
    updated = await client.update_membership(created.id, MembershipUpdate(to=date(2026, 12, 31)))
    assert (updated.role.name, updated.commitment_percent, updated.from_, updated.to) == (
        "Default team role", 100, None, date(2026, 12, 31),
    )  # fmt: skip
    await client.delete_membership(created.id)
    assert grace not in [m.member for m in await client.list_team_members(3)]
    assert await client.get_membership(created.id) is None


async def test_role_writes(client: TempoClient) -> None:
    assert await client.create_role("Architect") == Role(id=6, name="Architect", default=False)
    assert await client.update_role(6, "Staff") == Role(id=6, name="Staff", default=False)
    await client.delete_role(6)
    assert await client.get_role(6) is None
    with pytest.raises(UpstreamRejected, match="Role name cannot be blank"):
        await client.create_role("")


async def test_program_writes(client: TempoClient, cast: Cast) -> None:
    quinn = ref(cast, "quinn")
    created = await client.create_program(
        ProgramInput(name="Insights", manager_account_id=quinn.account_id, team_ids=(4,))
    )
    assert created == Program(id=3, name="Insights", manager=quinn,
                              teams=(TeamRef(id=4, name="Data & Analytics"),))  # fmt: skip
    updated = await client.update_program(3, ProgramInput(name="Insights"))
    assert updated == Program(id=3, name="Insights")
    await client.delete_program(3)
    assert await client.get_program(3) is None


async def test_team_permissions(client: TempoClient, cast: Cast) -> None:
    permissions = await client.list_team_permissions(2)
    assert [p.key for p in permissions] == [
        "tempo.teams.browse.team", "tempo.timesheets.approve.timesheet",
        "tempo.planner.plan.permission",
    ]  # fmt: skip
    approve = await client.get_team_permission(2, "tempo.timesheets.approve.timesheet")
    assert approve == TeamPermission(key="tempo.timesheets.approve.timesheet",
                                     users=(ref(cast, "grace"), ref(cast, "alice")))  # fmt: skip
    assert await client.get_team_permission(2, "tempo.nope") is None
    assert await client.list_team_permissions(99) == []


async def test_team_links(client: TempoClient) -> None:
    links = await client.list_team_links(1)
    assert links == [
        TeamLink(id=1, team_id=1, scope_type="PROJECT", scope_id=10001),
        TeamLink(id=2, team_id=1, scope_type="BOARD", scope_id=1),
    ]
    assert await client.get_team_link(2) == links[1]
    await client.delete_team_link(2)
    assert await client.get_team_link(2) is None
    assert await client.list_team_links(99) == []


async def test_reads_documented_permissions_and_a_link_naming_its_team_by_url() -> None:
    permission = {
        "self": f"{DOCS}/teams/14/permissions/tempo.planner.plan.permission",
        "key": "tempo.planner.plan.permission",
        "users": {"self": "x", "values": [JOHN]},
    }
    found = await answering(permission).get_team_permission(14, "tempo.planner.plan.permission")
    assert found == TeamPermission(key="tempo.planner.plan.permission", users=(JOHN_REF,))
    link = {"self": f"{DOCS}/team-links/3", "id": 3, "team": {"self": f"{DOCS}/teams/14"},
            "scope": {"self": "p", "id": 10000, "type": "PROJECT"}}  # fmt: skip
    assert await answering(link).get_team_link(3) == TeamLink(
        id=3, team_id=14, scope_type="PROJECT", scope_id=10000
    )
