"""LinkedIn oncall: its reads under `oncall { ... }`, and the oncall side of the unified types.

oncall addresses teams, users and services by name, and most of its answers are lists of
names. So `OncallTeam`, `OncallUser` and `OncallService` are names with everything the gateway
can read about them: a list of names costs nothing more, and each detail is read once per
request for every object that asks (the team detail and the user list are the loaders the
unified fields use, so `Team.oncall` and `User.oncall` add no calls to a query that already
reads them). Each links into the unified graph (`OncallTeam.team`, `OncallUser.user`,
`OncallEvent.shift`); `Team.oncall`, `User.oncall` and `Event.oncall` lead back.

Every GET endpoint is one field. A team's parts the detail already holds (admins, users,
services, rosters) are also readable alone, one call each without the detail, from the
namespace (`teamAdmins(team:)`, …); `team(name:) { admins }` answers from the detail.
Nothing oncall serves is paged: every list is a plain list, in the order its description says.
Every field here is nullable, so a failing oncall fails that field alone, not the namespace.
oncall's writes are root mutations (`createOncallTeam`, …): see `mutations.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.directory import id_in
from resolvers.events import ShiftRecord
from resolvers.identity import Identity
from resolvers.services import oncall as oncall_r
from resolvers.services import oncall_people as people_r
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.services.oncall._shared import ONCE
from schema.services.oncall.catalog import (
    OncallRole,
    OncallSearchField,
    OncallSearchResult,
    OncallService,
    search_field,
)
from schema.services.oncall.events import OncallEvent, OncallUpcomingShift
from schema.services.oncall.rosters import OncallRoster, OncallSchedule
from schema.services.oncall.teams import OncallShift, OncallTeam, OncallTeamSummary
from schema.services.oncall.users import (
    OncallContacts,
    OncallNotificationSetting,
    OncallNotificationType,
    OncallUser,
)

__all__ = [
    "OncallContacts",
    "OncallEvent",
    "OncallNotificationSetting",
    "OncallNotificationType",
    "OncallQuery",
    "OncallRole",
    "OncallRoster",
    "OncallSchedule",
    "OncallSearchResult",
    "OncallService",
    "OncallShift",
    "OncallTeam",
    "OncallTeamSummary",
    "OncallUpcomingShift",
    "OncallUser",
    "event_of",
    "team_of",
    "user_of",
]

TeamName = Annotated[
    str, strawberry.argument(description="The team's name (oncall matches it case-sensitively).")
]
RosterName = Annotated[str, strawberry.argument(description="The roster's name in that team.")]
UserName = Annotated[str, strawberry.argument(description="The username.")]
ServiceName = Annotated[str, strawberry.argument(description="The service's name.")]


def _optional(description: str) -> object:
    return strawberry.argument(description=f"{description}; no filter if left out.")


TeamFilter = Annotated[str | None, _optional("Only this team's events (and its subscriptions')")]
UserFilter = Annotated[str | None, _optional("Only this username's events")]
RoleFilter = Annotated[str | None, _optional("Only events in this role")]
StartBefore = Annotated[datetime | None, _optional("Only events starting before this moment")]
EndAfter = Annotated[datetime | None, _optional("Only events ending after this moment")]
StartAfter = Annotated[datetime | None, _optional("Only events starting at or after this moment")]
EndBefore = Annotated[datetime | None, _optional("Only events ending at or before this moment")]
InRotation = Annotated[
    bool | None,
    strawberry.argument(description="Only members in rotation (true) or out of it (false)."),
]
SearchFields = Annotated[
    list[OncallSearchField] | None,
    strawberry.argument(description="What to look for; teams, services and users if left out."),
]


@strawberry.type(
    description="Everything LinkedIn oncall offers to read, linked into the unified graph."
)
class OncallQuery:
    # -- teams -------------------------------------------------------------------------------

    @strawberry.field(description="Every active team, by name (`GET /teams`).", metadata=ONCE)
    async def teams(self, info: CtxInfo) -> list[OncallTeam] | None:
        return [OncallTeam.named(n) for n in await oncall_r.list_team_names(info.context)]

    @strawberry.field(
        description="One team (`GET /teams/{team}`); null when oncall has no such active team.",
        metadata=ONCE,
    )
    async def team(self, info: CtxInfo, name: TeamName) -> OncallTeam | None:
        found = await oncall_r.get_team(info.context, name)
        return OncallTeam.named(found.name) if found else None

    @strawberry.field(
        description="A team's admins alone, by username (`GET /teams/{team}/admins`); empty "
        "for an unknown team.",
        metadata=ONCE,
    )
    async def team_admins(self, info: CtxInfo, team: TeamName) -> list[OncallUser] | None:
        found = await oncall_r.list_team_admins(info.context, team)
        return [OncallUser.named(n) for n in found]

    @strawberry.field(
        description="A team's members alone, in oncall's order: by user id "
        "(`GET /teams/{team}/users`); empty for an unknown team.",
        metadata=ONCE,
    )
    async def team_users(self, info: CtxInfo, team: TeamName) -> list[OncallUser] | None:
        found = await oncall_r.list_team_users(info.context, team)
        return [OncallUser.named(n) for n in found]

    @strawberry.field(
        description="A team's services alone, by name (`GET /teams/{team}/services`); empty "
        "for an unknown team.",
        metadata=ONCE,
    )
    async def team_services(self, info: CtxInfo, team: TeamName) -> list[OncallService] | None:
        found = await oncall_r.list_team_services(info.context, team)
        return [OncallService.named(n) for n in found]

    @strawberry.field(
        description="A team's rosters alone, by name, with their members and schedules "
        "(`GET /teams/{team}/rosters`); empty for an unknown team.",
        metadata=ONCE,
    )
    async def team_rosters(self, info: CtxInfo, team: TeamName) -> list[OncallRoster] | None:
        found = await oncall_r.list_rosters(info.context, team)
        return [shown_as(OncallRoster)(r) for r in found]

    @strawberry.field(
        description="One roster, its members with their rotation order "
        "(`GET /teams/{team}/rosters/{roster}`); null when there is no such roster.",
        metadata=ONCE,
    )
    async def team_roster(
        self, info: CtxInfo, team: TeamName, roster: RosterName
    ) -> OncallRoster | None:
        found = await oncall_r.get_roster(info.context, team, roster)
        return shown_as(OncallRoster)(found) if found else None

    @strawberry.field(
        description="A roster's members alone, in oncall's order: by user id "
        "(`GET /teams/{team}/rosters/{roster}/users`).",
        metadata=ONCE,
    )
    async def roster_users(
        self, info: CtxInfo, team: TeamName, roster: RosterName, in_rotation: InRotation = None
    ) -> list[OncallUser] | None:
        found = await oncall_r.list_roster_users(info.context, team, roster, in_rotation)
        return [OncallUser.named(n) for n in found]

    @strawberry.field(
        description="A roster's schedules alone, by id "
        "(`GET /teams/{team}/rosters/{roster}/schedules`).",
        metadata=ONCE,
    )
    async def roster_schedules(
        self, info: CtxInfo, team: TeamName, roster: RosterName
    ) -> list[OncallSchedule] | None:
        found = await oncall_r.list_roster_schedules(info.context, team, roster)
        return [shown_as(OncallSchedule)(s) for s in found]

    @strawberry.field(
        description="One schedule (`GET /schedules/{id}`). oncall 2.1.7 answers an unknown id "
        "with an error (500), so the field fails instead of being null.",
        metadata=ONCE,
    )
    async def schedule(
        self,
        info: CtxInfo,
        id: Annotated[int, strawberry.argument(description="The schedule's id.")],
    ) -> OncallSchedule | None:
        found = await oncall_r.get_schedule(info.context, id)
        return shown_as(OncallSchedule)(found) if found else None

    # -- services ----------------------------------------------------------------------------

    @strawberry.field(description="Every service, by name (`GET /services`).", metadata=ONCE)
    async def services(self, info: CtxInfo) -> list[OncallService] | None:
        return [OncallService.named(n) for n in await oncall_r.list_services(info.context)]

    @strawberry.field(
        description="One service (`GET /services/{service}`); null when there is no such one.",
        metadata=ONCE,
    )
    async def service(self, info: CtxInfo, name: ServiceName) -> OncallService | None:
        found = await oncall_r.get_service(info.context, name)
        return OncallService.named(found.name) if found else None

    @strawberry.field(
        description="A service's teams alone, by name (`GET /services/{service}/teams`).",
        metadata=ONCE,
    )
    async def service_teams(self, info: CtxInfo, service: ServiceName) -> list[OncallTeam] | None:
        found = await oncall_r.list_service_teams(info.context, service)
        return [OncallTeam.named(n) for n in found]

    # -- events ------------------------------------------------------------------------------

    @strawberry.field(
        description="The events matching every filter given, by start, then id "
        "(`GET /events`). With no filter, every event oncall has.",
        metadata=ONCE,
    )
    async def events(
        self,
        info: CtxInfo,
        team: TeamFilter = None,
        user: UserFilter = None,
        role: RoleFilter = None,
        start_before: StartBefore = None,
        end_after: EndAfter = None,
        start_after: StartAfter = None,
        end_before: EndBefore = None,
    ) -> list[OncallEvent] | None:
        where = people_r.EventFilter(
            team=team, user=user, role=role, start_before=start_before, end_after=end_after,
            start_after=start_after, end_before=end_before,
        )  # fmt: skip
        return [shown_as(OncallEvent)(e) for e in await people_r.list_events(info.context, where)]

    @strawberry.field(
        description="One event (`GET /events/{id}`); null when there is no such event.",
        metadata=ONCE,
    )
    async def event(
        self, info: CtxInfo, id: Annotated[int, strawberry.argument(description="The event's id.")]
    ) -> OncallEvent | None:
        found = await people_r.get_event(info.context, id)
        return shown_as(OncallEvent)(found) if found else None

    # -- users -------------------------------------------------------------------------------

    @strawberry.field(description="Every user, active or not, by id (`GET /users`).", metadata=ONCE)
    async def users(self, info: CtxInfo) -> list[OncallUser] | None:
        return [OncallUser.of(u) for u in await people_r.list_users(info.context)]

    @strawberry.field(
        description="One user (`GET /users/{name}`); null when there is no such user.",
        metadata=ONCE,
    )
    async def user(self, info: CtxInfo, name: UserName) -> OncallUser | None:
        found = await people_r.get_user(info.context, name)
        return OncallUser.of(found) if found else None

    @strawberry.field(
        description="A user's active teams alone, by name (`GET /users/{name}/teams`); empty "
        "for an unknown user.",
        metadata=ONCE,
    )
    async def user_teams(self, info: CtxInfo, user: UserName) -> list[OncallTeam] | None:
        found = await people_r.list_user_teams(info.context, user)
        return [OncallTeam.named(n) for n in found]

    # -- the catalogue -----------------------------------------------------------------------

    @strawberry.field(
        description="Every on-call role, in oncall's display order (`GET /roles`).",
        metadata=ONCE,
    )
    async def roles(self, info: CtxInfo) -> list[OncallRole] | None:
        return [shown_as(OncallRole)(r) for r in await people_r.list_roles(info.context)]

    @strawberry.field(
        description="Every kind of notification a user can ask for, by name "
        "(`GET /notification_types`).",
        metadata=ONCE,
    )
    async def notification_types(self, info: CtxInfo) -> list[OncallNotificationType] | None:
        found = await people_r.list_notification_types(info.context)
        return [shown_as(OncallNotificationType)(t) for t in found]

    @strawberry.field(
        description="Teams, services and users matching a keyword (`GET /search`); names "
        "match case-sensitively.",
        metadata=ONCE,
    )
    async def search(
        self,
        info: CtxInfo,
        keyword: Annotated[str, strawberry.argument(description="What to look for.")],
        fields: SearchFields = None,
    ) -> OncallSearchResult | None:
        wanted = [search_field(f) for f in fields] if fields is not None else None
        found = await people_r.search(info.context, keyword, wanted)
        return shown_as(OncallSearchResult)(found)


async def team_of(info: CtxInfo, record: Identity) -> OncallTeam | None:
    """The oncall side of a unified Team; None when LinkedIn oncall does not know it (and an
    error when oncall could not be asked)."""
    name = await id_in(info.context, record, "oncall")
    return OncallTeam.named(name) if name else None


async def user_of(info: CtxInfo, record: Identity) -> OncallUser | None:
    """The oncall side of a unified User; None when LinkedIn oncall does not know them (and an
    error when oncall could not be asked)."""
    name = await id_in(info.context, record, "oncall")
    return OncallUser.named(name) if name else None


async def event_of(info: CtxInfo, record: ShiftRecord) -> OncallEvent | None:
    """The oncall side of a unified Event: the event it was mapped from."""
    return shown_as(OncallEvent)(record.event)
