"""What every Tempo mutation shares (`mutations_<concept>.py`): one client call run under the
write conventions (`schema.payloads.write`), Tempo's refusals as one user error per message
with the field each names, and the arguments that address what a write changes.

Tempo answers a refused body with every problem at once (``{"errors": [{"message": …}]}``,
joined by the client with "; "): each message becomes its own user error, and one that starts
with a field of the mutation's input ("commitmentPercent must be between 0 and 100") names
that field.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import replace
from typing import TypeVar

import strawberry
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from resolvers.backends.tempo import TempoClient
from resolvers.writes import Outcome, UserError
from schema.common import CtxInfo
from schema.cost import upstream
from schema.payloads import write

G = TypeVar("G")
P = TypeVar("P", int, str)

ONE_WRITE = upstream("request", identity=False)  # a write is one call, and needs no directory


def id_of(what: str) -> object:
    """A path id argument's description (`Annotated[int, id_of("team")]`)."""
    return strawberry.argument(description=f"The {what}'s id in Tempo.")


def key_of(what: str) -> object:
    """A path key argument's description (`Annotated[str, key_of("account")]`)."""
    return strawberry.argument(description=f"The {what}'s key, as it is now.")


_SERVICE = "tempo: "
_LEADING_NAME = re.compile(r"'?([A-Za-z_]\w*)'? ")


async def tempo_write(
    info: CtxInfo,
    *,
    name: str,
    input: object,
    key: str | None,
    result_type: object,
    call: Callable[[TempoClient], Awaitable[G]],
    path: str | int | None = None,
) -> Outcome[G]:
    """Run `call` on the Tempo client as the mutation `name` (`schema.payloads.write`): the
    idempotency digest covers the path id and the input; refusals are named by field."""
    client = info.context.backends.require("tempo")
    outcome = await write(
        info,
        name=name,
        service="tempo",
        data=input if path is None else (path, input),
        key=key,
        result_type=result_type,
        call=lambda: call(client),
    )
    return replace(outcome, user_errors=named(outcome.user_errors, field_names(input)))


async def tempo_delete(
    info: CtxInfo,
    *,
    name: str,
    path: P,
    key: str | None,
    call: Callable[[TempoClient], Awaitable[None]],
) -> Outcome[P]:
    """Run a DELETE as the mutation `name`; its result is the deleted object's id or key."""

    async def deleted(client: TempoClient) -> P:
        await call(client)
        return path

    return await tempo_write(
        info, name=name, input=None, key=key, result_type=type(path), call=deleted, path=path
    )


def field_names(input: object) -> frozenset[str]:
    """The GraphQL names of an input object's fields (none for no input)."""
    definition = get_object_definition(type(input))
    if definition is None:
        return frozenset()
    return frozenset(f.graphql_name or to_camel_case(f.python_name) for f in definition.fields)


def named(errors: Iterable[UserError], fields: Collection[str]) -> list[UserError]:
    """One user error per Tempo message, with the input field a message starts with."""
    found: list[UserError] = []
    for error in errors:
        if error.field is not None or not error.message.startswith(_SERVICE):
            found.append(error)
            continue
        for message in error.message.removeprefix(_SERVICE).split("; "):
            word = _LEADING_NAME.match(message)
            field = (word[1],) if word and word[1] in fields else None
            found.append(UserError(_SERVICE + message, error.code, field))
    return found
