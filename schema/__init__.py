"""The GraphQL schema: ``schema`` is the one public name."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, QueryDepthLimiter, SchemaExtension
from strawberry.types import ExecutionContext

from resolvers.backends.errors import GatewayError
from resolvers.context import Context
from schema.query import Query
from schema.types import Event, Meeting, Team, User, Worklog

MAX_DEPTH = 12

log = logging.getLogger("teamgraph.errors")


def should_mask(error: GraphQLError) -> bool:
    """Mask unexpected exceptions raised while executing; show our error family and every
    error about the request itself (syntax, validation, variables), which carry no path."""
    if error.path is None:
        return False
    return not isinstance(error.original_error, GatewayError)


class PartialResults(SchemaExtension):
    """Reports, next to the data, each service failure that left a merged list partial,
    and with `X-Teamgraph-Trace: 1` the upstream calls the request made."""

    def on_execute(self) -> Iterator[None]:
        yield
        ctx = self.execution_context.context
        result = self.execution_context.result
        if not isinstance(ctx, Context) or result is None or not ctx.problems:
            return
        errors = list(getattr(result, "errors", None) or [])
        shown = {e.message for e in errors}
        for problem in ctx.problems:
            if problem.message not in shown:
                errors.append(GraphQLError(problem.message, extensions=problem.extensions))
        result.errors = errors

    def get_results(self) -> dict[str, Any]:
        ctx = self.execution_context.context
        if isinstance(ctx, Context) and ctx.trace is not None:
            return {"upstream": [call.as_dict() for call in ctx.trace]}
        return {}


class Schema(strawberry.Schema):
    """Strawberry's schema, logging expected failures briefly and bugs in full."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = []
        for error in errors:
            if isinstance(error.original_error, GatewayError):
                # An upstream outage or a bad argument: one line, no traceback.
                log.warning("%s (path %s)", error.message, error.path)
            else:
                unexpected.append(error)
        super().process_errors(unexpected, execution_context)


schema = Schema(
    query=Query,
    types=[Team, User, Event, Worklog, Meeting],
    extensions=[
        # Factories, so every request gets fresh extension instances.
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        PartialResults,
        lambda: MaskErrors(should_mask_error=should_mask, error_message="Unexpected error."),
    ],
)

__all__ = ["schema"]
