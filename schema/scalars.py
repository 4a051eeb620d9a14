"""Enums shared by the schema. `Date` and `DateTime` are Strawberry's ISO 8601 scalars."""

from __future__ import annotations

from enum import Enum

import strawberry

from resolvers.backends.errors import Service as ServiceName


@strawberry.enum(description="The upstream services Teamgraph federates.")
class Service(Enum):
    TEMPO = "tempo"
    ONCALL = "oncall"
    TEAMOCLOCK = "teamoclock"
    TEAMPULSE = "teampulse"
    HACK24 = "hack24"


def service_name(service: Service | None) -> ServiceName | None:
    """The resolvers' name for a GraphQL Service value."""
    return service.value if service is not None else None


@strawberry.enum(description="Team O'clock meeting kinds.")
class MeetingKind(Enum):
    STANDUP = "standup"
    PLANNING_POKER = "planpoker"
    RETROSPECTIVE = "retro"
