"""Accounts (what time is booked against), their categories and category types, and the
customers accounts belong to. All of them are addressed by ``key``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.emulators._tempo_http import (
    JSON,
    Body,
    TempoError,
    collection,
    found,
    no_content,
    query_int,
    read_body,
    route,
)
from gateway.emulators._tempo_store import (
    AccountRec,
    CategoryRec,
    CustomerRec,
    K,
    Site,
    TempoState,
    body_user,
    by_key,
    user_ref,
)
from gateway.emulators.cast import TempoAccount

STATUSES = ("OPEN", "CLOSED", "ARCHIVED")
CATEGORY_TYPES = ("BILLABLE", "CAPITALIZED", "INTERNAL", "OPERATIONAL")
_CATEGORIES = (
    ("development", "Development", "BILLABLE"),
    ("capex", "Capital expenditure", "CAPITALIZED"),
    ("internal", "Internal", "INTERNAL"),
    ("operations", "Operations", "OPERATIONAL"),
)
_CUSTOMERS = ("Northwind Traders", "Globex", "Initech", "Umbrella Health")
R = TypeVar("R")


def seed_accounts(state: TempoState) -> None:
    """Per team: a development account (open, booked by the team's project, its lead as
    lead, a member as contact) and an operations account (an external contact, no project),
    both for the team's customer; and one global account for internal time."""
    for n, (key, name, kind) in enumerate(_CATEGORIES, 1):
        state.categories[n] = CategoryRec(n, key, name, kind)
    accounts: list[AccountRec] = []
    for index, team in enumerate(state.teams.values()):
        project = next(p for p in state.projects if p.team_id == team.id)
        suffix = team.name.split()[-1] if team.name.split()[-1].isdigit() else ""
        customer_name = " ".join(filter(None, (_CUSTOMERS[index % len(_CUSTOMERS)], suffix)))
        customer = CustomerRec(index + 1, customer_name.upper().replace(" ", "_"), customer_name)
        state.customers[customer.id] = customer
        members = [ms[0].user for ms in state.memberships_in(team.id).values()]
        lead = team.lead or members[0]
        contact = next((u for u in members if u != lead), None)
        dev = _account(f"{project.key}_DEV", f"{team.name}: Development", lead,
                       budget=400 + 100 * index, contact=contact, category=1,
                       customer=customer.id, projects=(project.id,))  # fmt: skip
        ops = _account(f"{project.key}_OPS", f"{team.name}: Operations", lead,
                       status=STATUSES[index % 3], external=f"Service desk, {customer_name}",
                       category=4, customer=customer.id)  # fmt: skip
        accounts += [dev, ops]
    if state.me:
        accounts.append(_account("INTERNAL", "Internal time", state.me, category=3, is_global=True))
    state.accounts = {n: replace(a, id=n) for n, a in enumerate(accounts, 1)}


def _account(
    key: str,
    name: str,
    lead: TempoAccount,
    *,
    category: int,
    status: str = "OPEN",
    budget: int | None = None,
    contact: TempoAccount | None = None,
    external: str | None = None,
    customer: int | None = None,
    projects: tuple[int, ...] = (),
    is_global: bool = False,
) -> AccountRec:
    """A demo account, numbered later."""
    return AccountRec(0, key, name, status, is_global, budget, lead, contact, external, category,
                      customer, projects)  # fmt: skip


def render_category(site: Site, category: CategoryRec) -> JSON:
    return {
        "self": f"{site.base}account-categories/{category.key}",
        "key": category.key,
        "id": category.id,
        "name": category.name,
        "type": {"name": category.type_name},
    }


def render_customer(site: Site, customer: CustomerRec) -> JSON:
    return {
        "self": f"{site.base}customers/{customer.key}",
        "key": customer.key,
        "id": customer.id,
        "name": customer.name,
    }


def render_account(site: Site, account: AccountRec) -> JSON:
    own = f"{site.base}accounts/{account.key}"
    doc: JSON = {
        "self": own,
        "key": account.key,
        "id": account.id,
        "name": account.name,
        "status": account.status,
        "global": account.is_global,
    }
    if account.monthly_budget is not None:
        doc["monthlyBudget"] = account.monthly_budget
    doc["lead"] = user_ref(account.lead)
    if account.contact:
        doc["contact"] = {**user_ref(account.contact), "type": "USER"}
    elif account.external_contact:
        doc["contact"] = {"displayName": account.external_contact, "type": "EXTERNAL"}
    category = site.state.categories.get(account.category_id or 0)
    if category:
        doc["category"] = render_category(site, category)
    customer = site.state.customers.get(account.customer_id or 0)
    if customer:
        doc["customer"] = render_customer(site, customer)
    doc["links"] = {"self": f"{own}/links"}
    return doc


def _keyed(table: Mapping[int, K], request: Request, message: str) -> K:
    return found(by_key(table, request.path_params["key"]), message)


def _filtered(request: Request, table: Mapping[int, R]) -> list[R]:
    """Every record, or with ``?id=`` only that one (the docs mark it required on a list of
    all records: it is an optional filter here)."""
    wanted = query_int(request, "id")
    return [r for n, r in table.items() if wanted in (None, n)]


def _unique_key(body: Body, table: Mapping[int, K], own_id: int, noun: str) -> str | None:
    key = body.text("key", required=True)
    taken = by_key(table, key) if key else None
    if taken is not None and taken.id != own_id:
        body.problem(f"{noun} with this key already exists")
    return key


class AccountsApi:
    def __init__(self, state: TempoState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            route("/accounts", GET=self.list_accounts, POST=self.create_account),
            route("/accounts/{key}", GET=self.get_account, PUT=self.update_account,
                  DELETE=self.delete_account),
            route("/account-categories", GET=self.list_categories, POST=self.create_category),
            route("/account-categories/{key}", GET=self.get_category,
                  PUT=self.update_category, DELETE=self.delete_category),
            route("/account-category-types", GET=self.list_category_types),
            route("/customers", GET=self.list_customers, POST=self.create_customer),
            route("/customers/{key}", GET=self.get_customer, PUT=self.update_customer,
                  DELETE=self.delete_customer),
            route("/customers/{key}/accounts", GET=self.list_customer_accounts),
        ]  # fmt: skip

    # -- accounts ---------------------------------------------------------------------------------

    def _account(self, request: Request) -> AccountRec:
        return _keyed(self.state.accounts, request, "Account not found")

    async def list_accounts(self, request: Request) -> Response:
        status = request.query_params.get("status")
        if status is not None and status not in STATUSES:
            raise TempoError(400, f"status must be one of {', '.join(STATUSES)}")
        site, accounts = Site.of(self.state, request), self.state.accounts.values()
        kept = [a for a in accounts if status in (None, a.status)]
        return collection(request, [render_account(site, a) for a in kept])

    async def get_account(self, request: Request) -> Response:
        return JSONResponse(render_account(Site.of(self.state, request), self._account(request)))

    async def _save_account(self, request: Request, current: AccountRec | None) -> Response:
        body, state = await read_body(request), self.state
        own_id = current.id if current else 0
        key = _unique_key(body, state.accounts, own_id, "Account")
        name = body.text("name", required=True)
        status = body.choice("status", STATUSES, required=True)
        lead = body_user(state, body, "leadAccountId", required=True)
        contact = body_user(state, body, "contactAccountId")
        external = body.text("externalContactName")
        if contact and external:
            body.problem("Give contactAccountId or externalContactName, not both")
        category_key, customer_key = body.text("categoryKey"), body.text("customerKey")
        category = by_key(state.categories, category_key) if category_key else None
        if category_key and category is None:
            body.problem("Invalid category key")
        customer = by_key(state.customers, customer_key) if customer_key else None
        if customer_key and customer is None:
            body.problem("Invalid customer key")
        budget = body.number("monthlyBudget")
        if budget is not None and budget < 0:
            body.problem("monthlyBudget must not be negative")
        is_global = body.boolean("global")
        body.check()
        assert key and name and status and lead
        account = AccountRec(
            id=own_id or state.new_id("account", state.accounts),
            key=key,
            name=name,
            status=status,
            is_global=bool(is_global),
            monthly_budget=None if budget is None else round(budget),
            lead=lead,
            contact=contact,
            external_contact=external,
            category_id=category.id if category else None,
            customer_id=customer.id if customer else None,
            project_ids=current.project_ids if current else (),
        )
        state.accounts[account.id] = account
        return JSONResponse(render_account(Site.of(state, request), account))

    async def create_account(self, request: Request) -> Response:
        return await self._save_account(request, None)

    async def update_account(self, request: Request) -> Response:
        return await self._save_account(request, self._account(request))

    async def delete_account(self, request: Request) -> Response:
        del self.state.accounts[self._account(request).id]
        return no_content()

    # -- categories and their types ---------------------------------------------------------------

    def _category(self, request: Request) -> CategoryRec:
        return _keyed(self.state.categories, request, "Invalid category key")

    async def list_categories(self, request: Request) -> Response:
        site, kept = Site.of(self.state, request), _filtered(request, self.state.categories)
        return collection(request, [render_category(site, c) for c in kept])

    async def get_category(self, request: Request) -> Response:
        category = self._category(request)
        return JSONResponse(render_category(Site.of(self.state, request), category))

    async def _save_category(self, request: Request, own_id: int) -> Response:
        body = await read_body(request)
        key = _unique_key(body, self.state.categories, own_id, "Category")
        name = body.text("name", required=True)
        kind = body.choice("typeName", CATEGORY_TYPES)
        body.check()
        assert key and name
        own_id = own_id or self.state.new_id("category", self.state.categories)
        # The type is required in responses but optional in requests: BILLABLE by default.
        category = CategoryRec(own_id, key, name, kind or CATEGORY_TYPES[0])
        self.state.categories[own_id] = category
        return JSONResponse(render_category(Site.of(self.state, request), category))

    async def create_category(self, request: Request) -> Response:
        return await self._save_category(request, 0)

    async def update_category(self, request: Request) -> Response:
        return await self._save_category(request, self._category(request).id)

    async def delete_category(self, request: Request) -> Response:
        category = self._category(request)
        del self.state.categories[category.id]
        for a in list(self.state.accounts.values()):
            if a.category_id == category.id:  # its accounts stay, uncategorised
                self.state.accounts[a.id] = replace(a, category_id=None)
        return no_content()

    async def list_category_types(self, request: Request) -> Response:
        return collection(request, [{"name": kind} for kind in CATEGORY_TYPES])

    # -- customers --------------------------------------------------------------------------------

    def _customer(self, request: Request) -> CustomerRec:
        return _keyed(self.state.customers, request, "Invalid customer key")

    async def list_customers(self, request: Request) -> Response:
        site, kept = Site.of(self.state, request), _filtered(request, self.state.customers)
        return collection(request, [render_customer(site, c) for c in kept])

    async def get_customer(self, request: Request) -> Response:
        customer = self._customer(request)
        return JSONResponse(render_customer(Site.of(self.state, request), customer))

    async def _save_customer(self, request: Request, own_id: int) -> Response:
        body = await read_body(request)
        key = _unique_key(body, self.state.customers, own_id, "Customer")
        name = body.text("name", required=True)
        body.check()
        assert key and name
        own_id = own_id or self.state.new_id("customer", self.state.customers)
        customer = self.state.customers[own_id] = CustomerRec(own_id, key, name)
        return JSONResponse(render_customer(Site.of(self.state, request), customer))

    async def create_customer(self, request: Request) -> Response:
        return await self._save_customer(request, 0)

    async def update_customer(self, request: Request) -> Response:
        return await self._save_customer(request, self._customer(request).id)

    async def delete_customer(self, request: Request) -> Response:
        customer = self._customer(request)
        del self.state.customers[customer.id]
        for a in list(self.state.accounts.values()):
            if a.customer_id == customer.id:  # its accounts stay, without a customer
                self.state.accounts[a.id] = replace(a, customer_id=None)
        return no_content()

    async def list_customer_accounts(self, request: Request) -> Response:
        customer, site = self._customer(request), Site.of(self.state, request)
        accounts = [a for a in self.state.accounts.values() if a.customer_id == customer.id]
        return collection(request, [render_account(site, a) for a in accounts])
