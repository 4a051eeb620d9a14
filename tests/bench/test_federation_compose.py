"""bench/federation/compose.mjs: the SDL a federated Teamgraph serves at `_service` composes,
with Apollo's own composition library, with a second subgraph that extends Team and User by
key and refers to users, and without a hint; the plain schema (no keys) does not compose.

Needs Node.js and `npm ci --prefix bench/federation` (.ci/run does it); skipped without them,
except under CI, where their absence is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gateway.emulators.cast import Cast
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
