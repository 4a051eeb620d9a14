"""Small helpers the joins share: date ranges, and collecting one service's failure."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from resolvers.backends.errors import BackendError, BadRequest
from resolvers.context import Context

T = TypeVar("T")

MAX_RANGE_DAYS = 366


def check_range(from_: date, to: date) -> None:
    if from_ > to:
        raise BadRequest(f"`from` ({from_}) is after `to` ({to}); swap them")
    if (to - from_).days > MAX_RANGE_DAYS:
        raise BadRequest(
            f"the range {from_}..{to} spans more than {MAX_RANGE_DAYS} days; ask for a "
            "shorter range"
        )


def day_bounds(from_: date, to: date) -> tuple[datetime, datetime]:
    """[from 00:00 UTC, the day after `to` 00:00 UTC): `to` is inclusive, as in Tempo."""
    check_range(from_, to)
    start = datetime.combine(from_, time.min, tzinfo=UTC)
    return start, datetime.combine(to + timedelta(days=1), time.min, tzinfo=UTC)


async def or_partial(ctx: Context, aw: Awaitable[T], empty: T, *, strict: bool) -> T:
    """Await one service's part of a merged answer.

    `strict` (the caller asked for this service alone): its failure is the field's error.
    Otherwise the failure is reported once in `errors[]` and the other services' part stands.
    """
    try:
        return await aw
    except BackendError as exc:
        if strict:
            raise
        ctx.note_problem(exc)
        return empty
