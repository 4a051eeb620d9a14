"""The oncall emulator's JSON renderings, key for key as the real 2.1.7 server sends them.

See ``shared/oncall-real-server.md`` §3 and §7: members are listed by user id, rosters from
``/rosters`` have a bool ``in_rotation`` and from ``/rosters/{r}`` an int one, user objects
keep a stray ``"destination": null`` when they have no contacts, and the summary's ``current``
and ``next`` items have different keys.
"""

from __future__ import annotations

from collections.abc import Iterable

from gateway.emulators._oncall_data import JSONObject, OncallDB
from gateway.emulators._oncall_http import OncallError
from gateway.emulators._oncall_tables import (
    EVENT_COLUMNS,
    ROLES,
    SCHEDULE_FIELDS,
    TEAM_PARTS,
    USER_COLUMNS,
    EventRow,
    NotificationRow,
    RosterRow,
    ScheduleRow,
    TeamRow,
    UserRow,
)


def user_json(user: UserRow, fields: Iterable[str] = USER_COLUMNS) -> JSONObject:
    out: JSONObject = {f: getattr(user, f) for f in fields if f != "contacts"}
    if "contacts" in fields:
        if not user.contacts:
            out["destination"] = None  # upstream leaves it behind when the join is empty
        out["contacts"] = dict(user.contacts)
    return out


def event_json(db: OncallDB, event: EventRow, fields: Iterable[str] = EVENT_COLUMNS) -> JSONObject:
    user = db.users[event.user_id]
    values = {"team": db.teams[event.team_id].name, "user": user.name,
              "full_name": user.full_name}  # fmt: skip
    return {f: values[f] if f in values else getattr(event, f) for f in fields}


def schedule_json(
    db: OncallDB, s: ScheduleRow, fields: Iterable[str] = SCHEDULE_FIELDS
) -> JSONObject:
    """One schedule; ``fields`` as upstream's get_schedules takes them (``id`` always)."""
    wanted = set(fields)
    if wanted - set(SCHEDULE_FIELDS):
        raise OncallError(400, "Bad fields", "One or more invalid fields")
    team = db.teams[s.team_id]
    parts: dict[str, JSONObject] = {
        "id": {"id": s.id},
        "roster": {"roster": db.rosters[s.roster_id].name, "roster_id": s.roster_id},
        "auto_populate_threshold": {"auto_populate_threshold": s.auto_populate_threshold},
        "role": {"role": s.role, "role_id": ROLES.index(s.role) + 1},
        "team": {"team": team.name, "team_id": team.id},
        "advanced_mode": {"advanced_mode": s.advanced_mode},
        "timezone": {"timezone": team.scheduling_timezone},
        "scheduler": {"scheduler": {"name": s.scheduler}},
        "events": {"events": [{"start": st, "duration": d} for st, d in s.events]},
    }
    return {k: v for name in SCHEDULE_FIELDS if name in wanted | {"id"}
            for k, v in parts[name].items()}  # fmt: skip


def roster_members(db: OncallDB, roster: RosterRow) -> list[tuple[str, bool, int]]:
    """(username, in_rotation, roster_priority), ordered by user id."""
    return [(db.users[uid].name, m.in_rotation, m.priority)
            for uid, m in sorted(roster.members.items())]  # fmt: skip


def rosters_json(db: OncallDB, team: TeamRow, rosters: Iterable[RosterRow]) -> JSONObject:
    schedules = db.team_schedules(team.id)
    return {
        r.name: {
            "users": [{"name": n, "in_rotation": rot} for n, rot, _ in roster_members(db, r)],
            "schedules": [schedule_json(db, s) for s in schedules if s.roster_id == r.id],
            "id": r.id,
        }
        for r in rosters
    }


def team_rosters(db: OncallDB, team: TeamRow) -> list[RosterRow]:
    return [r for r in db.rosters.values() if r.team_id == team.id]


def team_json(db: OncallDB, team: TeamRow, parts: Iterable[str] = TEAM_PARTS) -> JSONObject:
    out: JSONObject = {
        "id": team.id, "name": team.name, "email": team.email,
        "slack_channel": team.slack_channel,
        "slack_channel_notifications": team.slack_channel_notifications,
        "scheduling_timezone": team.scheduling_timezone, "iris_plan": team.iris_plan,
        "iris_enabled": team.iris_enabled, "override_phone_number": team.override_phone_number,
        "api_managed_roster": team.api_managed_roster, "description": team.description,
    }  # fmt: skip
    for part in parts:
        if part == "users":
            out["users"] = {db.users[u].name: user_json(db.users[u]) for u in sorted(team.users)}
        elif part == "admins":
            out["admins"] = [{"name": name} for name in db.names(team.admins)]
        elif part == "services":
            out["services"] = [db.services[s] for s in sorted(team.services)]
        elif part == "rosters":
            out["rosters"] = rosters_json(db, team, team_rosters(db, team))
    return out


def oncall_json(db: OncallDB, events: Iterable[EventRow]) -> list[JSONObject]:
    """``/teams/{t}/oncall`` and ``/services/{s}/oncall`` rows: one per user, first wins."""
    out: dict[int, JSONObject] = {}
    for e in events:
        if e.user_id in out:
            continue
        user = db.users[e.user_id]
        team = db.teams[e.team_id]
        row: JSONObject = {"full_name": user.full_name, "start": e.start, "end": e.end}
        if not user.contacts:
            row["destination"] = None
        contacts = dict(user.contacts)
        if team.override_phone_number and e.role == "primary":
            contacts |= {"call": team.override_phone_number, "sms": team.override_phone_number}
        row |= {"user": user.name, "team": team.name, "role": e.role, "contacts": contacts}
        out[e.user_id] = row
    return list(out.values())


def summary_json(db: OncallDB, team: TeamRow) -> JSONObject:
    current: dict[str, list[JSONObject]] = {}
    for e in db.current({team.id}):
        u = db.users[e.user_id]
        current.setdefault(e.role, []).append({
            "full_name": u.full_name, "photo_url": u.photo_url, "start": e.start,
            "end": e.end, "user_id": u.id, "user": u.name, "team": team.name, "role": e.role,
            "user_contacts": dict(u.contacts),
        })  # fmt: skip
    upcoming = [e for e in db.events.values() if e.team_id == team.id and e.start > db.now]
    nxt: dict[str, list[JSONObject]] = {}
    for role in ROLES:
        of_role = [e for e in upcoming if e.role == role]
        first = min((e.start for e in of_role), default=None)
        for e in (e for e in of_role if e.start == first):
            u = db.users[e.user_id]
            nxt.setdefault(role, []).append({
                "role": role, "full_name": u.full_name, "start": e.start, "end": e.end,
                "photo_url": u.photo_url, "user": u.name, "user_id": u.id,
                "role_id": ROLES.index(role) + 1, "team_id": team.id,
                "user_contacts": dict(u.contacts),
            })  # fmt: skip
    return {"current": current, "next": nxt}


def notification_json(db: OncallDB, n: NotificationRow) -> JSONObject:
    return {
        "team": db.teams[n.team_id].name, "mode": n.mode, "type": n.type,
        "time_before": n.time_before, "only_if_involved": n.only_if_involved, "id": n.id,
        "roles": list(n.roles),
    }  # fmt: skip
