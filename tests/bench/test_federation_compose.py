"""bench/federation: the SDL a federated Teamgraph serves at `_service` composes, with Apollo's
own composition library, with a second subgraph that extends Team and User by key and refers
to users, and without a hint; the plain schema (no keys) does not compose. And the operations
Apollo's query planner sends Teamgraph for a supergraph query run on Teamgraph as planned, at
the upstream cost of one list.

Needs Node.js and `npm ci --prefix bench/federation` (.ci/run does it); skipped without them,
except under CI, where their absence is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gateway.emulators.cast import Cast
from schema.ids import encode_id
from tests.harness import configured, open_gateway

ROOT = Path(__file__).parents[2]
BENCH = ROOT / "bench" / "federation"
NODE = shutil.which("node")
INSTALLED = (BENCH / "node_modules" / "@apollo" / "composition").is_dir()

if not (NODE and INSTALLED):
    if os.environ.get("CI") == "true":
        pytest.fail("CI must run the composition check: `npm ci --prefix bench/federation`")
    pytest.skip("needs node and `npm ci --prefix bench/federation`", allow_module_level=True)


def compose(teamgraph_sdl: Path, out: Path) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run(
        [NODE, str(BENCH / "compose.mjs"), "--teamgraph", str(teamgraph_sdl), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_the_served_subgraph_composes_with_a_subgraph_extending_its_entities(
    cast: Cast, tmp_path: Path
) -> None:
    settings = configured(cast, server={"federation": True})
    async with open_gateway(cast, settings=settings) as gw:
        sdl = (await gw.execute("{ _service { sdl } }"))["data"]["_service"]["sdl"]
    served = tmp_path / "teamgraph.graphql"
    served.write_text(sdl, encoding="utf-8")
    supergraph = tmp_path / "supergraph.graphql"

    done = compose(served, supergraph)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "hint" not in done.stdout, done.stdout
    text = supergraph.read_text(encoding="utf-8")
    for graph in ("TEAMGRAPH", "REVIEWS"):
        assert f'@join__type(graph: {graph}, key: "id"' in text
    assert "reviews: [Review!]! @join__field(graph: REVIEWS)" in text


def test_the_plain_schema_has_no_entities_and_does_not_pass(tmp_path: Path) -> None:
    done = compose(ROOT / "schema.graphql", tmp_path / "supergraph.graphql")
    assert done.returncode == 1
    # The reviews' `author: User!` cannot be completed by a Teamgraph that has no key.
    assert 'because type "User" has no @key defined in subgraph "teamgraph"' in done.stderr
    assert "composition failed" in done.stderr


AUTHORS = "{ latestReviews { body author { name teams { key name } } } }"
TEAM_REVIEWS = "{ teams { name reviews { stars } } }"


@pytest.fixture(scope="module")
def plans() -> dict[str, list[dict[str, Any]]]:
    """The fetches Apollo's query planner makes for each query, planned in one run."""
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(BENCH / "plan.mjs"), AUTHORS, TEAM_REVIEWS],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, list[dict[str, Any]]] = json.loads(done.stdout)
    return found


async def test_the_planners_entity_fetch_runs_on_teamgraph_at_the_cost_of_one_list(
    cast: Cast, plans: dict[str, list[dict[str, Any]]]
) -> None:
    # Reviews come from the reviews subgraph; each author's name and teams from Teamgraph.
    fetches = plans[AUTHORS]
    assert [(f["service"], f["entities"]) for f in fetches] == [
        ("reviews", False),
        ("teamgraph", True),
    ]
    entities = fetches[1]["operation"]
    assert "_entities(representations:$representations)" in entities

    # Both operations list everyone (no identity directory kept between them): calls compare.
    settings = configured(cast, server={"federation": True}, directory_ttl=0)
    async with open_gateway(cast, settings=settings) as gw:
        listed = await gw.execute("{ users { key name teams { key name } } }")
        as_list = Counter(c.as_asked() for c in gw.log.calls)
        people = listed["data"]["users"]
        # What the router sends: each author the reviews subgraph named, as {__typename, id}.
        representations = [{"__typename": "User", "id": encode_id("User", p["key"])}
                           for p in people]  # fmt: skip
        gw.log.clear()
        body = await gw.execute(entities, {"representations": representations})
        by_entities = Counter(c.as_asked() for c in gw.log.calls)
    assert "errors" not in body, body
    assert body["data"]["_entities"] == [{"name": p["name"], "teams": p["teams"]} for p in people]
    assert by_entities == as_list


async def test_the_planners_root_fetch_gives_keys_teamgraph_resolves(
    cast: Cast, plans: dict[str, list[dict[str, Any]]]
) -> None:
    # Teams come from Teamgraph, their reviews from the reviews subgraph: the router asks
    # Teamgraph for each team's key fields, which the reviews subgraph then receives.
    (fetch, to_reviews) = plans[TEAM_REVIEWS]
    assert (fetch["service"], to_reviews["service"]) == ("teamgraph", "reviews")
    settings = configured(cast, server={"federation": True})
    async with open_gateway(cast, settings=settings) as gw:
        teams = (await gw.execute(fetch["operation"]))["data"]["teams"]
        assert teams and all(t["__typename"] == "Team" for t in teams)
        # The ids Teamgraph hands out are the ones its `_entities` takes back.
        again = await gw.execute(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Team { name } } }",
            {"r": [{"__typename": "Team", "id": t["id"]} for t in teams]},
        )
    assert [e["name"] for e in again["data"]["_entities"]] == [t["name"] for t in teams]
