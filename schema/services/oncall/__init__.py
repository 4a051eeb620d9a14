"""LinkedIn oncall: its reads under `oncall { ... }`, and the oncall side of the unified types.

Scaffolding: the link contract (`*_of` functions and their types) that `schema/types.py`
calls; the oncall work replaces the bodies and grows the types (see `schema/services`).
"""

from __future__ import annotations

import strawberry

from resolvers.events import ShiftRecord
from resolvers.identity import Identity
from schema.common import CtxInfo


@strawberry.type(
    description="A team as LinkedIn oncall knows it (scaffolding: grown by the oncall work)."
)
class OncallTeam:
    key: str = strawberry.field(description="Its id in LinkedIn oncall.")


@strawberry.type(
    description="A user as LinkedIn oncall knows it (scaffolding: grown by the oncall work)."
)
class OncallUser:
    key: str = strawberry.field(description="Its id in LinkedIn oncall.")


@strawberry.type(
    description="A event as LinkedIn oncall knows it (scaffolding: grown by the oncall work)."
)
class OncallEvent:
    key: str = strawberry.field(description="Its id in LinkedIn oncall.")


@strawberry.type(
    description="Everything LinkedIn oncall offers to read, linked into the unified graph."
)
class OncallQuery:
    @strawberry.field(description="The service this namespace reads.")
    def service(self) -> str:
        return "oncall"


async def team_of(info: CtxInfo, record: Identity) -> OncallTeam | None:
    """The oncall side of a unified Team; None when LinkedIn oncall does not know it."""
    key = record.id_in("oncall")
    return OncallTeam(key=key) if key else None


async def user_of(info: CtxInfo, record: Identity) -> OncallUser | None:
    """The oncall side of a unified User; None when LinkedIn oncall does not know it."""
    key = record.id_in("oncall")
    return OncallUser(key=key) if key else None


async def event_of(info: CtxInfo, record: ShiftRecord) -> OncallEvent | None:
    """The oncall side of a unified Event; None when LinkedIn oncall does not know it."""
    key = str(record.event.id)
    return OncallEvent(key=key) if key else None
