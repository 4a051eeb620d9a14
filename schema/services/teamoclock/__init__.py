"""Team O'clock API v2: its reads,
under `teamoclock { ... }`, and the teamoclock side of the unified types.

Scaffolding: the link contract (`*_of` functions and their types) that `schema/types.py`
calls; the teamoclock work replaces the bodies and grows the types (see `schema/services`).
"""

from __future__ import annotations

import strawberry

from resolvers.identity import Identity
from resolvers.meetings import MeetingRecord
from schema.common import CtxInfo


@strawberry.type(description="A team as Team O'clock API v2 knows it (scaffolding).")
class TeamOclockTeam:
    key: str = strawberry.field(description="Its id in Team O'clock API v2.")


@strawberry.type(description="A user as Team O'clock API v2 knows it (scaffolding).")
class TeamOclockMember:
    key: str = strawberry.field(description="Its id in Team O'clock API v2.")


@strawberry.type(description="A meeting as Team O'clock API v2 knows it (scaffolding).")
class TeamOclockMeetingDetail:
    key: str = strawberry.field(description="Its id in Team O'clock API v2.")


@strawberry.type(
    description="Everything Team O'clock API v2 offers to read, linked into the unified graph."
)
class TeamOclockQuery:
    @strawberry.field(description="The service this namespace reads.")
    def service(self) -> str:
        return "teamoclock"


async def team_of(info: CtxInfo, record: Identity) -> TeamOclockTeam | None:
    """The teamoclock side of a unified Team; None when Team O'clock API v2 does not know it."""
    key = record.id_in("teamoclock")
    return TeamOclockTeam(key=key) if key else None


async def user_of(info: CtxInfo, record: Identity) -> TeamOclockMember | None:
    """The teamoclock side of a unified User; None when Team O'clock API v2 does not know it."""
    key = record.id_in("teamoclock")
    return TeamOclockMember(key=key) if key else None


async def meeting_of(info: CtxInfo, record: MeetingRecord) -> TeamOclockMeetingDetail | None:
    """The teamoclock side of a unified Meeting; None when Team O'clock API v2 does not know it."""
    key = f"{record.kind}:{record.id}"
    return TeamOclockMeetingDetail(key=key) if key else None
