"""The oncall emulator's fixed tables (roles, modes, notification types, config) and its rows.

Rows refer to each other by id, as upstream's tables do, so renaming a team, roster, user or
service (all allowed by the API) keeps every link intact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# (name, display_order); ids are the positions, 1-based, as in upstream's dummy data.
ROLES = ("primary", "secondary", "shadow", "manager", "vacation", "unavailable")
MODES = ("email", "sms", "call", "slack", "teams_messenger")
NOTIFICATION_TYPES = (
    ("oncall_reminder", 1), ("offcall_reminder", 1), ("event_created", 0), ("event_edited", 0),
    ("event_deleted", 0), ("event_swapped", 0), ("event_substituted", 0),
)  # fmt: skip
# The stock config (configs/config.yaml of 2.1.7): supported_timezones and the default
# reminder settings a user gets when joining a team.
SUPPORTED_TIMEZONES = (
    "US/Pacific", "US/Eastern", "US/Central", "US/Mountain", "US/Alaska", "US/Hawaii",
    "Asia/Kolkata", "Asia/Shanghai", "UTC",
)  # fmt: skip
DEFAULT_ROLES = ("primary", "secondary", "shadow", "manager")
DEFAULT_TIMES = (86400, 604800)
DEFAULT_MODES = ("email",)
GRACE_PERIOD = 24 * 3600  # how far back event writes may reach
DEBUG_USER = "test_user"  # who an anonymous write runs as in auth-debug mode
# upstream's utils.invalid_char_reg, verbatim: team and roster names may not contain these
INVALID_CHAR = re.compile(r'[!"#%-,\.\/;->@\[-\^`\{-~]+')

USER_COLUMNS = ("id", "name", "full_name", "time_zone", "photo_url", "active", "god", "contacts")
EVENT_COLUMNS = (
    "id", "start", "end", "role", "team", "user", "full_name", "schedule_id", "link_id", "note",
)  # fmt: skip
TEAM_PARTS = ("users", "admins", "services", "rosters")
SCHEDULERS = ("default", "round-robin", "no-skip-matching", "multi-team")
SCHEDULE_FIELDS = (
    "id", "roster", "auto_populate_threshold", "role", "team", "events", "advanced_mode",
    "timezone", "scheduler",
)  # fmt: skip


@dataclass
class UserRow:
    id: int
    name: str
    full_name: str | None = None
    time_zone: str | None = None
    contacts: dict[str, str] = field(default_factory=dict)
    photo_url: str | None = None
    active: int = 1
    god: int = 0


@dataclass
class TeamRow:
    id: int
    name: str
    scheduling_timezone: str
    email: str | None = None
    slack_channel: str | None = None
    slack_channel_notifications: str | None = None
    description: str | None = None
    iris_plan: str | None = None
    iris_enabled: int = 0
    override_phone_number: str | None = None
    api_managed_roster: int = 0
    active: int = 1
    users: set[int] = field(default_factory=set)  # team_user
    admins: set[int] = field(default_factory=set)  # team_admin
    services: set[int] = field(default_factory=set)  # team_service


@dataclass
class RosterMember:
    in_rotation: bool
    priority: int  # roster_priority: the scheduler's order, not the listing order


@dataclass
class RosterRow:
    id: int
    name: str
    team_id: int
    members: dict[int, RosterMember] = field(default_factory=dict)  # by user id


@dataclass
class ScheduleRow:
    id: int
    team_id: int
    roster_id: int
    role: str
    events: list[tuple[int, int]]  # (start offset from Sunday 00:00, duration), seconds
    auto_populate_threshold: int = 21
    advanced_mode: int = 0
    scheduler: str = "default"
    last_epoch: int | None = None  # last_epoch_scheduled


@dataclass
class EventRow:
    id: int
    start: int
    end: int
    team_id: int
    role: str
    user_id: int
    schedule_id: int | None = None
    link_id: str | None = None
    note: str | None = None


@dataclass
class NotificationRow:
    id: int
    user_id: int
    team_id: int
    mode: str
    type: str
    roles: list[str]
    time_before: int | None = None
    only_if_involved: int | None = None


@dataclass(frozen=True)
class AuditRow:
    owner: str
    team: str
    action: str
    timestamp: int
    context: str  # JSON text, as upstream stores it
