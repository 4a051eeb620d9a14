"""What Team O'clock keeps of past meetings: action items, and the timeline of standups,
planning poker tasks and retrospectives (listed as `TeamOclockTimelineEntry`, in full as
`TeamOclockTimelineRecord`, the union of the three kinds)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, cast

import strawberry

from resolvers.backends import teamoclock as tc
from resolvers.services import teamoclock as toc_r
from schema.common import CtxInfo
from schema.cost import upstream
from schema.scalars import MeetingKind
from schema.services.teamoclock import links
from schema.services.teamoclock.links import LINK, TeamRef, UserRef
from schema.services.teamoclock.meetings import TeamOclockRetroColumn, TeamOclockVote


@strawberry.enum(description="Whether an action item is done, as Team O'clock filters them.")
class TeamOclockActionItemStatus(Enum):
    OPEN = strawberry.enum_value("open", description="Not resolved yet.")
    RESOLVED = strawberry.enum_value("resolved", description="Resolved.")


StatusFilter = Annotated[
    TeamOclockActionItemStatus | None,
    strawberry.argument(description="Only open, or only resolved, action items."),
]


def status_name(status: TeamOclockActionItemStatus | None) -> tc.ActionItemStatus | None:
    """The client's name for a GraphQL status (`enum_value` hides the string from mypy)."""
    return cast("tc.ActionItemStatus", status.value) if status is not None else None


@strawberry.enum(description="Where a standup was held.")
class TeamOclockStandupOrigin(Enum):
    WINDOW = strawberry.enum_value("window", description="In Team O'clock's web app.")
    SLACK = strawberry.enum_value("slack", description="In Slack.")
    MSTEAMS = strawberry.enum_value("msteams", description="In Microsoft Teams.")


@strawberry.experimental.pydantic.type(
    model=tc.ActionItem, description="Something a team agreed to do, usually in a retrospective."
)
class TeamOclockActionItem:
    id: strawberry.auto
    text: strawberry.auto
    resolved: strawberry.auto
    jira: strawberry.auto

    @strawberry.field(
        description="The team it belongs to, linked across services (null inside a past "
        "retrospective, which is the team's own).",
        metadata=LINK,
    )
    async def team(root: tc.ActionItem, info: CtxInfo) -> TeamRef | None:
        return await links.team(info, root.team.slug if root.team else None)

    @strawberry.field(description="The slug of the team it belongs to.")
    def team_slug(root: tc.ActionItem) -> str | None:
        return root.team.slug if root.team else None


# -- the timeline -----------------------------------------------------------------------------


@strawberry.experimental.pydantic.type(
    model=tc.TimelineEntry, description="What every timeline record has (a base, not shown)."
)
class TeamOclockTimelineFields:
    # Strawberry shows only the types a field reaches: this one lends its fields to the
    # entry and the three record types, and never appears itself. (Its subclasses' models
    # are subclasses of its model, so mypy's plugin sees their generated `from_pydantic`
    # narrow its argument; we never call it, hence their `ignore[override]`. Each repeats
    # `id`: Strawberry wants at least one `auto` field per pydantic type.)
    id: strawberry.auto
    type: MeetingKind
    date: strawberry.auto

    @strawberry.field(description="The team that held it, linked across services.", metadata=LINK)
    async def team(root: tc.TimelineEntry, info: CtxInfo) -> TeamRef | None:
        return await links.team(info, root.team.slug)

    @strawberry.field(description="The slug of the team that held it.")
    def team_slug(root: tc.TimelineEntry) -> str:
        return root.team.slug


@strawberry.experimental.pydantic.type(
    model=tc.AsyncNote, description="A note a member wrote in a standup."
)
class TeamOclockAsyncNote:
    username: strawberry.auto
    text: strawberry.auto
    question: strawberry.auto

    @strawberry.field(description="Who wrote it, linked across services.", metadata=LINK)
    async def user(root: tc.AsyncNote, info: CtxInfo) -> UserRef | None:
        return await links.person(info, root.username)


@strawberry.experimental.pydantic.type(
    model=tc.TimelineStandup,
    use_pydantic_alias=False,
    description="A past standup: its questions and notes.",
)
class TeamOclockTimelineStandup(TeamOclockTimelineFields):  # type: ignore[override]
    id: strawberry.auto
    is_async: strawberry.auto
    origin: TeamOclockStandupOrigin | None
    questions: strawberry.auto
    sync_notes: strawberry.auto
    async_notes: strawberry.auto


@strawberry.experimental.pydantic.type(
    model=tc.TimelineRetroNote, all_fields=True, description="A note of a past retrospective."
)
class TeamOclockTimelineRetroNote:
    pass


@strawberry.experimental.pydantic.type(
    model=tc.TimelineRetro,
    description="A past retrospective: its board and the action items it agreed.",
)
class TeamOclockTimelineRetro(TeamOclockTimelineFields):  # type: ignore[override]
    id: strawberry.auto
    name: strawberry.auto
    columns: list[TeamOclockRetroColumn]
    notes: strawberry.auto
    action_items: list[TeamOclockActionItem]


@strawberry.experimental.pydantic.type(
    model=tc.TimelinePlanpoker,
    description="One task a past planning poker estimated, with its votes.",
)
class TeamOclockTimelinePlanningPoker(TeamOclockTimelineFields):  # type: ignore[override]
    id: strawberry.auto
    task: strawberry.auto
    avg_vote: strawberry.auto
    votes: list[TeamOclockVote]
    jira: strawberry.auto


# A union, not an interface: the kinds are reached only through it, and Strawberry leaves
# out an interface's implementations that no field returns.
TeamOclockTimelineRecord = Annotated[
    TeamOclockTimelineStandup | TeamOclockTimelineRetro | TeamOclockTimelinePlanningPoker,
    strawberry.union(
        "TeamOclockTimelineRecord",
        description="A past meeting in full: a standup, a retrospective, or one task of a "
        "planning poker (the fields every kind has are on each; `... on` picks the kind).",
    ),
]


@strawberry.experimental.pydantic.type(
    model=tc.TimelineEntry, description="A past meeting, as the timeline lists it."
)
class TeamOclockTimelineEntry(TeamOclockTimelineFields):
    id: strawberry.auto

    @strawberry.field(
        description="The whole record: notes, board, or votes (one call per entry, at most "
        "8 at once; an entry asked for twice is fetched once).",
        metadata=upstream("parent", identity=False),
    )
    async def record(root: tc.TimelineEntry, info: CtxInfo) -> TeamOclockTimelineRecord | None:
        return as_record(await toc_r.get_timeline_record(info.context, root.id))


def as_record(found: tc.TimelineRecord | None) -> TeamOclockTimelineRecord | None:
    """A client timeline record, served as it is: its class (standup, retro, planpoker)
    picks its GraphQL type."""
    return cast("TeamOclockTimelineRecord | None", found)
