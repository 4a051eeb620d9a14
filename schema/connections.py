"""Relay connections: `first`/`after` paging over a list an API pages.

Resolvers return a :class:`resolvers.paging.Page`; :meth:`Connection.of` maps it. A field
declares ``-> Connection[TempoWorklog]`` and Strawberry names the type
``TempoWorklogConnection`` (its edges ``TempoWorklogEdge``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Generic, TypeVar, cast

import strawberry

from resolvers.paging import DEFAULT_FIRST, MAX_FIRST, Page

T = TypeVar("T")
R = TypeVar("R")
G = TypeVar("G")

First = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many items to return, 0 to {MAX_FIRST} (default {DEFAULT_FIRST})."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(description="Return the items after this cursor (an `endCursor`)."),
]


def shown_as(kind: type[G]) -> Callable[[object], G]:
    """For a GraphQL type derived from a client model (``strawberry.experimental.pydantic``):
    the model's instances are served as they are, and this tells the type checker so."""

    def same(model: object) -> G:
        return cast(G, model)

    return same


@strawberry.type(description="Where a page of a connection starts and ends, and what is around.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items come before this page.")
    start_cursor: str | None = strawberry.field(description="The first item's cursor.")
    end_cursor: str | None = strawberry.field(
        description="The last item's cursor: pass it as `after` for the next page."
    )


@strawberry.type(description="One item of a connection, with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Where this item is, for `after`.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list the upstream API pages.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items, each with its cursor.")
    page_info: PageInfo = strawberry.field(description="Where this page starts and ends.")
    total_count: int | None = strawberry.field(
        description="How many items the whole list has, when the API says."
    )

    @strawberry.field(description="The items, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @classmethod
    def of(cls, page: Page[R], wrap: Callable[[R], T]) -> Connection[T]:
        """The page, each item made a GraphQL object by `wrap` (for types derived from the
        client's models, the identity: `lambda m: m`)."""
        edges = [Edge(cursor=cursor, node=wrap(item)) for cursor, item in page.items]
        info = PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )
        return cls(edges=edges, page_info=info, total_count=page.total)
