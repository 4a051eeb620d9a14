"""The oncall emulator's "default" scheduler: ``POST /schedules/{id}/populate``.

Follows upstream's ``oncall.scheduler.default`` (2.1.7): a schedule is a template of
``(start, duration)`` offsets from Sunday 00:00 in the team's scheduling timezone, repeated
every period (its span, rounded up to whole weeks) up to ``auto_populate_threshold`` days
ahead. Each period goes to one roster member in rotation who is free then: someone never on
call for this team and role first, else whoever's last such shift ended longest ago. "Now" is
the emulator's fixed ``db.now``. Where upstream picks from a set (several never-scheduled
members), this picks the lowest user id, so populating is deterministic.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from gateway.emulators._oncall_data import OncallDB
from gateway.emulators._oncall_http import OncallError
from gateway.emulators._oncall_tables import ScheduleRow

WEEK = 7 * 24 * 3600
Epoch = list[tuple[int, int]]  # one period's events, (start, end) in unix seconds


def is_simple(durations: list[int]) -> bool:
    """Whether the UI can show a schedule in simple mode (upstream's validate_simple_schedule)."""
    if len(durations) == 1 and durations[0] in (WEEK, 2 * WEEK):
        return True
    return len(durations) in (7, 14) and all(d == 12 * 3600 for d in durations)


def merge_events(events: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Consecutive template events merged, as upstream stores them."""
    merged: list[tuple[int, int]] = []
    for start, duration in sorted(events):
        if merged and start == merged[-1][0] + merged[-1][1]:
            merged[-1] = (merged[-1][0], merged[-1][1] + duration)
        else:
            merged.append((start, duration))
    return merged


def _sunday(moment: datetime) -> datetime:
    """Naive 00:00 of the Sunday on or before ``moment`` (upstream's epoch_from_datetime)."""
    sunday = moment - timedelta(days=moment.isoweekday() % 7)
    return sunday.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)


def _utc(naive: datetime, tz: ZoneInfo) -> int:
    return int(naive.replace(tzinfo=tz).timestamp())


def _period_weeks(s: ScheduleRow) -> int:
    first = min(start for start, _ in s.events)
    end = max(start + duration for start, duration in s.events)
    return (end - first + WEEK - 1) // WEEK


class Scheduler:
    def __init__(self, db: OncallDB) -> None:
        self.db = db

    def populate(self, s: ScheduleRow, start_time: int) -> None:
        tz = ZoneInfo(self.db.teams[s.team_id].scheduling_timezone)
        start_dt = datetime.fromtimestamp(start_time, UTC)
        epoch = _sunday(start_dt)
        period = timedelta(weeks=_period_weeks(s))
        handoff = (epoch + timedelta(seconds=min(st for st, _ in s.events))).replace(tzinfo=tz)
        if start_dt > handoff:  # start from the next hand-off
            epoch += period
            handoff += period
        if handoff.timestamp() < self.db.now:
            raise OncallError(400, "Invalid populate/preview request",
                              "cannot populate/preview starting in the past")  # fmt: skip
        cutoff = datetime.fromtimestamp(self.db.now, UTC).replace(tzinfo=None) + timedelta(
            days=s.auto_populate_threshold
        )
        periods: list[Epoch] = []
        while cutoff > epoch:
            periods.append(
                [
                    (
                        _utc(epoch + timedelta(seconds=st), tz),
                        _utc(epoch + timedelta(seconds=st + d), tz),
                    )
                    for st, d in s.events
                ]
            )
            epoch += period  # fmt: skip
        s.last_epoch = _utc(epoch - period, tz)
        periods = [kept for p in periods if (kept := [e for e in p if e[0] >= start_time])]
        if periods:
            first = min(start for start, _ in periods[0])
            for e in [e for e in self.db.events.values()
                      if e.schedule_id == s.id and e.start >= first]:  # fmt: skip
                del self.db.events[e.id]
        for events in periods:
            user = self._next_user(s, events)
            if user is not None:
                self._create(s, user, events)

    def _next_user(self, s: ScheduleRow, events: Epoch) -> int | None:
        roster = self.db.rosters[s.roster_id]
        pool = {u for u, m in roster.members.items()
                if m.in_rotation and self.db.users[u].active}  # fmt: skip
        busy = {e.user_id for e in self.db.events.values()
                if (e.team_id == s.team_id or e.role == "vacation")
                and any(start < e.end and e.start < end for start, end in events)}  # fmt: skip
        free = pool - busy
        if not free:
            return None
        start = min(st for st, _ in events)
        past = [e for e in self.db.events.values()
                if e.team_id == s.team_id and e.role == s.role and e.end <= start]  # fmt: skip
        fresh = free - {e.user_id for e in past}
        if fresh:
            return min(fresh)
        last_end: dict[int, int] = {}
        for e in past:
            if e.user_id in free:
                last_end[e.user_id] = max(last_end.get(e.user_id, e.end), e.end)
        return min(last_end, key=lambda u: (last_end[u], u)) if last_end else None

    def _create(self, s: ScheduleRow, user: int, events: Epoch) -> None:
        existing = sum(
            1
            for e in self.db.events.values()
            for start, end in events
            if (e.start, e.end, e.role, e.team_id) == (start, end, s.role, s.team_id)
        )
        if existing == len(events):  # this period is already on the calendar
            return
        link = self.db.new_uuid().hex if len(events) > 1 else None
        for start, end in events:
            self.db.add_event(start, end, s.team_id, s.role, user, s.id, link_id=link)
