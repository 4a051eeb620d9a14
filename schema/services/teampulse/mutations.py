"""TeamPulse's writes, one root mutation per endpoint row (the pattern is
`schema/services/hack24/mutations.py`): time entries, the activity stream, comments.

Each runs its one client call through `schema.payloads.write`. TeamPulse refuses a body with
every bad field at once (``{"te.note": "…", "te.hours": "…"}``, which the client reads as
``te.note: …; te.hours: …``): each becomes its own user error whose ``field`` is TeamPulse's
path (``["te", "note"]``). A stale ``iversion`` on update is TeamPulse's 409: a ``CONFLICT``
user error on ``["te", "iversion"]`` that says to read the entry again and retry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, TypeVar, cast

import strawberry

from resolvers.backends import teampulse
from resolvers.backends.teampulse import TeamPulseClient
from resolvers.writes import Outcome
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.cost import upstream
from schema.payloads import IdempotencyKey, Payload, write
from schema.services.teampulse.activity import (
    TeamPulseComment,
    TeamPulseSharedMessage,
    TeamPulseUnreadCounts,
)
from schema.services.teampulse.work import TeamPulseTimeEntry

G = TypeVar("G")

_ONE_WRITE = upstream("request", identity=False)  # a write is one call

# -- fixed sets --------------------------------------------------------------------------------


@strawberry.enum(description="A TeamPulse time entry's type, written as TeamPulse spells it.")
class TeamPulseTimeEntryKind(Enum):
    BILLABLE = strawberry.enum_value("Billable", description='Billable time ("Billable").')
    NON_BILLABLE = strawberry.enum_value(
        "Non Billable",
        description='Time not billed ("Non Billable", as the projects\' time entry types name it).',
    )
    UNSPECIFIED = strawberry.enum_value("", description="No type: TeamPulse's empty type.")


@strawberry.enum(description="The kinds of TeamPulse work item that take comments.")
class TeamPulseWorkItemType(Enum):
    STORY = strawberry.enum_value("Story", description="A story.")
    BUG = strawberry.enum_value("Bug", description="A bug.")
    ISSUE = strawberry.enum_value("Issue", description="An issue.")
    RISK = strawberry.enum_value("Risk", description="A risk.")
    FEEDBACK = strawberry.enum_value("Feedback", description="A feedback item.")


@strawberry.enum(description="Who sees a TeamPulse comment.")
class TeamPulseCommentType(Enum):
    COMMENT = strawberry.enum_value("Comment", description="The team, in TeamPulse.")
    PORTAL_COMMENT = strawberry.enum_value(
        "PortalComment",
        description="The project portal too; feedback items only.",
    )


def _spelled(value: Enum) -> str:
    """How TeamPulse spells a value of one of these enums."""
    # `enum_value` hides the plain value from mypy; at run time `.value` is the string.
    return cast("str", value.value)


# -- inputs ------------------------------------------------------------------------------------


@strawberry.input(description="A new TeamPulse time entry: hours one user spent on one task.")
class CreateTeamPulseTimeEntryInput:
    date: dt.date = strawberry.field(description="The day the time was spent.")
    hours: float = strawberry.field(
        description="The time spent, in hours: more than 0 and at most 24 (1.5 is an hour "
        "and a half)."
    )
    task_id: int = strawberry.field(description="TeamPulse's id of the task it was spent on.")
    user_id: int = strawberry.field(description="TeamPulse's id of the user who spent it.")
    type: TeamPulseTimeEntryKind = strawberry.field(
        default=TeamPulseTimeEntryKind.UNSPECIFIED, description="Whether it is billable."
    )
    note: str | None = strawberry.field(
        default=None, description="What was done, at most 128 characters; none when left out."
    )


@strawberry.input(
    description="A TeamPulse time entry as it should be: TeamPulse replaces the entry whole "
    "(only `type` and `note` may be left out to keep them)."
)
class UpdateTeamPulseTimeEntryInput:
    date: dt.date = strawberry.field(description="The day the time was spent.")
    hours: float = strawberry.field(
        description="The time spent, in hours: more than 0 and at most 24."
    )
    task_id: int = strawberry.field(description="TeamPulse's id of the task it was spent on.")
    user_id: int = strawberry.field(description="TeamPulse's id of the user who spent it.")
    iversion: int = strawberry.field(
        description="The entry's `iversion` as last read. When someone changed the entry "
        "since, TeamPulse refuses the update (a CONFLICT user error): read it again and retry."
    )
    type: TeamPulseTimeEntryKind | None = strawberry.field(
        default=None, description="Whether it is billable; null keeps the current type."
    )
    note: str | None = strawberry.field(
        default=None, description="What was done, at most 128 characters; null keeps it."
    )


@strawberry.input(description="A message to share to TeamPulse's activity stream.")
class ShareTeamPulseMessageInput:
    message: str = strawberry.field(
        description="The text; the stream shows it after the gateway account's display name."
    )


@strawberry.input(description="A comment on a TeamPulse work item.")
class CreateTeamPulseCommentInput:
    project_id: int = strawberry.field(description="TeamPulse's id of the work item's project.")
    work_item_id: int = strawberry.field(description="TeamPulse's id of the work item.")
    work_item_type: TeamPulseWorkItemType = strawberry.field(
        description="The work item's kind; TeamPulse refuses one that does not match it."
    )
    description: str = strawberry.field(description="The comment's text.")
    type: TeamPulseCommentType = strawberry.field(
        default=TeamPulseCommentType.COMMENT, description="Who sees it."
    )


EntryId = Annotated[int, strawberry.argument(description="TeamPulse's id of the time entry.")]


# -- the mutations -----------------------------------------------------------------------------


@strawberry.type
class TeamPulseMutation:
    @strawberry.mutation(
        description="Log time in TeamPulse (`POST /timeentries`). TeamPulse's answer names "
        "the task and user by id; `task` and `user.user` read them.",
        metadata=_ONE_WRITE,
    )
    async def create_team_pulse_time_entry(
        self,
        info: CtxInfo,
        input: Annotated[
            CreateTeamPulseTimeEntryInput, strawberry.argument(description="The time entry.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamPulseTimeEntry]:
        outcome = await _write(
            info,
            name="createTeamPulseTimeEntry",
            data=input,
            key=idempotency_key,
            result_type=teampulse.TimeEntry,
            call=lambda c: c.create_time_entry(
                date=input.date,
                hours=input.hours,
                task_id=input.task_id,
                user_id=input.user_id,
                type=_spelled(input.type),
                note=input.note,
            ),
        )
        return Payload.of(outcome, shown_as(TeamPulseTimeEntry))

    @strawberry.mutation(
        description="Replace a TeamPulse time entry (`PUT /timeentries/{id}`), given the "
        "`iversion` last read; the answer has the next one.",
        metadata=_ONE_WRITE,
    )
    async def update_team_pulse_time_entry(
        self,
        info: CtxInfo,
        id: EntryId,
        input: Annotated[
            UpdateTeamPulseTimeEntryInput,
            strawberry.argument(description="The entry as it should be."),
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamPulseTimeEntry]:
        outcome = await _write(
            info,
            name="updateTeamPulseTimeEntry",
            data=(id, input),
            key=idempotency_key,
            result_type=teampulse.TimeEntry,
            call=lambda c: c.update_time_entry(
                id,
                date=input.date,
                hours=input.hours,
                task_id=input.task_id,
                user_id=input.user_id,
                iversion=input.iversion,
                type=_spelled(input.type) if input.type is not None else None,
                note=input.note,
            ),
        )
        return Payload.of(outcome, shown_as(TeamPulseTimeEntry))

    @strawberry.mutation(
        description="Mark the activities up to one (by id) as seen by the gateway's account "
        "(`PUT /activities/seenupto/{id}`); answers the unread counts left.",
        metadata=_ONE_WRITE,
    )
    async def mark_team_pulse_activities_seen(
        self,
        info: CtxInfo,
        up_to: Annotated[
            int,
            strawberry.argument(
                description="TeamPulse's id of the last activity seen: it and every earlier "
                "one (smaller ids) are marked."
            ),
        ],
        only_flagged: Annotated[
            bool | None,
            strawberry.argument(
                description="True: mark only flagged activities; every activity otherwise."
            ),
        ] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamPulseUnreadCounts]:
        outcome = await _write(
            info,
            name="markTeamPulseActivitiesSeen",
            data=(up_to, only_flagged),
            key=idempotency_key,
            result_type=teampulse.UnreadCounts,
            call=lambda c: c.mark_activities_seen(up_to, only_flagged=only_flagged),
        )
        return Payload.of(outcome, shown_as(TeamPulseUnreadCounts))

    @strawberry.mutation(
        description="Share a message to TeamPulse's activity stream as the gateway's account "
        "(`POST /activities`).",
        metadata=_ONE_WRITE,
    )
    async def share_team_pulse_message(
        self,
        info: CtxInfo,
        input: Annotated[
            ShareTeamPulseMessageInput, strawberry.argument(description="The message.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamPulseSharedMessage]:
        outcome = await _write(
            info,
            name="shareTeamPulseMessage",
            data=input,
            key=idempotency_key,
            result_type=teampulse.SharedMessage,
            call=lambda c: c.share_message(input.message),
        )
        return Payload.of(outcome, shown_as(TeamPulseSharedMessage))

    @strawberry.mutation(
        description="Comment on a TeamPulse work item as the gateway's account (`POST /comments`).",
        metadata=_ONE_WRITE,
    )
    async def create_team_pulse_comment(
        self,
        info: CtxInfo,
        input: Annotated[
            CreateTeamPulseCommentInput, strawberry.argument(description="The comment.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamPulseComment]:
        outcome = await _write(
            info,
            name="createTeamPulseComment",
            data=input,
            key=idempotency_key,
            result_type=teampulse.Comment,
            call=lambda c: c.create_comment(
                project_id=input.project_id,
                work_item_id=input.work_item_id,
                work_item_type=_spelled(input.work_item_type),
                description=input.description,
                type=_spelled(input.type),
            ),
        )
        return Payload.of(outcome, shown_as(TeamPulseComment))


# -- shared ------------------------------------------------------------------------------------


async def _write(
    info: CtxInfo,
    *,
    name: str,
    data: object,
    key: str | None,
    result_type: object,
    call: Callable[[TeamPulseClient], Awaitable[G]],
) -> Outcome[G]:
    """`call` on the TeamPulse client as the mutation `name`, one user error per field."""
    client = info.context.backends.require("teampulse")
    outcome = await write(
        info,
        name=name,
        service="teampulse",
        data=data,
        key=key,
        result_type=result_type,
        call=lambda: call(client),
    )
    return outcome
