"""`overrideShift`, `swapShifts` and `linkShifts` on unified `Event` ids, through the ASGI app
over the oncall emulator (which splits and links as the real 2.1.7 server does), each change
read back through `events`.

The demo's platform shifts from now on: 5 bob primary Nov 23-30, 6 carmen secondary Nov
23-30, 7 carmen primary Nov 30-Dec 7, 8 dmitri.k secondary Nov 30-Dec 7, 9 dmitri.k primary
Dec 7-14, 10 farid secondary Dec 7-14.
"""

from __future__ import annotations

from typing import Any

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from schema.ids import encode_id
from tests.faults import FaultTransport
from tests.harness import Gateway, open_gateway
from tests.schema.unified.support import failing, run, writes

EVENT = "id role start end username user { key } team { key } oncall { scheduleId }"
CHANGE = (
    f"replayed userErrors {{ field message code }} result {{ events {{ {EVENT} }} removedIds }}"
)
OVERRIDE = f"""mutation Override($input: OverrideShiftInput!) {{
  overrideShift(input: $input) {{ {CHANGE} }} }}"""
SWAP = f"""mutation Swap($a: ID!, $b: ID!, $linked: Boolean! = true, $key: String) {{
  swapShifts(first: $a, second: $b, linked: $linked, idempotencyKey: $key) {{ {CHANGE} }} }}"""
LINK = f"""mutation Link($ids: [ID!]!) {{ linkShifts(eventIds: $ids) {{ {CHANGE} }} }}"""


def event(n: int) -> str:
    return encode_id("Event", str(n))


async def shifts(gw: Gateway, start: str = "2026-11-23", end: str = "2026-12-13") -> list[Any]:
    query = f'{{ events(from: "{start}", to: "{end}", team: "platform") {{ {EVENT} }} }}'
    found: list[Any] = (await run(gw, query))["events"]
    return found


async def link_ids(gw: Gateway) -> dict[str, str | None]:
    """Each platform shift's link id. oncall makes link ids at random (uuid4), so with
    TEAMGRAPH_DIFFERENTIAL the twin's differ: they are read from this gateway alone."""
    query = (
        '{ events(from: "2026-11-23", to: "2026-12-13", team: "platform") '
        "{ id oncall { linkId } } }"
    )
    answer = (await gw.http.post("/graphql", json={"query": query})).json()
    return {e["id"]: e["oncall"]["linkId"] for e in answer["data"]["events"]}


def who(events: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    return [(e["role"], e["start"][:16], e["end"][:16], e["username"]) for e in events]


async def test_an_override_inside_a_shift_splits_it_into_new_shifts(cast: Cast) -> None:
    override = {
        "eventIds": [event(5)],
        "user": "Carmen Ruiz",
        "start": "2026-11-25T00:00:00Z",
        "end": "2026-11-26T00:00:00Z",
    }
    async with open_gateway(cast) as gw:
        answer = (await run(gw, OVERRIDE, {"input": override}))["overrideShift"]
        made = writes(gw)
        after = [e for e in await shifts(gw, end="2026-11-29") if e["role"] == "primary"]
    result = answer["result"]
    assert answer["userErrors"] == [] and result["removedIds"] == [event(5)]
    assert who(result["events"]) == [
        ("primary", "2026-11-23T00:00", "2026-11-25T00:00", "bob"),
        ("primary", "2026-11-25T00:00", "2026-11-26T00:00", "carmen"),
        ("primary", "2026-11-26T00:00", "2026-11-30T00:00", "bob"),
    ]
    assert all(e["oncall"]["scheduleId"] is None for e in result["events"])  # new, by hand
    assert {e["id"] for e in result["events"]}.isdisjoint({event(5)})
    assert result["events"][1]["user"] == {"key": "carmen"}
    assert result["events"][1]["team"] == {"key": "platform"}
    assert made == ["oncall POST /events/override 200"]
    assert after == result["events"]


async def test_a_swap_exchanges_the_people_of_two_shifts(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        answer = await run(gw, SWAP, {"a": event(7), "b": event(10), "key": "swap-1"})
        made = writes(gw)
        gw.log.clear()
        again = await run(gw, SWAP, {"a": event(7), "b": event(10), "key": "swap-1"})
        assert gw.log.calls == []  # a repeat must not swap them back
        after = {e["id"]: e["username"] for e in await shifts(gw)}
    result = answer["swapShifts"]["result"]
    assert [(e["id"], e["username"]) for e in result["events"]] == [
        (event(7), "farid"),
        (event(10), "carmen"),
    ]
    assert made == ["oncall POST /events/swap 200"]
    assert (after[event(7)], after[event(10)]) == ("farid", "carmen")
    assert again["swapShifts"] == {**answer["swapShifts"], "replayed": True}


async def test_linking_recreates_the_shifts_as_one_set_and_a_swap_moves_the_set(
    cast: Cast,
) -> None:
    async with open_gateway(cast) as gw:
        linked = (await run(gw, LINK, {"ids": [event(9), event(8)]}))["linkShifts"]["result"]
        made = writes(gw)
        after = await shifts(gw)
        links = await link_ids(gw)
        gone = await run(gw, "query($id: ID!) { node(id: $id) { id } }", {"id": event(8)})
        first = linked["events"][0]["id"]
        swapped = (await run(gw, SWAP, {"a": first, "b": event(7)}))["swapShifts"]["result"]
    assert linked["removedIds"] == [event(8), event(9)]
    assert who(linked["events"]) == [
        ("secondary", "2026-11-30T00:00", "2026-12-07T00:00", "dmitri.k"),
        ("primary", "2026-12-07T00:00", "2026-12-14T00:00", "dmitri.k"),
    ]
    [link] = {links[e["id"]] for e in linked["events"]}
    assert link is not None and sum(1 for v in links.values() if v == link) == 2
    assert made[0] == "oncall POST /events/link 201"
    assert made[1:] == ["oncall DELETE /events/8 200", "oncall DELETE /events/9 200"]
    assert all(e in after for e in linked["events"]) and gone["node"] is None
    # The whole set swaps with shift 7: both linked shifts are carmen's now.
    assert sorted((e["id"], e["username"]) for e in swapped["events"]) == sorted(
        [(e["id"], "carmen") for e in linked["events"]] + [(event(7), "dmitri.k")]
    )


async def test_the_answer_names_the_link(cast: Cast) -> None:
    # A transport of its own: oncall's random link ids would differ in a differential twin.
    oncall = FaultTransport(cast)
    async with open_gateway(cast, transports={"oncall": oncall}) as gw:
        answer = await run(
            gw, LINK.replace("removedIds", "removedIds linkId"), {"ids": [event(8), event(9)]}
        )
        links = await link_ids(gw)
    result = answer["linkShifts"]["result"]
    assert {links[e["id"]] for e in result["events"]} == {result["linkId"]}


async def test_a_link_that_fails_half_way_is_undone_and_says_so(cast: Cast) -> None:
    oncall = failing(cast, "DELETE", "/events/9", status=404)  # gone meanwhile
    async with open_gateway(cast, transports={"oncall": oncall}) as gw:
        before = await shifts(gw)
        answer = await gw.execute(LINK, {"ids": [event(8), event(9)]})
        made = writes(gw)
        after = await shifts(gw)
        links = await link_ids(gw)
    [error] = answer["errors"]
    assert answer["data"] is None
    assert error["extensions"]["service"] == "oncall"
    assert error["extensions"]["step"] == "COMPENSATED" and error["extensions"]["left"] == []
    assert "nothing is left of it (shift 8 is back as shift" in error["message"]
    # Linked, deleted one original, failed on the next; then newest first: 8 made again,
    # the linked copies deleted.
    assert [m.split()[1] for m in made] == ["POST", "DELETE", "DELETE", "POST", "DELETE", "DELETE"]
    assert who(after) == who(before)
    assert set(links.values()) == {None}


async def test_an_outage_half_way_leaves_what_the_error_lists(cast: Cast) -> None:
    """A service that failed with an outage is not asked again in the same request, so
    undoing its own earlier writes fails too: the error lists what is left."""
    oncall = failing(cast, "DELETE", "/events/9")
    async with open_gateway(cast, transports={"oncall": oncall}) as gw:
        answer = await gw.execute(LINK, {"ids": [event(8), event(9)]})
        links = await link_ids(gw)
    [error] = answer["errors"]
    assert error["extensions"]["step"] == "COMPENSATION_FAILED"
    left = error["extensions"]["left"]
    assert len(left) == 2 and left[0].startswith("oncall: shift 8 (dmitri.k, 2026-11-30 00:00)")
    assert left[1].startswith("oncall: linked shifts ")
    assert sum(1 for v in links.values() if v) == 2  # as the error says


async def test_people_are_named_without_guessing_and_refusals_are_user_errors(
    cast: Cast,
) -> None:
    async with open_gateway(cast) as gw:
        sam = await run(
            gw,
            OVERRIDE,
            {
                "input": {
                    "eventIds": [event(7)],
                    "user": "Sam Taylor",
                    "start": "2026-12-01T00:00:00Z",
                    "end": "2026-12-02T00:00:00Z",
                }
            },
        )
        outsider = await run(
            gw,
            OVERRIDE,
            {
                "input": {
                    "eventIds": [event(7)],
                    "user": "grace",
                    "start": "2026-12-01T00:00:00Z",
                    "end": "2026-12-02T00:00:00Z",
                }
            },
        )
        nothing = await run(gw, SWAP, {"a": event(7), "b": event(999)})
        one = await run(gw, LINK, {"ids": [event(7)]})
        made = writes(gw)
    [error] = sam["overrideShift"]["userErrors"]
    assert error["code"] == "AMBIGUOUS" and "sam.taylor, samuel.taylor" in error["message"]
    [refused] = outsider["overrideShift"]["userErrors"]
    assert refused["message"].endswith("Substituting user must be part of the team")
    assert [(e["code"], e["field"]) for e in nothing["swapShifts"]["userErrors"]] == [
        ("NOT_FOUND", ["second"])
    ]
    assert [e["code"] for e in one["linkShifts"]["userErrors"]] == ["INVALID_INPUT"]
    assert made == ["oncall POST /events/override 400"]


async def test_oncall_down_is_an_error_naming_it(cast: Cast) -> None:
    async with open_gateway(cast, faults={"oncall": Faults(down=True)}) as gw:
        answer = await gw.execute(SWAP, {"a": event(7), "b": event(10)})
    assert answer["data"] is None
    assert {e["extensions"]["service"] for e in answer["errors"]} == {"oncall"}
