"""Meetings: Team O'clock standups, planning pokers and retrospectives.

Each kind's list endpoint, unfiltered, returns the active meetings of every team, so a query
touching any number of teams costs at most three calls (one per kind it asks for).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from resolvers.context import Context
from resolvers.directory import id_in
from resolvers.identity import Identity

KINDS = ("standup", "planpoker", "retro")


# Not frozen, like every record built per item of an answer (resolvers/worklogs.py).
@dataclass(slots=True)
class MeetingRecord:
    kind: str  # standup | planpoker | retro
    id: str
    name: str
    date: datetime
    url: str | None
    team: Identity | None
    team_slug: str


async def list_meetings(
    ctx: Context, *, team: Identity | None = None, kind: str | None = None
) -> list[MeetingRecord]:
    ctx.backends.require("teamoclock")
    if team is not None and await id_in(ctx, team, "teamoclock") is None:
        return []
    kinds = [k for k in KINDS if kind in (None, k)]
    directory = await ctx.directory()
    lists = await asyncio.gather(*(ctx.loaders.toc_meetings.load(k) for k in kinds))
    out = []
    for k, meetings in zip(kinds, lists, strict=True):
        for m in meetings:
            linked = directory.team("teamoclock", m.team.slug)
            if team is None or linked is team:
                out.append(MeetingRecord(k, m.id, m.name, m.date, m.url, linked, m.team.slug))
    out.sort(key=lambda m: (m.date, m.kind, m.id))
    return out


async def list_user_meetings(ctx: Context, teams: list[Identity]) -> list[MeetingRecord]:
    """The active meetings of the given teams (a person's teams)."""
    wanted = {t.key for t in teams}
    return [m for m in await list_meetings(ctx) if m.team is not None and m.team.key in wanted]
