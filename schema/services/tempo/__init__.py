"""Tempo REST API v3: its reads under `tempo { ... }`, and the tempo side of the unified types.

Scaffolding: the link contract (`*_of` functions and their types) that `schema/types.py`
calls; the tempo work replaces the bodies and grows the types (see `schema/services`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.backends import tempo
from resolvers.identity import Identity
from resolvers.services import tempo as tempo_r
from resolvers.worklogs import WorklogRecord
from schema import users
from schema.common import CtxInfo, From, To
from schema.connections import After, Connection, First, shown_as
from schema.cost import upstream

if TYPE_CHECKING:
    from schema.users import User

UserRef = Annotated["User", strawberry.lazy("schema.users")]


@strawberry.type(
    description="A team as Tempo REST API v3 knows it (scaffolding: grown by the tempo work)."
)
class TempoTeam:
    key: str = strawberry.field(description="Its id in Tempo REST API v3.")


@strawberry.type(
    description="A user as Tempo REST API v3 knows it (scaffolding: grown by the tempo work)."
)
class TempoUser:
    key: str = strawberry.field(description="Its id in Tempo REST API v3.")


@strawberry.experimental.pydantic.type(model=tempo.UserRef, all_fields=True)
class TempoUserRef:
    """A Jira user as Tempo refers to one (Tempo has no user endpoint of its own)."""

    @strawberry.field(description="This person, linked across services.")
    async def user(root: tempo.UserRef, info: CtxInfo) -> UserRef | None:
        person = (await info.context.directory()).person("tempo", root.account_id)
        return users.User.of(person) if person else None


@strawberry.experimental.pydantic.type(model=tempo.Role, all_fields=True)
class TempoRole:
    """A role a Tempo team member can have."""


@strawberry.experimental.pydantic.type(model=tempo.Worklog)
class TempoWorklog:
    """Time logged on a Jira issue in Tempo."""

    # The model's fields this type shows (types and descriptions come from the model).
    tempo_worklog_id: strawberry.auto
    jira_worklog_id: strawberry.auto
    issue_key: strawberry.auto
    time_spent_seconds: strawberry.auto
    billable_seconds: strawberry.auto
    start_date: strawberry.auto
    start_time: strawberry.auto
    description: strawberry.auto
    created_at: strawberry.auto
    updated_at: strawberry.auto
    author: strawberry.auto


@strawberry.type(
    description="Everything Tempo REST API v3 offers to read, linked into the unified graph."
)
class TempoQuery:
    @strawberry.field(
        description="The roles a Tempo team member can have.",
        metadata=upstream("request", identity=False),
    )
    async def roles(self, info: CtxInfo) -> list[TempoRole]:
        return [shown_as(TempoRole)(r) for r in await tempo_r.list_roles(info.context)]

    @strawberry.field(
        description="Every worklog in the range, in Tempo's order (by start date, then id).",
        metadata=upstream("request", identity=False),
    )
    async def worklogs(
        self, info: CtxInfo, from_: From, to: To, first: First = None, after: After = None
    ) -> Connection[TempoWorklog]:
        page = await tempo_r.page_worklogs(info.context, from_, to, first=first, after=after)
        return Connection.of(page, shown_as(TempoWorklog))


async def team_of(info: CtxInfo, record: Identity) -> TempoTeam | None:
    """The tempo side of a unified Team; None when Tempo REST API v3 does not know it."""
    key = record.id_in("tempo")
    return TempoTeam(key=key) if key else None


async def user_of(info: CtxInfo, record: Identity) -> TempoUser | None:
    """The tempo side of a unified User; None when Tempo REST API v3 does not know it."""
    key = record.id_in("tempo")
    return TempoUser(key=key) if key else None


async def worklog_of(info: CtxInfo, record: WorklogRecord) -> TempoWorklog | None:
    """The Tempo side of a unified Worklog (the model it was mapped from); None for TeamPulse."""
    source = record.source
    return shown_as(TempoWorklog)(source) if isinstance(source, tempo.Worklog) else None
