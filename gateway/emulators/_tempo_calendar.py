"""The emulator's calendar: one work schedule for everyone, fixed holidays, monthly periods."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from gateway.emulators._tempo_http import JSON

WORKDAY_SECONDS = 8 * 3600
# (month, day) -> (name, description, duration in seconds)
_HOLIDAYS = {
    (1, 1): ("New Year's Day", None, WORKDAY_SECONDS),
    (12, 24): ("Christmas Eve", "Twas the night before Christmas", 4 * 3600),
    (12, 25): ("Christmas Day", None, WORKDAY_SECONDS),
    (12, 26): ("Boxing Day", None, WORKDAY_SECONDS),
}


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def month_of(day: date) -> tuple[date, date]:
    """The period containing `day`: Tempo's periods here are calendar months."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def months_between(start: date, end: date) -> list[tuple[date, date]]:
    periods = []
    cursor = start
    while cursor <= end:
        periods.append(month_of(cursor))
        cursor = periods[-1][1] + timedelta(days=1)
    return periods


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (Jan 31 + 1 = Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def day_schedule(day: date) -> JSON:
    """Everyone works Monday to Friday, 8 hours a day, except on the fixed holidays."""
    working = day.weekday() < 5
    doc: JSON = {
        "date": day.isoformat(),
        "requiredSeconds": WORKDAY_SECONDS if working else 0,
        "type": "WORKING_DAY" if working else "NON_WORKING_DAY",
    }
    if (day.month, day.day) in _HOLIDAYS:
        name, description, duration = _HOLIDAYS[(day.month, day.day)]
        doc["type"] = "HOLIDAY" if working else "HOLIDAY_AND_NON_WORKING_DAY"
        doc["requiredSeconds"] = max(0, WORKDAY_SECONDS - duration) if working else 0
        holiday: JSON = {"name": name, "durationSeconds": duration}
        if description:
            holiday["description"] = description
        doc["holiday"] = holiday
    return doc


def required_seconds(day: date) -> int:
    seconds = day_schedule(day)["requiredSeconds"]
    assert isinstance(seconds, int)
    return seconds
