"""The Team O'clock emulator's raw wire format, mounted where production mounts it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from gateway.emulators.faults import Faults
from gateway.emulators.teamoclock import create_app
from tests.conftest import NOW, emulator_http, mounted_emulator

ROOT = "http://emulator" + MOUNTS["teamoclock"]
AUTH = ("teamgraph-demo", "skey-demo")
TYPES = ("standup", "planpoker", "retro")
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
NOT_FOUND = {
    "error": {
        "status": 404,
        "code": "not found",
        "title": "Object not found",
        "detail": "Object not found. It may have been deleted or not been created yet",
    }
}
BAD_REQUEST = {
    "error": {
        "status": 400,
        "code": "bad request",
        "title": "Invalid request",
        "detail": "Enter a valid json body",
    }
}
UNAUTHORIZED = {
    "error": {
        "status": 401,
        "code": "unauthorized",
        "title": "Unauthorized",
        "detail": "Please verify your credentials",
    }
}


def mounted(cast: Cast, *, faults: Faults | None = None) -> ASGIApp:
    return mounted_emulator("teamoclock", cast, faults=faults)


def http_for(app: ASGIApp, **kwargs: Any) -> httpx.AsyncClient:
    return emulator_http(app, service="teamoclock", base_url=ROOT, **kwargs)


@pytest.fixture
async def http(cast: Cast) -> AsyncIterator[httpx.AsyncClient]:
    async with http_for(mounted(cast), auth=AUTH) as client:
        yield client


async def data(http: httpx.AsyncClient, path: str, **params: str) -> Any:
    response = await http.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert "links" not in response.json() or path in ("/actionitems", "/timeline")
    return response.json()["data"]


async def all_pages(http: httpx.AsyncClient, path: str, **params: str) -> list[Any]:
    """Every item, following `links.next`; checks each page's size and links."""
    body = (await http.get(path, params=params)).json()
    items = list(body["data"])
    while "next" in body["links"]:
        assert len(body["data"]) == 100
        body = (await http.get(body["links"]["next"])).json()
        items.extend(body["data"])
    assert len(body["data"]) <= 100
    return items


def standup_summary(slug: str, name: str, date: str) -> dict[str, object]:
    """A standup as lists and creates show it (its id is the team slug)."""
    return {
        "id": slug,
        "name": f"{name} standup",
        "date": date,
        "url": f"https://www.teamoclock.com/teamgraph-demo/standup/{slug}",
        "links": {"self": f"{ROOT}/standup/{slug}"},
        "team": {"name": name, "slug": slug},
    }


# -- auth and errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "auth",
    [None, ("teamgraph-demo", "wrong"), ("other-org", "skey-demo")],
    ids=["missing", "wrong key", "wrong org"],
)
async def test_bad_credentials_get_the_documented_401(cast: Cast, auth: Any) -> None:
    async with http_for(mounted(cast), auth=auth) as http:
        for path in ("/members", "/no/such/path"):
            response = await http.get(path)
            assert response.status_code == 401
            assert response.headers["content-type"] == "application/json"
            assert response.json() == UNAUTHORIZED


async def test_a_bearer_token_is_not_basic_auth(cast: Cast) -> None:
    headers = {"Authorization": "Bearer skey-demo"}
    async with http_for(mounted(cast), headers=headers) as http:
        assert (await http.get("/teams")).status_code == 401


async def test_unknown_paths_and_ids_get_the_documented_404(http: httpx.AsyncClient) -> None:
    for path in (
        "/nothing",
        "/members/nobody",
        "/teams/nope",
        "/teams/nope/members",
        "/standup/nope",
        "/planpoker/nope",
        "/planpoker/nope/tasks",
        "/planpoker/mobile/tasks/nope",
        "/retro/nope",
        "/actionitems/A9999",
        "/actionitems/x",
        "/timeline/S9999",
        "/timeline/P1",
    ):
        response = await http.get(path)
        assert response.status_code == 404, path
        assert response.json() == NOT_FOUND


async def test_outage_answers_503_in_the_api_error_shape(cast: Cast) -> None:
    async with http_for(mounted(cast, faults=Faults(down=True)), auth=AUTH) as http:
        response = await http.get("/members")
    assert response.status_code == 503
    assert response.json()["error"]["status"] == 503
    assert response.json()["error"]["code"] == "service unavailable"


# -- members and teams ------------------------------------------------------------------------


async def test_members_list_every_account_with_absolute_self_links(
    http: httpx.AsyncClient,
) -> None:
    members = await data(http, "/members")
    by_name = {m["username"]: m for m in members}
    assert by_name["alice"] == {
        "username": "alice",
        "first_name": "Alice",
        "last_name": "Nguyen",
        "avatar": "alice.jpg",
        "email": "alice@teamgraph.example",
        "role": "administrator",
        "links": {"self": f"{ROOT}/members/alice"},
    }
    assert by_name["Dmitri.K"]["email"] == "dmitri.kuznetsov@mailbox.example"
    assert by_name["ines"]["first_name"] == "Inês"
    assert "jonas" not in by_name and "victor" not in by_name and "yusuf" not in by_name
    assert len(members) == 22


async def test_single_member_and_team_omit_links(http: httpx.AsyncClient) -> None:
    assert await data(http, "/members/Dmitri.K") == {
        "username": "Dmitri.K",
        "first_name": "Dmitri",
        "last_name": "Kuznetsov",
        "avatar": "dmitri.k.jpg",
        "email": "dmitri.kuznetsov@mailbox.example",
        "role": "member",
    }
    assert await data(http, "/teams/data-analytics") == {
        "name": "Data and Analytics",
        "slug": "data-analytics",
        "video_url": "https://meet.example/data-analytics",
        "mood_enabled": False,
    }


async def test_teams_and_their_members(http: httpx.AsyncClient) -> None:
    teams = await data(http, "/teams")
    assert [t["slug"] for t in teams] == ["platform", "payments", "mobile", "data-analytics"]
    assert teams[0]["links"] == {"self": f"{ROOT}/teams/platform"}
    payments = await data(http, "/teams/payments/members")
    assert [m["username"] for m in payments] == ["grace", "hiro", "ines", "sam.taylor", "kofi"]
    assert payments[0]["links"] == {"self": f"{ROOT}/members/grace"}


async def test_links_follow_where_the_app_is_served(cast: Cast) -> None:
    async with emulator_http(
        create_app(cast), service="teamoclock", base_url="http://bare", auth=AUTH
    ) as http:
        members = (await http.get("/members")).json()["data"]
    assert members[0]["links"]["self"] == "http://bare/members/alice"


# -- active meetings --------------------------------------------------------------------------


async def test_active_meetings_per_team(http: httpx.AsyncClient) -> None:
    standups = await data(http, "/standup")
    assert [s["id"] for s in standups] == ["platform", "payments"]
    assert standups[0] == standup_summary("platform", "Platform", standups[0]["date"])
    for meeting in standups:
        assert ISO_MS.match(meeting["date"])
        assert meeting["date"].startswith("2026-11-23T") and meeting["date"] < "2026-11-23T10:30"
    pokers = await data(http, "/planpoker")
    assert [(p["id"], p["name"]) for p in pokers] == [
        ("mobile", "Mobile planning poker"),
        ("data-analytics", "Data and Analytics planning poker"),
    ]
    retros = await data(http, "/retro")
    assert [r["team"]["slug"] for r in retros] == ["platform", "data-analytics"]
    assert retros[1]["name"] == "Data and Analytics retrospective"
    for retro in retros:
        assert re.fullmatch(r"r[0-9a-z]{13}", retro["id"])
        assert retro["url"] == f"https://www.teamoclock.com/teamgraph-demo/retro/{retro['id']}"


async def test_meeting_lists_filter_by_team(http: httpx.AsyncClient) -> None:
    only = await data(http, "/retro", **{"filter[team]": "data-analytics"})
    assert [r["team"]["slug"] for r in only] == ["data-analytics"]
    assert await data(http, "/standup", **{"filter[team]": "mobile"}) == []
    assert await data(http, "/planpoker", **{"filter[team]": "nope"}) == []


async def test_standup_detail(http: httpx.AsyncClient) -> None:
    standup = await data(http, "/standup/platform")
    assert "links" not in standup
    assert standup["team"] == {"name": "Platform", "slug": "platform"}
    state = standup["state"]
    assert state["questions"]["q1"] == "What did you do yesterday"
    assert state["roundup_notes"] and isinstance(state["roundup_notes"][0]["id"], int)
    team = {"alice", "bob", "carmen", "Dmitri.K", "erin", "farid"}
    notes = state["member_notes"]
    assert notes[0]["username"] == "alice" and {n["username"] for n in notes} <= team
    assert set(notes[0]["questions"]) == {"q1", "q2", "q3", "q_ts"}
    assert NOW.timestamp() - 3600 < notes[0]["questions"]["q_ts"] <= NOW.timestamp()


async def test_planpoker_detail_and_tasks(http: httpx.AsyncClient) -> None:
    poker = await data(http, "/planpoker/mobile")
    state = poker["state"]
    assert state["value_mapping"] == {} and state["facilitator"] == {"username": "lena"}
    tasks = await data(http, "/planpoker/mobile/tasks")
    assert tasks == state["tasks"] and len(tasks) == 4
    assert [t["status"] for t in tasks] == ["completed", "completed", "active", "active"]
    done = tasks[0]
    assert done["links"]["self"] == (
        f"https://www.teamoclock.com/teamgraph-demo/planpoker/mobile/tasks/{done['id']}"
    )
    votes = [v["vote"] for v in done["voters"]]
    assert len(votes) == 6 and done["avg_vote"] == round(sum(votes) / len(votes), 1)
    single = await data(http, f"/planpoker/mobile/tasks/{done['id']}")
    assert single == {**done, "links": {k: v for k, v in done["links"].items() if k == "jira"}}


async def test_retro_detail(http: httpx.AsyncClient) -> None:
    (listed,) = await data(http, "/retro", **{"filter[team]": "platform"})
    retro = await data(http, f"/retro/{listed['id']}")
    state = retro["state"]
    assert state["stage"] in {"gather", "groom", "vote", "discuss", "complete"}
    assert state["facilitator"] == {"username": "alice"} and state["max_votes"] == 5
    assert [c["name"] for c in state["columns"]] == ["Went well", "To improve", "Ideas"]
    columns = {c["id"] for c in state["columns"]}
    for note in state["notes"]:
        assert note["column"] in columns and note["edits"] == [] and note["voters"] == []
        assert note["author"] in {"alice", "bob", "carmen", "Dmitri.K", "erin", "farid"}
    assert all(a["id"].startswith("ai_") for a in state["action_items"])


# -- action items -----------------------------------------------------------------------------


async def test_action_items_page_by_100_from_recent_to_older(http: httpx.AsyncClient) -> None:
    first = (await http.get("/actionitems")).json()
    assert len(first["data"]) == 100
    assert first["links"]["self"] == f"{ROOT}/actionitems"
    next_url = first["links"]["next"]
    assert next_url == f"{ROOT}/actionitems?cursor=28"
    last = (await http.get(next_url)).json()
    assert last["links"] == {"self": next_url}  # no `next` on the last page
    items = first["data"] + last["data"]
    numbers = [int(i["id"][1:]) for i in items]
    assert numbers == list(range(128, 0, -1))
    assert items[0] == {
        "id": "A128",
        "text": items[0]["text"],
        "resolved": False,
        "links": items[0]["links"],
        "team": {"name": "Data and Analytics", "slug": "data-analytics"},
    }
    assert {i["resolved"] for i in items} == {True, False}
    assert any(i["links"] == {} for i in items)
    assert any(
        i["links"].get("jira", "").startswith("https://teamgraph-demo.atlassian.net/")
        for i in items
    )


async def test_action_item_filters(http: httpx.AsyncClient) -> None:
    open_platform = await all_pages(
        http, "/actionitems", **{"filter[team]": "platform", "filter[status]": "open"}
    )
    assert open_platform and all(
        i["team"]["slug"] == "platform" and not i["resolved"] for i in open_platform
    )
    resolved = await all_pages(http, "/actionitems", **{"filter[status]": "resolved"})
    assert resolved and all(i["resolved"] for i in resolved)
    for slug in ("platform", "payments", "mobile", "data-analytics"):
        assert len(await all_pages(http, "/actionitems", **{"filter[team]": slug})) == 32
    one = await data(http, f"/actionitems/{open_platform[0]['id']}")
    assert one == open_platform[0]


async def test_next_link_keeps_the_filters() -> None:
    cast = build_cast(scale=2, now=NOW)
    async with http_for(mounted(cast), auth=AUTH) as http2:
        body = (await http2.get("/actionitems", params={"filter[status]": "resolved"})).json()
        assert body["links"]["next"].startswith(
            f"{ROOT}/actionitems?filter[status]=resolved&cursor="
        )
        items = await all_pages(http2, "/actionitems", **{"filter[status]": "resolved"})
    assert len(items) > 100 and all(i["resolved"] for i in items)
    assert len({i["id"] for i in items}) == len(items)


# -- timeline ---------------------------------------------------------------------------------


async def test_timeline_pages_every_past_meeting(http: httpx.AsyncClient) -> None:
    first = (await http.get("/timeline")).json()
    assert first["links"]["next"] == f"{ROOT}/timeline?cursor=36"
    records = await all_pages(http, "/timeline")
    assert len(records) == 136
    dates = [r["date"] for r in records]
    assert dates == sorted(dates, reverse=True) and all(ISO_MS.match(d) for d in dates)
    assert dates[-1] >= "2026-10-26" and dates[0] < "2026-11-23"
    assert {r["id"][0] for r in records} == {"S", "P", "R"}
    assert all(r["id"][0] == r["type"][0].upper() for r in records)
    assert records[0]["links"] == {"self": f"{ROOT}/timeline/{records[0]['id']}"}
    assert set(records[0]) == {"id", "type", "date", "links", "team"}


async def test_timeline_filters(http: httpx.AsyncClient) -> None:
    retros = await all_pages(http, "/timeline", **{"filter[type]": "retro"})
    assert len(retros) == 8 and {r["type"] for r in retros} == {"retro"}
    by_day = await all_pages(http, "/timeline", **{"filter[since]": "2026-11-06"})
    assert by_day and max(r["date"] for r in by_day).startswith("2026-11-06")
    moment = await all_pages(http, "/timeline", **{"filter[since]": "2026-11-06T12:00:00Z"})
    assert moment and max(r["date"] for r in moment) <= "2026-11-06T12:00"
    assert len(moment) < len(by_day)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/actionitems", {"filter[status]": "done"}),
        ("/actionitems", {"cursor": "abc"}),
        ("/timeline", {"filter[since]": "last week"}),
        ("/timeline", {"filter[type]": "mood"}),
        ("/timeline", {"cursor": "-1"}),
    ],
    ids=["status", "item cursor", "since", "type", "record cursor"],
)
async def test_invalid_list_queries_get_400(
    http: httpx.AsyncClient, path: str, params: dict[str, str]
) -> None:
    response = await http.get(path, params=params)
    assert response.status_code == 400
    assert response.json() == BAD_REQUEST


async def test_timeline_records_by_type(http: httpx.AsyncClient) -> None:
    records = await all_pages(http, "/timeline")
    first_of = {kind: next(r for r in records if r["type"] == kind) for kind in TYPES}
    standup = await data(http, f"/timeline/{first_of['standup']['id']}")
    assert set(standup) == {
        "id",
        "type",
        "date",
        "async",
        "questions",
        "origin",
        "team",
        "sync_notes",
        "async_notes",
    }
    assert standup["origin"] in {"window", "slack", "msteams"}
    assert standup["team"] == {"slug": "data-analytics", "name": "Data and Analytics"}
    poker = await data(http, f"/timeline/{first_of['planpoker']['id']}")
    assert isinstance(poker["avg_vote"], str) and poker["task"]
    assert all(isinstance(v["vote"], str) for v in poker["votes"])
    assert poker["links"]["jira"].startswith("https://teamgraph-demo.atlassian.net/browse/")
    retro = await data(http, f"/timeline/{first_of['retro']['id']}")
    assert retro["name"] == "Data and Analytics retrospective"
    assert [a["id"] for a in retro["action_items"]] == ["A125", "A126", "A127", "A128"]
    item = await data(http, "/actionitems/A125")
    assert retro["action_items"][0] == {k: v for k, v in item.items() if k != "team"}


# -- writes -----------------------------------------------------------------------------------


async def test_one_standup_per_team_so_creating_again_answers_200(
    http: httpx.AsyncClient,
) -> None:
    existing = await http.post("/standup", json={"data": {"team": {"slug": "platform"}}})
    assert existing.status_code == 200
    assert existing.json()["data"]["id"] == "platform"
    assert existing.json()["data"]["links"] == {"self": f"{ROOT}/standup/platform"}
    created = await http.post("/standup", json={"data": {"team": {"slug": "mobile"}}})
    assert created.status_code == 201
    assert created.json()["data"] == standup_summary("mobile", "Mobile", "2026-11-23T10:30:00.000Z")
    again = await http.post("/standup", json={"data": {"team": {"slug": "mobile"}}})
    assert again.status_code == 200 and again.json() == created.json()
    assert [s["id"] for s in await data(http, "/standup")] == ["platform", "payments", "mobile"]
    fresh = await data(http, "/standup/mobile")
    assert fresh["state"]["member_notes"] == [] and fresh["state"]["roundup_notes"] == []


async def test_planpoker_facilitator_defaults_to_a_team_member(http: httpx.AsyncClient) -> None:
    created = await http.post("/planpoker", json={"data": {"team": {"slug": "payments"}}})
    assert created.status_code == 201
    state = (await data(http, "/planpoker/payments"))["state"]
    assert state["facilitator"]["username"] in {"grace", "hiro", "ines", "sam.taylor", "kofi"}
    assert state["tasks"] == []
    body = {"data": {"team": {"slug": "platform"}, "facilitator": {"username": "erin"}}}
    assert (await http.post("/planpoker", json=body)).status_code == 201
    assert (await data(http, "/planpoker/platform"))["state"]["facilitator"] == {"username": "erin"}


async def test_every_retro_post_creates_one(http: httpx.AsyncClient) -> None:
    ids = []
    for _ in range(2):
        response = await http.post("/retro", json={"data": {"team": {"slug": "platform"}}})
        assert response.status_code == 201
        ids.append(response.json()["data"]["id"])
    assert len(set(ids)) == 2 and all(re.fullmatch(r"r[0-9a-z]{13}", i) for i in ids)
    listed = await data(http, "/retro", **{"filter[team]": "platform"})
    assert [r["id"] for r in listed][-2:] == ids


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        ({"team": {"slug": "platform"}}, 400),
        ({"data": {}}, 400),
        ({"data": {"team": "platform"}}, 400),
        ({"data": {"team": {"slug": "nope"}}}, 404),
        ({"data": {"team": {"slug": "mobile"}, "facilitator": {"username": "nobody"}}}, 400),
    ],
    ids=["not json", "no data", "no team", "team not an object", "unknown team", "unknown host"],
)
async def test_bad_meeting_bodies(http: httpx.AsyncClient, body: object, status: int) -> None:
    if isinstance(body, bytes):
        response = await http.post("/planpoker", content=body)
    else:
        response = await http.post("/planpoker", json=body)
    assert response.status_code == status
    assert response.json() == (BAD_REQUEST if status == 400 else NOT_FOUND)


async def test_deleting_a_meeting(http: httpx.AsyncClient) -> None:
    response = await http.delete("/standup/platform")
    assert response.status_code == 204 and response.content == b""
    assert (await http.get("/standup/platform")).status_code == 404
    assert (await http.delete("/standup/platform")).status_code == 404


async def test_poker_tasks_can_be_added_and_removed(http: httpx.AsyncClient) -> None:
    created = await http.post("/planpoker/mobile/tasks", json={"data": {"text": "A story"}})
    assert created.status_code == 201
    task = created.json()["data"]
    assert task["text"] == "A story" and task["status"] == "active" and task["voters"] == []
    assert task["links"] == {
        "self": f"https://www.teamoclock.com/teamgraph-demo/planpoker/mobile/tasks/{task['id']}"
    }
    assert (await data(http, "/planpoker/mobile/tasks"))[-1] == task
    assert (await http.delete(f"/planpoker/mobile/tasks/{task['id']}")).status_code == 204
    assert (await http.get(f"/planpoker/mobile/tasks/{task['id']}")).status_code == 404
    missing_text = await http.post("/planpoker/mobile/tasks", json={"data": {"text": ""}})
    assert missing_text.status_code == 400
    no_meeting = await http.post("/planpoker/payments/tasks", json={"data": {"text": "x"}})
    assert no_meeting.status_code == 404


async def test_action_items_can_be_created_resolved_and_deleted(
    http: httpx.AsyncClient,
) -> None:
    body = {"data": {"text": "Write the runbook", "resolved": False, "team": {"slug": "mobile"}}}
    created = await http.post("/actionitems", json=body)
    assert created.status_code == 201
    assert created.json()["data"] == {
        "id": "A129",
        "text": "Write the runbook",
        "resolved": False,
        "links": {},
        "team": {"name": "Mobile", "slug": "mobile"},
    }
    assert (await http.get("/actionitems")).json()["data"][0]["id"] == "A129"
    patched = await http.patch("/actionitems/A129", json={"data": {"resolved": True}})
    assert patched.status_code == 200
    assert patched.json()["data"]["resolved"] is True
    assert patched.json()["data"]["text"] == "Write the runbook"
    assert (
        await http.patch("/actionitems/A129", json={"data": {"resolved": "yes"}})
    ).status_code == 400
    assert (await http.delete("/actionitems/A128")).status_code == 204
    assert (await http.get("/actionitems/A128")).status_code == 404
    retro = await data(http, "/timeline/R136")
    assert [a["id"] for a in retro["action_items"]] == ["A125", "A126", "A127"]


async def test_timeline_records_can_be_deleted(http: httpx.AsyncClient) -> None:
    assert (await http.delete("/timeline/R136")).status_code == 204
    assert (await http.get("/timeline/R136")).status_code == 404
    assert len(await all_pages(http, "/timeline")) == 135


async def test_undocumented_methods_get_405_in_the_api_error_shape(
    http: httpx.AsyncClient,
) -> None:
    response = await http.put("/timeline")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method not allowed"
