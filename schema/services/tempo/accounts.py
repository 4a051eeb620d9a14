"""Tempo accounts, their categories and category types, and customers."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import tempo
from resolvers.services import tempo_accounts as accounts_r
from resolvers.services.tempo_worklogs import WorklogList, page_worklogs
from schema.common import CtxInfo
from schema.connections import After, Connection, First, shown_as
from schema.services.tempo.refs import (
    LINK,
    PER_PARENT,
    OptFrom,
    OptTo,
    UpdatedFrom,
    UserLink,
    linked_person,
)
from schema.services.tempo.worklogs import TempoWorklog

# Defined below TempoCustomer, which lists accounts: named lazily.
AccountLink = Annotated["TempoAccount", strawberry.lazy("schema.services.tempo.accounts")]


@strawberry.experimental.pydantic.type(
    model=tempo.Category,
    all_fields=True,
    description="An account category: how an account's time is classified.",
)
class TempoAccountCategory:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.CategoryType,
    all_fields=True,
    description="A type an account category can have.",
)
class TempoAccountCategoryType:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.Customer, all_fields=True, description="A customer that accounts bill time to."
)
class TempoCustomer:
    @strawberry.field(description="The customer's accounts, in Tempo's order.", metadata=PER_PARENT)
    async def accounts(root: tempo.Customer, info: CtxInfo) -> list[AccountLink] | None:
        found = await accounts_r.list_customer_accounts(info.context, root.key)
        return [shown_as(TempoAccount)(a) for a in found]


@strawberry.experimental.pydantic.type(
    model=tempo.AccountContact,
    all_fields=True,
    description="An account's contact: a Jira user (USER) or only a name (EXTERNAL).",
)
class TempoAccountContact:
    @strawberry.field(
        description="The contact, linked across services (null for an EXTERNAL contact).",
        metadata=LINK,
    )
    async def user(root: tempo.AccountContact, info: CtxInfo) -> UserLink | None:
        return await linked_person(info, root.account_id)


@strawberry.experimental.pydantic.type(
    model=tempo.Account,
    all_fields=True,
    description="A Tempo account: what worklogs are booked to, for billing and reporting.",
)
class TempoAccount:
    @strawberry.field(
        description="The worklogs booked to this account, in Tempo's order (by start date, "
        "then id).",
        metadata=PER_PARENT,
    )
    async def worklogs(
        root: tempo.Account,
        info: CtxInfo,
        from_: OptFrom = None,
        to: OptTo = None,
        updated_from: UpdatedFrom = None,
        first: First = None,
        after: After = None,
    ) -> Connection[TempoWorklog] | None:
        which = WorklogList("account", root.key, from_, to, updated_from)
        page = await page_worklogs(info.context, which, first=first, after=after)
        return Connection.of(page, shown_as(TempoWorklog))
