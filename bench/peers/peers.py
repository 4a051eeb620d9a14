"""The peers: installed on first use into bench/peers/.cache (not committed), then started.

* Tailcall: its npm wrapper package is gone; the binary ships in
  ``@tailcallhq/core-linux-x64-gnu``. Version 1.6.14 needs glibc >= 2.39 and Debian 12 has
  2.36, so when the binary does not run natively it runs through the loader of a Debian 13
  ``libc6`` unpacked into .cache/glibc (apt-get download with a private source list and
  package lists, then dpkg-deb -x): nothing is installed system-wide.
* Hive Gateway + GraphQL Mesh: ``mesh-compose`` turns mesh.config.ts and openapi.json into a
  supergraph per static server (the upstream URL is baked into it), served by
  ``hive-gateway supergraph`` with one worker.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from bench.peers.teamgraph import REPO

HERE = REPO / "bench" / "peers"
CACHE = HERE / ".cache"
NPM = CACHE / "npm"
GLIBC = CACHE / "glibc"
TAILCALL_BIN = NPM / "node_modules" / "@tailcallhq" / "core-linux-x64-gnu" / "bin" / "tailcall"
_LIB = "usr/lib/x86_64-linux-gnu"
_TRIXIE = """Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""

Say = Callable[[str], None]


def versions() -> dict[str, str]:
    deps: dict[str, str] = json.loads((HERE / "package.json").read_text())["dependencies"]
    return deps


def install(say: Say) -> None:
    """npm packages at the versions in package.json, once (again if package.json changes)."""
    wanted = (HERE / "package.json").read_text()
    have = NPM / "package.json"
    if have.exists() and have.read_text() == wanted and (NPM / ".installed").exists():
        return
    say(f"  installing the peers with npm into {NPM} (once)")
    NPM.mkdir(parents=True, exist_ok=True)
    have.write_text(wanted)
    (NPM / ".installed").unlink(missing_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NPM, check=True
    )
    (NPM / ".installed").write_text("ok\n")


def _runs_natively() -> bool:
    probe = subprocess.run([str(TAILCALL_BIN), "--version"], capture_output=True, text=True)
    return probe.returncode == 0


def _private_glibc(say: Say) -> Path:
    loader = GLIBC / "root" / _LIB / "ld-linux-x86-64.so.2"
    if loader.exists():
        return loader
    say(f"  tailcall needs a newer glibc: unpacking Debian 13's libc6 into {GLIBC} (once)")
    lists, etc = GLIBC / "lists", GLIBC / "etc"
    for d in (lists / "partial", GLIBC / "archives" / "partial", etc):
        d.mkdir(parents=True, exist_ok=True)
    (etc / "trixie.sources").write_text(_TRIXIE)
    # Private source list, package lists and cache: the system's apt state is not touched.
    opts = [
        f"-oDir::Etc::SourceList={etc / 'trixie.sources'}",
        "-oDir::Etc::SourceParts=-",
        f"-oDir::State::Lists={lists}",
        f"-oDir::Cache::Archives={GLIBC / 'archives'}",
        "-oDir::State::Status=/dev/null",
        "-oDebug::NoLocking=1",
    ]
    subprocess.run(["apt-get", *opts, "-qq", "update"], check=True)
    subprocess.run(["apt-get", *opts, "-qq", "download", "libc6"], cwd=GLIBC, check=True)
    (deb,) = GLIBC.glob("libc6_*.deb")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(GLIBC / "root")], check=True)
    return loader


def tailcall_argv(config: Path, say: Say) -> list[str]:
    if _runs_natively():
        return [str(TAILCALL_BIN), "start", str(config)]
    loader = _private_glibc(say)
    libs = f"{loader.parent}:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu"
    return [str(loader), "--library-path", libs, str(TAILCALL_BIN), "start", str(config)]


def tailcall_config(port: int, upstream: str, out: Path) -> Path:
    text = (HERE / "tailcall.graphql").read_text()
    out.write_text(text.replace("@@PORT@@", str(port)).replace("@@UPSTREAM@@", upstream))
    return out


def tailcall_env() -> dict[str, str]:
    return {"TC_TRACKER": "false", "TAILCALL_TRACKER": "false", "TAILCALL_LOG_LEVEL": "warn"}


def hive_supergraph(upstream: str, scale: int) -> Path:
    """Compose the Mesh supergraph for one static server (beside node_modules, which the
    config file's imports resolve from)."""
    work = NPM / f"mesh-scale-{scale}"
    work.mkdir(parents=True, exist_ok=True)
    for name in ("mesh.config.ts", "openapi.json"):
        shutil.copy(HERE / name, work / name)
    out = work / "supergraph.graphql"
    subprocess.run(
        [str(NPM / "node_modules" / ".bin" / "mesh-compose"), "-o", str(out)],
        cwd=work,
        env={**os.environ, "UPSTREAM": upstream},
        check=True,
        capture_output=True,
    )
    return out


def hive_argv(supergraph: Path, port: int) -> list[str]:
    gateway = NPM / "node_modules" / ".bin" / "hive-gateway"
    return [str(gateway), "supergraph", str(supergraph), "--host", "127.0.0.1",
            "--port", str(port), "--fork", "1"]  # fmt: skip


def hive_env() -> dict[str, str]:
    return {"NODE_ENV": "production"}
