"""Tempo's own reads: its loaders (one per endpoint and key, built per request on first use)
and the functions `schema/services/tempo` calls. Joins with other services stay in the noun
modules (`resolvers/teams.py`, …).

This module holds the loader helpers and the team side (teams, members, memberships, roles,
programs, permissions, links); the other concepts are in `tempo_accounts.py`,
`tempo_timesheets.py` (periods, schedules, approvals, plans) and `tempo_worklogs.py`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from resolvers.backends import tempo
from resolvers.context import Context
from resolvers.loaders import Loader, Once, each

K = TypeVar("K")
V = TypeVar("V")

Fetch = Callable[[tempo.TempoClient, K], Awaitable[V]]


def once(ctx: Context, what: str, fetch: Callable[[tempo.TempoClient], Awaitable[V]]) -> Once[V]:
    """The request's loader for an endpoint answered in one call (a whole list)."""
    client = ctx.backends.require("tempo")
    return ctx.loader(("tempo", what), lambda: Once(lambda: fetch(client)))


def per_key(ctx: Context, what: str, fetch: Fetch[K, V]) -> Loader[K, V]:
    """The request's loader for a per-key endpoint: keys sorted, deduplicated, fetched with
    bounded fan-out (`resolvers.loaders.each`), each failing alone."""
    client = ctx.backends.require("tempo")
    return ctx.loader(("tempo", what), lambda: each(lambda key: fetch(client, key)))


MemberKey = tuple[int, str]  # (team id, accountId)


async def _team_member(c: tempo.TempoClient, k: MemberKey) -> tempo.TeamMember | None:
    return await c.get_team_member(*k)


async def _memberships(c: tempo.TempoClient, k: MemberKey) -> list[tempo.Membership]:
    return await c.list_memberships(*k)


async def _permission(c: tempo.TempoClient, k: tuple[int, str]) -> tempo.TeamPermission | None:
    return await c.get_team_permission(*k)


# -- teams ----------------------------------------------------------------------------------


async def list_teams(ctx: Context) -> list[tempo.Team]:
    """Every team, in Tempo's order (by id). The same loader the directory uses: the list
    is fetched once per request however many fields need it."""
    ctx.backends.require("tempo")
    return await ctx.loaders.tempo_teams.get()


async def get_team(ctx: Context, team_id: int) -> tempo.Team | None:
    return await per_key(ctx, "team", tempo.TempoClient.get_team).load(team_id)


async def list_team_members(ctx: Context, team_id: int) -> list[tempo.TeamMember]:
    """The team's members in Tempo's order; the loader the directory and the unified
    memberships use, so no team's members are fetched twice."""
    ctx.backends.require("tempo")
    return await ctx.loaders.tempo_team_members.load(team_id)


async def get_team_member(ctx: Context, team_id: int, account_id: str) -> tempo.TeamMember | None:
    loader = per_key(ctx, "team-member", _team_member)
    return await loader.load((team_id, account_id))


async def list_member_memberships(
    ctx: Context, team_id: int, account_id: str
) -> list[tempo.Membership]:
    """Every membership period of a member in a team, in Tempo's order."""
    loader = per_key(ctx, "member-memberships", _memberships)
    return await loader.load((team_id, account_id))


async def get_membership(ctx: Context, membership_id: int) -> tempo.Membership | None:
    return await per_key(ctx, "membership", tempo.TempoClient.get_membership).load(membership_id)


async def list_team_permissions(ctx: Context, team_id: int) -> list[tempo.TeamPermission]:
    loader = per_key(ctx, "team-permissions", tempo.TempoClient.list_team_permissions)
    return await loader.load(team_id)


async def get_team_permission(ctx: Context, team_id: int, key: str) -> tempo.TeamPermission | None:
    loader = per_key(ctx, "team-permission", _permission)
    return await loader.load((team_id, key))


async def list_team_links(ctx: Context, team_id: int) -> list[tempo.TeamLink]:
    return await per_key(ctx, "team-links", tempo.TempoClient.list_team_links).load(team_id)


async def get_team_link(ctx: Context, link_id: int) -> tempo.TeamLink | None:
    return await per_key(ctx, "team-link", tempo.TempoClient.get_team_link).load(link_id)


# -- roles and programs ---------------------------------------------------------------------


async def list_roles(ctx: Context) -> list[tempo.Role]:
    return await once(ctx, "roles", tempo.TempoClient.list_roles).get()


async def get_role(ctx: Context, role_id: int) -> tempo.Role | None:
    return await per_key(ctx, "role", tempo.TempoClient.get_role).load(role_id)


async def list_programs(ctx: Context) -> list[tempo.Program]:
    return await once(ctx, "programs", tempo.TempoClient.list_programs).get()


async def get_program(ctx: Context, program_id: int) -> tempo.Program | None:
    return await per_key(ctx, "program", tempo.TempoClient.get_program).load(program_id)


async def list_program_teams(ctx: Context, program_id: int) -> list[tempo.TeamRef]:
    loader = per_key(ctx, "program-teams", tempo.TempoClient.list_program_teams)
    return await loader.load(program_id)
