"""The queries under test, and how an answer is judged right.

Q1 is written twice: for Teamgraph, and for the peers' schema over the same endpoints (Tempo
``/teams`` -> ``/teams/{id}/members``, oncall ``/teams/{name}``). The two answers carry the
same facts in different shapes, so each is reduced to one canonical form before comparing:
teams sorted by name; memberships as (role, user name); rosters as (name, member names).
Names are folded (accents, case, punctuation, ``&``/``and``) because Teamgraph answers with
the linked person's or team's name ("Inês Costa", "Data and Analytics") where a raw join
shows one service's spelling ("Ines Costa", "Data & Analytics"); that is identity working,
not a wrong answer. Order inside lists is not compared: no API here promises one.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.graphiql.examples import TEAM_OVERVIEW as TEAM_OVERVIEW  # the README's

# "Now" for every snapshot: the data the emulators generate is relative to it.
PINNED_NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)

Q1_TEAMGRAPH = (
    "{ teams { name memberships(service: TEMPO) { role user { name } }"
    " rosters { name members { user { name } } } } }"
)

# The peers' schema mirrors the upstream JSON (bench/peers/tailcall.graphql and
# openapi.json). oncall keys rosters and users by name, which GraphQL cannot enumerate, so
# both peers expose those two maps as the JSON scalar.
Q1_PEERS = (
    "{ teams { results { name memberships { results { member { displayName }"
    " memberships { active { role { name } } } } } oncall { rosters users } } } }"
)


def overview_variables() -> dict[str, str]:
    """The week up to the pinned now (what the snapshot's worklog and time-entry bodies hold)."""
    return {"from": str(PINNED_NOW.date() - timedelta(days=6)), "to": str(PINNED_NOW.date())}


def fold(name: str | None) -> str | None:
    if name is None:
        return None
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"\s*&\s*", " and ", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


Canonical = list[tuple[Any, ...]]


def _team(
    name: str | None, members: list[tuple[Any, ...]], rosters: list[tuple[Any, ...]]
) -> tuple[Any, ...]:
    return (fold(name), sorted(members, key=repr), sorted(rosters, key=repr))


def _user(user: dict[str, Any] | None) -> str | None:
    return fold(user["name"]) if user else None


def canonical_q1_teamgraph(data: dict[str, Any]) -> Canonical:
    teams = []
    for t in data["teams"]:
        members = [(m["role"], _user(m["user"])) for m in t["memberships"]]
        rosters = [
            (r["name"], tuple(sorted((_user(m["user"]) or "") for m in r["members"])))
            for r in t["rosters"]
        ]
        teams.append(_team(t["name"], members, rosters))
    return sorted(teams, key=repr)


def rosters_from_oncall(team: dict[str, Any] | None) -> list[tuple[Any, ...]]:
    """(roster, member names) from an oncall team detail's `rosters` and `users` maps."""
    if not team:
        return []
    users = team.get("users") or {}
    rosters = team.get("rosters") or {}

    def name(username: str) -> str:
        return fold(users.get(username, {}).get("full_name", username)) or ""

    return [
        (roster_name, tuple(sorted(name(u["name"]) for u in roster.get("users", []))))
        for roster_name, roster in rosters.items()
    ]


def _role(membership: dict[str, Any]) -> str | None:
    active = (membership.get("memberships") or {}).get("active") or {}
    role: str | None = (active.get("role") or {}).get("name")
    return role


def canonical_q1_peers(data: dict[str, Any]) -> Canonical:
    teams = []
    for t in data["teams"]["results"]:
        members = [
            (_role(m), fold((m.get("member") or {}).get("displayName")))
            for m in (t.get("memberships") or {}).get("results", [])
        ]
        teams.append(_team(t["name"], members, rosters_from_oncall(t.get("oncall"))))
    return sorted(teams, key=repr)


def canonical_overview(data: dict[str, Any]) -> Any:
    """TeamOverview answers are compared whole, with teams and list order normalised."""

    def norm(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: norm(v) for k, v in sorted(value.items())}
        if isinstance(value, list):
            return sorted((norm(v) for v in value), key=repr)
        return value

    return norm(data)
