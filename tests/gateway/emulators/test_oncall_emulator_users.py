"""User, notification-setting and service writes on the oncall emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.emulators.cast import Cast
from tests.gateway.emulators.oncall_support import mounted, open_client


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with open_client(mounted(cast)) as client:
        yield client


async def test_create_and_update_user(http: httpx.AsyncClient) -> None:
    created = await http.post("/users", json={"name": "newbie"})
    assert (created.status_code, created.content) == (201, b"")
    bare = (await http.get("/users/newbie")).json()
    assert bare == {
        "id": 27,
        "name": "newbie",
        "full_name": None,
        "time_zone": None,
        "photo_url": None,
        "active": 1,
        "god": 0,
        "destination": None,  # upstream's stray key for a user without contacts
        "contacts": {},
    }
    again = await http.post("/users", json={"name": "newbie"})
    assert again.json() == {
        "title": "IntegrityError",
        "description": 'user name "newbie" already exists',
    }
    assert (await http.post("/users", json={"nam": "x"})).status_code == 500
    edit = {"full_name": "New Bie", "time_zone": "UTC", "contacts": {"email": "n@example.com"}}
    updated = await http.put("/users/newbie", json=edit)
    assert (updated.status_code, updated.content) == (204, b"")
    more = await http.put("/users/newbie", json={"contacts": {"call": "+1 555"}})
    assert more.status_code == 204
    user = (await http.get("/users/newbie")).json()
    assert (user["full_name"], user["contacts"]) == (
        "New Bie",
        {"email": "n@example.com", "call": "+1 555"},
    )
    assert "destination" not in user
    renamed = await http.put("/users/newbie", json={"name": "veteran", "active": 0})
    assert renamed.status_code == 204
    assert (await http.get("/users/veteran")).json()["active"] == 0
    assert [u["name"] for u in (await http.get("/users?active=0")).json()] == ["veteran"]
    unknown = await http.put("/users/nobody", json={"full_name": "X"})
    assert unknown.json() == {
        "title": "No User Found",
        "description": "no user exists with given name",
    }
    for body in (
        {"contacts": {"pager": "123"}},  # not a contact mode
        {"name": "v2", "contacts": {"email": "x"}},  # contacts resolve the old name
        {"full_name": "X", "colour": "red"},  # more values than columns
        {"name": "alice"},  # taken
    ):
        assert (await http.put("/users/veteran", json=body)).status_code == 500, body


async def test_delete_user_leaves_every_team_and_roster(http: httpx.AsyncClient) -> None:
    assert "alice" in (await http.get("/teams/data-analytics/users")).json()
    assert (await http.get("/events?user=alice")).json() != []
    deleted = await http.delete("/users/alice")
    assert (deleted.status_code, deleted.content) == (200, b"")
    assert (await http.get("/users/alice")).status_code == 404
    for team in ("platform", "data-analytics"):
        assert "alice" not in (await http.get(f"/teams/{team}/users")).json()
        assert "alice" not in (await http.get(f"/teams/{team}/admins")).json()
        rosters = (await http.get(f"/teams/{team}/rosters")).json()
        assert all(u["name"] != "alice" for r in rosters.values() for u in r["users"])
    assert (await http.get("/events?user=alice")).json() == []
    assert all(m["user"] != "alice" for m in (await http.get("/team_users")).json())
    assert (await http.get("/users/alice/notifications")).json() == []
    assert (await http.delete("/users/alice")).status_code == 200  # upstream never says 404


async def test_notification_settings(http: httpx.AsyncClient) -> None:
    body = {"team": "platform", "roles": ["primary"], "mode": "slack", "type": "event_created",
            "only_if_involved": True}  # fmt: skip
    created = await http.post("/users/bob/notifications", json=body)
    assert created.status_code == 201
    setting_id = created.json()["id"]
    mine = (await http.get("/users/bob/notifications")).json()
    assert mine[-1] == {
        "team": "platform",
        "mode": "slack",
        "type": "event_created",
        "time_before": None,
        "only_if_involved": 1,
        "id": setting_id,
        "roles": ["primary"],
    }
    failures = [
        ({"team": "platform"}, "missing required parameters: mode, roles, type"),
        ({**body, "type": "party"}, "notification type party does not exist"),
        ({**body, "time_before": 60},
         "settings must define exactly one of {'time_before', 'only_if_involved'}"),
        ({k: v for k, v in body.items() if k != "only_if_involved"} | {"time_before": 60},
         "notification setting must define only_if_involved"),
        ({**body, "type": "oncall_reminder"}, "reminder setting must define time_before"),
    ]  # fmt: skip
    for bad, description in failures:
        response = await http.post("/users/bob/notifications", json=bad)
        assert (response.status_code, response.json()) == (
            400,
            {"title": "invalid notification setting", "description": description},
        ), bad
    roles = await http.post("/users/bob/notifications", json={**body, "roles": ["boss"]})
    assert roles.json()["description"] == "unable to create notification: invalid roles"
    edit = {"roles": ["primary", "secondary"], "mode": "email"}
    assert (await http.put(f"/notifications/{setting_id}", json=edit)).status_code == 200
    after = (await http.get("/users/bob/notifications")).json()[-1]
    assert (after["mode"], after["roles"]) == ("email", ["primary", "secondary"])
    reminder = {"roles": ["primary"], "type": "oncall_reminder", "time_before": 3600,
                "only_if_involved": None}  # fmt: skip
    assert (await http.put(f"/notifications/{setting_id}", json=reminder)).status_code == 200
    involved = {"roles": [], "only_if_involved": True}
    wrong = await http.put(f"/notifications/{setting_id}", json=involved)
    assert wrong.json()["description"] == "reminder setting must define only time_before"
    assert (await http.put(f"/notifications/{setting_id}", json={"mode": "sms"})).status_code == 500
    assert (await http.put("/notifications/99999", json={"roles": []})).status_code == 500
    assert (await http.delete(f"/notifications/{setting_id}")).status_code == 200
    assert all(s["id"] != setting_id for s in (await http.get("/users/bob/notifications")).json())
    assert (await http.delete(f"/notifications/{setting_id}")).status_code == 500  # upstream bug


async def test_service_writes(http: httpx.AsyncClient) -> None:
    assert (await http.post("/services", json={"name": "billing"})).status_code == 201
    assert (await http.get("/services/billing")).json() == {"id": 8, "name": "billing"}
    assert (await http.post("/services", json={"name": "billing"})).status_code == 422
    renamed = await http.put("/services/checkout", json={"name": "payments-api"})
    assert (renamed.status_code, renamed.content) == (200, b"")
    assert (await http.get("/services/checkout")).status_code == 404
    assert (await http.get("/teams/payments/services")).json() == ["payments-api", "ledger"]
    assert (await http.put("/services/nope", json={"name": "x"})).status_code == 200  # no-op
    assert (await http.put("/services/ledger", json={"name": "billing"})).status_code == 500
    deleted = await http.delete("/services/ledger")
    assert (deleted.status_code, deleted.content) == (200, b"")
    assert (await http.get("/teams/payments/services")).json() == ["payments-api"]
    assert (await http.delete("/services/ledger")).status_code == 404
    search = (await http.get("/search?keyword=bill&fields=services")).json()
    assert search == {"services": {"billing": []}}
