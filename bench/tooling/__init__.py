"""The README's GraphQL examples through graphql-inspector, graphql-codegen and strict tsc.

Run ``python -m bench.tooling`` from the repository root after ``npm ci --prefix bench/tooling``.
"""
