"""The GraphQL schema: ``schema`` (the plain one) and ``build_schema`` (a choice of wiring).

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


def build_schema(*, federation: bool = False) -> strawberry.Schema:
    """The plain schema (`schema.graphql`), or with `federation` the Apollo Federation v2
    subgraph (`schema.federation.graphql`): the same graph plus `_service`, `_entities` and
    `@key(fields: "id")` on Team and User."""
    if not federation:
        return schema
    # Imported here: the plain gateway never builds (or imports) the subgraph.
    from schema.federation import build_subgraph_schema

    return build_subgraph_schema()


__all__ = ["build_schema", "schema"]
