"""TempoClient's worklogs against the emulator: one-page slices, every list, the writes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, time

import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.base import Slice
from resolvers.backends.errors import BadRequest, UpstreamRejected
from resolvers.backends.tempo import (
    TempoClient,
    WorkAttributeValue,
    Worklog,
    WorklogInput,
)
from tests.conftest import NOW
from tests.recording import CallLog
from tests.resolvers.backends.tempo_clients import answering, calls, open_client, ref


@pytest.fixture
async def client(cast: Cast, call_log: CallLog) -> AsyncIterator[TempoClient]:
    async with open_client(cast, call_log) as client:
        yield client


async def test_pages_of_worklogs_one_at_a_time(client: TempoClient, call_log: CallLog) -> None:
    first = await client.list_worklogs_page(limit=100)
    assert (len(first.items), first.next, first.total) == (100, "100", 272)
    second = await client.list_worklogs_page(limit=100, after=first.next)
    last = await client.list_worklogs_page(limit=100, after=second.next)
    assert (second.next, len(last.items), last.next, last.total) == ("200", 72, None, 272)
    assert first.items + second.items + last.items == await client.list_worklogs()
    assert calls(call_log)[:3] == [
        "tempo GET /worklogs?limit=100",
        "tempo GET /worklogs?limit=100&offset=100",
        "tempo GET /worklogs?limit=100&offset=200",
    ]


async def test_a_page_keeps_its_filters(client: TempoClient, call_log: CallLog) -> None:
    page = await client.list_worklogs_page(
        from_=date(2026, 11, 1), projects=["PLAT", "DATA"], issues=[], limit=5
    )
    assert calls(call_log) == [
        "tempo GET /worklogs?from=2026-11-01&limit=5&project=DATA&project=PLAT"
    ]
    assert page.next == "5" and page.total is not None and page.total > 5
    assert all(w.start_date >= date(2026, 11, 1) for w in page.items)
    assert {w.issue_key.split("-")[0] for w in page.items} <= {"PLAT", "DATA"}


async def test_a_bad_cursor_or_limit_is_the_callers_mistake(client: TempoClient) -> None:
    with pytest.raises(BadRequest, match="after must be an offset"):
        await client.list_user_worklogs_page("x", after="abc")
    with pytest.raises(BadRequest, match="limit must be between 1 and 1000"):
        await client.list_team_worklogs_page(1, limit=0)


async def test_next_is_counted_when_the_link_has_no_offset() -> None:
    worklog = {
        "self": "w", "tempoWorklogId": 1, "issue": {"self": "i", "key": "A-1"},
        "timeSpentSeconds": 60, "startDate": "2026-11-02", "startTime": "09:00:00",
        "description": "", "createdAt": "2026-11-02T10:00:00Z",
        "updatedAt": "2026-11-02T10:00:00Z",
        "author": {"self": "u", "accountId": "a", "displayName": "A"},
    }  # fmt: skip
    page = {"self": "x", "metadata": {"count": 9, "next": "http://emulator/x?page=2"},
            "results": [worklog, worklog]}  # fmt: skip
    found = await answering(page).list_project_worklogs_page("A", after="4", limit=2)
    assert (found.next, found.total, len(found.items)) == ("6", 9, 2)


async def test_every_list_has_its_page(client: TempoClient, cast: Cast) -> None:
    alice = ref(cast, "alice").account_id
    issue = (await client.list_project_worklogs("PAYM"))[0].issue_key
    pairs = [
        (client.list_team_worklogs(2), client.list_team_worklogs_page(2, limit=1000)),
        (client.list_user_worklogs(alice), client.list_user_worklogs_page(alice, limit=1000)),
        (client.list_project_worklogs("MOBI"),
         client.list_project_worklogs_page("MOBI", limit=1000)),
        (client.list_issue_worklogs(issue), client.list_issue_worklogs_page(issue, limit=1000)),
        (client.list_account_worklogs("DATA_DEV"),
         client.list_account_worklogs_page("DATA_DEV", limit=1000)),
        (client.list_filter_worklogs(10100),
         client.list_filter_worklogs_page(10100, limit=1000)),
    ]  # fmt: skip
    for whole, one_page in pairs:
        everything, page = await whole, await one_page
        assert everything and page == Slice(everything, next=None, total=len(everything))
    assert await client.list_issue_worklogs_page("PLAT-0") == Slice([], total=0)


async def test_account_and_filter_worklogs(client: TempoClient) -> None:
    platform = await client.list_project_worklogs("PLAT", from_=date(2026, 11, 9))
    assert await client.list_account_worklogs("PLAT_DEV", from_=date(2026, 11, 9)) == platform
    assert await client.list_filter_worklogs(10101, from_=date(2026, 11, 9)) == platform
    assert await client.list_account_worklogs("PLAT_OPS") == []
    updated = await client.list_filter_worklogs(10100, updated_from=date(2026, 11, 20))
    assert updated and all(w.updated_at.date() >= date(2026, 11, 20) for w in updated)


async def test_create_update_and_delete_a_worklog(client: TempoClient, cast: Cast) -> None:
    bob = ref(cast, "bob")
    body = WorklogInput(
        issue_key="PLAT-12", time_spent_seconds=3600, start_date=date(2026, 11, 23),
        start_time=time(9, 30), author_account_id=bob.account_id, description="Hotfix",
        attributes=(WorkAttributeValue(key="_COLOR_", value="red"),),
    )  # fmt: skip
    created = await client.create_worklog(body)
    assert created == Worklog(
        tempo_worklog_id=1273, jira_worklog_id=10273, issue_key="PLAT-12",
        time_spent_seconds=3600, billable_seconds=3600, start_date=date(2026, 11, 23),
        start_time=time(9, 30), description="Hotfix", created_at=NOW, updated_at=NOW,
        author=bob, attributes=(WorkAttributeValue(key="_COLOR_", value="red"),),
    )  # fmt: skip
    assert created in await client.list_user_worklogs(bob.account_id, from_=date(2026, 11, 23))
    assert await client.get_work_attribute_value(1273, "_COLOR_") == WorkAttributeValue(
        key="_COLOR_", value="red"
    )
    assert await client.get_work_attribute_value(1273, "_EXTERNALREF_") is None
    moved = body.model_copy(update={"issue_key": "DATA-24", "attributes": ()})
    updated = await client.update_worklog(1273, moved)
    assert (updated.issue_key, updated.attributes, updated.created_at) == ("DATA-24", (), NOW)
    assert updated in await client.list_account_worklogs("DATA_DEV")
    await client.delete_worklog(1273)
    assert await client.get_worklog(1273) is None
    assert await client.get_worklog_by_jira_id(10273) is None


async def test_a_rejected_worklog_lists_every_reason(client: TempoClient) -> None:
    body = WorklogInput(issue_key="NOPE-1", time_spent_seconds=0, start_date=date(2026, 11, 2),
                        start_time=time(9), author_account_id="ghost")  # fmt: skip
    with pytest.raises(UpstreamRejected) as caught:
        await client.create_worklog(body)
    assert str(caught.value).endswith(
        "answered 400: Issue not found; Invalid time duration entered; "
        "User with accountId 'ghost' does not exist"
    )


def test_a_worklog_body_is_tempos_camel_case_json() -> None:
    body = WorklogInput(
        issue_key="A-1", time_spent_seconds=60, start_date=date(2026, 1, 2),
        start_time=time(8, 5), author_account_id="a", billable_seconds=30,
    )  # fmt: skip
    assert body.body() == {
        "issueKey": "A-1", "timeSpentSeconds": 60, "startDate": "2026-01-02",
        "startTime": "08:05:00", "authorAccountId": "a", "billableSeconds": 30,
        "attributes": [],
    }  # fmt: skip
