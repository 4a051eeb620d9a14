"""`logWork`, `updateWorklog` and `deleteWorklog`: a Tempo worklog or a TeamPulse time entry,
answered as the unified `Worklog` (logic in `resolvers/unified/worklogs.py`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from resolvers.unified import worklogs as worklogs_u
from resolvers.writes import Outcome
from schema.activity import Worklog
from schema.common import CtxInfo
from schema.cost import upstream
from schema.payloads import IdempotencyKey, Payload
from schema.scalars import Service, service_name
from schema.unified.common import key_of, named

WorklogId = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="The `id` of a `Worklog` (a Tempo worklog or TeamPulse entry)."
    ),
]


@strawberry.input(description="Time someone spent, to log where they log time.")
class LogWorkInput:
    user: str = strawberry.field(
        description="Whose time: a `User` id, key, email or username, or a display name if "
        "only one person has it."
    )
    date: dt.date = strawberry.field(description="The day the work was done.")
    seconds: int = strawberry.field(description="Time spent, in seconds (more than 0).")
    description: str | None = strawberry.field(
        default=None, description="What was done (TeamPulse keeps at most 128 characters)."
    )
    issue_key: str | None = strawberry.field(
        default=None, description="The Jira issue, for a Tempo worklog (chooses Tempo)."
    )
    task: str | None = strawberry.field(
        default=None,
        description="The TeamPulse task, by id or by a name only one task has (chooses TeamPulse).",
    )
    service: Service | None = strawberry.field(
        default=None,
        description="TEMPO or TEAMPULSE. When left out: Tempo for an `issueKey`, TeamPulse "
        "for a `task`, else where the person has an account (Tempo first).",
    )
    start_time: dt.time | None = strawberry.field(
        default=None, description="Tempo: when the work started (09:00 when left out)."
    )


@strawberry.input(description="What to change of a worklog; what is left out stays.")
class UpdateWorklogInput:
    date: dt.date | None = strawberry.field(default=None, description="The day.")
    seconds: int | None = strawberry.field(default=None, description="Time spent, in seconds.")
    description: str | None = strawberry.field(default=None, description="What was done.")
    issue_key: str | None = strawberry.field(
        default=None, description="Tempo only: another Jira issue."
    )
    task: str | None = strawberry.field(
        default=None, description="TeamPulse only: another task, by id or name."
    )


def _shown(outcome: Outcome[worklogs_u.LoggedWork]) -> Payload[Worklog]:
    return Payload.of(outcome, lambda logged: Worklog.of(logged.record()))


def _worklog(id: str) -> tuple[str, str]:
    service, _, ident = key_of(id, "Worklog", "a Worklog").partition(":")
    return service, ident


@strawberry.type
class WorklogsMutation:
    @strawberry.mutation(
        description="Log time: a worklog in Tempo (on a Jira issue) or a time entry in "
        "TeamPulse (on a task), chosen by `service`, else by the arguments, else by where the "
        "person has an account. Answers the new `Worklog`, as `worklogs` shows it.",
        metadata=upstream("request", 4),
    )
    async def log_work(
        self,
        info: CtxInfo,
        input: Annotated[LogWorkInput, strawberry.argument(description="The time.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[Worklog]:
        outcome = await worklogs_u.log_work(
            info.context,
            user=named(input.user, "User"),
            day=input.date,
            seconds=input.seconds,
            description=input.description,
            issue_key=input.issue_key,
            task=input.task,
            service=service_name(input.service),
            start_time=input.start_time,
            key=idempotency_key,
        )
        return _shown(outcome)

    @strawberry.mutation(
        description="Change a worklog by its unified id: only the fields given change.",
        metadata=upstream("request", 4),
    )
    async def update_worklog(
        self,
        info: CtxInfo,
        id: WorklogId,
        input: Annotated[UpdateWorklogInput, strawberry.argument(description="The changes.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[Worklog]:
        service, ident = _worklog(id)
        outcome = await worklogs_u.update_worklog(
            info.context,
            service=service,
            ident=ident,
            day=input.date,
            seconds=input.seconds,
            description=input.description,
            issue_key=input.issue_key,
            task=input.task,
            key=idempotency_key,
        )
        return _shown(outcome)

    @strawberry.mutation(
        description="Delete a Tempo worklog by its unified id; answers it as it was. "
        "TeamPulse's API cannot delete time entries (an UNSUPPORTED user error).",
        metadata=upstream("request", 3),
    )
    async def delete_worklog(
        self, info: CtxInfo, id: WorklogId, idempotency_key: IdempotencyKey = None
    ) -> Payload[Worklog]:
        service, ident = _worklog(id)
        outcome = await worklogs_u.delete_worklog(
            info.context, service=service, ident=ident, key=idempotency_key
        )
        return _shown(outcome)
