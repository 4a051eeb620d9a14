"""What every Team O'clock mutation shares (`mutations_<concept>.py`): one client call run
under the write conventions (`schema.payloads.write`), and the arguments that address what a
write changes.

Team O'clock words every refusal of a body the same way, whatever was wrong: a 400 with
"Invalid request: Enter a valid json body" (a taken username, a missing required field, an
unknown facilitator...), and a 404 "Object not found" for a path or a team it does not know.
That is all `userErrors` can repeat (codes INVALID_INPUT and NOT_FOUND), and it never names a
field: the mutations' descriptions say what a 400 means for each.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import strawberry

from resolvers.backends.teamoclock import TeamOclockClient
from resolvers.writes import Outcome
from schema.common import CtxInfo
from schema.cost import upstream
from schema.payloads import write

G = TypeVar("G")

ONE_WRITE = upstream("request", identity=False)  # a write is one call, and needs no directory

Username = Annotated[
    str, strawberry.argument(description="The member's username (their key; it never changes).")
]
Slug = Annotated[
    str, strawberry.argument(description="The team's slug (its key; it never changes).")
]
MeetingId = Annotated[
    str,
    strawberry.argument(
        description="The meeting's id: for standups and planning pokers, the team's slug."
    ),
]


async def toc_write(
    info: CtxInfo,
    *,
    name: str,
    data: object,
    key: str | None,
    result_type: object,
    call: Callable[[TeamOclockClient], Awaitable[G]],
) -> Outcome[G]:
    """Run `call` on the Team O'clock client as the mutation `name`. `data` is what the
    idempotency digest covers: the path ids and the input, everything the call sends."""
    ctx = info.context

    async def run() -> G:
        # Inside the write, so an unconfigured Team O'clock still gets its log line.
        return await call(ctx.backends.require("teamoclock"))

    return await write(
        info,
        name=name,
        service="teamoclock",
        data=data,
        key=key,
        result_type=result_type,
        call=run,
    )


async def toc_delete(
    info: CtxInfo,
    *,
    name: str,
    id: str,
    data: object,
    key: str | None,
    call: Callable[[TeamOclockClient], Awaitable[None]],
) -> Outcome[str]:
    """Run a DELETE (answered by an empty 204) as the mutation `name`; its result is `id`,
    the key of what is gone."""

    async def deleted(client: TeamOclockClient) -> str:
        await call(client)
        return id

    return await toc_write(info, name=name, data=data, key=key, result_type=str, call=deleted)
