"""`overrideShift`, `swapShifts` and `linkShifts`: oncall shifts by their unified `Event` ids
(logic in `resolvers/unified/shifts.py`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from resolvers.unified import shifts as shifts_u
from schema.activity import Event
from schema.common import CtxInfo
from schema.cost import upstream
from schema.ids import encode_id
from schema.payloads import IdempotencyKey, Payload
from schema.unified.common import key_of, named

EventId = Annotated[strawberry.ID, strawberry.argument(description="An `Event` id.")]


def _keys(ids: list[strawberry.ID]) -> list[str]:
    return [key_of(i, "Event", "an Event") for i in ids]


@strawberry.input(description="Part of someone's shifts, handed to someone else.")
class OverrideShiftInput:
    event_ids: list[strawberry.ID] = strawberry.field(
        description="`Event` ids of consecutive shifts of one person, team and role (one is "
        "enough)."
    )
    user: str = strawberry.field(
        description="Who takes over: a `User` id, key, email or username, or a display name "
        "if only one person has it; they must be in the team."
    )
    start: dt.datetime = strawberry.field(description="When they take over.")
    end: dt.datetime = strawberry.field(description="When the shifts go back.")


@strawberry.type(description="The shifts an oncall change left.")
class ShiftChange:
    record: strawberry.Private[shifts_u.ShiftChange]

    @strawberry.field(
        description="The shifts as they are now, by start: the ones changed and the ones "
        "the change created."
    )
    def events(self) -> list[Event]:
        return [Event.of(s.record()) for s in self.record.events]

    @strawberry.field(
        description="Ids of the shifts given that no longer exist: split by an override "
        "(oncall replaces a split shift by new ones) or re-created by a link."
    )
    def removed_ids(self) -> list[strawberry.ID]:
        return [encode_id("Event", str(i)) for i in self.record.removed]

    @strawberry.field(description="The id the linked set shares (`linkShifts`).")
    def link_id(self) -> str | None:
        return self.record.link_id


@strawberry.type
class ShiftsMutation:
    @strawberry.mutation(
        description="Hand part of someone's shifts to someone else (oncall's override): "
        "a shift the override falls inside is replaced by new shifts for the parts before "
        "and after it (new ids, no schedule), and one shift for the override is created.",
        metadata=upstream("request", 5),
    )
    async def override_shift(
        self,
        info: CtxInfo,
        input: Annotated[OverrideShiftInput, strawberry.argument(description="The override.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[ShiftChange]:
        outcome = await shifts_u.override_shift(
            info.context,
            event_ids=_keys(input.event_ids),
            user=named(input.user, "User"),
            start=input.start,
            end=input.end,
            key=idempotency_key,
        )
        return Payload.of(outcome, lambda r: ShiftChange(record=r))

    @strawberry.mutation(
        description="Swap the people of two shifts of one team. A shift in a linked set "
        "swaps with its whole set unless `linked` is false (then it leaves the set).",
        metadata=upstream("request", 6),
    )
    async def swap_shifts(
        self,
        info: CtxInfo,
        first: EventId,
        second: EventId,
        linked: Annotated[
            bool, strawberry.argument(description="Swap whole linked sets (default).")
        ] = True,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[ShiftChange]:
        [a, b] = _keys([first, second])
        outcome = await shifts_u.swap_shifts(
            info.context, first=a, second=b, linked=linked, key=idempotency_key
        )
        return Payload.of(outcome, lambda r: ShiftChange(record=r))

    @strawberry.mutation(
        description="Link shifts of one team into a set (swapped together, one reminder). "
        "oncall links only shifts it creates together, so they are re-created as a linked "
        "set under new ids and the originals deleted (listed in `removedIds`); if that "
        "fails half-way the change is undone and the error says what, if anything, is left.",
        metadata=upstream("request", 8),
    )
    async def link_shifts(
        self,
        info: CtxInfo,
        event_ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Two or more `Event` ids.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[ShiftChange]:
        outcome = await shifts_u.link_shifts(
            info.context, event_ids=_keys(event_ids), key=idempotency_key
        )
        return Payload.of(outcome, lambda r: ShiftChange(record=r))
