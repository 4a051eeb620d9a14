"""Per-request dataloaders: one per (service, key), built fresh for every GraphQL request.

aiodataloader binds the running event loop when constructed, so :func:`build_loaders` runs in
the context getter, never at import time. Each loader deduplicates and caches its keys for the
request; where the API has a bulk or range endpoint the batch function uses it once, and where
it forces one call per key (Tempo team members, oncall team detail, Team O'clock team members)
it fans out with bounded concurrency.

A batch function returns one value per key, ``None`` for not found, or the exception for a key
that failed, so one failing key fails alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
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

    async def load(self, key: K) -> V:
        result: V = await self._loader.load(key)
        return result

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

    async def get(self) -> V:
        return await self._loader.load("all")

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


@dataclass(frozen=True)
class Loaders:
    tempo_teams: Once[list[tempo.Team]]
    tempo_team_members: Loader[int, list[tempo.TeamMember]]
    tempo_worklogs: Loader[DateRange, list[tempo.Worklog]]
    oncall_team_names: Once[list[str]]
    oncall_team: Loader[str, oncall.TeamDetail | None]
    oncall_users: Once[list[oncall.User]]
    oncall_events: Loader[tuple[datetime, datetime], list[oncall.Event]]
    oncall_team_users: Once[list[tuple[str, str]]]
    toc_members: Once[list[teamoclock.Member]]
    toc_teams: Once[list[teamoclock.Team]]
    toc_team_members: Loader[str, list[teamoclock.Member]]
    toc_meetings: Loader[str, list[teamoclock.MeetingSummary]]
    teampulse_users: Once[list[teampulse.User]]
    teampulse_time_entries: Loader[DateRange, list[teampulse.TimeEntry]]
    hack24_teams: Once[list[hack24.Team]]
    hack24_users: Once[list[hack24.User]]

    def clear(self) -> None:
        """Forget every value loaded (for this request: loaders are never shared)."""
        for loader in vars(self).values():
            loader.clear()


def build_loaders(backends: Backends) -> Loaders:
    """Fresh loaders for one request. A missing backend fails its loads with the error that
    says how to configure it, so its fields are null and the rest of the response stands."""
    b = backends

    async def toc_meetings(kind: str) -> list[teamoclock.MeetingSummary]:
        client = b.require("teamoclock")
        if kind == "standup":
            return await client.list_standups()
        if kind == "planpoker":
            return await client.list_planpokers()
        return await client.list_retros()

    return Loaders(
        tempo_teams=Once(lambda: b.require("tempo").list_teams()),
        tempo_team_members=each(lambda t: b.require("tempo").list_team_members(t)),
        tempo_worklogs=each(lambda r: b.require("tempo").list_worklogs(from_=r[0], to=r[1])),
        oncall_team_names=Once(lambda: b.require("oncall").list_team_names()),
        oncall_team=each(lambda name: b.require("oncall").get_team(name)),
        oncall_users=Once(lambda: b.require("oncall").list_users()),
        oncall_events=each(
            lambda r: b.require("oncall").list_events(start_before=r[1], end_after=r[0])
        ),
        oncall_team_users=Once(lambda: b.require("oncall").list_team_memberships()),
        toc_members=Once(lambda: b.require("teamoclock").list_members()),
        toc_teams=Once(lambda: b.require("teamoclock").list_teams()),
        toc_team_members=each(lambda slug: b.require("teamoclock").list_team_members(slug)),
        toc_meetings=each(toc_meetings),
        teampulse_users=Once(lambda: b.require("teampulse").list_users()),
        teampulse_time_entries=each(
            lambda r: b.require("teampulse").list_time_entries(start_date=r[0], end_date=r[1])
        ),
        hack24_teams=Once(lambda: b.require("hack24").list_teams()),
        hack24_users=Once(lambda: b.require("hack24").list_users()),
    )
