"""Plans: time a person plans to spend on an issue or a project, possibly recurring."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.emulators._tempo_calendar import add_months, days_between, required_seconds
from gateway.emulators._tempo_http import (
    JSON,
    collection,
    found,
    int_id,
    no_content,
    query_date,
    read_body,
    required_range,
    route,
)
from gateway.emulators._tempo_store import (
    PlanRec,
    Site,
    TempoState,
    body_user,
    issue_url,
    project_url,
    stamp,
    user_url,
)
from gateway.emulators.cast import TempoAccount

# Requests spell it BI_WEEKLY, responses BIWEEKLY (as the docs do); both mean every 2 weeks.
RULES = ("NEVER", "WEEKLY", "BI_WEEKLY", "MONTHLY")
_STEP_DAYS = {"WEEKLY": 7, "BIWEEKLY": 14}
Occurrence = tuple[date, date]
ItemType = Literal["ISSUE", "PROJECT"]


def occurrences(plan: PlanRec) -> list[Occurrence]:
    """The plan's start..end block, repeated by its rule up to its recurrence end."""
    length = plan.end - plan.start
    found_ones: list[Occurrence] = []
    n = 0
    while True:
        if plan.rule == "MONTHLY":
            start = add_months(plan.start, n)
        else:
            start = plan.start + timedelta(days=_STEP_DAYS.get(plan.rule, 0) * n)
        if (n and plan.rule == "NEVER") or start > plan.recurrence_end:
            return found_ones
        found_ones.append((start, start + length))
        n += 1


def planned_seconds(plan: PlanRec, occurrence: Occurrence) -> int:
    days = days_between(*occurrence)
    if not plan.include_non_working_days:
        days = [d for d in days if required_seconds(d) > 0]
    return plan.per_day_seconds * len(days)


def render_plan(site: Site, plan: PlanRec, window: Occurrence | None) -> JSON:
    """A plan; ``dates.values`` holds its occurrences within `window`, or only the first one
    when there is no window (recurrences are expanded only on request)."""
    every = occurrences(plan)
    shown = every[:1] if window is None else [o for o in every if _overlap(o, window)]
    item_url = issue_url(plan.item) if plan.item_type == "ISSUE" else project_url(plan.item)
    span = f"from={plan.start.isoformat()}&to={plan.recurrence_end.isoformat()}"
    doc: JSON = {
        "self": f"{site.base}plans/{plan.id}",
        "id": plan.id,
        "startDate": plan.start.isoformat(),
        "endDate": plan.end.isoformat(),
    }
    if plan.description:
        doc["description"] = plan.description
    doc |= {
        "createdAt": stamp(plan.created_at),
        "updatedAt": stamp(plan.updated_at),
        "assignee": {"self": user_url(plan.assignee.account_id), "type": "USER"},
        "planItem": {"self": item_url, "type": plan.item_type},
        "recurrence": {"rule": plan.rule, "recurrenceEndDate": plan.recurrence_end.isoformat()},
        "dates": {
            "metadata": {"count": len(shown), "all": f"{site.base}plans/{plan.id}?{span}"},
            "values": [_period(plan, o) for o in shown],
        },
    }
    return doc


def _period(plan: PlanRec, occurrence: Occurrence) -> JSON:
    start, end = occurrence
    seconds = planned_seconds(plan, occurrence)
    return {"from": start.isoformat(), "to": end.isoformat(), "timePlannedSeconds": seconds}


def _overlap(a: Occurrence, b: Occurrence) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def seed_plans(state: TempoState) -> None:
    """Per team: its lead grooms the backlog weekly (a project plan), one member works on
    an issue all of next week, another reports on an issue monthly."""
    monday = state.today - timedelta(days=state.today.weekday())
    first = monday.replace(day=1)
    while required_seconds(first) == 0:  # the month's first working day
        first += timedelta(days=1)
    created = state.now - timedelta(days=10)
    plans: list[PlanRec] = []

    def plan(user: TempoAccount, item: tuple[ItemType, str], start: date, end: date,
             rule: str, until: date, seconds: int, description: str | None) -> None:  # fmt: skip
        plans.append(PlanRec(len(plans) + 1, start, end, description, seconds, False, rule,
                             until, user, item[0], item[1], created, created))  # fmt: skip

    for team in state.teams.values():
        project = next(p for p in state.projects if p.team_id == team.id)
        members = [ms[0].user for ms in state.memberships_in(team.id).values()]
        others = [u for u in members if u != team.lead]
        if team.lead is None or len(others) < 2:
            continue
        issue, report = (f"{project.key}-{n}" for n in project.issues[:2])
        week = (monday + timedelta(weeks=1), monday + timedelta(weeks=1, days=4))
        plan(
            team.lead,
            ("PROJECT", str(project.id)),
            monday,
            monday,
            "WEEKLY",
            monday + timedelta(weeks=8),
            2 * 3600,
            f"Backlog grooming for {team.name}",
        )
        plan(others[0], ("ISSUE", issue), *week, "NEVER", week[1], 4 * 3600, f"Working on {issue}")
        plan(others[1], ("ISSUE", report), first, first, "MONTHLY", add_months(first, 5), 3600,
             None)  # fmt: skip
    state.plans = {p.id: p for p in plans}


class PlansApi:
    def __init__(self, state: TempoState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            route("/plans", POST=self.create_plan),
            route("/plans/{id}", GET=self.get_plan, PUT=self.update_plan,
                  DELETE=self.delete_plan),
            route("/plans/user/{account_id}", GET=self.list_user_plans),
        ]  # fmt: skip

    def _plan(self, request: Request) -> PlanRec:
        wanted = int_id(request.path_params["id"])
        return found(self.state.plans.get(wanted), "Allocation not found")

    async def get_plan(self, request: Request) -> Response:
        plan = self._plan(request)
        lo, hi = query_date(request, "from"), query_date(request, "to")
        window = None if lo is None and hi is None else (lo or date.min, hi or date.max)
        return JSONResponse(render_plan(Site.of(self.state, request), plan, window))

    async def list_user_plans(self, request: Request) -> Response:
        window = required_range(request)
        updated_from = query_date(request, "updatedFrom")
        account_id = request.path_params["account_id"]
        plans = [
            p
            for p in self.state.plans.values()
            if p.assignee.account_id == account_id
            and (updated_from is None or p.updated_at.date() >= updated_from)
            and any(_overlap(o, window) for o in occurrences(p))
        ]
        site = Site.of(self.state, request)
        return collection(request, [render_plan(site, p, window) for p in plans])

    async def _save(self, request: Request, current: PlanRec | None) -> Response:
        """Stores a plan from a POST body, or from a PUT body replacing `current`."""
        body, state = await read_body(request), self.state
        start = body.day("startDate", required=True)
        end = body.day("endDate", required=True)
        if start and end and end < start:
            body.problem("endDate must not be before startDate")
        description = body.text("description")
        per_day = body.number("plannedPerDaySeconds", required=True)
        if per_day is not None and (per_day <= 0 or per_day != int(per_day)):
            body.problem("plannedPerDaySeconds must be a positive whole number of seconds")
        non_working = body.boolean("includeNonWorkingDays")
        rule = (body.choice("rule", RULES) or "NEVER").replace("BI_WEEKLY", "BIWEEKLY")
        until = body.day("recurrenceEndDate")
        if start and until and until < start:
            body.problem("recurrenceEndDate must not be before startDate")
        assignee = body_user(state, body, "accountId", required=True)
        issue_key, project_key = body.text("issueKey"), body.text("projectKey")
        project = state.find_project(project_key) if project_key else None
        if issue_key and project_key:
            body.problem("Give issueKey or projectKey, not both")
        elif issue_key and state.find_issue(issue_key) is None:
            body.problem("Issue not found")
        elif project_key and project is None:
            body.problem("Project not found")
        elif not issue_key and not project_key:
            body.problem("issueKey or projectKey is required")
        body.check()
        assert start and end and per_day and assignee
        item: tuple[ItemType, str]
        if project:
            item = ("PROJECT", str(project.id))
        else:
            issue = state.find_issue(issue_key or "")
            assert issue is not None
            item = ("ISSUE", f"{issue[0].key}-{issue[1]}")
        plan = PlanRec(
            id=current.id if current else state.new_id("plan", state.plans),
            start=start,
            end=end,
            description=description,
            per_day_seconds=int(per_day),
            include_non_working_days=bool(non_working),
            rule=rule,
            # Without a recurrence end (or without recurrence) the plan ends at its endDate.
            recurrence_end=end if rule == "NEVER" or until is None else until,
            assignee=assignee,
            item_type=item[0],
            item=item[1],
            created_at=current.created_at if current else state.now,
            updated_at=state.now,
        )
        state.plans[plan.id] = plan
        return JSONResponse(render_plan(Site.of(state, request), plan, None))

    async def create_plan(self, request: Request) -> Response:
        return await self._save(request, None)

    async def update_plan(self, request: Request) -> Response:
        return await self._save(request, self._plan(request))

    async def delete_plan(self, request: Request) -> Response:
        del self.state.plans[self._plan(request).id]
        return no_content()
