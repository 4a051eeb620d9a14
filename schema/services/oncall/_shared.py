"""What the oncall types share: lazy references between their modules (the types refer to each
other: a team's admins are users, a user's teams are teams), descriptions read from the
client's models, and the cost declarations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from pydantic import BaseModel

from schema.cost import upstream

if TYPE_CHECKING:
    from schema.activity import Event
    from schema.services.oncall.catalog import OncallService
    from schema.services.oncall.events import OncallUpcomingShift
    from schema.services.oncall.rosters import OncallRoster, OncallSchedule
    from schema.services.oncall.teams import OncallShift, OncallTeam
    from schema.services.oncall.users import OncallContacts, OncallUser
    from schema.teams import Team
    from schema.users import User

_PKG = "schema.services.oncall"

TeamRef = Annotated["OncallTeam", strawberry.lazy(f"{_PKG}.teams")]
ShiftRef = Annotated["OncallShift", strawberry.lazy(f"{_PKG}.teams")]
UserRef = Annotated["OncallUser", strawberry.lazy(f"{_PKG}.users")]
ContactsRef = Annotated["OncallContacts", strawberry.lazy(f"{_PKG}.users")]
ServiceRef = Annotated["OncallService", strawberry.lazy(f"{_PKG}.catalog")]
RosterRef = Annotated["OncallRoster", strawberry.lazy(f"{_PKG}.rosters")]
ScheduleRef = Annotated["OncallSchedule", strawberry.lazy(f"{_PKG}.rosters")]
UpcomingRef = Annotated["OncallUpcomingShift", strawberry.lazy(f"{_PKG}.events")]
LinkedTeam = Annotated["Team", strawberry.lazy("schema.teams")]
LinkedUser = Annotated["User", strawberry.lazy("schema.users")]
LinkedEvent = Annotated["Event", strawberry.lazy("schema.activity")]

Role = Annotated[
    str,
    strawberry.argument(description="The on-call role: primary, secondary, shadow, manager, …"),
]

# Cost declarations (schema/cost.py), by what a field reads:
PER_PARENT = upstream("parent", identity=False)  # a per-key endpoint, one call per parent
ONCE = upstream("request", identity=False)  # one call however many parents ask
LINK = upstream("request", 0)  # the linked directory only


def doc(model: type[BaseModel], field: str) -> str:
    """A field's description, from its attribute docstring on the client's model: one
    definition for the model, the derived types and the fields of name handles."""
    description = model.model_fields[field].description
    if not description:
        raise LookupError(f"{model.__name__}.{field} has no docstring")
    return description
