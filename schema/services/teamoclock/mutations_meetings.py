"""Team O'clock's meeting writes, with its own verbs: start and end standups, planning pokers
and retrospectives, and add or delete a planning poker's tasks.

A team has at most one active standup and one active planning poker (their ids are the team
slug): starting one while it runs answers the running one (200, not 201) and changes nothing,
which the payload says as `alreadyActive`. Every retrospective start makes a new one.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import teamoclock as tc
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.payloads import IdempotencyKey, Payload
from schema.services.teamoclock.meetings import TeamOclockMeeting, TeamOclockPokerTask
from schema.services.teamoclock.mutations_base import ONE_WRITE, MeetingId, toc_delete, toc_write

TEAM = "The slug of the team holding it."
FACILITATOR = (
    "Who runs it: the username of any member of the organisation. Left out, Team O'clock "
    "picks a random member of the team."
)


# -- inputs -----------------------------------------------------------------------------------


@strawberry.input(description="Which team's standup to start.")
class StartTeamOclockStandupInput:
    team: str = strawberry.field(description=TEAM)


@strawberry.input(description="Which team's planning poker to start, and who runs it.")
class StartTeamOclockPlanningPokerInput:
    team: str = strawberry.field(description=TEAM)
    facilitator: str | None = strawberry.field(
        default=None, description=FACILITATOR + " Not applied when one is already running."
    )


@strawberry.input(description="Which team's retrospective to start, and who runs it.")
class StartTeamOclockRetrospectiveInput:
    team: str = strawberry.field(description=TEAM)
    facilitator: str | None = strawberry.field(default=None, description=FACILITATOR)


@strawberry.input(description="A story for a planning poker to estimate.")
class CreateTeamOclockPlanningPokerTaskInput:
    text: str = strawberry.field(description="The story (not empty).")


# -- what starting a standup or planning poker answers ----------------------------------------


@strawberry.type(
    description="A team's active standup or planning poker, as starting one answers it: the "
    "one just started, or the one that was already running (a team has at most one of each)."
)
class TeamOclockActiveMeeting:
    # Served from the client's `ActiveMeeting` as it is (see `shown_as`); a plain type
    # because a field of a pydantic-derived one takes its description from the model only.
    @strawberry.field(
        description="The meeting, as the active list shows it (its id is the team's slug)."
    )
    def meeting(root: tc.ActiveMeeting) -> TeamOclockMeeting:
        return shown_as(TeamOclockMeeting)(root.meeting)

    @strawberry.field(
        description="True when the team already had one running: Team O'clock answered that "
        "one (200) and started nothing, so a facilitator asked for was not applied. False "
        "when this call started it (201)."
    )
    def already_active(root: tc.ActiveMeeting) -> bool:
        return not root.created


# -- the mutations ----------------------------------------------------------------------------

_START = (
    ' NOT_FOUND when there is no such team; an unknown facilitator is refused as "Invalid '
    "request: Enter a valid json body\" (Team O'clock's one answer to any bad body, naming no "
    "field)."
)


@strawberry.type(description="Team O'clock's writes of active meetings and poker tasks.")
class TeamOclockMeetingMutation:
    # -- standups -----------------------------------------------------------------------------

    @strawberry.mutation(
        description="Start a team's standup (`POST /standup`), or get the one already "
        "running (`alreadyActive`: a team has at most one). NOT_FOUND when there is no such "
        "team.",
        metadata=ONE_WRITE,
    )
    async def start_team_oclock_standup(
        self,
        info: CtxInfo,
        input: Annotated[
            StartTeamOclockStandupInput, strawberry.argument(description="Which team.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockActiveMeeting]:
        outcome = await toc_write(
            info,
            name="startTeamOclockStandup",
            data=input,
            key=idempotency_key,
            result_type=tc.ActiveMeeting,
            call=lambda c: c.create_standup(input.team),
        )
        return Payload.of(outcome, shown_as(TeamOclockActiveMeeting))

    @strawberry.mutation(
        description="End (delete) an active standup (`DELETE /standup/{id}`): it leaves the "
        "active list. Answers its id; NOT_FOUND when none runs with that id.",
        metadata=ONE_WRITE,
    )
    async def end_team_oclock_standup(
        self, info: CtxInfo, id: MeetingId, idempotency_key: IdempotencyKey = None
    ) -> Payload[str]:
        outcome = await toc_delete(
            info,
            name="endTeamOclockStandup",
            id=id,
            data=id,
            key=idempotency_key,
            call=lambda c: c.delete_standup(id),
        )
        return Payload.of(outcome)

    # -- planning pokers ----------------------------------------------------------------------

    @strawberry.mutation(
        description="Start a team's planning poker (`POST /planpoker`), or get the one already "
        "running (`alreadyActive`: a team has at most one)." + _START,
        metadata=ONE_WRITE,
    )
    async def start_team_oclock_planning_poker(
        self,
        info: CtxInfo,
        input: Annotated[
            StartTeamOclockPlanningPokerInput, strawberry.argument(description="Which team.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockActiveMeeting]:
        outcome = await toc_write(
            info,
            name="startTeamOclockPlanningPoker",
            data=input,
            key=idempotency_key,
            result_type=tc.ActiveMeeting,
            call=lambda c: c.create_planpoker(input.team, facilitator=input.facilitator),
        )
        return Payload.of(outcome, shown_as(TeamOclockActiveMeeting))

    @strawberry.mutation(
        description="End (delete) an active planning poker, its tasks with it (`DELETE "
        "/planpoker/{id}`). Answers its id; NOT_FOUND when none runs with that id.",
        metadata=ONE_WRITE,
    )
    async def end_team_oclock_planning_poker(
        self, info: CtxInfo, id: MeetingId, idempotency_key: IdempotencyKey = None
    ) -> Payload[str]:
        outcome = await toc_delete(
            info,
            name="endTeamOclockPlanningPoker",
            id=id,
            data=id,
            key=idempotency_key,
            call=lambda c: c.delete_planpoker(id),
        )
        return Payload.of(outcome)

    @strawberry.mutation(
        description="Add a story to an active planning poker (`POST /planpoker/{id}/tasks`); "
        "it starts active, with no votes. NOT_FOUND when no planning poker runs with that id; "
        "empty text is refused as \"Invalid request: Enter a valid json body\" (Team O'clock's "
        "one answer to any bad body).",
        metadata=ONE_WRITE,
    )
    async def create_team_oclock_planning_poker_task(
        self,
        info: CtxInfo,
        id: MeetingId,
        input: Annotated[
            CreateTeamOclockPlanningPokerTaskInput, strawberry.argument(description="The story.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockPokerTask]:
        outcome = await toc_write(
            info,
            name="createTeamOclockPlanningPokerTask",
            data=(id, input),
            key=idempotency_key,
            result_type=tc.PokerTask,
            call=lambda c: c.create_planpoker_task(id, input.text),
        )
        return Payload.of(outcome, shown_as(TeamOclockPokerTask))

    @strawberry.mutation(
        description="Delete a task of an active planning poker (`DELETE /planpoker/{id}/tasks/"
        "{task_id}`), votes and all. Answers the task's id; NOT_FOUND when there is no such "
        "planning poker or task.",
        metadata=ONE_WRITE,
    )
    async def delete_team_oclock_planning_poker_task(
        self,
        info: CtxInfo,
        id: MeetingId,
        task_id: Annotated[str, strawberry.argument(description="The task's id.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[str]:
        outcome = await toc_delete(
            info,
            name="deleteTeamOclockPlanningPokerTask",
            id=task_id,
            data=(id, task_id),
            key=idempotency_key,
            call=lambda c: c.delete_planpoker_task(id, task_id),
        )
        return Payload.of(outcome)

    # -- retrospectives -----------------------------------------------------------------------

    @strawberry.mutation(
        description="Start a new retrospective (`POST /retro`): every call starts another one, "
        "with a new id (a team may run several)." + _START,
        metadata=ONE_WRITE,
    )
    async def start_team_oclock_retrospective(
        self,
        info: CtxInfo,
        input: Annotated[
            StartTeamOclockRetrospectiveInput, strawberry.argument(description="Which team.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[TeamOclockMeeting]:
        outcome = await toc_write(
            info,
            name="startTeamOclockRetrospective",
            data=input,
            key=idempotency_key,
            result_type=tc.MeetingSummary,
            call=lambda c: c.create_retro(input.team, facilitator=input.facilitator),
        )
        return Payload.of(outcome, shown_as(TeamOclockMeeting))

    @strawberry.mutation(
        description="End (delete) an active retrospective (`DELETE /retro/{id}`). Answers its "
        "id; NOT_FOUND when none runs with that id.",
        metadata=ONE_WRITE,
    )
    async def end_team_oclock_retrospective(
        self,
        info: CtxInfo,
        id: Annotated[str, strawberry.argument(description="The retrospective's id.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[str]:
        outcome = await toc_delete(
            info,
            name="endTeamOclockRetrospective",
            id=id,
            data=id,
            key=idempotency_key,
            call=lambda c: c.delete_retro(id),
        )
        return Payload.of(outcome)
