"""oncall teams: `OncallTeam` (a team known by name), its summary and who is on call."""

from __future__ import annotations

import strawberry

from resolvers.backends import oncall
from resolvers.services import oncall as oncall_r
from schema import teams
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.services.oncall import catalog as catalog_t
from schema.services.oncall import rosters as rosters_t
from schema.services.oncall import users as users_t
from schema.services.oncall._shared import (
    LINK,
    PER_PARENT,
    ContactsRef,
    LinkedTeam,
    Role,
    RosterRef,
    ScheduleRef,
    ServiceRef,
    UserRef,
    doc,
)

Detail = oncall.TeamDetail


@strawberry.type(
    description="A team in LinkedIn oncall, known by its name. Its columns, members, admins, "
    "services, rosters and schedules come from the team's detail (`GET /teams/{name}`: one "
    "call per team, shared with the unified `Team` fields), and are null when oncall has no "
    "such active team."
)
class OncallTeam:
    name: str = strawberry.field(description=doc(Detail, "name"))

    @classmethod
    def named(cls, name: str) -> OncallTeam:
        return cls(name=name)

    async def detail(self, info: CtxInfo) -> oncall.TeamDetail | None:
        return await oncall_r.get_team(info.context, self.name)

    @strawberry.field(description="This team, linked across services.", metadata=LINK)
    async def team(self, info: CtxInfo) -> LinkedTeam | None:
        found = (await info.context.directory()).team("oncall", self.name)
        return teams.Team.of(found) if found else None

    # -- from the detail ---------------------------------------------------------------------

    @strawberry.field(description=doc(Detail, "id"), metadata=PER_PARENT)
    async def id(self, info: CtxInfo) -> int | None:
        d = await self.detail(info)
        return d.id if d else None

    @strawberry.field(description=doc(Detail, "email"), metadata=PER_PARENT)
    async def email(self, info: CtxInfo) -> str | None:
        d = await self.detail(info)
        return d.email if d else None

    @strawberry.field(description=doc(Detail, "slack_channel"), metadata=PER_PARENT)
    async def slack_channel(self, info: CtxInfo) -> str | None:
        d = await self.detail(info)
        return d.slack_channel if d else None

    @strawberry.field(description=doc(Detail, "slack_channel_notifications"), metadata=PER_PARENT)
    async def slack_channel_notifications(self, info: CtxInfo) -> str | None:
        d = await self.detail(info)
        return d.slack_channel_notifications if d else None

    @strawberry.field(description=doc(Detail, "scheduling_timezone"), metadata=PER_PARENT)
    async def scheduling_timezone(self, info: CtxInfo) -> str | None:
        d = await self.detail(info)
        return d.scheduling_timezone if d else None

    @strawberry.field(description=doc(Detail, "description"), metadata=PER_PARENT)
    async def description(self, info: CtxInfo) -> str | None:
        d = await self.detail(info)
        return d.description if d else None

    @strawberry.field(description=doc(Detail, "iris_plan"), metadata=PER_PARENT)
    async def iris_plan(self, info: CtxInfo) -> str | None:
        d = await self.detail(info)
        return d.iris_plan if d else None

    @strawberry.field(description=doc(Detail, "iris_enabled"), metadata=PER_PARENT)
    async def iris_enabled(self, info: CtxInfo) -> bool | None:
        d = await self.detail(info)
        return d.iris_enabled if d else None

    @strawberry.field(description=doc(Detail, "override_phone_number"), metadata=PER_PARENT)
    async def override_phone_number(self, info: CtxInfo) -> str | None:
        d = await self.detail(info)
        return d.override_phone_number if d else None

    @strawberry.field(description=doc(Detail, "api_managed_roster"), metadata=PER_PARENT)
    async def api_managed_roster(self, info: CtxInfo) -> bool | None:
        d = await self.detail(info)
        return d.api_managed_roster if d else None

    @strawberry.field(
        description="Its members (admins and roster members), by user id, with their details.",
        metadata=PER_PARENT,
    )
    async def users(self, info: CtxInfo) -> list[UserRef] | None:
        d = await self.detail(info)
        if d is None:
            return None
        return [
            users_t.OncallUser.of(u) for u in sorted(d.users.get().values(), key=lambda u: u.id)
        ]

    @strawberry.field(description="Its admins, by username.", metadata=PER_PARENT)
    async def admins(self, info: CtxInfo) -> list[UserRef] | None:
        d = await self.detail(info)
        return [users_t.OncallUser.named(n) for n in sorted(d.admins)] if d else None

    @strawberry.field(description="The services it is on call for, by name.", metadata=PER_PARENT)
    async def services(self, info: CtxInfo) -> list[ServiceRef] | None:
        d = await self.detail(info)
        return [catalog_t.OncallService.named(s) for s in sorted(d.services)] if d else None

    @strawberry.field(
        description="Its rosters, by name, with their members and schedules.",
        metadata=PER_PARENT,
    )
    async def rosters(self, info: CtxInfo) -> list[RosterRef] | None:
        d = await self.detail(info)
        if d is None:
            return None
        return [
            shown_as(rosters_t.OncallRoster)(r) for r in sorted(d.rosters, key=lambda r: r.name)
        ]

    @strawberry.field(description="The schedules of all its rosters, by id.", metadata=PER_PARENT)
    async def schedules(self, info: CtxInfo) -> list[ScheduleRef] | None:
        d = await self.detail(info)
        if d is None:
            return None
        found = {s.id: s for r in d.rosters for s in r.schedules.get()}
        return [shown_as(rosters_t.OncallSchedule)(found[i]) for i in sorted(found)]

    # -- endpoints of their own --------------------------------------------------------------

    @strawberry.field(
        description="The shifts running now and the next of each role "
        "(`GET /teams/{name}/summary`); null when oncall has no such team.",
        metadata=PER_PARENT,
    )
    async def summary(self, info: CtxInfo) -> OncallTeamSummary | None:
        found = await oncall_r.get_team_summary(info.context, self.name)
        return shown_as(OncallTeamSummary)(found) if found else None

    @strawberry.field(
        description="Who is on call for it now in one role, with contacts, by start "
        "(`GET /teams/{name}/oncall/{role}`).",
        metadata=PER_PARENT,
    )
    async def oncall_now(self, info: CtxInfo, role: Role) -> list[OncallShift] | None:
        found = await oncall_r.list_team_oncall(info.context, self.name, role)
        return [shown_as(OncallShift)(e) for e in found]


@strawberry.experimental.pydantic.type(
    model=oncall.OncallEntry,
    description="Someone on call now, with where to reach them.",
)
class OncallShift:
    full_name: strawberry.auto
    start: strawberry.auto
    end: strawberry.auto
    role: strawberry.auto

    @strawberry.field(
        description="Who is on call; null when the server answered in the 2017 docs' shape "
        "(a full name only)."
    )
    def user(root: oncall.OncallEntry) -> UserRef | None:
        return users_t.OncallUser.named(root.user) if root.user else None

    @strawberry.field(description="The team whose shift it is.")
    def team(root: oncall.OncallEntry) -> OncallTeam | None:
        return OncallTeam.named(root.team) if root.team else None

    @strawberry.field(description=doc(oncall.OncallEntry, "contacts"))
    def contacts(root: oncall.OncallEntry) -> ContactsRef:
        return shown_as(users_t.OncallContacts)(root.contacts)


@strawberry.experimental.pydantic.type(
    model=oncall.SummaryEntry,
    description="A shift in a team's summary.",
)
class OncallSummaryEntry:
    user_id: strawberry.auto
    full_name: strawberry.auto
    photo_url: strawberry.auto
    start: strawberry.auto
    end: strawberry.auto
    role: strawberry.auto

    @strawberry.field(
        description="Who is on call; null from a 2017-docs server, whose summary names them "
        "by `userId` only."
    )
    def user(root: oncall.SummaryEntry) -> UserRef | None:
        return users_t.OncallUser.named(root.user) if root.user else None

    @strawberry.field(description=doc(oncall.SummaryEntry, "contacts"))
    def contacts(root: oncall.SummaryEntry) -> ContactsRef:
        return shown_as(users_t.OncallContacts)(root.contacts)


def _entries(by_role: dict[str, list[oncall.SummaryEntry]]) -> list[OncallSummaryEntry]:
    found = [e for entries in by_role.values() for e in entries]
    found.sort(key=lambda e: (e.role, e.start, e.user_id or 0, e.user or ""))
    return [shown_as(OncallSummaryEntry)(e) for e in found]


@strawberry.type(
    description="A team's shifts: those running now and the next of each role.",
)
class OncallTeamSummary:
    @strawberry.field(description="The shifts running now, by role, then start.")
    def current(root: oncall.TeamSummary) -> list[OncallSummaryEntry]:
        return _entries(root.current)

    @strawberry.field(description="The next shift of each role, by role, then start.")
    def next(root: oncall.TeamSummary) -> list[OncallSummaryEntry]:
        return _entries(root.next)
