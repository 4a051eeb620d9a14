"""TeamPulse: its reads under `teampulse { ... }`, and the teampulse side of the unified types.

Scaffolding: the link contract (`*_of` functions and their types) that `schema/types.py`
calls; the teampulse work replaces the bodies and grows the types (see `schema/services`).
"""

from __future__ import annotations

import strawberry

from resolvers.identity import Identity
from resolvers.worklogs import WorklogRecord
from schema.common import CtxInfo


@strawberry.type(
    description="A user as TeamPulse knows it (scaffolding: grown by the teampulse work)."
)
class TeamPulseUser:
    key: str = strawberry.field(description="Its id in TeamPulse.")


@strawberry.type(
    description="A worklog as TeamPulse knows it (scaffolding: grown by the teampulse work)."
)
class TeamPulseTimeEntry:
    key: str = strawberry.field(description="Its id in TeamPulse.")


@strawberry.type(description="Everything TeamPulse offers to read, linked into the unified graph.")
class TeamPulseQuery:
    @strawberry.field(description="The service this namespace reads.")
    def service(self) -> str:
        return "teampulse"


async def user_of(info: CtxInfo, record: Identity) -> TeamPulseUser | None:
    """The teampulse side of a unified User; None when TeamPulse does not know it."""
    key = record.id_in("teampulse")
    return TeamPulseUser(key=key) if key else None


async def worklog_of(info: CtxInfo, record: WorklogRecord) -> TeamPulseTimeEntry | None:
    """The teampulse side of a unified Worklog; None when TeamPulse does not know it."""
    key = record.id if record.service == "teampulse" else None
    return TeamPulseTimeEntry(key=key) if key else None
