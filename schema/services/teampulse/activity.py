"""TeamPulse's activity stream: work item changes, shared messages and comments, and what is
unread."""

from __future__ import annotations

import strawberry

from resolvers.backends import teampulse
from schema.connections import shown_as
from schema.services.teampulse.refs import TeamPulseActivityAuthor
from schema.services.teampulse.work import TeamPulseProjectRef


@strawberry.experimental.pydantic.type(
    model=teampulse.ActivityWorkItem,
    all_fields=True,
    description="The TeamPulse work item an activity is about.",
)
class TeamPulseActivityWorkItem:
    pass


@strawberry.experimental.pydantic.type(
    model=teampulse.Activity,
    all_fields=True,
    description="An entry in TeamPulse's activity stream: a change to a work item, or a "
    "message someone shared.",
)
class TeamPulseActivity:
    pass


@strawberry.experimental.pydantic.type(
    model=teampulse.UnreadCounts,
    all_fields=True,
    description="How many activities the account the gateway signs in as has not seen yet.",
)
class TeamPulseUnreadCounts:
    pass


# What the writes answer: served as the client's models, which carry no field
# descriptions, so each field is a described resolver.


@strawberry.type(
    description="A message shared to TeamPulse's activity stream, as TeamPulse answers it "
    '(the stream then shows it as a "PersonalMessage" activity).',
)
class TeamPulseSharedMessage:
    @strawberry.field(
        description="The message as posted, after the author's display name: "
        '"Teamgraph Gateway shared: hello world".'
    )
    def message(root: teampulse.SharedMessage) -> str:
        return root.message


@strawberry.type(description="The TeamPulse work item a comment is on.")
class TeamPulseCommentWorkItem:
    @strawberry.field(description="TeamPulse's numeric id of the work item.")
    def id(root: teampulse.CommentWorkItem) -> int:
        return root.id

    @strawberry.field(description='Its kind: "Story", "Bug", "Issue", "Risk" or "Feedback".')
    def type(root: teampulse.CommentWorkItem) -> str:
        return root.type


@strawberry.type(
    description="A comment on a TeamPulse work item. TeamPulse has no endpoint to read one: "
    "the activity stream shows it, on its work item.",
)
class TeamPulseComment:
    @strawberry.field(description="TeamPulse's numeric id of the comment.")
    def id(root: teampulse.Comment) -> int:
        return root.id

    @strawberry.field(description="The project of the work item.")
    def project(root: teampulse.Comment) -> TeamPulseProjectRef:
        return shown_as(TeamPulseProjectRef)(root.project)

    @strawberry.field(description="The work item commented on.")
    def work_item(root: teampulse.Comment) -> TeamPulseCommentWorkItem:
        return shown_as(TeamPulseCommentWorkItem)(root.work_item)

    @strawberry.field(description="The comment's text.")
    def description(root: teampulse.Comment) -> str:
        return root.description

    @strawberry.field(
        description='"Comment", or "PortalComment" for one the project portal shows too '
        "(feedback items only)."
    )
    def type(root: teampulse.Comment) -> str:
        return root.type

    @strawberry.field(
        description="The comment's version, for optimistic concurrency (0 when created)."
    )
    def iversion(root: teampulse.Comment) -> int:
        return root.iversion


# The types the activity's fields are shown as (imported so Strawberry finds them).
__all__ = [
    "TeamPulseActivity",
    "TeamPulseActivityAuthor",
    "TeamPulseActivityWorkItem",
    "TeamPulseComment",
    "TeamPulseCommentWorkItem",
    "TeamPulseProjectRef",
    "TeamPulseSharedMessage",
    "TeamPulseUnreadCounts",
]
