"""Relay paging (`first` / `after`) mapped onto each API's own paging, fetching only the pages
a query asks for.

Two shapes of API paging exist among the five:

* **offset/limit** (Tempo worklog lists): any offset, any limit up to the API's maximum. A
  cursor is the item's offset; ``first: 20, after: <offset 39>`` is one call with
  ``offset=40&limit=20``.
* **fixed pages with opaque next tokens** (Team O'clock's 100-item cursor pages): a cursor is
  the page's token plus the item's index in it; a page is fetched only when the items asked
  for reach into it.

A client method serves either as a :data:`Fetch`: ``(token or None, limit) -> Slice``. For
offset APIs the token is the offset as text; for token APIs it is the API's own cursor and
``limit`` is a hint the API may ignore. Cursors are opaque to callers (base64) and checked:
a cursor from another list or a forged one is a ``BAD_USER_INPUT``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from resolvers.backends.base import Slice
from resolvers.backends.errors import BadRequest

T = TypeVar("T")

DEFAULT_FIRST = 20
MAX_FIRST = 100

Fetch = Callable[[str | None, int], Awaitable[Slice[T]]]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """The items a query asked for, each with its cursor, and where the list goes on."""

    items: list[tuple[str, T]]
    has_next: bool
    has_previous: bool
    total: int | None = None


def check_first(first: int | None) -> int:
    if first is None:
        return DEFAULT_FIRST
    if not 0 <= first <= MAX_FIRST:
        raise BadRequest(
            f"`first` must be between 0 and {MAX_FIRST}, was {first}; page on with `after`"
        )
    return first


def _encode(kind: str, *parts: str) -> str:
    raw = ":".join((kind, *parts))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str, kind: str, parts: int) -> list[str]:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError):
        raw = ""
    # The last parts are ours (numbers); the first may be an API token containing ":".
    head, _, rest = raw.partition(":")
    found = [head, *rest.rsplit(":", parts - 1)]
    if len(found) != parts + 1 or found[0] != kind or _encode(kind, *found[1:]) != cursor:
        raise BadRequest(
            f"{cursor!r} is not a cursor of this list; pass an `endCursor` or an edge's "
            "`cursor` from the same field"
        )
    return found[1:]


async def offset_page(fetch: Fetch[T], *, first: int | None, after: str | None) -> Page[T]:
    """A page of an offset/limit list: one call."""
    count = check_first(first)
    start = 0
    if after is not None:
        (offset,) = _decode(after, "o", 1)
        if not offset.isdigit():
            raise BadRequest(f"{after!r} is not a cursor of this list")
        start = int(offset) + 1
    found = await fetch(str(start), max(count, 1))  # `first: 0` still learns if more exist
    if count == 0:
        more = bool(found.items) or found.next is not None
        return Page([], has_next=more, has_previous=start > 0, total=found.total)
    items = [(_encode("o", str(start + i)), item) for i, item in enumerate(found.items[:count])]
    more = found.next is not None or (found.total is not None and start + count < found.total)
    return Page(items, has_next=more, has_previous=start > 0, total=found.total)


async def token_page(fetch: Fetch[T], *, first: int | None, after: str | None) -> Page[T]:
    """A page of a list served in fixed pages: only the API pages the items reach into."""
    count = check_first(first)
    token: str | None = None
    skip = 0
    if after is not None:
        page_token, position = _decode(after, "t", 2)
        if not position.isdigit():
            raise BadRequest(f"{after!r} is not a cursor of this list")
        token, skip = page_token or None, int(position) + 1
    items: list[tuple[str, T]] = []
    total: int | None = None
    has_next = False
    while True:
        found = await fetch(token, count)
        total = found.total if total is None else total
        for index, item in enumerate(found.items):
            if index < skip:
                continue
            if len(items) == count:
                has_next = True
                break
            items.append((_encode("t", token or "", str(index)), item))
        if has_next or found.next is None:
            break
        if len(items) == count:
            has_next = True  # this page is used up and another one exists
            break
        token, skip = found.next, 0
    return Page(items, has_next=has_next, has_previous=after is not None, total=total)
