"""Team O'clock's own reads: its per-key loaders (built per request on first use) and the
functions `schema/services/teamoclock` calls.

The lists the unified fields already use (members, teams, team members, the active meetings
of each kind) come from the request's shared loaders in `resolvers/loaders.py`, so a query
mixing `teams { meetings }` with `teamoclock { standups }` asks Team O'clock once. Endpoints
read one key at a time (a meeting's detail, an action item, a page of a paged list) get one
loader each here: keys sorted and deduplicated, at most 8 calls in flight.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime
from typing import TypeVar

from resolvers.backends import teamoclock
from resolvers.backends.base import Slice
from resolvers.backends.errors import UpstreamNotFound
from resolvers.backends.teamoclock import TeamOclockClient
from resolvers.context import Context
from resolvers.directory import id_in
from resolvers.identity import Identity
from resolvers.loaders import Loader, each
from resolvers.paging import Page, token_page

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

MeetingDetail = teamoclock.StandupDetail | teamoclock.PlanpokerDetail | teamoclock.RetroDetail
ActionItemsKey = tuple[str | None, teamoclock.ActionItemStatus | None, str | None]
TimelineKey = tuple[datetime | None, teamoclock.MeetingType | None, str | None]


def _per_key(
    ctx: Context, what: str, fetch: Callable[[TeamOclockClient, K], Awaitable[V]]
) -> Loader[K, V]:
    """The request's loader of one per-key endpoint, named `what`."""

    def make() -> Loader[K, V]:
        client = ctx.backends.require("teamoclock")
        return each(lambda key: fetch(client, key))

    return ctx.loader(("teamoclock", what), make)


# -- members and teams ------------------------------------------------------------------------


async def list_members(ctx: Context) -> list[teamoclock.Member]:
    """Every member of the organisation, in Team O'clock's order (shared with identity)."""
    return await ctx.loaders.toc_members.get()


async def get_member(ctx: Context, username: str) -> teamoclock.Member | None:
    return await _per_key(ctx, "member", TeamOclockClient.get_member).load(username)


async def list_teams(ctx: Context) -> list[teamoclock.Team]:
    """Every team, in Team O'clock's order (shared with identity)."""
    return await ctx.loaders.toc_teams.get()


async def get_team(ctx: Context, slug: str) -> teamoclock.Team | None:
    return await _per_key(ctx, "team", TeamOclockClient.get_team).load(slug)


async def list_team_members(ctx: Context, slug: str) -> list[teamoclock.Member]:
    """Members of team `slug`, in Team O'clock's order (the loader `Team.members` uses)."""
    return await ctx.loaders.toc_team_members.load(slug)


async def get_team_of(ctx: Context, team: Identity) -> teamoclock.Team | None:
    """A unified team's Team O'clock record, from the team list identity already loaded."""
    slug = await id_in(ctx, team, "teamoclock")
    if slug is None:
        return None

    async def index() -> dict[str, teamoclock.Team]:
        return {t.slug: t for t in await ctx.loaders.toc_teams.get()}

    return (await ctx.memo("teamoclock_teams_by_slug", index)).get(slug)


# -- active meetings --------------------------------------------------------------------------


async def list_meetings(
    ctx: Context, kind: teamoclock.MeetingType, *, team: str | None = None
) -> list[teamoclock.MeetingSummary]:
    """The active meetings of one kind, of every team or of team slug `team`, oldest first
    (by start, then id). One call per kind, unfiltered, shared with `Team.meetings`."""
    found = await ctx.loaders.toc_meetings.load(kind)
    chosen = [m for m in found if team is None or m.team.slug == team]
    return sorted(chosen, key=lambda m: (m.date, m.id))


async def get_standup(ctx: Context, id: str) -> teamoclock.StandupDetail | None:
    return await _per_key(ctx, "standup", TeamOclockClient.get_standup).load(id)


async def get_planpoker(ctx: Context, id: str) -> teamoclock.PlanpokerDetail | None:
    return await _per_key(ctx, "planpoker", TeamOclockClient.get_planpoker).load(id)


async def get_retro(ctx: Context, id: str) -> teamoclock.RetroDetail | None:
    return await _per_key(ctx, "retro", TeamOclockClient.get_retro).load(id)


async def get_meeting(ctx: Context, kind: str, id: str) -> MeetingDetail | None:
    """The detail of an active meeting of `kind` (standup, planpoker, retro); None when it
    has ended."""
    if kind == "standup":
        return await get_standup(ctx, id)
    if kind == "planpoker":
        return await get_planpoker(ctx, id)
    return await get_retro(ctx, id)


async def get_team_standup(ctx: Context, slug: str) -> teamoclock.StandupDetail | None:
    """Team `slug`'s active standup (a team has at most one); None when none runs."""
    active = await list_meetings(ctx, "standup", team=slug)
    return await get_standup(ctx, active[0].id) if active else None


async def get_team_planpoker(ctx: Context, slug: str) -> teamoclock.PlanpokerDetail | None:
    """Team `slug`'s active planning poker (at most one); None when none runs."""
    active = await list_meetings(ctx, "planpoker", team=slug)
    return await get_planpoker(ctx, active[0].id) if active else None


async def list_team_retros(ctx: Context, slug: str) -> list[teamoclock.RetroDetail]:
    """Team `slug`'s active retrospectives, oldest first."""
    active = await list_meetings(ctx, "retro", team=slug)
    found = await asyncio.gather(*(get_retro(ctx, m.id) for m in active))
    return [r for r in found if r is not None]


async def _tasks_or_none(client: TeamOclockClient, id: str) -> list[teamoclock.PokerTask] | None:
    try:
        return await client.list_planpoker_tasks(id)
    except UpstreamNotFound:  # no such planning poker: like a single item, "not there"
        return None


async def list_planpoker_tasks(ctx: Context, id: str) -> list[teamoclock.PokerTask] | None:
    """The tasks of planning poker `id`, in Team O'clock's order; None if it does not exist."""
    return await _per_key(ctx, "planpoker tasks", _tasks_or_none).load(id)


async def get_planpoker_task(ctx: Context, id: str, task_id: str) -> teamoclock.PokerTask | None:
    async def fetch(client: TeamOclockClient, key: tuple[str, str]) -> teamoclock.PokerTask | None:
        return await client.get_planpoker_task(*key)

    return await _per_key(ctx, "planpoker task", fetch).load((id, task_id))


# -- action items and the timeline ------------------------------------------------------------


async def _action_items(
    client: TeamOclockClient, key: ActionItemsKey
) -> Slice[teamoclock.ActionItem]:
    team, status, after = key
    return await client.list_action_items_page(team=team, status=status, after=after)


async def page_action_items(
    ctx: Context,
    *,
    team: str | None,
    status: teamoclock.ActionItemStatus | None,
    first: int | None,
    after: str | None,
) -> Page[teamoclock.ActionItem]:
    """Action items, newest first (Team O'clock's order), fetching only the 100-item pages
    the items asked for reach into; a page asked for twice in a request is fetched once."""
    loader = _per_key(ctx, "actionitems page", _action_items)

    async def fetch(token: str | None, limit: int) -> Slice[teamoclock.ActionItem]:
        return await loader.load((team, status, token))  # the API's pages have a fixed size

    return await token_page(fetch, first=first, after=after)


async def list_team_action_items(ctx: Context, team: str) -> list[teamoclock.ActionItem]:
    """Every action item of team slug `team`, newest first, through the same page loader as
    `page_action_items` (so `actionItems(first:)` asked in the same request costs nothing)."""
    loader = _per_key(ctx, "actionitems page", _action_items)
    items: list[teamoclock.ActionItem] = []
    token: str | None = None
    while True:
        found = await loader.load((team, None, token))
        items.extend(found.items)
        if found.next is None:
            return items
        token = found.next


async def get_action_item(ctx: Context, id: str) -> teamoclock.ActionItem | None:
    return await _per_key(ctx, "actionitem", TeamOclockClient.get_action_item).load(id)


async def _timeline(client: TeamOclockClient, key: TimelineKey) -> Slice[teamoclock.TimelineEntry]:
    since, type, after = key
    return await client.list_timeline_page(since=since, type=type, after=after)


async def page_timeline(
    ctx: Context,
    *,
    since: datetime | None,
    type: teamoclock.MeetingType | None,
    first: int | None,
    after: str | None,
) -> Page[teamoclock.TimelineEntry]:
    """Past meetings dated up to `since` (Team O'clock's default: now), newest first, paged
    like :func:`page_action_items`."""
    loader = _per_key(ctx, "timeline page", _timeline)

    async def fetch(token: str | None, limit: int) -> Slice[teamoclock.TimelineEntry]:
        return await loader.load((since, type, token))

    return await token_page(fetch, first=first, after=after)


async def get_timeline_record(ctx: Context, id: str) -> teamoclock.TimelineRecord | None:
    """A past meeting in full: a standup, a retrospective or one planning poker task."""
    return await _per_key(ctx, "timeline record", TeamOclockClient.get_timeline_entry).load(id)
