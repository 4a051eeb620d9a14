"""Tempo's team side: teams, their members and memberships, roles, programs, permissions
and links."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import tempo
from resolvers.services import tempo as tempo_r
from resolvers.services import tempo_timesheets as timesheets_r
from resolvers.services.tempo_worklogs import WorklogList, page_worklogs
from schema.common import CtxInfo
from schema.connections import After, Connection, First, shown_as
from schema.services.tempo.refs import (
    LINK,
    PER_PARENT,
    AccountId,
    OptFrom,
    OptTo,
    TeamLink,
    UpdatedFrom,
    linked_team,
)
from schema.services.tempo.timesheets import TempoTimesheetApproval
from schema.services.tempo.worklogs import TempoWorklog


@strawberry.experimental.pydantic.type(
    model=tempo.RoleRef, all_fields=True, description="A team role, as a membership names it."
)
class TempoRoleRef:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.Role, all_fields=True, description="A role a Tempo team member can have."
)
class TempoRole:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.ProgramRef, all_fields=True, description="A program, as a team names it."
)
class TempoProgramRef:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.TeamRef, all_fields=True, description="A team, as a program names it."
)
class TempoTeamRef:
    @strawberry.field(description="This team, linked across services.", metadata=LINK)
    async def team(root: tempo.TeamRef, info: CtxInfo) -> TeamLink | None:
        return await linked_team(info, root.id)


@strawberry.experimental.pydantic.type(
    model=tempo.Program,
    all_fields=True,
    description="A Tempo program: a group of teams under one manager.",
)
class TempoProgram:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.ActiveMembership,
    all_fields=True,
    description="A membership of a user in a team, for a period, with a role and commitment.",
)
class TempoActiveMembership:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.Membership,
    all_fields=True,
    description="One membership period of a user in a team.",
)
class TempoMembership:
    @strawberry.field(description="The team, linked across services.", metadata=LINK)
    async def team(root: tempo.Membership, info: CtxInfo) -> TeamLink | None:
        return await linked_team(info, root.team_id)


@strawberry.experimental.pydantic.type(
    model=tempo.TeamMember,
    all_fields=True,
    description="A member of a Tempo team, with the membership active today.",
)
class TempoTeamMember:
    @strawberry.field(
        description="Every membership period of this member in this team (current and past), "
        "in Tempo's order.",
        metadata=PER_PARENT,
    )
    async def memberships(root: tempo.TeamMember, info: CtxInfo) -> list[TempoMembership] | None:
        if root.team_id is None:
            return []
        found = await tempo_r.list_member_memberships(
            info.context, root.team_id, root.member.account_id
        )
        return [shown_as(TempoMembership)(m) for m in found]


@strawberry.experimental.pydantic.type(
    model=tempo.TeamPermission,
    all_fields=True,
    description="Who holds one permission in a team (read-only: Tempo removed its writes).",
)
class TempoTeamPermission:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.TeamLink,
    all_fields=True,
    description="A team's link to a Jira project or board.",
)
class TempoTeamLink:
    @strawberry.field(description="The team, linked across services.", metadata=LINK)
    async def team(root: tempo.TeamLink, info: CtxInfo) -> TeamLink | None:
        return await linked_team(info, root.team_id)


PermissionKey = Annotated[
    str,
    strawberry.argument(
        description="The permission: tempo.teams.browse.team, "
        "tempo.timesheets.approve.timesheet or tempo.planner.plan.permission."
    ),
]


@strawberry.experimental.pydantic.type(
    model=tempo.Team,
    all_fields=True,
    description="A Tempo team, with everything Tempo holds on it.",
)
class TempoTeam:
    @strawberry.field(description="This team, linked across services.", metadata=LINK)
    async def team(root: tempo.Team, info: CtxInfo) -> TeamLink | None:
        return await linked_team(info, root.id)

    @strawberry.field(
        description="Its members (current and former), each with the membership active today, "
        "in Tempo's order.",
        metadata=PER_PARENT,
    )
    async def members(root: tempo.Team, info: CtxInfo) -> list[TempoTeamMember] | None:
        found = await tempo_r.list_team_members(info.context, root.id)
        return [shown_as(TempoTeamMember)(m) for m in found]

    @strawberry.field(
        description="One member (null when the person is not a member of this team).",
        metadata=PER_PARENT,
    )
    async def member(
        root: tempo.Team, info: CtxInfo, account_id: AccountId
    ) -> TempoTeamMember | None:
        found = await tempo_r.get_team_member(info.context, root.id, account_id)
        return shown_as(TempoTeamMember)(found) if found else None

    @strawberry.field(
        description="Who holds each of the team's permissions, in Tempo's order.",
        metadata=PER_PARENT,
    )
    async def permissions(root: tempo.Team, info: CtxInfo) -> list[TempoTeamPermission] | None:
        found = await tempo_r.list_team_permissions(info.context, root.id)
        return [shown_as(TempoTeamPermission)(p) for p in found]

    @strawberry.field(
        description="Who holds one permission in the team (null for an unknown permission).",
        metadata=PER_PARENT,
    )
    async def permission(
        root: tempo.Team, info: CtxInfo, key: PermissionKey
    ) -> TempoTeamPermission | None:
        found = await tempo_r.get_team_permission(info.context, root.id, key)
        return shown_as(TempoTeamPermission)(found) if found else None

    @strawberry.field(
        description="The Jira projects and boards the team is linked to, in Tempo's order.",
        metadata=PER_PARENT,
    )
    async def links(root: tempo.Team, info: CtxInfo) -> list[TempoTeamLink] | None:
        found = await tempo_r.list_team_links(info.context, root.id)
        return [shown_as(TempoTeamLink)(link) for link in found]

    @strawberry.field(
        description="A timesheet per member for the period `from`..`to` (Tempo's current "
        "period when left out), in Tempo's order.",
        metadata=PER_PARENT,
    )
    async def timesheet_approvals(
        root: tempo.Team, info: CtxInfo, from_: OptFrom = None, to: OptTo = None
    ) -> list[TempoTimesheetApproval] | None:
        found = await timesheets_r.list_team_approvals(info.context, root.id, from_, to)
        return [shown_as(TempoTimesheetApproval)(a) for a in found]

    @strawberry.field(
        description="Worklogs of the team's members while they were members, in Tempo's order "
        "(by start date, then id).",
        metadata=PER_PARENT,
    )
    async def worklogs(
        root: tempo.Team,
        info: CtxInfo,
        from_: OptFrom = None,
        to: OptTo = None,
        updated_from: UpdatedFrom = None,
        first: First = None,
        after: After = None,
    ) -> Connection[TempoWorklog] | None:
        which = WorklogList("team", str(root.id), from_, to, updated_from)
        page = await page_worklogs(info.context, which, first=first, after=after)
        return Connection.of(page, shown_as(TempoWorklog))
