"""Hack24 (JSON:API): its reads under `hack24 { ... }`, and the Hack24 side of the unified types.

Hack24 knows users and teams by slug; a user is in at most one team, and joined it at a
moment Hack24 records. The types come from the client's models
(`resolvers/backends/hack24.py`); `Team.hack24` and `User.hack24` reach them through
:func:`team_of` and :func:`user_of`. Hack24 does not page: every list is a plain list.

A team's members and a user's team are read from the users and teams lists identity already
loads, so they cost nothing more however many teams or users ask; the endpoints for one
team, its members, one user and a user's team serve the namespace's single-item fields.
Every field that calls Hack24 is nullable, so a Hack24 failure nulls that field alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.backends import hack24
from resolvers.identity import Identity
from resolvers.services import hack24 as hack24_r
from schema import teams, users
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.cost import upstream

if TYPE_CHECKING:
    from schema.teams import Team
    from schema.users import User

LinkedUser = Annotated["User", strawberry.lazy("schema.users")]
LinkedTeam = Annotated["Team", strawberry.lazy("schema.teams")]
# A user's team and a team's members name each other.
LazyTeam = Annotated["Hack24Team", strawberry.lazy("schema.services.hack24")]

_ONE_CALL = upstream("request", identity=False)


@strawberry.experimental.pydantic.type(
    model=hack24.User,
    all_fields=True,
    description="A Hack24 user, in at most one team.",
)
class Hack24User:
    @strawberry.field(
        description="This person, linked across services.", metadata=upstream("request", 0)
    )
    async def user(root: hack24.User, info: CtxInfo) -> LinkedUser | None:
        person = await hack24_r.person_of(info.context, root.id)
        return users.User.of(person) if person else None

    @strawberry.field(
        description="The team they are in (null when none), from Hack24's list of teams.",
        metadata=_ONE_CALL,
    )
    async def team(root: hack24.User, info: CtxInfo) -> LazyTeam | None:
        if root.team_id is None:
            return None
        found = await hack24_r.find_team(info.context, root.team_id)
        return shown_as(Hack24Team)(found) if found else None


@strawberry.experimental.pydantic.type(
    model=hack24.Team, description="A Hack24 team: the users in it, and when each joined."
)
class Hack24Team:
    # The member linkage the document carries is shown by `members` below, with names.
    id: strawberry.auto
    name: strawberry.auto

    @strawberry.field(
        description="This team, linked across services.", metadata=upstream("request", 0)
    )
    async def team(root: hack24.Team, info: CtxInfo) -> LinkedTeam | None:
        found = await hack24_r.team_of(info.context, root.id)
        return teams.Team.of(found) if found else None

    @strawberry.field(
        description="The users in this team, in the order they joined, then by id. Read "
        "from Hack24's list of users, which names each user's team: one call however many "
        "teams ask.",
        metadata=_ONE_CALL,
    )
    async def members(root: hack24.Team, info: CtxInfo) -> list[Hack24User] | None:
        return [shown_as(Hack24User)(u) for u in await hack24_r.members_of(info.context, root.id)]


TeamId = Annotated[str, strawberry.argument(description="Hack24's id of the team (a slug).")]
UserId = Annotated[str, strawberry.argument(description="Hack24's id of the user (a slug).")]


@strawberry.type(
    description="Everything Hack24 (JSON:API) offers to read, linked into the unified graph."
)
class Hack24Query:
    @strawberry.field(description="Every team, in Hack24's order.", metadata=_ONE_CALL)
    async def teams(self, info: CtxInfo) -> list[Hack24Team] | None:
        return [shown_as(Hack24Team)(t) for t in await hack24_r.list_teams(info.context)]

    @strawberry.field(description="One team by id; null when Hack24 has none.", metadata=_ONE_CALL)
    async def team(self, info: CtxInfo, id: TeamId) -> Hack24Team | None:
        found = await hack24_r.get_team(info.context, id)
        return shown_as(Hack24Team)(found) if found else None

    @strawberry.field(
        description="One team's users with their join dates, as Hack24 lists them (in the "
        "order they joined); null when Hack24 has no such team.",
        metadata=_ONE_CALL,
    )
    async def team_members(self, info: CtxInfo, team: TeamId) -> list[Hack24User] | None:
        found = await hack24_r.list_team_members(info.context, team)
        return None if found is None else [shown_as(Hack24User)(u) for u in found]

    @strawberry.field(
        description="Every user with their team and join date, in Hack24's order.",
        metadata=_ONE_CALL,
    )
    async def users(self, info: CtxInfo) -> list[Hack24User] | None:
        return [shown_as(Hack24User)(u) for u in await hack24_r.list_users(info.context)]

    @strawberry.field(description="One user by id; null when Hack24 has none.", metadata=_ONE_CALL)
    async def user(self, info: CtxInfo, id: UserId) -> Hack24User | None:
        found = await hack24_r.get_user(info.context, id)
        return shown_as(Hack24User)(found) if found else None

    @strawberry.field(
        description="One user's team, as Hack24 answers for that user; null when they are "
        "in none or Hack24 has no such user.",
        metadata=_ONE_CALL,
    )
    async def user_team(self, info: CtxInfo, user: UserId) -> Hack24Team | None:
        found = await hack24_r.get_user_team(info.context, user)
        return shown_as(Hack24Team)(found) if found else None


async def team_of(info: CtxInfo, record: Identity) -> Hack24Team | None:
    """The Hack24 side of a unified Team (from the teams list identity reads); None when
    Hack24 does not know it."""
    found = await hack24_r.team_account(info.context, record)
    return shown_as(Hack24Team)(found) if found else None


async def user_of(info: CtxInfo, record: Identity) -> Hack24User | None:
    """The Hack24 side of a unified User (from the users list identity reads); None when
    Hack24 does not know them."""
    found = await hack24_r.user_account(info.context, record)
    return shown_as(Hack24User)(found) if found else None
