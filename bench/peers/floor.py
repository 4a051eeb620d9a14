"""The floor: Q1's answer built by a plain Python function from the raw upstream bodies.

No gateway can do less than this: parse the bodies Q1 needs (Tempo ``/teams``, each team's
``/members``, each linked oncall team), join them, and serialise the answer. It is timed
in-process with the bodies already in memory, so the figure is pure CPU; each gateway's CPU
per query is reported as a multiple of it.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

import orjson

TEMPO = "/tempo/core/3"
ONCALL = "/oncall/api/v0"
# The field the snapshot adds to each Tempo team: the oncall team it links to, so that
# gateways without identity linking (the peers, this floor) can join the two services.
LINK_FIELD = "oncallTeam"


@dataclass(frozen=True)
class Q1Bodies:
    teams: bytes
    members: dict[int, bytes]  # Tempo team id -> /teams/{id}/members body
    oncall: dict[str, bytes]  # oncall team name -> /teams/{name} body

    @property
    def calls(self) -> int:
        return 1 + len(self.members) + len(self.oncall)

    @classmethod
    def from_uris(cls, body: dict[str, bytes]) -> Q1Bodies:
        """Pick Q1's bodies out of a snapshot's ``uri -> body`` map."""
        teams = body[f"{TEMPO}/teams"]
        ids = [t["id"] for t in orjson.loads(teams)["results"]]
        links = [t.get(LINK_FIELD) for t in orjson.loads(teams)["results"]]
        return cls(
            teams=teams,
            members={i: body[f"{TEMPO}/teams/{i}/members"] for i in ids},
            oncall={n: body[f"{ONCALL}/teams/{n}"] for n in links if n},
        )


def q1_answer(bodies: Q1Bodies) -> dict[str, Any]:
    """Q1's data, shaped like Teamgraph's answer, from the raw bodies."""
    teams = []
    for team in orjson.loads(bodies.teams)["results"]:
        members = orjson.loads(bodies.members[team["id"]])["results"]
        link = team.get(LINK_FIELD)
        oncall = orjson.loads(bodies.oncall[link]) if link else {}
        users = oncall.get("users", {})
        teams.append(
            {
                "name": team["name"],
                "memberships": [
                    {
                        "role": ((m["memberships"].get("active") or {}).get("role") or {}).get(
                            "name"
                        ),
                        "user": {"name": m["member"]["displayName"]},
                    }
                    for m in members
                ],
                "rosters": [
                    {
                        "name": name,
                        "members": [
                            {"user": {"name": users[u["name"]]["full_name"]}}
                            if u["name"] in users
                            else {"user": None}
                            for u in roster["users"]
                        ],
                    }
                    for name, roster in oncall.get("rosters", {}).items()
                ],
            }
        )
    return {"teams": teams}


def q1_floor(bodies: Q1Bodies) -> bytes:
    """The whole job, bytes in to bytes out: what the floor's time covers."""
    return orjson.dumps({"data": q1_answer(bodies)})


def time_floor(bodies: Q1Bodies, *, seconds: float = 1.0) -> float:
    """Median milliseconds of one `q1_floor` call over about `seconds` of repetitions."""
    q1_floor(bodies)  # warm
    samples: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(samples) < 20:
        start = time.perf_counter()
        q1_floor(bodies)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)
