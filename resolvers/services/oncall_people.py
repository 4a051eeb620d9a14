"""oncall's own reads of people, events and its catalogue (roles, notification types, search),
for `schema/services/oncall`; loaders as in `resolvers/services/oncall.py`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from resolvers.backends import oncall
from resolvers.backends.oncall import OncallClient
from resolvers.context import Context
from resolvers.services.oncall import cache_key, once, per_key

SearchField = Literal["teams", "services", "users"]

# -- users ------------------------------------------------------------------------------------


async def list_users(ctx: Context) -> list[oncall.User]:
    """Every user, active or not, by id (the loader identity uses)."""
    return sorted(await ctx.loaders.oncall_users.get(), key=lambda u: u.id)


async def get_user(ctx: Context, name: str) -> oncall.User | None:
    """`GET /users/{name}`; None when oncall has no such user."""
    loader = per_key(ctx, "user", OncallClient.get_user)
    return await loader.load(name)


async def find_user(ctx: Context, name: str) -> oncall.User | None:
    """A user from the user list (one call for every user in the request, shared with
    identity); None when the list has no such user."""

    async def index() -> dict[str, oncall.User]:
        return {u.name: u for u in await ctx.loaders.oncall_users.get()}

    return (await ctx.memo(cache_key(ctx, "users by name"), index)).get(name)


async def list_user_teams(ctx: Context, name: str) -> list[str]:
    """`GET /users/{name}/teams`, by name; `[]` for an unknown user."""
    loader = per_key(ctx, "user teams", OncallClient.list_user_teams)
    return sorted(await loader.load(name))


async def list_teams_of_user(ctx: Context, name: str) -> list[str]:
    """The active teams `name` belongs to, by name: `GET /team_users` and `GET /teams` once for
    every user in the query (both shared with the unified fields), the answer
    `GET /users/{name}/teams` gives per user."""

    async def index() -> dict[str, list[str]]:
        pairs = await ctx.loaders.oncall_team_users.get()
        active = set(await ctx.loaders.oncall_team_names.get())
        found: dict[str, set[str]] = {}
        for team, user in pairs:
            if team in active:
                found.setdefault(user, set()).add(team)
        return {user: sorted(teams) for user, teams in found.items()}

    return (await ctx.memo(cache_key(ctx, "teams by user"), index)).get(name, [])


async def list_notifications(ctx: Context, name: str) -> list[oncall.NotificationSetting]:
    """`GET /users/{name}/notifications`, by id."""
    loader = per_key(ctx, "notifications", OncallClient.list_user_notifications)
    return sorted(await loader.load(name), key=lambda n: n.id)


async def list_upcoming(
    ctx: Context, name: str, *, limit: int | None, role: str | None
) -> list[oncall.UpcomingShift]:
    """`GET /users/{name}/upcoming`: shifts starting after now, by start, then id."""
    loader = per_key(ctx, "upcoming", _upcoming)
    found = await loader.load((name, limit, role))
    return sorted(found, key=lambda e: (e.start, e.id))


# -- events -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventFilter:
    """`GET /events`'s filters; every one given must hold."""

    team: str | None = None
    user: str | None = None
    role: str | None = None
    start_before: datetime | None = None  # start < this
    end_after: datetime | None = None  # end > this
    start_after: datetime | None = None  # start >= this
    end_before: datetime | None = None  # end <= this


async def list_events(ctx: Context, where: EventFilter) -> list[oncall.Event]:
    """`GET /events` with these filters, by start, then id (unfiltered, the real server
    groups them by team name)."""
    start, end = where.end_after, where.start_before
    if (
        start is not None
        and end is not None
        and where == EventFilter(end_after=start, start_before=end)
    ):
        # Exactly a window: the question the unified fields' loader asks.
        events = await ctx.loaders.oncall_events.load((start, end))
    else:
        loader = per_key(ctx, "events", _events)
        events = await loader.load(where)
    return sorted(events, key=lambda e: (e.start, e.id))


async def get_event(ctx: Context, event_id: int) -> oncall.Event | None:
    loader = per_key(ctx, "event", OncallClient.get_event)
    return await loader.load(event_id)


async def list_events_among(
    ctx: Context, ids: Sequence[int], *, team: str, start: datetime, end: datetime
) -> list[oncall.Event]:
    """The events of `team` with these ids, all within `[start, end]`, by start, then id: one
    `GET /events` over that span (oncall has no `id__in`), the rest filtered out here."""
    wanted = set(ids)
    found = await list_events(ctx, EventFilter(team=team, start_after=start, end_before=end))
    return [e for e in found if e.id in wanted]


async def list_linked_events(
    ctx: Context, link_ids: Sequence[str], *, team: str | None, end_after: datetime
) -> list[oncall.Event]:
    """The events of these linked sets ending after `end_after` (of `team`, or of every team
    when None), by start, then id: one `GET /events`, filtered here (it has no link filter)."""
    wanted = set(link_ids)
    found = await list_events(ctx, EventFilter(team=team, end_after=end_after))
    return [e for e in found if e.link_id in wanted]


# -- the catalogue ----------------------------------------------------------------------------


async def list_roles(ctx: Context) -> list[oncall.Role]:
    """Every role, in oncall's display order (then by id)."""
    roles = await once(ctx, "roles", lambda c: c.list_roles()).get()
    return sorted(roles, key=lambda r: (r.display_order is None, r.display_order or 0, r.id))


async def list_notification_types(ctx: Context) -> list[oncall.NotificationType]:
    """Every notification type, by name."""
    found = await once(ctx, "notification types", lambda c: c.list_notification_types()).get()
    return sorted(found, key=lambda t: t.name)


async def search(
    ctx: Context, keyword: str, fields: Sequence[SearchField] | None
) -> oncall.SearchResult:
    """`GET /search`; teams, services and users each by name."""
    wanted = tuple(sorted(set(fields))) if fields is not None else None
    loader = per_key(ctx, "search", _search)
    found = await loader.load((keyword, wanted))
    return found.model_copy(
        update={
            "teams": sorted(found.teams),
            "services": {s: sorted(found.services[s]) for s in sorted(found.services)},
            "users": sorted(found.users, key=lambda u: u.name),
        }
    )


# -- the per-key fetches whose key is several values ------------------------------------------

SearchKey = tuple[str, tuple[SearchField, ...] | None]


async def _search(c: OncallClient, key: SearchKey) -> oncall.SearchResult:
    return await c.search(key[0], fields=key[1])


async def _upcoming(
    c: OncallClient, key: tuple[str, int | None, str | None]
) -> list[oncall.UpcomingShift]:
    return await c.list_upcoming(key[0], limit=key[1], role=key[2])


async def _events(c: OncallClient, w: EventFilter) -> list[oncall.Event]:
    return await c.list_events(
        team=w.team, user=w.user, role=w.role, start_before=w.start_before,
        end_after=w.end_after, start_after=w.start_after, end_before=w.end_before,
    )  # fmt: skip
