"""`User`: one person, linked across every service that knows them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import events as events_r
from resolvers import meetings as meetings_r
from resolvers import users as users_r
from resolvers import worklogs as worklogs_r
from resolvers.identity import Identity
from schema import activity, teams
from schema.common import Account, CtxInfo, From, Node, To, accounts_of
from schema.cost import upstream
from schema.ids import encode_id
from schema.scalars import Service, service_name

if TYPE_CHECKING:
    from schema.activity import Event, Meeting, Worklog
    from schema.services.hack24 import Hack24User
    from schema.services.oncall import OncallUser
    from schema.services.teamoclock import TeamOclockMember
    from schema.services.teampulse import TeamPulseUser
    from schema.services.tempo import TempoUser
    from schema.teams import Team


@strawberry.type(description="Contact points, from oncall.")
class Contacts:
    email: str | None = strawberry.field(description="Email address.")
    sms: str | None = strawberry.field(description="Number for text messages.")
    call: str | None = strawberry.field(description="Number for calls.")
    slack: str | None = strawberry.field(description="Slack (or other chat) handle.")


@strawberry.type(description="A person, linked across every service that knows them.")
class User(Node):
    record: strawberry.Private[Identity]

    @classmethod
    def of(cls, identity: Identity) -> User:
        return cls(id=encode_id("User", identity.key), record=identity)

    @strawberry.field(description="Stable key: the configured key, else the username.")
    def key(self) -> str:
        return self.record.key

    @strawberry.field(description="Display name, from the first service that has one.")
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="Email address, where a service shows one.")
    def email(self) -> str | None:
        return self.record.email

    @strawberry.field(description="Username, where a service has one (oncall, Team O'clock…).")
    def username(self) -> str | None:
        return self.record.username

    @strawberry.field(description="Every service that knows this person, and their id there.")
    def accounts(self) -> list[Account]:
        return accounts_of(self.record)

    @strawberry.field(description="The rules that linked the accounts: config, email, …")
    def linked_by(self) -> list[str]:
        return sorted(self.record.linked_by)

    @strawberry.field(description="Time zone, from oncall.", metadata=upstream("request"))
    async def time_zone(self, info: CtxInfo) -> str | None:
        user = await users_r.get_oncall_user(info.context, self.record)
        return user.time_zone if user else None

    @strawberry.field(description="Photo URL, from oncall.", metadata=upstream("request"))
    async def photo_url(self, info: CtxInfo) -> str | None:
        user = await users_r.get_oncall_user(info.context, self.record)
        return user.photo_url if user else None

    @strawberry.field(description="Contact points, from oncall.", metadata=upstream("request"))
    async def contacts(self, info: CtxInfo) -> Contacts | None:
        user = await users_r.get_oncall_user(info.context, self.record)
        if user is None:
            return None
        c = user.contacts
        return Contacts(email=c.email, sms=c.sms, call=c.call, slack=c.slack or c.im)

    @strawberry.field(
        description="Organisation role in Team O'clock.", metadata=upstream("request")
    )
    async def teamoclock_role(self, info: CtxInfo) -> str | None:
        member = await users_r.get_teamoclock_member(info.context, self.record)
        return member.role if member else None

    @strawberry.field(
        description="The teams this person is in, in any service.",
        metadata=upstream("request", 2),
    )
    async def teams(
        self, info: CtxInfo
    ) -> list[Annotated[Team, strawberry.lazy("schema.teams")]] | None:
        found = await users_r.list_user_teams(info.context, self.record)
        return [teams.Team.of(t) for t in found]

    @strawberry.field(
        description="Tempo worklogs and TeamPulse time entries, by date.",
        metadata=upstream("request", 2),
    )
    async def worklogs(
        self,
        info: CtxInfo,
        from_: From,
        to: To,
        service: Annotated[
            Service | None, strawberry.argument(description="Only this service's worklogs.")
        ] = None,
    ) -> list[Annotated[Worklog, strawberry.lazy("schema.activity")]] | None:
        records = await worklogs_r.list_worklogs(
            info.context, from_, to, service=service_name(service), people=[self.record]
        )
        return [activity.Worklog.of(r) for r in records]

    @strawberry.field(
        description="On-call shifts overlapping the range, by start.", metadata=upstream("request")
    )
    async def shifts(
        self, info: CtxInfo, from_: From, to: To
    ) -> list[Annotated[Event, strawberry.lazy("schema.activity")]] | None:
        records = await events_r.list_events(info.context, from_, to, user=self.record)
        return [activity.Event.of(r) for r in records]

    @strawberry.field(
        description="Active meetings of this person's teams.", metadata=upstream("request", 5)
    )
    async def meetings(
        self, info: CtxInfo
    ) -> list[Annotated[Meeting, strawberry.lazy("schema.activity")]] | None:
        mine = await users_r.list_user_teams(info.context, self.record)
        found = await meetings_r.list_user_meetings(info.context, mine)
        return [activity.Meeting.of(m) for m in found]

    # -- each service's own view of this person ---------------------------------------------

    @strawberry.field(description="This person in Tempo.", metadata=upstream("request", 0))
    async def tempo(
        self, info: CtxInfo
    ) -> Annotated[TempoUser, strawberry.lazy("schema.services.tempo")] | None:
        from schema.services import tempo

        return await tempo.user_of(info, self.record)

    @strawberry.field(description="This person in oncall.", metadata=upstream("request"))
    async def oncall(
        self, info: CtxInfo
    ) -> Annotated[OncallUser, strawberry.lazy("schema.services.oncall")] | None:
        from schema.services import oncall

        return await oncall.user_of(info, self.record)

    @strawberry.field(description="This person in Team O'clock.", metadata=upstream("request"))
    async def teamoclock(
        self, info: CtxInfo
    ) -> Annotated[TeamOclockMember, strawberry.lazy("schema.services.teamoclock")] | None:
        from schema.services import teamoclock

        return await teamoclock.user_of(info, self.record)

    @strawberry.field(description="This person in TeamPulse.", metadata=upstream("request"))
    async def teampulse(
        self, info: CtxInfo
    ) -> Annotated[TeamPulseUser, strawberry.lazy("schema.services.teampulse")] | None:
        from schema.services import teampulse

        return await teampulse.user_of(info, self.record)

    @strawberry.field(description="This person in Hack24.", metadata=upstream("request"))
    async def hack24(
        self, info: CtxInfo
    ) -> Annotated[Hack24User, strawberry.lazy("schema.services.hack24")] | None:
        from schema.services import hack24

        return await hack24.user_of(info, self.record)
