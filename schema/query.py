"""The root Query: thin fields, each calling one resolvers function and mapping."""

from __future__ import annotations

import strawberry

from resolvers import events as events_r
from resolvers import meetings as meetings_r
from resolvers import teams as teams_r
from resolvers import users as users_r
from resolvers import worklogs as worklogs_r
from resolvers.backends.errors import BadRequest
from resolvers.context import Context
from resolvers.identity import Identity
from schema.ids import decode_id
from schema.scalars import MeetingKind, Service, service_name
from schema.types import CtxInfo, Event, From, Meeting, Node, Team, To, User, Worklog

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


@strawberry.type
class Query:
    @strawberry.field(description="Any object by its global id.")
    async def node(self, info: CtxInfo, id: strawberry.ID) -> Node | None:
        type_name, key = decode_id(id)
        return await _node(info.context, type_name, key)

    @strawberry.field(description="One team by key, any service's slug or id, or name.")
    async def team(self, info: CtxInfo, key: str) -> Team | None:
        team = await teams_r.get_team(info.context, key)
        return Team.of(team) if team else None

    @strawberry.field(description="Every team any service knows, linked across services.")
    async def teams(self, info: CtxInfo) -> list[Team]:
        return [Team.of(t) for t in await teams_r.list_teams(info.context)]

    @strawberry.field(description="One person by key, email or username (case-insensitive).")
    async def user(self, info: CtxInfo, key: str) -> User | None:
        person = await users_r.get_user(info.context, key)
        return User.of(person) if person else None

    @strawberry.field(description="Every person any service knows, linked across services.")
    async def users(self, info: CtxInfo) -> list[User]:
        return [User.of(p) for p in await users_r.list_users(info.context)]

    @strawberry.field(description="On-call shifts overlapping the range, optionally filtered.")
    async def events(
        self,
        info: CtxInfo,
        from_: From,
        to: To,
        team: str | None = None,
        user: str | None = None,
        role: str | None = None,
    ) -> list[Event] | None:
        ctx = info.context
        team_id, person = await _named(ctx, "team", team), await _named(ctx, "user", user)
        records = await events_r.list_events(ctx, from_, to, team=team_id, user=person, role=role)
        return [Event.of(r) for r in records]

    @strawberry.field(description="Worklogs in the range, optionally by team, user, service.")
    async def worklogs(
        self,
        info: CtxInfo,
        from_: From,
        to: To,
        team: str | None = None,
        user: str | None = None,
        service: Service | None = None,
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

    @strawberry.field(description="Active Team O'clock meetings, optionally by team and kind.")
    async def meetings(
        self, info: CtxInfo, team: str | None = None, kind: MeetingKind | None = None
    ) -> list[Meeting] | None:
        ctx = info.context
        records = await meetings_r.list_meetings(
            ctx, team=await _named(ctx, "team", team), kind=kind.value if kind else None
        )
        return [Meeting.of(m) for m in records]
