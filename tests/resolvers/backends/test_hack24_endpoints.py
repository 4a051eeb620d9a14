"""Every Hack24 row of ``tests/endpoints.csv`` is reached by one Hack24Client method.

Each row maps to a call of its client method against the emulator, with ids from the demo
data; the recorded request must match the row and be answered 2xx. A row without an entry in
:data:`CALLS` fails, so a new row cannot go unserved.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

from gateway.emulators import MOUNTS
from gateway.emulators.cast import Cast
from resolvers.backends.hack24 import Hack24Client, User
from tests.conftest import emulator_http, mounted_emulator
from tests.endpoint_rows import Row, load_rows
from tests.recording import CallLog

BASE = "http://emulator" + MOUNTS["hack24"]
ROWS = load_rows("hack24")
R = TypeVar("R")
Probe = Callable[[Hack24Client], Awaitable[bool]]


def case(call: Callable[[Hack24Client], Awaitable[R]], check: Callable[[R], bool]) -> Probe:
    """A row's client call, with a check that its answer is that row's payload."""

    async def probe(client: Hack24Client) -> bool:
        return check(await call(client))

    return probe


def ids(users: list[User]) -> list[str]:
    return [u.id for u in users]


async def _removed(client: Hack24Client) -> bool:
    await client.remove_team_members("mobile", ["uma-shah", "priya-raman"])
    return "priya-raman" not in ids(await client.list_team_members("mobile"))


async def _moved(client: Hack24Client) -> bool:
    await client.set_user_team("bob-okafor", "mobile")
    bob = await client.get_user("bob-okafor")
    return bob is not None and bob.team_id == "mobile"


# (method, path as the row writes it) -> the client call that serves it.
CALLS: dict[tuple[str, str], Probe] = {
    ("GET", "/teams"): case(
        lambda c: c.list_teams(),
        lambda ts: [t.id for t in ts] == ["platform", "payments", "mobile", "data-analytics"],
    ),
    ("POST", "/teams"): case(
        lambda c: c.create_team("Night Shift", member_ids=["bob-okafor"]),
        lambda t: (t.id, [m.id for m in t.members]) == ("night-shift", ["bob-okafor"]),
    ),
    ("GET", "/teams/{teamId}"): case(
        lambda c: c.get_team("platform"), lambda t: t is not None and len(t.members) == 4
    ),
    ("GET", "/teams/{teamId}/members"): case(
        lambda c: c.list_team_members("platform"),
        lambda us: ids(us) == ["alice-nguyen", "bob-okafor", "erin-walsh", "farid-haddad"],
    ),
    ("POST", "/teams/{teamId}/members"): case(
        lambda c: c.add_team_members("mobile", ["uma-shah"]),
        lambda us: ids(us)[-1] == "uma-shah" and len(us) == 5,
    ),
    ("PATCH", "/teams/{teamId}/members"): case(
        lambda c: c.replace_team_members("mobile", ["uma-shah"]),
        lambda us: ids(us) == ["uma-shah"],
    ),
    ("DELETE", "/teams/{teamId}/members"): _removed,
    ("GET", "/users"): case(lambda c: c.list_users(), lambda us: "alice-nguyen" in ids(us)),
    ("POST", "/users"): case(
        lambda c: c.create_user("Steven", team_id="payments"),
        lambda u: (u.id, u.team_id) == ("steven", "payments"),
    ),
    ("GET", "/users/{userId}"): case(
        lambda c: c.get_user("wen-zhao"),
        lambda u: u is not None and u.team_id == "data-analytics",
    ),
    ("GET", "/users/{userId}/team"): case(
        lambda c: c.get_user_team("bob-okafor"),
        lambda t: t is not None and t.name == "Platform",
    ),
    ("PATCH", "/users/{userId}/team"): _moved,
}


def test_the_table_names_only_rows_of_the_service() -> None:
    assert set(CALLS) == {(row.method, row.path) for row in ROWS}


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
async def test_the_row_is_served_by_its_client_method(row: Row, cast: Cast) -> None:
    assert (row.method, row.path) in CALLS, f"no client method is listed for {row.id}"
    probe = CALLS[row.method, row.path]
    log = CallLog()
    http = emulator_http(mounted_emulator("hack24", cast), service="hack24", base_url=BASE, log=log)
    async with http:
        assert await probe(Hack24Client(http)), "the answer is not the row's payload"
    hits = [c for c in log.calls if row.matches(c)]
    assert hits, f"no request matched {row.id}: {[str(c) for c in log.calls]}"
    assert all(c.status is not None and 200 <= c.status < 300 for c in hits), hits
