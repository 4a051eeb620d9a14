"""Team O'clock's active meetings: standups, planning pokers and retrospectives, as listed
(`TeamOclockMeeting`) and in detail (`TeamOclockMeetingDetail`, the interface of the three
kinds, which a unified `Meeting` reaches through `Meeting.teamoclock`).

Where Team O'clock names a person (a facilitator, a voter, a note's author) the field of that
name is the unified `User`, and the username it gave sits beside it; a team is a `Team` with
its `teamSlug` beside it.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from resolvers.backends import teamoclock as tc
from schema.common import CtxInfo
from schema.services.teamoclock import links
from schema.services.teamoclock.links import LINK, TeamRef, UserRef


@strawberry.enum(description="Where a planning poker task is.")
class TeamOclockPokerTaskStatus(Enum):
    ACTIVE = strawberry.enum_value("active", description="Being estimated.")
    COMPLETED = strawberry.enum_value("completed", description="Estimated.")


@strawberry.enum(description="The stage a retrospective is in, in the order they come.")
class TeamOclockRetroStage(Enum):
    GATHER = strawberry.enum_value("gather", description="Writing notes.")
    GROOM = strawberry.enum_value("groom", description="Grouping the notes.")
    VOTE = strawberry.enum_value("vote", description="Voting on the notes.")
    DISCUSS = strawberry.enum_value("discuss", description="Discussing the top notes.")
    COMPLETE = strawberry.enum_value("complete", description="Over.")


# -- as listed --------------------------------------------------------------------------------


@strawberry.experimental.pydantic.type(
    model=tc.MeetingSummary, description="An active Team O'clock meeting, as listed."
)
class TeamOclockMeeting:
    id: strawberry.auto
    name: strawberry.auto
    date: strawberry.auto
    url: strawberry.auto

    @strawberry.field(description="The team holding it, linked across services.", metadata=LINK)
    async def team(root: tc.MeetingSummary, info: CtxInfo) -> TeamRef | None:
        return await links.team(info, root.team.slug)

    @strawberry.field(description="The slug of the team holding it.")
    def team_slug(root: tc.MeetingSummary) -> str:
        return root.team.slug


@strawberry.experimental.pydantic.interface(
    model=tc.MeetingSummary,
    description="An active Team O'clock meeting in full: a standup, a planning poker or a "
    "retrospective (ask for the kind's own fields with `... on`).",
)
class TeamOclockMeetingDetail:
    # Each kind's model subclasses this one's, so mypy's plugin sees their generated
    # `from_pydantic` narrow its argument; we never call it, hence their `ignore[override]`.
    id: strawberry.auto
    name: strawberry.auto
    date: strawberry.auto
    url: strawberry.auto

    @strawberry.field(description="The team holding it, linked across services.", metadata=LINK)
    async def team(root: tc.MeetingSummary, info: CtxInfo) -> TeamRef | None:
        return await links.team(info, root.team.slug)

    @strawberry.field(description="The slug of the team holding it.")
    def team_slug(root: tc.MeetingSummary) -> str:
        return root.team.slug


# -- standups ---------------------------------------------------------------------------------


@strawberry.experimental.pydantic.type(
    model=tc.StandupQuestions, all_fields=True, description="The three questions a standup asks."
)
class TeamOclockStandupQuestions:
    pass


@strawberry.experimental.pydantic.type(
    model=tc.MemberAnswers,
    all_fields=True,
    use_pydantic_alias=False,
    description="One member's answers to a standup's questions.",
)
class TeamOclockMemberAnswers:
    pass


@strawberry.experimental.pydantic.type(
    model=tc.RoundupNote, all_fields=True, description="A note taken for the whole team."
)
class TeamOclockRoundupNote:
    pass


@strawberry.experimental.pydantic.type(
    model=tc.MemberNote, description="One member's part in a standup."
)
class TeamOclockMemberNote:
    username: strawberry.auto
    questions: strawberry.auto

    @strawberry.field(description="Who answered, linked across services.", metadata=LINK)
    async def user(root: tc.MemberNote, info: CtxInfo) -> UserRef | None:
        return await links.person(info, root.username)


@strawberry.experimental.pydantic.type(
    model=tc.StandupState, all_fields=True, description="What a standup holds."
)
class TeamOclockStandupState:
    pass


@strawberry.experimental.pydantic.type(
    model=tc.StandupDetail, description="An active standup: its questions and notes."
)
class TeamOclockStandup(TeamOclockMeetingDetail):  # type: ignore[override]
    state: strawberry.auto


# -- planning pokers --------------------------------------------------------------------------


@strawberry.experimental.pydantic.type(model=tc.Vote, description="One vote on a task.")
class TeamOclockVote:
    username: strawberry.auto
    vote: strawberry.auto

    @strawberry.field(description="The voter, linked across services.", metadata=LINK)
    async def user(root: tc.Vote, info: CtxInfo) -> UserRef | None:
        return await links.person(info, root.username)


@strawberry.experimental.pydantic.type(
    model=tc.PokerTask, description="A story a planning poker estimates, with its votes."
)
class TeamOclockPokerTask:
    id: strawberry.auto
    status: TeamOclockPokerTaskStatus
    text: strawberry.auto
    avg_vote: strawberry.auto
    voters: strawberry.auto
    jira: strawberry.auto


@strawberry.experimental.pydantic.type(
    model=tc.PlanpokerState, description="What a planning poker holds."
)
class TeamOclockPlanningPokerState:
    # `value_mapping` (the deck, an untyped object) is left out.
    tasks: strawberry.auto

    @strawberry.field(description="Who runs the session, linked across services.", metadata=LINK)
    async def facilitator(root: tc.PlanpokerState, info: CtxInfo) -> UserRef | None:
        return await links.person(info, root.facilitator.username if root.facilitator else None)

    @strawberry.field(description="The facilitator's username.")
    def facilitator_username(root: tc.PlanpokerState) -> str | None:
        return root.facilitator.username if root.facilitator else None


@strawberry.experimental.pydantic.type(
    model=tc.PlanpokerDetail,
    description="An active planning poker: its facilitator, and its tasks with their votes.",
)
class TeamOclockPlanningPoker(TeamOclockMeetingDetail):  # type: ignore[override]
    state: strawberry.auto


# -- retrospectives ---------------------------------------------------------------------------


@strawberry.experimental.pydantic.type(
    model=tc.RetroColumn, all_fields=True, description="A column of a retrospective's board."
)
class TeamOclockRetroColumn:
    pass


@strawberry.experimental.pydantic.type(
    model=tc.RetroNote, description="A note on a retrospective's board."
)
class TeamOclockRetroNote:
    id: strawberry.auto
    text: strawberry.auto
    column: strawberry.auto
    votes: strawberry.auto
    group: strawberry.auto

    @strawberry.field(
        description="Who wrote it, linked across services; null when notes are anonymous.",
        metadata=LINK,
    )
    async def author(root: tc.RetroNote, info: CtxInfo) -> UserRef | None:
        return await links.person(info, root.author)

    @strawberry.field(description="The author's username; null when notes are anonymous.")
    def author_username(root: tc.RetroNote) -> str | None:
        return root.author


@strawberry.experimental.pydantic.type(
    model=tc.RetroActionItem, all_fields=True, description="An action item a retro agreed."
)
class TeamOclockRetroActionItem:
    pass


@strawberry.experimental.pydantic.type(
    model=tc.RetroState, description="What a retrospective holds."
)
class TeamOclockRetrospectiveState:
    stage: TeamOclockRetroStage
    max_votes: strawberry.auto
    public_voting: strawberry.auto
    anonymous_notes: strawberry.auto
    hide_im_actionitems: strawberry.auto
    columns: strawberry.auto
    notes: strawberry.auto
    action_items: strawberry.auto

    @strawberry.field(description="Who runs the session, linked across services.", metadata=LINK)
    async def facilitator(root: tc.RetroState, info: CtxInfo) -> UserRef | None:
        return await links.person(info, root.facilitator.username if root.facilitator else None)

    @strawberry.field(description="The facilitator's username.")
    def facilitator_username(root: tc.RetroState) -> str | None:
        return root.facilitator.username if root.facilitator else None


@strawberry.experimental.pydantic.type(
    model=tc.RetroDetail,
    description="An active retrospective: its stage, columns, notes and action items.",
)
class TeamOclockRetrospective(TeamOclockMeetingDetail):  # type: ignore[override]
    state: strawberry.auto


DETAIL_TYPES = (TeamOclockStandup, TeamOclockPlanningPoker, TeamOclockRetrospective)
