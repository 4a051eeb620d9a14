"""How TeamPulse names a person inside other payloads (a time entry's user, an activity's
author), each linked into the unified graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.backends import teampulse
from resolvers.services import teampulse as teampulse_r
from schema import users
from schema.common import CtxInfo
from schema.cost import upstream

if TYPE_CHECKING:
    from schema.users import User

LinkedUser = Annotated["User", strawberry.lazy("schema.users")]


@strawberry.experimental.pydantic.type(
    model=teampulse.UserRef,
    all_fields=True,
    description="A TeamPulse user as a time entry names them: the whole account in read "
    "answers, only the id in create and update answers.",
)
class TeamPulseUserRef:
    @strawberry.field(
        description="This person, linked across services.", metadata=upstream("request", 0)
    )
    async def user(root: teampulse.UserRef, info: CtxInfo) -> LinkedUser | None:
        person = await teampulse_r.person_of(info.context, root.id)
        return users.User.of(person) if person else None


@strawberry.experimental.pydantic.type(
    model=teampulse.ActivityAuthor,
    all_fields=True,
    description="Who caused an activity. TeamPulse names activity authors by username and "
    "display name only, never by id.",
)
class TeamPulseActivityAuthor:
    @strawberry.field(
        description="This person, linked across services: the one TeamPulse user with this "
        "username and display name (null when none or several have both).",
        metadata=upstream("request", 0),
    )
    async def user(root: teampulse.ActivityAuthor, info: CtxInfo) -> LinkedUser | None:
        person = await teampulse_r.author_person(info.context, root)
        return users.User.of(person) if person else None
