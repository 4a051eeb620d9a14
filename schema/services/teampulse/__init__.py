"""TeamPulse: its reads under `teampulse { ... }`, and the TeamPulse side of the unified types.

TeamPulse does not page: every list is a plain list. The types, derived from the client's
models (`resolvers/backends/teampulse_models.py`), live by concept: `refs` (how payloads
name a person, linked to `User`), `work` (projects, tasks, time entries), `activity` (the
activity stream) and `people` (an account and what it did). `User.teampulse` and
`Worklog.teampulse` reach them through :func:`user_of` and :func:`worklog_of`.

Every field that calls TeamPulse is nullable, so a TeamPulse failure nulls that field alone
(with one error naming the service) and the rest of the response stands.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import teampulse
from resolvers.identity import Identity
from resolvers.services import teampulse as teampulse_r
from resolvers.worklogs import WorklogRecord
from schema.common import CtxInfo, From, To
from schema.connections import shown_as
from schema.cost import upstream
from schema.services.teampulse.activity import (
    TeamPulseActivity,
    TeamPulseActivityAuthor,
    TeamPulseActivityWorkItem,
    TeamPulseUnreadCounts,
)
from schema.services.teampulse.people import Flagged, TeamPulseUser
from schema.services.teampulse.refs import TeamPulseUserRef
from schema.services.teampulse.work import (
    TeamPulseEstimate,
    TeamPulseProject,
    TeamPulseProjectRef,
    TeamPulseProjectTimeEntryType,
    TeamPulseTask,
    TeamPulseTimeEntry,
    TeamPulseTimeEntryType,
    TeamPulseWorkItem,
)

__all__ = [
    "TeamPulseActivity",
    "TeamPulseActivityAuthor",
    "TeamPulseActivityWorkItem",
    "TeamPulseEstimate",
    "TeamPulseProject",
    "TeamPulseProjectRef",
    "TeamPulseProjectTimeEntryType",
    "TeamPulseQuery",
    "TeamPulseTask",
    "TeamPulseTimeEntry",
    "TeamPulseTimeEntryType",
    "TeamPulseUnreadCounts",
    "TeamPulseUser",
    "TeamPulseUserRef",
    "TeamPulseWorkItem",
    "user_of",
    "worklog_of",
]

ProjectId = Annotated[int, strawberry.argument(description="TeamPulse's id of the project.")]
ProjectFilter = Annotated[
    int | None,
    strawberry.argument(
        description="Only this project's tasks, read from TeamPulse's per-project list "
        "(the field is null when there is no such project); every task when left out."
    ),
]

_ONE_CALL = upstream("request", identity=False)


@strawberry.type(description="Everything TeamPulse offers to read, linked into the unified graph.")
class TeamPulseQuery:
    # -- people ---------------------------------------------------------------------------

    @strawberry.field(
        description="Every user in every project the gateway's account may access, in "
        "TeamPulse's order.",
        metadata=_ONE_CALL,
    )
    async def users(self, info: CtxInfo) -> list[TeamPulseUser] | None:
        return [shown_as(TeamPulseUser)(u) for u in await teampulse_r.list_users(info.context)]

    @strawberry.field(
        description="The users TeamPulse suggests for mentions in the activity stream "
        "(documented to be the same people as `users`), in TeamPulse's order.",
        metadata=_ONE_CALL,
    )
    async def mentionable_users(self, info: CtxInfo) -> list[TeamPulseUser] | None:
        found = await teampulse_r.list_mention_users(info.context)
        return [shown_as(TeamPulseUser)(u) for u in found]

    @strawberry.field(
        description="One user by id; null when TeamPulse has none. Also finds accounts "
        "`users` leaves out, such as the gateway's own.",
        metadata=_ONE_CALL,
    )
    async def user(
        self,
        info: CtxInfo,
        id: Annotated[int, strawberry.argument(description="TeamPulse's id of the user.")],
    ) -> TeamPulseUser | None:
        found = await teampulse_r.get_user(info.context, id)
        return shown_as(TeamPulseUser)(found) if found else None

    @strawberry.field(
        description="The account the gateway signs in to TeamPulse as.", metadata=_ONE_CALL
    )
    async def me(self, info: CtxInfo) -> TeamPulseUser | None:
        return shown_as(TeamPulseUser)(await teampulse_r.get_me(info.context))

    # -- projects and tasks ---------------------------------------------------------------

    @strawberry.field(
        description="Every project the gateway's account may access, in TeamPulse's order.",
        metadata=_ONE_CALL,
    )
    async def projects(self, info: CtxInfo) -> list[TeamPulseProject] | None:
        found = await teampulse_r.list_projects(info.context)
        return [shown_as(TeamPulseProject)(p) for p in found]

    @strawberry.field(
        description="One project by id, from the list of projects (TeamPulse has no "
        "endpoint for one); null when there is none.",
        metadata=_ONE_CALL,
    )
    async def project(self, info: CtxInfo, id: ProjectId) -> TeamPulseProject | None:
        found = await teampulse_r.get_project(info.context, id)
        return shown_as(TeamPulseProject)(found) if found else None

    @strawberry.field(
        description="Every task, general ones outside any project (Vacation…) included, or "
        "one project's; in TeamPulse's order.",
        metadata=_ONE_CALL,
    )
    async def tasks(
        self, info: CtxInfo, project: ProjectFilter = None
    ) -> list[TeamPulseTask] | None:
        found = await teampulse_r.list_tasks(info.context, project)
        return None if found is None else [shown_as(TeamPulseTask)(t) for t in found]

    @strawberry.field(
        description="One task by id; null when TeamPulse has none.", metadata=_ONE_CALL
    )
    async def task(
        self,
        info: CtxInfo,
        id: Annotated[int, strawberry.argument(description="TeamPulse's id of the task.")],
    ) -> TeamPulseTask | None:
        found = await teampulse_r.get_task(info.context, id)
        return shown_as(TeamPulseTask)(found) if found else None

    # -- time entries ---------------------------------------------------------------------

    @strawberry.field(
        description="Every user's time entries dated in the range, in TeamPulse's order.",
        metadata=_ONE_CALL,
    )
    async def time_entries(
        self, info: CtxInfo, from_: From, to: To
    ) -> list[TeamPulseTimeEntry] | None:
        found = await teampulse_r.list_time_entries(info.context, from_, to)
        return [shown_as(TeamPulseTimeEntry)(e) for e in found]

    @strawberry.field(
        description="One time entry by id; null when TeamPulse has none.", metadata=_ONE_CALL
    )
    async def time_entry(
        self,
        info: CtxInfo,
        id: Annotated[int, strawberry.argument(description="TeamPulse's id of the entry.")],
    ) -> TeamPulseTimeEntry | None:
        found = await teampulse_r.get_time_entry(info.context, id)
        return shown_as(TeamPulseTimeEntry)(found) if found else None

    # -- activities -----------------------------------------------------------------------

    @strawberry.field(
        description="The activity stream, newest first as TeamPulse gives it.",
        metadata=_ONE_CALL,
    )
    async def activities(
        self, info: CtxInfo, flagged: Flagged = None
    ) -> list[TeamPulseActivity] | None:
        found = await teampulse_r.list_activities(info.context, flagged)
        return [shown_as(TeamPulseActivity)(a) for a in found]

    @strawberry.field(
        description="How many activities the gateway's account has not seen yet.",
        metadata=_ONE_CALL,
    )
    async def unread_counts(self, info: CtxInfo) -> TeamPulseUnreadCounts | None:
        return shown_as(TeamPulseUnreadCounts)(await teampulse_r.get_unread_counts(info.context))


async def user_of(info: CtxInfo, record: Identity) -> TeamPulseUser | None:
    """The TeamPulse side of a unified User (from the users list identity reads); None when
    TeamPulse does not know them."""
    found = await teampulse_r.get_person_account(info.context, record)
    return shown_as(TeamPulseUser)(found) if found else None


async def worklog_of(info: CtxInfo, record: WorklogRecord) -> TeamPulseTimeEntry | None:
    """The TeamPulse side of a unified Worklog (the entry it was mapped from); None for
    Tempo worklogs."""
    source = record.source
    return shown_as(TeamPulseTimeEntry)(source) if isinstance(source, teampulse.TimeEntry) else None
