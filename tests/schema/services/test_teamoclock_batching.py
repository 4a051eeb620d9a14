"""What Team O'clock fields cost over many parents (`build_cast(scale=3)`: 12 teams, 18 active
meetings): every per-key field is one call per distinct key, at most 8 in flight; the lists
the unified fields use are shared, so mixing unified and per-service fields adds nothing;
and a failing Team O'clock fails only its own fields."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import httpx

from gateway.emulators import create_emulator_app
from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from gateway.emulators.faults import Faults
from tests.conftest import NOW
from tests.faults import FaultTransport, always
from tests.harness import open_gateway


def big() -> Cast:
    return build_cast(scale=3, now=NOW)


def slugs(cast: Cast) -> list[str]:
    return sorted(t.teamoclock.slug for t in cast.teams if t.teamoclock)


async def calls_of(cast: Cast, query: str) -> Counter[str]:
    """Team O'clock calls a query that must not fail makes, as "METHOD path?query"."""
    async with open_gateway(cast) as gw:
        result = await gw.execute(query)
    assert "errors" not in result, result["errors"]
    return Counter(str(c).removeprefix("teamoclock ") for c in gw.log.of("teamoclock"))


LISTS = ["GET /standup", "GET /planpoker", "GET /retro"]
IDENTITY = ["GET /members", "GET /teams"]


async def test_meeting_details_cost_one_call_per_meeting() -> None:
    cast = big()
    calls = await calls_of(
        cast, "{ meetings { kind teamoclock { __typename id ... on TeamOclockStandup { state "
        "{ memberNotes { username } } } } } }",
    )  # fmt: skip
    details = [c for c in calls if c.count("/") == 2]
    assert len(details) == 18  # 6 meetings per copy of the cast
    assert set(calls) == {*IDENTITY, *LISTS, *details}
    assert set(calls.values()) == {1}  # nothing asked twice
    assert calls.total() == 2 + 3 + 18


async def test_team_oclock_teams_cost_one_call_per_team_and_meeting() -> None:
    cast = big()
    calls = await calls_of(
        cast,
        "{ teamoclock { teams { slug members { username } standup { id } "
        "planningPoker { state { tasks { id } } } retrospectives { state { stage } } "
        "actionItems(first: 2) { nodes { id } } } } }",
    )
    teams = slugs(cast)
    assert len(teams) == 12
    members = {f"GET /teams/{s}/members" for s in teams}
    items = {f"GET /actionitems?filter[team]={s}" for s in teams}
    details = {c for c in calls if c.count("/") == 2 and not c.startswith("GET /teams/")}
    assert len(details) == 18
    assert set(calls) == {"GET /teams", *LISTS, *members, *items, *details}
    assert set(calls.values()) == {1}
    assert calls.total() == 1 + 3 + 12 + 12 + 18


@dataclass
class InFlight(httpx.AsyncBaseTransport):
    """The emulators, slowed a little, counting how many record reads run at once."""

    cast: Cast
    now: int = 0
    most: int = 0
    inner: httpx.AsyncBaseTransport = field(init=False)

    def __post_init__(self) -> None:
        faults = {"teamoclock": Faults(latency_ms=5)}
        self.inner = httpx.ASGITransport(app=create_emulator_app(self.cast, faults=faults))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        record = "/timeline/" in request.url.path
        self.now += record
        self.most = max(self.most, self.now)
        try:
            return await self.inner.handle_async_request(request)
        finally:
            self.now -= record


async def test_timeline_records_are_fetched_once_each_at_most_8_at_once() -> None:
    cast = big()
    counter = InFlight(cast)
    async with open_gateway(cast, transports={"teamoclock": counter}) as gw:
        result = await gw.execute(
            "{ teamoclock { timeline(first: 40) { nodes { id record { __typename } } } "
            "again: timeline(first: 10) { nodes { record { __typename } } } } }"
        )
    assert "errors" not in result, result["errors"]
    nodes = result["data"]["teamoclock"]["timeline"]["nodes"]
    assert len(nodes) == 40 and all(n["record"] for n in nodes)
    calls = Counter(str(c).removeprefix("teamoclock ") for c in gw.log.of("teamoclock"))
    # One list page (shared by both aliases), then one call per record, the 10 the second
    # alias shows included.
    assert calls == Counter(["GET /timeline"] + [f"GET /timeline/{n['id']}" for n in nodes])
    assert 1 < counter.most <= 8


UNIFIED = """
teams {
  key
  members { name }
  memberships(service: TEAMOCLOCK) { role user { key } }
  meetings { kind name }
}
users { key teamoclockRole }
"""

PER_SERVICE = """
teams { teamoclock { slug name team { key } members { username user { key } } } }
users { teamoclock { username role user { key } } }
teamoclock {
  members { username user { key } }
  teams { slug members { username } }
  standups { id team { key } }
  planningPokers { id }
  retrospectives { id teamSlug }
}
"""


async def test_per_service_fields_beside_unified_ones_cost_no_extra_call() -> None:
    cast = big()
    unified = await calls_of(cast, f"{{ {UNIFIED} }}")
    mixed = await calls_of(cast, f"{{ {UNIFIED} {PER_SERVICE} }}")
    t = len(slugs(cast))
    assert sum(unified.values()) == t + 5  # the README's contract for Team O'clock
    assert mixed == unified  # the same calls, each once: the loaders are shared


async def test_team_oclock_down_fails_only_its_fields() -> None:
    cast = big()
    async with open_gateway(cast, faults={"teamoclock": Faults(down=True)}) as gw:
        result = await gw.execute(
            "{ teams { key memberships(service: TEMPO) { role } teamoclock { slug } } "
            "teamoclock { members { username } actionItems { nodes { id } } } "
            "tempo { roles { name } } }"
        )
    data = result["data"]
    assert len(data["teams"]) == 12
    assert all(t["memberships"] and t["teamoclock"] is None for t in data["teams"])
    assert data["tempo"]["roles"]
    assert data["teamoclock"] == {"members": None, "actionItems": None}
    codes = {(e["extensions"]["service"], e["extensions"]["code"]) for e in result["errors"]}
    assert codes == {("teamoclock", "UPSTREAM_UNAVAILABLE")}
    assert {tuple(e["path"]) for e in result["errors"] if "path" in e} >= {
        ("teamoclock", "members"), ("teamoclock", "actionItems"),
    }  # fmt: skip


async def test_one_meeting_that_answers_garbage_fails_alone(cast: Cast) -> None:
    transport = FaultTransport(cast)
    garbage = always(lambda request: httpx.Response(200, content=b"<html>oops</html>"))
    transport.on("/standup/platform", garbage)
    async with open_gateway(cast, transports={"teamoclock": transport}) as gw:
        result = await gw.execute("{ meetings { kind team { key } teamoclock { id } } }")
    meetings = result["data"]["meetings"]
    broken = [m for m in meetings if m["teamoclock"] is None]
    assert [(m["kind"], m["team"]["key"]) for m in broken] == [("STANDUP", "platform")]
    assert len(meetings) - len(broken) == 5  # the other details still arrive
    (error,) = result["errors"]
    assert (error["extensions"]["service"], error["extensions"]["code"]) == (
        "teamoclock", "UPSTREAM_BAD_RESPONSE",
    )  # fmt: skip
    assert error["path"][0] == "meetings" and error["path"][-1] == "teamoclock"
