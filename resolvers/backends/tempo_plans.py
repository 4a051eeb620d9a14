"""The Tempo client's plans: time a user plans to spend on an issue or a project."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from resolvers.backends.tempo_base import (
    TempoBase,
    TempoInput,
    TempoModel,
    Timestamp,
    dates,
    id_in_url,
    seg,
)


class PlanPeriod(TempoModel):
    """One occurrence of a (possibly recurring) plan."""

    from_: date = Field(alias="from")
    """The occurrence's first day."""
    to: date
    """The occurrence's last day (inclusive)."""
    time_planned_seconds: int
    """Time planned over the occurrence, in seconds."""


class Plan(TempoModel):
    """A plan. Tempo names its assignee and item by URL only: ``assignee_id`` (an accountId,
    or a team id when ``assignee_type`` is TEAM) and ``plan_item_id`` (an issue key, or a
    project id when ``plan_item_type`` is PROJECT) are read from those URLs. ``dates`` holds
    the occurrences Tempo expanded: the first only, unless a range was asked for."""

    id: int
    """Tempo's id of the plan."""
    start_date: date
    """The first day of the plan (of its first occurrence, when it recurs)."""
    end_date: date
    """The last day of the plan's first occurrence (inclusive)."""
    description: str | None = None
    """What the time is planned for."""
    created_at: Timestamp
    """When the plan was created."""
    updated_at: Timestamp
    """When it was last changed."""
    assignee_type: str
    """Who the time is planned for: USER or TEAM."""
    assignee_id: str | None = None
    """The assignee's id: an Atlassian account id (USER) or a Tempo team id (TEAM)."""
    plan_item_type: str
    """What the time is planned on: ISSUE or PROJECT."""
    plan_item_id: str | None = None
    """The plan item's id: a Jira issue key (ISSUE) or a Jira project id (PROJECT)."""
    rule: str
    """How the plan recurs: NEVER, WEEKLY, BIWEEKLY or MONTHLY."""
    recurrence_end_date: date
    """The last day the plan may recur on."""
    dates: tuple[PlanPeriod, ...] = ()
    """Its occurrences: the first only, unless a range was asked for, then those in it."""

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        assignee, item = out.get("assignee"), out.get("planItem")
        if isinstance(assignee, dict):
            kind = assignee.get("type")
            out.setdefault("assigneeType", kind)
            where = "teams" if kind == "TEAM" else "accountId"
            out.setdefault("assigneeId", id_in_url(assignee.get("self"), where))
        if isinstance(item, dict):
            kind = item.get("type")
            out.setdefault("planItemType", kind)
            where = "project" if kind == "PROJECT" else "issue"
            out.setdefault("planItemId", id_in_url(item.get("self"), where))
        recurrence = out.get("recurrence")
        if isinstance(recurrence, dict):
            out.setdefault("rule", recurrence.get("rule"))
            out.setdefault("recurrenceEndDate", recurrence.get("recurrenceEndDate"))
        plan_dates = out.get("dates")
        if isinstance(plan_dates, dict):
            out["dates"] = plan_dates.get("values", [])
        return out


class PlanInput(TempoInput):
    """A plan to create, or the whole new state of one: for ``account_id``, on an issue
    (``issue_key``) or a project (``project_key``)."""

    start_date: date
    """The plan's first day (of its first occurrence, when it recurs)."""
    end_date: date
    """The last day of its first occurrence (inclusive)."""
    planned_per_day_seconds: int
    """Time planned per day, in seconds (positive)."""
    account_id: str
    """The Atlassian account id of the person the time is planned for."""
    description: str | None = None
    """What the time is planned for."""
    include_non_working_days: bool | None = None
    """Whether non-working days count as planned days too (false when left out)."""
    rule: str | None = None
    """How the plan recurs: NEVER (when left out), WEEKLY, BI_WEEKLY or MONTHLY."""
    recurrence_end_date: date | None = None
    """The last day the plan may recur on (its endDate when left out)."""
    issue_key: str | None = None
    """The Jira issue the time is planned on (give this or projectKey)."""
    project_key: str | None = None
    """The Jira project the time is planned on (give this or issueKey)."""


class TempoPlans(TempoBase):
    async def get_plan(
        self, plan_id: int, *, from_: date | None = None, to: date | None = None
    ) -> Plan | None:
        """One plan; with ``from_``/``to``, ``dates`` holds its occurrences in that range."""
        params = dates(from_=from_, to=to)
        return await self.get_optional(f"/plans/{plan_id}", Plan, params=params)

    async def list_user_plans(
        self, account_id: str, from_: date, to: date, *, updated_from: date | None = None
    ) -> list[Plan]:
        """The user's plans with an occurrence in ``from_``..``to`` (each with those)."""
        params = dates(from_=from_, to=to, updated_from=updated_from)
        return await self._list(f"/plans/user/{seg(account_id)}", Plan, params)

    async def create_plan(self, plan: PlanInput) -> Plan:
        return await self._write("POST", "/plans", Plan, plan)

    async def update_plan(self, plan_id: int, plan: PlanInput) -> Plan:
        """Replaces the whole plan."""
        return await self._write("PUT", f"/plans/{plan_id}", Plan, plan)

    async def delete_plan(self, plan_id: int) -> None:
        await self._delete(f"/plans/{plan_id}")
