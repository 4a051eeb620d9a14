"""Team O'clock's organisation: its members and teams, each linked to the unified `User` and
`Team`, a team with its members, its active meetings and its action items."""

from __future__ import annotations

from enum import Enum

import strawberry

from resolvers.backends import teamoclock as tc
from resolvers.services import teamoclock as toc_r
from schema.common import CtxInfo
from schema.connections import After, Connection, First, shown_as
from schema.cost import upstream
from schema.services.teamoclock import links
from schema.services.teamoclock.history import StatusFilter, TeamOclockActionItem, status_name
from schema.services.teamoclock.links import LINK, TeamRef, UserRef
from schema.services.teamoclock.meetings import (
    TeamOclockPlanningPoker,
    TeamOclockRetrospective,
    TeamOclockStandup,
)

# One call per team asked for, at most 8 at once, each team once per request. These fields
# are nullable, so a team whose call fails does not take its siblings with it.
PER_TEAM = upstream("parent", identity=False)


@strawberry.enum(description="A member's role in the Team O'clock organisation.")
class TeamOclockMemberRole(Enum):
    ADMINISTRATOR = strawberry.enum_value("administrator", description="Manages the organisation.")
    MANAGER = strawberry.enum_value("manager", description="Manages teams.")
    MEMBER = strawberry.enum_value("member", description="Takes part (the default).")


@strawberry.experimental.pydantic.type(
    model=tc.Member, description="A member of the Team O'clock organisation."
)
class TeamOclockMember:
    username: strawberry.auto
    first_name: strawberry.auto
    last_name: strawberry.auto
    avatar: strawberry.auto
    email: strawberry.auto
    role: TeamOclockMemberRole

    @strawberry.field(description="This person, linked across services.", metadata=LINK)
    async def user(root: tc.Member, info: CtxInfo) -> UserRef | None:
        return await links.person(info, root.username)


@strawberry.experimental.pydantic.type(
    model=tc.Team,
    description="A Team O'clock team: its members, active meetings and action items.",
)
class TeamOclockTeam:
    name: strawberry.auto
    slug: strawberry.auto
    video_url: strawberry.auto
    mood_enabled: strawberry.auto

    @strawberry.field(description="This team, linked across services.", metadata=LINK)
    async def team(root: tc.Team, info: CtxInfo) -> TeamRef | None:
        return await links.team(info, root.slug)

    @strawberry.field(
        description="Its members, in Team O'clock's order (one call per team, shared with "
        "`Team.members`).",
        metadata=PER_TEAM,
    )
    async def members(root: tc.Team, info: CtxInfo) -> list[TeamOclockMember] | None:
        found = await toc_r.list_team_members(info.context, root.slug)
        return [shown_as(TeamOclockMember)(m) for m in found]

    @strawberry.field(
        description="Its active standup (a team has at most one); null when none runs.",
        metadata=PER_TEAM,
    )
    async def standup(root: tc.Team, info: CtxInfo) -> TeamOclockStandup | None:
        found = await toc_r.get_team_standup(info.context, root.slug)
        return shown_as(TeamOclockStandup)(found) if found else None

    @strawberry.field(
        description="Its active planning poker (at most one); null when none runs.",
        metadata=PER_TEAM,
    )
    async def planning_poker(root: tc.Team, info: CtxInfo) -> TeamOclockPlanningPoker | None:
        found = await toc_r.get_team_planpoker(info.context, root.slug)
        return shown_as(TeamOclockPlanningPoker)(found) if found else None

    @strawberry.field(
        description="Its active retrospectives (a team may run several), oldest first.",
        metadata=PER_TEAM,
    )
    async def retrospectives(root: tc.Team, info: CtxInfo) -> list[TeamOclockRetrospective] | None:
        found = await toc_r.list_team_retros(info.context, root.slug)
        return [shown_as(TeamOclockRetrospective)(r) for r in found]

    @strawberry.field(
        description="Its action items, newest first, in Team O'clock's 100-item pages.",
        metadata=PER_TEAM,
    )
    async def action_items(
        root: tc.Team,
        info: CtxInfo,
        status: StatusFilter = None,
        first: First = None,
        after: After = None,
    ) -> Connection[TeamOclockActionItem] | None:
        page = await toc_r.page_action_items(
            info.context, team=root.slug, status=status_name(status), first=first, after=after
        )
        return Connection.of(page, shown_as(TeamOclockActionItem))
