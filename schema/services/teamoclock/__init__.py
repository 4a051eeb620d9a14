"""Team O'clock API v2: its reads under `teamoclock { ... }`, and the Team O'clock side of
the unified types (`Team.teamoclock`, `User.teamoclock`, `Meeting.teamoclock`).

The types live by concept: `org` (members, teams), `meetings` (active standups, planning
pokers, retrospectives), `history` (action items, the timeline); `links` turns the usernames
and slugs Team O'clock records carry into unified `User`s and `Team`s.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, cast

import strawberry

from resolvers import users as users_r
from resolvers.backends import teamoclock as tc
from resolvers.identity import Identity
from resolvers.meetings import MeetingRecord
from resolvers.services import teamoclock as toc_r
from schema.common import CtxInfo
from schema.connections import After, Connection, First, shown_as
from schema.cost import upstream
from schema.scalars import MeetingKind, kind_name
from schema.services.teamoclock.history import (
    StatusFilter,
    TeamOclockActionItem,
    TeamOclockTimelineEntry,
    TeamOclockTimelineRecord,
    as_record,
    status_name,
)
from schema.services.teamoclock.meetings import (
    TeamOclockMeeting,
    TeamOclockMeetingDetail,
    TeamOclockPlanningPoker,
    TeamOclockPokerTask,
    TeamOclockRetrospective,
    TeamOclockStandup,
)
from schema.services.teamoclock.org import TeamOclockMember, TeamOclockTeam

__all__ = [
    "TeamOclockMeetingDetail",
    "TeamOclockMember",
    "TeamOclockQuery",
    "TeamOclockTeam",
    "meeting_of",
    "team_of",
    "user_of",
]

# Each root field reads one endpoint (or one shared list) once per distinct arguments. All
# are nullable: when Team O'clock fails, its fields are null and the rest of the response
# stands (a non-null field would null the whole `teamoclock`, and with it `data`).
READ = upstream("request", identity=False)

Username = Annotated[str, strawberry.argument(description="The member's username.")]
Slug = Annotated[str, strawberry.argument(description="The team's slug.")]
TeamFilter = Annotated[
    str | None, strawberry.argument(description="Only this team's (a Team O'clock slug).")
]
MeetingId = Annotated[
    str,
    strawberry.argument(description="The meeting's id (for standups and pokers, the team slug)."),
]


def _kind(kind: MeetingKind | None) -> tc.MeetingType | None:
    return cast("tc.MeetingType | None", kind_name(kind))


@strawberry.type(
    description="Everything Team O'clock API v2 offers to read, linked into the unified graph."
)
class TeamOclockQuery:
    # -- members and teams --------------------------------------------------------------------

    @strawberry.field(
        description="Every member of the organisation, in Team O'clock's order.", metadata=READ
    )
    async def members(self, info: CtxInfo) -> list[TeamOclockMember] | None:
        return [shown_as(TeamOclockMember)(m) for m in await toc_r.list_members(info.context)]

    @strawberry.field(description="One member; null when there is none.", metadata=READ)
    async def member(self, info: CtxInfo, username: Username) -> TeamOclockMember | None:
        found = await toc_r.get_member(info.context, username)
        return shown_as(TeamOclockMember)(found) if found else None

    @strawberry.field(description="Every team, in Team O'clock's order.", metadata=READ)
    async def teams(self, info: CtxInfo) -> list[TeamOclockTeam] | None:
        return [shown_as(TeamOclockTeam)(t) for t in await toc_r.list_teams(info.context)]

    @strawberry.field(
        description="One team, with its members and meetings; null when there is none.",
        metadata=READ,
    )
    async def team(self, info: CtxInfo, slug: Slug) -> TeamOclockTeam | None:
        found = await toc_r.get_team(info.context, slug)
        return shown_as(TeamOclockTeam)(found) if found else None

    # -- active meetings ----------------------------------------------------------------------

    @strawberry.field(
        description="Active standups (one per team at most), oldest first, by start then id.",
        metadata=READ,
    )
    async def standups(
        self, info: CtxInfo, team: TeamFilter = None
    ) -> list[TeamOclockMeeting] | None:
        found = await toc_r.list_meetings(info.context, "standup", team=team)
        return [shown_as(TeamOclockMeeting)(m) for m in found]

    @strawberry.field(
        description="An active standup with its questions and notes; null when there is none.",
        metadata=READ,
    )
    async def standup(self, info: CtxInfo, id: MeetingId) -> TeamOclockStandup | None:
        found = await toc_r.get_standup(info.context, id)
        return shown_as(TeamOclockStandup)(found) if found else None

    @strawberry.field(
        description="Active planning pokers (one per team at most), oldest first, by start "
        "then id.",
        metadata=READ,
    )
    async def planning_pokers(
        self, info: CtxInfo, team: TeamFilter = None
    ) -> list[TeamOclockMeeting] | None:
        found = await toc_r.list_meetings(info.context, "planpoker", team=team)
        return [shown_as(TeamOclockMeeting)(m) for m in found]

    @strawberry.field(
        description="An active planning poker with its facilitator, tasks and votes; null when "
        "there is none.",
        metadata=READ,
    )
    async def planning_poker(self, info: CtxInfo, id: MeetingId) -> TeamOclockPlanningPoker | None:
        found = await toc_r.get_planpoker(info.context, id)
        return shown_as(TeamOclockPlanningPoker)(found) if found else None

    @strawberry.field(
        description="The tasks of an active planning poker, in Team O'clock's order; null when "
        "there is no such planning poker.",
        metadata=READ,
    )
    async def planning_poker_tasks(
        self, info: CtxInfo, id: MeetingId
    ) -> list[TeamOclockPokerTask] | None:
        found = await toc_r.list_planpoker_tasks(info.context, id)
        return None if found is None else [shown_as(TeamOclockPokerTask)(t) for t in found]

    @strawberry.field(
        description="One task of an active planning poker, with its votes; null when there is "
        "none.",
        metadata=READ,
    )
    async def planning_poker_task(
        self,
        info: CtxInfo,
        id: MeetingId,
        task_id: Annotated[str, strawberry.argument(description="The task's id.")],
    ) -> TeamOclockPokerTask | None:
        found = await toc_r.get_planpoker_task(info.context, id, task_id)
        return shown_as(TeamOclockPokerTask)(found) if found else None

    @strawberry.field(
        description="Active retrospectives (a team may run several), oldest first, by start "
        "then id.",
        metadata=READ,
    )
    async def retrospectives(
        self, info: CtxInfo, team: TeamFilter = None
    ) -> list[TeamOclockMeeting] | None:
        found = await toc_r.list_meetings(info.context, "retro", team=team)
        return [shown_as(TeamOclockMeeting)(m) for m in found]

    @strawberry.field(
        description="An active retrospective with its stage, columns, notes and action items; "
        "null when there is none.",
        metadata=READ,
    )
    async def retrospective(self, info: CtxInfo, id: MeetingId) -> TeamOclockRetrospective | None:
        found = await toc_r.get_retro(info.context, id)
        return shown_as(TeamOclockRetrospective)(found) if found else None

    # -- action items and the timeline --------------------------------------------------------

    @strawberry.field(
        description="Action items, newest first, fetched in Team O'clock's 100-item pages "
        "only as far as the items asked for reach (no total: the API gives none).",
        metadata=READ,
    )
    async def action_items(
        self,
        info: CtxInfo,
        team: TeamFilter = None,
        status: StatusFilter = None,
        first: First = None,
        after: After = None,
    ) -> Connection[TeamOclockActionItem] | None:
        page = await toc_r.page_action_items(
            info.context, team=team, status=status_name(status), first=first, after=after
        )
        return Connection.of(page, shown_as(TeamOclockActionItem))

    @strawberry.field(description="One action item; null when there is none.", metadata=READ)
    async def action_item(
        self,
        info: CtxInfo,
        id: Annotated[str, strawberry.argument(description='Its id, e.g. "A242".')],
    ) -> TeamOclockActionItem | None:
        found = await toc_r.get_action_item(info.context, id)
        return shown_as(TeamOclockActionItem)(found) if found else None

    @strawberry.field(
        description="Past meetings, newest first (a planning poker as one record per task), "
        "fetched in 100-record pages as far as the items asked for reach.",
        metadata=READ,
    )
    async def timeline(
        self,
        info: CtxInfo,
        since: Annotated[
            datetime | None,
            strawberry.argument(
                description="Only meetings dated at or before this moment (default: now)."
            ),
        ] = None,
        type: Annotated[
            MeetingKind | None, strawberry.argument(description="Only meetings of this kind.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[TeamOclockTimelineEntry] | None:
        page = await toc_r.page_timeline(
            info.context, since=since, type=_kind(type), first=first, after=after
        )
        return Connection.of(page, shown_as(TeamOclockTimelineEntry))

    @strawberry.field(
        description='A past meeting in full, by its timeline id (e.g. "R23"); null when '
        "there is none.",
        metadata=READ,
    )
    async def timeline_record(
        self,
        info: CtxInfo,
        id: Annotated[str, strawberry.argument(description='Its id, e.g. "S33" or "R23".')],
    ) -> TeamOclockTimelineRecord | None:
        return as_record(await toc_r.get_timeline_record(info.context, id))


# -- the Team O'clock side of the unified types -----------------------------------------------


async def team_of(info: CtxInfo, record: Identity) -> TeamOclockTeam | None:
    """A unified Team in Team O'clock (from the team list identity loaded: no extra call);
    None when Team O'clock does not know it."""
    found = await toc_r.get_team_of(info.context, record)
    return shown_as(TeamOclockTeam)(found) if found else None


async def user_of(info: CtxInfo, record: Identity) -> TeamOclockMember | None:
    """A unified User in Team O'clock (from the member list identity loaded: no extra
    call); None when Team O'clock does not know them."""
    found = await users_r.get_teamoclock_member(info.context, record)
    return shown_as(TeamOclockMember)(found) if found else None


async def meeting_of(info: CtxInfo, record: MeetingRecord) -> TeamOclockMeetingDetail | None:
    """A unified Meeting's detail: its standup notes, poker tasks and votes, or retro board
    (one call per meeting, batched, shared with the `standup(id:)`-like fields); None when
    it ended meanwhile."""
    found = await toc_r.get_meeting(info.context, record.kind, record.id)
    return shown_as(TeamOclockMeetingDetail)(found) if found else None
