"""Tempo's timesheets and plans: periods, work schedules, timesheet approvals (a user's,
a team's, those waiting for the token's user) and plans (see `resolvers/services/tempo.py`
for the loader helpers). Per-user reads are batched by (user, arguments): a field asked of
many users costs one call per distinct user and arguments."""

from __future__ import annotations

from datetime import date

from resolvers.backends import tempo
from resolvers.backends.errors import BadRequest
from resolvers.backends.tempo import TempoClient
from resolvers.context import Context
from resolvers.services.tempo import once, per_key

Range = tuple[date, date]


def check_order(from_: date | None, to: date | None) -> None:
    if from_ is not None and to is not None and from_ > to:
        raise BadRequest(f"`from` ({from_}) is after `to` ({to}); swap them")


async def _periods(c: TempoClient, k: Range) -> list[tempo.Period]:
    return await c.list_periods(*k)


async def _schedule(c: TempoClient, k: tuple[str | None, date, date]) -> list[tempo.DaySchedule]:
    return await c.list_user_schedule(k[1], k[2], account_id=k[0])


async def _approval(
    c: TempoClient, k: tuple[str, date | None, date | None]
) -> tempo.TimesheetApproval | None:
    return await c.get_timesheet_approval(k[0], from_=k[1], to=k[2])


async def _team_approvals(
    c: TempoClient, k: tuple[int, date | None, date | None]
) -> list[tempo.TimesheetApproval]:
    return await c.list_team_timesheet_approvals(k[0], from_=k[1], to=k[2])


async def _plan(c: TempoClient, k: tuple[int, date | None, date | None]) -> tempo.Plan | None:
    return await c.get_plan(k[0], from_=k[1], to=k[2])


async def _user_plans(c: TempoClient, k: tuple[str, date, date, date | None]) -> list[tempo.Plan]:
    return await c.list_user_plans(k[0], k[1], k[2], updated_from=k[3])


async def list_periods(ctx: Context, from_: date, to: date) -> list[tempo.Period]:
    check_order(from_, to)
    return await per_key(ctx, "periods", _periods).load((from_, to))


async def list_schedule(
    ctx: Context, account_id: str | None, from_: date, to: date
) -> list[tempo.DaySchedule]:
    """Required time per day of `account_id`, or of the token's user when None."""
    check_order(from_, to)
    return await per_key(ctx, "schedule", _schedule).load((account_id, from_, to))


async def list_waiting_approvals(ctx: Context) -> list[tempo.TimesheetApproval]:
    loader = once(ctx, "approvals-waiting", TempoClient.list_waiting_timesheet_approvals)
    return await loader.get()


async def get_user_approval(
    ctx: Context, account_id: str, from_: date | None, to: date | None
) -> tempo.TimesheetApproval | None:
    check_order(from_, to)
    return await per_key(ctx, "user-approval", _approval).load((account_id, from_, to))


async def list_reviewers(ctx: Context, account_id: str) -> list[tempo.UserRef]:
    return await per_key(ctx, "reviewers", TempoClient.list_timesheet_reviewers).load(account_id)


async def list_team_approvals(
    ctx: Context, team_id: int, from_: date | None, to: date | None
) -> list[tempo.TimesheetApproval]:
    check_order(from_, to)
    return await per_key(ctx, "team-approvals", _team_approvals).load((team_id, from_, to))


# -- plans ----------------------------------------------------------------------------------


async def get_plan(
    ctx: Context, plan_id: int, from_: date | None, to: date | None
) -> tempo.Plan | None:
    check_order(from_, to)
    return await per_key(ctx, "plan", _plan).load((plan_id, from_, to))


async def list_user_plans(
    ctx: Context, account_id: str, from_: date, to: date, updated_from: date | None
) -> list[tempo.Plan]:
    check_order(from_, to)
    return await per_key(ctx, "user-plans", _user_plans).load((account_id, from_, to, updated_from))
