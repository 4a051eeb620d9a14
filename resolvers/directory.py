"""Gathers every person and team account from the configured services and links them.

It uses the request's loaders, so the calls it makes (Tempo team members, oncall users, ...)
are the same ones later fields reuse: building identity costs no extra upstream requests.
A service that fails is left out of the directory and reported once. A directory built whole
is kept for the requests that follow (`[identity] directory_ttl`): they make none of its calls.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Sequence

from resolvers.backends.errors import BackendError, Service
from resolvers.backends.scope import current_scope
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
    """Linked directories kept between requests.

    Two layers. *Held*: the directory a request built is reused, without a single upstream
    call, by the requests that follow with the same credentials for `ttl` seconds (people
    and team lists change rarely; a query that needs the newest asks with
    `Cache-Control: no-cache`, and a write through the gateway drops what it may have
    changed). *Linked*: linking is pure, so a request that did fetch the lists and got the
    accounts an earlier one saw reuses that linking instead of redoing it; the key is the
    content, so nothing fetched with one caller's credentials reaches another unless that
    caller's own answers were identical. Both bounded: a few entries, oldest out. A
    directory with a failed service carries that request's errors and is never kept.
    """

    def __init__(
        self, *, ttl: float = 0.0, size: int = 8, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._linked: OrderedDict[Hashable, Directory] = OrderedDict()
        self._held: OrderedDict[Hashable, tuple[float, Directory]] = OrderedDict()

    def held(self, credentials: Hashable) -> tuple[Directory, float] | None:
        """The directory built for these credentials less than `ttl` seconds ago, and the
        seconds it has left."""
        found = self._held.get(credentials)
        if found is None:
            return None
        left = found[0] - self.clock()
        if left <= 0:
            del self._held[credentials]
            return None
        return found[1], left

    def hold(self, credentials: Hashable, directory: Directory) -> None:
        if self.ttl <= 0:
            return
        self._held[credentials] = (self.clock() + self.ttl, directory)
        self._held.move_to_end(credentials)
        if len(self._held) > self.size:
            self._held.popitem(last=False)

    def forget(self) -> None:
        """After a write: whoever wrote, the next request lists everyone again."""
        self._held.clear()

    def linked(self, key: Hashable, build: Callable[[], Directory]) -> Directory:
        found = self._linked.get(key)
        if found is not None:
            self._linked.move_to_end(key)
            return found
        found = self._linked[key] = build()
        if len(self._linked) > self.size:
            self._linked.popitem(last=False)
        return found


async def build_directory(ctx: Context, *, fresh: bool = False) -> Directory:
    """The linked directory for this request: held from an earlier one, or built now."""
    configured = ctx.backends.configured()
    store = ctx.directories
    scope = current_scope()
    credentials = tuple(
        scope.credentials_key(s) if scope is not None else "configured" for s in configured
    )
    if store is not None and not fresh and not (scope is not None and scope.cache_bypass):
        held = store.held((tuple(configured), credentials))
        if held is not None:
            if scope is not None:
                scope.used_until(time.time() + held[1])
            return held[0]
    directory = await _fetch_and_link(ctx, configured)
    if store is not None and not directory.failures:
        store.hold((tuple(configured), credentials), directory)
    return directory


async def _fetch_and_link(ctx: Context, configured: Sequence[Service]) -> Directory:
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
    return ctx.directories.linked((tuple(people), tuple(teams)), link)


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
