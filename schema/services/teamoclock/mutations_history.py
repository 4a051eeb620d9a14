"""Team O'clock's writes of what it keeps: action items (answered as `TeamOclockActionItem`,
linked to the unified `Team`) and deleting a past meeting's timeline record."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import teamoclock as tc
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.payloads import IdempotencyKey, Payload
from schema.services.teamoclock.history import TeamOclockActionItem
from schema.services.teamoclock.mutations_base import ONE_WRITE, toc_delete, toc_write

ActionItemId = Annotated[
    str, strawberry.argument(description='The action item\'s id, e.g. "A242".')
]


@strawberry.input(description="A new action item of a Team O'clock team.")
class CreateTeamOclockActionItemInput:
    team: str = strawberry.field(description="The slug of the team it belongs to.")
    text: str = strawberry.field(description="What is to be done (not empty).")
    resolved: bool = strawberry.field(
        default=False, description="Whether it is already done (default: open)."
    )


@strawberry.input(
    description="What to change about an action item: the fields left out (or null) stay as "
    "they are."
)
class UpdateTeamOclockActionItemInput:
    text: str | None = strawberry.field(default=None, description="What is to be done now.")
    resolved: bool | None = strawberry.field(
        default=None, description="True to resolve it, false to reopen it."
    )


@strawberry.type(description="Team O'clock's writes of action items and the timeline.")
class TeamOclockHistoryMutation:
    @strawberry.mutation(
        description="Create an action item for a team (`POST /actionitems`); it comes first "
        "in the (newest first) list. NOT_FOUND when there is no such team; empty text is "
        "refused as \"Invalid request: Enter a valid json body\" (Team O'clock's one answer "
        "to any bad body, naming no field).",
        metadata=ONE_WRITE,
    )
    async def create_team_oclock_action_item(
        self,
        info: CtxInfo,
        input: Annotated[
            CreateTeamOclockActionItemInput, strawberry.argument(description="The action item.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockActionItem]:
        outcome = await toc_write(
            info,
            name="createTeamOclockActionItem",
            data=input,
            key=idempotency_key,
            result_type=tc.ActionItem,
            call=lambda c: c.create_action_item(input.team, input.text, resolved=input.resolved),
        )
        return Payload.of(outcome, shown_as(TeamOclockActionItem))

    @strawberry.mutation(
        description="Change an action item's text, or resolve or reopen it (`PATCH "
        "/actionitems/{id}`). NOT_FOUND when there is no such action item.",
        metadata=ONE_WRITE,
    )
    async def update_team_oclock_action_item(
        self,
        info: CtxInfo,
        id: ActionItemId,
        input: Annotated[
            UpdateTeamOclockActionItemInput, strawberry.argument(description="What to change.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockActionItem]:
        outcome = await toc_write(
            info,
            name="updateTeamOclockActionItem",
            data=(id, input),
            key=idempotency_key,
            result_type=tc.ActionItem,
            call=lambda c: c.update_action_item(id, text=input.text, resolved=input.resolved),
        )
        return Payload.of(outcome, shown_as(TeamOclockActionItem))

    @strawberry.mutation(
        description="Delete an action item (`DELETE /actionitems/{id}`), also from the past "
        "retrospective that agreed it. Answers its id; NOT_FOUND when there is none.",
        metadata=ONE_WRITE,
    )
    async def delete_team_oclock_action_item(
        self, info: CtxInfo, id: ActionItemId, idempotency_key: IdempotencyKey = None
    ) -> Payload[str]:
        outcome = await toc_delete(
            info,
            name="deleteTeamOclockActionItem",
            id=id,
            data=id,
            key=idempotency_key,
            call=lambda c: c.delete_action_item(id),
        )
        return Payload.of(outcome)

    @strawberry.mutation(
        description="Delete a past meeting's record from the timeline (`DELETE "
        "/timeline/{id}`). Answers its id; NOT_FOUND when there is none.",
        metadata=ONE_WRITE,
    )
    async def delete_team_oclock_timeline_record(
        self,
        info: CtxInfo,
        id: Annotated[str, strawberry.argument(description='Its id, e.g. "S33" or "R23".')],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[str]:
        outcome = await toc_delete(
            info,
            name="deleteTeamOclockTimelineRecord",
            id=id,
            data=id,
            key=idempotency_key,
            call=lambda c: c.delete_timeline_entry(id),
        )
        return Payload.of(outcome)
