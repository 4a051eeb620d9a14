"""The root Query: thin fields, each calling one resolvers function and mapping."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import events as events_r
from resolvers import meetings as meetings_r
from resolvers import teams as teams_r
from resolvers import users as users_r
from resolvers import worklogs as worklogs_r
from resolvers.backends.errors import BadRequest
from resolvers.context import Context
from resolvers.identity import Identity
from schema.cost import upstream
from schema.identity_report import IdentityReport, get_identity_report
from schema.ids import decode_id
from schema.scalars import MeetingKind, Service, kind_name, service_name
from schema.services.hack24 import Hack24Query
from schema.services.oncall import OncallQuery
from schema.services.teamoclock import TeamOclockQuery
from schema.services.teampulse import TeamPulseQuery
from schema.services.tempo import TempoQuery
from schema.types import CtxInfo, Event, From, Meeting, Node, Team, To, User, Worklog

TeamKey = Annotated[str, strawberry.argument(description="A key, slug, id or name.")]
UserKey = Annotated[str, strawberry.argument(description="A key, email or username.")]
TeamFilter = Annotated[
    str | None, strawberry.argument(description="Only this team's (a key, slug or name).")
]
UserFilter = Annotated[
    str | None, strawberry.argument(description="Only this person's (a key, email or username).")
]

_HINTS = {
    "team": "a key, slug or name from `teams`",
    "user": "a key, email or username from `users`",
}


async def _named(ctx: Context, what: str, key: str | None) -> Identity | None:
    """The team or user a filter argument names; None when the argument is absent."""
    if key is None:
        return None
    directory = await ctx.directory()
    found = directory.find_team(key) if what == "team" else directory.find_person(key)
    if found is None:
        raise BadRequest(f"no {what} {key!r}; use {_HINTS[what]}")
    return found


async def _node(ctx: Context, type_name: str, key: str) -> Node | None:
    if type_name == "Team":
        team = await teams_r.get_team(ctx, key)
        return Team.of(team) if team else None
    if type_name == "User":
        person = (await ctx.directory()).person("key", key)
        return User.of(person) if person else None
    if type_name == "Event":
        shift = await events_r.get_event(ctx, key)
        return Event.of(shift) if shift else None
    if type_name == "Worklog":
        service, _, ident = key.partition(":")
        worklog = await worklogs_r.get_worklog(ctx, service, ident)
        return Worklog.of(worklog) if worklog else None
    if type_name == "Meeting":
        kind, _, ident = key.partition(":")
        for meeting in await meetings_r.list_meetings(ctx, kind=kind):
            if meeting.id == ident:
                return Meeting.of(meeting)
        return None
    raise BadRequest(f"ids of type {type_name!r} do not exist here")


@strawberry.type(description="Everything Teamgraph answers: the unified graph, and each API.")
class Query:
    @strawberry.field(description="Any object by its global id.", metadata=upstream("request"))
    async def node(
        self,
        info: CtxInfo,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global `id`.")],
    ) -> Node | None:
        type_name, key = decode_id(id)
        return await _node(info.context, type_name, key)

    @strawberry.field(
        description="One team by key, any service's slug or id, or name.",
        metadata=upstream("request", 0),
    )
    async def team(self, info: CtxInfo, key: TeamKey) -> Team | None:
        team = await teams_r.get_team(info.context, key)
        return Team.of(team) if team else None

    @strawberry.field(
        description="Every team any service knows, linked across services, by key.",
        metadata=upstream("request", 0),
    )
    async def teams(self, info: CtxInfo) -> list[Team]:
        return [Team.of(t) for t in await teams_r.list_teams(info.context)]

    @strawberry.field(
        description="One person by key, email or username (case-insensitive).",
        metadata=upstream("request", 0),
    )
    async def user(self, info: CtxInfo, key: UserKey) -> User | None:
        person = await users_r.get_user(info.context, key)
        return User.of(person) if person else None

    @strawberry.field(
        description="Every person any service knows, linked across services, by key.",
        metadata=upstream("request", 0),
    )
    async def users(self, info: CtxInfo) -> list[User]:
        return [User.of(p) for p in await users_r.list_users(info.context)]

    @strawberry.field(
        description="On-call shifts overlapping the range, optionally filtered, by start.",
        metadata=upstream("request"),
    )
    async def events(
        self,
        info: CtxInfo,
        from_: From,
        to: To,
        team: TeamFilter = None,
        user: UserFilter = None,
        role: Annotated[
            str | None, strawberry.argument(description="Only this role (primary, …).")
        ] = None,
    ) -> list[Event] | None:
        ctx = info.context
        team_id, person = await _named(ctx, "team", team), await _named(ctx, "user", user)
        records = await events_r.list_events(ctx, from_, to, team=team_id, user=person, role=role)
        return [Event.of(r) for r in records]

    @strawberry.field(
        description="Worklogs in the range, optionally by team, user, service; by date.",
        metadata=upstream("request", 2),
    )
    async def worklogs(
        self,
        info: CtxInfo,
        from_: From,
        to: To,
        team: TeamFilter = None,
        user: UserFilter = None,
        service: Annotated[
            Service | None, strawberry.argument(description="Only this service's worklogs.")
        ] = None,
    ) -> list[Worklog] | None:
        ctx = info.context
        svc = service_name(service)
        team_id, person = await _named(ctx, "team", team), await _named(ctx, "user", user)
        if team_id is not None:
            records = await worklogs_r.list_team_worklogs(ctx, team_id, from_, to, service=svc)
        else:
            records = await worklogs_r.list_worklogs(ctx, from_, to, service=svc)
        if person is not None:
            records = [r for r in records if r.person is person]
        return [Worklog.of(r) for r in records]

    @strawberry.field(
        description="Active Team O'clock meetings, optionally by team and kind.",
        metadata=upstream("request", 3),
    )
    async def meetings(
        self,
        info: CtxInfo,
        team: TeamFilter = None,
        kind: Annotated[
            MeetingKind | None, strawberry.argument(description="Only meetings of this kind.")
        ] = None,
    ) -> list[Meeting] | None:
        ctx = info.context
        records = await meetings_r.list_meetings(
            ctx, team=await _named(ctx, "team", team), kind=kind_name(kind)
        )
        return [Meeting.of(m) for m in records]

    @strawberry.field(
        description="For operators: how people and teams link across the services, and the "
        "config that would resolve each ambiguity (`teamgraph identity` as GraphQL). Only "
        "with `[server] operator_fields = true`; else FORBIDDEN.",
        metadata=upstream("request", 0),
    )
    async def identity_report(self, info: CtxInfo) -> IdentityReport | None:
        return await get_identity_report(info.context)

    # -- each API's own surface ------------------------------------------------------------

    @strawberry.field(description="Tempo REST API v3: every read, linked into the unified graph.")
    def tempo(self) -> TempoQuery:
        return TempoQuery()

    @strawberry.field(description="LinkedIn oncall: every read, linked into the unified graph.")
    def oncall(self) -> OncallQuery:
        return OncallQuery()

    @strawberry.field(description="Team O'clock API v2: every read, linked into the unified graph.")
    def teamoclock(self) -> TeamOclockQuery:
        return TeamOclockQuery()

    @strawberry.field(description="TeamPulse: every read, linked into the unified graph.")
    def teampulse(self) -> TeamPulseQuery:
        return TeamPulseQuery()

    @strawberry.field(description="Hack24 (JSON:API): every read, linked into the unified graph.")
    def hack24(self) -> Hack24Query:
        return Hack24Query()
