"""Parts of a payload validated when first read (resolvers/backends/deferred.py), through
OncallClient against the emulator: oncall's team answer defers its members' details and its
rosters' schedules."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pydantic
import pytest

from gateway.emulators.cast import Cast
from resolvers.backends.deferred import Deferred
from resolvers.backends.errors import UpstreamBadResponse
from resolvers.backends.oncall import OncallClient, TeamDetail, User
from tests.conftest import emulator_http
from tests.recording import CallLog
from tests.resolvers.backends.oncall_support import BASE, answering, mounted


@pytest.fixture
async def oncall(cast: Cast, call_log: CallLog) -> AsyncIterator[OncallClient]:
    async with emulator_http(mounted(cast), service="oncall", base_url=BASE, log=call_log) as http:
        yield OncallClient(http)


async def test_parts_are_validated_when_first_read_and_kept(oncall: OncallClient) -> None:
    team = await oncall.get_team("platform")
    assert team is not None
    assert repr(team.users) == "Deferred(not validated yet)"
    users = team.users.get()
    assert isinstance(users["alice"], User) and users["alice"].contacts.slack == "alice"
    assert team.users.get() is users  # validated once
    schedules = team.rosters[0].schedules.get()
    assert [s.role for s in schedules] == ["primary", "secondary"]


async def test_a_deferred_model_equals_and_dumps_as_a_validated_one(oncall: OncallClient) -> None:
    first, again = await oncall.get_team("platform"), await oncall.get_team("platform")
    assert first is not None and again is not None
    assert first == again  # compared by value, validating both
    dumped = first.model_dump(mode="json")
    assert dumped["users"]["alice"]["contacts"]["email"] == "alice@teamgraph.example"
    assert dumped["rosters"][0]["schedules"][0]["role"] == "primary"
    rebuilt = TeamDetail.model_validate(dumped)
    assert rebuilt == first and rebuilt.users.get() == first.users.get()


async def test_a_broken_part_raises_the_clients_error_only_when_read() -> None:
    body = {
        "id": 1,
        "name": "t",
        "users": {"ann": {"id": "not a number", "name": "ann"}},
        "rosters": {"r": {"users": [], "schedules": [{"id": 3}]}},
    }
    team = await answering(body).get_team("t")  # the rest of the answer reads fine
    assert team is not None and team.rosters[0].name == "r"
    with pytest.raises(UpstreamBadResponse) as users_error:
        team.users.get()
    assert users_error.value.service == "oncall"
    assert users_error.value.message.startswith(
        "oncall: GET /oncall/api/v0/teams/t answered a payload that does not match its "
        "documented shape (1 problem(s); first at users.ann.id: "
    )
    with pytest.raises(UpstreamBadResponse, match=r"1 problem\(s\); first at schedules\.0\.role"):
        team.rosters[0].schedules.get()


def test_built_in_python_a_broken_part_is_pydantics_error() -> None:
    team = TeamDetail(id=1, name="t", users={"ann": {"id": "x", "name": "ann"}})
    with pytest.raises(pydantic.ValidationError):
        team.users.get()
    # Validated with a context of someone else's, it is pydantic's error all the same.
    broken = {"id": 1, "name": "t", "users": {"ann": {"id": "x", "name": "ann"}}}
    other = TeamDetail.model_validate(broken, context={"not": "an origin"})
    with pytest.raises(pydantic.ValidationError):
        other.users.get()
    assert TeamDetail(id=1, name="t").users.get() == {}
    assert Deferred.ready([1]) == Deferred.ready([1]) and Deferred.ready([1]) != [1]
