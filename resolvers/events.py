"""On-call shifts (oncall events), joined to unified people and teams.

Every shift query goes through one range loader: all events overlapping a window, across all
teams, in one `GET /events?start__lt=…&end__gt=…` call; filters apply here. So a query that
asks for the shifts of fifty people costs one upstream request, not fifty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from resolvers.common import day_bounds, numeric_id
from resolvers.context import Context
from resolvers.directory import id_in
from resolvers.identity import Identity

if TYPE_CHECKING:
    from resolvers.backends import oncall


# Not frozen, like every record built per item of an answer (resolvers/worklogs.py).
@dataclass(slots=True)
class ShiftRecord:
    event: oncall.Event
    person: Identity | None
    team: Identity | None


async def _window(ctx: Context, start: datetime, end: datetime) -> list[ShiftRecord]:
    """Every shift overlapping [start, end), linked to people and teams once per request,
    by start, then id: oncall groups unfiltered events by team, an order no client wants."""

    async def build() -> list[ShiftRecord]:
        directory = await ctx.directory()
        events = await ctx.loaders.oncall_events.load((start, end))
        return [
            ShiftRecord(e, directory.person("oncall", e.user), directory.team("oncall", e.team))
            for e in sorted(events, key=lambda e: (e.start, e.id))
        ]

    return await ctx.memo(("shifts", start, end), build)


async def list_events(
    ctx: Context,
    from_: date,
    to: date,
    *,
    team: Identity | None = None,
    user: Identity | None = None,
    role: str | None = None,
) -> list[ShiftRecord]:
    start, end = day_bounds(from_, to)
    shifts = await _window(ctx, start, end)
    return [
        s
        for s in shifts
        if (team is None or s.team is team)
        and (user is None or s.person is user)
        and (role is None or s.event.role == role)
    ]


async def list_oncall_now(ctx: Context, team: Identity) -> list[ShiftRecord]:
    """Who is on call for `team` at this moment: one call for every team in the query."""
    if await id_in(ctx, team, "oncall") is None:
        return []
    now = ctx.clock().replace(microsecond=0)
    return [s for s in await _window(ctx, now, now) if s.team is team]


async def get_event(ctx: Context, key: str) -> ShiftRecord | None:
    """One shift by its oncall event id (for `node(id:)`)."""
    ident = numeric_id(key)
    if ident is None:
        return None
    event = await ctx.backends.require("oncall").get_event(ident)
    if event is None:
        return None
    directory = await ctx.directory()
    return ShiftRecord(
        event, directory.person("oncall", event.user), directory.team("oncall", event.team)
    )
