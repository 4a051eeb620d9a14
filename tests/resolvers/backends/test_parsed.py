"""Answers already validated, kept by their bytes (resolvers/backends/parsed.py), and what
resolvers build from them kept with the directory (Directory.derived): clients against the
emulators and canned answers, every call counted, and through GraphQL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.errors import UpstreamBadResponse
from resolvers.backends.oncall import OncallClient, OncallHmacAuth
from resolvers.backends.parsed import MISSING, ParsedAnswers
from resolvers.backends.resilience import ClientPolicy
from tests.conftest import emulator_http, mounted_emulator
from tests.gateway.test_metrics import by, scrape, series
from tests.harness import configured, open_gateway
from tests.recording import CallLog
from tests.resolvers.backends.oncall_support import BASE, calls, mounted


@pytest.fixture
async def oncall(cast: Cast, call_log: CallLog) -> AsyncIterator[OncallClient]:
    async with emulator_http(mounted(cast), service="oncall", base_url=BASE, log=call_log) as http:
        yield OncallClient(http, policy=ClientPolicy(parsed=ParsedAnswers(1 << 20)))


async def test_the_same_bytes_again_give_the_same_model_but_the_call_still_goes_out(
    oncall: OncallClient, call_log: CallLog
) -> None:
    first = await oncall.get_team("platform")
    again = await oncall.get_team("platform")
    assert first is not None and again is first  # not validated twice
    assert calls(call_log) == ["GET /teams/platform", "GET /teams/platform"]
    other = await oncall.get_team("mobile")
    assert other is not None and other.name == "mobile"


async def test_a_changed_answer_is_validated_anew(oncall: OncallClient) -> None:
    before = await oncall.get_team("platform")
    assert before is not None
    await oncall.update_team("platform", description="changed upstream")
    after = await oncall.get_team("platform")
    assert after is not None and after is not before
    assert after.description == "changed upstream" != before.description


def _serving(bodies: dict[str, object]) -> OncallClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(bodies[request.url.path]).encode())

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url=BASE)
    return OncallClient(http, policy=ClientPolicy(parsed=ParsedAnswers(1 << 20)))


async def test_identical_bytes_from_two_urls_keep_each_its_own_origin() -> None:
    # A part found broken later names the request it came from, so the URL is in the key.
    broken = {"id": 1, "name": "t", "users": {"ann": {"id": "not a number", "name": "ann"}}}
    client = _serving({"/oncall/api/v0/teams/a": broken, "/oncall/api/v0/teams/b": broken})
    a, b = await client.get_team("a"), await client.get_team("b")
    assert a is not None and b is not None and a is not b
    for team, path in ((a, "teams/a"), (b, "teams/b")):
        with pytest.raises(UpstreamBadResponse, match=f"GET /oncall/api/v0/{path} answered"):
            team.users.get()


async def test_an_answer_that_does_not_fit_is_never_kept() -> None:
    client = _serving({"/oncall/api/v0/teams/x": {"id": "not a number", "name": "x"}})
    for _ in range(2):
        with pytest.raises(UpstreamBadResponse, match="does not match its documented shape"):
            await client.get_team("x")
    assert client.policy.parsed is not None and len(client.policy.parsed) == 0


def test_bounded_by_the_bytes_of_the_bodies_least_recently_used_first() -> None:
    kept = ParsedAnswers(max_bytes=800)  # so no body over 100 bytes is kept
    a, b, c = b"a" * 100, b"b" * 100, b"c" * 100
    kept.keep("a", a, "A")
    kept.keep("b", b, "B")
    kept.keep("too large", b"x" * 101, "X")
    assert kept.get("too large", b"x" * 101) is MISSING
    for i in range(6):
        kept.keep(i, bytes(100), i)
    assert kept.get("a", a) == "A"  # now the most recently used
    kept.keep("c", c, "C")  # 900 bytes: the least recently used goes
    assert kept.get("b", b) is MISSING and kept.get("a", a) == "A" and kept.get("c", c) == "C"
    assert len(kept) == 8 and kept.kept_bytes == 800
    none = ParsedAnswers(max_bytes=800)
    none.keep("n", b"{}", None)
    assert none.get("n", b"{}") is None  # a model may be None: told apart from a miss


def test_one_body_per_key_and_only_the_same_bytes_reuse_it() -> None:
    kept = ParsedAnswers(max_bytes=800)
    kept.keep("url", b"[1, 2]", "first")
    assert kept.get("url", b"[1, 3]") is MISSING  # the same length, other bytes
    assert kept.get("url", b"[1, 2]") == "first"
    kept.keep("url", b"[1, 2, 3]", "second")  # the new body takes the old one's place
    assert kept.get("url", b"[1, 2]") is MISSING and kept.get("url", b"[1, 2, 3]") == "second"
    assert len(kept) == 1 and kept.kept_bytes == len(b"[1, 2, 3]")
    kept.keep("url", b"x" * 101, "too large")  # not kept, and the old body goes too
    assert len(kept) == 0 and kept.kept_bytes == 0
    assert (kept.reused, kept.validated) == (2, 2)


async def test_through_graphql_every_call_goes_out_and_writes_are_seen(cast: Cast) -> None:
    query = '{ team(key: "platform") { memberships(service: TEMPO) { user { key } } } }'
    add = """mutation { addTeamMember(input: {team: "platform", user: "grace",
      role: "developer", services: [TEMPO]}) { result { outcome } } }"""
    async with open_gateway(cast) as gw:
        first = await gw.execute(query)
        before = len(gw.log.of("tempo"))
        assert await gw.execute(query) == first
        again = [c.path for c in gw.log.of("tempo")[before:]]
        assert again == ["/teams/1/members"]  # not a cache: the call goes out again
        keys = {m["user"]["key"] for m in first["data"]["team"]["memberships"]}
        assert "grace" not in keys
        done = await gw.execute(add)
        assert done["data"]["addTeamMember"]["result"]["outcome"] == "CHANGED", done
        after = await gw.execute(query)
        assert {m["user"]["key"] for m in after["data"]["team"]["memberships"]} == keys | {"grace"}
    off = configured(cast, limits={"parsed_answer_bytes": 0})
    async with open_gateway(cast, settings=off) as gw:
        assert await gw.execute(query) == first
        assert await gw.execute(query) == first
        assert not series(await scrape(gw), "teamgraph_parsed_answers_total")  # off: none


async def test_metrics_count_what_was_reused_and_what_validated(cast: Cast) -> None:
    query = '{ team(key: "platform") { memberships(service: TEMPO) { user { key } } } }'
    async with open_gateway(cast) as gw:
        await gw.execute(query)
        before = by(series(await scrape(gw), "teamgraph_parsed_answers_total"), "outcome")
        kept = series(await scrape(gw), "teamgraph_parsed_answer_bytes")
        assert kept[()] > 0
        calls = gw.log.count()
        await gw.execute(query)
        after = by(series(await scrape(gw), "teamgraph_parsed_answers_total"), "outcome")
    again = gw.log.count() - calls  # each call of the second query, its bytes unchanged
    assert again >= 1
    assert after[("reused",)] - before.get(("reused",), 0.0) == again
    assert after[("validated",)] == before[("validated",)]


async def test_records_built_from_an_unchanged_answer_follow_a_change_upstream(
    cast: Cast,
) -> None:
    # Records and their GraphQL objects are kept with the held directory while the answer
    # they were built from is the same (Directory.derived); a change made upstream, not
    # through the gateway (so the directory stays held), shows on the next query.
    query = """{ team(key: "platform") {
      rosters { name members { username inRotation user { key } } }
      memberships(service: ONCALL) { role user { key } } } }"""
    emulator = mounted_emulator("oncall", cast)
    async with (
        open_gateway(cast, transports={"oncall": httpx.ASGITransport(app=emulator)}) as gw,
        emulator_http(emulator, service="oncall", base_url=BASE) as http,
    ):
        auth = OncallHmacAuth(cast.credentials.oncall_app, cast.credentials.oncall_app_key)
        upstream = OncallClient(httpx.AsyncClient(transport=http._transport, base_url=BASE,
                                                  auth=auth))  # fmt: skip
        first = (await gw.execute(query))["data"]["team"]
        assert (await gw.execute(query))["data"]["team"] == first
        roster = first["rosters"][0]
        member = roster["members"][0]
        assert member["inRotation"] is True
        await upstream.update_roster_user(
            "platform", roster["name"], member["username"], in_rotation=False
        )
        await upstream.add_roster_user("platform", roster["name"], "grace")
        lists_before = [c.path for c in gw.log.of("oncall")].count("/users")
        after = (await gw.execute(query))["data"]["team"]
        assert [c.path for c in gw.log.of("oncall")].count("/users") == lists_before  # held
        changed = next(r for r in after["rosters"] if r["name"] == roster["name"])
        shown = {m["username"]: m["inRotation"] for m in changed["members"]}
        assert shown[member["username"]] is False and shown["grace"] is True
        keys = {m["user"]["key"] for m in after["memberships"] if m["user"]}
        assert "grace" in keys and "grace" not in {
            m["user"]["key"] for m in first["memberships"] if m["user"]
        }
