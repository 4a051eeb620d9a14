"""Teamgraph side by side with its peers (Tailcall, Hive Gateway + Mesh) over static snapshots.

Run ``python -m bench.peers --help`` from the repository root; bench/peers/README.md explains it.
"""
