"""Every oncall row of tests/endpoints.csv has a client method that reaches it and succeeds.

The client runs as the demo runs it: HMAC-signed, against the emulator in its default
(auth-debug) mode, mounted by the registry. Calls are recorded relative to the server root,
so their paths carry ``/api/v0`` like the rows do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import httpx
import pytest

from gateway.emulators import MOUNTS, ROOT_MOUNTS
from gateway.emulators.cast import Cast
from resolvers.backends.oncall import NewEvent, OncallClient, OncallHmacAuth, ScheduleEvent
from tests.conftest import NOW, mounted_emulator
from tests.endpoint_rows import Row, load_rows
from tests.recording import CallLog, RecordingTransport

BASE = "http://emulator" + MOUNTS["oncall"]
HOUR = timedelta(hours=1)
SOON = NOW + timedelta(days=1)


@pytest.fixture
async def oncall(cast: Cast, call_log: CallLog) -> AsyncIterator[OncallClient]:
    transport = RecordingTransport(
        httpx.ASGITransport(app=mounted_emulator("oncall", cast)),
        service="oncall",
        prefix=ROOT_MOUNTS["oncall"],
        log=call_log,
    )
    auth = OncallHmacAuth(cast.credentials.oncall_app, cast.credentials.oncall_app_key)
    async with httpx.AsyncClient(transport=transport, base_url=BASE, auth=auth) as http:
        yield OncallClient(http)


async def _new_event(c: OncallClient) -> int:
    return await c.create_event(start=SOON, end=SOON + HOUR, user="bob", team="platform",
                                role="shadow")  # fmt: skip


async def _update_event(c: OncallClient) -> None:
    event_id = await _new_event(c)
    await c.update_event(event_id, start=SOON, end=SOON + 2 * HOUR, note="longer")


async def _delete_event(c: OncallClient) -> None:
    await c.delete_event(await _new_event(c))


async def _swap(c: OncallClient) -> None:
    primary, secondary = await c.list_events(team="payments", start_after=NOW,
                                             end_before=NOW + timedelta(weeks=2))  # fmt: skip
    await c.swap_events(primary.id, secondary.id)


async def _override(c: OncallClient) -> None:
    [current] = await c.list_events(team="platform", role="primary", start_before=NOW,
                                    end_after=NOW)  # fmt: skip
    await c.override_events([current.id], start=NOW + HOUR, end=NOW + 2 * HOUR, user="alice")


async def _link(c: OncallClient) -> None:
    shifts = [NewEvent(start=SOON + i * HOUR, end=SOON + (i + 1) * HOUR, user="bob",
                       team="platform", role="shadow") for i in range(2)]  # fmt: skip
    await c.link_events(shifts)


async def _add_team_service(c: OncallClient) -> None:
    await c.create_service("billing")
    await c.add_team_service("platform", "billing")


WEEKLY = [ScheduleEvent(start=timedelta(days=1), duration=timedelta(weeks=1))]
ROSTER = ("platform", "platform-rotation")
Call = Callable[[OncallClient], Awaitable[object]]

CALLS: dict[tuple[str, str], Call] = {
    # teams
    ("GET", "/api/v0/teams"): lambda c: c.list_team_names(),
    ("POST", "/api/v0/teams"): lambda c: c.create_team(
        "sre", scheduling_timezone="UTC", admin="bob"
    ),
    ("GET", "/api/v0/teams/{team}"): lambda c: c.get_team("platform"),
    ("PUT", "/api/v0/teams/{team}"): lambda c: c.update_team("platform", description="Core"),
    ("DELETE", "/api/v0/teams/{team}"): lambda c: c.delete_team("mobile"),
    ("GET", "/api/v0/teams/{team}/summary"): lambda c: c.get_team_summary("platform"),
    ("GET", "/api/v0/teams/{team}/oncall/{role}"): lambda c: c.list_oncall("platform", "primary"),
    ("GET", "/api/v0/teams/{team}/admins"): lambda c: c.list_team_admins("platform"),
    ("POST", "/api/v0/teams/{team}/admins"): lambda c: c.add_team_admin("platform", "grace"),
    ("DELETE", "/api/v0/teams/{team}/admins/{user}"): lambda c: c.delete_team_admin(
        "platform", "alice"
    ),
    ("GET", "/api/v0/teams/{team}/users"): lambda c: c.list_team_users("platform"),
    ("POST", "/api/v0/teams/{team}/users"): lambda c: c.add_team_user("platform", "grace"),
    ("DELETE", "/api/v0/teams/{team}/users/{user}"): lambda c: c.delete_team_user(
        "platform", "erin"
    ),
    ("GET", "/api/v0/teams/{team}/services"): lambda c: c.list_team_services("platform"),
    ("POST", "/api/v0/teams/{team}/services"): _add_team_service,
    ("DELETE", "/api/v0/teams/{team}/services/{service}"): lambda c: c.delete_team_service(
        "platform", "kubernetes"
    ),
    # rosters and schedules
    ("GET", "/api/v0/teams/{team}/rosters"): lambda c: c.list_rosters("platform"),
    ("POST", "/api/v0/teams/{team}/rosters"): lambda c: c.create_roster("platform", "weekend"),
    ("GET", "/api/v0/teams/{team}/rosters/{roster}"): lambda c: c.get_roster(*ROSTER),
    ("PUT", "/api/v0/teams/{team}/rosters/{roster}"): lambda c: c.update_roster(
        *ROSTER, new_name="core-rotation"
    ),
    ("DELETE", "/api/v0/teams/{team}/rosters/{roster}"): lambda c: c.delete_roster(*ROSTER),
    ("GET", "/api/v0/teams/{team}/rosters/{roster}/users"): lambda c: c.list_roster_users(*ROSTER),
    ("POST", "/api/v0/teams/{team}/rosters/{roster}/users"): lambda c: c.add_roster_user(
        *ROSTER, "grace"
    ),
    ("PUT", "/api/v0/teams/{team}/rosters/{roster}/users/{user}"): lambda c: c.update_roster_user(
        *ROSTER, "erin", in_rotation=True
    ),
    ("DELETE", "/api/v0/teams/{team}/rosters/{roster}/users/{user}"): lambda c: (
        c.delete_roster_user(*ROSTER, "erin")
    ),
    ("GET", "/api/v0/teams/{team}/rosters/{roster}/schedules"): lambda c: c.list_roster_schedules(
        *ROSTER
    ),
    ("POST", "/api/v0/teams/{team}/rosters/{roster}/schedules"): lambda c: c.create_schedule(
        *ROSTER, role="manager", events=WEEKLY
    ),
    ("GET", "/api/v0/schedules/{schedule_id}"): lambda c: c.get_schedule(1),
    ("PUT", "/api/v0/schedules/{schedule_id}"): lambda c: c.update_schedule(
        1, auto_populate_threshold=14
    ),
    ("DELETE", "/api/v0/schedules/{schedule_id}"): lambda c: c.delete_schedule(1),
    ("POST", "/api/v0/schedules/{schedule_id}/populate"): lambda c: c.populate_schedule(
        1, start=SOON
    ),
    # services and roles
    ("GET", "/api/v0/services"): lambda c: c.list_services(),
    ("GET", "/api/v0/services/{service}"): lambda c: c.get_service("ledger"),
    ("PUT", "/api/v0/services/{service}"): lambda c: c.update_service("ledger", new_name="books"),
    ("DELETE", "/api/v0/services/{service}"): lambda c: c.delete_service("kubernetes"),
    ("GET", "/api/v0/services/{service}/oncall/{role}"): lambda c: c.list_service_oncall(
        "ledger", "primary"
    ),
    ("GET", "/api/v0/services/{service}/teams"): lambda c: c.list_service_teams("ledger"),
    ("GET", "/api/v0/roles"): lambda c: c.list_roles(),
    # events
    ("GET", "/api/v0/events"): lambda c: c.list_events(team="platform"),
    ("POST", "/api/v0/events"): _new_event,
    ("GET", "/api/v0/events/{event_id}"): lambda c: c.get_event(1),
    ("PUT", "/api/v0/events/{event_id}"): _update_event,
    ("DELETE", "/api/v0/events/{event_id}"): _delete_event,
    ("POST", "/api/v0/events/swap"): _swap,
    ("POST", "/api/v0/events/override"): _override,
    ("POST", "/api/v0/events/link"): _link,
    # users and notifications
    ("GET", "/api/v0/users"): lambda c: c.list_users(),
    ("POST", "/api/v0/users"): lambda c: c.create_user("newbie"),
    ("GET", "/api/v0/users/{user_name}"): lambda c: c.get_user("alice"),
    ("PUT", "/api/v0/users/{user_name}"): lambda c: c.update_user("alice", full_name="Alice N."),
    ("DELETE", "/api/v0/users/{user_name}"): lambda c: c.delete_user("erin"),
    ("GET", "/api/v0/users/{user_name}/teams"): lambda c: c.list_user_teams("alice"),
    ("GET", "/api/v0/users/{user_name}/upcoming"): lambda c: c.list_upcoming("bob"),
    ("GET", "/api/v0/users/{user_name}/notifications"): lambda c: c.list_user_notifications(
        "alice"
    ),
    ("POST", "/api/v0/users/{user_name}/notifications"): lambda c: c.create_notification(
        "alice",
        team="platform",
        roles=["primary"],
        mode="email",
        type="event_created",
        only_if_involved=True,
    ),
    ("PUT", "/api/v0/notifications/{notification_id}"): lambda c: c.update_notification(
        1, roles=["primary"], time_before=3600
    ),
    ("DELETE", "/api/v0/notifications/{notification_id}"): lambda c: c.delete_notification(1),
    ("GET", "/api/v0/notification_types"): lambda c: c.list_notification_types(),
    ("GET", "/api/v0/search"): lambda c: c.search("pay"),
}


def test_the_table_covers_exactly_the_rows() -> None:
    assert set(CALLS) == {(r.method, r.path) for r in load_rows("oncall")}


@pytest.mark.parametrize("row", load_rows("oncall"), ids=lambda r: r.id)
async def test_row_is_served(row: Row, oncall: OncallClient, call_log: CallLog) -> None:
    call = CALLS.get((row.method, row.path))
    assert call is not None, f"no client call for {row.id}"
    await call(oncall)
    hits = [c for c in call_log.of("oncall") if row.matches(c)]
    assert hits, f"{row.id}: no recorded call matched; got {[str(c) for c in call_log.calls]}"
    assert all(c.status is not None and 200 <= c.status < 300 for c in hits), [
        (str(c), c.status) for c in hits
    ]
