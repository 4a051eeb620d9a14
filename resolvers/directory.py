"""Gathers every person and team account from the configured services and links them.

It uses the request's loaders, so the calls it makes (Tempo team members, oncall users, ...)
are the same ones later fields reuse: building identity costs no extra upstream requests.
A service that fails is left out of the directory and reported once.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable

from resolvers.backends.errors import BackendError, Service
from resolvers.common import as_backend_error
from resolvers.context import Context
from resolvers.identity import (
    Account,
    Directory,
    Identity,
    link_people_traced,
    link_teams_traced,
)

Accounts = tuple[list[Account], list[Account]]  # (people, teams)


async def _tempo(ctx: Context) -> Accounts:
    teams = await ctx.loaders.tempo_teams.get()
    team_accounts = [Account("tempo", str(t.id), name=t.name) for t in teams]
    people: dict[str, Account] = {}
    results = await asyncio.gather(
        *(ctx.loaders.tempo_team_members.load(t.id) for t in teams), return_exceptions=True
    )
    for team, result in zip(teams, results, strict=True):
        if isinstance(result, BaseException):
            ctx.note_problem(as_backend_error("tempo", result))
            continue
        for member in result:
            ref = member.member
            people[ref.account_id] = Account("tempo", ref.account_id, name=ref.display_name)
        if team.lead and team.lead.account_id not in people:
            people[team.lead.account_id] = Account(
                "tempo", team.lead.account_id, name=team.lead.display_name
            )
    return list(people.values()), team_accounts


async def _oncall(ctx: Context) -> Accounts:
    users, names = await asyncio.gather(
        ctx.loaders.oncall_users.get(), ctx.loaders.oncall_team_names.get()
    )
    people = [
        Account("oncall", u.name, name=u.full_name, username=u.name, email=u.contacts.email)
        for u in users
    ]
    teams = [Account("oncall", n, name=n, username=n) for n in names]
    return people, teams


async def _teamoclock(ctx: Context) -> Accounts:
    members, teams = await asyncio.gather(
        ctx.loaders.toc_members.get(), ctx.loaders.toc_teams.get()
    )
    people = [
        Account(
            "teamoclock",
            m.username,
            name=" ".join(p for p in (m.first_name, m.last_name) if p) or None,
            username=m.username,
            email=m.email,
        )
        for m in members
    ]
    return people, [Account("teamoclock", t.slug, name=t.name, username=t.slug) for t in teams]


async def _teampulse(ctx: Context) -> Accounts:
    users = await ctx.loaders.teampulse_users.get()
    people = [Account("teampulse", str(u.id), name=u.display_name, username=u.name) for u in users]
    return people, []  # TeamPulse has projects, not teams


async def _hack24(ctx: Context) -> Accounts:
    users, teams = await asyncio.gather(
        ctx.loaders.hack24_users.get(), ctx.loaders.hack24_teams.get()
    )
    people = [Account("hack24", u.id, name=u.name) for u in users]
    return people, [Account("hack24", t.id, name=t.name, username=t.id) for t in teams]


SOURCES: dict[str, Callable[[Context], Awaitable[Accounts]]] = {
    "tempo": _tempo,
    "oncall": _oncall,
    "teamoclock": _teamoclock,
    "teampulse": _teampulse,
    "hack24": _hack24,
}


class DirectoryCache:
    """Linked directories of recent requests, keyed by exactly what they were linked from.

    Linking is pure: the same accounts and links always give the same people and teams. So a
    request whose services answered with the accounts an earlier one saw reuses its
    directory instead of linking everything again (the people lists are still fetched every
    request, unless the upstream cache serves them: a change shows at once). The key is the
    content itself, so nothing fetched with one caller's credentials is shown to another
    unless that caller's own answers were identical. Bounded: a few entries, oldest out.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Directory] = OrderedDict()

    def get(self, key: Hashable, build: Callable[[], Directory]) -> Directory:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            return found
        found = self._entries[key] = build()
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return found


async def build_directory(ctx: Context) -> Directory:
    configured = ctx.backends.configured()
    results = await asyncio.gather(*(SOURCES[s](ctx) for s in configured), return_exceptions=True)
    people: list[Account] = []
    teams: list[Account] = []
    failures: dict[str, BackendError] = {}
    for service, result in zip(configured, results, strict=True):
        if isinstance(result, BaseException):
            failures[service] = as_backend_error(service, result)
            ctx.note_problem(failures[service])
            continue
        people.extend(result[0])
        teams.extend(result[1])

    def link() -> Directory:
        linked_people = link_people_traced(people, ctx.links.people)
        linked_teams = link_teams_traced(teams, ctx.links.teams)
        return Directory(
            people=linked_people.identities,
            teams=linked_teams.identities,
            failures=failures,
            people_refusals=linked_people.refusals,
            team_refusals=linked_teams.refusals,
        )

    if failures or ctx.directories is None:
        return link()  # a partial directory carries this request's errors: not shared
    # The links are the app's configuration, the same for every request of one cache.
    return ctx.directories.get((tuple(people), tuple(teams)), link)


async def id_in(ctx: Context, identity: Identity, service: Service) -> str | None:
    """`identity`'s id in `service`; None if that service does not know it.

    Raises when the service is not configured, or when it failed to list its accounts in
    this request (then "unknown there" would be a guess): the field fails with that error.
    """
    ctx.backends.require(service)
    ident = identity.id_in(service)
    if ident is None:
        failure = (await ctx.directory()).failures.get(service)
        if failure is not None:
            raise failure
    return ident
