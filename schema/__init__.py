"""The GraphQL schema: ``schema`` is the one public name.

Strawberry defines the types; the gateway's own pipeline (``gateway/operations.py``) parses,
measures, validates and executes against ``schema._schema``, so request-level concerns
(limits, error masking, partial results, traces) live there, not in Strawberry extensions.
"""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from schema.mutation import Mutation
from schema.query import Query
from schema.scalars import SCALAR_MAP
from schema.subscription import Subscription
from schema.types import Event, Meeting, Team, User, Worklog

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[Team, User, Event, Worklog, Meeting],
    config=StrawberryConfig(scalar_map=dict(SCALAR_MAP)),
)

__all__ = ["schema"]
