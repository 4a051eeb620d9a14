"""The Tempo client's accounts, account categories and their types, and customers: all
addressed by ``key``."""

from __future__ import annotations

from pydantic import Field, model_validator

from resolvers.backends.tempo_base import TempoBase, TempoInput, TempoModel, UserRef, lift, seg


class Category(TempoModel):
    """An account category: how an account's time is classified."""

    id: int
    """Tempo's id of the category."""
    key: str
    """The category's key, its id in paths (e.g. "development")."""
    name: str
    """The category's name, e.g. "Development"."""
    type_name: str
    """The category's type: BILLABLE, CAPITALIZED, INTERNAL or OPERATIONAL."""

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        return lift(data, "type", "name", "typeName")


class CategoryType(TempoModel):
    """A type an account category can have."""

    name: str
    """The type's name: BILLABLE, CAPITALIZED, INTERNAL or OPERATIONAL."""


class Customer(TempoModel):
    """A customer that accounts bill time to."""

    id: int
    """Tempo's id of the customer."""
    key: str
    """The customer's key, its id in paths (e.g. "cloudbay")."""
    name: str
    """The customer's name, e.g. "CloudBay"."""


class AccountContact(TempoModel):
    """A Jira user (``type`` USER, with an ``account_id``) or a name only (EXTERNAL)."""

    account_id: str | None = None
    """The contact's Atlassian account id, when the contact is a Jira user."""
    display_name: str
    """The contact's name."""
    type: str
    """USER when the contact is a registered Jira user, EXTERNAL when not."""


class Account(TempoModel):
    """A Tempo account: what worklogs are booked to, for billing and reporting."""

    id: int
    """Tempo's id of the account."""
    key: str
    """The account's key, its id in paths (e.g. "CLOUDBAY_DEVELOPMENT")."""
    name: str
    """The account's name, e.g. "Cloudbay: Development"."""
    status: str
    """OPEN, CLOSED or ARCHIVED."""
    global_: bool = Field(default=False, alias="global")
    """Whether the account is global: open to every project, not only linked ones."""
    monthly_budget: int | None = None
    """The account's monthly budget (Tempo documents no unit)."""
    lead: UserRef
    """The account's lead."""
    contact: AccountContact | None = None
    """The account's contact: a Jira user or an external name."""
    category: Category | None = None
    """The account's category."""
    customer: Customer | None = None
    """The customer the account is for."""


class AccountInput(TempoInput):
    """An account to create, or the whole new state of one (the key may change). The
    contact is a Jira user (``contact_account_id``) or a name (``external_contact_name``)."""

    key: str
    """The account's key, its id in paths (e.g. "CLOUDBAY_DEVELOPMENT"); unique."""
    name: str
    """The account's name, e.g. "Cloudbay: Development"."""
    status: str
    """OPEN, CLOSED or ARCHIVED."""
    lead_account_id: str
    """The Atlassian account id of the account's lead."""
    contact_account_id: str | None = None
    """The contact's Atlassian account id, when a Jira user (not with externalContactName)."""
    external_contact_name: str | None = None
    """The contact's name, when not a Jira user (not with contactAccountId)."""
    category_key: str | None = None
    """The key of the account's category."""
    customer_key: str | None = None
    """The key of the customer the account is for."""
    monthly_budget: float | None = None
    """The account's monthly budget (Tempo documents no unit; not negative)."""
    global_: bool | None = Field(default=None, alias="global")
    """Whether it is open to every project, not only linked ones (false when left out)."""


class CategoryInput(TempoInput):
    """An account category to create, or the whole new state of one (the key may change)."""

    key: str
    """The category's key, its id in paths (e.g. "development"); unique."""
    name: str
    """The category's name, e.g. "Development"."""
    type_name: str | None = None
    """The category's type: BILLABLE (when left out), CAPITALIZED, INTERNAL or OPERATIONAL."""


class CustomerInput(TempoInput):
    """A customer to create, or the whole new state of one (the key may change)."""

    key: str
    """The customer's key, its id in paths (e.g. "cloudbay"); unique."""
    name: str
    """The customer's name, e.g. "CloudBay"."""


class TempoAccounts(TempoBase):
    # -- accounts ---------------------------------------------------------------------------------

    async def list_accounts(self, *, status: str | None = None) -> list[Account]:
        """Every account, or those with one status (OPEN, CLOSED, ARCHIVED)."""
        return await self._list("/accounts", Account, {"status": status})

    async def get_account(self, key: str) -> Account | None:
        return await self.get_optional(f"/accounts/{seg(key)}", Account)

    async def create_account(self, account: AccountInput) -> Account:
        return await self._write("POST", "/accounts", Account, account)

    async def update_account(self, key: str, account: AccountInput) -> Account:
        """Replaces the whole account; ``account.key`` may rename it."""
        return await self._write("PUT", f"/accounts/{seg(key)}", Account, account)

    async def delete_account(self, key: str) -> None:
        await self._delete(f"/accounts/{seg(key)}")

    # -- categories -------------------------------------------------------------------------------

    async def list_account_categories(self, *, category_id: int | None = None) -> list[Category]:
        """Every account category, or only the one with this id."""
        return await self._list("/account-categories", Category, {"id": category_id})

    async def get_account_category(self, key: str) -> Category | None:
        return await self.get_optional(f"/account-categories/{seg(key)}", Category)

    async def create_account_category(self, category: CategoryInput) -> Category:
        return await self._write("POST", "/account-categories", Category, category)

    async def update_account_category(self, key: str, category: CategoryInput) -> Category:
        path = f"/account-categories/{seg(key)}"
        return await self._write("PUT", path, Category, category)

    async def delete_account_category(self, key: str) -> None:
        await self._delete(f"/account-categories/{seg(key)}")

    async def list_account_category_types(self) -> list[CategoryType]:
        return await self._list("/account-category-types", CategoryType)

    # -- customers --------------------------------------------------------------------------------

    async def list_customers(self, *, customer_id: int | None = None) -> list[Customer]:
        """Every customer, or only the one with this id."""
        return await self._list("/customers", Customer, {"id": customer_id})

    async def get_customer(self, key: str) -> Customer | None:
        return await self.get_optional(f"/customers/{seg(key)}", Customer)

    async def create_customer(self, customer: CustomerInput) -> Customer:
        return await self._write("POST", "/customers", Customer, customer)

    async def update_customer(self, key: str, customer: CustomerInput) -> Customer:
        return await self._write("PUT", f"/customers/{seg(key)}", Customer, customer)

    async def delete_customer(self, key: str) -> None:
        await self._delete(f"/customers/{seg(key)}")

    async def list_customer_accounts(self, key: str) -> list[Account]:
        """The customer's accounts; empty when there is no such customer."""
        return await self._list_or_empty(f"/customers/{seg(key)}/accounts", Account)
