"""Hack24's own reads: its loaders (one per endpoint and key, built per request on first use)
and the functions `schema/services/hack24` calls.

Hack24 neither pages nor filters. `/users` is the whole graph in one call (every user with
their one team and join date), and `/teams` every team: these are the loaders identity and
the unified fields already use (`ctx.loaders.hack24_users`, `ctx.loaders.hack24_teams`), so
a team's members and a user's team are filtered from them, one call each however many
parents ask. The per-key endpoints (one team, its members, one user, a user's team) serve
the namespace's single-item fields, through batched loaders.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from resolvers.backends import hack24
from resolvers.backends.errors import UpstreamNotFound
from resolvers.context import Context
from resolvers.directory import id_in
from resolvers.identity import Identity
from resolvers.loaders import Loader, each

# Hack24 ids are slugs. Anything else cannot name a team or user, and must not reach a URL
# path, where "/", "?" or ".." would ask for another resource than the one named.
_ID = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")
_NEVER = datetime.max.replace(tzinfo=UTC)


def _client(ctx: Context) -> hack24.Hack24Client:
    return ctx.backends.require("hack24")


def _is_id(text: str) -> bool:
    return _ID.fullmatch(text) is not None


# -- teams -------------------------------------------------------------------------------


async def list_teams(ctx: Context) -> list[hack24.Team]:
    """Every team, in Hack24's order (identity's own loader)."""
    return await ctx.loaders.hack24_teams.get()


async def get_team(ctx: Context, team_id: str) -> hack24.Team | None:
    """One team (`/teams/{id}`); None when Hack24 has none."""
    client = _client(ctx)
    if not _is_id(team_id):
        return None
    loader: Loader[str, hack24.Team | None] = ctx.loader(
        ("hack24", "team"), lambda: each(client.get_team)
    )
    return await loader.load(team_id)


async def list_team_members(ctx: Context, team_id: str) -> list[hack24.User] | None:
    """A team's users with their join dates (`/teams/{id}/members`), in Hack24's order
    (the order they joined); None when Hack24 has no such team."""
    client = _client(ctx)
    if not _is_id(team_id):
        return None
    loader: Loader[str, list[hack24.User]] = ctx.loader(
        ("hack24", "team_members"), lambda: each(client.list_team_members)
    )
    try:
        return await loader.load(team_id)
    except UpstreamNotFound:
        return None


async def find_team(ctx: Context, team_id: str) -> hack24.Team | None:
    """A team from the list of every team (one call however many ask)."""

    async def index() -> dict[str, hack24.Team]:
        return {t.id: t for t in await list_teams(ctx)}

    return (await ctx.memo(("hack24", "teams_by_id"), index)).get(team_id)


async def members_of(ctx: Context, team_id: str) -> list[hack24.User]:
    """A team's users, filtered from the users list (which carries each user's one team):
    in the order they joined, then by id; one call however many teams ask."""

    async def index() -> dict[str, list[hack24.User]]:
        found: dict[str, list[hack24.User]] = {}
        for user in sorted(await list_users(ctx), key=lambda u: (u.joined or _NEVER, u.id)):
            if user.team_id is not None:
                found.setdefault(user.team_id, []).append(user)
        return found

    return (await ctx.memo(("hack24", "users_by_team"), index)).get(team_id, [])


async def team_account(ctx: Context, team: Identity) -> hack24.Team | None:
    """The Hack24 team of a linked team, from the teams list identity read."""
    ident = await id_in(ctx, team, "hack24")
    return None if ident is None else await find_team(ctx, ident)


async def team_of(ctx: Context, team_id: str) -> Identity | None:
    """The linked team a Hack24 team id belongs to."""
    return (await ctx.directory()).team("hack24", team_id)


# -- users -------------------------------------------------------------------------------


async def list_users(ctx: Context) -> list[hack24.User]:
    """Every user with their team and join date, in Hack24's order (identity's own loader)."""
    return await ctx.loaders.hack24_users.get()


async def get_user(ctx: Context, user_id: str) -> hack24.User | None:
    """One user (`/users/{id}`); None when Hack24 has none."""
    client = _client(ctx)
    if not _is_id(user_id):
        return None
    loader: Loader[str, hack24.User | None] = ctx.loader(
        ("hack24", "user"), lambda: each(client.get_user)
    )
    return await loader.load(user_id)


async def get_user_team(ctx: Context, user_id: str) -> hack24.Team | None:
    """A user's team (`/users/{id}/team`); None when they are in none or do not exist."""
    client = _client(ctx)
    if not _is_id(user_id):
        return None
    loader: Loader[str, hack24.Team | None] = ctx.loader(
        ("hack24", "user_team"), lambda: each(client.get_user_team)
    )
    return await loader.load(user_id)


async def user_account(ctx: Context, person: Identity) -> hack24.User | None:
    """The Hack24 user of a linked person, from the users list identity read."""
    ident = await id_in(ctx, person, "hack24")
    if ident is None:
        return None

    async def index() -> dict[str, hack24.User]:
        return {u.id: u for u in await list_users(ctx)}

    return (await ctx.memo(("hack24", "users_by_id"), index)).get(ident)


async def person_of(ctx: Context, user_id: str) -> Identity | None:
    """The linked person a Hack24 user id belongs to."""
    return (await ctx.directory()).person("hack24", user_id)
