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
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import quote

import httpx
import orjson
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from resolvers.backends.base import BaseClient, gather_limited
from resolvers.backends.errors import UpstreamNotFound, UpstreamRejected

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


# -- models ------------------------------------------------------------------------------


def _epoch(value: object) -> object:
    # oncall times are unix seconds; strings of digits appear in hand-written payloads.
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (ValueError, OverflowError, OSError):
            return value  # not a timestamp: let pydantic report it
    return value


def _names(value: object) -> object:
    # `admins` is [{"name": ...}] inside a team, ["name"] from /teams/{t}/admins.
    if isinstance(value, list):
        return [v.get("name") if isinstance(v, dict) else v for v in value]
    return value


def _keyed(value: object) -> object:
    # Rosters come keyed by name: {"roster-foo": {...}} -> [{"name": "roster-foo", ...}].
    if isinstance(value, dict):
        return [{"name": k, **v} if isinstance(v, dict) else v for k, v in value.items()]
    return value


Epoch = Annotated[datetime, BeforeValidator(_epoch)]
Names = Annotated[list[str], BeforeValidator(_names)]


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)


class Contacts(_Model):
    """Contact destinations by mode; the docs' ``im`` and the real server's modes both fit."""

    email: str | None = None
    sms: str | None = None
    call: str | None = None
    slack: str | None = None
    im: str | None = None
    teams_messenger: str | None = None


class User(_Model):
    id: int
    name: str  # the username, the key in every path
    full_name: str | None = None
    time_zone: str | None = None
    photo_url: str | None = None
    active: bool = True  # 1/0 on the wire
    god: bool = False
    contacts: Contacts = Contacts()


class RosterUser(_Model):
    name: str
    in_rotation: bool  # bool from /rosters, 1/0 from /rosters/{r}
    roster_priority: int | None = None


class ScheduleEvent(_Model):
    start: timedelta  # offset from Sunday 00:00 in the team's scheduling timezone
    duration: timedelta


class Schedule(_Model):
    id: int
    role: str
    roster: str | None = None
    team: str | None = None
    events: list[ScheduleEvent] = []
    advanced_mode: bool = False
    auto_populate_threshold: int | None = None  # days to fill ahead; the docs send "21"
    role_id: int | None = None
    roster_id: int | None = None
    team_id: int | None = None
    timezone: str | None = None
    scheduler: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _scheduler_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("scheduler"), dict):
            return {**data, "scheduler": data["scheduler"].get("name")}
        return data


class Roster(_Model):
    name: str
    id: int | None = None  # absent from the real GET /teams/{t}/rosters/{r}
    users: list[RosterUser] = []
    schedules: list[Schedule] = []


class TeamDetail(_Model):
    """``GET /teams/{team}``; parts left out by ``fields`` come back empty."""

    id: int
    name: str
    email: str | None = None
    slack_channel: str | None = None
    slack_channel_notifications: str | None = None
    scheduling_timezone: str | None = None
    description: str | None = None
    iris_plan: str | None = None
    iris_enabled: bool = False
    override_phone_number: str | None = None
    api_managed_roster: bool = False
    users: dict[str, User] = {}
    admins: Names = []
    services: list[str] = []
    rosters: Annotated[list[Roster], BeforeValidator(_keyed)] = []


class Event(_Model):
    id: int
    start: Epoch
    end: Epoch
    team: str
    role: str
    user: str  # username
    full_name: str | None = None
    schedule_id: int | None = None
    link_id: str | None = None  # shared by a linked set of events
    note: str | None = None


class UpcomingShift(Event):
    num_events: int = 0  # size of a linked set; 0 (or absent) for a single event


class OncallEntry(_Model):
    """Someone on call now, from ``/teams/{t}/oncall`` or ``/services/{s}/oncall``.

    ``user`` is ``None`` when the server sent the docs' service shape, whose ``user`` is the
    full name and which has no username.
    """

    user: str | None
    full_name: str | None = None
    start: Epoch
    end: Epoch
    role: str | None = None
    team: str | None = None
    contacts: Contacts = Contacts()

    @model_validator(mode="before")
    @classmethod
    def _docs_service_shape(cls, data: Any) -> Any:
        if isinstance(data, dict) and "full_name" not in data and "team" not in data:
            return {**data, "full_name": data.get("user"), "user": None}
        return data


class SummaryEntry(_Model):
    user: str | None = None  # the 2017 docs' summary has only user_id
    user_id: int | None = None
    full_name: str | None = None
    photo_url: str | None = None
    start: Epoch
    end: Epoch
    role: str
    contacts: Contacts = Field(default=Contacts(), alias="user_contacts")


class TeamSummary(_Model):
    current: dict[str, list[SummaryEntry]] = {}  # by role
    next: dict[str, list[SummaryEntry]] = {}


class Service(_Model):
    id: int
    name: str


class Role(_Model):
    id: int
    name: str
    display_order: int | None = None


class NotificationType(_Model):
    name: str
    is_reminder: bool


class NotificationSetting(_Model):
    id: int
    team: str
    roles: list[str]
    mode: str
    type: str
    time_before: int | None = None  # seconds, reminders only
    only_if_involved: bool | None = None


class SearchUser(_Model):
    name: str
    full_name: str | None = None


def _search_users(value: object) -> object:
    # Some server versions answer bare usernames.
    if isinstance(value, list):
        return [{"name": v} if isinstance(v, str) else v for v in value]
    return value


def _search_services(value: object) -> object:
    # Real: {service: [teams]}; older code {service: team}; the docs [{service: team}, ...].
    merged: dict[str, list[object]] = {}
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else None
    if items is None:
        return value
    for item in items:
        if not isinstance(item, dict):
            return value
        for service, teams in item.items():
            merged.setdefault(service, []).extend(teams if isinstance(teams, list) else [teams])
    return merged


class SearchResult(_Model):
    teams: list[str] = []
    services: Annotated[dict[str, list[str]], BeforeValidator(_search_services)] = {}
    users: Annotated[list[SearchUser], BeforeValidator(_search_users)] = []


class _Pair(_Model):
    team: str
    user: str | None = None
    service: str | None = None


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
