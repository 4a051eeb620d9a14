"""Tempo's writes of accounts, account categories and customers: all addressed by key, and
PUT replaces the whole object (its key too)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import tempo
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.payloads import IdempotencyKey, Payload
from schema.services.tempo.accounts import TempoAccount, TempoAccountCategory, TempoCustomer
from schema.services.tempo.mutations_base import ONE_WRITE, key_of, tempo_delete, tempo_write

_REPLACED = "PUT replaces it: optional fields left out are cleared, and the key may change."


@strawberry.experimental.pydantic.input(
    model=tempo.AccountInput,
    all_fields=True,
    description="A new Tempo account; its contact is a Jira user or a name, not both.",
)
class CreateTempoAccountInput:
    pass


@strawberry.experimental.pydantic.input(
    model=tempo.AccountInput,
    all_fields=True,
    description=f"The whole new state of a Tempo account. {_REPLACED}",
)
class UpdateTempoAccountInput:
    pass


@strawberry.experimental.pydantic.input(
    model=tempo.CategoryInput, all_fields=True, description="A new Tempo account category."
)
class CreateTempoAccountCategoryInput:
    pass


@strawberry.experimental.pydantic.input(
    model=tempo.CategoryInput,
    all_fields=True,
    description=f"The whole new state of a Tempo account category. {_REPLACED}",
)
class UpdateTempoAccountCategoryInput:
    pass


@strawberry.experimental.pydantic.input(
    model=tempo.CustomerInput, all_fields=True, description="A new Tempo customer."
)
class CreateTempoCustomerInput:
    pass


@strawberry.experimental.pydantic.input(
    model=tempo.CustomerInput,
    all_fields=True,
    description=f"The whole new state of a Tempo customer. {_REPLACED}",
)
class UpdateTempoCustomerInput:
    pass


AccountKey = Annotated[str, key_of("account")]
CategoryKey = Annotated[str, key_of("category")]
CustomerKey = Annotated[str, key_of("customer")]


@strawberry.type
class TempoAccountMutation:
    # -- accounts ---------------------------------------------------------------------------

    @strawberry.mutation(
        description="Create a Tempo account (`POST /accounts`).", metadata=ONE_WRITE
    )
    async def create_tempo_account(
        self,
        info: CtxInfo,
        input: Annotated[CreateTempoAccountInput, strawberry.argument(description="The account.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoAccount]:
        outcome = await tempo_write(
            info,
            name="createTempoAccount",
            input=input,
            key=idempotency_key,
            result_type=tempo.Account,
            call=lambda c: c.create_account(input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoAccount))

    @strawberry.mutation(
        description="Replace a Tempo account (`PUT /accounts/{key}`): the input is its whole "
        "new state, so optional fields left out are cleared.",
        metadata=ONE_WRITE,
    )
    async def update_tempo_account(
        self,
        info: CtxInfo,
        key: AccountKey,
        input: Annotated[
            UpdateTempoAccountInput, strawberry.argument(description="Its whole new state.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoAccount]:
        outcome = await tempo_write(
            info,
            name="updateTempoAccount",
            path=key,
            input=input,
            key=idempotency_key,
            result_type=tempo.Account,
            call=lambda c: c.update_account(key, input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoAccount))

    @strawberry.mutation(
        description="Delete a Tempo account (`DELETE /accounts/{key}`); answers its key.",
        metadata=ONE_WRITE,
    )
    async def delete_tempo_account(
        self,
        info: CtxInfo,
        key: AccountKey,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[str]:
        outcome = await tempo_delete(
            info,
            name="deleteTempoAccount",
            path=key,
            key=idempotency_key,
            call=lambda c: c.delete_account(key),
        )
        return Payload.of(outcome)

    # -- account categories -----------------------------------------------------------------

    @strawberry.mutation(
        description="Create a Tempo account category (`POST /account-categories`).",
        metadata=ONE_WRITE,
    )
    async def create_tempo_account_category(
        self,
        info: CtxInfo,
        input: Annotated[
            CreateTempoAccountCategoryInput, strawberry.argument(description="The category.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoAccountCategory]:
        outcome = await tempo_write(
            info,
            name="createTempoAccountCategory",
            input=input,
            key=idempotency_key,
            result_type=tempo.Category,
            call=lambda c: c.create_account_category(input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoAccountCategory))

    @strawberry.mutation(
        description="Replace a Tempo account category (`PUT /account-categories/{key}`): the "
        "input is its whole new state, so optional fields left out are cleared.",
        metadata=ONE_WRITE,
    )
    async def update_tempo_account_category(
        self,
        info: CtxInfo,
        key: CategoryKey,
        input: Annotated[
            UpdateTempoAccountCategoryInput,
            strawberry.argument(description="Its whole new state."),
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoAccountCategory]:
        outcome = await tempo_write(
            info,
            name="updateTempoAccountCategory",
            path=key,
            input=input,
            key=idempotency_key,
            result_type=tempo.Category,
            call=lambda c: c.update_account_category(key, input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoAccountCategory))

    @strawberry.mutation(
        description="Delete a Tempo account category (`DELETE /account-categories/{key}`); "
        "answers its key.",
        metadata=ONE_WRITE,
    )
    async def delete_tempo_account_category(
        self,
        info: CtxInfo,
        key: CategoryKey,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[str]:
        outcome = await tempo_delete(
            info,
            name="deleteTempoAccountCategory",
            path=key,
            key=idempotency_key,
            call=lambda c: c.delete_account_category(key),
        )
        return Payload.of(outcome)

    # -- customers --------------------------------------------------------------------------

    @strawberry.mutation(
        description="Create a Tempo customer (`POST /customers`).", metadata=ONE_WRITE
    )
    async def create_tempo_customer(
        self,
        info: CtxInfo,
        input: Annotated[
            CreateTempoCustomerInput, strawberry.argument(description="The customer.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoCustomer]:
        outcome = await tempo_write(
            info,
            name="createTempoCustomer",
            input=input,
            key=idempotency_key,
            result_type=tempo.Customer,
            call=lambda c: c.create_customer(input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoCustomer))

    @strawberry.mutation(
        description="Replace a Tempo customer (`PUT /customers/{key}`): the input is its whole "
        "new state (its key may change).",
        metadata=ONE_WRITE,
    )
    async def update_tempo_customer(
        self,
        info: CtxInfo,
        key: CustomerKey,
        input: Annotated[
            UpdateTempoCustomerInput, strawberry.argument(description="Its whole new state.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoCustomer]:
        outcome = await tempo_write(
            info,
            name="updateTempoCustomer",
            path=key,
            input=input,
            key=idempotency_key,
            result_type=tempo.Customer,
            call=lambda c: c.update_customer(key, input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoCustomer))

    @strawberry.mutation(
        description="Delete a Tempo customer (`DELETE /customers/{key}`); answers its key.",
        metadata=ONE_WRITE,
    )
    async def delete_tempo_customer(
        self,
        info: CtxInfo,
        key: CustomerKey,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[str]:
        outcome = await tempo_delete(
            info,
            name="deleteTempoCustomer",
            path=key,
            key=idempotency_key,
            call=lambda c: c.delete_customer(key),
        )
        return Payload.of(outcome)
