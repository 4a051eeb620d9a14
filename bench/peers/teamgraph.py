"""Teamgraph builds under test: this worktree, or any commit in its own venv under /tmp.

A build is named on the command line as ``LABEL=REF[+SNIPPET.toml]``: REF is ``worktree``
(the code in this checkout, run with the current interpreter) or a commit; SNIPPET is TOML
merged into the generated config for that run only (e.g. a ``[cache]`` table), so variants
of one commit can be compared side by side. Only the CLI is used (``teamgraph serve
--config``), because the gateway's internals change under this bench.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

REPO = Path(__file__).resolve().parents[2]
BUILDS = Path(tempfile.gettempdir()) / "teamgraph-bench"
PACKAGES = ("gateway", "resolvers", "schema")


@dataclass(frozen=True)
class Build:
    label: str
    ref: str  # "worktree" or a commit-ish as given
    commit: str  # resolved sha (HEAD for the worktree)
    snippet: Path | None = None
    dirty: bool = False  # the worktree has uncommitted changes

    @property
    def description(self) -> str:
        at = "worktree " if self.ref == "worktree" else ""
        extra = f" + {self.snippet.name}" if self.snippet else ""
        return f"{at}{self.commit[:7]}{'+dirty' if self.dirty else ''}{extra}"

    def argv(self) -> list[str]:
        """The command prefix that runs this build's CLI (`... serve --config F`)."""
        if self.ref == "worktree":
            return [sys.executable, "-m", "gateway.cli"]
        return [str(_venv(self.commit) / "bin" / "teamgraph")]

    def env(self) -> dict[str, str]:
        # The worktree's packages first, ahead of any editable install of another checkout.
        if self.ref == "worktree":
            return {"PYTHONPATH": str(REPO), "TEAMGRAPH_LOG_LEVEL": "warning"}
        return {"PYTHONPATH": "", "TEAMGRAPH_LOG_LEVEL": "warning"}

    def cwd(self) -> Path:
        return REPO if self.ref == "worktree" else _venv(self.commit).parent

    def config_text(self, base: str) -> str:
        """The generated config with this build's snippet merged in (tables merge key by key,
        so a snippet can change e.g. ``backends.tempo.timeout`` as well as add tables)."""
        if self.snippet is None:
            return base
        extra = tomllib.loads(self.snippet.read_text(encoding="utf-8"))
        return tomli_w.dumps(_merge(tomllib.loads(base), extra))

    def key(self) -> str:
        """Identifies the gateway's code (not the snippet, not docs) for snapshot staleness:
        the trees of its packages, so a commit that touches only the README or the bench
        does not make the snapshots stale."""
        trees = _git("rev-parse", *(f"{self.commit}:{d}" for d in PACKAGES)).split()
        code = hashlib.sha256(" ".join(trees).encode()).hexdigest()[:16]
        return code + ("+" + _worktree_digest() if self.dirty else "")


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = _merge(old, value)
        elif isinstance(old, list) and value and all(isinstance(v, dict) for v in value):
            out[key] = old + value  # [[people]] / [[teams]]: add links, keep the demo's
        else:
            out[key] = value
    return out


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.strip()


def _worktree_digest() -> str:
    return hashlib.sha256(_git("diff", "HEAD", "--", *PACKAGES).encode()).hexdigest()[:12]


def parse_build(spec: str) -> Build:
    """``LABEL=REF[+SNIPPET]`` -> Build (the ref is resolved now, so a typo fails early)."""
    label, sep, rest = spec.partition("=")
    if not sep or not label or not rest:
        raise ValueError(f"--teamgraph {spec!r}: expected LABEL=REF[+SNIPPET.toml]")
    ref, _, snippet = rest.partition("+")
    path = Path(snippet).resolve() if snippet else None
    if path is not None and not path.is_file():
        raise ValueError(f"--teamgraph {spec!r}: no such snippet file {snippet}")
    if ref == "worktree":
        dirty = bool(_git("status", "--porcelain", "--", *PACKAGES))
        return Build(label, ref, _git("rev-parse", "HEAD"), path, dirty)
    return Build(label, ref, _git("rev-parse", "--verify", f"{ref}^{{commit}}"), path)


def _venv(commit: str) -> Path:
    return BUILDS / commit[:12] / "venv"


def prepare(build: Build, *, say: object = print) -> None:
    """Export a commit's tree and pip-install it into its own venv, once per commit."""
    if build.ref == "worktree":
        return
    venv = _venv(build.commit)
    done = venv / ".teamgraph-installed"
    if done.exists():
        return
    home = venv.parent
    src = home / "src"
    shutil.rmtree(home, ignore_errors=True)
    src.mkdir(parents=True)
    assert callable(say)
    say(f"  installing teamgraph {build.commit[:7]} into {venv} (once)")
    # `git archive` gives exactly the committed tree without registering a worktree in the
    # shared repository that other engineers use.
    archive = subprocess.run(
        ["git", "archive", "--format=tar", build.commit], cwd=REPO, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run([*pip, str(src)], check=True, env=env)
    done.write_text(build.commit + "\n")
