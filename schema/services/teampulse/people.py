"""A TeamPulse account, and what it did: time entries, the tasks they were on, activities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.backends import teampulse
from resolvers.services import teampulse as teampulse_r
from schema import users
from schema.common import CtxInfo, From, To
from schema.connections import shown_as
from schema.cost import upstream
from schema.services.teampulse.activity import TeamPulseActivity
from schema.services.teampulse.work import TeamPulseTask, TeamPulseTimeEntry

if TYPE_CHECKING:
    from schema.users import User

LinkedUser = Annotated["User", strawberry.lazy("schema.users")]
Flagged = Annotated[
    bool | None,
    strawberry.argument(description="Only flagged (true) or unflagged (false) activities."),
]


@strawberry.experimental.pydantic.type(
    model=teampulse.User,
    all_fields=True,
    description="A TeamPulse account: someone who can be given access to projects, logs "
    "time and appears in the activity stream.",
)
class TeamPulseUser:
    @strawberry.field(
        description="This person, linked across services (null for an account no one is "
        "linked to, such as the gateway's own).",
        metadata=upstream("request", 0),
    )
    async def user(root: teampulse.User, info: CtxInfo) -> LinkedUser | None:
        person = await teampulse_r.person_of(info.context, root.id)
        return users.User.of(person) if person else None

    @strawberry.field(
        description="Their time entries dated in the range: by date, then id.",
        metadata=upstream("request", identity=False),
    )
    async def time_entries(
        root: teampulse.User, info: CtxInfo, from_: From, to: To
    ) -> list[TeamPulseTimeEntry] | None:
        found = await teampulse_r.list_user_time_entries(info.context, root.id, from_, to)
        return [shown_as(TeamPulseTimeEntry)(e) for e in found]

    @strawberry.field(
        description="The tasks they logged time against in the range, by id. TeamPulse "
        "tasks name no assignee: time logged is what ties a person to a task.",
        metadata=upstream("request", identity=False),
    )
    async def tasks(
        root: teampulse.User, info: CtxInfo, from_: From, to: To
    ) -> list[TeamPulseTask] | None:
        found = await teampulse_r.list_user_tasks(info.context, root.id, from_, to)
        return [shown_as(TeamPulseTask)(t) for t in found]

    @strawberry.field(
        description="Activities they authored, newest first (by time, then id). Authors "
        "carry no id: these are the activities whose author has this username and display "
        "name.",
        metadata=upstream("request", identity=False),
    )
    async def activities(
        root: teampulse.User, info: CtxInfo, flagged: Flagged = None
    ) -> list[TeamPulseActivity] | None:
        found = await teampulse_r.list_user_activities(info.context, root, flagged)
        return [shown_as(TeamPulseActivity)(a) for a in found]
