"""The Tempo emulator's accounts, account categories, category types and customers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.emulators.cast import Cast
from tests.gateway.emulators.tempo_wire import (
    BASE,
    account,
    all_worklogs,
    error,
    get,
    open_tempo,
    send,
    user_ref,
)


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_tempo(cast) as client:
        yield client


DEVELOPMENT = {"self": f"{BASE}/account-categories/development", "key": "development", "id": 1,
               "name": "Development", "type": {"name": "BILLABLE"}}  # fmt: skip
NORTHWIND = {"self": f"{BASE}/customers/NORTHWIND_TRADERS", "key": "NORTHWIND_TRADERS", "id": 1,
             "name": "Northwind Traders"}  # fmt: skip


async def test_accounts_per_team_with_lead_contact_category_and_customer(
    http: httpx.AsyncClient, cast: Cast
) -> None:
    body = await get(http, "/accounts")
    assert body["metadata"] == {"count": 9}
    assert [a["key"] for a in body["results"]] == [
        "PLAT_DEV", "PLAT_OPS", "PAYM_DEV", "PAYM_OPS", "MOBI_DEV", "MOBI_OPS", "DATA_DEV",
        "DATA_OPS", "INTERNAL",
    ]  # fmt: skip
    assert body["results"][0] == {
        "self": f"{BASE}/accounts/PLAT_DEV",
        "key": "PLAT_DEV",
        "id": 1,
        "name": "Platform: Development",
        "status": "OPEN",
        "global": False,
        "monthlyBudget": 400,
        "lead": user_ref(cast, "alice"),
        "contact": {**user_ref(cast, "bob"), "type": "USER"},
        "category": DEVELOPMENT,
        "customer": NORTHWIND,
        "links": {"self": f"{BASE}/accounts/PLAT_DEV/links"},
    }
    ops = await get(http, "/accounts/PLAT_OPS")
    assert ops["contact"] == {"displayName": "Service desk, Northwind Traders", "type": "EXTERNAL"}
    assert "monthlyBudget" not in ops
    internal = await get(http, "/accounts/INTERNAL")
    assert (internal["global"], "customer" in internal) == (True, False)
    assert await get(http, "/accounts/NOPE", 404) == error("Account not found")


async def test_accounts_filter_by_status(http: httpx.AsyncClient) -> None:
    closed = await get(http, "/accounts", status="CLOSED")
    assert closed["self"] == f"{BASE}/accounts?status=CLOSED"
    assert [a["key"] for a in closed["results"]] == ["PAYM_OPS"]
    archived = await get(http, "/accounts", status="ARCHIVED")
    assert [a["key"] for a in archived["results"]] == ["MOBI_OPS"]
    assert await get(http, "/accounts", 400, status="GONE") == error(
        "status must be one of OPEN, CLOSED, ARCHIVED"
    )


async def test_create_update_and_delete_an_account(http: httpx.AsyncClient, cast: Cast) -> None:
    body = {"key": "PLAT_CAPEX", "name": "Platform: Capex", "status": "OPEN",
            "leadAccountId": account(cast, "carmen"), "externalContactName": "Jo Doe",
            "categoryKey": "capex", "customerKey": "GLOBEX", "monthlyBudget": 250.4}  # fmt: skip
    created = await send(http, "POST", "/accounts", 200, body)
    assert (created["id"], created["monthlyBudget"], created["customer"]["name"]) == (
        10, 250, "Globex",
    )  # fmt: skip
    assert created["contact"] == {"displayName": "Jo Doe", "type": "EXTERNAL"}
    assert await get(http, "/accounts/PLAT_CAPEX") == created
    assert await send(http, "POST", "/accounts", 400, body) == error(
        "Account with this key already exists"
    )
    # PUT is a full replacement, and may rename the key.
    replaced = await send(http, "PUT", "/accounts/PLAT_CAPEX", 200, {
        "key": "PLAT_CAPEX2", "name": "Capex", "status": "CLOSED",
        "leadAccountId": account(cast, "carmen"),
    })  # fmt: skip
    assert replaced["self"] == f"{BASE}/accounts/PLAT_CAPEX2"
    assert [k for k in ("contact", "category", "customer", "monthlyBudget") if k in replaced] == []
    assert await get(http, "/accounts/PLAT_CAPEX", 404) == error("Account not found")
    assert await send(http, "DELETE", "/accounts/PLAT_CAPEX2", 204) is None
    assert await send(http, "DELETE", "/accounts/PLAT_CAPEX2", 404) == error("Account not found")


async def test_account_bodies_are_validated(http: httpx.AsyncClient, cast: Cast) -> None:
    body = {"status": "LOST", "contactAccountId": account(cast, "bob"),
            "externalContactName": "X", "categoryKey": "nope", "customerKey": "nope",
            "monthlyBudget": -1, "global": "yes"}  # fmt: skip
    assert await send(http, "POST", "/accounts", 400, body) == error(
        "key is required",
        "name is required",
        "status must be one of OPEN, CLOSED, ARCHIVED",
        "leadAccountId is required",
        "Give contactAccountId or externalContactName, not both",
        "Invalid category key",
        "Invalid customer key",
        "monthlyBudget must not be negative",
        "global must be true or false",
    )
    taken = {"key": "PAYM_DEV", "name": "X", "status": "OPEN",
             "leadAccountId": account(cast, "grace")}  # fmt: skip
    assert await send(http, "PUT", "/accounts/PLAT_DEV", 400, taken) == error(
        "Account with this key already exists"
    )


async def test_worklogs_book_to_the_account_of_their_project(http: httpx.AsyncClient) -> None:
    platform = await all_worklogs(http, "/worklogs/project/PLAT")
    booked = await all_worklogs(http, "/worklogs/account/PLAT_DEV")
    assert booked == platform and booked
    assert await all_worklogs(http, "/worklogs/account/PLAT_OPS") == []
    assert await all_worklogs(http, "/worklogs/account/NOPE") == []


# -- categories, types, customers -----------------------------------------------------------------


async def test_categories_and_types(http: httpx.AsyncClient) -> None:
    body = await get(http, "/account-categories")
    assert [(c["key"], c["type"]["name"]) for c in body["results"]] == [
        ("development", "BILLABLE"), ("capex", "CAPITALIZED"), ("internal", "INTERNAL"),
        ("operations", "OPERATIONAL"),
    ]  # fmt: skip
    assert (await get(http, "/account-categories", id=1))["results"] == [DEVELOPMENT]
    assert await get(http, "/account-categories", 400, id="x") == error(
        "id must be an integer, was 'x'"
    )
    assert await get(http, "/account-categories/development") == DEVELOPMENT
    assert await get(http, "/account-categories/nope", 404) == error("Invalid category key")
    types = await get(http, "/account-category-types")
    assert types == {
        "self": f"{BASE}/account-category-types",
        "metadata": {"count": 4},
        "results": [{"name": "BILLABLE"}, {"name": "CAPITALIZED"}, {"name": "INTERNAL"},
                    {"name": "OPERATIONAL"}],
    }  # fmt: skip


async def test_category_writes(http: httpx.AsyncClient) -> None:
    created = await send(http, "POST", "/account-categories", 200, {"key": "rnd", "name": "R&D"})
    assert created["type"] == {"name": "BILLABLE"}  # the default type
    assert await send(http, "POST", "/account-categories", 400, {"key": "rnd", "name": "X"}) == (
        error("Category with this key already exists")
    )
    body = {"key": "rnd", "name": "Research", "typeName": "CAPITALIZED"}
    updated = await send(http, "PUT", "/account-categories/rnd", 200, body)
    assert (updated["id"], updated["name"]) == (5, "Research")
    assert updated["type"] == {"name": "CAPITALIZED"}
    bad = {"key": "x", "name": "X", "typeName": "FREE"}
    assert await send(http, "POST", "/account-categories", 400, bad) == error(
        "typeName must be one of BILLABLE, CAPITALIZED, INTERNAL, OPERATIONAL"
    )
    # Deleting a category leaves its accounts uncategorised.
    assert await send(http, "DELETE", "/account-categories/development", 204) is None
    assert "category" not in await get(http, "/accounts/PLAT_DEV")


async def test_customers_and_their_accounts(http: httpx.AsyncClient) -> None:
    body = await get(http, "/customers")
    assert [c["name"] for c in body["results"]] == [
        "Northwind Traders", "Globex", "Initech", "Umbrella Health",
    ]  # fmt: skip
    assert (await get(http, "/customers", id=1))["results"] == [NORTHWIND]
    assert await get(http, "/customers/NORTHWIND_TRADERS") == NORTHWIND
    accounts = await get(http, "/customers/NORTHWIND_TRADERS/accounts")
    assert accounts["self"] == f"{BASE}/customers/NORTHWIND_TRADERS/accounts"
    assert [a["key"] for a in accounts["results"]] == ["PLAT_DEV", "PLAT_OPS"]
    assert await get(http, "/customers/NOPE/accounts", 404) == error("Invalid customer key")


async def test_customer_writes(http: httpx.AsyncClient) -> None:
    created = await send(http, "POST", "/customers", 200, {"key": "ACME", "name": "Acme"})
    assert created == {"self": f"{BASE}/customers/ACME", "key": "ACME", "id": 5, "name": "Acme"}
    assert await send(http, "POST", "/customers", 400, {"key": "ACME"}) == error(
        "Customer with this key already exists", "name is required"
    )
    renamed = await send(http, "PUT", "/customers/GLOBEX", 200, {"key": "GLOBEX", "name": "G"})
    assert (renamed["id"], renamed["name"]) == (2, "G")
    assert (await get(http, "/accounts/PAYM_DEV"))["customer"]["name"] == "G"
    assert await send(http, "DELETE", "/customers/GLOBEX", 204) is None
    assert "customer" not in await get(http, "/accounts/PAYM_DEV")
    assert await get(http, "/customers/GLOBEX", 404) == error("Invalid customer key")
