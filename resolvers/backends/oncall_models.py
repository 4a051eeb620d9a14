"""oncall's payload models, with validators for both the docs' and the real server's shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from resolvers.backends.deferred import Deferred


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
    """Email address."""
    sms: str | None = None
    """Number for text messages."""
    call: str | None = None
    """Number for phone calls."""
    slack: str | None = None
    """Slack handle (2.1.7's contact mode)."""
    im: str | None = None
    """Chat handle, as the 2017 docs name it (2.1.7 has `slack` instead)."""
    teams_messenger: str | None = None
    """Microsoft Teams handle (2.1.7's contact mode)."""


class User(_Model):
    id: int
    """oncall's numeric id of the user."""
    name: str
    """The username: the user's key in every oncall path."""
    full_name: str | None = None
    """The user's full name."""
    time_zone: str | None = None
    """The user's time zone (a tz name such as `US/Pacific`)."""
    photo_url: str | None = None
    """URL of the user's photo."""
    active: bool = True  # 1/0 on the wire
    """Whether the user is active (deactivated users keep their history)."""
    god: bool = False
    """Whether the user is a superuser, allowed every action (2.1.7)."""
    contacts: Contacts = Contacts()
    """Where to reach the user, by contact mode."""


class RosterUser(_Model):
    name: str
    """The member's username."""
    in_rotation: bool  # bool from /rosters, 1/0 from /rosters/{r}
    """Whether schedules may pick this member now."""
    roster_priority: int | None = None
    """The member's place in the roster's rotation order, from 0 (only in a single roster's
    answer)."""


class ScheduleEvent(_Model):
    start: timedelta
    """When the shift starts: the offset from Sunday 00:00 in the team's scheduling timezone."""
    duration: timedelta
    """How long the shift lasts."""


class Schedule(_Model):
    id: int
    """oncall's id of the schedule."""
    role: str
    """The role its shifts are for (primary, secondary, …)."""
    roster: str | None = None
    """The name of the roster it draws people from."""
    team: str | None = None
    """The name of its team."""
    events: list[ScheduleEvent] = []
    """The shifts of one rotation, repeated from week to week."""
    advanced_mode: bool = False
    """Whether the shifts are free-form; otherwise one 1- or 2-week shift, or 7 or 14 shifts of 12
    hours."""
    auto_populate_threshold: int | None = None  # the docs send "21"
    """How many days ahead the scheduler fills in shifts."""
    role_id: int | None = None
    """oncall's id of its role."""
    roster_id: int | None = None
    """oncall's id of its roster."""
    team_id: int | None = None
    """oncall's id of its team."""
    timezone: str | None = None
    """The team's scheduling timezone, in which the shift offsets count."""
    scheduler: str | None = None
    """The name of the scheduler that fills it in (2.1.7; `default`, `round-robin`, …)."""

    @model_validator(mode="before")
    @classmethod
    def _scheduler_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("scheduler"), dict):
            return {**data, "scheduler": data["scheduler"].get("name")}
        return data


class Roster(_Model):
    name: str
    """The roster's name, unique in its team."""
    id: int | None = None
    """oncall's id of the roster (absent from a single roster's answer on 2.1.7)."""
    users: list[RosterUser] = []
    """Its members, by user id."""
    # Validated when read (resolvers/backends/deferred.py): most queries read members only.
    schedules: Deferred[list[Schedule]] = Field(
        default_factory=lambda: Deferred[list[Schedule]].ready([])
    )
    """The schedules that draw from it."""


class TeamDetail(_Model):
    """``GET /teams/{team}``; parts left out by ``fields`` come back empty."""

    id: int
    """oncall's numeric id of the team."""
    name: str
    """The team's name: its key in every oncall path."""
    email: str | None = None
    """The team's email address."""
    slack_channel: str | None = None
    """The team's Slack channel (starts with `#`)."""
    slack_channel_notifications: str | None = None
    """The Slack channel for the team's notifications (2.1.7)."""
    scheduling_timezone: str | None = None
    """The time zone the team's schedules count in."""
    description: str | None = None
    """What the team does (2.1.7)."""
    iris_plan: str | None = None
    """The Iris escalation plan for the team, if any."""
    iris_enabled: bool = False
    """Whether escalation through Iris is on (2.1.7)."""
    override_phone_number: str | None = None
    """A phone number that overrides the on-call person's for the team (2.1.7)."""
    api_managed_roster: bool = False
    """Whether the roster is managed through the API only (2.1.7)."""
    # Validated when read: with their contacts, two thirds of validating the whole answer.
    users: Deferred[dict[str, User]] = Field(
        default_factory=lambda: Deferred[dict[str, User]].ready({})
    )
    """Its members (admins and roster members) with their details, by username."""
    admins: Names = []
    """Usernames of its admins."""
    services: list[str] = []
    """Names of the services it is on call for."""
    rosters: Annotated[list[Roster], BeforeValidator(_keyed)] = []
    """Its rosters, with their members and schedules."""


class Event(_Model):
    id: int
    """oncall's id of the event."""
    start: Epoch
    """When the shift starts."""
    end: Epoch
    """When the shift ends."""
    team: str
    """The name of the team the shift is for."""
    role: str
    """The on-call role: primary, secondary, shadow, manager, …"""
    user: str
    """The username of who is on call."""
    full_name: str | None = None
    """The full name of who is on call."""
    schedule_id: int | None = None
    """The id of the schedule that created it; null for a shift added by hand."""
    link_id: str | None = None
    """Shared by a linked set of events (swapped together, one reminder); null if not linked."""
    note: str | None = None
    """A note left on the shift (2.1.7)."""


class NewEvent(_Model):
    """One event to create in a linked set (:meth:`OncallClient.link_events`)."""

    start: datetime
    """When the shift starts."""
    end: datetime
    """When the shift ends."""
    user: str
    """The username of who is on call; must be a member of `team`."""
    team: str
    """The name of the team the shift is for."""
    role: str
    """The on-call role."""
    note: str | None = None
    """A note to leave on the shift."""


class LinkedEvents(_Model):
    """``POST /events/link``: 2.1.7 answers ``{"link_id", "event_ids"}``, the docs ``[ids]``."""

    link_id: str | None = None
    """The id the linked events share (2.1.7)."""
    event_ids: list[int]
    """The ids of the events created."""

    @model_validator(mode="before")
    @classmethod
    def _docs_shape(cls, data: Any) -> Any:
        return {"event_ids": data} if isinstance(data, list) else data


class UpcomingShift(Event):
    num_events: int = 0
    """How many events its linked set has; 0 for a single event."""


class OncallEntry(_Model):
    """Someone on call now, from ``/teams/{t}/oncall`` or ``/services/{s}/oncall``.

    ``user`` is ``None`` when the server sent the docs' service shape, whose ``user`` is the
    full name and which has no username.
    """

    user: str | None
    """The username of who is on call; null from a docs-era service answer (full name only)."""
    full_name: str | None = None
    """The full name of who is on call."""
    start: Epoch
    """When the shift started."""
    end: Epoch
    """When the shift ends."""
    role: str | None = None
    """The on-call role."""
    team: str | None = None
    """The name of the team whose shift it is."""
    contacts: Contacts = Contacts()
    """Where to reach them, by contact mode."""

    @model_validator(mode="before")
    @classmethod
    def _docs_service_shape(cls, data: Any) -> Any:
        if isinstance(data, dict) and "full_name" not in data and "team" not in data:
            return {**data, "full_name": data.get("user"), "user": None}
        return data


class SummaryEntry(_Model):
    user: str | None = None
    """The username (absent from the 2017 docs' summary, which has only `user_id`)."""
    user_id: int | None = None
    """oncall's id of the user."""
    full_name: str | None = None
    """The full name of who is on call."""
    photo_url: str | None = None
    """URL of their photo."""
    start: Epoch
    """When the shift starts."""
    end: Epoch
    """When the shift ends."""
    role: str
    """The on-call role."""
    contacts: Contacts = Field(default=Contacts(), alias="user_contacts")
    """Where to reach them, by contact mode."""


class TeamSummary(_Model):
    current: dict[str, list[SummaryEntry]] = {}
    """The shifts running now, by role."""
    next: dict[str, list[SummaryEntry]] = {}
    """The next shift of each role, by role."""


class Service(_Model):
    id: int
    """oncall's id of the service."""
    name: str
    """The service's name: its key in every oncall path."""


class Role(_Model):
    id: int
    """oncall's id of the role."""
    name: str
    """The role's name: primary, secondary, shadow, manager, vacation, unavailable, …"""
    display_order: int | None = None
    """Where the role comes when roles are listed, from 1."""


class NotificationType(_Model):
    name: str
    """The type's name: oncall_reminder, offcall_reminder, event_created, event_edited,
    event_deleted, event_swapped, event_substituted."""
    is_reminder: bool
    """Whether it is a reminder (before a shift starts or ends) rather than a notification of a
    change."""


class NotificationSetting(_Model):
    id: int
    """oncall's id of the setting."""
    team: str
    """The name of the team whose events it is about."""
    roles: list[str]
    """The roles whose events it is about."""
    mode: str
    """The contact mode it is sent by: email, sms, call, slack, …"""
    type: str
    """The notification type (see `notificationTypes`)."""
    time_before: int | None = None
    """For reminders: how many seconds before the shift starts or ends."""
    only_if_involved: bool | None = None
    """For notifications: only when the user's own shifts change."""


class SearchUser(_Model):
    name: str
    """The username."""
    full_name: str | None = None
    """The full name."""


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
    """Names of the teams whose name contains the keyword."""
    services: Annotated[dict[str, list[str]], BeforeValidator(_search_services)] = {}
    """The services whose name contains the keyword, each with the names of its teams."""
    users: Annotated[list[SearchUser], BeforeValidator(_search_users)] = []
    """The users whose username or full name starts with the keyword."""


class AuditEntry(_Model):
    """One row of ``GET /audit`` (2.1.7; not in the 2017 docs)."""

    owner: str
    """Who acted: a username, or the application's name."""
    team: str
    """The name of the team it happened to."""
    action: str
    """What happened: team_created, event_edited, roster_user_added, …"""
    timestamp: Epoch = Field(validation_alias=AliasChoices("timestamp", "change_time"))
    """When it happened."""
    context: str | None = None
    """JSON text: the request body and what it changed."""


class _Created(_Model):
    id: int


class _Pair(_Model):
    team: str
    user: str | None = None
    service: str | None = None
