"""bench/peers' floor function, stack floor and answer checks, against Teamgraph itself (no
npm, no nginx).

The floor builds Q1's answer straight from the raw upstream bodies; if it equals what
Teamgraph answers over the same emulators, the floor is a correct lower bound to compare
with, and the bench's answer check accepts Teamgraph's real answer.
"""

from __future__ import annotations

import httpx
from aiohttp import web

from bench.peers import nginx
from bench.peers.floor import ONCALL, TEMPO, Q1Bodies, q1_answer, q1_floor
from bench.peers.queries import PINNED_NOW, Q1_TEAMGRAPH, canonical_q1_teamgraph, fold
from bench.peers.snapshot import with_links
from bench.peers.stack_floor import StackFloor
from gateway.emulators import create_emulator_app
from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from tests.harness import open_gateway


async def _q1_bodies(cast: Cast) -> dict[str, bytes]:
    """Q1's upstream bodies from the emulators, as the snapshot stores them (uri -> body)."""
    links = {str(t.tempo.id): t.oncall.name for t in cast.teams if t.tempo and t.oncall}
    transport = httpx.ASGITransport(app=create_emulator_app(cast))
    auth = {"Authorization": f"Bearer {cast.credentials.tempo_token}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://emu", headers=auth) as c:
        uris = [f"{TEMPO}/teams"] + [f"{TEMPO}/teams/{i}/members" for i in links]
        uris += [f"{ONCALL}/teams/{n}" for n in links.values()]
        body = {u: (await c.get(u)).raise_for_status().content for u in uris}
    body[f"{TEMPO}/teams"] = with_links(body[f"{TEMPO}/teams"], links)
    return body


async def test_floor_answers_q1_as_teamgraph_does() -> None:
    cast = build_cast(scale=1, now=PINNED_NOW)
    bodies = Q1Bodies.from_uris(await _q1_bodies(cast))
    assert bodies.calls == 1 + 2 * len(cast.teams)

    async with open_gateway(cast) as gw:
        result = await gw.execute(Q1_TEAMGRAPH)
    assert "errors" not in result, result.get("errors")
    floor = q1_answer(bodies)
    assert canonical_q1_teamgraph(floor) == canonical_q1_teamgraph(result["data"])
    assert q1_floor(bodies).startswith(b'{"data":{"teams":[')


def test_names_fold_as_identity_links_them() -> None:
    assert fold("Data & Analytics") == fold("Data and Analytics") == "data and analytics"
    assert fold("Inês Costa") == fold("Ines Costa")


def test_time_parameters_match_any_value_and_others_exactly() -> None:
    assert nginx.check_pattern("/oncall/api/v0/events?end__gt=1&start__lt=2")
    key = nginx._uri_key("/tempo/core/3/worklogs?from=2026-11-17&to=2026-11-23&limit=1000")
    assert "from=[^&]*" in key and "limit=1000" in key
    assert nginx._uri_key("/tempo/core/3/teams") == '"/tempo/core/3/teams"'


async def test_the_stack_floor_serves_q1_over_real_sockets() -> None:
    """stack_floor.py answers Q1 as Teamgraph does, from the same bodies fetched over HTTP
    with Teamgraph's upstream transport: one GET per body, as the calls/q column counts."""
    body = await _q1_bodies(build_cast(scale=1, now=PINNED_NOW))
    asked: list[str] = []

    async def serve(request: web.Request) -> web.Response:
        asked.append(request.path_qs)
        return web.Response(body=body[request.path_qs], content_type="application/json")

    upstream = web.Application()
    upstream.router.add_get("/{tail:.*}", serve)
    runner = web.AppRunner(upstream)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    app = StackFloor(f"http://127.0.0.1:{port}")
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://floor") as client:
            probe = await client.post("/graphql", json={"query": "{ __typename }"})
            answer = await client.post("/graphql", json={"query": Q1_TEAMGRAPH})
    finally:
        await app.transport.aclose()
        await runner.cleanup()
    assert probe.json() == {"data": {"__typename": "Query"}}
    expected = q1_answer(Q1Bodies.from_uris(body))
    assert canonical_q1_teamgraph(answer.json()["data"]) == canonical_q1_teamgraph(expected)
    assert sorted(asked) == sorted(body)
