"""TempoClient's timesheet approvals against the emulator and the docs' examples."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.errors import UpstreamRejected
from resolvers.backends.tempo import ApprovalStatus, Period, TempoClient, TimesheetApproval
from tests.recording import CallLog
from tests.resolvers.backends.tempo_clients import (
    JOHN,
    JOHN_REF,
    answering,
    calls,
    open_client,
    ref,
)


@pytest.fixture
async def client(cast: Cast, call_log: CallLog) -> AsyncIterator[TempoClient]:
    async with open_client(cast, call_log) as client:
        yield client


OCTOBER = Period(from_=date(2026, 10, 1), to=date(2026, 10, 31))


async def test_one_approval(client: TempoClient, cast: Cast, call_log: CallLog) -> None:
    farid = ref(cast, "farid")
    approval = await client.get_timesheet_approval(farid.account_id, from_=date(2026, 10, 1))
    assert approval == TimesheetApproval(
        period=OCTOBER, required_seconds=633600, time_spent_seconds=37800,
        status=ApprovalStatus(key="IN_REVIEW", actor=farid, required_seconds_at_submit=633600,
                              time_spent_seconds_at_submit=37800,
                              updated_at=datetime(2026, 11, 1, 9, tzinfo=UTC)),
        user=farid, reviewer=ref(cast, "alice"), actions=("approve", "reject"),
    )  # fmt: skip
    assert await client.get_timesheet_approval("nobody") is None
    assert calls(call_log) == [
        f"tempo GET /timesheet-approvals/user/{farid.account_id}?from=2026-10-01",
        "tempo GET /timesheet-approvals/user/nobody",
    ]


async def test_waiting_reviewers_and_team(client: TempoClient, cast: Cast) -> None:
    waiting = await client.list_waiting_timesheet_approvals()
    assert [(a.user.display_name, a.period.from_) for a in waiting] == [
        ("Farid Haddad", date(2026, 10, 1)), ("Erin Walsh", date(2026, 11, 1)),
    ]  # fmt: skip
    reviewers = await client.list_timesheet_reviewers(ref(cast, "grace").account_id)
    assert reviewers == [ref(cast, "grace"), ref(cast, "alice")]
    assert await client.list_timesheet_reviewers("nobody") == []
    team = await client.list_team_timesheet_approvals(4, from_=date(2026, 10, 1))
    assert len(team) == 6 and {a.period for a in team} == {OCTOBER}  # Wen has no Tempo account
    assert await client.list_team_timesheet_approvals(99) == []


async def test_the_approval_verbs(client: TempoClient, cast: Cast) -> None:
    bob, alice = ref(cast, "bob"), ref(cast, "alice")
    submitted = await client.submit_timesheet(bob.account_id, alice.account_id, comment="Done")
    assert (submitted.status.key, submitted.status.comment, submitted.reviewer) == (
        "IN_REVIEW", "Done", alice,
    )  # fmt: skip
    approved = await client.approve_timesheet(bob.account_id, comment="Thanks")
    assert (approved.status.key, approved.status.actor, approved.actions) == (
        "APPROVED", alice, ("reopen",),
    )  # fmt: skip
    reopened = await client.reopen_timesheet(bob.account_id)
    assert (reopened.status.key, reopened.status.comment, reopened.actions) == (
        "OPEN", None, ("submit",),
    )  # fmt: skip
    await client.submit_timesheet(bob.account_id, alice.account_id)
    rejected = await client.reject_timesheet(bob.account_id, comment="Missing Monday")
    assert (rejected.status.key, rejected.status.comment) == ("OPEN", "Missing Monday")
    with pytest.raises(UpstreamRejected, match="Cannot approve a timesheet that is OPEN"):
        await client.approve_timesheet(bob.account_id)
    october = await client.approve_timesheet(
        ref(cast, "farid").account_id, from_=date(2026, 10, 1), to=date(2026, 10, 31)
    )
    assert (october.period, october.status.key) == (OCTOBER, "APPROVED")


async def test_reads_the_documented_approval() -> None:
    doc = {
        "self": "x", "period": {"from": "2017-12-01", "to": "2017-12-31"},
        "requiredSeconds": 604800, "timeSpentSeconds": 576000,
        "status": {"key": "OPEN", "comment": "Rejected", "actor": JOHN,
                   "requiredSecondsAtSubmit": 604800, "timeSpentSecondsAtSubmit": 576000,
                   "updatedAt": "2017-02-23T15:07:00Z"},
        "user": JOHN, "reviewer": JOHN,
        "actions": {"approve": {"self": "a"}, "reject": {"self": "r"}},
        "worklogs": {"self": "w"},
    }  # fmt: skip
    approval = await answering(doc).reject_timesheet("1111aaaa2222bbbb3333cccc")
    assert (approval.status.actor, approval.reviewer, approval.actions) == (
        JOHN_REF, JOHN_REF, ("approve", "reject"),
    )  # fmt: skip
    assert approval.period == Period(from_=date(2017, 12, 1), to=date(2017, 12, 31))
