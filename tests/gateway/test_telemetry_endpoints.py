"""The endpoint label's table is every API's routes as the emulators serve them, and a sent
path finds its template (a literal segment before a parameter), or ``(other)``."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.routing import BaseRoute, Mount, Route

from gateway.emulators import MOUNTS, create_service_app
from gateway.emulators.cast import Cast
from gateway.telemetry.endpoints import OTHER, TEMPLATES, Endpoints


def routes_of(app: object) -> set[str]:
    while not hasattr(app, "routes"):  # through the emulators' middleware
        app = getattr(app, "app", None) or app.router  # type: ignore[attr-defined]
    found: set[str] = set()

    def walk(routes: list[BaseRoute], prefix: str) -> None:
        for route in routes:
            if isinstance(route, Route):
                found.add(re.sub(r":\w+}", "}", prefix + route.path))  # {id:int} -> {id}
            elif isinstance(route, Mount):
                walk(route.routes, prefix + route.path)

    walk(app.routes, "")
    return found


def test_the_table_is_the_emulated_apis_routes(cast: Cast) -> None:
    served = {service: routes_of(create_service_app(service, cast)) for service in MOUNTS}
    assert {service: set(paths) for service, paths in TEMPLATES.items()} == served


@pytest.mark.parametrize(
    ("service", "path", "template"),
    [
        ("tempo", "/teams/17/members/5d0f%2Fx", "/teams/{id}/members/{account_id}"),
        ("tempo", "/worklogs/jira/filter/9", "/worklogs/jira/filter/{id}"),
        ("tempo", "/worklogs/jira/9", "/worklogs/jira/{id}"),
        ("tempo", "/worklogs/account/ACC-1?from=2026-01-01", "/worklogs/account/{key}"),
        ("teampulse", "/users/me", "/users/me"),
        ("teampulse", "/users/42", "/users/{id}"),
        ("oncall", "/events/swap", "/events/swap"),
        ("oncall", "/events/1234", "/events/{event_id}"),
        ("oncall", "/teams/sre/rosters/a/users/bo", "/teams/{team}/rosters/{roster}/users/{user}"),
        ("oncall", "/teams/sre/unknown-thing", OTHER),
        ("oncall", "/../healthcheck", OTHER),
        ("hack24", "/teams//members", OTHER),
    ],
)  # fmt: skip
def test_a_sent_path_finds_its_template(service: str, path: str, template: str) -> None:
    base = {"tempo": "/core/3", "oncall": "/api/v0"}.get(service, "")
    request = httpx.Request("GET", f"https://api.example{base}{path}")
    request.extensions["teamgraph.base_path"] = base
    assert Endpoints().template(service, request) == template


def test_templates_found_are_kept_per_service_and_base_path() -> None:
    # Matching is remembered by (service, base path, raw path): the same path under another
    # base or service is matched again, and a full table starts over instead of growing.
    endpoints = Endpoints()
    endpoints.max_known = 2

    def sent(service: str, base: str, path: str) -> httpx.Request:
        request = httpx.Request("GET", f"https://api.example{base}{path}")
        request.extensions["teamgraph.base_path"] = base
        return request

    assert endpoints.template("tempo", sent("tempo", "/core/3", "/teams/1")) == "/teams/{id}"
    assert endpoints.template("tempo", sent("tempo", "/core/3", "/teams/1")) == "/teams/{id}"
    assert endpoints.template("tempo", sent("tempo", "/other", "/core/3/teams/1")) == OTHER
    assert endpoints.template("oncall", sent("oncall", "/core/3", "/teams/1")) == "/teams/{team}"
    assert len(endpoints._known) <= 2
