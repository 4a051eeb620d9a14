"""python -m bench.tooling: the README's operations through graphql-inspector validate,
graphql-codegen and strict tsc (see frontend.py); exit 1 if a tool fails, 2 if it cannot run."""

from __future__ import annotations

import sys

from bench.tooling.frontend import OUT, ToolingError, run


def main() -> int:
    try:
        steps = run()
    except ToolingError as exc:
        print(f"bench.tooling: {exc}", file=sys.stderr)
        return 2
    for step in steps:
        print(f"{'ok  ' if step.ok else 'FAIL'} {step.name} ({step.seconds:.1f} s)")
    if not steps[-1].ok:
        print(steps[-1].output)
        return 1
    print(f"generated code and operations in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
