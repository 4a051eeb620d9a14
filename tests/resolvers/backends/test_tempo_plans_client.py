"""TempoClient's plans against the emulator and the docs' examples."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.errors import UpstreamRejected
from resolvers.backends.tempo import Plan, PlanInput, PlanPeriod, TempoClient
from tests.conftest import NOW
from tests.recording import CallLog
from tests.resolvers.backends.tempo_clients import (
    DOCS,
    DOCS_USER,
    answering,
    calls,
    open_client,
    ref,
)


@pytest.fixture
async def client(cast: Cast, call_log: CallLog) -> AsyncIterator[TempoClient]:
    async with open_client(cast, call_log) as client:
        yield client


async def test_get_a_plan_and_expand_its_recurrences(
    client: TempoClient, cast: Cast, call_log: CallLog
) -> None:
    plan = await client.get_plan(1)
    created = datetime(2026, 11, 13, 10, 30, tzinfo=UTC)
    assert plan == Plan(
        id=1, start_date=date(2026, 11, 23), end_date=date(2026, 11, 23),
        description="Backlog grooming for Platform", created_at=created, updated_at=created,
        assignee_type="USER", assignee_id=ref(cast, "alice").account_id,
        plan_item_type="PROJECT", plan_item_id="10001", rule="WEEKLY",
        recurrence_end_date=date(2027, 1, 18),
        dates=(PlanPeriod(from_=date(2026, 11, 23), to=date(2026, 11, 23),
                          time_planned_seconds=7200),),
    )  # fmt: skip
    december = await client.get_plan(1, from_=date(2026, 12, 1), to=date(2026, 12, 31))
    assert december is not None and len(december.dates) == 4
    assert await client.get_plan(99) is None
    assert calls(call_log) == [
        "tempo GET /plans/1",
        "tempo GET /plans/1?from=2026-12-01&to=2026-12-31",
        "tempo GET /plans/99",
    ]


async def test_a_users_plans(client: TempoClient, cast: Cast) -> None:
    bob = ref(cast, "bob").account_id
    plans = await client.list_user_plans(bob, date(2026, 11, 1), date(2026, 12, 31))
    assert [(p.id, p.plan_item_type, p.plan_item_id) for p in plans] == [(2, "ISSUE", "PLAT-12")]
    assert plans[0].dates[0].time_planned_seconds == 5 * 4 * 3600
    later = await client.list_user_plans(
        bob, date(2026, 11, 1), date(2026, 12, 31), updated_from=date(2026, 11, 20)
    )
    assert later == []


async def test_plan_writes(client: TempoClient, cast: Cast) -> None:
    erin = ref(cast, "erin").account_id
    body = PlanInput(start_date=date(2026, 12, 1), end_date=date(2026, 12, 2),
                     planned_per_day_seconds=1800, account_id=erin, rule="BI_WEEKLY",
                     recurrence_end_date=date(2026, 12, 31), issue_key="PLAT-12")  # fmt: skip
    created = await client.create_plan(body)
    assert (created.id, created.rule, created.assignee_id, created.created_at) == (
        13, "BIWEEKLY", erin, NOW,
    )  # fmt: skip
    replaced = await client.update_plan(
        13, body.model_copy(update={"issue_key": None, "project_key": "DATA", "rule": None})
    )
    assert (replaced.plan_item_type, replaced.plan_item_id, replaced.rule) == (
        "PROJECT", "10004", "NEVER",
    )  # fmt: skip
    await client.delete_plan(13)
    assert await client.get_plan(13) is None
    with pytest.raises(UpstreamRejected, match="Issue not found"):
        await client.create_plan(body.model_copy(update={"issue_key": "NOPE-1"}))


async def test_reads_the_documented_plan() -> None:
    doc = {
        "self": f"{DOCS}/plans/223", "id": 223, "startDate": "2017-07-13",
        "endDate": "2017-11-13", "description": "This is an issue plan",
        "createdAt": "2017-02-23T15:07:00Z", "updatedAt": "2017-02-23T15:07:00Z",
        "assignee": {"self": DOCS_USER + "1111aaaa2222bbbb3333cccc", "type": "USER"},
        "planItem": {"self": "https://my-cloud-instance.atlassian.net/rest/api/2/issue/ISS-555",
                     "type": "ISSUE"},
        "recurrence": {"rule": "MONTHLY", "recurrenceEndDate": "2018-12-31"},
        "dates": {"metadata": {"count": 2, "all": f"{DOCS}/plans/123?from=2017-07-13"},
                  "values": [{"from": "2017-11-13", "to": "2017-11-13",
                              "timePlannedSeconds": 3600}]},
    }  # fmt: skip
    plan = await answering(doc).get_plan(223)
    assert plan is not None
    assert (plan.assignee_id, plan.plan_item_id, plan.rule) == (
        "1111aaaa2222bbbb3333cccc", "ISS-555", "MONTHLY",
    )  # fmt: skip
    assert plan.dates == (PlanPeriod(from_=date(2017, 11, 13), to=date(2017, 11, 13),
                                     time_planned_seconds=3600),)  # fmt: skip
