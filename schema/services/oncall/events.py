"""oncall events: shifts as oncall has them, and a user's upcoming ones."""

from __future__ import annotations

import strawberry

from resolvers.backends import oncall
from resolvers.events import ShiftRecord
from resolvers.services import oncall as oncall_r
from schema import activity
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.services.oncall import rosters as rosters_t
from schema.services.oncall import teams as teams_t
from schema.services.oncall import users as users_t
from schema.services.oncall._shared import (
    LINK,
    PER_PARENT,
    LinkedEvent,
    ScheduleRef,
    TeamRef,
    UserRef,
)


@strawberry.experimental.pydantic.type(
    model=oncall.Event,
    description="An oncall event: one person on call for a team in one role, from start to end.",
)
class OncallEvent:
    id: strawberry.auto
    start: strawberry.auto
    end: strawberry.auto
    role: strawberry.auto
    full_name: strawberry.auto
    schedule_id: strawberry.auto
    link_id: strawberry.auto
    note: strawberry.auto

    @strawberry.field(description="Who is on call.")
    def user(root: oncall.Event) -> UserRef:
        return users_t.OncallUser.named(root.user)

    @strawberry.field(description="The team the shift is for.")
    def team(root: oncall.Event) -> TeamRef:
        return teams_t.OncallTeam.named(root.team)

    @strawberry.field(
        description="The schedule that created it (`GET /schedules/{id}`); null for a shift "
        "added by hand.",
        metadata=PER_PARENT,
    )
    async def schedule(root: oncall.Event, info: CtxInfo) -> ScheduleRef | None:
        if root.schedule_id is None:
            return None
        found = await oncall_r.get_schedule(info.context, root.schedule_id)
        return shown_as(rosters_t.OncallSchedule)(found) if found else None

    @strawberry.field(description="This shift in the unified graph.", metadata=LINK)
    async def shift(root: oncall.Event, info: CtxInfo) -> LinkedEvent | None:
        directory = await info.context.directory()
        person, team = directory.person("oncall", root.user), directory.team("oncall", root.team)
        return activity.Event.of(ShiftRecord(root, person, team))


@strawberry.experimental.pydantic.type(
    model=oncall.UpcomingShift,
    description="One of a user's upcoming shifts; a linked set of events comes as its first.",
)
# The mypy plugin types `from_pydantic` by model: an UpcomingShift is an Event all the same.
class OncallUpcomingShift(OncallEvent):  # type: ignore[override]
    num_events: strawberry.auto
