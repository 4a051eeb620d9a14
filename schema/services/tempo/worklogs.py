"""Tempo worklogs, their work attribute values, and the work attributes."""

from __future__ import annotations

import orjson
import strawberry

from resolvers.backends import tempo
from resolvers.services import tempo_worklogs as worklogs_r
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.cost import upstream
from schema.services.tempo.refs import TempoUserRef  # noqa: F401 (registers `author`'s type)


@strawberry.experimental.pydantic.type(
    model=tempo.WorkAttribute,
    all_fields=True,
    description="A work attribute: a custom field worklogs can carry.",
)
class TempoWorkAttribute:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.WorkAttributeValue, description="A worklog's value of one work attribute."
)
class TempoWorkAttributeValue:
    key: strawberry.auto

    @strawberry.field(
        description='The value as JSON text (a String holding `"red"`, `true`, `12.5`…): its '
        "JSON type follows the attribute's type, which GraphQL's scalars cannot all carry."
    )
    def value(root: tempo.WorkAttributeValue) -> str:
        return orjson.dumps(root.value).decode()

    @strawberry.field(
        description="The work attribute this is a value of (null if Tempo no longer has it).",
        metadata=upstream("request", identity=False),
    )
    async def attribute(root: tempo.WorkAttributeValue, info: CtxInfo) -> TempoWorkAttribute | None:
        found = await worklogs_r.list_work_attributes(info.context)
        match = next((a for a in found if a.key == root.key), None)
        return shown_as(TempoWorkAttribute)(match) if match else None


@strawberry.experimental.pydantic.type(
    model=tempo.Worklog, description="Time logged on a Jira issue in Tempo."
)
class TempoWorklog:
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
    attributes: strawberry.auto
