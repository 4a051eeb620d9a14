"""Relay paging over both kinds of API paging, fetching only the pages asked for."""

from __future__ import annotations

import pytest

from resolvers.backends.base import Slice
from resolvers.backends.errors import BadRequest
from resolvers.paging import offset_page, token_page

ITEMS = list(range(250))


class OffsetApi:
    """Like Tempo: any offset, any limit; a count over all pages."""

    def __init__(self) -> None:
        self.calls: list[tuple[str | None, int]] = []

    async def __call__(self, token: str | None, limit: int) -> Slice[int]:
        self.calls.append((token, limit))
        start = int(token or 0)
        page = ITEMS[start : start + limit]
        more = str(start + limit) if start + limit < len(ITEMS) else None
        return Slice(page, next=more, total=len(ITEMS))


class TokenApi:
    """Like Team O'clock: fixed pages of 100, opaque next tokens, no limit."""

    def __init__(self) -> None:
        self.calls: list[str | None] = []

    async def __call__(self, token: str | None, limit: int) -> Slice[int]:
        self.calls.append(token)
        start = int(token.split(":")[1]) if token else 0
        page = ITEMS[start : start + 100]
        more = f"cur:{start + 100}" if start + 100 < len(ITEMS) else None
        return Slice(page, next=more)


async def test_offset_paging_is_one_call_per_page_asked_for() -> None:
    api = OffsetApi()
    first = await offset_page(api, first=20, after=None)
    second = await offset_page(api, first=20, after=first.items[-1][0])
    assert [i for _, i in first.items] == ITEMS[:20] and first.has_next and not first.has_previous
    assert [i for _, i in second.items] == ITEMS[20:40] and second.has_previous
    assert api.calls == [("0", 20), ("20", 20)] and first.total == 250
    last = await offset_page(api, first=100, after=second.items[-1][0])
    tail = await offset_page(api, first=100, after=last.items[-1][0])
    assert [i for _, i in tail.items] == ITEMS[140:240] and tail.has_next
    end = await offset_page(api, first=100, after=tail.items[-1][0])
    assert [i for _, i in end.items] == ITEMS[240:] and not end.has_next


async def test_token_paging_fetches_only_the_pages_the_items_reach() -> None:
    api = TokenApi()
    first = await token_page(api, first=30, after=None)
    assert [i for _, i in first.items] == ITEMS[:30] and first.has_next
    assert api.calls == [None]  # the first 30 are on the first page
    across = await token_page(
        api, first=30, after=(await token_page(api, first=90, after=None)).items[-1][0]
    )
    assert [i for _, i in across.items] == ITEMS[90:120]
    assert api.calls[-2:] == [None, "cur:100"]  # the rest of page one, then page two
    everything: list[int] = []
    after = None
    while True:
        page = await token_page(api, first=100, after=after)
        everything += [i for _, i in page.items]
        if not page.has_next:
            break
        after = page.items[-1][0]
    assert everything == ITEMS


@pytest.mark.parametrize("cursor", ["garbage", "bzp4MQ==", "dDpjdXI6MTAwOjk5"])
async def test_a_foreign_cursor_is_the_callers_error(cursor: str) -> None:
    with pytest.raises(BadRequest, match="not a cursor of this list"):
        await offset_page(OffsetApi(), first=5, after=cursor)


async def test_first_is_bounded() -> None:
    with pytest.raises(BadRequest, match="between 0 and 100"):
        await offset_page(OffsetApi(), first=1000, after=None)
    nothing = await offset_page(OffsetApi(), first=0, after=None)
    assert nothing.items == [] and nothing.has_next
