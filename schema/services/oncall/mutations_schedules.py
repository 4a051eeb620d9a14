"""oncall's writes to schedules (the weekly templates a roster's shifts are filled in from).

Creating, changing and populating a schedule answer the schedule read back with
`GET /schedules/{id}` (oncall answers with its id alone, or an empty body); deleting one
answers its id.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import strawberry

from resolvers.backends import oncall
from resolvers.services import oncall as oncall_r
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.payloads import IdempotencyKey, Payload, write
from schema.services.oncall import RosterName, TeamName
from schema.services.oncall._shared import doc
from schema.services.oncall.mutations_base import (
    WRITE,
    client,
    deleted,
    fields_of,
    read_back,
    sent,
    unchanged,
)
from schema.services.oncall.rosters import OncallSchedule

READ = " Answers the schedule as oncall has it afterwards, read back with `GET /schedules/{id}`"
Sched = oncall.Schedule

ScheduleId = Annotated[int, strawberry.argument(description="The schedule's id.")]


@strawberry.input(description="One shift of a schedule's weekly template.")
class OncallScheduleEventInput:
    start_seconds: int = strawberry.field(
        description=f"{doc(oncall.ScheduleEvent, 'start').removesuffix('.')}, in seconds."
    )
    duration_seconds: int = strawberry.field(description="How long the shift lasts, in seconds.")


@strawberry.input(description="A new schedule for a roster.")
class CreateOncallScheduleInput:
    role: str = strawberry.field(description=doc(Sched, "role"))
    events: list[OncallScheduleEventInput] = strawberry.field(
        description="The shifts of one rotation, repeated from week to week."
    )
    advanced_mode: bool = strawberry.field(
        default=False,
        description="Whether the shifts are free-form. Without it (the default), one 1- or "
        "2-week shift, or 7 or 14 shifts of 12 hours.",
    )
    auto_populate_threshold: int | None = strawberry.field(
        default=None,
        description=f"{doc(Sched, 'auto_populate_threshold').removesuffix('.')}; oncall's "
        "default (21) if left out.",
    )


@strawberry.input(description="What to change about an oncall schedule: at least one field.")
class UpdateOncallScheduleInput:
    role: str | None = strawberry.field(default=None, description=unchanged(doc(Sched, "role")))
    team: str | None = strawberry.field(
        default=None, description="The team of the roster it moves to; needed with `roster`."
    )
    roster: str | None = strawberry.field(
        default=None, description=unchanged("A roster to draw people from instead")
    )
    events: list[OncallScheduleEventInput] | None = strawberry.field(
        default=None, description=unchanged("The shifts of one rotation instead")
    )
    advanced_mode: bool | None = strawberry.field(
        default=None,
        description="Whether the shifts are free-form (see `createOncallSchedule`); unchanged "
        "if left out.",
    )
    auto_populate_threshold: int | None = strawberry.field(
        default=None,
        description=f"{doc(Sched, 'auto_populate_threshold').removesuffix('.')}; unchanged if "
        "left out.",
    )


@strawberry.input(description="From when to fill a schedule's shifts in.")
class PopulateOncallScheduleInput:
    start: datetime = strawberry.field(
        description="The schedule's shifts from its first hand-off after this moment are "
        "replaced, up to its auto-populate threshold."
    )


def _template(events: list[OncallScheduleEventInput]) -> list[oncall.ScheduleEvent]:
    return [
        oncall.ScheduleEvent(
            start=timedelta(seconds=e.start_seconds), duration=timedelta(seconds=e.duration_seconds)
        )
        for e in events
    ]


async def _schedule(info: CtxInfo, schedule_id: int) -> OncallSchedule | None:
    found = await oncall_r.get_schedule(info.context, schedule_id)
    return shown_as(OncallSchedule)(found) if found else None


def _none(schedule_id: int) -> str:
    return f"no schedule {schedule_id}"


@strawberry.type(description="oncall's writes to schedules.")
class OncallScheduleMutation:
    @strawberry.mutation(
        description="Create a schedule for a roster "
        f"(`POST /teams/{{team}}/rosters/{{roster}}/schedules`).{READ} (oncall answers with its "
        "id alone). It has no shifts until populated.",
        metadata=WRITE,
    )
    async def create_oncall_schedule(
        self,
        info: CtxInfo,
        team: TeamName,
        roster: RosterName,
        input: Annotated[
            CreateOncallScheduleInput, strawberry.argument(description="The schedule.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallSchedule]:
        outcome = await write(
            info, name="createOncallSchedule", service="oncall",
            data=sent(team=team, roster=roster, input=input), key=idempotency_key, result_type=int,
            call=lambda: client(info).create_schedule(
                team, roster, role=input.role, events=_template(input.events),
                advanced_mode=input.advanced_mode,
                auto_populate_threshold=input.auto_populate_threshold,
            ),
        )  # fmt: skip
        return await read_back(info, outcome, lambda i: _schedule(info, i), _none, fields_of(input))

    @strawberry.mutation(
        description=f"Change an oncall schedule (`PUT /schedules/{{id}}`).{READ} (oncall "
        "answers with an empty body).",
        metadata=WRITE,
    )
    async def update_oncall_schedule(
        self,
        info: CtxInfo,
        id: ScheduleId,
        input: Annotated[
            UpdateOncallScheduleInput, strawberry.argument(description="The changes.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallSchedule]:
        events = _template(input.events) if input.events is not None else None

        async def call() -> int:
            await client(info).update_schedule(
                id, role=input.role, team=input.team, roster=input.roster, events=events,
                advanced_mode=input.advanced_mode,
                auto_populate_threshold=input.auto_populate_threshold,
            )  # fmt: skip
            return id

        outcome = await write(
            info, name="updateOncallSchedule", service="oncall", data=sent(id=id, input=input),
            key=idempotency_key, result_type=int, call=call,
        )  # fmt: skip
        return await read_back(info, outcome, lambda i: _schedule(info, i), _none, fields_of(input))

    @strawberry.mutation(
        description="Delete an oncall schedule (`DELETE /schedules/{id}`); the shifts it "
        "filled in stay. Answers the deleted schedule's id.",
        metadata=WRITE,
    )
    async def delete_oncall_schedule(
        self, info: CtxInfo, id: ScheduleId, idempotency_key: IdempotencyKey = None
    ) -> Payload[int]:
        async def call() -> int:
            await client(info).delete_schedule(id)
            return id

        outcome = await write(
            info, name="deleteOncallSchedule", service="oncall", data=sent(id=id),
            key=idempotency_key, result_type=int, call=call,
        )  # fmt: skip
        return deleted(info, outcome)

    @strawberry.mutation(
        description="Fill an oncall schedule's shifts in from a moment on, up to its "
        "auto-populate threshold (`POST /schedules/{id}/populate`): its shifts from the first "
        f"hand-off after `start` are replaced.{READ} (oncall answers with an empty body); "
        "the shifts themselves are in `oncall { events }`.",
        metadata=WRITE,
    )
    async def populate_oncall_schedule(
        self,
        info: CtxInfo,
        id: ScheduleId,
        input: Annotated[
            PopulateOncallScheduleInput, strawberry.argument(description="From when.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallSchedule]:
        async def call() -> int:
            await client(info).populate_schedule(id, start=input.start)
            return id

        outcome = await write(
            info, name="populateOncallSchedule", service="oncall", data=sent(id=id, input=input),
            key=idempotency_key, result_type=int, call=call,
        )  # fmt: skip
        return await read_back(info, outcome, lambda i: _schedule(info, i), _none, fields_of(input))
