"""TeamPulse's activity stream: work item changes and shared messages, and what is unread."""

from __future__ import annotations

import strawberry

from resolvers.backends import teampulse
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


# The types the activity's fields are shown as (imported so Strawberry finds them).
__all__ = [
    "TeamPulseActivity",
    "TeamPulseActivityAuthor",
    "TeamPulseActivityWorkItem",
    "TeamPulseProjectRef",
    "TeamPulseUnreadCounts",
]
