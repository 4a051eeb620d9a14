"""Every TeamPulse row of ``tests/endpoints.csv`` is reached by one TeamPulseClient method.

Each row maps to a call of its client method against the emulator, with ids from the demo
data; the recorded request must match the row and be answered 2xx. A row without an entry in
:data:`CALLS` fails, so a new row cannot go unserved.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TypeVar

import pytest

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from resolvers.backends.teampulse import (
    Comment,
    SharedMessage,
    TeamPulseClient,
    TimeEntry,
    UnreadCounts,
)
from tests.conftest import emulator_http, mounted_emulator
from tests.endpoint_rows import Row, load_rows
from tests.recording import CallLog

BASE = "http://emulator" + MOUNTS["teampulse"]
AUTH = ("gateway", "demo-password")
ROWS = load_rows("teampulse")
DAY = date(2026, 11, 20)
R = TypeVar("R")
Probe = Callable[[TeamPulseClient], Awaitable[bool]]


async def _update_time_entry(client: TeamPulseClient) -> TimeEntry:
    created = await client.create_time_entry(date=DAY, hours=1, task_id=4011, user_id=2)
    return await client.update_time_entry(
        created.id, date=DAY, hours=2, task_id=4011, user_id=2, iversion=created.iversion
    )


async def _comment(client: TeamPulseClient) -> Comment:
    return await client.create_comment(
        project_id=1, work_item_id=109, work_item_type="Feedback", description="Nice"
    )


def case(call: Callable[[TeamPulseClient], Awaitable[R]], check: Callable[[R], bool]) -> Probe:
    """A row's client call, with a check that its answer is that row's payload."""

    async def probe(client: TeamPulseClient) -> bool:
        return check(await call(client))

    return probe


# (method, path as the row writes it) -> the client call that serves it.
CALLS: dict[tuple[str, str], Probe] = {
    ("GET", "/users/{user-id}"): case(
        lambda c: c.get_user(2), lambda u: u is not None and u.name == "bob"
    ),
    ("GET", "/users/me"): case(lambda c: c.get_me(), lambda u: u.name == "gateway"),
    ("GET", "/users"): case(lambda c: c.list_users(), lambda us: len(us) > 10),
    ("GET", "/activities/users"): case(lambda c: c.list_mention_users(), lambda us: len(us) > 10),
    ("GET", "/projects/{project-id}/users"): case(
        lambda c: c.list_project_users(1),
        lambda us: [u.name for u in us] == ["bob", "carmen", "dmitri.k", "erin"],
    ),
    ("GET", "/projects"): case(lambda c: c.list_projects(), lambda ps: len(ps) == 4),
    ("GET", "/tasks/{task-id}"): case(
        lambda c: c.get_task(4012), lambda t: t is not None and t.name == "Fix flaky login"
    ),
    ("GET", "/tasks"): case(lambda c: c.list_tasks(), lambda ts: len(ts) == 19),
    ("GET", "/projects/{project-id}/tasks"): case(
        lambda c: c.list_project_tasks(2),
        lambda ts: [t.id for t in ts] == [4020, 4021, 4022, 4023],
    ),
    ("POST", "/timeentries"): case(
        lambda c: c.create_time_entry(date=DAY, hours=1, task_id=4011, user_id=2),
        lambda e: (e.user.id, e.hours, e.iversion) == (2, 1.0, 0),
    ),
    ("GET", "/timeentries/{timeentry-id}"): case(
        lambda c: c.get_time_entry(3001),
        lambda e: e is not None and (e.id, e.user.name) == (3001, "bob"),
    ),
    ("PUT", "/timeentries/{timeentry-id}"): case(
        _update_time_entry,
        lambda e: (e.hours, e.iversion) == (2.0, 1),
    ),
    ("GET", "/timeentries"): case(
        lambda c: c.list_time_entries(start_date=DAY, end_date=DAY),
        lambda es: len(es) > 0 and {e.date for e in es} == {DAY},
    ),
    ("GET", "/projects/{project-id}/timeentrytypes"): case(
        lambda c: c.list_time_entry_types(2),
        lambda ts: [t.name for t in ts] == ["Billable", "Non Billable"],
    ),
    ("GET", "/activities"): case(lambda c: c.list_activities(), lambda a: len(a) == 6),
    ("GET", "/activities/count"): case(
        lambda c: c.get_unread_counts(),
        lambda n: n == UnreadCounts(flagged=1, unflagged=2, total=3),
    ),
    ("PUT", "/activities/seenupto/{activity-id}"): case(
        lambda c: c.mark_activities_seen(41606),
        lambda n: n == UnreadCounts(flagged=0, unflagged=0, total=0),
    ),
    ("POST", "/activities"): case(
        lambda c: c.share_message("hello world"),
        lambda m: m == SharedMessage(message="Teamgraph Gateway shared: hello world"),
    ),
    ("POST", "/comments"): case(
        _comment, lambda m: (m.work_item.id, m.description) == (109, "Nice")
    ),
}


def test_the_table_names_only_rows_of_the_service() -> None:
    assert set(CALLS) == {(row.method, row.path) for row in ROWS}


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
async def test_the_row_is_served_by_its_client_method(row: Row, cast: Cast) -> None:
    assert (row.method, row.path) in CALLS, f"no client method is listed for {row.id}"
    probe = CALLS[row.method, row.path]
    log = CallLog()
    http = emulator_http(
        mounted_emulator("teampulse", cast), service="teampulse", base_url=BASE, log=log, auth=AUTH
    )
    async with http:
        assert await probe(TeamPulseClient(http)), "the answer is not the row's payload"
    hits = [c for c in log.calls if row.matches(c)]
    assert hits, f"no request matched {row.id}: {[str(c) for c in log.calls]}"
    assert all(c.status is not None and 200 <= c.status < 300 for c in hits), hits
