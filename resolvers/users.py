"""People: the unified list, lookups, a person's teams and per-service records."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from resolvers.backends.errors import Service
from resolvers.common import or_partial
from resolvers.context import Context
from resolvers.directory import id_in
from resolvers.identity import Identity

if TYPE_CHECKING:
    from resolvers.backends import oncall, teamoclock


async def list_users(ctx: Context) -> list[Identity]:
    return (await ctx.directory()).people


async def get_user(ctx: Context, key: str) -> Identity | None:
    """By our key, email or username, case-insensitive."""
    return (await ctx.directory()).find_person(key)


async def get_oncall_user(ctx: Context, person: Identity) -> oncall.User | None:
    name = await id_in(ctx, person, "oncall")
    if name is None:
        return None

    async def index() -> dict[str, oncall.User]:
        return {u.name: u for u in await ctx.loaders.oncall_users.get()}

    # Indexed once per request: `users { contacts }` stays linear in the number of users.
    return (await ctx.memo("oncall_users_by_name", index)).get(name)


async def get_teamoclock_member(ctx: Context, person: Identity) -> teamoclock.Member | None:
    username = await id_in(ctx, person, "teamoclock")
    if username is None:
        return None

    async def index() -> dict[str, teamoclock.Member]:
        return {m.username: m for m in await ctx.loaders.toc_members.get()}

    return (await ctx.memo("teamoclock_members_by_username", index)).get(username)


async def list_user_teams(ctx: Context, person: Identity) -> list[Identity]:
    """The teams `person` belongs to in any service, using each API's cheapest source:
    Tempo members (already loaded for identity), oncall's one-call /team_users, Hack24's
    user list, and Team O'clock's per-team member lists (it has no bulk form)."""
    directory = await ctx.directory()
    found: dict[str, Identity] = {}

    def add(service: str, team_id: str) -> None:
        team = directory.team(service, team_id)
        if team is not None:
            found.setdefault(team.key, team)

    async def tempo() -> None:
        account = person.id_in("tempo")
        if account is None:
            return
        teams = await ctx.loaders.tempo_teams.get()
        members = await asyncio.gather(*(ctx.loaders.tempo_team_members.load(t.id) for t in teams))
        for team, ms in zip(teams, members, strict=True):
            if any(m.member.account_id == account for m in ms):
                add("tempo", str(team.id))

    async def oncall() -> None:
        name = person.id_in("oncall")
        if name is None:
            return
        for team, user in await ctx.loaders.oncall_team_users.get():
            if user == name:
                add("oncall", team)

    async def teamoclock() -> None:
        username = person.id_in("teamoclock")
        if username is None:
            return
        slugs = [t.id_in("teamoclock") for t in directory.teams]
        wanted = [s for s in slugs if s is not None]
        lists = await asyncio.gather(*(ctx.loaders.toc_team_members.load(s) for s in wanted))
        for slug, members in zip(wanted, lists, strict=True):
            if any(m.username == username for m in members):
                add("teamoclock", slug)

    async def hack24() -> None:
        ident = person.id_in("hack24")
        if ident is None:
            return
        for user in await ctx.loaders.hack24_users.get():
            if user.id == ident and user.team_id:
                add("hack24", user.team_id)

    parts: dict[Service, Callable[[], Awaitable[None]]] = {
        "tempo": tempo, "oncall": oncall, "teamoclock": teamoclock, "hack24": hack24,
    }  # fmt: skip
    await asyncio.gather(
        *(or_partial(ctx, part(), None, strict=False, service=s) for s, part in parts.items())
    )
    return sorted(found.values(), key=lambda t: t.key)
