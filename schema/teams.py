"""`Team`: one team, linked across every service that knows it, with its memberships and
oncall rosters."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import events as events_r
from resolvers import meetings as meetings_r
from resolvers import teams as teams_r
from resolvers import worklogs as worklogs_r
from resolvers.backends.errors import Service as ServiceName
from resolvers.identity import Identity
from schema import activity, users
from schema.common import Account, CtxInfo, From, Node, To, accounts_of
from schema.cost import upstream
from schema.ids import encode_id
from schema.scalars import MeetingKind, Service, kind_name, service_name, service_of

if TYPE_CHECKING:
    from schema.activity import Event, Meeting, Worklog
    from schema.services.hack24 import Hack24Team
    from schema.services.oncall import OncallTeam
    from schema.services.teamoclock import TeamOclockTeam
    from schema.services.tempo import TempoTeam
    from schema.users import User

_TEAM_NAME_ORDER: tuple[ServiceName, ...] = ("teamoclock", "tempo", "hack24", "oncall")

UserRef = Annotated["User", strawberry.lazy("schema.users")]
ServiceFilter = Annotated[
    Service | None, strawberry.argument(description="Only this service's; all when left out.")
]


@strawberry.type(description="One person's membership of a team in one service.")
class Membership:
    record: strawberry.Private[teams_r.MembershipRecord]

    @strawberry.field(description="The service this membership is in.")
    def service(self) -> Service:
        return service_of(self.record.service)

    @strawberry.field(description="Tempo role, Team O'clock org role, oncall admin/member.")
    def role(self) -> str | None:
        return self.record.role

    @strawberry.field(description="Tempo commitment, in percent.")
    def commitment_percent(self) -> int | None:
        return self.record.commitment_percent

    @strawberry.field(name="from", description="Tempo membership start; Hack24 join date.")
    def from_(self) -> date | None:
        return self.record.from_

    @strawberry.field(description="Tempo membership end.")
    def to(self) -> date | None:
        return self.record.to

    @strawberry.field(description="The member's id in that service.")
    def account_id(self) -> str:
        return self.record.account_id

    # Built with the membership (`Membership.of`), which is kept while its upstream answer is
    # the same (Directory.derived): not a User made again per membership on every query.
    member: strawberry.Private[users.User | None]

    @strawberry.field(description="The member, linked across services (null if unknown).")
    def user(self) -> UserRef | None:
        return self.member

    @classmethod
    def of(cls, record: teams_r.MembershipRecord) -> Membership:
        person = record.person
        return cls(record=record, member=users.User.of(person) if person else None)


@strawberry.type(description="An oncall roster member.")
class RosterMember:
    username: str = strawberry.field(description="The oncall username.")
    in_rotation: bool = strawberry.field(description="Whether schedules may pick them now.")
    user: UserRef | None = strawberry.field(description="The member, linked across services.")


@strawberry.type(description="An oncall roster: the pool its schedules draw from.")
class Roster:
    name: str = strawberry.field(description="The roster's name, unique in its team.")
    members: list[RosterMember] = strawberry.field(description="Its members, by user id.")


@strawberry.type(description="A team, linked across every service that knows it.")
class Team(Node):
    record: strawberry.Private[Identity]

    @classmethod
    def of(cls, identity: Identity) -> Team:
        return cls(id=encode_id("Team", identity.key), record=identity)

    @strawberry.field(description="Stable key: the configured key, else the slug.")
    def key(self) -> str:
        return self.record.key

    @strawberry.field(description="Display name, from the first service that has one.")
    def name(self) -> str:
        return self.record.first("name", _TEAM_NAME_ORDER) or self.record.key

    @strawberry.field(description="Every service that knows this team, and its id there.")
    def accounts(self) -> list[Account]:
        return accounts_of(self.record)

    @strawberry.field(description="Summary, from Tempo.", metadata=upstream("request", 0))
    async def summary(self, info: CtxInfo) -> str | None:
        team = await teams_r.get_tempo_team(info.context, self.record)
        return team.summary if team else None

    @strawberry.field(description="Team lead, from Tempo.", metadata=upstream("request", 0))
    async def lead(self, info: CtxInfo) -> UserRef | None:
        team = await teams_r.get_tempo_team(info.context, self.record)
        if team is None or team.lead is None:
            return None
        person = (await info.context.directory()).person("tempo", team.lead.account_id)
        return users.User.of(person) if person else None

    @strawberry.field(description="Team email, from oncall.", metadata=upstream("parent"))
    async def email(self, info: CtxInfo) -> str | None:
        team = await teams_r.get_oncall_team(info.context, self.record)
        return team.email if team else None

    @strawberry.field(description="Slack channel, from oncall.", metadata=upstream("parent"))
    async def slack_channel(self, info: CtxInfo) -> str | None:
        team = await teams_r.get_oncall_team(info.context, self.record)
        return team.slack_channel if team else None

    @strawberry.field(description="Scheduling time zone, from oncall.", metadata=upstream("parent"))
    async def scheduling_timezone(self, info: CtxInfo) -> str | None:
        team = await teams_r.get_oncall_team(info.context, self.record)
        return team.scheduling_timezone if team else None

    @strawberry.field(
        description="Names of the services this team is on call for, from oncall.",
        metadata=upstream("parent"),
    )
    async def services(self, info: CtxInfo) -> list[str] | None:
        team = await teams_r.get_oncall_team(info.context, self.record)
        return list(team.services) if team else []

    @strawberry.field(
        description="Memberships in one service, or all: Tempo role, commitment and period; "
        "Team O'clock role; Hack24 join date; oncall admin or member.",
        metadata=upstream("parent", 2),
    )
    async def memberships(
        self, info: CtxInfo, service: ServiceFilter = None
    ) -> list[Membership] | None:
        records = await teams_r.list_memberships(info.context, self.record, service_name(service))
        shown = await info.context.directory()  # the same records again: the same objects
        return shown.derived(
            ("Membership", self.record.key, service),
            records,
            lambda: [Membership.of(r) for r in records],
        )

    @strawberry.field(
        description="Everyone in this team in any service, once each, by name.",
        metadata=upstream("parent", 2),
    )
    async def members(self, info: CtxInfo) -> list[UserRef] | None:
        found = await teams_r.list_members(info.context, self.record)
        return [users.User.of(p) for p in found]

    @strawberry.field(description="oncall rosters.", metadata=upstream("parent"))
    async def rosters(self, info: CtxInfo) -> list[Roster] | None:
        records = await teams_r.list_rosters(info.context, self.record)

        def build() -> list[Roster]:
            return [
                Roster(
                    name=r.name,
                    members=[
                        RosterMember(
                            username=m.username,
                            in_rotation=m.in_rotation,
                            user=users.User.of(m.person) if m.person else None,
                        )
                        for m in r.members
                    ],
                )
                for r in records
            ]

        shown = await info.context.directory()  # the same records again: the same objects
        return shown.derived(("Roster", self.record.key), records, build)

    @strawberry.field(
        description="Shifts active right now, from oncall.", metadata=upstream("request")
    )
    async def oncall_now(
        self, info: CtxInfo
    ) -> list[Annotated[Event, strawberry.lazy("schema.activity")]] | None:
        found = await events_r.list_oncall_now(info.context, self.record)
        return [activity.Event.of(r) for r in found]

    @strawberry.field(
        description="On-call shifts overlapping the range, by start.", metadata=upstream("request")
    )
    async def events(
        self, info: CtxInfo, from_: From, to: To
    ) -> list[Annotated[Event, strawberry.lazy("schema.activity")]] | None:
        records = await events_r.list_events(info.context, from_, to, team=self.record)
        return [activity.Event.of(r) for r in records]

    @strawberry.field(
        description="Worklogs of the team's members, by date.", metadata=upstream("parent", 2)
    )
    async def worklogs(
        self, info: CtxInfo, from_: From, to: To, service: ServiceFilter = None
    ) -> list[Annotated[Worklog, strawberry.lazy("schema.activity")]] | None:
        records = await worklogs_r.list_team_worklogs(
            info.context, self.record, from_, to, service=service_name(service)
        )
        return [activity.Worklog.of(r) for r in records]

    @strawberry.field(description="Active Team O'clock meetings.", metadata=upstream("request", 3))
    async def meetings(
        self,
        info: CtxInfo,
        kind: Annotated[
            MeetingKind | None, strawberry.argument(description="Only meetings of this kind.")
        ] = None,
    ) -> list[Annotated[Meeting, strawberry.lazy("schema.activity")]] | None:
        records = await meetings_r.list_meetings(
            info.context, team=self.record, kind=kind_name(kind)
        )
        return [activity.Meeting.of(m) for m in records]

    # -- each service's own view of this team -----------------------------------------------

    @strawberry.field(description="This team in Tempo.", metadata=upstream("request", 0))
    async def tempo(
        self, info: CtxInfo
    ) -> Annotated[TempoTeam, strawberry.lazy("schema.services.tempo")] | None:
        from schema.services import tempo

        return await tempo.team_of(info, self.record)

    @strawberry.field(description="This team in oncall.", metadata=upstream("parent"))
    async def oncall(
        self, info: CtxInfo
    ) -> Annotated[OncallTeam, strawberry.lazy("schema.services.oncall")] | None:
        from schema.services import oncall

        return await oncall.team_of(info, self.record)

    @strawberry.field(description="This team in Team O'clock.", metadata=upstream("request", 0))
    async def teamoclock(
        self, info: CtxInfo
    ) -> Annotated[TeamOclockTeam, strawberry.lazy("schema.services.teamoclock")] | None:
        from schema.services import teamoclock

        return await teamoclock.team_of(info, self.record)

    @strawberry.field(description="This team in Hack24.", metadata=upstream("request", 0))
    async def hack24(
        self, info: CtxInfo
    ) -> Annotated[Hack24Team, strawberry.lazy("schema.services.hack24")] | None:
        from schema.services import hack24

        return await hack24.team_of(info, self.record)
