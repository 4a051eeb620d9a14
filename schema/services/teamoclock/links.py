"""How Team O'clock records reach the unified graph: a username is a `User`, a team slug a
`Team`, both through the request's linked directory (built once, from the member and team
lists identity already loaded: no call of its own)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from schema import teams, users
from schema.common import CtxInfo
from schema.cost import upstream

if TYPE_CHECKING:
    from schema.teams import Team
    from schema.users import User

UserRef = Annotated["User", strawberry.lazy("schema.users")]
TeamRef = Annotated["Team", strawberry.lazy("schema.teams")]

# A link resolves through the linked directory only: no call beyond the ones identity makes.
LINK = upstream("request", 0)


async def person(info: CtxInfo, username: str | None) -> users.User | None:
    """The person Team O'clock calls `username`; None for no one, or someone it no longer
    lists (meetings keep what deleted members said)."""
    if username is None:
        return None
    found = (await info.context.directory()).person("teamoclock", username)
    return users.User.of(found) if found else None


async def team(info: CtxInfo, slug: str | None) -> teams.Team | None:
    """The team Team O'clock calls `slug`; None for none, or a deleted team (its action
    items and timeline records still name it)."""
    if slug is None:
        return None
    found = (await info.context.directory()).team("teamoclock", slug)
    return teams.Team.of(found) if found else None
