"""`addTeamMember` and `removeTeamMember`: one person joins (or leaves) one team in every
service that knows both, or only in the services asked for.

How a change runs:

1. The person and the team are named without guessing (`names`).
2. Every service's part is planned (`member_steps`): reads only, so the whole input is
   checked before anything is written; a refusal (an unknown Tempo role or oncall roster)
   is a user error and nothing changes.
3. The writes run one service at a time, in the order Tempo, oncall, Team O'clock,
   Hack24. Each service's step ends APPLIED, SKIPPED (with the reason) or FAILED (with the
   error); a failure is also reported in `errors[]`.
4. With `atomic`, a failure while planning means nothing is written, and a failing write
   stops the run and undoes every applied write, newest first: steps then end COMPENSATED,
   or COMPENSATION_FAILED with what is left. Atomic is best effort, not a transaction:
   others may change the same things meanwhile, an undo can fail (and is not retried), and
   some undos are not exact (see `member_steps`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from resolvers.backends.errors import BackendError, BackendNotConfigured, Service
from resolvers.common import as_backend_error
from resolvers.context import Context
from resolvers.identity import Directory, Identity
from resolvers.unified.changes import (
    ChangeOutcome,
    Failure,
    Run,
    StepError,
    StepStatus,
    report,
)
from resolvers.unified.member_steps import PLANNERS, Ask, Plan, SkipReason
from resolvers.unified.names import person_named, team_named
from resolvers.writes import Outcome, Refused, UserError, run_write

# The services that have teams, in the order their writes run.
TEAM_SERVICES: tuple[Service, ...] = ("tempo", "oncall", "teamoclock", "hack24")


@dataclass
class ServiceStep:
    """What became of one service's part of the change."""

    service: Service
    status: StepStatus
    reason: SkipReason | None = None
    detail: str = ""  # why it was skipped or failed, in words
    error: StepError | None = None  # why it failed
    compensation_error: StepError | None = None  # why undoing it failed
    changes: list[str] = field(default_factory=list)  # the writes it made, in order
    left: list[str] = field(default_factory=list)  # of those, the ones still in place


@dataclass
class MembershipChange:
    """The outcome of adding or removing a team member, kept for the idempotency key."""

    team: Identity
    user: Identity
    atomic: bool
    outcome: ChangeOutcome
    steps: list[ServiceStep]


async def change_membership(
    ctx: Context,
    *,
    adding: bool,
    team: str,
    user: str,
    services: Sequence[Service] | None = None,
    role: str | None = None,
    commitment_percent: int | None = None,
    roster: str | None = None,
    in_rotation: bool = True,
    atomic: bool = False,
    key: str | None = None,
) -> Outcome[MembershipChange]:
    """Add (`adding`) or remove `user` in `team`, as the module docstring describes."""
    name = "addTeamMember" if adding else "removeTeamMember"
    touched: list[str] = []
    data = {
        "team": team, "user": user, "atomic": atomic, "role": role, "roster": roster,
        "services": sorted(services) if services is not None else None,
        "commitmentPercent": commitment_percent, "inRotation": in_rotation,
    }  # fmt: skip

    async def call() -> MembershipChange:
        _check(services, commitment_percent)
        person = await person_named(ctx, user, ("input", "user"))
        group = await team_named(ctx, team, ("input", "team"))
        ask = Ask(
            adding=adding, today=ctx.clock().date(), role=role,
            commitment_percent=commitment_percent, roster=roster, in_rotation=in_rotation,
            explicit=frozenset(services or ()),
        )  # fmt: skip
        plans = await _plans(ctx, group, person, ask, services)
        run = Run()
        try:
            steps = await _apply(run, plans, atomic=atomic)
        finally:
            touched.extend(run.touched)
            if run.touched:
                ctx.forget_reads()
        return MembershipChange(group, person, atomic, _outcome(steps, atomic, run), steps)

    outcome = await run_write(
        name=name, services=touched, caller=ctx.caller, data=data, key=key,
        idempotency=ctx.idempotency, result_type=MembershipChange, call=call,
        summary=_summary,
    )  # fmt: skip
    if outcome.result is not None:
        report(ctx, name, _failures(outcome.result.steps))
    return outcome


def _check(services: Sequence[Service] | None, commitment_percent: int | None) -> None:
    errors = []
    if services is not None and not services:
        errors.append(UserError("name at least one service, or leave `services` out for all",
                                "INVALID_INPUT", ("input", "services")))  # fmt: skip
    if commitment_percent is not None and not 0 <= commitment_percent <= 100:
        errors.append(UserError("a commitment is a percentage, from 0 to 100", "INVALID_INPUT",
                                ("input", "commitmentPercent")))  # fmt: skip
    if errors:
        raise Refused(*errors)


async def _plans(
    ctx: Context, team: Identity, person: Identity, ask: Ask, services: Sequence[Service] | None
) -> list[Plan]:
    """Every service's plan, read concurrently; the user errors of all of them at once."""
    order = list(TEAM_SERVICES)
    if "teampulse" in ask.explicit:
        order.append("teampulse")  # only to say it has no teams
    directory = await ctx.directory()
    found = await asyncio.gather(
        *(_plan(ctx, directory, s, team, person, ask, services) for s in order)
    )
    refused = [e for r in found if isinstance(r, Refused) for e in r.errors]
    if refused:
        raise Refused(*refused)
    return [p for p in found if isinstance(p, Plan)]


async def _plan(
    ctx: Context,
    directory: Directory,
    service: Service,
    team: Identity,
    person: Identity,
    ask: Ask,
    services: Sequence[Service] | None,
) -> Plan | Refused:
    if services is not None and service not in services:
        return Plan.skip(service, "NOT_ASKED", "not in `services`")
    if service not in ctx.backends.configured():
        if service in ask.explicit:
            return Plan(service, error=StepError.of(BackendNotConfigured(service)))
        return Plan.skip(service, "NOT_CONFIGURED", "not configured in this gateway")
    failed = directory.failures.get(service)
    team_id, account = team.id_in(service), person.id_in(service)
    if service != "teampulse" and (team_id is None or account is None) and failed:
        return Plan(service, error=StepError.of(failed))  # unknown there, or just unlisted?
    if service != "teampulse" and team_id is None:
        return Plan.skip(service, "TEAM_UNKNOWN", f"{service} does not know team {team.key}")
    if service != "teampulse" and account is None:
        return Plan.skip(service, "PERSON_UNKNOWN", f"{service} does not know {person.key}")
    try:
        return await PLANNERS[(service, ask.adding)](ctx, team_id or "", account or "", ask)
    except Refused as exc:
        return exc
    except BackendError as exc:
        return Plan(service, error=StepError.of(exc))
    except Exception as exc:  # our bug: logged in full, reported for this service alone
        return Plan(service, error=StepError.of(as_backend_error(service, exc)))


async def _apply(run: Run, plans: list[Plan], *, atomic: bool) -> list[ServiceStep]:
    """Run the plans' writes in order; with `atomic`, stop at a failure and undo."""
    stopper = next((p.service for p in plans if p.error), None) if atomic else None
    steps: list[ServiceStep] = []
    for plan in plans:
        s = plan.service
        if plan.error is not None:
            steps.append(ServiceStep(s, "FAILED", detail="reading what is there failed",
                                     error=plan.error))  # fmt: skip
        elif plan.reason is not None:
            steps.append(ServiceStep(s, "SKIPPED", plan.reason, plan.detail))
        elif stopper is not None:
            why = f"not attempted: {stopper} failed and the change is atomic"
            steps.append(ServiceStep(s, "SKIPPED", "NOT_ATTEMPTED", why))
        else:
            error = None
            for operation in plan.operations:
                if (error := await run.apply(operation)) is not None:
                    break
            status: StepStatus = "APPLIED" if error is None else "FAILED"
            detail = "" if error is None else "the write failed"
            steps.append(ServiceStep(s, status, None, detail, error, changes=run.changes(s)))
            if error is not None and atomic:
                stopper = s
    failed = any(step.status == "FAILED" for step in steps)
    if not (atomic and failed and run.applied):
        for step in steps:
            step.left = list(step.changes)
        return steps
    undone = await run.undo()
    for step in steps:
        if not step.changes:
            continue
        step.left = undone.left(step.service)
        step.compensation_error = undone.error(step.service)
        if step.compensation_error is not None:
            step.status = "COMPENSATION_FAILED"
        elif step.status == "APPLIED":
            step.status = "COMPENSATED"
    return steps


def _outcome(steps: list[ServiceStep], atomic: bool, run: Run) -> ChangeOutcome:
    statuses = {s.status for s in steps}
    if "COMPENSATION_FAILED" in statuses:
        return "ROLLBACK_FAILED"
    if "FAILED" in statuses:
        if atomic and run.applied:
            return "ROLLED_BACK"
        return "PARTIAL" if any(s.left for s in steps) else "FAILED"
    return "CHANGED" if "APPLIED" in statuses else "UNCHANGED"


def _failures(steps: list[ServiceStep]) -> list[Failure]:
    found = []
    for s in steps:
        if s.status == "COMPENSATION_FAILED" and s.compensation_error is not None:
            found.append(Failure(s.service, s.status, s.compensation_error, s.left))
        elif s.status == "FAILED" and s.error is not None:
            found.append(Failure(s.service, s.status, s.error, s.left))
    return found


def _summary(change: MembershipChange) -> str:
    """The log line's outcome: "changed", "rolled back (teamoclock failed)", …"""
    said = change.outcome.lower().replace("_", " ")
    failed = [s.service for s in change.steps if s.status in ("FAILED", "COMPENSATION_FAILED")]
    return f"{said} ({', '.join(failed)} failed)" if failed else said
