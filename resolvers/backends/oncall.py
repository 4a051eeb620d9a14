"""LinkedIn oncall client (``/api/v0``): teams, rosters, schedules, shifts, users, services.

Accepts both what the 2017 docs show and what a real 2.1.7 server sends (see
``shared/oncall-real-server.md``): contacts with ``im`` or ``slack``/``teams_messenger``,
``admins`` as ``[{"name"}]`` or ``["name"]``, ``in_rotation`` as bool or int, rosters with or
without the roster-name wrapper, service on-call ``user`` as a full name (docs) or username
plus ``full_name`` (real), ``POST /events/link`` answering ``[ids]`` (docs) or
``{"link_id", "event_ids"}`` (real), creates answering 200 or 201, and stray keys such as
``"destination": null``.

Usage::

    http = httpx.AsyncClient(base_url="https://oncall.example.com/api/v0",
                             auth=OncallHmacAuth("teamgraph", key), timeout=10)
    oncall = OncallClient(http)
    on_call_now = await oncall.list_oncall("platform", "primary")

Writes need credentials the server accepts: app HMAC (above; it bypasses team-admin checks,
and creating a team then needs ``admin=``), or nothing on a server in auth-debug mode. Names
are matched case-sensitively upstream. Nothing paginates; ``/events`` has no batch (``__in``)
filter, so batch by time window or id range and filter here. The methods live by concept in
``oncall_teams``, ``oncall_rosters``, ``oncall_events`` and ``oncall_users``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Generator, Sequence
from datetime import datetime
from typing import Literal

import httpx

from resolvers.backends.oncall_base import DONE, path, seconds
from resolvers.backends.oncall_events import OncallEvents
from resolvers.backends.oncall_models import (
    AuditEntry,
    Contacts,
    Epoch,
    Event,
    LinkedEvents,
    Names,
    NewEvent,
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
)
from resolvers.backends.oncall_rosters import OncallRosters
from resolvers.backends.oncall_teams import OncallTeams
from resolvers.backends.oncall_users import OncallUsers

__all__ = [
    "AuditEntry",
    "Contacts",
    "Epoch",
    "Event",
    "LinkedEvents",
    "Names",
    "NewEvent",
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
    # Headers signed in the current 5-second window, by message: a gateway sends the same
    # GETs over and over, and an HMAC-SHA512 costs more than the rest of building the request.
    # A signature depends on nothing but the message (the window included), so reusing one
    # sends exactly the bytes signing again would. Bounded: emptied when full.
    max_signed = 4096

    def __init__(self, app_name: str, key: str, *, clock: Callable[[], float] = time.time) -> None:
        self.app_name = app_name
        self._key = key.encode()
        self._clock = clock
        self._window = -1
        self._signed: dict[bytes, str] = {}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        query = request.url.query.decode("ascii")
        target = f"{request.url.path}?{query}" if query else request.url.path
        window = int(self._clock()) // 5
        message = f"{window} {request.method} {target} ".encode() + request.content
        if window != self._window or len(self._signed) >= self.max_signed:
            self._window = window
            self._signed = {}
        header = self._signed.get(message)
        if header is None:
            digest = hmac.new(self._key, message, hashlib.sha512).digest()
            header = f"hmac {self.app_name}:{base64.urlsafe_b64encode(digest).decode()}"
            self._signed[message] = header
        request.headers["Authorization"] = header
        yield request


# -- the client --------------------------------------------------------------------------


class OncallClient(OncallTeams, OncallRosters, OncallEvents, OncallUsers):
    """Typed access to one oncall server. ``get_*`` return ``None`` when it says 404."""

    # -- services ------------------------------------------------------------------------------

    async def list_services(self) -> list[str]:
        """Every service name, alphabetically."""
        return await self._names("/services")

    async def create_service(self, name: str) -> None:
        """Create a service (admin-only upstream: 403 unless in auth-debug mode)."""
        await self._write("POST", "/services", {"name": name}, expect=(200, 201))

    async def get_service(self, name: str) -> Service | None:
        return await self.get_optional(path("services", name), Service)

    async def update_service(self, name: str, *, new_name: str) -> None:
        """Rename a service (admin-only upstream: 403 unless in auth-debug mode)."""
        await self._write("PUT", path("services", name), {"name": new_name})

    async def delete_service(self, name: str) -> None:
        """Delete a service and its team mapping (admin-only, like the other service writes)."""
        await self._write("DELETE", path("services", name))

    async def list_service_teams(self, name: str) -> list[str]:
        return await self._names(path("services", name, "teams"))

    async def list_service_oncall(self, name: str, role: str | None = None) -> list[OncallEntry]:
        """Who is on call now for the teams owning service ``name``."""
        parts = ("services", name, "oncall") + ((role,) if role else ())
        entries = await self.get_model(path(*parts), list[OncallEntry])
        return [e.model_copy(update={"role": e.role or role}) for e in entries]

    # -- lookups, search, audit, health --------------------------------------------------------

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

    async def list_audit(
        self, *, team: str | None = None, owner: str | None = None,
        actions: Sequence[str] | None = None, start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[AuditEntry]:  # fmt: skip
        """The audit log (2.1.7's ``GET /audit``), oldest first; ``start``/``end`` bound the
        timestamp inclusively, ``actions`` keeps any of those actions."""
        params: dict[str, str | int | Sequence[str]] = {}
        for key, value in (("team", team), ("owner", owner), ("start", seconds(start)),
                           ("end", seconds(end))):  # fmt: skip
            if value is not None:
                params[key] = value
        if actions:
            params["action"] = list(actions)  # repeated: the server does not split commas
        return await self.get_model("/audit", list[AuditEntry], params=params)

    async def get_health(self) -> str:
        """``GET /healthcheck`` at the server root (the base URL without ``/api/v0``):
        ``"GOOD"`` when the server is healthy."""
        base = self.http.base_url
        root = base.path.rstrip("/").removesuffix("/api/v0")
        response = await self.send("GET", str(base.copy_with(path=f"{root}/healthcheck")),
                                   expect=DONE)  # fmt: skip
        return response.text.strip()
