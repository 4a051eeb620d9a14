"""TeamPulse's work: projects, their tasks and work items, time entries and their types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.backends import teampulse
from resolvers.services import teampulse as teampulse_r
from schema.common import CtxInfo, From, To
from schema.connections import shown_as
from schema.cost import upstream

# Imported so `TeamPulseTimeEntry.user` (a model UserRef) finds its GraphQL type.
from schema.services.teampulse.refs import TeamPulseUserRef

if TYPE_CHECKING:
    from schema.services.teampulse.people import TeamPulseUser

# Projects, tasks and time entries name each other, and TeamPulseUser reaches back into
# this module (their tasks and time entries): the types are named lazily where they cycle.
_HERE = "schema.services.teampulse.work"
LazyUser = Annotated["TeamPulseUser", strawberry.lazy("schema.services.teampulse.people")]
LazyTask = Annotated["TeamPulseTask", strawberry.lazy(_HERE)]
LazyTimeEntry = Annotated["TeamPulseTimeEntry", strawberry.lazy(_HERE)]
LazyProjectType = Annotated["TeamPulseProjectTimeEntryType", strawberry.lazy(_HERE)]


@strawberry.experimental.pydantic.type(
    model=teampulse.Project,
    all_fields=True,
    description="A TeamPulse project, its basic organisational unit: tasks, work items and "
    "people belong to projects (TeamPulse has no teams).",
)
class TeamPulseProject:
    @strawberry.field(
        description="The project's users, in TeamPulse's order.",
        metadata=upstream("parent", identity=False),
    )
    async def users(root: teampulse.Project, info: CtxInfo) -> list[LazyUser] | None:
        from schema.services.teampulse.people import TeamPulseUser

        found = await teampulse_r.list_project_users(info.context, root.id)
        return [shown_as(TeamPulseUser)(u) for u in found]

    @strawberry.field(
        description="The project's tasks, by id (read from the list of every task, so any "
        "number of projects costs one call).",
        metadata=upstream("request", identity=False),
    )
    async def tasks(root: teampulse.Project, info: CtxInfo) -> list[LazyTask] | None:
        found = await teampulse_r.list_tasks_in_project(info.context, root.id)
        return [shown_as(TeamPulseTask)(t) for t in found]

    @strawberry.field(
        description="The time entry types enabled in the project, in the project's order.",
        metadata=upstream("parent", identity=False),
    )
    async def time_entry_types(
        root: teampulse.Project, info: CtxInfo
    ) -> list[LazyProjectType] | None:
        found = await teampulse_r.list_time_entry_types(info.context, root.id)
        return [shown_as(TeamPulseProjectTimeEntryType)(t) for t in found]


@strawberry.experimental.pydantic.type(
    model=teampulse.ProjectRef,
    all_fields=True,
    description="A TeamPulse project named by its id only.",
)
class TeamPulseProjectRef:
    @strawberry.field(
        description="The project, with its name (null if TeamPulse no longer lists it).",
        metadata=upstream("request", identity=False),
    )
    async def project(root: teampulse.ProjectRef, info: CtxInfo) -> TeamPulseProject | None:
        found = await teampulse_r.get_project(info.context, root.id)
        return shown_as(TeamPulseProject)(found) if found else None


@strawberry.experimental.pydantic.type(
    model=teampulse.WorkItem,
    all_fields=True,
    description="A TeamPulse work item (story, bug, issue, risk or feedback) a task belongs to.",
)
class TeamPulseWorkItem:
    pass


@strawberry.experimental.pydantic.type(
    model=teampulse.Estimate,
    all_fields=True,
    description="A three-point estimate of a TeamPulse task, in hours.",
)
class TeamPulseEstimate:
    pass


@strawberry.experimental.pydantic.type(
    model=teampulse.Task,
    all_fields=True,
    description="A TeamPulse task: what time is logged against. Tasks without a work item "
    "are general tasks of their project; tasks with neither work item nor project are "
    "general tasks outside any project (Vacation, Sick leave).",
)
class TeamPulseTask:
    @strawberry.field(
        description="Time logged against this task in the range, by anyone: by date, then id.",
        metadata=upstream("request", identity=False),
    )
    async def time_entries(
        root: teampulse.Task, info: CtxInfo, from_: From, to: To
    ) -> list[LazyTimeEntry] | None:
        found = await teampulse_r.list_task_time_entries(info.context, root.id, from_, to)
        return [shown_as(TeamPulseTimeEntry)(e) for e in found]


@strawberry.experimental.pydantic.type(
    model=teampulse.TimeEntry,
    description="A TeamPulse time entry: hours one user spent on one task on one day.",
)
class TeamPulseTimeEntry:
    # The model's fields shown as they are; `task` (a task, or only its id in write
    # answers) is shown by the fields below.
    id: strawberry.auto
    date: strawberry.auto
    hours: strawberry.auto
    type: strawberry.auto
    user: strawberry.auto
    note: strawberry.auto
    iversion: strawberry.auto

    @strawberry.field(
        description="Whether the time is billable: the type read across TeamPulse's "
        'spellings ("Non-Billable", "Non Billable"); null when the type is empty.'
    )
    def billable(root: teampulse.TimeEntry) -> bool | None:
        return root.billable

    @strawberry.field(description="The id of the task the time was spent on.")
    def task_id(root: teampulse.TimeEntry) -> int:
        return root.task.id

    @strawberry.field(
        description="The task the time was spent on: as TeamPulse embeds it in the entry, "
        "or, after a create or update (whose answer names only `taskId`), read by its id "
        "(one call); null when TeamPulse has no such task.",
        metadata=upstream("request", identity=False),
    )
    async def task(root: teampulse.TimeEntry, info: CtxInfo) -> TeamPulseTask | None:
        task = root.task
        if isinstance(task, teampulse.Task):
            return shown_as(TeamPulseTask)(task)
        found = await teampulse_r.get_task(info.context, task.id)
        return shown_as(TeamPulseTask)(found) if found else None


@strawberry.experimental.pydantic.type(
    model=teampulse.TimeEntryType,
    all_fields=True,
    description="A kind of TeamPulse time entry: billable or not.",
)
class TeamPulseTimeEntryType:
    pass


@strawberry.experimental.pydantic.type(
    model=teampulse.ProjectTimeEntryType,
    all_fields=True,
    description="A time entry type enabled in a TeamPulse project, at its place in the "
    "project's list.",
)
class TeamPulseProjectTimeEntryType:
    @strawberry.field(description='The type\'s name: "Billable" or "Non Billable".')
    def name(root: teampulse.ProjectTimeEntryType) -> str:
        return root.name


__all__ = [
    "TeamPulseEstimate",
    "TeamPulseProject",
    "TeamPulseProjectRef",
    "TeamPulseProjectTimeEntryType",
    "TeamPulseTask",
    "TeamPulseTimeEntry",
    "TeamPulseTimeEntryType",
    "TeamPulseUserRef",
    "TeamPulseWorkItem",
]
