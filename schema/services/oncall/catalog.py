"""oncall's catalogue: services (what teams are on call for), roles, and search."""

from __future__ import annotations

from enum import Enum
from typing import cast

import strawberry

from resolvers.backends import oncall
from resolvers.services import oncall as oncall_r
from resolvers.services.oncall_people import SearchField
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.services.oncall import teams as teams_t
from schema.services.oncall import users as users_t
from schema.services.oncall._shared import ONCE, PER_PARENT, Role, ShiftRef, TeamRef, UserRef, doc


@strawberry.type(
    description="A service in LinkedIn oncall (something teams are on call for), known by its name."
)
class OncallService:
    name: str = strawberry.field(description=doc(oncall.Service, "name"))

    @classmethod
    def named(cls, name: str) -> OncallService:
        return cls(name=name)

    @strawberry.field(
        description=f"{doc(oncall.Service, 'id').removesuffix('.')} (`GET /services/{{name}}`); "
        "null when oncall has no such service.",
        metadata=PER_PARENT,
    )
    async def id(self, info: CtxInfo) -> int | None:
        found = await oncall_r.get_service(info.context, self.name)
        return found.id if found else None

    @strawberry.field(
        description="The teams on call for it, by name (`GET /team_services`, once for every "
        "service in the request).",
        metadata=ONCE,
    )
    async def teams(self, info: CtxInfo) -> list[TeamRef] | None:
        found = await oncall_r.list_teams_of_service(info.context, self.name)
        return [teams_t.OncallTeam.named(t) for t in found]

    @strawberry.field(
        description="Who is on call for it now in one role, with contacts, by start "
        "(`GET /services/{name}/oncall/{role}`).",
        metadata=PER_PARENT,
    )
    async def oncall_now(self, info: CtxInfo, role: Role) -> list[ShiftRef] | None:
        found = await oncall_r.list_service_oncall(info.context, self.name, role)
        return [shown_as(teams_t.OncallShift)(e) for e in found]


@strawberry.experimental.pydantic.type(
    model=oncall.Role, all_fields=True, description="An on-call role."
)
class OncallRole:
    pass


@strawberry.enum(description="What `search` looks for.")
class OncallSearchField(Enum):
    TEAMS = strawberry.enum_value("teams", description="Teams whose name contains the keyword.")
    SERVICES = strawberry.enum_value(
        "services", description="Services whose name contains the keyword."
    )
    USERS = strawberry.enum_value(
        "users", description="Users whose username or full name starts with the keyword."
    )


def search_field(field: OncallSearchField) -> SearchField:
    """The resolvers' name for a GraphQL OncallSearchField value."""
    # `enum_value` hides the plain value from mypy; at run time `.value` is the string.
    return cast("SearchField", field.value)


@strawberry.type(description="A service `search` found, with its teams.")
class OncallServiceMatch:
    service: OncallService = strawberry.field(description="The service.")
    teams: list[TeamRef] = strawberry.field(description="The teams on call for it, by name.")


@strawberry.type(
    description="What `search` found: teams, services and users, each by name.",
)
class OncallSearchResult:
    @strawberry.field(description="The teams whose name contains the keyword, by name.")
    def teams(root: oncall.SearchResult) -> list[TeamRef]:
        return [teams_t.OncallTeam.named(t) for t in root.teams]

    @strawberry.field(description="The services whose name contains the keyword, by name.")
    def services(root: oncall.SearchResult) -> list[OncallServiceMatch]:
        return [
            OncallServiceMatch(
                service=OncallService.named(s),
                teams=[teams_t.OncallTeam.named(t) for t in teams],
            )
            for s, teams in root.services.items()
        ]

    @strawberry.field(
        description="The users whose username or full name starts with the keyword, by username."
    )
    def users(root: oncall.SearchResult) -> list[UserRef]:
        return [users_t.OncallUser.named(u.name) for u in root.users]
