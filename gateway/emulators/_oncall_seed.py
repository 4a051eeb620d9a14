"""The oncall emulator's demo data, derived deterministically from the shared cast.

Every team the cast gives an oncall account becomes a team with one roster (its members, in
cast order, in or out of rotation), a weekly primary and secondary schedule, weekly shifts
two weeks either side of now, default reminder settings for every member, and the audit
trail its creation would have left (team, roster and roster members added by the admin).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from gateway.emulators._oncall_data import JSONObject, OncallDB
from gateway.emulators._oncall_tables import RosterMember, RosterRow, ScheduleRow, TeamRow, UserRow
from gateway.emulators.cast import Cast

WEEK = 7 * 24 * 3600
DAY = 24 * 3600


def seed(cast: Cast) -> OncallDB:
    db = OncallDB(int(cast.now.timestamp()))
    for person in sorted(cast.people, key=lambda p: p.oncall.id if p.oncall else 0):
        if acc := person.oncall:
            contacts = {"email": acc.email, "sms": acc.phone, "call": acc.phone, "slack": acc.slack}
            db.users[acc.id] = UserRow(
                acc.id, acc.name, acc.full_name, person.time_zone,
                {k: v for k, v in contacts.items() if v is not None},
            )  # fmt: skip
    for index, team in enumerate(t for t in cast.teams if t.oncall):
        _add_team(db, cast, team.handle, created=db.now - 90 * DAY + index * 3600)
    for row in db.teams.values():
        _add_events(db, cast, row)
    return db


def _add_team(db: OncallDB, cast: Cast, handle: str, *, created: int) -> None:
    team = next(t for t in cast.teams if t.handle == handle)
    assert team.oncall is not None
    o = team.oncall
    members = [(m, cast.person(m.person).oncall) for m in team.members]
    known = [(m, acc.id) for m, acc in members if acc is not None]
    row = TeamRow(
        o.id, o.name, o.scheduling_timezone, email=o.email, slack_channel=o.slack_channel,
        slack_channel_notifications=f"{o.slack_channel}-alerts",
        description=f"The {o.name} on-call team",
        users={uid for _, uid in known}, admins={uid for m, uid in known if m.admin},
    )  # fmt: skip
    db.teams[row.id] = row
    for service in o.services:
        service_id = len(db.services) + 1
        db.services[service_id] = service
        row.services.add(service_id)
    roster = RosterRow(o.id * 10, f"{o.name}-rotation", row.id, {
        uid: RosterMember(m.in_rotation, priority) for priority, (m, uid) in enumerate(known)
    })  # fmt: skip
    db.rosters[roster.id] = roster
    for role in ("primary", "secondary"):
        sid = len(db.schedules) + 1
        # One weekly shift from Monday 00:00 in the team's scheduling timezone.
        db.schedules[sid] = ScheduleRow(sid, row.id, roster.id, role, [(DAY, WEEK)])
    _add_history(db, row, roster, created)


def _add_history(db: OncallDB, team: TeamRow, roster: RosterRow, created: int) -> None:
    """The audit rows and reminder settings the team's creation left, oldest first."""
    admin = db.users[min(team.admins)].name if team.admins else "root"
    steps: list[tuple[str, JSONObject]] = [("team_created", {"team_id": team.id})]
    steps += [("admin_created", {"user": db.users[a].name}) for a in sorted(team.admins)[1:]]
    steps.append(("roster_created", {"roster_id": roster.id,
                                     "request_body": {"name": roster.name}}))  # fmt: skip
    for name in (db.users[u].name for u in roster.members):
        added: JSONObject = {"roster": roster.name, "user": name, "request_body": {"name": name}}
        steps.append(("roster_user_added", added))
    for minute, (action, context) in enumerate(steps):
        db.record(admin, team.name, action, context, at=created + 60 * minute)
    for user_id in sorted(team.admins) + [u for u in roster.members if u not in team.admins]:
        db.subscribe(team, user_id)


def _add_events(db: OncallDB, cast: Cast, team: TeamRow) -> None:
    """Weekly primary and secondary shifts, two weeks either side of now.

    Shifts run Monday 00:00 to Monday 00:00 (team timezone), so the current week's pair
    covers ``now``: every team has a primary and a secondary on call. The rotation index
    is the absolute week number, so the same week always gets the same people.
    """
    roster = next(r for r in db.rosters.values() if r.team_id == team.id)
    ordered = sorted(roster.members.items(), key=lambda item: item[1].priority)
    pool = [uid for uid, member in ordered if member.in_rotation]
    if not pool:
        return
    tz = ZoneInfo(team.scheduling_timezone)
    today = cast.now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    for week in range(-2, 3):
        day = monday + timedelta(weeks=week)
        start = int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())
        nxt = day + timedelta(weeks=1)
        end = int(datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz).timestamp())
        turn = day.toordinal() // 7
        for offset, schedule in enumerate(db.team_schedules(team.id)):
            user = pool[(turn + offset) % len(pool)]
            db.add_event(start, end, team.id, schedule.role, user, schedule.id)
