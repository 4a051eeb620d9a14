"""Enums and scalars shared by the schema.

`Date` and `DateTime` are ISO 8601 (RFC 3339 for DateTime), and only within the years the
upstream APIs can represent: a date like 9999-12-31 is refused where it enters, once per
request, instead of overflowing inside a resolver.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import Enum
from typing import cast

import strawberry
from strawberry.types.scalar import ScalarDefinition

from resolvers.backends.errors import Service as ServiceName

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
_RANGE = f"use a date from {FIRST_DAY} to {LAST_DAY}"


def _in_range(day: date, shown: str) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{shown} is outside the dates Teamgraph accepts; {_RANGE}")


def parse_date(value: object) -> date:
    if not isinstance(value, str):
        raise ValueError(f"a Date is a string like '2026-11-30', not {type(value).__name__}")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{value[:40]!r} is not a date; write it as YYYY-MM-DD, e.g. '2026-11-30'"
        ) from None
    if len(value) != 10:  # fromisoformat also takes '20261130' and week dates
        raise ValueError(f"{value[:40]!r} is not a date; write it as YYYY-MM-DD")
    _in_range(day, value)
    return day


def parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError(
            f"a DateTime is a string like '2026-11-30T10:00:00Z', not {type(value).__name__}"
        )
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{value[:40]!r} is not a date and time; write it as RFC 3339, "
            "e.g. '2026-11-30T10:00:00Z'"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    _in_range(moment.date(), value[:40])
    return moment


DateScalar = strawberry.scalar(
    name="Date",
    description=f"A calendar date, ISO 8601 (YYYY-MM-DD), from {FIRST_DAY} to {LAST_DAY}.",
    specified_by_url="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
    serialize=date.isoformat,
    parse_value=parse_date,
)

DateTimeScalar = strawberry.scalar(
    name="DateTime",
    description="A moment in time, RFC 3339 with an offset (UTC when none is given).",
    specified_by_url="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
    serialize=datetime.isoformat,
    parse_value=parse_datetime,
)


def parse_time(value: object) -> time:
    if not isinstance(value, str):
        raise ValueError(f"a Time is a string like '09:30:00', not {type(value).__name__}")
    try:
        return time.fromisoformat(value[:40])
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a time of day; use HH:MM or HH:MM:SS") from None


TimeScalar = strawberry.scalar(
    name="Time",
    description="A time of day, ISO 8601 (HH:MM:SS, seconds optional on input).",
    specified_by_url="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
    serialize=time.isoformat,
    parse_value=parse_time,
)

# For StrawberryConfig(scalar_map=...): every `date`, `datetime` and `time` in the schema.
SCALAR_MAP: dict[object, ScalarDefinition] = {
    date: DateScalar,
    datetime: DateTimeScalar,
    time: TimeScalar,
}


@strawberry.enum(description="The upstream services Teamgraph federates.")
class Service(Enum):
    TEMPO = strawberry.enum_value("tempo", description="Tempo: worklogs, teams, accounts.")
    ONCALL = strawberry.enum_value("oncall", description="LinkedIn oncall: rosters, shifts.")
    TEAMOCLOCK = strawberry.enum_value(
        "teamoclock", description="Team O'clock: standups, pokers, retros."
    )
    TEAMPULSE = strawberry.enum_value("teampulse", description="TeamPulse: time entries.")
    HACK24 = strawberry.enum_value("hack24", description="Hack24: JSON:API teams and users.")


# By the resolvers' name: a dict lookup, where `Service(name)` goes through the enum
# machinery (once per worklog and membership in an answer).
_SERVICES: dict[str, Service] = {cast("str", s.value): s for s in Service}


def service_of(name: ServiceName) -> Service:
    """The GraphQL Service value of a resolvers' service name."""
    return _SERVICES[name]


def service_name(service: Service | None) -> ServiceName | None:
    """The resolvers' name for a GraphQL Service value."""
    # `enum_value` hides the plain value from mypy; at run time `.value` is the string.
    return cast("ServiceName", service.value) if service is not None else None


@strawberry.enum(description="Team O'clock meeting kinds.")
class MeetingKind(Enum):
    STANDUP = strawberry.enum_value("standup", description="A daily standup.")
    PLANNING_POKER = strawberry.enum_value("planpoker", description="A planning poker.")
    RETROSPECTIVE = strawberry.enum_value("retro", description="A retrospective.")


def kind_name(kind: MeetingKind | None) -> str | None:
    """The resolvers' name for a GraphQL MeetingKind value."""
    return cast("str", kind.value) if kind is not None else None
