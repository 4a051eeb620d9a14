"""`startMeeting`, `endMeeting`, `createActionItem` and `resolveActionItem`: Team O'clock
meetings as the unified `Meeting`, and action items (logic in `resolvers/unified/meetings.py`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.unified import meetings as meetings_u
from schema.activity import Meeting
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.cost import upstream
from schema.payloads import IdempotencyKey, Payload
from schema.scalars import MeetingKind, kind_name
from schema.services.teamoclock.history import TeamOclockActionItem
from schema.unified.common import TeamText, key_of, named


@strawberry.type(description="A meeting a start answered.")
class MeetingStart:
    record: strawberry.Private[meetings_u.StartedMeeting]

    @strawberry.field(description="The meeting, as `meetings` shows it.")
    def meeting(self) -> Meeting:
        return Meeting.of(self.record.meeting)

    @strawberry.field(
        description="True when the team's standup or planning poker was running already: "
        "this is that one, unchanged (Team O'clock answered 200, not 201). A retrospective "
        "always starts anew."
    )
    def already_active(self) -> bool:
        return self.record.already_active


@strawberry.type
class MeetingsMutation:
    @strawberry.mutation(
        description="Start a team's standup, planning poker or retrospective in Team "
        "O'clock. A team has one standup and one planning poker at a time: asking while one "
        "runs answers it with `alreadyActive: true`.",
        metadata=upstream("request", 3),
    )
    async def start_meeting(
        self,
        info: CtxInfo,
        team: TeamText,
        kind: Annotated[MeetingKind, strawberry.argument(description="Which meeting.")],
        facilitator: Annotated[
            str | None,
            strawberry.argument(
                description="Planning poker or retrospective: who runs it (a person, as for "
                "`user` elsewhere); Team O'clock picks a team member when left out."
            ),
        ] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[MeetingStart]:
        outcome = await meetings_u.start_meeting(
            info.context,
            team=named(team, "Team"),
            kind=kind_name(kind) or "",
            facilitator=named(facilitator, "User") if facilitator is not None else None,
            key=idempotency_key,
        )
        return Payload.of(outcome, lambda r: MeetingStart(record=r))

    @strawberry.mutation(
        description="End an active meeting by its unified id; answers it as it was.",
        metadata=upstream("request", 2),
    )
    async def end_meeting(
        self,
        info: CtxInfo,
        id: Annotated[strawberry.ID, strawberry.argument(description="A `Meeting` id.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[Meeting]:
        kind, _, ident = key_of(id, "Meeting", "a Meeting").partition(":")
        outcome = await meetings_u.end_meeting(
            info.context, kind=kind, ident=ident, key=idempotency_key
        )
        return Payload.of(outcome, Meeting.of)

    @strawberry.mutation(
        description="Add an action item to a team in Team O'clock.",
        metadata=upstream("request", 1),
    )
    async def create_action_item(
        self,
        info: CtxInfo,
        team: TeamText,
        text: Annotated[str, strawberry.argument(description="What is to be done.")],
        resolved: Annotated[
            bool, strawberry.argument(description="Whether it is done already.")
        ] = False,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockActionItem]:
        outcome = await meetings_u.create_action_item(
            info.context,
            team=named(team, "Team"),
            text=text,
            resolved=resolved,
            key=idempotency_key,
        )
        return Payload.of(outcome, shown_as(TeamOclockActionItem))

    @strawberry.mutation(
        description="Resolve a Team O'clock action item (or reopen it with `resolved: false`).",
        metadata=upstream("request", 1),
    )
    async def resolve_action_item(
        self,
        info: CtxInfo,
        id: Annotated[str, strawberry.argument(description='Its Team O\'clock id, e.g. "A242".')],
        resolved: Annotated[bool, strawberry.argument(description="False to reopen it.")] = True,
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockActionItem]:
        outcome = await meetings_u.resolve_action_item(
            info.context, ident=id, resolved=resolved, key=idempotency_key
        )
        return Payload.of(outcome, shown_as(TeamOclockActionItem))
