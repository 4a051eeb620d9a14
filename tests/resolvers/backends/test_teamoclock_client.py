"""TeamOclockClient against the Team O'clock emulator, plus the documented payload variants."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime

import httpx
import orjson
import pytest

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from resolvers.backends.errors import (
    UpstreamBadResponse,
    UpstreamNotFound,
    UpstreamRejected,
    UpstreamUnauthorized,
    UpstreamUnavailable,
)
from resolvers.backends.teamoclock import (
    ActionItem,
    Member,
    MemberRef,
    TeamOclockClient,
    TeamRef,
    TimelinePlanpoker,
    TimelineRetro,
    TimelineStandup,
    Vote,
)
from tests.conftest import NOW, emulator_http, mounted_emulator
from tests.recording import CallLog

BASE_URL = "http://emulator" + MOUNTS["teamoclock"]
PLATFORM = TeamRef(name="Platform", slug="platform")
DATA = TeamRef(name="Data and Analytics", slug="data-analytics")


def client_for(
    cast: Cast,
    *,
    log: CallLog | None = None,
    faults: Faults | None = None,
    auth: tuple[str, str] | None = None,
) -> TeamOclockClient:
    app = mounted_emulator("teamoclock", cast, faults=faults)
    credentials = cast.credentials
    auth = auth or (credentials.teamoclock_org, credentials.teamoclock_key)
    return TeamOclockClient(
        emulator_http(app, service="teamoclock", base_url=BASE_URL, log=log, auth=auth)
    )


@pytest.fixture
async def client(cast: Cast, call_log: CallLog) -> AsyncIterator[TeamOclockClient]:
    client = client_for(cast, log=call_log)
    yield client
    await client.http.aclose()


def calls(log: CallLog) -> list[str]:
    return [str(c) for c in log.of("teamoclock")]


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> TeamOclockClient:
    transport = httpx.MockTransport(handler)
    return TeamOclockClient(httpx.AsyncClient(transport=transport, base_url=BASE_URL))


def answering(*bodies: object, status: int = 200) -> TeamOclockClient:
    """A client whose upstream answers successive requests with these JSON bodies."""
    queue = [orjson.dumps(body) for body in bodies]
    headers = {"content-type": "application/json"}
    return mock_client(lambda _: httpx.Response(status, content=queue.pop(0), headers=headers))


# -- members and teams ------------------------------------------------------------------------


async def test_members(client: TeamOclockClient, call_log: CallLog) -> None:
    members = await client.list_members()
    assert members[0] == Member(
        username="alice",
        first_name="Alice",
        last_name="Nguyen",
        avatar="alice.jpg",
        email="alice@teamgraph.example",
        role="administrator",
    )
    assert len(members) == 22 and "jonas" not in {m.username for m in members}
    dmitri = await client.get_member("Dmitri.K")
    assert dmitri is not None and dmitri.email == "dmitri.kuznetsov@mailbox.example"
    assert dmitri.full_name == "Dmitri Kuznetsov"
    assert await client.get_member("nobody") is None
    assert calls(call_log) == [
        "teamoclock GET /members",
        "teamoclock GET /members/Dmitri.K",
        "teamoclock GET /members/nobody",
    ]


async def test_ids_are_one_path_segment(client: TeamOclockClient) -> None:
    assert await client.get_member("a/../teams") is None
    sent: list[bytes] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.raw_path)
        return httpx.Response(404, json={"error": {"status": 404}})

    assert await mock_client(record).get_retro("r1?x=/") is None
    assert sent == [b"/teamoclock/api/v2/retro/r1%3Fx%3D%2F"]


async def test_teams_and_their_members(client: TeamOclockClient) -> None:
    teams = await client.list_teams()
    assert [t.slug for t in teams] == ["platform", "payments", "mobile", "data-analytics"]
    data = await client.get_team("data-analytics")
    assert data is not None and data.name == "Data and Analytics" and data.mood_enabled is False
    assert data.video_url == "https://meet.example/data-analytics"
    assert await client.get_team("nope") is None
    payments = await client.list_team_members("payments")
    assert [m.username for m in payments] == ["grace", "hiro", "ines", "sam.taylor", "kofi"]
    assert payments[2].first_name == "Inês"
    with pytest.raises(UpstreamNotFound):
        await client.list_team_members("nope")


# -- active meetings --------------------------------------------------------------------------


async def test_standups(client: TeamOclockClient, call_log: CallLog) -> None:
    assert [s.id for s in await client.list_standups()] == ["platform", "payments"]
    (platform,) = await client.list_standups(team="platform")
    assert platform.name == "Platform standup" and platform.team == PLATFORM
    assert platform.url == "https://www.teamoclock.com/teamgraph-demo/standup/platform"
    assert platform.date.tzinfo is UTC and platform.date.date() == NOW.date()
    assert platform.date < NOW
    detail = await client.get_standup("platform")
    assert detail is not None and detail.date == platform.date
    assert detail.state.questions.q3 == "Do you have any impediments"
    first = detail.state.member_notes[0]
    assert first.username == "alice" and first.questions.q1
    assert first.questions.answered_at is not None
    assert NOW.replace(hour=9) < first.questions.answered_at <= NOW
    assert await client.get_standup("mobile") is None
    assert calls(call_log)[:2] == [
        "teamoclock GET /standup",
        "teamoclock GET /standup?filter[team]=platform",
    ]


async def test_planning_poker(client: TeamOclockClient) -> None:
    assert [p.id for p in await client.list_planpokers()] == ["mobile", "data-analytics"]
    (data,) = await client.list_planpokers(team="data-analytics")
    assert data.team == DATA and data.name == "Data and Analytics planning poker"
    detail = await client.get_planpoker("mobile")
    assert detail is not None and detail.state.facilitator == MemberRef(username="lena")
    tasks = await client.list_planpoker_tasks("mobile")
    assert tasks == detail.state.tasks
    done = tasks[0]
    assert done.status == "completed" and len(done.voters) == 6
    assert done.avg_vote == pytest.approx(
        round(sum(v.vote or 0 for v in done.voters) / len(done.voters), 1)
    )
    assert done.voters[0].username == "lena"
    assert await client.get_planpoker_task("mobile", done.id) == done
    assert await client.get_planpoker_task("mobile", "nope") is None
    with pytest.raises(UpstreamNotFound):
        await client.list_planpoker_tasks("payments")


async def test_retros(client: TeamOclockClient) -> None:
    retros = await client.list_retros()
    assert [r.team for r in retros] == [PLATFORM, DATA]
    (platform,) = await client.list_retros(team="platform")
    detail = await client.get_retro(platform.id)
    assert detail is not None and detail.name == "Platform retrospective"
    state = detail.state
    assert state.facilitator == MemberRef(username="alice") and state.max_votes == 5
    assert [c.name for c in state.columns] == ["Went well", "To improve", "Ideas"]
    assert state.notes and all(n.column in {c.id for c in state.columns} for n in state.notes)
    assert len(state.action_items) == 2
    assert await client.get_retro("r0000000000000") is None


# -- action items -----------------------------------------------------------------------------


async def test_action_items_follow_every_page(client: TeamOclockClient, call_log: CallLog) -> None:
    items = await client.list_action_items()
    assert [i.id for i in items] == [f"A{n}" for n in range(128, 0, -1)]
    assert calls(call_log) == [
        "teamoclock GET /actionitems",
        "teamoclock GET /actionitems?cursor=28",
    ]
    assert items[0].team == DATA and items[0].resolved is False
    assert {i.resolved for i in items} == {True, False}
    assert any(i.jira is None for i in items)
    assert any((i.jira or "").startswith("https://teamgraph-demo.atlassian.net/") for i in items)
    assert await client.get_action_item(items[5].id) == items[5]
    assert await client.get_action_item("A9999") is None


async def test_action_item_filters(client: TeamOclockClient, call_log: CallLog) -> None:
    open_items = await client.list_action_items(team="platform", status="open")
    assert open_items and all(i.team == PLATFORM and not i.resolved for i in open_items)
    resolved = await client.list_action_items(status="resolved")
    assert resolved and all(i.resolved for i in resolved)
    assert calls(call_log) == [
        "teamoclock GET /actionitems?filter[status]=open&filter[team]=platform",
        "teamoclock GET /actionitems?filter[status]=resolved",
    ]


# -- timeline ---------------------------------------------------------------------------------


async def test_timeline_follows_every_page(client: TeamOclockClient, call_log: CallLog) -> None:
    entries = await client.list_timeline()
    assert len(entries) == 136
    assert calls(call_log) == ["teamoclock GET /timeline", "teamoclock GET /timeline?cursor=36"]
    assert [e.date for e in entries] == sorted((e.date for e in entries), reverse=True)
    assert entries[0].id == "R136" and entries[0].type == "retro" and entries[0].team == DATA


async def test_timeline_filters(client: TeamOclockClient, call_log: CallLog) -> None:
    retros = await client.list_timeline(type="retro")
    assert len(retros) == 8 and {e.type for e in retros} == {"retro"}
    by_day = await client.list_timeline(since=date(2026, 11, 6))
    assert max(e.date for e in by_day).date() == date(2026, 11, 6)
    noon = await client.list_timeline(since=datetime(2026, 11, 6, 12, tzinfo=UTC))
    assert max(e.date for e in noon) <= datetime(2026, 11, 6, 12, tzinfo=UTC)
    assert calls(call_log) == [
        "teamoclock GET /timeline?filter[type]=retro",
        "teamoclock GET /timeline?filter[since]=2026-11-06",
        "teamoclock GET /timeline?filter[since]=2026-11-06T12:00:00.000Z",
    ]
    with pytest.raises(UpstreamRejected) as raised:
        await client.list_timeline(type="mood")
    assert "Invalid request: Enter a valid json body" in raised.value.message


async def test_timeline_records_parse_by_type(client: TeamOclockClient) -> None:
    entries = await client.list_timeline()
    first_of = {
        kind: next(e for e in entries if e.type == kind) for kind in ("standup", "planpoker")
    }
    standup = await client.get_timeline_entry(first_of["standup"].id)
    assert isinstance(standup, TimelineStandup) and standup.team == DATA
    assert standup.origin in {"window", "slack", "msteams"}
    assert standup.questions.q2 == "What will you do today"
    poker = await client.get_timeline_entry(first_of["planpoker"].id)
    assert isinstance(poker, TimelinePlanpoker) and poker.task and poker.votes
    assert isinstance(poker.avg_vote, float) and isinstance(poker.votes[0].vote, float)
    assert (poker.jira or "").startswith("https://teamgraph-demo.atlassian.net/browse/")
    retro = await client.get_timeline_entry("R136")
    assert isinstance(retro, TimelineRetro) and retro.name == "Data and Analytics retrospective"
    assert [a.id for a in retro.action_items] == ["A125", "A126", "A127", "A128"]
    item = await client.get_action_item("A125")
    assert item is not None and retro.action_items[0] == item.model_copy(update={"team": None})
    assert await client.get_timeline_entry("S9999") is None


# -- errors -----------------------------------------------------------------------------------


async def test_wrong_key_is_unauthorized(cast: Cast) -> None:
    client = client_for(cast, auth=("teamgraph-demo", "wrong"))
    with pytest.raises(UpstreamUnauthorized) as raised:
        await client.list_members()
    assert raised.value.service == "teamoclock" and raised.value.status == 401
    assert "Unauthorized: Please verify your credentials" in raised.value.message


async def test_outage_is_unavailable(cast: Cast) -> None:
    client = client_for(cast, faults=Faults(down=True))
    with pytest.raises(UpstreamUnavailable) as raised:
        await client.list_teams()
    assert raised.value.service == "teamoclock" and raised.value.status == 503


@pytest.mark.parametrize(
    "body",
    [{"members": []}, {"data": [{"first_name": "No username"}]}, {"data": {"username": "x"}}],
    ids=["no data", "no username", "not a list"],
)
async def test_wrong_shape_is_a_bad_response(body: object) -> None:
    with pytest.raises(UpstreamBadResponse):
        await answering(body).list_members()


async def test_next_link_to_another_host_is_refused() -> None:
    page = {"data": [], "links": {"next": "https://evil.example/api/v2/actionitems?cursor=1"}}
    with pytest.raises(UpstreamBadResponse, match="leaves the configured base URL"):
        await answering(page).list_action_items()


async def test_a_repeated_next_link_stops_instead_of_looping() -> None:
    page = {"data": [], "links": {"next": f"{BASE_URL}/timeline?cursor=5"}}
    with pytest.raises(UpstreamBadResponse, match="twice"):
        await answering(page, page, page).list_timeline()


# -- documented variants ----------------------------------------------------------------------


async def test_variants_of_votes_links_and_timestamps() -> None:
    task = {
        "id": "abcd",
        "status": "active",
        "text": "Story",
        "avg_vote": 5,
        "voters": [{"username": "joe", "vote": 5}, {"username": "ann", "vote": "?"}],
    }
    client = answering({"data": task})
    got = await client.get_planpoker_task("acme", "abcd")
    assert got is not None and got.jira is None and got.avg_vote == 5.0
    assert got.voters == [Vote(username="joe", vote=5.0), Vote(username="ann", vote=None)]
    item = {
        "id": "A242",
        "text": "A new action item",
        "resolved": False,
        "links": {"jira": "https://acme.atlassian.net/browse/ACME"},
        "team": {"name": "Acme", "slug": "acme"},
    }
    bare = {"id": "A1", "text": "No links", "resolved": True}
    client = answering({"data": [item, bare], "links": {"self": f"{BASE_URL}/actionitems"}})
    assert await client.list_action_items() == [
        ActionItem(
            id="A242",
            text="A new action item",
            resolved=False,
            jira="https://acme.atlassian.net/browse/ACME",
            team=TeamRef(name="Acme", slug="acme"),
        ),
        ActionItem(id="A1", text="No links", resolved=True, jira=None, team=None),
    ]


# The docs' example, typos and all.
STANDUP = {
    "id": "acme",
    "name": "Acme standup",
    "date": "2020-12-10T14:09:39.971Z",
    "url": "https://www.teamoclock.com/jenious/standup/acme",
    "team": {"name": "Acme", "slug": "acme"},
    "state": {
        "questions": {
            "q1": "What did you do yesterday",
            "q2": "What will you do todat",
            "q3": "Do you have any impediments",
        },
        "roundup_notes": [{"text": "A note", "id": 23423}],
        "member_notes": [
            {
                "username": "joe",
                "questions": {
                    "q1": "Worked on marketing site",
                    "q2": "Word on signup page",
                    "q3": "Designer is on vacations",
                    "q_ts": 3435232523,
                },
            }
        ],
    },
}


def standup_answered_at(q_ts: object) -> dict[str, object]:
    return {
        **STANDUP,
        "state": {"member_notes": [{"username": "joe", "questions": {"q_ts": q_ts}}]},
    }


async def test_the_documented_standup_example_parses() -> None:
    example = STANDUP
    standup = await answering({"data": example}).get_standup("acme")
    assert standup is not None
    assert standup.date == datetime(2020, 12, 10, 14, 9, 39, 971000, tzinfo=UTC)
    answers = standup.state.member_notes[0].questions
    assert answers.answered_at == datetime.fromtimestamp(3435232523, UTC)
    standup = await answering({"data": standup_answered_at(1795429380000)}).get_standup("acme")
    assert standup is not None
    assert standup.state.member_notes[0].questions.answered_at == datetime(
        2026, 11, 23, 10, 23, tzinfo=UTC
    )


async def test_the_documented_timeline_planpoker_example_parses() -> None:
    example = {
        "id": "P33",
        "type": "planpoker",
        "date": "2020-12-10T14:09:39.971Z",
        "task": "Create a landing page",
        "avg_vote": "8",
        "team": {"slug": "acme", "name": "Acme"},
        "links": {"jira": "https://acme.atlassian.net/browse/ACME"},
        "votes": [{"vote": "5", "username": "joe"}],
    }
    record = await answering({"data": example}).get_timeline_entry("P33")
    assert isinstance(record, TimelinePlanpoker)
    assert record.avg_vote == 8.0 and record.votes == [Vote(username="joe", vote=5.0)]
    assert record.jira == "https://acme.atlassian.net/browse/ACME"


async def test_an_impossible_timestamp_is_a_bad_response() -> None:
    with pytest.raises(UpstreamBadResponse, match="q_ts"):
        await answering({"data": standup_answered_at(1e30)}).get_standup("acme")
