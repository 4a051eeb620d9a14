"""Tempo's own reads: its loaders (one per endpoint and key, built per request on first use)
and the functions `schema/services/tempo` calls. Joins with other services stay in the noun
modules (`resolvers/teams.py`, …)."""

from __future__ import annotations

from datetime import date

from resolvers.backends import tempo
from resolvers.backends.base import Slice
from resolvers.common import check_range
from resolvers.context import Context
from resolvers.loaders import Once
from resolvers.paging import Page, offset_page


async def list_roles(ctx: Context) -> list[tempo.Role]:
    client = ctx.backends.require("tempo")
    loader = ctx.loader(("tempo", "roles"), lambda: Once(client.list_roles))
    return await loader.get()


async def page_worklogs(
    ctx: Context, from_: date, to: date, *, first: int | None, after: str | None
) -> Page[tempo.Worklog]:
    """One page of every worklog in the range, straight from Tempo's offset paging."""
    check_range(from_, to)
    client = ctx.backends.require("tempo")

    async def fetch(token: str | None, limit: int) -> Slice[tempo.Worklog]:
        return await client.list_worklogs_page(from_=from_, to=to, after=token, limit=limit)

    return await offset_page(fetch, first=first, after=after)
