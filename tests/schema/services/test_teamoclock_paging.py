"""Team O'clock's cursor-paged lists (action items, the timeline) as Relay connections:
`first`/`after` mapped onto its fixed 100-item pages, fetching only the pages the items asked
for reach into, with its filters as arguments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from gateway.emulators.cast import Cast
from tests.harness import Gateway, open_gateway
from tests.recording import Call

PAGE = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount"


async def action_items(gw: Gateway, arguments: str) -> dict[str, Any]:
    result = await gw.execute(
        f"{{ teamoclock {{ actionItems({arguments}) "
        f"{{ {PAGE} nodes {{ id resolved teamSlug }} }} }} }}"
    )
    assert "errors" not in result, result["errors"]
    found: dict[str, Any] = result["data"]["teamoclock"]["actionItems"]
    return found


def numbers(connection: dict[str, Any]) -> list[int]:
    return [int(n["id"][1:]) for n in connection["nodes"]]


def pages(calls: list[Call]) -> list[str | None]:
    """The API cursor each call asked for (None: the first page)."""
    return [dict(c.params).get("cursor") for c in calls]


async def test_the_first_page_is_one_call_newest_first_without_a_total(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        got = await action_items(gw, "first: 20")
        calls = gw.log.of("teamoclock")
    # 4 teams x 32 action items; the newest is numbered highest.
    assert numbers(got) == list(range(128, 108, -1))
    assert got["pageInfo"]["hasNextPage"] is True
    assert got["pageInfo"]["hasPreviousPage"] is False
    assert got["totalCount"] is None  # the API gives none
    assert [str(c) for c in calls] == ["teamoclock GET /actionitems"]


async def test_paging_to_the_end_fetches_only_the_api_pages_each_page_reaches(
    cast: Cast,
) -> None:
    seen: list[int] = []
    per_request: list[list[str | None]] = []
    after = None
    async with open_gateway(cast) as gw:
        while True:
            gw.log.clear()
            arguments = "first: 30" + (f', after: "{after}"' if after else "")
            got = await action_items(gw, arguments)
            per_request.append(pages(gw.log.of("teamoclock")))
            seen += numbers(got)
            assert got["pageInfo"]["hasPreviousPage"] is (after is not None)
            if not got["pageInfo"]["hasNextPage"]:
                break
            after = got["pageInfo"]["endCursor"]
    assert seen == list(range(128, 0, -1))  # every item once, in the API's order
    # Items 1-90 sit in the API's first page; 91-120 straddle both; 121-128 are on the second.
    second = per_request[-1][0]
    assert second is not None
    assert per_request == [[None], [None], [None], [None, second], [second]]


async def test_a_page_crossing_the_apis_pages_costs_two_calls(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        first = await action_items(gw, "first: 50")
        gw.log.clear()
        rest = await action_items(gw, f'first: 100, after: "{first["pageInfo"]["endCursor"]}"')
        calls = gw.log.of("teamoclock")
    assert numbers(first) + numbers(rest) == list(range(128, 0, -1))
    assert (rest["pageInfo"]["hasNextPage"], rest["pageInfo"]["hasPreviousPage"]) == (False, True)
    assert len(calls) == 2 and pages(calls)[0] is None and pages(calls)[1] is not None


async def test_filters_reach_the_api_and_a_page_asked_twice_is_fetched_once(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(
            '{ teamoclock { a: actionItems(team: "mobile", status: RESOLVED, first: 100) '
            "{ nodes { id resolved teamSlug } } "
            'b: actionItems(team: "mobile", status: RESOLVED, first: 3) { nodes { id } } } }'
        )
        calls = gw.log.of("teamoclock")
    assert "errors" not in result, result["errors"]
    nodes = result["data"]["teamoclock"]["a"]["nodes"]
    assert nodes and all(n["resolved"] and n["teamSlug"] == "mobile" for n in nodes)
    assert result["data"]["teamoclock"]["b"]["nodes"] == [{"id": n["id"]} for n in nodes[:3]]
    (call,) = calls
    assert dict(call.params) == {"filter[team]": "mobile", "filter[status]": "resolved"}


async def test_a_foreign_cursor_fails_its_field_alone(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(
            '{ teamoclock { actionItems(after: "bm9wZQ==") { nodes { id } } teams { slug } } }'
        )
    (error,) = result["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["path"] == ["teamoclock", "actionItems"]
    assert result["data"]["teamoclock"]["actionItems"] is None
    assert len(result["data"]["teamoclock"]["teams"]) == 4


async def test_the_timeline_filters_by_moment_and_kind(cast: Cast) -> None:
    since = "2026-11-10T12:00:00+00:00"
    async with open_gateway(cast) as gw:
        result = await gw.execute(
            "query($since: DateTime) { teamoclock { timeline(since: $since, type: RETROSPECTIVE, "
            f"first: 3) {{ {PAGE} nodes {{ id type date teamSlug team {{ key }} }} }} }} }}",
            {"since": since},
        )
        calls = gw.log.of("teamoclock")
    assert "errors" not in result, result["errors"]
    timeline = result["data"]["teamoclock"]["timeline"]
    nodes = timeline["nodes"]
    assert len(nodes) == 3 and timeline["pageInfo"]["hasNextPage"] is True
    assert all(n["type"] == "RETROSPECTIVE" and n["id"].startswith("R") for n in nodes)
    dates = [datetime.fromisoformat(n["date"]) for n in nodes]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert all(d <= datetime.fromisoformat(since) for d in dates)
    assert all(n["team"] == {"key": n["teamSlug"]} for n in nodes)
    (call,) = [c for c in calls if c.path == "/timeline"]
    assert dict(call.params) == {
        "filter[since]": "2026-11-10T12:00:00.000Z", "filter[type]": "retro",
    }  # fmt: skip


async def test_a_team_pages_its_own_action_items(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        result = await gw.execute(
            '{ teamoclock { team(slug: "payments") { actionItems(status: OPEN, first: 2) '
            f"{{ {PAGE} nodes {{ id resolved teamSlug }} }} }} }} }}"
        )
        calls = gw.log.of("teamoclock")
    assert "errors" not in result, result["errors"]
    page = result["data"]["teamoclock"]["team"]["actionItems"]
    assert [(n["resolved"], n["teamSlug"]) for n in page["nodes"]] == [(False, "payments")] * 2
    (listed,) = [c for c in calls if c.path == "/actionitems"]
    assert dict(listed.params) == {"filter[team]": "payments", "filter[status]": "open"}
