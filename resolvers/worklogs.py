"""Worklogs: Tempo worklogs and TeamPulse time entries as one kind of record.

Both APIs list every author's entries for a date range in one paged call, so every worklog
field in a query (per user, per team, root) shares one range loader per service.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from resolvers.backends.errors import Service
from resolvers.common import check_range, numeric_id, or_partial
from resolvers.context import Context
from resolvers.identity import Identity
from resolvers.teams import list_members


# Not frozen, nor is any record built per item of an answer (memberships, roster members,
# shifts, meetings): a team query maps a thousand of these per request, and a frozen
# dataclass sets each of its 13 fields through object.__setattr__ (2 µs a record against
# 0.6; Q1's 284 membership and roster records were 4 % of its instructions). Nothing changes
# a record once mapped.
@dataclass(slots=True)
class WorklogRecord:
    service: Service
    id: str
    date: date
    duration_seconds: int
    description: str
    person: Identity | None
    author_id: str  # the author's id in that service
    issue_key: str | None = None  # Tempo: the Jira issue
    billable_seconds: int | None = None
    task: str | None = None  # TeamPulse: the task name
    project: str | None = None  # TeamPulse: the project name
    kind: str | None = None  # TeamPulse: Billable, Non-Billable, ...
    # The upstream model it was mapped from: the per-service views show it as it is.
    source: object = None


async def _tempo(ctx: Context, from_: date, to: date) -> list[WorklogRecord]:
    directory = await ctx.directory()
    return [
        WorklogRecord(
            "tempo",
            str(w.tempo_worklog_id),
            w.start_date,
            w.time_spent_seconds,
            w.description or "",
            directory.person("tempo", w.author.account_id),
            w.author.account_id,
            issue_key=w.issue_key,
            billable_seconds=w.billable_seconds,
            source=w,
        )
        for w in await ctx.loaders.tempo_worklogs.load((from_, to))
    ]


async def _teampulse(ctx: Context, from_: date, to: date) -> list[WorklogRecord]:
    directory = await ctx.directory()
    out = []
    for e in await ctx.loaders.teampulse_time_entries.load((from_, to)):
        task = e.task
        out.append(
            WorklogRecord(
                "teampulse",
                str(e.id),
                e.date,
                round(e.hours * 3600),
                e.note or "",
                directory.person("teampulse", str(e.user.id)),
                str(e.user.id),
                task=getattr(task, "name", None),
                project=getattr(getattr(task, "project", None), "name", None),
                kind=e.type or None,
                source=e,
            )
        )
    return out


_SOURCES: dict[Service, Callable[[Context, date, date], Awaitable[list[WorklogRecord]]]] = {
    "tempo": _tempo,
    "teampulse": _teampulse,
}


@dataclass(frozen=True, slots=True)
class _Indexed:
    records: list[WorklogRecord]
    by_person: dict[str, list[WorklogRecord]]


def _builder(
    ctx: Context, service: Service, from_: date, to: date
) -> Callable[[], Awaitable[_Indexed]]:
    async def build() -> _Indexed:
        records = await _SOURCES[service](ctx, from_, to)
        by_person: dict[str, list[WorklogRecord]] = {}
        for r in records:
            if r.person is not None:
                by_person.setdefault(r.person.key, []).append(r)
        return _Indexed(records, by_person)

    return build


async def _indexed(ctx: Context, service: Service, from_: date, to: date) -> _Indexed:
    """One service's worklogs in a range, mapped and indexed by person once per request."""
    return await ctx.memo(("worklogs", service, from_, to), _builder(ctx, service, from_, to))


async def _part(
    ctx: Context, service: Service, from_: date, to: date, people: list[Identity] | None
) -> list[WorklogRecord]:
    index = await _indexed(ctx, service, from_, to)
    if people is None:
        return index.records
    return [r for p in people for r in index.by_person.get(p.key, [])]


async def list_worklogs(
    ctx: Context,
    from_: date,
    to: date,
    *,
    service: Service | None = None,
    people: list[Identity] | None = None,
) -> list[WorklogRecord]:
    """Worklogs in [from_, to] (inclusive), optionally of one service and some people."""
    check_range(from_, to)
    if service is not None:
        if service not in _SOURCES:
            return []  # only Tempo and TeamPulse log time
        ctx.backends.require(service)  # not configured: the field says how to configure it
    wanted = [s for s in _SOURCES if service in (None, s) and s in ctx.backends.configured()]
    # Every service's list set going first, then each awaited in turn: as concurrent as a
    # gather, without two tasks per call (this runs once per member in a team query).
    for s in wanted:
        ctx.start(("worklogs", s, from_, to), _builder(ctx, s, from_, to))
    parts = [
        await or_partial(
            ctx, _part(ctx, s, from_, to, people), [], strict=service is not None, service=s
        )
        for s in wanted
    ]
    records = [r for part in parts for r in part]
    records.sort(key=lambda r: (r.date, r.service, r.id))
    return records


async def list_team_worklogs(
    ctx: Context, team: Identity, from_: date, to: date, *, service: Service | None = None
) -> list[WorklogRecord]:
    """The worklogs of the team's members (in any service)."""
    members = await list_members(ctx, team)
    return await list_worklogs(ctx, from_, to, service=service, people=members)


async def get_worklog(ctx: Context, service: str, ident: str) -> WorklogRecord | None:
    """One worklog by service and id (for `node(id:)`)."""
    number = numeric_id(ident)
    if number is None:
        return None
    if service == "tempo":
        w = await ctx.backends.require("tempo").get_worklog(number)
        if w is None:
            return None
        return await _one(ctx, "tempo", w.start_date, w.author.account_id, ident)
    if service == "teampulse":
        e = await ctx.backends.require("teampulse").get_time_entry(number)
        if e is None:
            return None
        return await _one(ctx, "teampulse", e.date, str(e.user.id), ident)
    return None


async def _one(
    ctx: Context, service: Service, day: date, author: str, ident: str
) -> WorklogRecord | None:
    # Map through the same code as lists, so a node and a list item are identical.
    for record in await _SOURCES[service](ctx, day, day):
        if record.id == ident:
            return record
    return None
