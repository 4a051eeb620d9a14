"""`overrideShift`, `swapShifts` and `linkShifts`: oncall shifts changed by their unified
`Event` ids, with the real server's semantics.

* Override hands ``[start, end)`` of consecutive shifts to someone else. A shift the
  override falls inside is split: oncall deletes it and creates new shifts for the parts
  before and after (new ids, no schedule), plus one for the override itself.
* Swap exchanges the people of two shifts; a shift in a linked set swaps the whole set
  (unless `linked` is off, which takes that shift out of its set).
* oncall links only shifts it creates together (``POST /events/link``), so linking existing
  shifts re-creates them as one linked set (new ids) and then deletes the originals. If a
  delete fails, the new set is deleted and the deleted originals made again (new ids), and
  the error says what, if anything, is left.

Every answer reads the resulting shifts back through the unified event reads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from resolvers import events as events_r
from resolvers.backends import oncall
from resolvers.common import numeric_id
from resolvers.context import Context
from resolvers.directory import id_in
from resolvers.events import ShiftRecord
from resolvers.identity import Identity
from resolvers.unified.changes import Applied, ChangeFailed, Operation, Run, StepError
from resolvers.unified.names import person_named
from resolvers.writes import Outcome, Refused, UserError, run_write

SERVICE = ["oncall"]
Step = Callable[[], Awaitable[Applied]]


@dataclass
class Shift:
    """A shift as the unified reads link it, in a form the idempotency store keeps."""

    event: oncall.Event
    person: Identity | None
    team: Identity | None

    def record(self) -> ShiftRecord:
        return ShiftRecord(self.event, self.person, self.team)


@dataclass
class ShiftChange:
    """The shifts a change left, and which of the shifts it was given are gone."""

    events: list[Shift]
    removed: list[int] = field(default_factory=list)  # by id
    link_id: str | None = None


def _ids(ids: Sequence[str], where: str) -> list[int]:
    """oncall event ids from `Event` keys; a user error for none, or for keys that are not."""
    if not ids:
        raise Refused(UserError("name at least one shift", "INVALID_INPUT", (where,)))
    numbers = [numeric_id(i) for i in ids]
    bad = [i for i, n in zip(ids, numbers, strict=True) if n is None]
    if bad:
        raise Refused(UserError(f"no oncall shift {', '.join(bad)}", "NOT_FOUND", (where,)))
    return [n for n in numbers if n is not None]


async def _read_back(ctx: Context, ids: Iterable[int]) -> list[Shift]:
    ctx.forget_reads()
    found = await asyncio.gather(*(events_r.get_event(ctx, str(i)) for i in sorted(set(ids))))
    shifts = [Shift(r.event, r.person, r.team) for r in found if r is not None]
    return sorted(shifts, key=lambda s: (s.event.start, s.event.id))


async def _event(ctx: Context, ident: int, where: str) -> oncall.Event:
    event = await ctx.backends.require("oncall").get_event(ident)
    if event is None:
        raise Refused(UserError(f"no oncall shift {ident}", "NOT_FOUND", (where,)))
    return event


async def _write(
    ctx: Context,
    name: str,
    data: object,
    key: str | None,
    call: Callable[[], Awaitable[ShiftChange]],
) -> Outcome[ShiftChange]:
    return await run_write(
        name=name,
        services=SERVICE,
        caller=ctx.caller,
        data=data,
        key=key,
        idempotency=ctx.idempotency,
        result_type=ShiftChange,
        call=call,
    )


async def override_shift(
    ctx: Context,
    *,
    event_ids: Sequence[str],
    user: str,
    start: datetime,
    end: datetime,
    key: str | None = None,
) -> Outcome[ShiftChange]:
    """Hand ``[start, end)`` of the given consecutive shifts to `user`."""

    async def call() -> ShiftChange:
        ids = _ids(event_ids, "eventIds")
        person = await person_named(ctx, user, ("input", "user"))
        username = await id_in(ctx, person, "oncall")  # raises if oncall could not be asked
        if username is None:
            raise Refused(
                UserError(f"{person.key} is not in oncall", "NOT_FOUND", ("input", "user"))
            )
        client = ctx.backends.require("oncall")
        rows = await client.override_events(ids, start=start, end=end, user=username)
        now = {e.id for e in rows}
        return ShiftChange(await _read_back(ctx, now), sorted(set(ids) - now))

    data = {"eventIds": list(event_ids), "user": user, "start": start, "end": end}
    return await _write(ctx, "overrideShift", data, key, call)


async def swap_shifts(
    ctx: Context, *, first: str, second: str, linked: bool = True, key: str | None = None
) -> Outcome[ShiftChange]:
    """Swap the people of two shifts (whole linked sets, with `linked`)."""

    async def call() -> ShiftChange:
        client = ctx.backends.require("oncall")
        events = [
            await _event(ctx, _ids([i], f)[0], f) for i, f in ((first, "first"), (second, "second"))
        ]
        refs: list[int | str] = []
        affected: list[int] = []
        for e in events:
            if linked and e.link_id:
                refs.append(e.link_id)
                # Its set's shifts still to come (oncall swaps no set with a past shift).
                same = await client.list_events(team=e.team, end_after=ctx.clock())
                affected += [s.id for s in same if s.link_id == e.link_id]
            else:
                refs.append(e.id)
                affected.append(e.id)
        await client.swap_events(refs[0], refs[1])
        return ShiftChange(await _read_back(ctx, affected))

    data = {"first": first, "second": second, "linked": linked}
    return await _write(ctx, "swapShifts", data, key, call)


async def link_shifts(
    ctx: Context, *, event_ids: Sequence[str], key: str | None = None
) -> Outcome[ShiftChange]:
    """Make the given shifts one linked set (re-created under new ids; see the module)."""

    async def call() -> ShiftChange:
        ids = _ids(event_ids, "eventIds")
        if len(set(ids)) < 2:
            raise Refused(UserError("link at least two shifts", "INVALID_INPUT", ("eventIds",)))
        client = ctx.backends.require("oncall")
        originals = [await _event(ctx, i, "eventIds") for i in sorted(set(ids))]
        copies = [
            oncall.NewEvent(
                start=e.start, end=e.end, user=e.user, team=e.team, role=e.role, note=e.note
            )
            for e in originals
        ]
        linked = await client.link_events(copies)  # refused: a user error, nothing changed
        run = Run()
        await run.apply(Operation("oncall", _keep(ctx, linked)))  # made: kept for undoing
        remade: dict[int, int] = {}  # original id -> the id it was made again under
        for e in originals:
            if (error := await run.apply(Operation("oncall", _drop(ctx, e, remade)))) is not None:
                await _give_up(ctx, run, error, remade)
        removed = sorted(set(ids))
        return ShiftChange(await _read_back(ctx, linked.event_ids), removed, linked.link_id)

    return await _write(ctx, "linkShifts", {"eventIds": list(event_ids)}, key, call)


async def _give_up(ctx: Context, run: Run, error: StepError, remade: dict[int, int]) -> None:
    """Undo a link that failed half-way, and raise the error saying what that left."""
    undone = await run.undo()
    ctx.forget_reads()
    left = undone.left("oncall")
    back = "; ".join(f"shift {old} is back as shift {new}" for old, new in remade.items())
    said = "this is left: " + "; ".join(left) if left else "nothing is left of it"
    raise ChangeFailed(
        "oncall",
        f"linkShifts: deleting an original shift failed ({error.message}), so the change was "
        f"undone and {said}" + (f" ({back})" if back else ""),
        code=error.code,
        extra={
            "mutation": "linkShifts",
            "step": "COMPENSATION_FAILED" if left else "COMPENSATED",
            "left": left,
        },
    )


def _keep(ctx: Context, linked: oncall.LinkedEvents) -> Step:
    """The linked set, already made: undoing it deletes its shifts."""
    client = ctx.backends.require("oncall")

    async def run() -> Applied:
        async def undo() -> None:
            for i in linked.event_ids:
                await client.delete_event(i)

        ids = ", ".join(map(str, linked.event_ids))
        return Applied(f"oncall: linked shifts {ids} created", undo)

    return run


def _drop(ctx: Context, e: oncall.Event, remade: dict[int, int]) -> Step:
    """Delete an original shift; undoing it makes it again, under a new id noted in
    `remade` (its schedule kept)."""
    client = ctx.backends.require("oncall")

    async def run() -> Applied:
        await client.delete_event(e.id)

        async def undo() -> None:
            remade[e.id] = await client.create_event(
                start=e.start,
                end=e.end,
                user=e.user,
                team=e.team,
                role=e.role,
                note=e.note,
                schedule_id=e.schedule_id,
            )

        return Applied(f"oncall: shift {e.id} ({e.user}, {e.start:%Y-%m-%d %H:%M}) deleted", undo)

    return run
