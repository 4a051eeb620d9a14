"""Hack24 (JSON:API): its reads under `hack24 { ... }`, and the hack24 side of the unified types.

Scaffolding: the link contract (`*_of` functions and their types) that `schema/types.py`
calls; the hack24 work replaces the bodies and grows the types (see `schema/services`).
"""

from __future__ import annotations

import strawberry

from resolvers.identity import Identity
from schema.common import CtxInfo


@strawberry.type(
    description="A team as Hack24 (JSON:API) knows it (scaffolding: grown by the hack24 work)."
)
class Hack24Team:
    key: str = strawberry.field(description="Its id in Hack24 (JSON:API).")


@strawberry.type(
    description="A user as Hack24 (JSON:API) knows it (scaffolding: grown by the hack24 work)."
)
class Hack24User:
    key: str = strawberry.field(description="Its id in Hack24 (JSON:API).")


@strawberry.type(
    description="Everything Hack24 (JSON:API) offers to read, linked into the unified graph."
)
class Hack24Query:
    @strawberry.field(description="The service this namespace reads.")
    def service(self) -> str:
        return "hack24"


async def team_of(info: CtxInfo, record: Identity) -> Hack24Team | None:
    """The hack24 side of a unified Team; None when Hack24 (JSON:API) does not know it."""
    key = record.id_in("hack24")
    return Hack24Team(key=key) if key else None


async def user_of(info: CtxInfo, record: Identity) -> Hack24User | None:
    """The hack24 side of a unified User; None when Hack24 (JSON:API) does not know it."""
    key = record.id_in("hack24")
    return Hack24User(key=key) if key else None
