"""Tempo's accounts, account categories and their types, and customers (see
`resolvers/services/tempo.py` for the loader helpers)."""

from __future__ import annotations

from resolvers.backends import tempo
from resolvers.backends.tempo import TempoClient
from resolvers.context import Context
from resolvers.services.tempo import once, per_key

# A filter that may be absent is keyed as a 1-tuple: a loader takes no None key.


async def _accounts(c: TempoClient, k: tuple[str | None]) -> list[tempo.Account]:
    return await c.list_accounts(status=k[0])


async def _categories(c: TempoClient, k: tuple[int | None]) -> list[tempo.Category]:
    return await c.list_account_categories(category_id=k[0])


async def _customers(c: TempoClient, k: tuple[int | None]) -> list[tempo.Customer]:
    return await c.list_customers(customer_id=k[0])


async def list_accounts(ctx: Context, status: str | None) -> list[tempo.Account]:
    return await per_key(ctx, "accounts", _accounts).load((status,))


async def get_account(ctx: Context, key: str) -> tempo.Account | None:
    return await per_key(ctx, "account", TempoClient.get_account).load(key)


async def list_categories(ctx: Context, category_id: int | None) -> list[tempo.Category]:
    return await per_key(ctx, "categories", _categories).load((category_id,))


async def get_category(ctx: Context, key: str) -> tempo.Category | None:
    return await per_key(ctx, "category", TempoClient.get_account_category).load(key)


async def list_category_types(ctx: Context) -> list[tempo.CategoryType]:
    return await once(ctx, "category-types", TempoClient.list_account_category_types).get()


async def list_customers(ctx: Context, customer_id: int | None) -> list[tempo.Customer]:
    return await per_key(ctx, "customers", _customers).load((customer_id,))


async def get_customer(ctx: Context, key: str) -> tempo.Customer | None:
    return await per_key(ctx, "customer", TempoClient.get_customer).load(key)


async def list_customer_accounts(ctx: Context, key: str) -> list[tempo.Account]:
    """A customer's accounts: one call per distinct customer, however many ask."""
    return await per_key(ctx, "customer-accounts", TempoClient.list_customer_accounts).load(key)
