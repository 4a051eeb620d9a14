"""Upstream endpoints as path templates: the `endpoint` label of the upstream series and the
name of an upstream call's span.

A label holds the template (`/teams/{id}/members`), never the path as sent (`/teams/17/
members`): one series per endpoint, however many teams there are. The clients build their
paths as text, so a sent path is matched back to its template here; a path that matches none
(a new endpoint not yet listed, a paging link elsewhere) is labelled ``(other)``, so the
number of label values stays bounded whatever is called. The table is each API's own routes
(the emulators serve the same ones; tests/gateway/test_telemetry_endpoints.py keeps the two
equal).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import httpx

from resolvers.backends.wire import URL_TEXT

OTHER = "(other)"

# Service -> every path template of its API, relative to the API's base URL.
TEMPLATES: Mapping[str, tuple[str, ...]] = {
    "tempo": (
        "/account-categories",
        "/account-categories/{key}",
        "/account-category-types",
        "/accounts",
        "/accounts/{key}",
        "/customers",
        "/customers/{key}",
        "/customers/{key}/accounts",
        "/periods",
        "/plans",
        "/plans/user/{account_id}",
        "/plans/{id}",
        "/programs",
        "/programs/{id}",
        "/programs/{id}/teams",
        "/roles",
        "/roles/{id}",
        "/team-links/{id}",
        "/team-memberships",
        "/team-memberships/{id}",
        "/teams",
        "/teams/{id}",
        "/teams/{id}/links",
        "/teams/{id}/members",
        "/teams/{id}/members/{account_id}",
        "/teams/{id}/members/{account_id}/memberships",
        "/teams/{id}/permissions",
        "/teams/{id}/permissions/{key}",
        "/timesheet-approvals/team/{id}",
        "/timesheet-approvals/user/{account_id}",
        "/timesheet-approvals/user/{account_id}/approve",
        "/timesheet-approvals/user/{account_id}/reject",
        "/timesheet-approvals/user/{account_id}/reopen",
        "/timesheet-approvals/user/{account_id}/reviewers",
        "/timesheet-approvals/user/{account_id}/submit",
        "/timesheet-approvals/waiting",
        "/user-schedule",
        "/user-schedule/{account_id}",
        "/work-attributes",
        "/work-attributes/{key}",
        "/worklogs",
        "/worklogs/account/{key}",
        "/worklogs/issue/{key}",
        "/worklogs/jira/filter/{id}",
        "/worklogs/jira/{id}",
        "/worklogs/project/{key}",
        "/worklogs/team/{id}",
        "/worklogs/user/{account_id}",
        "/worklogs/{id}",
        "/worklogs/{id}/work-attribute-values",
        "/worklogs/{id}/work-attribute-values/{key}",
    ),
    "oncall": (
        "/audit",
        "/events",
        "/events/link",
        "/events/override",
        "/events/swap",
        "/events/{event_id}",
        "/modes",
        "/notification_types",
        "/notifications/{notification_id}",
        "/roles",
        "/schedules/{schedule_id}",
        "/schedules/{schedule_id}/populate",
        "/search",
        "/services",
        "/services/{service}",
        "/services/{service}/oncall",
        "/services/{service}/oncall/{role}",
        "/services/{service}/teams",
        "/team_services",
        "/team_users",
        "/teams",
        "/teams/{team}",
        "/teams/{team}/admins",
        "/teams/{team}/admins/{user}",
        "/teams/{team}/changes",
        "/teams/{team}/oncall",
        "/teams/{team}/oncall/{role}",
        "/teams/{team}/rosters",
        "/teams/{team}/rosters/{roster}",
        "/teams/{team}/rosters/{roster}/schedules",
        "/teams/{team}/rosters/{roster}/users",
        "/teams/{team}/rosters/{roster}/users/{user}",
        "/teams/{team}/services",
        "/teams/{team}/services/{service}",
        "/teams/{team}/summary",
        "/teams/{team}/users",
        "/teams/{team}/users/{user}",
        "/timezones",
        "/users",
        "/users/{user}",
        "/users/{user}/notifications",
        "/users/{user}/teams",
        "/users/{user}/upcoming",
    ),
    "teamoclock": (
        "/actionitems",
        "/actionitems/{id}",
        "/members",
        "/members/{username}",
        "/planpoker",
        "/planpoker/{id}",
        "/planpoker/{id}/tasks",
        "/planpoker/{id}/tasks/{task_id}",
        "/retro",
        "/retro/{id}",
        "/standup",
        "/standup/{id}",
        "/teams",
        "/teams/{slug}",
        "/teams/{slug}/members",
        "/timeline",
        "/timeline/{id}",
    ),
    "teampulse": (
        "/activities",
        "/activities/count",
        "/activities/seenupto/{id}",
        "/activities/users",
        "/comments",
        "/projects",
        "/projects/{id}/tasks",
        "/projects/{id}/timeentrytypes",
        "/projects/{id}/users",
        "/tasks",
        "/tasks/{id}",
        "/timeentries",
        "/timeentries/{id}",
        "/users",
        "/users/me",
        "/users/{id}",
    ),
    "hack24": (
        "/teams",
        "/teams/{team_id}",
        "/teams/{team_id}/members",
        "/users",
        "/users/{user_id}",
        "/users/{user_id}/team",
    ),
}


class _Node:
    __slots__ = ("fixed", "param", "template")

    def __init__(self) -> None:
        self.fixed: dict[str, _Node] = {}
        self.param: _Node | None = None
        self.template: str | None = None


def _tree(templates: Iterable[str]) -> _Node:
    root = _Node()
    for template in templates:
        node = root
        for part in template.strip("/").split("/"):
            if part.startswith("{"):
                node.param = node.param or _Node()
                node = node.param
            else:
                node = node.fixed.setdefault(part, _Node())
        node.template = template
    return root


def _match(node: _Node, parts: list[str], at: int) -> str | None:
    if at == len(parts):
        return node.template
    part = parts[at]
    fixed = node.fixed.get(part)
    if fixed is not None:  # a literal segment wins over a parameter (/users/me, /events/swap)
        found = _match(fixed, parts, at + 1)
        if found is not None:
            return found
    if node.param is not None and part:
        return _match(node.param, parts, at + 1)
    return None


class Endpoints:
    """Matches a request sent to a service to that API's path template."""

    # Templates found per (service, base path, raw path): a gateway calls the same paths
    # over and over, and matching one is a few µs on every upstream call. Bounded: emptied
    # when full.
    max_known = 4096

    def __init__(self, templates: Mapping[str, Iterable[str]] = TEMPLATES) -> None:
        self._trees = {service: _tree(paths) for service, paths in templates.items()}
        self._known: dict[tuple[str, ...], str] = {}

    def template(self, service: str, request: httpx.Request) -> str:
        extensions = request.extensions
        # The clients' requests carry their URL as text: a key that needs no URL parsing.
        text: str | None = extensions.get(URL_TEXT)
        key = (service, text) if text is not None else (service, str(request.url))
        found = self._known.get(key)
        if found is None:
            base: str = extensions.get("teamgraph.base_path", "")
            found = self._match(service, base, request.url.raw_path)
            if len(self._known) >= self.max_known:
                self._known.clear()
            self._known[key] = found
        return found

    def _match(self, service: str, base: str, raw: bytes) -> str:
        tree = self._trees.get(service)
        # The raw path: an id holding an encoded "/" stays one segment.
        path = raw.decode("ascii", "replace").partition("?")[0]
        if tree is None or not path.startswith(base):
            return OTHER
        parts = path[len(base) :].strip("/").split("/")
        return _match(tree, parts, 0) or OTHER
