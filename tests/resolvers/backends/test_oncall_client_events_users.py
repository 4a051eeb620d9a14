"""OncallClient's events (reads and the first writes), users, services, roles and search."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.errors import UpstreamNotFound, UpstreamRejected
from resolvers.backends.oncall import Contacts, OncallClient
from tests.conftest import NOW, emulator_http
from tests.recording import CallLog
from tests.resolvers.backends.oncall_support import (
    BASE,
    MONDAY,
    WEEK,
    answering,
    calls,
    mounted,
)


@pytest.fixture
async def oncall(cast: Cast, call_log: CallLog) -> AsyncIterator[OncallClient]:
    async with emulator_http(mounted(cast), service="oncall", base_url=BASE, log=call_log) as http:
        yield OncallClient(http)


# -- events --------------------------------------------------------------------------------


async def test_list_events_maps_its_filters(oncall: OncallClient, call_log: CallLog) -> None:
    now = int(NOW.timestamp())
    on_now = await oncall.list_events(team="mobile", start_before=NOW, end_after=NOW)
    assert [(e.role, e.user, e.full_name) for e in on_now] == [
        ("primary", "omar", "Omar Farouk"),
        ("secondary", "samuel.taylor", "Sam Taylor"),
    ]
    assert on_now[0].start == MONDAY and on_now[0].schedule_id == 5
    window = await oncall.list_events(
        role="primary", start_after=MONDAY - WEEK, end_before=MONDAY + WEEK
    )
    assert {e.team for e in window} == {"platform", "payments", "mobile", "data-analytics"}
    assert all(e.role == "primary" for e in window) and len(window) == 8
    bobs = await oncall.list_events(user="bob")
    assert bobs and {e.user for e in bobs} == {"bob"}
    assert len(await oncall.list_events()) == 40
    assert calls(call_log) == [
        f"GET /events?end__gt={now}&start__lt={now}&team=mobile",
        f"GET /events?end__le={now - now % 86400 + 7 * 86400}&role=primary"
        f"&start__ge={now - now % 86400 - 7 * 86400}",
        "GET /events?user=bob",
        "GET /events",
    ]


async def test_get_event(oncall: OncallClient) -> None:
    event = await oncall.get_event(1)
    assert event is not None
    assert (event.id, event.team, event.user, event.full_name) == (
        1,
        "platform",
        "farid",
        "Farid Haddad",
    )
    assert event.start == MONDAY - 2 * WEEK and event.start.tzinfo is not None
    assert (event.link_id, event.note) == (None, None)
    assert await oncall.get_event(99999) is None


async def test_event_writes_round_trip(oncall: OncallClient) -> None:
    start = NOW + timedelta(hours=1)
    event_id = await oncall.create_event(
        start=start,
        end=start + timedelta(hours=2),
        user="bob",
        team="platform",
        role="shadow",
        note="cover",
    )
    assert event_id == 41
    await oncall.update_event(
        event_id, start=start, end=start + timedelta(hours=3), user="carmen", note="moved"
    )
    stored = await oncall.get_event(event_id)
    assert stored is not None
    assert (stored.user, stored.note, stored.end) == ("carmen", "moved", start + timedelta(hours=3))
    await oncall.delete_event(event_id)
    assert await oncall.get_event(event_id) is None
    with pytest.raises(UpstreamNotFound):
        await oncall.delete_event(event_id)


async def test_swap_and_override(oncall: OncallClient) -> None:
    primary, secondary = await oncall.list_events(
        team="payments", start_after=MONDAY + WEEK, end_before=MONDAY + 2 * WEEK
    )
    await oncall.swap_events(primary.id, secondary.id)
    swapped = await oncall.get_event(primary.id)
    assert swapped is not None and swapped.user == secondary.user
    events = await oncall.override_events(
        [primary.id], start=primary.start, end=primary.start + timedelta(days=1), user="grace"
    )
    assert [(e.user, e.start, e.end) for e in events] == [
        (secondary.user, primary.start + timedelta(days=1), primary.end),
        ("grace", primary.start, primary.start + timedelta(days=1)),
    ]


async def test_rejected_writes_carry_the_apis_message(oncall: OncallClient) -> None:
    with pytest.raises(UpstreamRejected) as caught:
        await oncall.create_event(start=NOW, end=NOW, user="bob", team="platform", role="primary")
    assert "Invalid event: Event must start before it ends" in caught.value.message
    assert caught.value.status == 400
    with pytest.raises(UpstreamRejected, match='IntegrityError: role "boss" not found'):
        await oncall.create_event(
            start=NOW, end=NOW + WEEK, user="bob", team="platform", role="boss"
        )


# -- users ---------------------------------------------------------------------------------


async def test_users(oncall: OncallClient, cast: Cast, call_log: CallLog) -> None:
    users = await oncall.list_users()
    assert [u.name for u in users] == [p.oncall.name for p in cast.people if p.oncall]
    assert calls(call_log) == ["GET /users"]  # everyone in ONE call
    dmitri = await oncall.get_user("dmitri.k")
    assert dmitri is not None
    assert (dmitri.id, dmitri.full_name, dmitri.active, dmitri.god) == (
        6,
        "Dmitri Kuznetsov",
        True,
        False,
    )
    assert dmitri.contacts == Contacts(
        email="dmitri@teamgraph.example",
        sms="+1 555-001-0003",
        call="+1 555-001-0003",
        slack="dmitri.k",
    )
    assert await oncall.get_user("Dmitri.K") is None
    assert len(await oncall.list_users(active=True)) == len(users)
    assert calls(call_log)[-1] == "GET /users?active=1"


async def test_user_shape_variants() -> None:
    docs = {
        "active": 1,
        "contacts": {"call": "+1", "email": "jdoe@example.com", "im": "jdoe", "sms": "+1"},
        "full_name": "John Doe",
        "id": 1234,
        "name": "jdoe",
        "photo_url": "image.example.com",
        "time_zone": "US/Pacific",
    }
    user = await answering(docs).get_user("jdoe")
    assert user is not None and user.contacts.im == "jdoe" and user.time_zone == "US/Pacific"
    bare = {
        "id": 6,
        "name": "smoke_user",
        "full_name": None,
        "time_zone": None,
        "photo_url": None,
        "destination": None,
        "active": 1,
        "god": 0,
        "contacts": {},
    }
    [smoke] = await answering([bare]).list_users()
    assert (smoke.name, smoke.full_name, smoke.contacts) == ("smoke_user", None, Contacts())


async def test_user_teams_upcoming_and_notifications(oncall: OncallClient) -> None:
    assert await oncall.list_user_teams("alice") == ["platform", "data-analytics"]
    assert await oncall.list_user_teams("nobody") == []
    upcoming = await oncall.list_upcoming("carmen")
    assert upcoming and all(s.start > NOW and s.user == "carmen" for s in upcoming)
    assert upcoming[0].num_events == 0
    assert len(await oncall.list_upcoming("carmen", limit=1)) == 1
    assert await oncall.list_upcoming("carmen", role="shadow") == []
    day, week = await oncall.list_user_notifications("bob")
    assert (day.team, day.type, day.time_before, week.time_before) == (
        "platform",
        "oncall_reminder",
        86400,
        604800,
    )
    assert day.roles == ["primary", "secondary", "shadow", "manager"]
    assert day.only_if_involved is None


async def test_upcoming_linked_set_counts_once() -> None:
    body = [
        {
            "end": 1496264400,
            "full_name": "John Doe",
            "id": 169877,
            "link_id": "7b3b96279bb24de8ac3fb7dbf06e5d1e",
            "num_events": 7,
            "role": "primary",
            "schedule_id": 1788,
            "start": 1496221200,
            "team": "team-foo",
            "user": "jdoe",
        }
    ]
    [shift] = await answering(body).list_upcoming("jdoe")
    assert (shift.num_events, shift.link_id) == (7, "7b3b96279bb24de8ac3fb7dbf06e5d1e")


# -- services, roles, search ---------------------------------------------------------------


async def test_services_and_roles(oncall: OncallClient) -> None:
    services = await oncall.list_services()
    assert services[:2] == ["android-app", "api-gateway"] and "warehouse" in services
    service = await oncall.get_service("warehouse")
    assert service is not None and (service.id, service.name) == (7, "warehouse")
    assert await oncall.get_service("nope") is None
    assert await oncall.list_service_teams("warehouse") == ["data-analytics"]
    roles = await oncall.list_roles()
    assert [r.name for r in roles][:3] == ["primary", "secondary", "shadow"]
    assert roles[3].display_order == 4
    types = await oncall.list_notification_types()
    assert {t.name for t in types if t.is_reminder} == {"oncall_reminder", "offcall_reminder"}


async def test_search(oncall: OncallClient, call_log: CallLog) -> None:
    found = await oncall.search("a")
    assert "payments" in found.teams
    assert found.services == {
        "api-gateway": ["platform"],
        "ios-app": ["mobile"],
        "android-app": ["mobile"],
        "warehouse": ["data-analytics"],
    }
    assert [u.name for u in found.users] == ["alice"]
    users = await oncall.search("Sam", fields=["users"])
    assert [(u.name, u.full_name) for u in users.users] == [
        ("sam.taylor", "Sam Taylor"),
        ("samuel.taylor", "Sam Taylor"),
    ]
    assert calls(call_log)[-1] == "GET /search?fields=users&keyword=Sam"


async def test_search_accepts_older_shapes() -> None:
    docs = {
        "services": [{"service-key": "team-foo"}, {"service-key2": "team-bar"}],
        "teams": ["team-key"],
        "users": ["jdoe"],
    }
    result = await answering(docs).search("key")
    assert result.services == {"service-key": ["team-foo"], "service-key2": ["team-bar"]}
    assert [u.name for u in result.users] == ["jdoe"]
    merged = await answering({"services": {"svc": "team-a"}}).search("svc")
    assert merged.services == {"svc": ["team-a"]}
