"""The oncall emulator's fixed tables (roles, modes, notification types), columns and rows."""

from __future__ import annotations

from dataclasses import dataclass, field

# (name, display_order); ids are the positions, 1-based, as in upstream's dummy data.
ROLES = ("primary", "secondary", "shadow", "manager", "vacation", "unavailable")
MODES = ("email", "sms", "call", "slack", "teams_messenger")
NOTIFICATION_TYPES = (
    ("oncall_reminder", 1), ("offcall_reminder", 1), ("event_created", 0), ("event_edited", 0),
    ("event_deleted", 0), ("event_swapped", 0), ("event_substituted", 0),
)  # fmt: skip
USER_COLUMNS = ("id", "name", "full_name", "time_zone", "photo_url", "active", "god", "contacts")
EVENT_COLUMNS = (
    "id", "start", "end", "role", "team", "user", "full_name", "schedule_id", "link_id", "note",
)  # fmt: skip
TEAM_PARTS = ("users", "admins", "services", "rosters")


@dataclass
class UserRow:
    id: int
    name: str
    full_name: str | None
    time_zone: str | None
    contacts: dict[str, str]
    photo_url: str | None = None
    active: int = 1
    god: int = 0


@dataclass
class TeamRow:
    id: int
    name: str
    email: str
    slack_channel: str
    scheduling_timezone: str
    description: str
    users: list[str] = field(default_factory=list)
    admins: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    active: int = 1


@dataclass
class RosterRow:
    id: int
    name: str
    team: str
    users: list[tuple[str, bool]]  # (username, in_rotation), in roster_priority order


@dataclass
class ScheduleRow:
    id: int
    team: str
    roster: str
    role: str
    events: list[tuple[int, int]]  # (start offset from Sunday 00:00, duration), seconds
    auto_populate_threshold: int = 21
    advanced_mode: int = 0


@dataclass
class EventRow:
    id: int
    start: int
    end: int
    team: str
    role: str
    user: str
    schedule_id: int | None = None
    link_id: str | None = None
    note: str | None = None
