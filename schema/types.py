"""The unified types: Team, User, Event, Worklog, Meeting, and what hangs off them.

Their graph is cyclic, so they share a module. Each type wraps a record from ``resolvers``
(kept as ``strawberry.Private``) and each field calls one resolvers function, then maps. A
field that needs another service than its parent is nullable, so it fails alone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import events as events_r
from resolvers import meetings as meetings_r
from resolvers import teams as teams_r
from resolvers import users as users_r
from resolvers import worklogs as worklogs_r
from resolvers.backends.errors import Service as ServiceName
from resolvers.context import Context
from resolvers.identity import Identity
from schema.ids import encode_id
from schema.scalars import MeetingKind, Service, service_name

CtxInfo = Info[Context, Any]
From = Annotated[date, strawberry.argument(name="from", description="First day, inclusive.")]
To = Annotated[date, strawberry.argument(description="Last day, inclusive.")]

_TEAM_NAME_ORDER: tuple[ServiceName, ...] = ("teamoclock", "tempo", "hack24", "oncall")


@strawberry.interface(description="An object with an opaque, globally unique id.")
class Node:
    id: strawberry.ID


@strawberry.type(description="How one service knows a person or team.")
class Account:
    service: Service
    id: str = strawberry.field(description="That service's own id (accountId, username, slug…).")
    name: str | None = strawberry.field(description="The name that service shows.")


def _accounts(identity: Identity) -> list[Account]:
    return [
        Account(service=Service(a.service), id=a.id, name=a.name)
        for a in sorted(identity.accounts.values(), key=lambda a: a.service)
    ]


@strawberry.type(description="Contact points, from oncall.")
class Contacts:
    email: str | None
    sms: str | None
    call: str | None
    slack: str | None


# -- people ----------------------------------------------------------------------------------


@strawberry.type(description="A person, linked across every service that knows them.")
class User(Node):
    record: strawberry.Private[Identity]

    @classmethod
    def of(cls, identity: Identity) -> User:
        return cls(id=encode_id("User", identity.key), record=identity)

    @strawberry.field(description="Stable key: the configured key, else the username.")
    def key(self) -> str:
        return self.record.key

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field
    def email(self) -> str | None:
        return self.record.email

    @strawberry.field
    def username(self) -> str | None:
        return self.record.username

    @strawberry.field(description="Every service that knows this person, and their id there.")
    def accounts(self) -> list[Account]:
        return _accounts(self.record)

    @strawberry.field(description="The rules that linked the accounts: config, email, …")
    def linked_by(self) -> list[str]:
        return sorted(self.record.linked_by)

    @strawberry.field(description="Time zone, from oncall.")
    async def time_zone(self, info: CtxInfo) -> str | None:
        user = await users_r.get_oncall_user(info.context, self.record)
        return user.time_zone if user else None

    @strawberry.field(description="Photo URL, from oncall.")
    async def photo_url(self, info: CtxInfo) -> str | None:
        user = await users_r.get_oncall_user(info.context, self.record)
        return user.photo_url if user else None

    @strawberry.field(description="Contact points, from oncall.")
    async def contacts(self, info: CtxInfo) -> Contacts | None:
        user = await users_r.get_oncall_user(info.context, self.record)
        if user is None:
            return None
        c = user.contacts
        return Contacts(email=c.email, sms=c.sms, call=c.call, slack=c.slack or c.im)

    @strawberry.field(description="Organisation role in Team O'clock.")
    async def teamoclock_role(self, info: CtxInfo) -> str | None:
        member = await users_r.get_teamoclock_member(info.context, self.record)
        return member.role if member else None

    @strawberry.field(description="The teams this person is in, in any service.")
    async def teams(self, info: CtxInfo) -> list[Team] | None:
        return [Team.of(t) for t in await users_r.list_user_teams(info.context, self.record)]

    @strawberry.field(description="Tempo worklogs and TeamPulse time entries.")
    async def worklogs(
        self, info: CtxInfo, from_: From, to: To, service: Service | None = None
    ) -> list[Worklog] | None:
        records = await worklogs_r.list_worklogs(
            info.context, from_, to, service=service_name(service),
            people=[self.record],
        )  # fmt: skip
        return [Worklog.of(r) for r in records]

    @strawberry.field(description="On-call shifts overlapping the range.")
    async def shifts(self, info: CtxInfo, from_: From, to: To) -> list[Event] | None:
        records = await events_r.list_events(info.context, from_, to, user=self.record)
        return [Event.of(r) for r in records]

    @strawberry.field(description="Active meetings of this person's teams.")
    async def meetings(self, info: CtxInfo) -> list[Meeting] | None:
        teams = await users_r.list_user_teams(info.context, self.record)
        return [Meeting.of(m) for m in await meetings_r.list_user_meetings(info.context, teams)]


# -- teams -----------------------------------------------------------------------------------


@strawberry.type(description="One person's membership of a team in one service.")
class Membership:
    record: strawberry.Private[teams_r.MembershipRecord]

    @strawberry.field
    def service(self) -> Service:
        return Service(self.record.service)

    @strawberry.field(description="Tempo role, Team O'clock org role, oncall admin/member.")
    def role(self) -> str | None:
        return self.record.role

    @strawberry.field(description="Tempo commitment.")
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

    @strawberry.field
    def user(self) -> User | None:
        return User.of(self.record.person) if self.record.person else None


@strawberry.type(description="An oncall roster member.")
class RosterMember:
    username: str = strawberry.field(description="The oncall username.")
    in_rotation: bool
    user: User | None


@strawberry.type(description="An oncall roster: the pool its schedules draw from.")
class Roster:
    name: str
    members: list[RosterMember]


@strawberry.type(description="A team, linked across every service that knows it.")
class Team(Node):
    record: strawberry.Private[Identity]

    @classmethod
    def of(cls, identity: Identity) -> Team:
        return cls(id=encode_id("Team", identity.key), record=identity)

    @strawberry.field(description="Stable key: the configured key, else the slug.")
    def key(self) -> str:
        return self.record.key

    @strawberry.field
    def name(self) -> str:
        return self.record.first("name", _TEAM_NAME_ORDER) or self.record.key

    @strawberry.field(description="Every service that knows this team, and its id there.")
    def accounts(self) -> list[Account]:
        return _accounts(self.record)

    @strawberry.field(description="Summary, from Tempo.")
    async def summary(self, info: CtxInfo) -> str | None:
        team = await teams_r.get_tempo_team(info.context, self.record)
        return team.summary if team else None

    @strawberry.field(description="Team lead, from Tempo.")
    async def lead(self, info: CtxInfo) -> User | None:
        team = await teams_r.get_tempo_team(info.context, self.record)
        if team is None or team.lead is None:
            return None
        person = (await info.context.directory()).person("tempo", team.lead.account_id)
        return User.of(person) if person else None

    @strawberry.field(description="Team email, from oncall.")
    async def email(self, info: CtxInfo) -> str | None:
        team = await teams_r.get_oncall_team(info.context, self.record)
        return team.email if team else None

    @strawberry.field(description="Slack channel, from oncall.")
    async def slack_channel(self, info: CtxInfo) -> str | None:
        team = await teams_r.get_oncall_team(info.context, self.record)
        return team.slack_channel if team else None

    @strawberry.field(description="Scheduling time zone, from oncall.")
    async def scheduling_timezone(self, info: CtxInfo) -> str | None:
        team = await teams_r.get_oncall_team(info.context, self.record)
        return team.scheduling_timezone if team else None

    @strawberry.field(description="Services this team is on call for, from oncall.")
    async def services(self, info: CtxInfo) -> list[str] | None:
        team = await teams_r.get_oncall_team(info.context, self.record)
        return list(team.services) if team else []

    @strawberry.field(
        description="Memberships in one service, or all: Tempo role, commitment and period; "
        "Team O'clock role; Hack24 join date; oncall admin or member."
    )
    async def memberships(
        self, info: CtxInfo, service: Service | None = None
    ) -> list[Membership] | None:
        records = await teams_r.list_memberships(info.context, self.record, service_name(service))
        return [Membership(record=r) for r in records]

    @strawberry.field(description="Everyone in this team in any service, once each.")
    async def members(self, info: CtxInfo) -> list[User] | None:
        return [User.of(p) for p in await teams_r.list_members(info.context, self.record)]

    @strawberry.field(description="oncall rosters.")
    async def rosters(self, info: CtxInfo) -> list[Roster] | None:
        return [
            Roster(
                name=r.name,
                members=[
                    RosterMember(
                        username=m.username,
                        in_rotation=m.in_rotation,
                        user=User.of(m.person) if m.person else None,
                    )
                    for m in r.members
                ],
            )
            for r in await teams_r.list_rosters(info.context, self.record)
        ]

    @strawberry.field(description="Shifts active right now, from oncall.")
    async def oncall_now(self, info: CtxInfo) -> list[Event] | None:
        return [Event.of(r) for r in await events_r.list_oncall_now(info.context, self.record)]

    @strawberry.field(description="On-call shifts overlapping the range.")
    async def events(self, info: CtxInfo, from_: From, to: To) -> list[Event] | None:
        records = await events_r.list_events(info.context, from_, to, team=self.record)
        return [Event.of(r) for r in records]

    @strawberry.field(description="Worklogs of the team's members.")
    async def worklogs(
        self, info: CtxInfo, from_: From, to: To, service: Service | None = None
    ) -> list[Worklog] | None:
        records = await worklogs_r.list_team_worklogs(
            info.context, self.record, from_, to, service=service_name(service)
        )
        return [Worklog.of(r) for r in records]

    @strawberry.field(description="Active Team O'clock meetings.")
    async def meetings(
        self, info: CtxInfo, kind: MeetingKind | None = None
    ) -> list[Meeting] | None:
        records = await meetings_r.list_meetings(
            info.context, team=self.record, kind=kind.value if kind else None
        )
        return [Meeting.of(m) for m in records]


# -- events, worklogs, meetings --------------------------------------------------------------


@strawberry.type(description="An on-call shift (an oncall event).")
class Event(Node):
    record: strawberry.Private[events_r.ShiftRecord]

    @classmethod
    def of(cls, record: events_r.ShiftRecord) -> Event:
        return cls(id=encode_id("Event", str(record.event.id)), record=record)

    @strawberry.field
    def role(self) -> str:
        return self.record.event.role

    @strawberry.field
    def start(self) -> datetime:
        return self.record.event.start

    @strawberry.field
    def end(self) -> datetime:
        return self.record.event.end

    @strawberry.field(description="The oncall username.")
    def username(self) -> str:
        return self.record.event.user

    @strawberry.field
    def note(self) -> str | None:
        return self.record.event.note

    @strawberry.field
    def user(self) -> User | None:
        return User.of(self.record.person) if self.record.person else None

    @strawberry.field
    def team(self) -> Team | None:
        return Team.of(self.record.team) if self.record.team else None


@strawberry.type(description="Time logged: a Tempo worklog or a TeamPulse time entry.")
class Worklog(Node):
    record: strawberry.Private[worklogs_r.WorklogRecord]

    @classmethod
    def of(cls, record: worklogs_r.WorklogRecord) -> Worklog:
        return cls(id=encode_id("Worklog", f"{record.service}:{record.id}"), record=record)

    @strawberry.field
    def service(self) -> Service:
        return Service(self.record.service)

    @strawberry.field
    def date(self) -> date:
        return self.record.date

    @strawberry.field
    def duration_seconds(self) -> int:
        return self.record.duration_seconds

    @strawberry.field
    def description(self) -> str:
        return self.record.description

    @strawberry.field(description="Jira issue key (Tempo).")
    def issue_key(self) -> str | None:
        return self.record.issue_key

    @strawberry.field(description="Billable seconds (Tempo).")
    def billable_seconds(self) -> int | None:
        return self.record.billable_seconds

    @strawberry.field(description="Task name (TeamPulse).")
    def task(self) -> str | None:
        return self.record.task

    @strawberry.field(description="Project name (TeamPulse).")
    def project(self) -> str | None:
        return self.record.project

    @strawberry.field(description="The author's id in that service.")
    def author_id(self) -> str:
        return self.record.author_id

    @strawberry.field
    def user(self) -> User | None:
        return User.of(self.record.person) if self.record.person else None


@strawberry.type(description="A Team O'clock standup, planning poker or retrospective.")
class Meeting(Node):
    record: strawberry.Private[meetings_r.MeetingRecord]

    @classmethod
    def of(cls, record: meetings_r.MeetingRecord) -> Meeting:
        return cls(id=encode_id("Meeting", f"{record.kind}:{record.id}"), record=record)

    @strawberry.field
    def kind(self) -> MeetingKind:
        return MeetingKind(self.record.kind)

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field
    def date(self) -> datetime:
        return self.record.date

    @strawberry.field(description="Web UI link.")
    def url(self) -> str | None:
        return self.record.url

    @strawberry.field
    def team(self) -> Team | None:
        return Team.of(self.record.team) if self.record.team else None
