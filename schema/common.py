"""What every unified type shares: the resolver info type, date-range arguments, the `Node`
interface, and how a person's or team's accounts are shown."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from resolvers.identity import Identity
from schema.scalars import Service

CtxInfo = Info[Context, Any]
From = Annotated[date, strawberry.argument(name="from", description="First day, inclusive.")]
To = Annotated[date, strawberry.argument(description="Last day, inclusive.")]


@strawberry.interface(description="An object with an opaque, globally unique id.")
class Node:
    id: strawberry.ID = strawberry.field(
        description="Opaque and stable; fetch the object again with `node(id:)`."
    )


@strawberry.type(description="How one service knows a person or team.")
class Account:
    service: Service = strawberry.field(description="The service.")
    id: str = strawberry.field(description="That service's own id (accountId, username, slug…).")
    name: str | None = strawberry.field(description="The name that service shows.")


def accounts_of(identity: Identity) -> list[Account]:
    return [
        Account(service=Service(a.service), id=a.id, name=a.name)
        for a in sorted(identity.accounts.values(), key=lambda a: a.service)
    ]
