"""Teams: the unified list, memberships across services, oncall rosters."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from resolvers.backends.errors import Service
from resolvers.common import or_partial
from resolvers.context import Context
from resolvers.directory import id_in
from resolvers.identity import Identity

if TYPE_CHECKING:
    from resolvers.backends import oncall, tempo


# Not frozen, like every record built per item of an answer (resolvers/worklogs.py).
@dataclass(slots=True)
class MembershipRecord:
    service: Service
    team: Identity
    person: Identity | None  # None when the account links to nobody we know
    account_id: str  # the member's id in that service
    role: str | None
    commitment_percent: int | None = None
    from_: date | None = None
    to: date | None = None


# Not frozen, as MembershipRecord.
@dataclass(slots=True)
class RosterMemberRecord:
    username: str
    in_rotation: bool
    person: Identity | None


# Not frozen, as MembershipRecord.
@dataclass(slots=True)
class RosterRecord:
    team: Identity
    name: str
    members: list[RosterMemberRecord]


async def list_teams(ctx: Context) -> list[Identity]:
    return (await ctx.directory()).teams


async def get_team(ctx: Context, key: str) -> Identity | None:
    return (await ctx.directory()).find_team(key)


async def _tempo(ctx: Context, team: Identity, ident: str) -> list[MembershipRecord]:
    directory = await ctx.directory()
    members = await ctx.loaders.tempo_team_members.load(int(ident))

    def build() -> list[MembershipRecord]:
        out = []
        for m in members:
            active = m.active
            out.append(
                MembershipRecord(
                    "tempo",
                    team,
                    directory.person("tempo", m.member.account_id),
                    m.member.account_id,
                    role=active.role.name if active else None,
                    commitment_percent=active.commitment_percent if active else None,
                    from_=active.from_ if active else None,
                    to=active.to if active else None,
                )
            )
        return out

    return directory.derived(("tempo memberships", team.key), members, build)


async def _oncall(ctx: Context, team: Identity, ident: str) -> list[MembershipRecord]:
    directory = await ctx.directory()
    detail = await ctx.loaders.oncall_team.load(ident)
    if detail is None:
        return []

    def build() -> list[MembershipRecord]:
        admins = set(detail.admins)
        return [
            MembershipRecord(
                "oncall",
                team,
                directory.person("oncall", name),
                name,
                role="admin" if name in admins else "member",
            )
            for name in sorted(detail.users.get())
        ]

    return directory.derived(("oncall memberships", team.key), detail, build)


async def _teamoclock(ctx: Context, team: Identity, ident: str) -> list[MembershipRecord]:
    directory = await ctx.directory()
    members = await ctx.loaders.toc_team_members.load(ident)

    def build() -> list[MembershipRecord]:
        return [
            MembershipRecord(
                "teamoclock", team, directory.person("teamoclock", m.username), m.username, m.role
            )
            for m in members
        ]

    return directory.derived(("teamoclock memberships", team.key), members, build)


async def _hack24(ctx: Context, team: Identity, ident: str) -> list[MembershipRecord]:
    directory = await ctx.directory()
    users = await ctx.loaders.hack24_users.get()

    def build() -> list[MembershipRecord]:
        return [
            MembershipRecord(
                "hack24",
                team,
                directory.person("hack24", u.id),
                u.id,
                role="member",
                from_=u.joined.date() if u.joined else None,
            )
            for u in users
            if u.team_id == ident
        ]

    return directory.derived(("hack24 memberships", team.key), users, build)


_MEMBERSHIPS = {"tempo": _tempo, "oncall": _oncall, "teamoclock": _teamoclock, "hack24": _hack24}


async def list_memberships(
    ctx: Context, team: Identity, service: Service | None = None
) -> list[MembershipRecord]:
    """Every membership of `team`, in one service or all of them.

    Asked for one service, that service's failure is the field's error; asked for all, a
    failing service is reported and the others' memberships stand.
    """
    if service is not None:
        await id_in(ctx, team, service)
    wanted = [s for s in _MEMBERSHIPS if service in (None, s) and s in team.accounts]
    parts = [
        or_partial(ctx, _MEMBERSHIPS[s](ctx, team, team.accounts[s].id), [],
                   strict=service is not None, service=s)
        for s in wanted
    ]  # fmt: skip
    if len(parts) == 1:  # one service: awaited as it is, without a task
        return await parts[0]
    return [m for part in await asyncio.gather(*parts) for m in part]


async def list_members(ctx: Context, team: Identity) -> list[Identity]:
    """The people in `team` in any service, each once, by name."""
    seen: dict[str, Identity] = {}
    for m in await list_memberships(ctx, team):
        if m.person is not None:
            seen.setdefault(m.person.key, m.person)
    return sorted(seen.values(), key=lambda p: (p.name.lower(), p.key))


async def get_oncall_team(ctx: Context, team: Identity) -> oncall.TeamDetail | None:
    ident = await id_in(ctx, team, "oncall")
    if ident is None:
        return None
    return await ctx.loaders.oncall_team.load(ident)


async def get_tempo_team(ctx: Context, team: Identity) -> tempo.Team | None:
    ident = await id_in(ctx, team, "tempo")
    if ident is None:
        return None
    return next((t for t in await ctx.loaders.tempo_teams.get() if str(t.id) == ident), None)


async def list_rosters(ctx: Context, team: Identity) -> list[RosterRecord]:
    detail = await get_oncall_team(ctx, team)
    if detail is None:
        return []
    directory = await ctx.directory()

    def build() -> list[RosterRecord]:
        return [
            RosterRecord(
                team,
                roster.name,
                [
                    RosterMemberRecord(u.name, u.in_rotation, directory.person("oncall", u.name))
                    for u in roster.users
                ],
            )
            for roster in detail.rosters
        ]

    return directory.derived(("oncall rosters", team.key), detail, build)
