"""OncallClient's writes, audit and health against the emulator (signed, as the demo runs)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.errors import (
    BadRequest,
    UpstreamNotFound,
    UpstreamRejected,
    UpstreamUnauthorized,
)
from resolvers.backends.oncall import (
    AuditEntry,
    LinkedEvents,
    NewEvent,
    OncallClient,
    OncallHmacAuth,
    ScheduleEvent,
    User,
)
from tests.conftest import NOW, emulator_http, mounted_emulator
from tests.resolvers.backends.oncall_support import BASE, MONDAY, WEEK, answering, mounted

HOUR = timedelta(hours=1)


@pytest.fixture
async def oncall(cast: Cast) -> AsyncIterator[OncallClient]:
    auth = OncallHmacAuth(cast.credentials.oncall_app, cast.credentials.oncall_app_key)
    app = mounted_emulator("oncall", cast)
    async with emulator_http(app, service="oncall", base_url=BASE, auth=auth) as http:
        yield OncallClient(http)


async def test_team_lifecycle(oncall: OncallClient) -> None:
    await oncall.create_team("sre", scheduling_timezone="US/Pacific", admin="bob",
                             slack_channel="#sre", description="Site reliability")  # fmt: skip
    team = await oncall.get_team("sre")
    assert team is not None
    assert (team.scheduling_timezone, team.slack_channel, team.admins) == (
        "US/Pacific",
        "#sre",
        ["bob"],
    )
    await oncall.update_team("sre", new_name="site-reliability", email="sre@example.com")
    assert await oncall.get_team("sre") is None
    renamed = await oncall.get_team("site-reliability")
    assert renamed is not None and renamed.email == "sre@example.com"
    await oncall.delete_team("site-reliability")
    assert "site-reliability" not in await oncall.list_team_names()
    with pytest.raises(UpstreamNotFound):
        await oncall.delete_team("site-reliability")
    with pytest.raises(BadRequest):
        await oncall.update_team("platform")


async def test_rejections_carry_the_servers_reason(oncall: OncallClient) -> None:
    with pytest.raises(UpstreamRejected) as caught:
        await oncall.create_team("sre", scheduling_timezone="UTC")  # signed, so admin= needed
    assert caught.value.status == 400
    assert caught.value.message.endswith(
        "answered 400: invalid admin: API requests must specify a team admin username in the "
        "admin field"
    )
    with pytest.raises(UpstreamRejected) as missing:
        await oncall.create_team("", scheduling_timezone="UTC", admin="bob")
    # falcon's generic title is dropped: just the reason
    assert missing.value.message.endswith("answered 400: name attribute missing from request")
    with pytest.raises(UpstreamRejected, match='IntegrityError: team name "platform" already'):
        await oncall.create_team("platform", scheduling_timezone="UTC", admin="bob")


async def test_members_admins_and_services(oncall: OncallClient) -> None:
    admin = await oncall.add_team_admin("mobile", "grace")
    assert isinstance(admin, User) and (admin.name, admin.contacts.slack) == ("grace", "grace")
    assert await oncall.list_team_admins("mobile") == ["grace", "lena"]
    await oncall.delete_team_admin("mobile", "grace")
    assert "grace" not in await oncall.list_team_users("mobile")
    member = await oncall.add_team_user("mobile", "hiro")
    assert member.id == 10
    await oncall.delete_team_user("mobile", "hiro")
    assert "hiro" not in await oncall.list_team_users("mobile")
    await oncall.create_service("billing")
    await oncall.add_team_service("mobile", "billing")
    assert await oncall.list_service_teams("billing") == ["mobile"]
    await oncall.update_service("billing", new_name="invoicing")
    assert await oncall.list_team_services("mobile") == ["ios-app", "android-app", "invoicing"]
    await oncall.delete_team_service("mobile", "invoicing")
    await oncall.delete_service("invoicing")
    assert await oncall.get_service("invoicing") is None


async def test_rosters_and_schedules(oncall: OncallClient) -> None:
    await oncall.create_roster("platform", "weekend")
    added = await oncall.add_roster_user("platform", "weekend", "erin", in_rotation=False)
    assert added.name == "erin"
    await oncall.add_roster_user("platform", "weekend", "bob")
    assert await oncall.list_roster_users("platform", "weekend", in_rotation=False) == ["erin"]
    await oncall.update_roster_user("platform", "weekend", "erin", in_rotation=True)
    assert await oncall.list_roster_users("platform", "weekend", in_rotation=True) == [
        "bob",
        "erin",
    ]
    await oncall.update_roster("platform", "weekend", order=["bob", "erin"], new_name="weekends")
    roster = await oncall.get_roster("platform", "weekends")
    assert roster is not None
    assert [(u.name, u.roster_priority) for u in roster.users] == [("bob", 0), ("erin", 1)]
    schedule_id = await oncall.create_schedule(
        "platform", "weekends", role="primary",
        events=[ScheduleEvent(start=timedelta(days=6), duration=WEEK)],
    )  # fmt: skip
    assert schedule_id == 9
    await oncall.update_schedule(schedule_id, role="secondary", auto_populate_threshold=14)
    schedule = await oncall.get_schedule(schedule_id)
    assert schedule is not None
    assert (schedule.role, schedule.auto_populate_threshold, schedule.roster) == (
        "secondary",
        14,
        "weekends",
    )
    assert schedule.events[0].start == timedelta(days=6)  # Saturday 00:00
    await oncall.populate_schedule(schedule_id, start=NOW)
    shifts = [e for e in await oncall.list_events(team="platform") if e.schedule_id == schedule_id]
    assert [s.start for s in shifts] == [datetime(2026, 11, 28, tzinfo=UTC) + n * WEEK
                                         for n in range(3)]  # fmt: skip
    assert {s.user for s in shifts} <= {"bob", "erin"}
    await oncall.delete_schedule(schedule_id)
    assert await oncall.get_schedule(schedule_id) is None  # 2.1.7's 500 for an unknown one
    await oncall.delete_roster_user("platform", "weekends", "erin")
    await oncall.delete_roster("platform", "weekends")
    assert [r.name for r in await oncall.list_rosters("platform")] == ["platform-rotation"]
    with pytest.raises(BadRequest):
        await oncall.update_roster("platform", "platform-rotation")


async def test_link_and_override(oncall: OncallClient) -> None:
    soon = NOW + 2 * WEEK
    linked = await oncall.link_events([
        NewEvent(start=soon + i * HOUR, end=soon + (i + 1) * HOUR, user="bob", team="platform",
                 role="shadow", note=f"part {i}")
        for i in (1, 0)
    ])  # fmt: skip
    assert isinstance(linked, LinkedEvents) and linked.link_id and len(linked.link_id) == 32
    first = await oncall.get_event(linked.event_ids[0])
    assert first is not None and (first.start, first.note) == (soon, "part 0")
    [current] = await oncall.list_events(team="platform", role="primary", start_before=NOW,
                                         end_after=NOW)  # fmt: skip
    events = await oncall.override_events([current.id], start=NOW + HOUR, end=NOW + 2 * HOUR,
                                          user="alice")  # fmt: skip
    assert [(e.user, e.start, e.end) for e in events] == [
        (current.user, current.start, NOW + HOUR),
        (current.user, NOW + 2 * HOUR, current.end),
        ("alice", NOW + HOUR, NOW + 2 * HOUR),
    ]
    assert await oncall.get_event(current.id) is None  # split: replaced by new events
    assert all(e.id > current.id for e in events)


async def test_link_accepts_the_docs_answer() -> None:
    linked = await answering([1, 2], 201).link_events([])
    assert linked == LinkedEvents(link_id=None, event_ids=[1, 2])


async def test_users_and_notifications(oncall: OncallClient) -> None:
    await oncall.create_user("newbie")
    await oncall.update_user("newbie", full_name="New Bie", contacts={"email": "n@example.com"})
    user = await oncall.get_user("newbie")
    assert user is not None
    assert (user.full_name, user.contacts.email) == ("New Bie", "n@example.com")
    with pytest.raises(BadRequest):
        await oncall.update_user("newbie", new_name="x", contacts={"email": "x"})
    setting_id = await oncall.create_notification(
        "newbie", team="platform", roles=["primary"], mode="email", type="event_created",
        only_if_involved=True,
    )  # fmt: skip
    [setting] = await oncall.list_user_notifications("newbie")
    assert (setting.id, setting.type, setting.only_if_involved) == (setting_id, "event_created",
                                                                    True)  # fmt: skip
    await oncall.update_notification(setting_id, roles=["primary", "secondary"],
                                     type="oncall_reminder", time_before=3600)  # fmt: skip
    [reminder] = await oncall.list_user_notifications("newbie")
    assert (reminder.type, reminder.time_before, reminder.only_if_involved) == (
        "oncall_reminder",
        3600,
        None,
    )
    assert reminder.roles == ["primary", "secondary"]
    await oncall.delete_notification(setting_id)
    assert await oncall.list_user_notifications("newbie") == []
    await oncall.delete_user("alice")
    assert "alice" not in await oncall.list_team_users("data-analytics")
    assert await oncall.list_events(user="alice") == []


async def test_audit(oncall: OncallClient) -> None:
    await oncall.create_event(start=NOW + HOUR, end=NOW + 2 * HOUR, user="bob", team="platform",
                              role="shadow")  # fmt: skip
    [entry] = await oncall.list_audit(team="platform", actions=["event_created"])
    assert (entry.owner, entry.action, entry.team) == ("teamgraph", "event_created", "platform")
    assert entry.timestamp == NOW and entry.context is not None
    assert json.loads(entry.context)["request_body"]["user"] == "bob"
    history = await oncall.list_audit(team="payments", end=MONDAY)
    assert [e.action for e in history][:2] == ["team_created", "roster_created"]
    assert await oncall.list_audit(owner="nobody") == []


async def test_audit_accepts_change_time() -> None:
    row = {"owner": "a", "team": "t", "action": "team_created", "change_time": 1_800_000_000}
    [entry] = await answering([row]).list_audit()
    assert entry == AuditEntry(owner="a", team="t", action="team_created",
                               timestamp=datetime.fromtimestamp(1_800_000_000, UTC))  # fmt: skip


async def test_health_is_read_at_the_server_root(oncall: OncallClient) -> None:
    assert await oncall.get_health() == "GOOD"
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, text="GOOD\n")

    for base in ("https://oncall.example.com/api/v0", "https://oncall.example.com/"):
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url=base)
        assert await OncallClient(http).get_health() == "GOOD"
    assert seen == ["https://oncall.example.com/healthcheck"] * 2


async def test_health_on_a_locked_server_needs_the_signature(cast: Cast) -> None:
    app = mounted(cast, require_auth=True)
    async with emulator_http(app, service="oncall", base_url=BASE) as http:
        with pytest.raises(UpstreamUnauthorized):
            await OncallClient(http).get_health()
    auth = OncallHmacAuth(cast.credentials.oncall_app, cast.credentials.oncall_app_key)
    async with emulator_http(app, service="oncall", base_url=BASE, auth=auth) as http:
        assert await OncallClient(http).get_health() == "GOOD"
