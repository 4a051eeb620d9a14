"""Timesheets: the periods they cover, the work schedule they are measured against, and
their approval (OPEN -> submit -> IN_REVIEW -> approve -> APPROVED; reject and reopen lead
back to OPEN)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.emulators._tempo_calendar import (
    day_schedule,
    days_between,
    month_of,
    months_between,
    required_seconds,
)
from gateway.emulators._tempo_http import (
    JSON,
    Handler,
    TempoError,
    collection,
    found,
    int_id,
    query_date,
    read_body,
    required_range,
    route,
)
from gateway.emulators._tempo_store import (
    ApprovalRec,
    Site,
    TempoState,
    body_user,
    stamp,
    user_ref,
)
from gateway.emulators._tempo_teams import reviewers_of
from gateway.emulators.cast import TempoAccount

Period = tuple[date, date]
# status -> the actions it allows, in the order the docs list them
ACTIONS = {"OPEN": ("submit",), "IN_REVIEW": ("approve", "reject"), "APPROVED": ("reopen",)}
# action -> (the status it needs, the status it leads to)
TRANSITIONS = {
    "submit": ("OPEN", "IN_REVIEW"),
    "approve": ("IN_REVIEW", "APPROVED"),
    "reject": ("IN_REVIEW", "OPEN"),
    "reopen": ("APPROVED", "OPEN"),
}


def stored(state: TempoState, user: TempoAccount, period: Period) -> ApprovalRec:
    """The approval's state; a period nobody has touched is OPEN since it began."""
    untouched = ApprovalRec("OPEN", datetime.combine(period[0], time(), UTC))
    return state.approvals.get((user.account_id, period[0]), untouched)


def required_in(period: Period) -> int:
    return sum(required_seconds(d) for d in days_between(*period))


def spent_in(state: TempoState, user: TempoAccount, period: Period) -> int:
    start, end = period
    return sum(
        w.time_spent
        for w in state.worklogs.values()
        if w.author == user and start <= w.start_date <= end
    )


def render_approval(site: Site, user: TempoAccount, period: Period) -> JSON:
    rec = stored(site.state, user, period)
    query = f"from={period[0].isoformat()}&to={period[1].isoformat()}"
    own = f"{site.base}timesheet-approvals/user/{user.account_id}"
    status: JSON = {"key": rec.status}
    if rec.comment:
        status["comment"] = rec.comment
    if rec.actor:
        status["actor"] = user_ref(rec.actor)
    if rec.required_at_submit is not None:
        status["requiredSecondsAtSubmit"] = rec.required_at_submit
        status["timeSpentSecondsAtSubmit"] = rec.spent_at_submit
    status["updatedAt"] = stamp(rec.updated_at)
    doc: JSON = {
        "self": f"{own}?{query}",
        "period": {"from": period[0].isoformat(), "to": period[1].isoformat()},
        "requiredSeconds": required_in(period),
        "timeSpentSeconds": spent_in(site.state, user, period),
        "status": status,
        "user": user_ref(user),
    }
    if rec.reviewer:  # in the docs' examples, though not in their schema
        doc["reviewer"] = user_ref(rec.reviewer)
    doc["actions"] = {a: {"self": f"{own}/{a}?{query}"} for a in ACTIONS[rec.status]}
    doc["worklogs"] = {"self": f"{site.base}worklogs/user/{user.account_id}?{query}"}
    return doc


def seed_approvals(state: TempoState) -> None:
    """Last month's timesheets: most approved by a reviewer, every fifth still in review,
    the one after it rejected; this month's: every fourth submitted yesterday."""
    this_month = month_of(state.today)
    last_month = month_of(this_month[0] - timedelta(days=1))
    submitted = datetime.combine(last_month[1] + timedelta(days=1), time(9), UTC)
    decided = submitted + timedelta(days=2, hours=5)
    members = {m.user.account_id for m in state.memberships.values() if m.active_on(state.today)}
    people = [u for u in state.people.values() if u.account_id in members]
    for i, user in enumerate(people):
        reviewer = next((r for r in reviewers_of(state, user) if r != user), user)
        sums = {"required_at_submit": required_in(last_month),
                "spent_at_submit": spent_in(state, user, last_month)}  # fmt: skip
        if i % 5 == 0:
            last = ApprovalRec("IN_REVIEW", submitted, None, user, reviewer, **sums)
        elif i % 5 == 1:
            comment = "Please log the missing hours"
            last = ApprovalRec("OPEN", decided, comment, reviewer, reviewer, **sums)
        else:
            last = ApprovalRec("APPROVED", decided, None, reviewer, reviewer, **sums)
        state.approvals[(user.account_id, last_month[0])] = last
        if i % 4 == 0:
            now = {"required_at_submit": required_in(this_month),
                   "spent_at_submit": spent_in(state, user, this_month)}  # fmt: skip
            yesterday = state.now - timedelta(days=1)
            current = ApprovalRec("IN_REVIEW", yesterday, "Ready for review", user, reviewer, **now)
            state.approvals[(user.account_id, this_month[0])] = current


class TimesheetsApi:
    def __init__(self, state: TempoState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        user = "/timesheet-approvals/user/{account_id}"
        return [
            route("/periods", GET=self.list_periods),
            route("/user-schedule", GET=self.list_schedule),
            route("/user-schedule/{account_id}", GET=self.list_schedule),
            route("/timesheet-approvals/waiting", GET=self.list_waiting),
            route(user, GET=self.get_approval),
            route(f"{user}/reviewers", GET=self.list_reviewers),
            *(route(f"{user}/{action}", POST=self.act(action)) for action in TRANSITIONS),
            route("/timesheet-approvals/team/{id}", GET=self.list_team_approvals),
        ]

    # -- periods and schedules --------------------------------------------------------------------

    async def list_periods(self, request: Request) -> Response:
        lo, hi = required_range(request)
        periods = [{"from": s.isoformat(), "to": e.isoformat()} for s, e in months_between(lo, hi)]
        return JSONResponse({"periods": periods})

    async def list_schedule(self, request: Request) -> Response:
        lo, hi = required_range(request)
        return collection(request, [day_schedule(d) for d in days_between(lo, hi)])

    # -- approvals --------------------------------------------------------------------------------

    def _period(self, request: Request) -> Period:
        """The period containing ``from`` (or ``to``, or today when neither is given)."""
        day = query_date(request, "from") or query_date(request, "to") or self.state.today
        return month_of(day)

    def _user(self, request: Request) -> TempoAccount:
        found_user = self.state.people.get(request.path_params["account_id"])
        return found(found_user, "User not found")

    async def list_waiting(self, request: Request) -> Response:
        site, me = Site.of(self.state, request), self.state.me
        waiting = sorted(
            (start, user_id)
            for (user_id, start), rec in self.state.approvals.items()
            if rec.status == "IN_REVIEW" and rec.reviewer == me
        )
        results = [
            render_approval(site, self.state.people[user_id], month_of(start))
            for start, user_id in waiting
        ]
        return collection(request, results)

    async def get_approval(self, request: Request) -> Response:
        user, period = self._user(request), self._period(request)
        return JSONResponse(render_approval(Site.of(self.state, request), user, period))

    async def list_reviewers(self, request: Request) -> Response:
        reviewers = reviewers_of(self.state, self._user(request))
        return collection(request, [user_ref(r) for r in reviewers])

    def act(self, action: str) -> Handler:
        """The handler of one approval action, which needs and leads to a status."""
        needs, leads_to = TRANSITIONS[action]

        async def handler(request: Request) -> Response:
            state, user, period = self.state, self._user(request), self._period(request)
            body = await read_body(request)
            comment = body.text("comment")
            reviewer = None
            if action == "submit":
                reviewer = body_user(state, body, "reviewerAccountId", required=True)
                if reviewer and reviewer not in reviewers_of(state, user):
                    body.problem(f"{reviewer.display_name} cannot review this timesheet")
            body.check()
            rec = stored(state, user, period)
            if rec.status != needs:
                raise TempoError(400, f"Cannot {action} a timesheet that is {rec.status}")
            if action == "submit":
                rec = replace(rec, actor=user, reviewer=reviewer,
                              required_at_submit=required_in(period),
                              spent_at_submit=spent_in(state, user, period))  # fmt: skip
            else:  # the reviewer decides; without one (never submitted), the token's user
                rec = replace(rec, actor=rec.reviewer or state.me)
            rec = replace(rec, status=leads_to, comment=comment, updated_at=state.now)
            state.approvals[(user.account_id, period[0])] = rec
            return JSONResponse(render_approval(Site.of(state, request), user, period))

        return handler

    async def list_team_approvals(self, request: Request) -> Response:
        team_id = int_id(request.path_params["id"])
        found(self.state.teams.get(team_id), "Team not found")
        period, site = self._period(request), Site.of(self.state, request)
        by_user = self.state.memberships_in(team_id).values()
        users = [ms[0].user for ms in by_user if any(m.overlaps(*period) for m in ms)]
        return collection(request, [render_approval(site, u, period) for u in users])
