"""The README's GraphQL examples through the tools a frontend runs on them.

1. Every README operation is written to its own ``.graphql`` file, named for the operation
   (``tests/schema/test_readme_queries.py`` finds and splits the blocks);
2. ``graphql-inspector validate`` checks them against ``schema.graphql``, failing on
   deprecated fields and on anything past the gateway's default ``[limits]``;
3. ``graphql-codegen`` generates TypeScript with the ``config:`` the README's "Codegen"
   paragraph documents (plus ``strictScalars``, so a custom scalar the README does not map
   fails instead of becoming ``any``): the ``typescript`` plugin (schema types), the
   ``typescript-operations`` plugin (operation types) and the client preset, each to its file;
4. ``tsc`` type-checks that output and ``usage.ts`` under the strict ``tsconfig.json``.

The tools are pinned in package.json / package-lock.json: ``npm ci --prefix bench/tooling``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from graphql import OperationDefinitionNode, print_ast

from gateway.settings import LimitsSettings
from tests.schema.test_readme_queries import graphql_blocks, operations

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BIN = HERE / "node_modules" / ".bin"
OUT = HERE / ".out"
NPM_CI = "npm ci --prefix bench/tooling"


class ToolingError(Exception):
    """The README cannot be handed to the tools (an unnamed operation, no codegen config)."""


@dataclass(frozen=True)
class Step:
    name: str
    ok: bool
    seconds: float
    output: str


def installed() -> bool:
    return all((BIN / tool).exists() for tool in ("graphql-inspector", "graphql-codegen", "tsc"))


def readme_operations(blocks: list[str]) -> dict[str, str]:
    """Operation name -> its document (the operation and its block's fragments)."""
    found: dict[str, str] = {}
    for i, block in enumerate(blocks):
        for document in operations(block):
            op = document.definitions[0]
            assert isinstance(op, OperationDefinitionNode)
            if op.name is None:
                raise ToolingError(
                    f"README graphql block {i} has an anonymous {op.operation.value}: name it, "
                    "as codegen needs every operation named"
                )
            name = op.name.value
            if name in found:
                raise ToolingError(
                    f"README names two operations {name!r}: codegen needs unique names"
                )
            found[name] = print_ast(document) + "\n"
    return found


def readme_codegen_config(readme: str) -> dict[str, Any]:
    """The ``config:`` of the first ```yaml block after the README's "Codegen" paragraph."""
    match = re.search(r"Codegen\b.*?```yaml\n(.*?)```", readme, flags=re.S)
    if match is None:
        raise ToolingError('the README has no ```yaml block after "Codegen": document the config')
    loaded = yaml.safe_load(match.group(1))
    if not isinstance(loaded, dict) or not isinstance(loaded.get("config"), dict):
        raise ToolingError("the README's codegen block must be a mapping with a `config:` table")
    config: dict[str, Any] = loaded["config"]
    return config


def codegen_config(readme_config: dict[str, Any], documents: Path, out: Path) -> dict[str, Any]:
    return {
        "overwrite": True,
        "silent": True,
        "schema": str(REPO / "schema.graphql"),
        "documents": str(documents / "*.graphql"),
        "config": {**readme_config, "strictScalars": True},
        "generates": {
            str(out / "schema-types.ts"): {"plugins": ["typescript"]},
            str(out / "operations.ts"): {"plugins": ["typescript-operations"]},
            str(out / "client") + "/": {"preset": "client"},
        },
    }


def _run(name: str, argv: list[str]) -> Step:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=HERE, capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - started
    return Step(name, done.returncode == 0, seconds, (done.stdout + done.stderr).strip())


def run(readme: str | None = None) -> list[Step]:
    """Every step, stopping at the first that fails; the last step says why."""
    text = readme if readme is not None else (REPO / "README.md").read_text(encoding="utf-8")
    if not installed():
        raise ToolingError(f"the tools are not installed: run `{NPM_CI}`")
    out = OUT  # where tsconfig.json looks
    shutil.rmtree(out, ignore_errors=True)
    documents = out / "operations"
    documents.mkdir(parents=True)
    for name, source in readme_operations(graphql_blocks(text)).items():
        (documents / f"{name}.graphql").write_text(source, encoding="utf-8")
    config = out / "codegen.json"
    config.write_text(json.dumps(codegen_config(readme_codegen_config(text), documents, out)))
    limits = LimitsSettings()
    steps = [
        ("graphql-inspector validate", [
            str(BIN / "graphql-inspector"), "validate", str(documents / "*.graphql"),
            str(REPO / "schema.graphql"), "--deprecated",
            "--maxDepth", str(limits.max_depth), "--maxAliasCount", str(limits.max_aliases),
            "--maxDirectiveCount", str(limits.max_directives),
            "--maxTokenCount", str(limits.max_tokens),
        ]),
        ("graphql-codegen", [str(BIN / "graphql-codegen"), "--config", str(config)]),
        ("tsc --strict", [str(BIN / "tsc"), "-p", str(HERE / "tsconfig.json")]),
    ]  # fmt: skip
    results: list[Step] = []
    for name, argv in steps:
        results.append(_run(name, argv))
        if not results[-1].ok:
            break
    return results
