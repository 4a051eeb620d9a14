"""oncall's own reads: teams, rosters, schedules and services (people, events and the
catalogue are in `oncall_people`), for `schema/services/oncall`.

oncall has no batch (`__in`) filter and no batch team detail (`shared/oncall-real-server.md`
§4), so every per-key endpoint is one loader per request: keys deduplicated and sorted, at
most 8 calls in flight (`resolvers.loaders.each`), each answer cached for the request. The
team detail (`GET /teams/{name}`) and the user list (`GET /users`) are the loaders the
unified `Team` and `User` fields already use (`ctx.loaders`), so a query mixing them with
oncall's own fields fetches neither twice; the same goes for `/teams`, `/team_users` and a
`/events` window.

Orders: oncall documents none, so where the real server's order means something (members by
user id) it is kept and said; everywhere else the gateway sorts, by name or by id.

Writes: after a mutation changes oncall, :func:`forget` makes the request read oncall again
(the loaders above are keyed by how many writes the request has made), so the mutation's
answer, and every later field of the same request, shows the change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from resolvers.backends import oncall
from resolvers.backends.oncall import OncallClient
from resolvers.context import Context
from resolvers.loaders import Loader, Once, each

K = TypeVar("K")
V = TypeVar("V")


def cache_key(ctx: Context, what: str) -> tuple[str, str]:
    """The request's key for an oncall loader or derived value (dropped with the rest after
    a write: `Context.forget_reads`)."""
    return ("oncall", what)


def per_key(
    ctx: Context, what: str, fetch: Callable[[OncallClient, K], Awaitable[V]]
) -> Loader[K, V]:
    """The request's loader for a per-key oncall endpoint (one per `what`)."""

    def make() -> Loader[K, V]:
        return each(lambda key: fetch(ctx.backends.require("oncall"), key))

    return ctx.loader(cache_key(ctx, what), make)


def once(ctx: Context, what: str, fetch: Callable[[OncallClient], Awaitable[V]]) -> Once[V]:
    """The request's loader for an oncall endpoint that answers everything in one call."""

    def make() -> Once[V]:
        return Once(lambda: fetch(ctx.backends.require("oncall")))

    return ctx.loader(cache_key(ctx, what), make)


# -- teams ------------------------------------------------------------------------------------


async def list_team_names(ctx: Context) -> list[str]:
    """Every active team's name, by name (the loader identity uses)."""
    return sorted(await ctx.loaders.oncall_team_names.get())


async def get_team(ctx: Context, name: str) -> oncall.TeamDetail | None:
    """A team's detail; None when oncall has no such active team (the unified fields' loader)."""
    return await ctx.loaders.oncall_team.load(name)


async def get_team_summary(ctx: Context, team: str) -> oncall.TeamSummary | None:
    loader = per_key(ctx, "summary", OncallClient.get_team_summary)
    return await loader.load(team)


async def list_team_oncall(ctx: Context, team: str, role: str) -> list[oncall.OncallEntry]:
    """Who is on call for `team` now in `role`, by start, then username."""
    loader = per_key(ctx, "team oncall", _team_oncall)
    return sorted(await loader.load((team, role)), key=_entry_order)


def _entry_order(e: oncall.OncallEntry) -> tuple[datetime, str, str]:
    return (e.start, e.user or "", e.full_name or "")


async def list_team_admins(ctx: Context, team: str) -> list[str]:
    """`GET /teams/{team}/admins`, by username; `[]` for an unknown team."""
    loader = per_key(ctx, "team admins", OncallClient.list_team_admins)
    return sorted(await loader.load(team))


async def list_team_users(ctx: Context, team: str) -> list[str]:
    """`GET /teams/{team}/users`, in oncall's order (by user id); `[]` for an unknown team."""
    loader = per_key(ctx, "team users", OncallClient.list_team_users)
    return await loader.load(team)


async def list_team_services(ctx: Context, team: str) -> list[str]:
    """`GET /teams/{team}/services`, by name; `[]` for an unknown team."""
    loader = per_key(ctx, "team services", OncallClient.list_team_services)
    return sorted(await loader.load(team))


# -- rosters and schedules --------------------------------------------------------------------


async def list_rosters(ctx: Context, team: str) -> list[oncall.Roster]:
    """`GET /teams/{team}/rosters`, by roster name; `[]` for an unknown team."""
    loader = per_key(ctx, "rosters", OncallClient.list_rosters)
    return sorted(await loader.load(team), key=lambda r: r.name)


async def get_roster(ctx: Context, team: str, roster: str) -> oncall.Roster | None:
    """`GET /teams/{team}/rosters/{roster}`: members with their rotation order."""
    loader = per_key(ctx, "roster", _roster)
    return await loader.load((team, roster))


async def list_roster_users(
    ctx: Context, team: str, roster: str, in_rotation: bool | None
) -> list[str]:
    """`GET /teams/{team}/rosters/{roster}/users`, in oncall's order (by user id)."""
    loader = per_key(ctx, "roster users", _roster_users)
    return await loader.load((team, roster, in_rotation))


async def list_roster_schedules(ctx: Context, team: str, roster: str) -> list[oncall.Schedule]:
    """`GET /teams/{team}/rosters/{roster}/schedules`, by id."""
    loader = per_key(ctx, "roster schedules", _roster_schedules)
    return sorted(await loader.load((team, roster)), key=lambda s: s.id)


async def get_schedule(ctx: Context, schedule_id: int) -> oncall.Schedule | None:
    """`GET /schedules/{id}`. 2.1.7 answers an unknown id with 500, so it fails the field."""
    loader = per_key(ctx, "schedule", OncallClient.get_schedule)
    return await loader.load(schedule_id)


# -- services ---------------------------------------------------------------------------------


async def list_services(ctx: Context) -> list[str]:
    """Every service's name, by name."""
    return sorted(await once(ctx, "services", lambda c: c.list_services()).get())


async def get_service(ctx: Context, name: str) -> oncall.Service | None:
    loader = per_key(ctx, "service", OncallClient.get_service)
    return await loader.load(name)


async def list_service_teams(ctx: Context, service: str) -> list[str]:
    """`GET /services/{service}/teams`, by name."""
    loader = per_key(ctx, "service teams", OncallClient.list_service_teams)
    return sorted(await loader.load(service))


async def list_teams_of_service(ctx: Context, service: str) -> list[str]:
    """The teams `service` is mapped to, by name: `GET /team_services` once for every service
    in the query (the same mapping `GET /services/{service}/teams` answers per service)."""

    async def index() -> dict[str, list[str]]:
        pairs = await once(ctx, "team services", lambda c: c.list_service_assignments()).get()
        found: dict[str, list[str]] = {}
        for team, name in pairs:
            found.setdefault(name, []).append(team)
        return {name: sorted(set(teams)) for name, teams in found.items()}

    return (await ctx.memo(cache_key(ctx, "teams by service"), index)).get(service, [])


async def list_service_oncall(ctx: Context, service: str, role: str) -> list[oncall.OncallEntry]:
    """Who is on call now in `role` for the teams owning `service`, by start, then username."""
    loader = per_key(ctx, "service oncall", _service_oncall)
    return sorted(await loader.load((service, role)), key=_entry_order)


# -- the per-key fetches whose key is several values ------------------------------------------


async def _team_oncall(c: OncallClient, key: tuple[str, str]) -> list[oncall.OncallEntry]:
    return await c.list_oncall(*key)


async def _service_oncall(c: OncallClient, key: tuple[str, str]) -> list[oncall.OncallEntry]:
    return await c.list_service_oncall(*key)


async def _roster(c: OncallClient, key: tuple[str, str]) -> oncall.Roster | None:
    return await c.get_roster(*key)


async def _roster_users(c: OncallClient, key: tuple[str, str, bool | None]) -> list[str]:
    return await c.list_roster_users(key[0], key[1], in_rotation=key[2])


async def _roster_schedules(c: OncallClient, key: tuple[str, str]) -> list[oncall.Schedule]:
    return await c.list_roster_schedules(*key)
