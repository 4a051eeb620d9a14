"""LinkedIn oncall client (``/api/v0``): teams, rosters, shifts, users and services.

Accepts both what the 2017 docs show and what a real 2.1.7 server sends (see
``shared/oncall-real-server.md``): contacts with ``im`` or ``slack``/``teams_messenger``,
``admins`` as ``[{"name"}]`` or ``["name"]``, ``in_rotation`` as bool or int, rosters with or
without the roster-name wrapper, service on-call ``user`` as a full name (docs) or username
plus ``full_name`` (real), and stray keys such as ``"destination": null``.

Usage::

    http = httpx.AsyncClient(base_url="https://oncall.example.com/api/v0",
                             auth=OncallHmacAuth("teamgraph", key), timeout=10)
    oncall = OncallClient(http)
    on_call_now = await oncall.list_oncall("platform", "primary")

Names are matched case-sensitively upstream. Nothing paginates; ``/events`` has no batch
(``__in``) filter, so batch by time window or id range and filter here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from datetime import datetime
from typing import Literal
from urllib.parse import quote

import httpx
import orjson

from resolvers.backends.base import BaseClient, gather_limited
from resolvers.backends.errors import UpstreamNotFound, UpstreamRejected
from resolvers.backends.oncall_models import (
    Contacts,
    Epoch,
    Event,
    Names,
    NotificationSetting,
    NotificationType,
    OncallEntry,
    Role,
    Roster,
    RosterUser,
    Schedule,
    ScheduleEvent,
    SearchResult,
    SearchUser,
    Service,
    SummaryEntry,
    TeamDetail,
    TeamSummary,
    UpcomingShift,
    User,
    _keyed,
    _Pair,
)

__all__ = [
    "Contacts",
    "Epoch",
    "Event",
    "Names",
    "NotificationSetting",
    "NotificationType",
    "OncallClient",
    "OncallEntry",
    "OncallHmacAuth",
    "Role",
    "Roster",
    "RosterUser",
    "Schedule",
    "ScheduleEvent",
    "SearchResult",
    "SearchUser",
    "Service",
    "SummaryEntry",
    "TeamDetail",
    "TeamSummary",
    "UpcomingShift",
    "User",
]

# -- auth --------------------------------------------------------------------------------


class OncallHmacAuth(httpx.Auth):
    """oncall's application auth: ``Authorization: hmac <app>:<digest>`` on every request.

    The digest is HMAC-SHA512 (urlsafe base64) over
    ``"{unix_time // 5} {METHOD} {path}[?{query}] {body}"``, where ``path`` is the URL path
    as sent, percent-decoded (the form the server checks in every case), and ``query`` and
    ``body`` are raw. The server accepts about 30 s of clock skew.
    """

    requires_request_body = True

    def __init__(self, app_name: str, key: str, *, clock: Callable[[], float] = time.time) -> None:
        self.app_name = app_name
        self._key = key.encode()
        self._clock = clock

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        query = request.url.query.decode("ascii")
        target = f"{request.url.path}?{query}" if query else request.url.path
        window = int(self._clock()) // 5
        message = f"{window} {request.method} {target} ".encode() + request.content
        digest = base64.urlsafe_b64encode(hmac.new(self._key, message, hashlib.sha512).digest())
        request.headers["Authorization"] = f"hmac {self.app_name}:{digest.decode()}"
        yield request


# -- the client --------------------------------------------------------------------------

Params = Mapping[str, str | int | Sequence[str]]


def _seconds(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def _path(*parts: str) -> str:
    # Names may hold spaces, '#', '?' or '%': encode every segment completely.
    return "/" + "/".join(quote(p, safe="") for p in parts)


class OncallClient(BaseClient):
    """Typed access to one oncall server. ``get_*`` return ``None`` when it says 404."""

    service = "oncall"

    def error_detail(self, response: httpx.Response) -> str | None:
        body = orjson.loads(response.content)
        title, description = body.get("title"), body.get("description")
        return f"{title}: {description}" if description else title

    async def _names(self, path: str, *, params: Params | None = None) -> list[str]:
        return await self.get_model(path, Names, params=params)

    # -- teams -----------------------------------------------------------------------------

    async def list_team_names(self) -> list[str]:
        """Names of all active teams."""
        return await self._names("/teams")

    async def list_team_ids(self) -> dict[str, int]:
        """``{team name: team id}`` for all active teams, in one call on 2.x servers.

        Servers older than ``get_id`` answer bare names; then each team is fetched (trimmed
        to its base columns), at most 8 at a time.
        """
        data = await self.get_json("/teams", params={"get_id": "true"})
        pairs: list[tuple[str, int] | str] = self.parse(
            list[tuple[str, int] | str], data, where="GET /teams?get_id=true"
        )
        if all(isinstance(p, tuple) for p in pairs):
            return dict(p for p in pairs if isinstance(p, tuple))
        names = [p if isinstance(p, str) else p[0] for p in pairs]
        teams = await gather_limited(self.get_team(n, fields=["id"]) for n in names)
        return {t.name: t.id for t in teams if t is not None}

    async def get_team(
        self, name: str, *, fields: Sequence[str] | None = None
    ) -> TeamDetail | None:
        """One team with its users, admins, services and rosters (or only ``fields`` of them).

        ``fields`` picks among ``users``, ``admins``, ``services``, ``rosters``; any other value
        trims the answer to the base columns.
        """
        params = {"fields": sorted(set(fields))} if fields is not None else None
        return await self.get_optional(_path("teams", name), TeamDetail, params=params)

    async def list_team_users(self, team: str) -> list[str]:
        """Usernames of a team's members (admins and roster members); ``[]`` if unknown."""
        return await self._names(_path("teams", team, "users"))

    async def list_team_admins(self, team: str) -> list[str]:
        return await self._names(_path("teams", team, "admins"))

    async def list_team_services(self, team: str) -> list[str]:
        return await self._names(_path("teams", team, "services"))

    async def list_rosters(self, team: str) -> list[Roster]:
        """A team's rosters with users and schedules; ``[]`` for an unknown team (a 422)."""
        try:
            data = await self.get_json(_path("teams", team, "rosters"))
        except UpstreamRejected as exc:
            if exc.status == 422:
                return []
            raise
        where = f"GET {_path('teams', team, 'rosters')}"
        return self.parse(list[Roster], _keyed(data), where=where)

    async def get_roster(self, team: str, roster: str) -> Roster | None:
        """One roster; its schedules are filtered to this roster (2.1.7 returns the team's)."""
        path = _path("teams", team, "rosters", roster)
        try:
            data = await self.get_json(path)
        except UpstreamNotFound:
            return None
        if isinstance(data, dict) and "users" not in data and len(data) == 1:
            [(roster, data)] = data.items()  # the docs' {roster name: {...}} wrapper
        if isinstance(data, dict):
            data = {"name": roster, **data}
        found: Roster = self.parse(Roster, data, where=f"GET {path}")
        own = [s for s in found.schedules if s.roster in (None, roster)]
        return found.model_copy(update={"schedules": own})

    async def list_roster_users(self, team: str, roster: str) -> list[str]:
        return await self._names(_path("teams", team, "rosters", roster, "users"))

    async def list_roster_schedules(self, team: str, roster: str) -> list[Schedule]:
        """A roster's schedules (upstream ignores the roster here, so filter client-side)."""
        path = _path("teams", team, "rosters", roster, "schedules")
        schedules = await self.get_model(path, list[Schedule])
        return [s for s in schedules if s.roster in (None, roster)]

    async def get_schedule(self, schedule_id: int) -> Schedule | None:
        """One schedule. Beware: 2.1.7 answers an unknown id with 500 (UpstreamUnavailable)."""
        return await self.get_optional(f"/schedules/{schedule_id}", Schedule)

    async def list_oncall(self, team: str, role: str | None = None) -> list[OncallEntry]:
        """Who is on call for ``team`` right now (optionally one role), with contacts."""
        parts = ("teams", team, "oncall") + ((role,) if role else ())
        entries = await self.get_model(_path(*parts), list[OncallEntry])
        # Docs-era answers lack team and role; we know both from the question.
        return [e.model_copy(update={"team": e.team or team, "role": e.role or role})
                for e in entries]  # fmt: skip

    async def get_team_summary(self, team: str) -> TeamSummary | None:
        """Current and next shifts by role; ``None`` for an unknown team."""
        return await self.get_optional(_path("teams", team, "summary"), TeamSummary)

    async def list_team_memberships(self) -> list[tuple[str, str]]:
        """Every ``(team, username)`` membership, in one call."""
        pairs = await self.get_model("/team_users", list[_Pair])
        return [(p.team, p.user) for p in pairs if p.user is not None]

    async def list_service_assignments(self) -> list[tuple[str, str]]:
        """Every ``(team, service)`` mapping, in one call."""
        pairs = await self.get_model("/team_services", list[_Pair])
        return [(p.team, p.service) for p in pairs if p.service is not None]

    # -- events ----------------------------------------------------------------------------

    async def list_events(
        self,
        *,
        team: str | None = None,
        user: str | None = None,
        role: str | None = None,
        start_before: datetime | None = None,
        end_after: datetime | None = None,
        start_after: datetime | None = None,
        end_before: datetime | None = None,
    ) -> list[Event]:
        """Events matching every given filter (all teams when ``team`` is None).

        ``start_before``/``end_after`` are strict (``start__lt``, ``end__gt``), so
        ``start_before=t, end_after=t`` is "on call at t"; ``start_after``/``end_before`` are
        inclusive (``start__ge``, ``end__le``). With no filter the whole table comes back.
        """
        given = {
            "team": team, "user": user, "role": role,
            "start__lt": _seconds(start_before), "end__gt": _seconds(end_after),
            "start__ge": _seconds(start_after), "end__le": _seconds(end_before),
        }  # fmt: skip
        params = {k: v for k, v in sorted(given.items()) if v is not None}
        return await self.get_model("/events", list[Event], params=params)

    async def get_event(self, event_id: int) -> Event | None:
        return await self.get_optional(f"/events/{event_id}", Event)

    async def create_event(
        self, *, start: datetime, end: datetime, user: str, team: str, role: str,
        note: str | None = None, schedule_id: int | None = None,
    ) -> int:  # fmt: skip
        """Create one event; returns its id. ``user`` must be a member of ``team``."""
        body: dict[str, object] = {"start": _seconds(start), "end": _seconds(end), "user": user,
                                   "team": team, "role": role}  # fmt: skip
        if note is not None:
            body["note"] = note
        if schedule_id is not None:
            body["schedule_id"] = schedule_id
        response = await self.send("POST", "/events", json=body, expect=(201,))
        return self.parse(int, self.decode(response), where="POST /events")

    async def update_event(
        self, event_id: int, *, start: datetime, end: datetime, user: str | None = None,
        role: str | None = None, note: str | None = None,
    ) -> None:  # fmt: skip
        """Edit an event. ``start`` and ``end`` are required: 2.1.7 fails with 500 without."""
        body = {"start": _seconds(start), "end": _seconds(end), "user": user, "role": role,
                "note": note}  # fmt: skip
        sent = {k: v for k, v in body.items() if v is not None}
        await self.send("PUT", f"/events/{event_id}", json=sent)

    async def delete_event(self, event_id: int) -> None:
        await self.send("DELETE", f"/events/{event_id}")

    async def swap_events(self, first: int | str, second: int | str) -> None:
        """Swap the users of two events; a ``str`` is a ``link_id`` (a whole linked set)."""
        refs = [{"id": ref, "linked": isinstance(ref, str)} for ref in (first, second)]
        await self.send("POST", "/events/swap", json={"events": refs})

    async def override_events(
        self, event_ids: Sequence[int], *, start: datetime, end: datetime, user: str
    ) -> list[Event]:
        """Hand ``[start, end)`` of consecutive events to ``user``; returns the events now."""
        body = {"event_ids": list(event_ids), "start": _seconds(start), "end": _seconds(end),
                "user": user}  # fmt: skip
        response = await self.send("POST", "/events/override", json=body)
        return self.parse(list[Event], self.decode(response), where="POST /events/override")

    # -- users -----------------------------------------------------------------------------

    async def list_users(self, *, active: bool | None = None) -> list[User]:
        """Every user with contacts, in ONE call (the way to batch users by name)."""
        params = None if active is None else {"active": int(active)}
        return await self.get_model("/users", list[User], params=params)

    async def get_user(self, name: str) -> User | None:
        return await self.get_optional(_path("users", name), User)

    async def list_user_teams(self, name: str) -> list[str]:
        """Active teams the user belongs to; ``[]`` for an unknown user (a 404 upstream)."""
        found = await self.get_optional(_path("users", name, "teams"), Names)
        return found or []

    async def list_upcoming(
        self, user: str, *, limit: int | None = None, role: str | None = None
    ) -> list[UpcomingShift]:
        """The user's shifts starting after now, soonest first; a linked set counts once."""
        given = {"limit": limit, "role": role}
        params = {k: v for k, v in given.items() if v is not None}
        return await self.get_model(_path("users", user, "upcoming"), list[UpcomingShift],
                                    params=params)  # fmt: skip

    async def list_user_notifications(self, user: str) -> list[NotificationSetting]:
        return await self.get_model(_path("users", user, "notifications"),
                                    list[NotificationSetting])  # fmt: skip

    # -- services, roles and search ----------------------------------------------------------

    async def list_services(self) -> list[str]:
        return await self._names("/services")

    async def get_service(self, name: str) -> Service | None:
        return await self.get_optional(_path("services", name), Service)

    async def list_service_teams(self, name: str) -> list[str]:
        return await self._names(_path("services", name, "teams"))

    async def list_service_oncall(self, name: str, role: str | None = None) -> list[OncallEntry]:
        """Who is on call now for the teams owning service ``name``."""
        parts = ("services", name, "oncall") + ((role,) if role else ())
        entries = await self.get_model(_path(*parts), list[OncallEntry])
        return [e.model_copy(update={"role": e.role or role}) for e in entries]

    async def list_roles(self) -> list[Role]:
        return await self.get_model("/roles", list[Role])

    async def list_notification_types(self) -> list[NotificationType]:
        return await self.get_model("/notification_types", list[NotificationType])

    async def search(
        self,
        keyword: str,
        *,
        fields: Sequence[Literal["teams", "services", "users"]] | None = None,
    ) -> SearchResult:
        """Typeahead search: teams and services by substring, users by name prefix."""
        params: dict[str, str | Sequence[str]] = {"keyword": keyword}
        if fields:
            params["fields"] = sorted(set(fields))
        return await self.get_model("/search", SearchResult, params=params)
