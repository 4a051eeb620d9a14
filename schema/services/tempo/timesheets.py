"""Tempo timesheets and plans: work schedules, timesheet approvals, plans."""

from __future__ import annotations

import strawberry

from resolvers.backends import tempo
from schema.common import CtxInfo
from schema.services.tempo.refs import (
    LINK,
    TeamLink,
    TempoPeriod,  # noqa: F401 (registers `period`'s type)
    UserLink,
    linked_person,
    linked_team,
)


@strawberry.experimental.pydantic.type(
    model=tempo.Holiday, all_fields=True, description="A holiday in a work schedule."
)
class TempoHoliday:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.DaySchedule, all_fields=True, description="One day of a user's work schedule."
)
class TempoDaySchedule:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.ApprovalStatus,
    all_fields=True,
    description="Where a timesheet is in its approval (OPEN → IN_REVIEW → APPROVED), and who "
    "put it there.",
)
class TempoApprovalStatus:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.TimesheetApproval,
    all_fields=True,
    description="One user's timesheet for one period, and its approval.",
)
class TempoTimesheetApproval:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.PlanPeriod,
    all_fields=True,
    description="One occurrence of a (possibly recurring) plan.",
)
class TempoPlanPeriod:
    pass


@strawberry.experimental.pydantic.type(
    model=tempo.Plan,
    all_fields=True,
    description="Time a user (or a team) plans to spend on a Jira issue or project.",
)
class TempoPlan:
    @strawberry.field(
        description="The person the time is planned for, linked across services (null when "
        "the assignee is a team).",
        metadata=LINK,
    )
    async def assignee(root: tempo.Plan, info: CtxInfo) -> UserLink | None:
        return await linked_person(info, root.assignee_id if root.assignee_type == "USER" else None)

    @strawberry.field(
        description="The team the time is planned for, linked across services (null when "
        "the assignee is a user).",
        metadata=LINK,
    )
    async def assignee_team(root: tempo.Plan, info: CtxInfo) -> TeamLink | None:
        ident = root.assignee_id if root.assignee_type == "TEAM" else None
        return await linked_team(info, int(ident) if ident and ident.isdigit() else None)

    @strawberry.field(description="The Jira issue key planned on (null for a project plan).")
    def issue_key(root: tempo.Plan) -> str | None:
        return root.plan_item_id if root.plan_item_type == "ISSUE" else None
