"""TempoClient's accounts, categories and customers against the emulator and the docs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.errors import UpstreamNotFound, UpstreamRejected
from resolvers.backends.tempo import (
    Account,
    AccountContact,
    AccountInput,
    Category,
    CategoryInput,
    CategoryType,
    Customer,
    CustomerInput,
    TempoClient,
)
from tests.recording import CallLog
from tests.resolvers.backends.tempo_clients import (
    DOCS,
    JOHN,
    JOHN_REF,
    answering,
    calls,
    collection,
    open_client,
    ref,
)


@pytest.fixture
async def client(cast: Cast, call_log: CallLog) -> AsyncIterator[TempoClient]:
    async with open_client(cast, call_log) as client:
        yield client


DEVELOPMENT = Category(id=1, key="development", name="Development", type_name="BILLABLE")
NORTHWIND = Customer(id=1, key="NORTHWIND_TRADERS", name="Northwind Traders")


async def test_accounts(client: TempoClient, cast: Cast, call_log: CallLog) -> None:
    accounts = await client.list_accounts()
    bob = ref(cast, "bob")
    assert accounts[0] == Account(
        id=1, key="PLAT_DEV", name="Platform: Development", status="OPEN", global_=False,
        monthly_budget=400, lead=ref(cast, "alice"),
        contact=AccountContact(account_id=bob.account_id, display_name=bob.display_name,
                               type="USER"),
        category=DEVELOPMENT, customer=NORTHWIND,
    )  # fmt: skip
    closed = await client.list_accounts(status="CLOSED")
    assert [a.key for a in closed] == ["PAYM_OPS"]
    ops = await client.get_account("PAYM_OPS")
    assert ops is not None and ops.contact == AccountContact(
        display_name="Service desk, Globex", type="EXTERNAL"
    )
    internal = await client.get_account("INTERNAL")
    assert internal is not None and (internal.global_, internal.customer) == (True, None)
    assert await client.get_account("NOPE") is None
    assert calls(call_log)[:2] == ["tempo GET /accounts", "tempo GET /accounts?status=CLOSED"]


async def test_account_writes(client: TempoClient, cast: Cast) -> None:
    carmen = ref(cast, "carmen")
    body = AccountInput(key="PLAT_CAPEX", name="Capex", status="OPEN",
                        lead_account_id=carmen.account_id, category_key="capex",
                        customer_key="GLOBEX", monthly_budget=250, global_=False)  # fmt: skip
    created = await client.create_account(body)
    assert (created.id, created.key, created.monthly_budget, created.lead) == (
        10, "PLAT_CAPEX", 250, carmen,
    )  # fmt: skip
    assert created.category is not None and created.category.type_name == "CAPITALIZED"
    renamed = await client.update_account(
        "PLAT_CAPEX", body.model_copy(update={"key": "PLAT_CX", "customer_key": None})
    )
    assert (renamed.id, renamed.key, renamed.customer) == (10, "PLAT_CX", None)
    with pytest.raises(UpstreamRejected, match="Account with this key already exists"):
        await client.create_account(body.model_copy(update={"key": "PLAT_DEV"}))
    await client.delete_account("PLAT_CX")
    assert await client.get_account("PLAT_CX") is None
    with pytest.raises(UpstreamNotFound, match="Account not found"):
        await client.delete_account("PLAT_CX")


async def test_categories_and_types(client: TempoClient) -> None:
    categories = await client.list_account_categories()
    assert categories[0] == DEVELOPMENT
    assert [c.type_name for c in categories] == [
        "BILLABLE", "CAPITALIZED", "INTERNAL", "OPERATIONAL",
    ]  # fmt: skip
    assert await client.list_account_categories(category_id=1) == [DEVELOPMENT]
    assert await client.get_account_category("development") == DEVELOPMENT
    assert await client.get_account_category("nope") is None
    types = await client.list_account_category_types()
    assert types == [CategoryType(name=n) for n in ("BILLABLE", "CAPITALIZED", "INTERNAL",
                                                     "OPERATIONAL")]  # fmt: skip
    created = await client.create_account_category(CategoryInput(key="rnd", name="R&D"))
    assert created == Category(id=5, key="rnd", name="R&D", type_name="BILLABLE")
    updated = await client.update_account_category(
        "rnd", CategoryInput(key="rnd", name="Research", type_name="INTERNAL")
    )
    assert (updated.name, updated.type_name) == ("Research", "INTERNAL")
    await client.delete_account_category("rnd")
    assert await client.get_account_category("rnd") is None


async def test_customers(client: TempoClient) -> None:
    customers = await client.list_customers()
    assert customers[0] == NORTHWIND and len(customers) == 4
    assert await client.list_customers(customer_id=1) == [NORTHWIND]
    assert await client.get_customer("NORTHWIND_TRADERS") == NORTHWIND
    accounts = await client.list_customer_accounts("NORTHWIND_TRADERS")
    assert [a.key for a in accounts] == ["PLAT_DEV", "PLAT_OPS"]
    assert await client.list_customer_accounts("NOPE") == []
    created = await client.create_customer(CustomerInput(key="ACME", name="Acme"))
    assert created == Customer(id=5, key="ACME", name="Acme")
    assert await client.update_customer("ACME", CustomerInput(key="ACME", name="Acme Inc")) == (
        Customer(id=5, key="ACME", name="Acme Inc")
    )
    await client.delete_customer("ACME")
    assert await client.get_customer("ACME") is None


async def test_reads_the_documented_account_list() -> None:
    development = {
        "self": f"{DOCS}/accounts/CLOUDBAY_DEVELOPMENT", "key": "CLOUDBAY_DEVELOPMENT", "id": 7,
        "name": "Cloudbay: Development", "status": "OPEN", "global": False,
        "monthlyBudget": 600, "lead": JOHN, "contact": {**JOHN, "type": "USER"},
        "category": {"self": f"{DOCS}/account-categories/300", "key": "300", "id": 14,
                     "name": "Development", "type": {"name": "BILLABLE"}},
        "customer": {"self": f"{DOCS}/customers/100201", "key": "100201", "id": 234,
                     "name": "CloudBay"},
        "links": {"self": f"{DOCS}/accounts/CLOUDBAY_DEVELOPMENT/links"},
    }  # fmt: skip
    capex = {"self": f"{DOCS}/accounts/CLOUDBAY_CAPEX", "key": "CLOUDBAY_CAPEX", "id": 8,
             "name": "Cloudbay: Capex", "status": "CLOSED", "global": False, "lead": JOHN,
             "links": {"self": f"{DOCS}/accounts/CLOUDBAY_CAPEX/links"}}  # fmt: skip
    found = await answering(collection(development, capex)).list_accounts()
    assert found == [
        Account(
            id=7, key="CLOUDBAY_DEVELOPMENT", name="Cloudbay: Development", status="OPEN",
            monthly_budget=600, lead=JOHN_REF,
            contact=AccountContact(account_id=JOHN["accountId"], display_name="John Brown",
                                   type="USER"),
            category=Category(id=14, key="300", name="Development", type_name="BILLABLE"),
            customer=Customer(id=234, key="100201", name="CloudBay"),
        ),
        Account(id=8, key="CLOUDBAY_CAPEX", name="Cloudbay: Capex", status="CLOSED",
                lead=JOHN_REF),
    ]  # fmt: skip


def test_an_account_body_spells_global_as_tempo_does() -> None:
    body = AccountInput(key="K", name="N", status="OPEN", lead_account_id="a", global_=True)
    assert body.body() == {"key": "K", "name": "N", "status": "OPEN", "leadAccountId": "a",
                           "global": True}  # fmt: skip
