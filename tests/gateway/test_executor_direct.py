"""Fields the compiled executor reads at once (plain attributes and `def name(self)`
resolvers, gateway/plans.py `Spec.direct`) answer as graphql-core does when they fail: the
error located at the field's path, null where nullable, the parent nulled where not.

A small schema of its own, because no demo field fails on demand: run through both
executors (gateway.operations, compiled and graphql-core) and compared whole.
"""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

from gateway.operations import Operations
from gateway.settings import LimitsSettings


@strawberry.type
class Item:
    n: int

    @strawberry.field
    def label(self) -> str:
        return f"item {self.n}"

    @strawberry.field
    def fragile(self) -> str | None:
        if self.n == 2:
            raise ValueError(f"item {self.n} cannot say")
        return "fine"

    @strawberry.field
    def strict(self) -> str:
        if self.n == 3:
            raise ValueError(f"item {self.n} refuses")
        return "kept"


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return [Item(n=n) for n in range(1, 5)]


SCHEMA = strawberry.Schema(query=Query)


async def _run(compiled: bool, query: str) -> dict[str, Any]:
    operations = Operations(SCHEMA, LimitsSettings(), compiled=compiled)
    prepared = operations.prepare(query, None)
    assert not prepared.errors
    result = await operations.execute(prepared, variables=None, operation_name=None, context=None)
    return dict(result.formatted)


@pytest.mark.parametrize(
    "query",
    [
        "{ items { n label fragile } }",
        "{ items { n strict } }",
        "{ items { label fragile strict } }",
    ],
)
async def test_failing_direct_fields_answer_as_graphql_core_does(query: str) -> None:
    compiled, reference = await _run(True, query), await _run(False, query)
    assert compiled == reference
    assert compiled["errors"]  # each query has a field that fails
    assert all(error["path"][0] == "items" for error in compiled["errors"])
