"""The gateways under test, one interface: start at a scale pinned to a core, the request
for each query, and how its answer is turned into the canonical form that is compared."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.peers import peers, procs, queries, stack_floor
from bench.peers.snapshot import snapshot_dir
from bench.peers.teamgraph import Build

Q1, OVERVIEW = "Q1", "TeamOverview"


@dataclass
class Target:
    name: str  # the table's label
    kind: str  # "tailcall", "hive", "stack" (stack_floor.py) or "teamgraph"
    build: Build | None = None

    @property
    def queries(self) -> tuple[str, ...]:
        return (Q1, OVERVIEW) if self.kind == "teamgraph" else (Q1,)

    @property
    def version(self) -> str:
        if self.build is not None:
            return self.build.description
        if self.kind == "stack":
            return stack_floor.describe()
        package = {"tailcall": "@tailcallhq/core-linux-x64-gnu", "hive": "@graphql-hive/gateway"}
        return peers.versions()[package[self.kind]]

    def payload(self, query: str) -> dict[str, Any]:
        if query == OVERVIEW:
            return {"query": queries.TEAM_OVERVIEW, "variables": queries.overview_variables()}
        ours = self.kind in ("teamgraph", "stack")  # the stack floor answers Q1 as Teamgraph
        return {"query": queries.Q1_TEAMGRAPH if ours else queries.Q1_PEERS}

    def canonical(self, query: str, data: dict[str, Any]) -> Any:
        if query == OVERVIEW:
            return queries.canonical_overview(data)
        if self.kind in ("teamgraph", "stack"):
            return queries.canonical_q1_teamgraph(data)
        return queries.canonical_q1_peers(data)

    def start(
        self, scale: int, upstream: str, run_dir: Path, say: peers.Say
    ) -> tuple[procs.Proc, str]:
        """Start for `scale`, pinned to core 0; returns the process and its /graphql URL."""
        port = procs.free_port()
        log = run_dir / f"{self.name}-scale-{scale}.log"
        if self.kind == "tailcall":
            cfg = peers.tailcall_config(port, upstream, run_dir / f"tailcall-{scale}.graphql")
            argv, env, cwd = peers.tailcall_argv(cfg, say), peers.tailcall_env(), None
        elif self.kind == "stack":
            argv = [sys.executable, "-m", "bench.peers.stack_floor", "--port", str(port),
                    "--upstream", upstream]  # fmt: skip
            env, cwd = None, None
        elif self.kind == "hive":
            supergraph = peers.hive_supergraph(upstream, scale)
            argv, env, cwd = peers.hive_argv(supergraph, port), peers.hive_env(), supergraph.parent
        else:
            assert self.build is not None
            cfg = run_dir / f"{self.name}-scale-{scale}.toml"
            base = (snapshot_dir(scale) / "teamgraph.toml").read_text()
            cfg.write_text(self.build.config_text(base))
            argv = [*self.build.argv(), "serve", "--config", str(cfg), "--host", "127.0.0.1",
                    "--port", str(port)]  # fmt: skip
            env, cwd = self.build.env(), self.build.cwd()
        proc = procs.start(self.name, argv, log=log, cpu=0, env=env, cwd=cwd)
        url = f"http://127.0.0.1:{port}/graphql"
        procs.wait_graphql(proc, url)
        return proc, url
