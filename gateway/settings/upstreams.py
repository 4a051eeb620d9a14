"""The five backends' tables (`[backends.*]`) and identity links (`[[people]]`, `[[teams]]`)."""

from __future__ import annotations

from typing import Any

from pydantic import (
    Field,
    HttpUrl,
    field_validator,
)

from gateway.settings.base import Count, Timeout, _Strict
from resolvers.backends.errors import SERVICES, Service


class _Backend(_Strict):
    """What every backend table has."""

    url: HttpUrl
    timeout: Timeout = 10.0
    # Bytes read from one upstream answer at most; past it the call fails with
    # UPSTREAM_BAD_RESPONSE instead of filling the gateway's memory.
    max_response_bytes: Count = 16 * 1024 * 1024
    # A request header whose value, when a caller sends it, replaces this service's
    # configured credentials for that request (e.g. "X-Tempo-Token": the caller's own token).
    caller_credentials_header: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]+$")
    # Consecutive failures that open the circuit, and how long it stays open (seconds).
    circuit_failures: Count = 5
    circuit_open_seconds: Timeout = 30.0
    # Attempts of an idempotent GET that failed with a connection error or 502/503/504.
    retries: int = Field(2, ge=0, le=5)


class TempoSettings(_Backend):
    token: str = Field(min_length=1, description="OAuth 2.0 bearer token")


class OncallSettings(_Backend):
    # The real server needs no credentials for reads in its stock configuration; with
    # `require_auth` it needs an HMAC application (oncall-real-server.md §2.3).
    app_name: str | None = None
    app_key: str | None = None

    @field_validator("app_key")
    @classmethod
    def _key_with_name(cls, value: str | None, info: Any) -> str | None:
        if value and not info.data.get("app_name"):
            raise ValueError("app_key is set but app_name is not; set both or neither")
        return value


class TeamOclockSettings(_Backend):
    org: str = Field(min_length=1, description="organisation slug (Basic auth user)")
    key: str = Field(min_length=1, description="secret API key (Basic auth password)")


class TeamPulseSettings(_Backend):
    username: str = Field(min_length=1)
    password: str = Field(min_length=1)


class Hack24Settings(_Backend):
    token: str | None = None


class BackendsSettings(_Strict):
    tempo: TempoSettings | None = None
    oncall: OncallSettings | None = None
    teamoclock: TeamOclockSettings | None = None
    teampulse: TeamPulseSettings | None = None
    hack24: Hack24Settings | None = None


class LinkSettings(_Strict):
    """One person or team's id in each service; at least two services."""

    key: str | None = None
    tempo: str | None = None
    oncall: str | None = None
    teamoclock: str | None = None
    teampulse: str | None = None
    hack24: str | None = None

    @field_validator("tempo", "oncall", "teamoclock", "teampulse", "hack24", mode="before")
    @classmethod
    def _ids_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def ids(self) -> dict[Service, str]:
        return {s: v for s in SERVICES if (v := getattr(self, s)) is not None}
