"""Teamgraph as an Apollo Federation v2 subgraph: `Team` and `User` are entities keyed by `id`.

``build_subgraph_schema()`` is the schema `server.federation = true` serves: the plain one
plus `_service { sdl }` (what a router composes), `_entities(representations:)` (how a router
fetches a Team or User another subgraph refers to) and `@key(fields: "id")` on both types.

Only the subgraph carries `@key`; `schema.graphql` stays as it is. Strawberry reads a type's
directives from its definition, which belongs to the class and so would be shared by both
schemas, so the subgraph is built while Team and User wear a copy of their definition with
the key added (and an exact `is_type_of`, see `_instance_of`). The copy stays with the
subgraph's GraphQL types (the SDL printer and type resolution read it there) and the classes
get their own back.

`_entities` resolves every representation through the one linked directory of the request
(the same lookup `node(id:)` makes), so a router's batch of N teams and users costs the
upstream calls of one `teams` list, not N.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any, Final

import strawberry
from graphql import GraphQLResolveInfo
from strawberry.federation import Schema as FederationSchema
from strawberry.federation.schema import FederationAny
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet
from strawberry.schema.config import StrawberryConfig
from strawberry.types.base import StrawberryObjectDefinition, get_object_definition

from resolvers.backends.errors import BadRequest, NotFound
from resolvers.context import Context
from schema.common import CtxInfo
from schema.cost import NO_CALLS, upstream
from schema.ids import decode_id
from schema.mutation import Mutation
from schema.query import Query
from schema.scalars import SCALAR_MAP
from schema.types import Event, Meeting, Team, User, Worklog

# The field every entity is keyed by: the global `id`, which another subgraph stores.
ENTITY_KEY = "id"
ENTITY_TYPES: tuple[type, ...] = (Team, User)
# Pinned, so a Strawberry upgrade does not change the SDL routers compose.
FEDERATION_VERSION: Final = "2.11"

Entity = Annotated[
    Team | User,
    strawberry.union("_Entity", description="What `_entities` returns: every keyed type."),
]


@strawberry.type(name="_Service", description="This subgraph, as a federation router reads it.")
class SubgraphService:
    sdl: str = strawberry.field(
        description="The subgraph's SDL, federation directives included, for composition."
    )


@strawberry.type(name="Query", description="Everything Teamgraph answers, as a subgraph.")
class SubgraphQuery(Query):
    @strawberry.field(
        name="_entities",
        description="Teams and users by their key, for a federation router; null where "
        "none has that key (with an error naming it).",
        # One linked directory answers every representation, however many.
        metadata=upstream("request", 0),
    )
    async def entities(
        self,
        info: CtxInfo,
        representations: Annotated[
            list[FederationAny],
            strawberry.argument(
                description='`{__typename: "Team" or "User", id: <its id>}` objects.'
            ),
        ],
    ) -> list[Entity | None]:
        # An exception in the list is a null item with its error (graphql-core's rule).
        return await resolve_entities(info.context, representations)  # type: ignore[return-value]

    @strawberry.field(
        name="_service",
        description="This subgraph's SDL, for composition (answered with introspection off).",
        metadata=NO_CALLS,
    )
    def service(self, info: CtxInfo) -> SubgraphService:
        schema = info.schema
        sdl = schema.sdl if isinstance(schema, Subgraph) else schema.as_str()
        return SubgraphService(sdl=sdl)


class Subgraph(FederationSchema):
    """A federation schema that prints its SDL once, while it is built."""

    sdl: str


def build_subgraph_schema() -> Subgraph:
    with _keyed(ENTITY_TYPES):
        subgraph = Subgraph(
            query=SubgraphQuery,
            mutation=Mutation,
            types=[Team, User, Event, Worklog, Meeting],
            config=StrawberryConfig(scalar_map=dict(SCALAR_MAP)),
            federation_version=FEDERATION_VERSION,
        )
        # Printed once (about 50 ms): `_service` serves this text as is, so a router's
        # polling, or a flood of aliased `_service` fields, costs no printing.
        subgraph.sdl = subgraph.as_str()
    return subgraph


@contextmanager
def _keyed(types: Sequence[type]) -> Iterator[None]:
    originals = [(cls, get_object_definition(cls, strict=True)) for cls in types]
    try:
        for cls, definition in originals:
            keyed = dataclasses.replace(
                definition,
                directives=[*(definition.directives or ()), Key(fields=FieldSet(ENTITY_KEY))],
                is_type_of=_instance_of(cls),
            )
            _wear(cls, keyed)
        yield
    finally:
        for cls, definition in originals:
            _wear(cls, definition)


def _wear(cls: type, definition: StrawberryObjectDefinition) -> None:
    cls.__strawberry_definition__ = definition  # type: ignore[attr-defined]


def _instance_of(cls: type) -> Callable[[object, GraphQLResolveInfo[Any]], bool]:
    """Exactly this class. Strawberry tells a union's members apart by comparing definitions
    (which the copy is not) and then by `is_type_of`, whose default accepts any `Node`: left
    to it, every User in `_entities` would be answered as a Team."""

    def is_type_of(obj: object, _info: GraphQLResolveInfo[Any]) -> bool:
        return isinstance(obj, cls)

    return is_type_of


async def resolve_entities(
    ctx: Context, representations: Sequence[object]
) -> list[Team | User | Exception | None]:
    """One answer per representation, in order: the entity, or the error that says why not
    (graphql-core turns an exception in a list into a null item with a located error)."""
    wanted: list[tuple[str, str] | Exception] = []
    for index, representation in enumerate(representations):
        try:
            wanted.append(_reference(index, representation))
        except BadRequest as exc:
            wanted.append(exc)
    if all(isinstance(w, Exception) for w in wanted):
        return list(wanted)  # type: ignore[arg-type]
    directory = await ctx.directory()
    out: list[Team | User | Exception | None] = []
    for index, item in enumerate(wanted):
        if isinstance(item, Exception):
            out.append(item)
            continue
        type_name, key = item
        if type_name == "Team":
            team = directory.team("key", key)
            found: Team | User | None = Team.of(team) if team else None
        else:
            person = directory.person("key", key)
            found = User.of(person) if person else None
        if found is not None:
            out.append(found)
        elif directory.failures:
            # A service that could not list its accounts may be the one that knows it: say
            # so (which service, and why) rather than "no such team".
            out.append(next(iter(directory.failures.values())))
        else:
            out.append(_missing(index, type_name, key))
    return out


def _reference(index: int, representation: object) -> tuple[str, str]:
    """(type name, key) from `{__typename, id}`; BadRequest naming what is wrong."""
    where = f"representations[{index}]"
    if not isinstance(representation, dict):
        raise BadRequest(f'{where} must be an object: {{__typename: "Team", id: "..."}}')
    type_name = representation.get("__typename")
    names = [get_object_definition(cls, strict=True).name for cls in ENTITY_TYPES]
    if type_name not in names:
        raise BadRequest(
            f"{where}: __typename {type_name!r} is not an entity here; use one of "
            f"{', '.join(names)}"
        )
    ident = representation.get(ENTITY_KEY)
    if not isinstance(ident, str):
        raise BadRequest(f"{where}: `{ENTITY_KEY}` must be the {type_name}'s `id` (a string)")
    try:
        id_type, key = decode_id(ident)
    except BadRequest as exc:
        raise BadRequest(f"{where}: {exc.message}") from None
    if id_type != type_name:
        raise BadRequest(f"{where}: {ident!r} is the id of a {id_type}, not of a {type_name}")
    return type_name, key


def _missing(index: int, type_name: str, key: str) -> NotFound:
    return NotFound(
        f"representations[{index}]: no {type_name} {key!r} (it may have been removed from "
        f"every service); query `{type_name.lower()}s` for the current ones"
    )
