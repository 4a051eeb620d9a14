"""Hack24Client's writes against the Hack24 emulator, and what later reads see of them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import orjson
import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.errors import UpstreamNotFound, UpstreamRejected
from resolvers.backends.hack24 import Hack24Client, MemberLink, Team, User
from tests.conftest import NOW
from tests.recording import CallLog
from tests.resolvers.backends.test_hack24_client import calls, client_for, mock_client, noon


@pytest.fixture
async def client(cast: Cast, call_log: CallLog) -> AsyncIterator[Hack24Client]:
    client = client_for(cast, log=call_log, token=cast.credentials.hack24_token)
    yield client
    await client.http.aclose()


# -- writes against the emulator ------------------------------------------------------------


async def test_create_team_derives_the_id_and_moves_members(
    client: Hack24Client, call_log: CallLog
) -> None:
    team = await client.create_team("Night Shift", member_ids=["wen-zhao", "bob-okafor"])
    assert team == Team(
        id="night-shift",
        name="Night Shift",
        members=[MemberLink(id="bob-okafor", joined=NOW), MemberLink(id="wen-zhao", joined=NOW)],
    )
    assert calls(call_log) == ["hack24 POST /teams"]
    bob = await client.get_user("bob-okafor")
    assert bob is not None
    assert bob.team_id == "night-shift"
    with pytest.raises(UpstreamRejected) as caught:
        await client.create_team("night shift")
    assert caught.value.status == 409
    assert "A team with id 'night-shift' already exists." in str(caught.value)


async def test_add_replace_and_remove_members(client: Hack24Client) -> None:
    added = await client.add_team_members("mobile", ["uma-shah"])
    assert [u.id for u in added] == [
        "mateo-rossi",
        "nadia-petrova",
        "priya-raman",
        "samuel-taylor",
        "uma-shah",
    ]
    assert added[-1] == User(id="uma-shah", name="Uma Shah", team_id="mobile", joined=NOW)
    assert added[0].joined == noon(2024, 2, 7)  # existing members keep their join dates

    replaced = await client.replace_team_members("mobile", ["uma-shah", "priya-raman"])
    assert [u.id for u in replaced] == ["priya-raman", "uma-shah"]
    assert [u.id for u in await client.list_team_members("mobile")] == ["priya-raman", "uma-shah"]

    await client.remove_team_members("mobile", ["priya-raman"])
    assert [u.name for u in await client.list_team_members("mobile")] == ["Uma Shah"]
    mateo = await client.get_user("mateo-rossi")
    assert mateo is not None
    assert mateo.team_id is None


async def test_member_writes_send_sorted_deduplicated_identifiers() -> None:
    sent: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(orjson.loads(request.content))
        return (
            httpx.Response(204)
            if request.method == "DELETE"
            else httpx.Response(200, json={"data": [], "included": []})
        )

    client = mock_client(handler)
    assert await client.add_team_members("t", ["b", "a", "b"]) == []
    await client.remove_team_members("t", ["z", "y"])
    assert sent == [
        {"data": [{"type": "users", "id": "a"}, {"type": "users", "id": "b"}]},
        {"data": [{"type": "users", "id": "y"}, {"type": "users", "id": "z"}]},
    ]


async def test_create_user_and_set_user_team(client: Hack24Client, call_log: CallLog) -> None:
    steven = await client.create_user("Steven", team_id="payments")
    assert steven == User(id="steven", name="Steven", team_id="payments", joined=NOW)
    loner = await client.create_user("Lone Wolf")
    assert loner == User(id="lone-wolf", name="Lone Wolf", team_id=None, joined=None)

    await client.set_user_team("lone-wolf", "platform")
    team = await client.get_user_team("lone-wolf")
    assert team is not None
    assert team.name == "Platform"
    with pytest.raises(UpstreamNotFound):
        await client.set_user_team("lone-wolf", "atlantis")
    with pytest.raises(UpstreamRejected) as caught:
        await client.create_user("Steven")
    assert caught.value.status == 409
    assert calls(call_log)[:3] == [
        "hack24 POST /users",
        "hack24 POST /users",
        "hack24 PATCH /users/lone-wolf/team",
    ]


async def test_moves_and_removals_show_in_teams_and_users(client: Hack24Client) -> None:
    await client.set_user_team("bob-okafor", "mobile")
    platform, mobile = await client.get_team("platform"), await client.get_team("mobile")
    assert platform is not None and mobile is not None
    assert "bob-okafor" not in [m.id for m in platform.members]
    assert mobile.members[-1] == MemberLink(id="bob-okafor", joined=NOW)
    assert await client.get_user("bob-okafor") == User(
        id="bob-okafor", name="Bob Okafor", team_id="mobile", joined=NOW
    )
    await client.remove_team_members("mobile", ["bob-okafor"])
    by_id = {u.id: u for u in await client.list_users()}
    assert (by_id["bob-okafor"].team_id, by_id["bob-okafor"].joined) == (None, None)
    teams = await client.list_teams()
    assert not any("bob-okafor" in [m.id for m in t.members] for t in teams)


async def test_a_rejected_write_names_the_member_at_fault(client: Hack24Client) -> None:
    with pytest.raises(UpstreamRejected) as caught:
        await client.create_team("  ")
    assert str(caught.value).endswith(
        "answered 400: /data/attributes/name: The name is required and must be a non-empty string."
    )
    with pytest.raises(UpstreamNotFound) as missing:
        await client.add_team_members("platform", ["ghost"])
    assert str(missing.value).endswith("answered 404: /data/0/id: No user with id 'ghost'.")


async def test_requests_speak_the_json_api_media_type() -> None:
    seen: list[tuple[str, str | None, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        accept, ctype = request.headers.get("accept"), request.headers.get("content-type")
        seen.append((request.method, accept, ctype))
        return (
            httpx.Response(204)
            if request.method == "PATCH"
            else httpx.Response(200, json={"data": []})
        )

    client = mock_client(handler)
    await client.set_user_team("bob", None)
    assert await client.list_users() == []
    media = "application/vnd.api+json"
    assert seen == [("PATCH", media, media), ("GET", media, None)]
