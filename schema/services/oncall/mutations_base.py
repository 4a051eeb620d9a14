"""What every oncall mutation shares: how its answer is read back, how oncall's refusals name
their field, and the data its idempotency key is checked against.

Most oncall writes answer with an empty body or just an id (2.1.7: creates 201 and empty,
`POST /events` a bare id, PUTs and DELETEs 200 and empty). So a mutation's `call` returns the
changed object's key, and its payload reads the object back: one read through the loaders
the read surface uses, after :func:`resolvers.services.oncall.forget` has made the request
forget what it had read from oncall. The read runs after the write's idempotency record is
kept: a repeat with the same key replays the write's outcome and reads the object again, and
a read that fails (an outage right after the write) fails the field while the write stands.

oncall's refusals are ``{"title", "description"}``; the client joins them as "title:
description", which the write conventions would take for "field: message" when the title is
one word ("IntegrityError"). Here the title goes back into the message, and the field is the
one oncall's description names ("scheduling_timezone attribute missing from request",
"slack channel name needs to start with #", ...), as the path of the mutation's input field.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from strawberry.utils.str_converters import to_camel_case

from resolvers import writes
from resolvers.backends.oncall import OncallClient
from resolvers.writes import Outcome, as_data
from schema.common import CtxInfo
from schema.cost import upstream
from schema.payloads import Payload, UserError

K = TypeVar("K")
T = TypeVar("T")

Fields = Mapping[str, list[str]]  # an oncall body key -> the path of the input field it is
WRITE = upstream("request", identity=False)  # every mutation's cost: a write is one call

# What oncall's reasons say about which body key is wrong (2.1.7's wording).
_NAMES: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"^(\w+) attribute missing from request", None),
        (r'missing field "(\w+)"', None),
        (r"missing required parameters: (\w+)", None),
        (r"requested (\w+) is not supported", None),
        (r"^(\w+) must be boolean", None),
        (r"^invalid slack notifications channel", "slack_channel_notifications"),
        (r"^invalid slack channel", "slack_channel"),
        (r"^invalid (?:team|roster) name", "name"),
        (r'(?:team|user|service|roster) name "[^"]*" already exist', "name"),
        (r'^IntegrityError: service "[^"]*" (?:already claimed|not found)', "name"),
        (r"^invalid admin", "admin"),
        (r'role(?: "[^"]*")? not found', "role"),
        (r"invalid roles", "roles"),
        (r"in the past not allowed", "start"),
        (r"(?:User|Substituting user|Event user) must be part of the team", "user"),
        (r"notification type \S+ does not exist", "type"),
        (r"must define (?:only )?(time_before|only_if_involved)", None),
        (r"^Invalid roster order", "roster_order"),
        (r"schedule event requires", "events"),
        (r"advanced mode setting|cannot be represented in simple mode", "advanced_mode"),
    )
)


def unchanged(description: str) -> str:
    """An optional input field's description: left out, the value stays as it is."""
    return f"{description.removesuffix('.')}; unchanged if left out."


def client(info: CtxInfo) -> OncallClient:
    """The oncall client (an error naming oncall when it is not configured)."""
    return info.context.backends.require("oncall")


def sent(**values: object) -> dict[str, object]:
    """A mutation's arguments as plain data, for the idempotency digest: a key repeated with
    another path argument (another team, say) is another input."""
    return {name: as_data(value) for name, value in values.items()}


def fields_of(input: object, **aliases: str) -> Fields:
    """The input paths of an input's fields by the body key oncall knows each by: the field's
    own (snake_case) name, or the key given in `aliases` (`name="user"`: oncall's `name` is
    our `user`)."""
    ours = {f.name: f.name for f in dataclasses.fields(input)}  # type: ignore[arg-type]
    ours |= aliases
    return {key: ["input", to_camel_case(name)] for key, name in ours.items()}


async def read_back(
    info: CtxInfo,
    outcome: Outcome[K],
    read: Callable[[K], Awaitable[T | None]],
    missing: Callable[[K], str],
    fields: Fields | None = None,
) -> Payload[T]:
    """The payload of a write whose answer is a key: what oncall refused, or the changed object
    read back. When oncall accepted the write but has no such object (2.1.7 answers 200 to an
    update of an unknown team, service or roster member and changes nothing), the result is
    null with a NOT_FOUND user error saying `missing`."""
    if outcome.result is None:
        return refused(outcome, fields)
    key = outcome.result
    info.context.forget_reads()
    found = await read(key)
    if found is None:
        error = UserError(field=None, message=f"oncall: {missing(key)}", code="NOT_FOUND")
        return Payload(result=None, user_errors=[error], replayed=outcome.replayed)
    return Payload(result=found, user_errors=[], replayed=outcome.replayed)


def deleted(info: CtxInfo, outcome: Outcome[K]) -> Payload[K]:
    """The payload of a delete: the deleted object's key, or what oncall refused."""
    if outcome.result is None:
        return refused(outcome)
    info.context.forget_reads()
    return Payload(result=outcome.result, user_errors=[], replayed=outcome.replayed)


def refused(outcome: Outcome[K], fields: Fields | None = None) -> Payload[T]:
    """A payload with no result: what oncall refused, each naming its input field when
    oncall's reason names one of `fields`."""
    errors = [_user_error(e, fields or {}) for e in outcome.user_errors]
    return Payload(result=None, user_errors=errors, replayed=outcome.replayed)


def _user_error(error: writes.UserError, fields: Fields) -> UserError:
    reason = error.message.removeprefix("oncall: ")
    if error.field:  # oncall's one-word title ("IntegrityError"), not a field
        reason = f"{'.'.join(error.field)}: {reason}"
    return UserError(field=_field(reason, fields), message=f"oncall: {reason}", code=error.code)


def _field(reason: str, fields: Fields) -> list[str] | None:
    for pattern, key in _NAMES:
        found = pattern.search(reason)
        if found is not None:
            path = fields.get(key or found.group(1))
            return list(path) if path else None
    return None
