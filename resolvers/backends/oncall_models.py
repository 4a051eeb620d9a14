"""oncall's payload models, with validators for both the docs' and the real server's shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, model_validator


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
    # Attribute docstrings become field descriptions, here and in the GraphQL types
    # derived from these models (schema/services).
    model_config = ConfigDict(
        populate_by_name=True, extra="ignore", frozen=True, use_attribute_docstrings=True
    )


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


class NewEvent(_Model):
    """One event to create in a linked set (:meth:`OncallClient.link_events`)."""

    start: datetime
    end: datetime
    user: str  # username; must be a member of `team`
    team: str
    role: str
    note: str | None = None


class LinkedEvents(_Model):
    """``POST /events/link``: 2.1.7 answers ``{"link_id", "event_ids"}``, the docs ``[ids]``."""

    link_id: str | None = None
    event_ids: list[int]

    @model_validator(mode="before")
    @classmethod
    def _docs_shape(cls, data: Any) -> Any:
        return {"event_ids": data} if isinstance(data, list) else data


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


class AuditEntry(_Model):
    """One row of ``GET /audit`` (2.1.7; not in the 2017 docs)."""

    owner: str  # the user who acted, or the application's name
    team: str
    action: str  # team_created, event_edited, roster_user_added, ...
    timestamp: Epoch = Field(validation_alias=AliasChoices("timestamp", "change_time"))
    context: str | None = None  # JSON text: the request body and what it changed


class _Created(_Model):
    id: int


class _Pair(_Model):
    team: str
    user: str | None = None
    service: str | None = None
