"""Opaque global ids: base64 of "Type:key", stable for as long as the key is."""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

import strawberry

from resolvers.backends.errors import BadRequest


@lru_cache(maxsize=65536)  # the same objects are shown again and again, request after request
def encode_id(type_name: str, key: str) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode())


def decode_id(value: str) -> tuple[str, str]:
    """("Team", "platform") from an id; a clear error for anything else."""
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError):
        raw = ""
    type_name, _, key = raw.partition(":")
    # Only the canonical spelling: padded, URL-safe, and decoding back to the same text.
    if not type_name or not key or encode_id(type_name, key) != value:
        raise BadRequest(
            f"{value!r} is not a Teamgraph id; pass the `id` of a Team, User, Event, "
            "Worklog or Meeting"
        )
    return type_name, key
