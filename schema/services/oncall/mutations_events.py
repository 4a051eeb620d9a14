"""oncall's writes to events (shifts): create, edit, delete, swap, override and link.

Every change answers the events as the read surface shows them (`OncallEvent`, linked to the
unified `Event` by its `shift` field), read back after the write: oncall answers a new event
with its id alone, an edit or a swap with an empty body, a linked set with its ids, and an
override with the resulting events but without their schedule, link or note. Deleting an
event answers its id.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Annotated

import strawberry

from resolvers.backends import oncall
from resolvers.backends.errors import BadRequest
from resolvers.services import oncall_people as people_r
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.payloads import IdempotencyKey, Payload, write
from schema.services.oncall._shared import doc
from schema.services.oncall.events import OncallEvent
from schema.services.oncall.mutations_base import (
    WRITE,
    client,
    deleted,
    fields_of,
    read_back,
    sent,
    unchanged,
)

Ev = oncall.Event
EventId = Annotated[int, strawberry.argument(description="The event's id.")]
# oncall refuses to swap events that started more than its grace period (a day) ago.
GRACE = timedelta(days=1)


@strawberry.input(description="An event to create: one person on call for a team in one role.")
class OncallNewEventInput:
    start: datetime = strawberry.field(description=doc(Ev, "start"))
    end: datetime = strawberry.field(
        description=f"{doc(Ev, 'end').removesuffix('.')}, after start."
    )
    user: str = strawberry.field(
        description="The username of who is on call; they must be a member of the team."
    )
    team: str = strawberry.field(description=doc(Ev, "team"))
    role: str = strawberry.field(description=doc(Ev, "role"))
    note: str | None = strawberry.field(default=None, description=doc(Ev, "note"))


@strawberry.input(description="A new oncall event.")
class CreateOncallEventInput(OncallNewEventInput):
    schedule_id: int | None = strawberry.field(
        default=None, description="The schedule it belongs to, if any; null for a shift by hand."
    )


@strawberry.input(
    description="An event's new state. `start` and `end` are always sent: oncall 2.1.7 fails "
    "an edit without `start`."
)
class UpdateOncallEventInput:
    start: datetime = strawberry.field(description=doc(Ev, "start"))
    end: datetime = strawberry.field(
        description=f"{doc(Ev, 'end').removesuffix('.')}, after start."
    )
    user: str | None = strawberry.field(
        default=None,
        description="The username of who is on call instead, a member of the team; unchanged "
        "if left out.",
    )
    role: str | None = strawberry.field(default=None, description=unchanged(doc(Ev, "role")))
    note: str | None = strawberry.field(default=None, description=unchanged(doc(Ev, "note")))


@strawberry.input(description="One side of a swap: a single event, or a whole linked set.")
class OncallSwapSideInput:
    event_id: int | None = strawberry.field(
        default=None, description="A single event's id (give this or `linkId`)."
    )
    link_id: str | None = strawberry.field(
        default=None, description="A linked set's `linkId`: all its events (or `eventId`)."
    )


@strawberry.input(description="Two sides whose people trade places, of one team.")
class SwapOncallEventsInput:
    first: OncallSwapSideInput = strawberry.field(
        description="One side; its person takes over the other."
    )
    second: OncallSwapSideInput = strawberry.field(description="The other side.")


@strawberry.input(description="Someone taking over part of a run of events.")
class OverrideOncallEventsInput:
    event_ids: list[int] = strawberry.field(
        description="Consecutive events of one team, role and person to take over from."
    )
    start: datetime = strawberry.field(description="When the takeover starts.")
    end: datetime = strawberry.field(description="When it ends.")
    user: str = strawberry.field(description="The username taking over, a member of the team.")


@strawberry.input(
    description="Events to create as one linked set (swapped together, one reminder)."
)
class LinkOncallEventsInput:
    events: list[OncallNewEventInput] = strawberry.field(description="The events, all of one team.")


@strawberry.type(description="A linked set of oncall events, as created.")
class OncallLinkedEvents:
    link_id: str | None = strawberry.field(
        description="The id its events share (null from a server in the 2017 docs' shape, "
        "which answers with the event ids alone)."
    )
    events: list[OncallEvent] = strawberry.field(description="Its events, by start, then id.")


def _side(side: OncallSwapSideInput, name: str) -> int | str:
    if (side.event_id is None) == (side.link_id is None):
        raise BadRequest(f"swapOncallEvents: give `input.{name}` an eventId or a linkId (one)")
    return side.event_id if side.event_id is not None else str(side.link_id)


def _new(e: OncallNewEventInput) -> oncall.NewEvent:
    return oncall.NewEvent(start=e.start, end=e.end, user=e.user, team=e.team, role=e.role,
                           note=e.note)  # fmt: skip


async def _event(info: CtxInfo, event_id: int) -> OncallEvent | None:
    found = await people_r.get_event(info.context, event_id)
    return shown_as(OncallEvent)(found) if found else None


async def _among(info: CtxInfo, answered: Sequence[oncall.Event]) -> list[OncallEvent]:
    """Events oncall answered, read back whole (one `GET /events` over their span): the
    answer of an override lacks their schedule, link and note."""
    if not answered:
        return []
    found = await people_r.list_events_among(
        info.context, [e.id for e in answered], team=answered[0].team,
        start=min(e.start for e in answered), end=max(e.end for e in answered),
    )  # fmt: skip
    whole = {e.id: e for e in found}
    events = sorted((whole.get(e.id, e) for e in answered), key=lambda e: (e.start, e.id))
    return [shown_as(OncallEvent)(e) for e in events]


async def _swapped(info: CtxInfo, sides: list[int | str]) -> list[OncallEvent]:
    """Both sides read back: single events by id; linked sets from the events of the team (of
    every team if both sides are sets) that end after the swap window opened."""
    ctx = info.context
    singles = [await people_r.get_event(ctx, s) for s in sides if isinstance(s, int)]
    events = [e for e in singles if e is not None]
    links = [s for s in sides if isinstance(s, str)]
    if links:
        team = events[0].team if events else None
        events += await people_r.list_linked_events(
            ctx, links, team=team, end_after=ctx.clock() - GRACE
        )
    events.sort(key=lambda e: (e.start, e.id))
    return [shown_as(OncallEvent)(e) for e in events]


@strawberry.type(description="oncall's writes to events.")
class OncallEventMutation:
    @strawberry.mutation(
        description="Create an oncall event (`POST /events`). Answers the event as oncall has "
        "it, read back with `GET /events/{id}` (oncall answers with its id alone).",
        metadata=WRITE,
    )
    async def create_oncall_event(
        self,
        info: CtxInfo,
        input: Annotated[CreateOncallEventInput, strawberry.argument(description="The event.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallEvent]:
        outcome = await write(
            info, name="createOncallEvent", service="oncall", data=sent(input=input),
            key=idempotency_key, result_type=int,
            call=lambda: client(info).create_event(
                start=input.start, end=input.end, user=input.user, team=input.team,
                role=input.role, note=input.note, schedule_id=input.schedule_id,
            ),
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda i: _event(info, i), lambda i: f"no event {i}", fields_of(input)
        )

    @strawberry.mutation(
        description="Change an oncall event (`PUT /events/{id}`); it leaves any linked set. "
        "Answers the event as oncall has it afterwards, read back with `GET /events/{id}` "
        "(oncall answers with an empty body).",
        metadata=WRITE,
    )
    async def update_oncall_event(
        self,
        info: CtxInfo,
        id: EventId,
        input: Annotated[UpdateOncallEventInput, strawberry.argument(description="The changes.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallEvent]:
        async def call() -> int:
            await client(info).update_event(
                id, start=input.start, end=input.end, user=input.user, role=input.role,
                note=input.note,
            )  # fmt: skip
            return id

        outcome = await write(
            info, name="updateOncallEvent", service="oncall", data=sent(id=id, input=input),
            key=idempotency_key, result_type=int, call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda i: _event(info, i), lambda i: f"no event {i}", fields_of(input)
        )

    @strawberry.mutation(
        description="Delete an oncall event (`DELETE /events/{id}`); oncall refuses for one "
        "that started more than a day ago. Answers the deleted event's id.",
        metadata=WRITE,
    )
    async def delete_oncall_event(
        self, info: CtxInfo, id: EventId, idempotency_key: IdempotencyKey = None
    ) -> Payload[int]:
        async def call() -> int:
            await client(info).delete_event(id)
            return id

        outcome = await write(
            info, name="deleteOncallEvent", service="oncall", data=sent(id=id),
            key=idempotency_key, result_type=int, call=call,
        )  # fmt: skip
        return deleted(info, outcome)

    @strawberry.mutation(
        description="Swap the people of two events, or of two linked sets, of one team "
        "(`POST /events/swap`). Answers both sides' events as oncall has them afterwards, by "
        "start (oncall answers with an empty body): single events read back with "
        "`GET /events/{id}`, linked sets with one `GET /events` of the team.",
        metadata=WRITE,
    )
    async def swap_oncall_events(
        self,
        info: CtxInfo,
        input: Annotated[SwapOncallEventsInput, strawberry.argument(description="The two sides.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[list[OncallEvent]]:
        async def call() -> list[int | str]:
            sides = [_side(input.first, "first"), _side(input.second, "second")]
            await client(info).swap_events(*sides)
            return sides

        outcome = await write(
            info, name="swapOncallEvents", service="oncall", data=sent(input=input),
            key=idempotency_key, result_type=list[int | str], call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda s: _swapped(info, s), lambda _: "the swapped events are gone"
        )

    @strawberry.mutation(
        description="Hand part of a run of consecutive events to someone else "
        "(`POST /events/override`). oncall trims the events the override overlaps, deletes "
        "those it covers, and replaces one it falls inside by new events for the parts before "
        "and after (new ids, no schedule). Answers the resulting events, by start: oncall's "
        "answer, read back with one `GET /events` over their span for their schedule, link "
        "and note, which the answer lacks.",
        metadata=WRITE,
    )
    async def override_oncall_events(
        self,
        info: CtxInfo,
        input: Annotated[
            OverrideOncallEventsInput, strawberry.argument(description="The takeover.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[list[OncallEvent]]:
        outcome = await write(
            info, name="overrideOncallEvents", service="oncall", data=sent(input=input),
            key=idempotency_key, result_type=list[oncall.Event],
            call=lambda: client(info).override_events(
                input.event_ids, start=input.start, end=input.end, user=input.user
            ),
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda found: _among(info, found), lambda _: "no events",
            fields_of(input),
        )  # fmt: skip

    @strawberry.mutation(
        description="Create events of one team as a linked set (`POST /events/link`), swapped "
        "together and reminded of once. Answers the set: its `linkId` as oncall answers it "
        "(2.1.7: `{link_id, event_ids}`) and its events, read back with one `GET /events` over "
        "their span.",
        metadata=WRITE,
    )
    async def link_oncall_events(
        self,
        info: CtxInfo,
        input: Annotated[LinkOncallEventsInput, strawberry.argument(description="The events.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallLinkedEvents]:
        outcome = await write(
            info, name="linkOncallEvents", service="oncall", data=sent(input=input),
            key=idempotency_key, result_type=oncall.LinkedEvents,
            call=lambda: client(info).link_events([_new(e) for e in input.events]),
        )  # fmt: skip

        async def read(linked: oncall.LinkedEvents) -> OncallLinkedEvents:
            found = await people_r.list_events_among(
                info.context, linked.event_ids, team=input.events[0].team,
                start=min(e.start for e in input.events), end=max(e.end for e in input.events),
            )  # fmt: skip
            events = [shown_as(OncallEvent)(e) for e in found]
            return OncallLinkedEvents(link_id=linked.link_id, events=events)

        return await read_back(info, outcome, read, lambda _: "no events")
