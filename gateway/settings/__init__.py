"""Typed settings: one optional table per backend, identity links, server options.

Read from a TOML file (``teamgraph serve --config FILE`` or ``TEAMGRAPH_CONFIG``). Secrets may
be written ``${ENV_VAR}`` and are filled from the environment. Every problem is reported
with the key it concerns and what to do, all at once.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateway.emulators.cast import Cast
from gateway.manifest import ManifestError, read_manifest
from gateway.settings.base import Count, Timeout, _Strict
from gateway.settings.features import (
    CacheSettings,
    IdentitySettings,
    PersistedSettings,
    SubscriptionsSettings,
    TelemetrySettings,
)
from gateway.settings.server import AuthSettings, JwtSettings, LimitsSettings, ServerSettings
from gateway.settings.upstreams import (
    BackendsSettings,
    Hack24Settings,
    LinkSettings,
    OncallSettings,
    TeamOclockSettings,
    TeamPulseSettings,
    TempoSettings,
    _Backend,
)

__all__ = [
    "AuthSettings", "BackendsSettings", "CacheSettings", "ConfigError", "Count", "Environment",
    "Hack24Settings", "IdentitySettings", "JwtSettings", "LimitsSettings", "LinkSettings",
    "OncallSettings", "PersistedSettings", "ServerSettings", "Settings", "SubscriptionsSettings",
    "TeamOclockSettings", "TeamPulseSettings", "TelemetrySettings", "TempoSettings", "Timeout",
    "_Backend", "_Strict", "demo_config", "demo_settings", "load_settings", "parse_settings",
    "read_environment",
]  # fmt: skip


class Settings(_Strict):
    backends: BackendsSettings = BackendsSettings()
    people: list[LinkSettings] = []
    teams: list[LinkSettings] = []
    server: ServerSettings = ServerSettings()
    limits: LimitsSettings = LimitsSettings()
    cache: CacheSettings = CacheSettings()
    identity: IdentitySettings = IdentitySettings()
    persisted: PersistedSettings = PersistedSettings()
    subscriptions: SubscriptionsSettings = SubscriptionsSettings()
    telemetry: TelemetrySettings = TelemetrySettings()
    # Set only for the built-in demo: serve the emulators in-process instead of `url`s.
    demo: bool = False


class Environment(BaseSettings):
    """Process-level options from the environment (`TEAMGRAPH_*`)."""

    model_config = SettingsConfigDict(env_prefix="TEAMGRAPH_", extra="ignore")

    config: Path | None = None
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # "json": one JSON object per line, for log shippers; "text" for people.
    log_format: Literal["text", "json"] = "text"


class ConfigError(Exception):
    """A config file that cannot be used; the message lists every problem."""


def read_environment() -> Environment:
    """The `TEAMGRAPH_*` variables, or a ConfigError naming the bad one."""
    try:
        return Environment()
    except ValidationError as exc:
        lines = []
        for line in _describe(exc):
            key, _, problem = line.partition(": ")
            lines.append(f"  - TEAMGRAPH_{key.upper()}: {problem}")
        raise ConfigError("the environment is not valid:\n" + "\n".join(lines)) from exc


_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand(value: object, where: str, env: Mapping[str, str], problems: list[str]) -> object:
    if isinstance(value, str):

        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in env:
                problems.append(
                    f"{where}: environment variable {name} is not set; export it or write "
                    "the value in the file"
                )
                return ""
            return env[name]

        return _ENV_REF.sub(sub, value)
    if isinstance(value, dict):
        return {k: _expand(v, f"{where}.{k}" if where else k, env, problems)
                for k, v in value.items()}  # fmt: skip
    if isinstance(value, list):
        return [_expand(v, f"{where}[{i}]", env, problems) for i, v in enumerate(value)]
    return value


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The settings model a location points into, or None where it leaves the models."""
    model: type[BaseModel] = Settings
    for part in loc:
        if isinstance(part, int):
            continue  # an element of a list; its model is the list's
        field = model.model_fields.get(part)
        if field is None:
            return None
        found = _model_in(field.annotation)
        if found is None:
            return None
        model = found
    return model


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(loc: tuple[int | str, ...]) -> str:
    model = _model_at(loc[:-1])
    known = sorted(model.model_fields) if model else []
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    if known:
        return "this table takes " + ", ".join(known) + " (see the README's Configuration)"
    return "check its spelling against the README's Configuration"


def _describe(exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in err["loc"]).replace(
            ".[", "["
        )
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key; " + _did_you_mean(err["loc"])
        elif err["type"] == "missing":
            msg = "required key is missing"
        lines.append(f"{loc or '(top level)'}: {msg}")
    return lines


def parse_settings(data: Mapping[str, object], *, env: Mapping[str, str] | None = None,
                   source: str = "config") -> Settings:  # fmt: skip
    problems: list[str] = []
    expanded = _expand(dict(data), "", os.environ if env is None else env, problems)
    try:
        settings = Settings.model_validate(expanded)
    except ValidationError as exc:
        problems.extend(_describe(exc))
        settings = None
    if settings is not None:
        problems.extend(_check_links(settings))
        problems.extend(_check_manifest(settings))
    if problems:
        raise ConfigError(f"{source} is not valid:\n" + "\n".join(f"  - {p}" for p in problems))
    assert settings is not None
    return settings


def _check_links(settings: Settings) -> list[str]:
    problems = []
    for table in ("people", "teams"):
        keys: set[str] = set()
        for i, link in enumerate(getattr(settings, table)):
            if len(link.ids()) < 1:
                problems.append(f'{table}[{i}]: names no service id; add e.g. oncall = "…"')
            if link.key:
                if link.key.lower() in keys:
                    problems.append(f"{table}[{i}].key: {link.key!r} is used twice")
                keys.add(link.key.lower())
    return problems


def _check_manifest(settings: Settings) -> list[str]:
    """A manifest that cannot be read is a config error now, not a surprise at startup."""
    path = settings.persisted.manifest
    if path is None:
        return []
    try:
        read_manifest(path)
    except ManifestError as exc:
        return [f"persisted.manifest: {exc}"]
    return []


def load_settings(path: Path, *, env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate a TOML config file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    return parse_settings(data, env=env, source=str(path))


# Where demo mode points each client; the emulators answer in-process, so the host is a name.
DEMO_ORIGIN = "http://emulator.local"


def demo_settings(cast: Cast, *, origin: str = DEMO_ORIGIN) -> Settings:
    """Settings for the built-in demo: every backend, the emulators' credentials, and the
    identity links the demo cast needs. `teamgraph emulate --write-config` writes the same."""
    return parse_settings(demo_config(cast, origin=origin), env={}, source="demo config")


def demo_config(cast: Cast, *, origin: str) -> dict[str, Any]:
    from gateway.emulators import MOUNTS

    c = cast.credentials
    links = cast.identity_links()
    return {
        "backends": {
            "tempo": {"url": origin + MOUNTS["tempo"], "token": c.tempo_token},
            "oncall": {
                "url": origin + MOUNTS["oncall"],
                "app_name": c.oncall_app,
                "app_key": c.oncall_app_key,
            },
            "teamoclock": {
                "url": origin + MOUNTS["teamoclock"],
                "org": c.teamoclock_org,
                "key": c.teamoclock_key,
            },
            "teampulse": {
                "url": origin + MOUNTS["teampulse"],
                "username": c.teampulse_username,
                "password": c.teampulse_password,
            },
            "hack24": {"url": origin + MOUNTS["hack24"], "token": c.hack24_token},
        },
        "people": links["people"],
        "teams": links["teams"],
    }
