"""oncall users: `OncallUser` (a user known by username), contacts, notification settings."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import oncall
from resolvers.services import oncall_people as people_r
from schema import users
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.cost import upstream
from schema.services.oncall import events as events_t
from schema.services.oncall import teams as teams_t
from schema.services.oncall._shared import (
    LINK,
    ONCE,
    PER_PARENT,
    LinkedUser,
    TeamRef,
    UpcomingRef,
    doc,
)

Limit = Annotated[
    int | None,
    strawberry.argument(
        description="At most this many (a linked set counts once); all if left out."
    ),
]
RoleFilter = Annotated[
    str | None, strawberry.argument(description="Only shifts in this role; all if left out.")
]
Profile = oncall.User


@strawberry.experimental.pydantic.type(
    model=oncall.Contacts,
    all_fields=True,
    description="Where to reach someone, by contact mode (the 2017 docs' `im`, 2.1.7's "
    "`slack` and `teams_messenger`); null where they have none.",
)
class OncallContacts:
    pass


@strawberry.type(
    description="A user in LinkedIn oncall, known by username. Their details come from the "
    "answer that named them when it had them (a user lookup, a team's members), else from the "
    "user list (`GET /users`: one call for every user in the request, shared with identity); "
    "null when oncall has no such user."
)
class OncallUser:
    name: str = strawberry.field(description=doc(Profile, "name"))
    found: strawberry.Private[oncall.User | None] = None

    @classmethod
    def named(cls, name: str) -> OncallUser:
        return cls(name=name)

    @classmethod
    def of(cls, user: oncall.User) -> OncallUser:
        return cls(name=user.name, found=user)

    async def profile(self, info: CtxInfo) -> oncall.User | None:
        if self.found is not None:
            return self.found
        return await people_r.find_user(info.context, self.name)

    @strawberry.field(description="This person, linked across services.", metadata=LINK)
    async def user(self, info: CtxInfo) -> LinkedUser | None:
        person = (await info.context.directory()).person("oncall", self.name)
        return users.User.of(person) if person else None

    # -- details -----------------------------------------------------------------------------

    @strawberry.field(description=doc(Profile, "id"), metadata=ONCE)
    async def id(self, info: CtxInfo) -> int | None:
        p = await self.profile(info)
        return p.id if p else None

    @strawberry.field(description=doc(Profile, "full_name"), metadata=ONCE)
    async def full_name(self, info: CtxInfo) -> str | None:
        p = await self.profile(info)
        return p.full_name if p else None

    @strawberry.field(description=doc(Profile, "time_zone"), metadata=ONCE)
    async def time_zone(self, info: CtxInfo) -> str | None:
        p = await self.profile(info)
        return p.time_zone if p else None

    @strawberry.field(description=doc(Profile, "photo_url"), metadata=ONCE)
    async def photo_url(self, info: CtxInfo) -> str | None:
        p = await self.profile(info)
        return p.photo_url if p else None

    @strawberry.field(description=doc(Profile, "active"), metadata=ONCE)
    async def active(self, info: CtxInfo) -> bool | None:
        p = await self.profile(info)
        return p.active if p else None

    @strawberry.field(description=doc(Profile, "god"), metadata=ONCE)
    async def god(self, info: CtxInfo) -> bool | None:
        p = await self.profile(info)
        return p.god if p else None

    @strawberry.field(description=doc(Profile, "contacts"), metadata=ONCE)
    async def contacts(self, info: CtxInfo) -> OncallContacts | None:
        p = await self.profile(info)
        return shown_as(OncallContacts)(p.contacts) if p else None

    # -- what they belong to and are sent ----------------------------------------------------

    @strawberry.field(
        description="The active teams they belong to, by name (`GET /team_users` and "
        "`GET /teams`, once for every user in the request).",
        metadata=upstream("request", 2, identity=False),
    )
    async def teams(self, info: CtxInfo) -> list[TeamRef] | None:
        found = await people_r.list_teams_of_user(info.context, self.name)
        return [teams_t.OncallTeam.named(t) for t in found]

    @strawberry.field(
        description="Their notification settings, by id (`GET /users/{name}/notifications`).",
        metadata=PER_PARENT,
    )
    async def notifications(self, info: CtxInfo) -> list[OncallNotificationSetting] | None:
        found = await people_r.list_notifications(info.context, self.name)
        return [shown_as(OncallNotificationSetting)(n) for n in found]

    @strawberry.field(
        description="Their shifts starting after now, by start (`GET /users/{name}/upcoming`).",
        metadata=PER_PARENT,
    )
    async def upcoming(
        self, info: CtxInfo, limit: Limit = None, role: RoleFilter = None
    ) -> list[UpcomingRef] | None:
        found = await people_r.list_upcoming(info.context, self.name, limit=limit, role=role)
        return [shown_as(events_t.OncallUpcomingShift)(e) for e in found]


@strawberry.experimental.pydantic.type(
    model=oncall.NotificationSetting,
    description="One of a user's notification settings: which of a team's events reach them, "
    "and how.",
)
class OncallNotificationSetting:
    id: strawberry.auto
    roles: strawberry.auto
    mode: strawberry.auto
    type: strawberry.auto
    time_before: strawberry.auto
    only_if_involved: strawberry.auto

    @strawberry.field(description="The team whose events it is about.")
    def team(root: oncall.NotificationSetting) -> TeamRef:
        return teams_t.OncallTeam.named(root.team)


@strawberry.experimental.pydantic.type(
    model=oncall.NotificationType,
    all_fields=True,
    description="A kind of notification a user can ask for.",
)
class OncallNotificationType:
    pass
