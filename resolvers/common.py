"""Small helpers the joins share: date ranges, and collecting one service's failure."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from resolvers.backends.errors import BackendError, BadRequest, InternalError, Service
from resolvers.context import Context

T = TypeVar("T")

log = logging.getLogger("teamgraph.errors")

MAX_RANGE_DAYS = 366


def numeric_id(text: str) -> int | None:
    """A numeric id in its one canonical spelling ("12"; not "012", " 12" or full-width
    digits), else None: two spellings must never name the same object."""
    if text.isascii() and text.isdigit() and str(int(text)) == text:
        return int(text)
    return None


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


async def or_partial(
    ctx: Context, aw: Awaitable[T], empty: T, *, strict: bool, service: Service
) -> T:
    """Await one service's part of a merged answer.

    `strict` (the caller asked for this service alone): its failure is the field's error.
    Otherwise the failure is reported once in `errors[]` and the other services' part stands
    — even when the failure is our own bug, which is logged in full and shown as
    INTERNAL_ERROR for that service alone.
    """
    try:
        return await aw
    except BackendError as exc:
        if strict:
            raise
        ctx.note_problem(exc)
        return empty
    except Exception as exc:
        error = as_backend_error(service, exc)
        if strict:
            raise error from exc
        ctx.note_problem(error)
        return empty


def as_backend_error(service: Service, exc: BaseException) -> BackendError:
    """Our error family as is; anything else is logged in full and reported without detail."""
    if isinstance(exc, BackendError):
        return exc
    log.error("reading %s failed unexpectedly", service, exc_info=exc)
    return InternalError(service)
