"""Per-request dataloaders: one per (service, key), built fresh for every GraphQL request.

aiodataloader binds the running event loop when constructed, so each loader is built when a
field first asks for it, never at import time. Each loader deduplicates and caches its keys for the
request; where the API has a bulk or range endpoint the batch function uses it once, and where
it forces one call per key (Tempo team members, oncall team detail, Team O'clock team members)
it fans out with bounded concurrency.

A batch function returns one value per key, ``None`` for not found, or the exception for a key
that failed, so one failing key fails alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Generic, TypeVar

from aiodataloader import DataLoader

from resolvers.backends import Backends
from resolvers.backends.base import gather_limited

if TYPE_CHECKING:
    from resolvers.backends import hack24, oncall, teamoclock, teampulse, tempo

K = TypeVar("K")
V = TypeVar("V")

# Concurrent requests one loader may have in flight to a per-key endpoint.
FAN_OUT = 8


class Loader(Generic[K, V]):
    """A typed face for aiodataloader's untyped DataLoader."""

    def __init__(self, batch: Callable[[Sequence[K]], Awaitable[list[V | BaseException]]]):
        # aiodataloader's stubs want exactly list -> Coroutine[list]; ours is the wider type.
        self._loader: DataLoader[K, V] = DataLoader(batch)  # type: ignore[arg-type]

    def load(self, key: K) -> Awaitable[V]:
        """The value for `key`: aiodataloader's own future, shared by every field that asks
        for the key. Not wrapped in a coroutine, so a load costs no coroutine, and a gather
        of loads no task per load."""
        return self._loader.load(key)

    def clear(self) -> None:
        self._loader.clear_all()


class Once(Generic[V]):
    """A loader for an endpoint that returns everything in one call: fetched at most once
    per request, however many fields ask."""

    def __init__(self, fetch: Callable[[], Awaitable[V]]) -> None:
        async def batch(keys: Sequence[str]) -> list[V | BaseException]:
            try:
                value = await fetch()
            except Exception as exc:
                return [exc for _ in keys]
            return [value for _ in keys]

        self._loader: Loader[str, V] = Loader(batch)

    def get(self) -> Awaitable[V]:
        return self._loader.load("all")

    def clear(self) -> None:
        self._loader.clear()


def each(fetch: Callable[[K], Awaitable[V]]) -> Loader[K, V]:
    """A loader for a per-key endpoint: sorted, deduplicated, bounded fan-out."""

    async def one(key: K) -> V | BaseException:
        try:
            return await fetch(key)
        except Exception as exc:
            return exc

    async def batch(keys: Sequence[K]) -> list[V | BaseException]:
        order = sorted(set(keys), key=repr)
        values = await gather_limited((one(k) for k in order), limit=FAN_OUT)
        found = dict(zip(order, values, strict=True))
        return [found[k] for k in keys]

    return Loader(batch)


DateRange = tuple[date, date]


class Loaders:
    """One request's loaders, each built the first time a field asks for it: a query uses a
    few of the sixteen (building them all was about 2 % of Q1's CPU in a profile, too little
    to see side by side). A missing backend fails its loads with the error that says how to
    configure it, so its fields are null and the rest of the response stands."""

    def __init__(self, backends: Backends) -> None:
        self._backends = backends

    @cached_property
    def tempo_teams(self) -> Once[list[tempo.Team]]:
        return Once(lambda: self._backends.require("tempo").list_teams())

    @cached_property
    def tempo_team_members(self) -> Loader[int, list[tempo.TeamMember]]:
        return each(lambda t: self._backends.require("tempo").list_team_members(t))

    @cached_property
    def tempo_worklogs(self) -> Loader[DateRange, list[tempo.Worklog]]:
        return each(lambda r: self._backends.require("tempo").list_worklogs(from_=r[0], to=r[1]))

    @cached_property
    def oncall_team_names(self) -> Once[list[str]]:
        return Once(lambda: self._backends.require("oncall").list_team_names())

    @cached_property
    def oncall_team(self) -> Loader[str, oncall.TeamDetail | None]:
        return each(lambda name: self._backends.require("oncall").get_team(name))

    @cached_property
    def oncall_users(self) -> Once[list[oncall.User]]:
        return Once(lambda: self._backends.require("oncall").list_users())

    @cached_property
    def oncall_events(self) -> Loader[tuple[datetime, datetime], list[oncall.Event]]:
        return each(
            lambda r: self._backends.require("oncall").list_events(
                start_before=r[1], end_after=r[0]
            )
        )

    @cached_property
    def oncall_team_users(self) -> Once[list[tuple[str, str]]]:
        return Once(lambda: self._backends.require("oncall").list_team_memberships())

    @cached_property
    def toc_members(self) -> Once[list[teamoclock.Member]]:
        return Once(lambda: self._backends.require("teamoclock").list_members())

    @cached_property
    def toc_teams(self) -> Once[list[teamoclock.Team]]:
        return Once(lambda: self._backends.require("teamoclock").list_teams())

    @cached_property
    def toc_team_members(self) -> Loader[str, list[teamoclock.Member]]:
        return each(lambda slug: self._backends.require("teamoclock").list_team_members(slug))

    @cached_property
    def toc_meetings(self) -> Loader[str, list[teamoclock.MeetingSummary]]:
        backends = self._backends

        async def meetings(kind: str) -> list[teamoclock.MeetingSummary]:
            client = backends.require("teamoclock")
            if kind == "standup":
                return await client.list_standups()
            if kind == "planpoker":
                return await client.list_planpokers()
            return await client.list_retros()

        return each(meetings)

    @cached_property
    def teampulse_users(self) -> Once[list[teampulse.User]]:
        return Once(lambda: self._backends.require("teampulse").list_users())

    @cached_property
    def teampulse_time_entries(self) -> Loader[DateRange, list[teampulse.TimeEntry]]:
        return each(
            lambda r: self._backends.require("teampulse").list_time_entries(
                start_date=r[0], end_date=r[1]
            )
        )

    @cached_property
    def hack24_teams(self) -> Once[list[hack24.Team]]:
        return Once(lambda: self._backends.require("hack24").list_teams())

    @cached_property
    def hack24_users(self) -> Once[list[hack24.User]]:
        return Once(lambda: self._backends.require("hack24").list_users())

    def clear(self) -> None:
        """Forget every value loaded (for this request: loaders are never shared)."""
        built = vars(self)
        for name, loader in list(built.items()):
            if isinstance(loader, Loader | Once):
                loader.clear()
                del built[name]  # built again, empty, if anything asks after this


def build_loaders(backends: Backends) -> Loaders:
    """Fresh loaders for one request (each built on first use)."""
    return Loaders(backends)
