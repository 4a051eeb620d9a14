"""Tempo nests what its models keep flat (``issue.key``, ``memberships.active``, a team linked
by URL): every shape a field may arrive in is read the same way, from JSON bytes as from
decoded Python."""

from __future__ import annotations

from typing import Any

import orjson
import pydantic
import pytest

from resolvers.backends.tempo_teams_models import TeamMember
from resolvers.backends.tempo_worklogs import Worklog

MEMBER = {"self": "http://t/core/3/users?accountId=a-1", "accountId": "a-1", "displayName": "A"}
ACTIVE = {"id": 5, "commitmentPercent": 50, "from": "2026-01-01", "to": None,
          "role": {"id": 2, "name": "Dev"}}  # fmt: skip


def both(tp: type[Any], data: dict[str, Any]) -> Any:
    """`data` read from JSON and from Python: the two must agree."""
    adapter = pydantic.TypeAdapter(tp)
    from_json = adapter.validate_json(orjson.dumps(data))
    assert adapter.validate_python(data) == from_json
    return from_json


@pytest.mark.parametrize(
    ("extra", "team_id"),
    [
        ({"team": {"self": "http://t/core/3/teams/7"}}, 7),
        ({"team": {"self": "http://t/core/3/teams/7?expand=x"}}, 7),
        ({"team": {"id": 9, "self": "http://t/core/3/teams/7"}}, 9),
        ({"team": {"self": "http://t/core/3/programs/7"}}, None),
        ({"team": {"self": None}}, None),
        ({"teamId": 3, "team": {"self": "http://t/core/3/teams/7"}}, 3),
        ({"teamId": "12"}, 12),
        ({}, None),
    ],
)
def test_a_members_team_id_from_any_shape(extra: dict[str, Any], team_id: int | None) -> None:
    found = both(TeamMember, {"member": MEMBER, **extra})
    assert found.team_id == team_id


def test_a_members_active_membership_nested_or_flat() -> None:
    nested = both(TeamMember, {"member": MEMBER, "memberships": {"self": "u", "active": ACTIVE}})
    flat = both(TeamMember, {"member": MEMBER, "active": ACTIVE})
    assert nested.active == flat.active
    assert nested.active is not None and nested.active.role.name == "Dev"
    assert both(TeamMember, {"member": MEMBER, "memberships": {"self": "u"}}).active is None
    assert both(TeamMember, {"member": MEMBER, "memberships": {"active": None}}).active is None


def test_a_member_built_by_field_name() -> None:
    member = TeamMember.model_validate({"member": MEMBER, "team_id": 4})
    assert member.team_id == 4


WORKLOG = {
    "tempoWorklogId": 1, "timeSpentSeconds": 60, "startDate": "2026-11-02",
    "startTime": "09:00:00", "createdAt": "2026-11-02T10:00:00Z",
    "updatedAt": "2026-11-02T10:00:00", "author": MEMBER,
}  # fmt: skip


@pytest.mark.parametrize(
    "shape",
    [
        {"issue": {"self": "http://j/issue/PLAT-1", "key": "PLAT-1"},
         "attributes": {"self": "a", "values": [{"key": "_C_", "value": "red"}]}},
        {"issueKey": "PLAT-1", "attributes": [{"key": "_C_", "value": "red"}]},
    ],
)  # fmt: skip
def test_a_worklogs_issue_and_attributes_nested_or_flat(shape: dict[str, Any]) -> None:
    worklog = both(Worklog, {**WORKLOG, **shape})
    assert worklog.issue_key == "PLAT-1"
    assert [(a.key, a.value) for a in worklog.attributes] == [("_C_", "red")]
    assert worklog.updated_at.tzinfo is not None  # an offset-less timestamp is UTC


def test_a_worklog_without_an_issue_key_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="issueKey"):
        both(Worklog, {**WORKLOG, "issue": {"self": "http://j/issue/1"}})
