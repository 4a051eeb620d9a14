"""Subscriptions end to end, over graphql-transport-ws on a real socket: the first event at
once, then only changes; each event answers as a query of the same selection; one upstream
poll per (team, credentials) however many subscribe, stopped by the last one out; failures as
error events while polling goes on."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from gateway.emulators.cast import Cast
from gateway.subscriptions.hub import Poller, State
from tests.gateway.live import ON_CALL, live_settings, serve_live, until, ws_client

SHIFTS = "/events"  # the oncall call every on-call poll makes once


def ids(events: list[dict[str, Any]]) -> list[str]:
    return [e["id"] for e in events]


async def test_the_first_event_comes_at_once_and_then_only_changes(cast: Cast) -> None:
    async with serve_live(cast) as live, ws_client(live) as client:
        assert await client.init() == {"type": "connection_ack"}
        await client.subscribe("1", ON_CALL, team="platform")
        first = (await client.next("1"))["data"]["onCallNow"]
        assert first["oncallNow"] and ids(first["started"]) == ids(first["oncallNow"])
        assert first["ended"] == []
        (poller,) = live.pollers()
        polls = poller.polls
        await until(lambda: poller.polls >= polls + 3)  # unchanged polls send nothing...
        live.clock.advance(timedelta(days=7))  # ...until next week's shifts begin
        second = (await client.next("1"))["data"]["onCallNow"]
    assert ids(second["ended"]) == ids(first["oncallNow"])
    assert ids(second["started"]) == ids(second["oncallNow"])
    assert set(ids(second["oncallNow"])).isdisjoint(ids(first["oncallNow"]))


TEAM = """key name accounts { service id }
    oncallNow { id start end role user { key name email teams { key } } team { key } }"""


async def test_an_event_answers_as_a_query_of_the_same_selection(cast: Cast) -> None:
    subscription = "subscription ($team: ID!) { onCallNow(team: $team) { team { " + TEAM + " } } }"
    async with serve_live(cast) as live, ws_client(live) as client:
        await client.init()
        await client.subscribe("s", subscription, team="payments")
        event = await client.next("s")
        query = "query ($key: String!) { team(key: $key) { " + TEAM + " } }"
        answer = await live.post(query, key="payments")
    assert event == {"data": {"onCallNow": {"team": answer["data"]["team"]}}}
    assert answer["data"]["team"]["oncallNow"]  # someone is on call


async def test_one_poll_per_team_and_credentials_however_many_subscribe(cast: Cast) -> None:
    async with serve_live(cast) as live:
        async with ws_client(live) as a, ws_client(live) as b:
            for client in (a, b):
                await client.init()
            for n in range(3):  # five subscribers of platform on two connections
                await a.subscribe(f"p{n}", ON_CALL, team="platform")
            for n in range(2):
                await b.subscribe(f"p{n}", ON_CALL, team="Platform")  # the same team
            await b.subscribe("m", ON_CALL, team="mobile")  # another team: its own poller
            firsts = [await a.next(f"p{n}") for n in range(3)]
            firsts += [await b.next("p0"), await b.next("p1"), await b.next("m")]
            assert all(f["data"]["onCallNow"]["oncallNow"] for f in firsts)
            platform = next(p for p in live.pollers() if p.key[1] == "platform")
            mobile = next(p for p in live.pollers() if p.key[1] == "mobile")
            assert len(live.pollers()) == 2 and len(platform.listeners) == 5
            await until(lambda: platform.polls >= 5 and mobile.polls >= 5)
            # Polls keep going while we count: compare with the pollers' own tallies.
            polls = platform.polls + mobile.polls
            calls = live.calls("oncall", SHIFTS)
            assert polls <= calls <= polls + 2  # one shifts call per poll, not per subscriber
        await until(lambda: not live.pollers())  # both connections closed: polling stops
        assert platform.task is not None and mobile.task is not None
        await until(lambda: platform.task.done() and mobile.task.done())  # type: ignore[union-attr]
        stopped = live.calls("oncall", SHIFTS)
        polls = platform.polls + mobile.polls
        assert polls <= stopped <= polls + 2  # a poll cut short by the stop is not tallied
        await asyncio.sleep(10 * 0.05)  # ten poll intervals later, no one has polled
        assert live.calls("oncall", SHIFTS) == stopped


async def test_other_caller_credentials_get_their_own_poll(cast: Cast) -> None:
    settings = live_settings(cast)
    oncall = settings.backends.oncall
    assert oncall is not None
    backends = settings.backends.model_copy(
        update={"oncall": oncall.model_copy(update={"caller_credentials_header": "X-Oncall-Auth"})}
    )
    settings = settings.model_copy(update={"backends": backends})
    async with (
        serve_live(cast, settings) as live,
        ws_client(live) as a,
        ws_client(live) as b,
        ws_client(live) as c,
    ):
        await a.init({"X-Oncall-Auth": "Bearer alice"})
        await b.init({"headers": {"x-oncall-auth": "Bearer alice"}})
        await c.init({"X-Oncall-Auth": "Bearer bob"})
        for client in (a, b, c):
            await client.subscribe("1", ON_CALL, team="platform")
            await client.next("1")
        keys = sorted(p.key for p in live.pollers())
        assert len(keys) == 2 and keys[0][:2] == keys[1][:2] == ("onCallNow", "platform")
    assert {"Bearer alice", "Bearer bob"} <= set(live.outages["oncall"].authorizations)


async def test_an_action_item_created_by_a_mutation_reaches_the_subscriber(cast: Cast) -> None:
    query = """subscription { actionItemsChanged(team: "platform") {
        team { key } items { id } added { id text resolved } changed { id resolved }
        removed { id text } } }"""
    async with serve_live(cast) as live, ws_client(live) as client:
        await client.init()
        await client.subscribe("a", query)
        first = (await client.next("a"))["data"]["actionItemsChanged"]
        assert first["team"] == {"key": "platform"} and first["items"]
        assert ids(first["added"]) == ids(first["items"])  # the first event adds everything
        created = await live.post(
            'mutation { createActionItem(team: "platform", text: "Rotate the pager key") '
            "{ result { id } userErrors { message } } }"
        )
        new = created["data"]["createActionItem"]["result"]["id"]
        added = (await client.next("a"))["data"]["actionItemsChanged"]
        assert added["added"] == [{"id": new, "text": "Rotate the pager key", "resolved": False}]
        assert added["items"][0] == {"id": new} and added["changed"] == added["removed"] == []
        await live.post(f'mutation {{ resolveActionItem(id: "{new}") {{ result {{ id }} }} }}')
        resolved = (await client.next("a"))["data"]["actionItemsChanged"]
        assert resolved["changed"] == [{"id": new, "resolved": True}] and resolved["added"] == []
        await live.post(f'mutation {{ deleteTeamOclockActionItem(id: "{new}") {{ result }} }}')
        removed = (await client.next("a"))["data"]["actionItemsChanged"]
    assert removed["removed"] == [{"id": new, "text": "Rotate the pager key"}]
    assert ids(removed["items"]) == ids(first["items"])


async def test_a_failing_service_is_an_error_event_and_polling_goes_on(cast: Cast) -> None:
    settings = live_settings(cast, max_backoff=0.2)
    async with serve_live(cast, settings) as live, ws_client(live) as client:
        await client.init()
        await client.subscribe("1", ON_CALL, team="platform")
        healthy = await client.next("1")
        live.outages["oncall"].down = True
        failed = await client.next("1")
        (poller,) = live.pollers()
        polls = poller.polls
        await until(lambda: poller.polls >= polls + 2)  # still polling, and still failing:
        live.outages["oncall"].down = False  # the same error is not sent again
        recovered = await client.next("1")
    assert failed["data"] == {"onCallNow": None}
    (error,) = failed["errors"]
    assert error["path"] == ["onCallNow"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["service"] == "oncall"
    # Back to the shifts it had: the same list, compared with the last data it was sent.
    assert recovered["data"]["onCallNow"]["oncallNow"] == healthy["data"]["onCallNow"]["oncallNow"]
    assert recovered["data"]["onCallNow"]["started"] == []


def test_failed_polls_back_off_up_to_the_limit_and_a_retry_after() -> None:
    async def poll() -> State:
        raise AssertionError("not polled here")

    poller = Poller(("onCallNow", "platform", "-"), poll, interval=1.0, max_backoff=5.0)
    ok = State("same", None, None)
    failed = State("x", None, None, failed=True)
    assert poller.next_delay(0, ok) == 1.0
    assert [poller.next_delay(n, failed) for n in (1, 2, 3, 60)] == [2.0, 4.0, 5.0, 5.0]
    limited = State("x", None, None, failed=True, retry_after=30.0)
    assert poller.next_delay(1, limited) == 30.0  # a 429's Retry-After is waited out


async def test_a_subscriber_that_does_not_read_is_ended_not_buffered(cast: Cast) -> None:
    """A transport reads its stream as fast as the socket takes it; a stream that nobody reads
    keeps only a few events, then ends with SLOW_CONSUMER."""
    query = 'subscription { actionItemsChanged(team: "mobile") { added { text } } }'
    async with serve_live(cast) as live:
        subscriptions = live.subscriptions
        subscriptions.queue_size = 2
        stream = await subscriptions.open(subscriptions.check(query, None, None), credentials={})
        try:
            await until(lambda: stream.queue.qsize() == 1)  # the first event, unread
            (poller,) = live.pollers()
            for n in range(2):
                before = poller.polls
                await live.post(f'mutation {{ createActionItem(team: "mobile", text: "t{n}") '
                                "{ result { id } } }")  # fmt: skip
                # Seen by a poll begun after it: the second to finish from here.
                await until(lambda before=before: poller.polls >= before + 2)  # type: ignore[misc]
            events = [body async for body in stream]
        finally:
            stream.close()
        assert not live.pollers()
    assert events[0]["errors"][0]["extensions"]["code"] == "SLOW_CONSUMER"
    assert len(events) == 1  # what was waiting is dropped with it
