"""Tempo's writes of plans, and the timesheet approval actions: submit (OPEN → IN_REVIEW),
approve (IN_REVIEW → APPROVED), reject (IN_REVIEW → OPEN) and reopen (APPROVED → OPEN)."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Annotated, Protocol

import strawberry

from resolvers.backends import tempo
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.payloads import IdempotencyKey, Payload
from schema.services.tempo.mutations_base import ONE_WRITE, id_of, tempo_delete, tempo_write
from schema.services.tempo.refs import AccountId
from schema.services.tempo.timesheets import TempoPlan, TempoTimesheetApproval

# -- plans -------------------------------------------------------------------------------------


@strawberry.experimental.pydantic.input(
    model=tempo.PlanInput,
    all_fields=True,
    description="A new Tempo plan: time a person plans to spend on an issue or a project.",
)
class CreateTempoPlanInput:
    pass


@strawberry.experimental.pydantic.input(
    model=tempo.PlanInput,
    all_fields=True,
    description="The whole new state of a Tempo plan. PUT replaces it: optional fields left "
    "out are cleared (or take their defaults).",
)
class UpdateTempoPlanInput:
    pass


# -- timesheet actions -------------------------------------------------------------------------


@strawberry.input(description="What every timesheet approval action takes.")
class TempoTimesheetActionInput:
    from_: date | None = strawberry.field(
        name="from",
        default=None,
        description="The first day of the timesheet's period (Tempo's current period when "
        "`from` and `to` are left out).",
    )
    to: date | None = strawberry.field(
        default=None, description="The last day of the timesheet's period, inclusive."
    )
    comment: str | None = strawberry.field(
        default=None, description="A comment to leave with the action."
    )


@strawberry.input(description="Submitting a timesheet for review.")
class SubmitTempoTimesheetInput(TempoTimesheetActionInput):
    reviewer_account_id: str = strawberry.field(
        description="Who is to review it, by Atlassian account id: one of the user's "
        "`timesheetReviewers`."
    )


@strawberry.input(description="Approving a timesheet in review.")
class ApproveTempoTimesheetInput(TempoTimesheetActionInput):
    pass


@strawberry.input(description="Rejecting a timesheet in review, back to its user.")
class RejectTempoTimesheetInput(TempoTimesheetActionInput):
    pass


@strawberry.input(description="Reopening an approved timesheet.")
class ReopenTempoTimesheetInput(TempoTimesheetActionInput):
    pass


_OPTIONAL = strawberry.argument(
    description="The period and a comment; Tempo's current period and no comment when left out."
)
PlanId = Annotated[int, id_of("plan")]


class _Action(Protocol):
    """A client method acting on a timesheet (`TempoClient.approve_timesheet`, …)."""

    def __call__(
        self,
        client: tempo.TempoClient,
        account_id: str,
        /,
        *,
        from_: date | None = None,
        to: date | None = None,
        comment: str | None = None,
    ) -> Awaitable[tempo.TimesheetApproval]: ...


async def _act(
    info: CtxInfo,
    *,
    name: str,
    action: _Action,
    account_id: str,
    input: TempoTimesheetActionInput,
    key: str | None,
) -> Payload[TempoTimesheetApproval]:
    """Approve, reject or reopen: the same arguments, another verb."""
    outcome = await tempo_write(
        info,
        name=name,
        path=account_id,
        input=input,
        key=key,
        result_type=tempo.TimesheetApproval,
        call=lambda c: action(c, account_id, from_=input.from_, to=input.to, comment=input.comment),
    )
    return Payload.of(outcome, shown_as(TempoTimesheetApproval))


@strawberry.type
class TempoTimesheetMutation:
    # -- plans ------------------------------------------------------------------------------

    @strawberry.mutation(description="Create a Tempo plan (`POST /plans`).", metadata=ONE_WRITE)
    async def create_tempo_plan(
        self,
        info: CtxInfo,
        input: Annotated[CreateTempoPlanInput, strawberry.argument(description="The plan.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoPlan]:
        outcome = await tempo_write(
            info,
            name="createTempoPlan",
            input=input,
            key=idempotency_key,
            result_type=tempo.Plan,
            call=lambda c: c.create_plan(input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoPlan))

    @strawberry.mutation(
        description="Replace a Tempo plan (`PUT /plans/{id}`): the input is its whole new "
        "state, so optional fields left out are cleared.",
        metadata=ONE_WRITE,
    )
    async def update_tempo_plan(
        self,
        info: CtxInfo,
        id: PlanId,
        input: Annotated[
            UpdateTempoPlanInput, strawberry.argument(description="Its whole new state.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoPlan]:
        outcome = await tempo_write(
            info,
            name="updateTempoPlan",
            path=id,
            input=input,
            key=idempotency_key,
            result_type=tempo.Plan,
            call=lambda c: c.update_plan(id, input.to_pydantic()),
        )
        return Payload.of(outcome, shown_as(TempoPlan))

    @strawberry.mutation(
        description="Delete a Tempo plan (`DELETE /plans/{id}`); answers its id.",
        metadata=ONE_WRITE,
    )
    async def delete_tempo_plan(
        self, info: CtxInfo, id: PlanId, idempotency_key: IdempotencyKey = None
    ) -> Payload[int]:
        outcome = await tempo_delete(
            info,
            name="deleteTempoPlan",
            path=id,
            key=idempotency_key,
            call=lambda c: c.delete_plan(id),
        )
        return Payload.of(outcome)

    # -- timesheet approvals ----------------------------------------------------------------

    @strawberry.mutation(
        description="Submit a user's timesheet for review (`POST "
        "/timesheet-approvals/user/{accountId}/submit`): OPEN → IN_REVIEW.",
        metadata=ONE_WRITE,
    )
    async def submit_tempo_timesheet(
        self,
        info: CtxInfo,
        account_id: AccountId,
        input: Annotated[
            SubmitTempoTimesheetInput,
            strawberry.argument(description="The reviewer, the period and a comment."),
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoTimesheetApproval]:
        outcome = await tempo_write(
            info,
            name="submitTempoTimesheet",
            path=account_id,
            input=input,
            key=idempotency_key,
            result_type=tempo.TimesheetApproval,
            call=lambda c: c.submit_timesheet(
                account_id,
                input.reviewer_account_id,
                from_=input.from_,
                to=input.to,
                comment=input.comment,
            ),
        )
        return Payload.of(outcome, shown_as(TempoTimesheetApproval))

    @strawberry.mutation(
        description="Approve a user's timesheet (`POST "
        "/timesheet-approvals/user/{accountId}/approve`): IN_REVIEW → APPROVED.",
        metadata=ONE_WRITE,
    )
    async def approve_tempo_timesheet(
        self,
        info: CtxInfo,
        account_id: AccountId,
        input: Annotated[ApproveTempoTimesheetInput | None, _OPTIONAL] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoTimesheetApproval]:
        return await _act(
            info,
            name="approveTempoTimesheet",
            action=tempo.TempoClient.approve_timesheet,
            account_id=account_id,
            input=input or ApproveTempoTimesheetInput(),
            key=idempotency_key,
        )

    @strawberry.mutation(
        description="Reject a user's timesheet, back to them (`POST "
        "/timesheet-approvals/user/{accountId}/reject`): IN_REVIEW → OPEN.",
        metadata=ONE_WRITE,
    )
    async def reject_tempo_timesheet(
        self,
        info: CtxInfo,
        account_id: AccountId,
        input: Annotated[RejectTempoTimesheetInput | None, _OPTIONAL] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoTimesheetApproval]:
        return await _act(
            info,
            name="rejectTempoTimesheet",
            action=tempo.TempoClient.reject_timesheet,
            account_id=account_id,
            input=input or RejectTempoTimesheetInput(),
            key=idempotency_key,
        )

    @strawberry.mutation(
        description="Reopen a user's approved timesheet (`POST "
        "/timesheet-approvals/user/{accountId}/reopen`): APPROVED → OPEN.",
        metadata=ONE_WRITE,
    )
    async def reopen_tempo_timesheet(
        self,
        info: CtxInfo,
        account_id: AccountId,
        input: Annotated[ReopenTempoTimesheetInput | None, _OPTIONAL] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TempoTimesheetApproval]:
        return await _act(
            info,
            name="reopenTempoTimesheet",
            action=tempo.TempoClient.reopen_timesheet,
            account_id=account_id,
            input=input or ReopenTempoTimesheetInput(),
            key=idempotency_key,
        )
