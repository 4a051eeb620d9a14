"""TeamPulseClient against the TeamPulse emulator, plus the faults only a mock can make."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta

import httpx
import orjson
import pytest
from pydantic import TypeAdapter
from starlette.types import ASGIApp

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from resolvers.backends.errors import (
    UpstreamBadResponse,
    UpstreamNotFound,
    UpstreamRejected,
    UpstreamUnauthorized,
    UpstreamUnavailable,
)
from resolvers.backends.teampulse import (
    Activity,
    Estimate,
    Project,
    Task,
    TaskRef,
    TeamPulseClient,
    TimeEntry,
    UnreadCounts,
    User,
    UserRef,
)
from tests.conftest import emulator_http, mounted_emulator
from tests.recording import Call, CallLog

BASE = "http://emulator" + MOUNTS["teampulse"]
AUTH = ("gateway", "demo-password")
TODAY = date(2026, 11, 23)  # conftest's NOW
BOB = User(id=2, name="bob", display_name="Bob Okafor")


def mounted(cast: Cast, *, faults: Faults | None = None) -> ASGIApp:
    return mounted_emulator("teampulse", cast, faults=faults)


def client_for(
    app: ASGIApp, *, log: CallLog | None = None, auth: tuple[str, str] = AUTH
) -> TeamPulseClient:
    return TeamPulseClient(
        emulator_http(app, service="teampulse", base_url=BASE, log=log, auth=auth)
    )


@pytest.fixture
async def client(cast: Cast, call_log: CallLog) -> AsyncIterator[TeamPulseClient]:
    tp = client_for(mounted(cast), log=call_log)
    async with tp.http:
        yield tp


def mocked(handler: Callable[[httpx.Request], httpx.Response]) -> TeamPulseClient:
    return TeamPulseClient(
        httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://tp.test/api")
    )


def answering(body: object, status: int = 200) -> TeamPulseClient:
    return mocked(lambda request: httpx.Response(status, content=orjson.dumps(body)))


def get(path: str, **params: str) -> Call:
    return Call("teampulse", "GET", path, tuple(sorted(params.items())))


# -- users and projects ------------------------------------------------------------------


async def test_users(client: TeamPulseClient, cast: Cast, call_log: CallLog) -> None:
    users = await client.list_users()
    expected = sorted(p.teampulse.id for p in cast.people if p.teampulse)
    assert [u.id for u in users] == expected
    assert BOB in users
    assert User(id=90, name="yusuf", display_name="Yusuf Demir") in users
    assert await client.list_mention_users() == users
    assert await client.get_user(9) == User(id=9, name="ines", display_name="Ines Costa")
    assert await client.get_user(4242) is None
    assert await client.get_me() == User(id=999, name="gateway", display_name="Teamgraph Gateway")
    assert call_log.of("teampulse") == [
        get("/users"), get("/activities/users"), get("/users/9"), get("/users/4242"),
        get("/users/me"),
    ]  # fmt: skip


async def test_projects_and_their_users(client: TeamPulseClient) -> None:
    assert await client.list_projects() == [
        Project(id=1, name="Platform"),
        Project(id=2, name="Payments"),
        Project(id=3, name="Mobile"),
        Project(id=4, name="Data & Analytics"),
    ]
    platform = await client.list_project_users(1)
    assert [u.name for u in platform] == ["bob", "carmen", "dmitri.k", "erin"]
    with pytest.raises(UpstreamNotFound) as raised:
        await client.list_project_users(77)
    assert "Project 77 does not exist." in str(raised.value)


# -- tasks -------------------------------------------------------------------------------


async def test_tasks_map_the_sentinel_project_and_empty_estimate_to_none(
    client: TeamPulseClient,
) -> None:
    tasks = {t.id: t for t in await client.list_tasks()}
    vacation = tasks[75090]
    assert (vacation.name, vacation.project, vacation.work_item) == ("Vacation", None, None)
    assert vacation.estimate is None and vacation.work_completed is None
    meetings = tasks[4010]
    assert meetings.project == Project(id=1, name="Platform") and meetings.work_item is None
    assert meetings.estimate is None and meetings.work_completed is not None
    story = tasks[4011]
    assert story.work_item is not None
    assert (story.work_item.name, story.work_item.type, story.work_item.estimate) == (
        "Story #101", "Story", 10.0
    )  # fmt: skip
    assert story.estimate == Estimate(optimistic=5.0, probable=10.0, pessimistic=15.0, pert=10.0)


async def test_single_task_and_project_tasks(client: TeamPulseClient) -> None:
    task = await client.get_task(4012)
    assert task is not None and task.name == "Fix flaky login"
    assert await client.get_task(1) is None
    payments = await client.list_project_tasks(2)
    assert [t.id for t in payments] == [4020, 4021, 4022, 4023]
    assert {t.project.name for t in payments if t.project} == {"Payments"}


async def test_time_entry_types(client: TeamPulseClient) -> None:
    types = await client.list_time_entry_types(2)
    assert [(t.id, t.name, t.sequence_number, t.project.id) for t in types] == [
        (21, "Billable", 1, 2), (22, "Non Billable", 2, 2)
    ]  # fmt: skip


# -- time entries ------------------------------------------------------------------------


async def test_time_entries_in_an_inclusive_range(
    client: TeamPulseClient, call_log: CallLog
) -> None:
    friday = date(2026, 11, 20)
    entries = await client.list_time_entries(start_date=friday, end_date=TODAY)
    assert call_log.of("teampulse") == [
        get("/timeentries", startDate="2026-11-20", endDate="2026-11-23")
    ]
    assert {e.date for e in entries} == {friday, TODAY}
    bob = [e for e in entries if e.user.id == 2]
    assert bob and all(e.user == UserRef(id=2, name="bob", display_name="Bob Okafor") for e in bob)
    assert all(isinstance(e.task, Task) for e in entries)
    assert {e.type for e in entries} <= {"Billable", "Non-Billable", "Non Billable", ""}


async def test_time_entries_without_bounds_send_no_params(
    client: TeamPulseClient, call_log: CallLog
) -> None:
    entries = await client.list_time_entries()
    assert call_log.of("teampulse") == [get("/timeentries")]
    assert min(e.date for e in entries) == date(2026, 10, 27)
    leave = next(e for e in entries if e.task.id == 75090)
    assert isinstance(leave.task, Task) and leave.task.project is None
    assert leave.billable is None  # type ""
    await client.list_time_entries(end_date=date(2026, 10, 27))
    assert call_log.of("teampulse")[-1] == get("/timeentries", endDate="2026-10-27")


async def test_entries_that_name_the_same_task_share_one_validated_task(
    client: TeamPulseClient,
) -> None:
    """The list is validated with each distinct embedded task and user built once: the
    answer is exactly what validating every item in full gives."""
    entries = await client.list_time_entries(start_date=TODAY - timedelta(days=27), end_date=TODAY)
    raw = await client.http.get(
        "/timeentries", params={"startDate": str(TODAY - timedelta(days=27)), "endDate": str(TODAY)}
    )
    assert entries == TypeAdapter(list[TimeEntry]).validate_json(raw.content)
    by_task: dict[int, list[TimeEntry]] = {}
    for e in entries:
        by_task.setdefault(e.task.id, []).append(e)
    shared = [same for same in by_task.values() if len(same) > 1]
    assert shared and all(e.task is same[0].task for same in shared for e in same)


def _entry(ident: int, task: object, **extra: object) -> dict[str, object]:
    user = {"id": 2, "name": "bob", "displayName": "Bob Okafor"}
    return {"id": ident, "date": "2026-11-20", "hours": 1.0, "user": user, "task": task} | extra


async def test_a_repeated_task_id_with_other_content_is_validated_again() -> None:
    """Reuse needs the same content, not just the same id: the upstream decides what an
    entry says, even when it contradicts itself."""
    first = {"id": 7, "name": "Meetings", "project": {"id": -1, "name": ""}}
    renamed = {"id": 7, "name": "Meetings (renamed)", "estimate": {}}
    ref = {"id": 7, "workCompleted": 3.0}  # what a write answer embeds
    entries = await answering(
        [_entry(1, first), _entry(2, renamed), _entry(3, ref), _entry(4, first)]
    ).list_time_entries(end_date=TODAY)
    tasks = [e.task for e in entries]
    assert tasks == [
        Task(id=7, name="Meetings"),
        Task(id=7, name="Meetings (renamed)"),
        TaskRef(id=7, work_completed=3.0),
        Task(id=7, name="Meetings"),
    ]
    assert tasks[0] is not tasks[1]


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        ({"name": "Meetings"}, "first at 2.task"),  # no id: fits neither form
        ({"id": "seven"}, "first at 2.task"),
        ("not an object", "first at 2.task"),
    ],
    ids=str,
)
async def test_a_bad_embedded_task_is_located_in_its_entry(bad: object, where: str) -> None:
    good = {"id": 7, "name": "Meetings"}
    body = [_entry(1, good), _entry(2, good), _entry(3, bad)]
    with pytest.raises(UpstreamBadResponse) as raised:
        await answering(body).list_time_entries(end_date=TODAY)
    assert "GET /api/timeentries" in str(raised.value) and where in str(raised.value)


async def test_time_entries_that_are_not_json_say_so() -> None:
    client = mocked(lambda request: httpx.Response(200, content=b"<html>maintenance</html>"))
    with pytest.raises(UpstreamBadResponse) as raised:
        await client.list_time_entries(end_date=TODAY)
    assert "not JSON" in str(raised.value) and "maintenance" in str(raised.value)


async def test_get_time_entry(client: TeamPulseClient) -> None:
    entry = await client.get_time_entry(3001)
    assert entry is not None
    assert (entry.id, entry.date, entry.user.name) == (3001, date(2026, 10, 27), "bob")
    assert isinstance(entry.task, Task) and entry.task.name == "Build the public API"
    assert await client.get_time_entry(1) is None


async def test_create_and_update_a_time_entry(client: TeamPulseClient, call_log: CallLog) -> None:
    created = await client.create_time_entry(
        date=date(2026, 11, 20), hours=2, task_id=4011, user_id=2, type="Billable", note="Demo"
    )
    assert (created.date, created.hours, created.type, created.note) == (
        date(2026, 11, 20), 2.0, "Billable", "Demo"
    )  # fmt: skip
    assert created.user == UserRef(id=2) and created.iversion == 0
    assert isinstance(created.task, TaskRef) and created.task.id == 4011
    assert created.billable is True
    updated = await client.update_time_entry(
        created.id, date=date(2026, 11, 21), hours=1.5, task_id=4011, user_id=2,
        iversion=created.iversion, type="Non-Billable",
    )  # fmt: skip
    assert (updated.hours, updated.iversion, updated.note) == (1.5, 1, "Demo")
    assert updated.billable is False
    stored = await client.get_time_entry(created.id)
    assert stored is not None and stored.date == date(2026, 11, 21)
    with pytest.raises(UpstreamRejected) as raised:  # the iversion read before is stale now
        await client.update_time_entry(
            created.id, date=date(2026, 11, 21), hours=1, task_id=4011, user_id=2, iversion=0
        )
    assert raised.value.status == 409 and "iversion is 1" in str(raised.value)
    assert [c.method for c in call_log.of("teampulse")] == ["POST", "PUT", "GET", "PUT"]


async def test_a_created_time_entry_is_listed_for_its_range(client: TeamPulseClient) -> None:
    saturday = date(2026, 11, 21)  # the cast logs weekdays only
    assert await client.list_time_entries(start_date=saturday, end_date=saturday) == []
    created = await client.create_time_entry(
        date=saturday, hours=3, task_id=4021, user_id=2, note="Release night"
    )
    (listed,) = await client.list_time_entries(start_date=saturday, end_date=saturday)
    assert (listed.id, listed.hours, listed.note, listed.type) == (
        created.id,
        3.0,
        "Release night",
        "",
    )
    assert listed.user == UserRef(id=2, name="bob", display_name="Bob Okafor")
    assert isinstance(listed.task, Task) and listed.task.project == Project(id=2, name="Payments")
    assert listed.billable is None


async def test_a_rejected_note_says_why(client: TeamPulseClient) -> None:
    with pytest.raises(UpstreamRejected) as raised:
        await client.create_time_entry(date=TODAY, hours=1, task_id=4011, user_id=2, note="x" * 129)
    assert raised.value.status == 400
    assert str(raised.value).endswith(
        "answered 400: te.note: The field note must be a string with a maximum length of 128."
    )


async def test_a_rejected_write_names_every_bad_field(client: TeamPulseClient) -> None:
    with pytest.raises(UpstreamRejected) as raised:
        await client.create_time_entry(date=TODAY, hours=30, task_id=1, user_id=2, type="Overtime")
    reason = str(raised.value).partition("answered 400: ")[2]
    assert [part.split(":")[0] for part in reason.split("; ")] == ["te.hours", "te.task", "te.type"]
    with pytest.raises(UpstreamRejected) as raised:
        await client.create_comment(
            project_id=1, work_item_id=101, work_item_type="Story", description=" "
        )
    assert str(raised.value).endswith(
        "answered 400: comment.description: The field description is required."
    )


# -- activities and comments -------------------------------------------------------------


async def test_activities(client: TeamPulseClient, call_log: CallLog) -> None:
    activities = await client.list_activities()
    newest = activities[0]
    assert newest.author.name == "grace" and newest.author.display_name == "Grace Liu"
    assert newest.modified_at == datetime(2026, 11, 23, 9, 29, 59, 445000, tzinfo=UTC)
    assert newest.project is not None and newest.project.id == 2
    assert newest.work_item is not None and newest.work_item.type == "Story"
    assert newest.system_event == "WorkItemChanged" and newest.comment_type == 1
    flagged = await client.list_activities(is_flagged=True)
    assert [a.id for a in flagged] == [41604, 41602]
    assert call_log.of("teampulse")[-1] == get("/activities", isFlagged="true")


async def test_unread_counts_and_marking_seen(client: TeamPulseClient) -> None:
    assert await client.get_unread_counts() == UnreadCounts(flagged=1, unflagged=2, total=3)
    left = await client.mark_activities_seen(41606, only_flagged=True)
    assert left == UnreadCounts(flagged=0, unflagged=2, total=2)
    assert await client.mark_activities_seen(41606) == UnreadCounts(flagged=0, unflagged=0, total=0)


async def test_share_message_and_comment(client: TeamPulseClient) -> None:
    shared = await client.share_message("hello world")
    assert shared.message == "Teamgraph Gateway shared: hello world"
    assert (await client.list_activities())[0].author.name == "gateway"
    comment = await client.create_comment(
        project_id=1, work_item_id=109, work_item_type="Feedback", description="Nice",
        type="PortalComment",
    )  # fmt: skip
    assert (comment.id, comment.project.id, comment.work_item.id) == (1, 1, 109)
    assert (comment.description, comment.type, comment.iversion) == ("Nice", "PortalComment", 0)


# -- errors and shape variants -----------------------------------------------------------


async def test_wrong_password_is_unauthorized(cast: Cast) -> None:
    tp = client_for(mounted(cast), auth=("gateway", "nope"))
    async with tp.http:
        with pytest.raises(UpstreamUnauthorized) as raised:
            await tp.list_users()
    assert raised.value.service == "teampulse" and raised.value.status == 401
    assert "Invalid username or password." in str(raised.value)


async def test_outage_is_unavailable(cast: Cast) -> None:
    tp = client_for(mounted(cast, faults=Faults(down=True)))
    async with tp.http:
        with pytest.raises(UpstreamUnavailable) as raised:
            await tp.list_projects()
    assert raised.value.service == "teampulse" and raised.value.status == 503
    assert "Service Unavailable (emulated outage)" in str(raised.value)


@pytest.mark.parametrize("body", [[{"id": "one", "name": "x"}], {"id": 1}, "not a list"], ids=str)
async def test_a_payload_of_the_wrong_shape_is_a_bad_response(body: object) -> None:
    with pytest.raises(UpstreamBadResponse) as raised:
        await answering(body).list_users()
    assert raised.value.service == "teampulse"
    assert "GET /api/users" in str(raised.value)


async def test_the_documented_data_wrapper_is_accepted() -> None:
    wrapped = {"data": [{"id": 1, "name": "smokey", "displayName": "Smokey The Bear"}]}
    assert await answering(wrapped).list_users() == [
        User(id=1, name="smokey", display_name="Smokey The Bear")
    ]
    single = {"data": {"flagged": 1, "unflagged": 1, "total": 2}}
    assert await answering(single).get_unread_counts() == UnreadCounts(
        flagged=1, unflagged=1, total=2
    )


async def test_the_docs_examples_parse() -> None:
    """Entries straight from the docs: a TimeEntryFull list and a POST answer."""
    full = {
        "id": 4545, "date": "2012-05-30", "hours": 4.0, "type": "", "note": "Note for Vacation",
        "user": {"id": 21, "name": "smokey", "displayName": "Smokey The Bear"},
        "task": {"id": 75090, "name": "Vacation", "project": {"id": -1, "name": ""},
                 "estimate": {}},
        "iversion": 1,
    }  # fmt: skip
    (entry,) = await answering([full]).list_time_entries(start_date=date(2012, 5, 27))
    assert isinstance(entry.task, Task) and entry.task.project is None
    assert entry.user.display_name == "Smokey The Bear"
    compact = {"id": 19492, "date": "2012-06-03", "hours": 2.0, "type": "Billable",
               "user": {"id": 14}, "task": {"id": 8831, "workCompleted": 5.0}, "note": "",
               "iversion": 0}  # fmt: skip
    created = await answering(compact, 201).create_time_entry(
        date=date(2011, 6, 6), hours=1, task_id=1, user_id=6, type="Billable"
    )
    assert created.task == TaskRef(id=8831, work_completed=5.0)
    assert isinstance(created, TimeEntry) and created.user == UserRef(id=14)


async def test_a_naive_activity_timestamp_is_read_as_utc() -> None:
    activity = {"id": 1, "author": {"name": "jsmith", "displayName": "John Smith"},
                "content": "hi", "modifiedAt": "2012-07-05T21:02:33.867"}  # fmt: skip
    (parsed,) = await answering([activity]).list_activities()
    assert isinstance(parsed, Activity)
    assert parsed.modified_at == datetime(2012, 7, 5, 21, 2, 33, 867000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            {"te.note": "Too long.", "te.date": "Bad date."},
            "te.note: Too long.; te.date: Bad date.",
        ),
        (["First.", {"message": "Second."}], "First.; Second."),
        ({"data": {"te.hours": "Too many."}}, "te.hours: Too many."),
    ],
)
async def test_error_detail_joins_the_error_map_or_list(body: object, detail: str) -> None:
    with pytest.raises(UpstreamRejected) as raised:
        await answering(body, 400).list_projects()
    assert str(raised.value).endswith(f"answered 400: {detail}")
