"""Every Team O'clock row of ``tests/endpoints.csv`` is reached by a client method.

Each row maps to one call of :class:`TeamOclockClient` (writes may first read what they
change) against the emulator; the test asserts that a recorded upstream call matches the
row and was answered 2xx.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.teamoclock import TeamOclockClient
from tests.endpoint_rows import Row, load_rows
from tests.recording import CallLog
from tests.resolvers.backends.test_teamoclock_client import client_for

ROWS = load_rows("teamoclock")
Use = Callable[[TeamOclockClient], Awaitable[object]]


async def _retro_id(c: TeamOclockClient) -> str:
    (retro,) = await c.list_retros(team="platform")
    return retro.id


async def _task_id(c: TeamOclockClient) -> str:
    return (await c.list_planpoker_tasks("mobile"))[0].id


async def _get_retro(c: TeamOclockClient) -> object:
    return await c.get_retro(await _retro_id(c))


async def _delete_retro(c: TeamOclockClient) -> None:
    await c.delete_retro(await _retro_id(c))


async def _get_task(c: TeamOclockClient) -> object:
    return await c.get_planpoker_task("mobile", await _task_id(c))


async def _delete_task(c: TeamOclockClient) -> None:
    await c.delete_planpoker_task("mobile", await _task_id(c))


# (method, path as the seed writes it) -> a call of the client method that serves the row.
CALLS: dict[tuple[str, str], Use] = {
    ("GET", "/members"): lambda c: c.list_members(),
    ("POST", "/members"): lambda c: c.create_member("zoe", first_name="Zoe"),
    ("GET", "/members/{username}"): lambda c: c.get_member("alice"),
    ("PATCH", "/members/{username}"): lambda c: c.update_member("bob", role="manager"),
    ("DELETE", "/members/{username}"): lambda c: c.delete_member("farid"),
    ("GET", "/teams"): lambda c: c.list_teams(),
    ("POST", "/teams"): lambda c: c.create_team("Security", "security"),
    ("GET", "/teams/{slug}"): lambda c: c.get_team("payments"),
    ("PATCH", "/teams/{slug}"): lambda c: c.update_team("mobile", mood_enabled=True),
    ("DELETE", "/teams/{slug}"): lambda c: c.delete_team("mobile"),
    ("GET", "/teams/{slug}/members"): lambda c: c.list_team_members("platform"),
    ("POST", "/teams/{slug}/members"): lambda c: c.add_team_members("mobile", ["alice"]),
    ("DELETE", "/teams/{slug}/members"): lambda c: c.remove_team_members("platform", ["bob"]),
    ("GET", "/standup"): lambda c: c.list_standups(),
    ("POST", "/standup"): lambda c: c.create_standup("mobile"),
    ("GET", "/standup/{id}"): lambda c: c.get_standup("platform"),
    ("DELETE", "/standup/{id}"): lambda c: c.delete_standup("payments"),
    ("GET", "/planpoker"): lambda c: c.list_planpokers(),
    ("POST", "/planpoker"): lambda c: c.create_planpoker("payments", facilitator="kofi"),
    ("GET", "/planpoker/{id}"): lambda c: c.get_planpoker("mobile"),
    ("DELETE", "/planpoker/{id}"): lambda c: c.delete_planpoker("data-analytics"),
    ("GET", "/planpoker/{id}/tasks"): lambda c: c.list_planpoker_tasks("mobile"),
    ("POST", "/planpoker/{id}/tasks"): lambda c: c.create_planpoker_task("mobile", "A story"),
    ("GET", "/planpoker/{id}/tasks/{task_id}"): _get_task,
    ("DELETE", "/planpoker/{id}/tasks/{task_id}"): _delete_task,
    ("GET", "/retro"): lambda c: c.list_retros(),
    ("POST", "/retro"): lambda c: c.create_retro("payments"),
    ("GET", "/retro/{id}"): _get_retro,
    ("DELETE", "/retro/{id}"): _delete_retro,
    ("GET", "/actionitems"): lambda c: c.list_action_items(),
    ("POST", "/actionitems"): lambda c: c.create_action_item("mobile", "Write the runbook"),
    ("GET", "/actionitems/{id}"): lambda c: c.get_action_item("A5"),
    ("PATCH", "/actionitems/{id}"): lambda c: c.update_action_item("A128", resolved=True),
    ("DELETE", "/actionitems/{id}"): lambda c: c.delete_action_item("A7"),
    ("GET", "/timeline"): lambda c: c.list_timeline(),
    ("GET", "/timeline/{id}"): lambda c: c.get_timeline_entry("R136"),
    ("DELETE", "/timeline/{id}"): lambda c: c.delete_timeline_entry("S1"),
}


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
async def test_row_is_served_by_a_client_method(cast: Cast, call_log: CallLog, row: Row) -> None:
    use = CALLS.get((row.method, row.path))
    assert use is not None, f"no client method mapped for {row.method} {row.path}"
    client = client_for(cast, log=call_log)
    try:
        result = await use(client)
    finally:
        await client.http.aclose()
    hits = [call for call in call_log.of("teamoclock") if row.matches(call)]
    assert hits, f"no recorded call matches {row.id}: {[str(c) for c in call_log.calls]}"
    assert all(call.status is not None and 200 <= call.status < 300 for call in hits), hits
    if row.method == "GET":  # a read of the demo data finds something
        assert result


def test_the_table_has_no_rows_the_csv_lacks() -> None:
    assert set(CALLS) == {(row.method, row.path) for row in ROWS}
    assert len(ROWS) == 37
