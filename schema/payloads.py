"""What every mutation answers: the changed object, or what the API refused, and whether the
answer was replayed for a repeated idempotency key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Generic, TypeVar

import strawberry

from resolvers.writes import Idempotency, Outcome, as_data, run_write
from schema.common import CtxInfo

T = TypeVar("T")
G = TypeVar("G")

IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(
        description="Send the same key (and the same input) again to get the first answer "
        "back without changing anything twice; a key with another input is an error."
    ),
]


@strawberry.type(description="A problem with the input, to fix before trying again.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="The input field it is about, as a path, when the API says."
    )
    message: str = strawberry.field(description="What is wrong, in the API's own words.")
    code: str = strawberry.field(
        description="INVALID_INPUT, NOT_FOUND, CONFLICT, AMBIGUOUS (the input fits several "
        "people, teams or tasks: the message lists them), UNSUPPORTED (the API cannot do it), "
        "or REJECTED."
    )


@strawberry.type(description="A mutation's answer.")
class Payload(Generic[T]):
    result: T | None = strawberry.field(
        description="The object as the API has it after the change (null when it refused)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="What the API refused about the input; empty when it succeeded."
    )
    replayed: bool = strawberry.field(
        description="True when this answer was kept from an earlier request with the same "
        "idempotency key: nothing was changed again."
    )

    @classmethod
    def of(cls, outcome: Outcome[G], show: Callable[[G], T] | None = None) -> Payload[T]:
        result = outcome.result
        shown = show(result) if show is not None and result is not None else result
        errors = [
            UserError(field=list(e.field) if e.field else None, message=e.message, code=e.code)
            for e in outcome.user_errors
        ]
        return cls(result=shown, user_errors=errors, replayed=outcome.replayed)  # type: ignore[arg-type]


async def write(
    info: CtxInfo,
    *,
    name: str,
    service: str,
    data: object,
    key: str | None,
    result_type: object,
    call: Callable[[], Awaitable[G]],
) -> Outcome[G]:
    """Run one per-service mutation's upstream call under the write conventions
    (`resolvers/writes.py`): idempotency, user errors, the log line."""
    ctx = info.context
    outcome = await run_write(
        name=name,
        services=[service],
        caller=ctx.caller,
        data=as_data(data),
        key=key,
        idempotency=ctx.idempotency,
        result_type=result_type,
        call=call,
    )
    if outcome.result is not None and not outcome.replayed:
        ctx.forget_reads()  # the payload's links, and later fields, see the new state
    return outcome


__all__ = ["Idempotency", "IdempotencyKey", "Payload", "UserError", "write"]
