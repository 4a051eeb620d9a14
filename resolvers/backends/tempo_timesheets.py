"""The Tempo client's timesheets: periods, work schedules, and timesheet approvals with
their actions (submit, approve, reject, reopen)."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from resolvers.backends.tempo_base import (
    Period,
    TempoBase,
    TempoModel,
    Timestamp,
    UserRef,
    dates,
    seg,
)


class Holiday(TempoModel):
    """A holiday in a work schedule."""

    name: str
    """The holiday's name."""
    description: str | None = None
    """More about it."""
    duration_seconds: int
    """How much of the day it takes, in seconds."""


class DaySchedule(TempoModel):
    """One day of a user's work schedule."""

    day: date = Field(alias="date")
    """The day."""
    required_seconds: int
    """Time the user is required to work that day, in seconds."""
    type: str
    """WORKING_DAY, NON_WORKING_DAY, HOLIDAY or HOLIDAY_AND_NON_WORKING_DAY."""
    holiday: Holiday | None = None
    """The holiday on that day, if any."""


class _Periods(TempoModel):
    periods: list[Period]


class ApprovalStatus(TempoModel):
    """Where a timesheet is in its approval, and who put it there."""

    key: str
    """OPEN, IN_REVIEW or APPROVED."""
    comment: str | None = None
    """The comment left with the last action."""
    actor: UserRef | None = None
    """Who did the last action."""
    required_seconds_at_submit: int | None = None
    """Required time of the period when the timesheet was submitted, in seconds."""
    time_spent_seconds_at_submit: int | None = None
    """Time logged in the period when the timesheet was submitted, in seconds."""
    updated_at: Timestamp
    """When the status last changed."""


class TimesheetApproval(TempoModel):
    """One user's timesheet for one period. ``actions`` names what may be done next
    (``submit``, ``approve``, ``reject``, ``reopen``); ``reviewer`` is in the docs' examples,
    not their schema."""

    period: Period
    """The period the timesheet covers."""
    required_seconds: int
    """Time the user is required to work in the period, in seconds."""
    time_spent_seconds: int
    """Time the user logged in the period, in seconds."""
    status: ApprovalStatus
    """Where the timesheet is in its approval."""
    user: UserRef
    """Whose timesheet it is."""
    reviewer: UserRef | None = None
    """Who reviews it, once one is chosen."""
    actions: tuple[str, ...] = ()
    """What may be done next: submit, approve, reject, reopen."""

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("actions"), dict):
            return {**data, "actions": list(data["actions"])}
        return data


class TempoTimesheets(TempoBase):
    # -- periods and schedules --------------------------------------------------------------------

    async def list_periods(self, from_: date, to: date) -> list[Period]:
        """The timesheet periods overlapping ``from_``..``to``."""
        params = dates(from_=from_, to=to)
        return (await self.get_model("/periods", _Periods, params=params)).periods

    async def list_user_schedule(
        self, from_: date, to: date, *, account_id: str | None = None
    ) -> list[DaySchedule]:
        """Required seconds per day; of ``account_id``, or of the token's own user."""
        path = "/user-schedule" + (f"/{seg(account_id)}" if account_id else "")
        return await self._list(path, DaySchedule, dates(from_=from_, to=to))

    # -- approvals --------------------------------------------------------------------------------

    async def list_waiting_timesheet_approvals(self) -> list[TimesheetApproval]:
        """The timesheets awaiting the token's user's approval."""
        return await self._list("/timesheet-approvals/waiting", TimesheetApproval)

    async def get_timesheet_approval(
        self, account_id: str, *, from_: date | None = None, to: date | None = None
    ) -> TimesheetApproval | None:
        """The user's timesheet for the period containing ``from_`` (Tempo's current one
        by default); ``None`` when Tempo does not know the user."""
        path = f"/timesheet-approvals/user/{seg(account_id)}"
        return await self.get_optional(path, TimesheetApproval, params=dates(from_=from_, to=to))

    async def list_timesheet_reviewers(self, account_id: str) -> list[UserRef]:
        """Who may approve the user's timesheets."""
        path = f"/timesheet-approvals/user/{seg(account_id)}/reviewers"
        return await self._list_or_empty(path, UserRef)

    async def list_team_timesheet_approvals(
        self, team_id: int, *, from_: date | None = None, to: date | None = None
    ) -> list[TimesheetApproval]:
        """A timesheet per team member for one period; empty when there is no such team."""
        path = f"/timesheet-approvals/team/{team_id}"
        return await self._list_or_empty(path, TimesheetApproval, dates(from_=from_, to=to))

    async def submit_timesheet(
        self,
        account_id: str,
        reviewer_account_id: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        comment: str | None = None,
    ) -> TimesheetApproval:
        """OPEN -> IN_REVIEW, for one of the user's reviewers."""
        body = {"reviewerAccountId": reviewer_account_id, "comment": comment}
        return await self._act("submit", account_id, from_, to, body)

    async def approve_timesheet(
        self,
        account_id: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        comment: str | None = None,
    ) -> TimesheetApproval:
        """IN_REVIEW -> APPROVED."""
        return await self._act("approve", account_id, from_, to, {"comment": comment})

    async def reject_timesheet(
        self,
        account_id: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        comment: str | None = None,
    ) -> TimesheetApproval:
        """IN_REVIEW -> OPEN."""
        return await self._act("reject", account_id, from_, to, {"comment": comment})

    async def reopen_timesheet(
        self,
        account_id: str,
        *,
        from_: date | None = None,
        to: date | None = None,
        comment: str | None = None,
    ) -> TimesheetApproval:
        """APPROVED -> OPEN."""
        return await self._act("reopen", account_id, from_, to, {"comment": comment})

    async def _act(
        self,
        action: str,
        account_id: str,
        from_: date | None,
        to: date | None,
        body: dict[str, str | None],
    ) -> TimesheetApproval:
        path = f"/timesheet-approvals/user/{seg(account_id)}/{action}"
        given: dict[str, object] = {k: v for k, v in body.items() if v is not None}
        params = dates(from_=from_, to=to)
        return await self._write("POST", path, TimesheetApproval, given, params)
