"""The linked directory is kept between requests (`[identity] directory_ttl`).

Requests that follow one that listed everyone make none of those calls; `Cache-Control:
no-cache`, a write through the gateway, the TTL running out, other credentials or a failed
listing all make the next request list everyone again. Calls are counted at the transport.
"""

from __future__ import annotations

import asyncio

import httpx

from gateway.emulators.cast import Cast
from tests.faults import FaultTransport, hack24_newcomer
from tests.harness import configured, open_gateway

USERS = "query Users { users { key name } }"
NEWCOMER = "Zed Newcomer"


def names(body: dict[str, object]) -> set[str]:
    data = body["data"]
    assert isinstance(data, dict), body
    return {u["name"] for u in data["users"]}


async def test_the_requests_that_follow_make_none_of_its_calls(cast: Cast) -> None:
    fault = hack24_newcomer(cast, NEWCOMER)
    async with open_gateway(cast, transports={"hack24": fault}) as gw:
        first = await gw.execute(USERS)
        listed = gw.log.count()
        again = await gw.execute(USERS)
        held = gw.log.count() - listed
        fresh = await gw.http.post(
            "/graphql", json={"query": USERS}, headers={"Cache-Control": "no-cache"}
        )
        refetched = gw.log.count() - listed - held
    assert listed >= 7 and held == 0  # every service's people and teams, once
    assert again == first and NEWCOMER not in names(first)
    # The caller who needs the newest asks for it, and gets it.
    assert refetched == listed and NEWCOMER in names(fresh.json())


async def test_a_write_through_the_gateway_lists_everyone_again(cast: Cast) -> None:
    create = 'mutation { createHack24User(input: {name: "Yara Written"}) { result { id } } }'
    async with open_gateway(cast) as gw:
        await gw.execute(USERS)
        written = await gw.execute(create)
        before = gw.log.count()
        after = await gw.execute(USERS)
    assert "errors" not in written, written
    assert gw.log.count() - before >= 7
    assert "Yara Written" in names(after)


async def test_it_is_listed_again_once_its_ttl_has_run_out(cast: Cast) -> None:
    fault = hack24_newcomer(cast, NEWCOMER)
    settings = configured(cast, directory_ttl=0.05)
    async with open_gateway(cast, settings=settings, transports={"hack24": fault}) as gw:
        await gw.execute(USERS)
        await asyncio.sleep(0.1)
        before = gw.log.count()
        later = await gw.execute(USERS)
    assert gw.log.count() - before >= 7 and NEWCOMER in names(later)


async def test_another_callers_credentials_list_everyone_for_that_caller(cast: Cast) -> None:
    settings = configured(cast, hack24={"caller_credentials_header": "X-Hack24-Authorization"})
    own = {"X-Hack24-Authorization": f"Bearer {cast.credentials.hack24_token}"}
    async with open_gateway(cast, settings=settings) as gw:
        await gw.execute(USERS)
        before = gw.log.count()
        theirs = await gw.http.post("/graphql", json={"query": USERS}, headers=own)
        first_time = gw.log.count() - before
        await gw.http.post("/graphql", json={"query": USERS}, headers=own)
        second_time = gw.log.count() - before - first_time
    assert "errors" not in theirs.json()
    assert first_time >= 7 and second_time == 0  # held per credentials, then reused


async def test_a_directory_missing_a_service_is_not_kept(cast: Cast) -> None:
    fault = FaultTransport(cast)
    down = [True]

    async def users(request: httpx.Request, _n: int) -> httpx.Response | None:
        return httpx.Response(503) if down[0] else None

    fault.on("/users", users)
    async with open_gateway(cast, transports={"hack24": fault}) as gw:
        partial = await gw.execute(USERS)
        down[0] = False
        before = gw.log.count()
        whole = await gw.execute(USERS)
        listed_again = gw.log.count() - before
    assert {e["extensions"]["service"] for e in partial["errors"]} == {"hack24"}
    assert "errors" not in whole and listed_again >= 7
