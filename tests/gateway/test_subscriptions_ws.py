"""graphql-transport-ws as the protocol says: the handshake, ping/pong, what is refused with
an `error` message, and each misstep closed with its code (4400, 4401, 4403, 4406, 4408, 4409,
4429), over a real socket with the `websockets` client."""

from __future__ import annotations

import pytest
from websockets.asyncio.client import connect

from gateway.auth import hash_key
from gateway.emulators.cast import Cast
from gateway.settings import AuthSettings, LimitsSettings
from tests.gateway.live import ON_CALL, Client, live_settings, serve_live, until, ws_client

API_KEY = "subscriber-key"


async def test_without_the_subprotocol_the_socket_is_closed_4406(cast: Cast) -> None:
    async with serve_live(cast) as live, connect(live.ws_url) as connection:
        client = Client(connection)
        assert (await client.closed_with())[0] == 4406


async def test_ping_gets_pong_at_any_time(cast: Cast) -> None:
    async with serve_live(cast) as live, ws_client(live) as client:
        await client.send({"type": "ping"})
        assert await client.receive() == {"type": "pong"}
        await client.init()
        await client.send({"type": "pong"})  # an unasked pong is fine
        await client.send({"type": "ping", "payload": {"at": 1}})
        assert await client.receive() == {"type": "pong"}


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        (["{not json"], 4400),
        (['{"type": "hello"}'], 4400),
        (['["connection_init"]'], 4400),
        (['{"type": "connection_init", "payload": "token"}'], 4400),
        (['{"type": "connection_init"}', '{"type": "subscribe", "id": "1"}'], 4400),
        (['{"type": "connection_init"}', '{"type": "subscribe", "id": 7, "payload": '
          '{"query": "subscription { onCallNow(team: \\"platform\\") { team { key } } }"}}'],
         4400),
        (['{"type": "connection_init"}', '{"type": "complete"}'], 4400),
        (['{"type": "subscribe", "id": "1", "payload": {"query": "subscription { x }"}}'], 4401),
        (['{"type": "connection_init"}', '{"type": "connection_init"}'], 4429),
    ],
)  # fmt: skip
async def test_protocol_missteps_close_the_socket_with_their_code(
    cast: Cast, messages: list[str], code: int
) -> None:
    async with serve_live(cast) as live, ws_client(live) as client:
        for message in messages:
            await client.connection.send(message)
        received = await client.until_closed()
    assert client.connection.close_code == code, (client.connection.close_reason, received)
    assert [m["type"] for m in received] in ([], ["connection_ack"])


async def test_a_connection_that_never_initialises_is_closed_4408(cast: Cast) -> None:
    settings = live_settings(cast, connection_init_timeout=0.2)
    async with serve_live(cast, settings) as live, ws_client(live) as client:
        assert await client.closed_with() == (4408, "Connection initialisation timeout")


async def test_an_id_already_running_is_closed_4409(cast: Cast) -> None:
    async with serve_live(cast) as live, ws_client(live) as client:
        await client.init()
        await client.subscribe("same", ON_CALL, team="platform")
        await client.next("same")
        await client.subscribe("same", ON_CALL, team="mobile")
        assert await client.closed_with() == (4409, "Subscriber for same already exists")
        await until(lambda: not live.pollers())  # the closed socket's subscription is gone


async def test_credentials_come_from_the_upgrade_or_connection_init(cast: Cast) -> None:
    settings = live_settings(cast).model_copy(deep=True)
    server = settings.server.model_copy(
        update={"auth": AuthSettings(api_key_sha256=[hash_key(API_KEY)])}
    )
    settings = settings.model_copy(update={"server": server})
    async with serve_live(cast, settings) as live:
        async with ws_client(live) as anonymous:
            await anonymous.send({"type": "connection_init"})
            code, reason = await anonymous.closed_with()
            assert code == 4403 and reason is not None and reason.startswith("Forbidden")
        async with ws_client(live) as wrong:
            await wrong.send({"type": "connection_init", "payload": {"X-API-Key": "nope"}})
            assert (await wrong.closed_with())[0] == 4403
        async with ws_client(live) as in_payload:
            assert await in_payload.init({"Authorization": f"Bearer {API_KEY}"}) == {
                "type": "connection_ack"
            }
            await in_payload.subscribe("1", ON_CALL, team="platform")
            assert (await in_payload.next("1"))["data"]["onCallNow"]["oncallNow"]
        async with ws_client(live, additional_headers={"X-API-Key": API_KEY}) as on_upgrade:
            assert await on_upgrade.init() == {"type": "connection_ack"}


async def test_what_cannot_start_gets_one_error_message(cast: Cast) -> None:
    limits = LimitsSettings(max_depth=4)
    settings = live_settings(cast).model_copy(update={"limits": limits})
    async with serve_live(cast, settings) as live, ws_client(live) as client:
        await client.init()
        cases: dict[str, tuple[str, dict[str, str]]] = {
            "query": ("{ teams { key } }", {}),
            "invalid": ("subscription { onCallNow(team: 1) { nope } }", {}),
            "two-fields": (
                'subscription { a: onCallNow(team: "x") { team { key } } '
                'b: onCallNow(team: "y") { team { key } } }',
                {},
            ),
            "variables": ("subscription ($team: ID!) { onCallNow(team: $team) { ended { id } } }",
                          {}),
            "deep": ('subscription { onCallNow(team: "platform") { team { members { teams '
                     "{ members { key } } } } } }", {}),
        }  # fmt: skip
        errors = {}
        for id, (query, variables) in cases.items():
            await client.subscribe(id, query, **variables)
            message = await client.receive()
            assert message["type"] == "error" and message["id"] == id, message
            errors[id] = {e["extensions"]["code"] for e in message["payload"]}
        await client.send({"type": "ping"})  # the connection is still fine
        assert await client.receive() == {"type": "pong"}
    assert errors == {
        "query": {"OPERATION_NOT_SUPPORTED"},
        "invalid": {"GRAPHQL_VALIDATION_FAILED"},
        "two-fields": {"GRAPHQL_VALIDATION_FAILED"},
        "variables": {"BAD_USER_INPUT"},
        "deep": {"OPERATION_TOO_COMPLEX"},
    }


async def test_a_team_that_cannot_be_subscribed_to_is_one_error_event(cast: Cast) -> None:
    async with serve_live(cast) as live, ws_client(live) as client:
        await client.init()
        await client.subscribe("1", ON_CALL, team="no-such-team")
        event = await client.next("1")
        assert await client.receive() == {"id": "1", "type": "complete"}
    assert event["data"] == {"onCallNow": None}
    (error,) = event["errors"]
    assert error["path"] == ["onCallNow"] and error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "no team 'no-such-team'" in error["message"]
    assert not live.pollers()


async def test_complete_stops_a_subscription_and_its_poll(cast: Cast) -> None:
    async with serve_live(cast) as live, ws_client(live) as client:
        await client.init()
        await client.subscribe("1", ON_CALL, team="platform")
        await client.next("1")
        (poller,) = live.pollers()
        await client.send({"id": "1", "type": "complete"})
        await until(lambda: not live.pollers())
        assert poller.task is not None
        await until(poller.task.done)
        await client.subscribe("1", ON_CALL, team="platform")  # the id may be used again
        assert (await client.next("1"))["data"]["onCallNow"]["oncallNow"]


async def test_subscriptions_are_limited_per_connection_and_in_all(cast: Cast) -> None:
    settings = live_settings(cast, max_per_connection=2, max_total=3)
    async with serve_live(cast, settings) as live:
        async with ws_client(live) as a, ws_client(live) as b:
            await a.init()
            await b.init()
            for id in ("1", "2", "3"):
                await a.subscribe(id, ON_CALL, team="platform")
            replies = [await a.receive() for _ in range(3)]
            refused = next(m for m in replies if m["type"] == "error")
            assert refused["id"] == "3"
            assert refused["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
            assert "subscriptions.max_per_connection" in refused["payload"][0]["message"]
            await b.subscribe("1", ON_CALL, team="mobile")
            await b.next("1")
            await b.subscribe("2", ON_CALL, team="mobile")  # the gateway's fourth
            over = await b.receive()
            assert over["type"] == "error"
            assert "subscriptions.max_total" in over["payload"][0]["message"]
            assert live.subscriptions.count == 3
        await until(lambda: live.subscriptions.count == 0)
