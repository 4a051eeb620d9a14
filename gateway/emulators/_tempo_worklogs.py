"""Worklogs: the paged lists (every way Tempo slices them), one worklog, its writes, and the
work attributes a worklog may carry."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.emulators._tempo_http import (
    JSON,
    Body,
    TempoError,
    collection,
    found,
    int_id,
    no_content,
    query_count,
    query_date,
    read_body,
    route,
)
from gateway.emulators._tempo_store import (
    Site,
    TempoState,
    WorklogRec,
    body_user,
    by_key,
    issue_url,
    stamp,
    user_ref,
)

MAX_LIMIT = 1000
COLORS = ("red", "green", "blue", "yellow", "pink")
# Key -> the work attribute without its `self`. The docs' worklog examples carry a
# `_DELIVERED_` value that no documented attribute defines; here it is defined.
WORK_ATTRIBUTES: dict[str, JSON] = {
    key: {"key": key, "name": name, "type": kind, "required": False, **extra}
    for key, name, kind, extra in (
        ("_COLOR_", "Color", "STATIC_LIST", {"values": list(COLORS)}),
        ("_EXTERNALREF_", "External Ref.", "INPUT_FIELD", {}),
        ("_DELIVERED_", "Delivered", "CHECKBOX", {}),
    )
}


def render_worklog(site: Site, w: WorklogRec) -> JSON:
    doc: JSON = {
        "self": f"{site.base}worklogs/{w.id}",
        "tempoWorklogId": w.id,
        "jiraWorklogId": w.jira_id,
        "issue": {"self": issue_url(w.issue_key), "key": w.issue_key},
        "timeSpentSeconds": w.time_spent,
        "billableSeconds": w.billable,
        "startDate": w.start_date.isoformat(),
        "startTime": w.start_time.isoformat(),
        "description": w.description,
        "createdAt": stamp(w.created_at),
        "updatedAt": stamp(w.updated_at),
        "author": user_ref(w.author),
    }
    if w.attributes:
        values = [{"key": k, "value": v} for k, v in w.attributes]
        own = f"{site.base}worklogs/{w.id}/work-attribute-values"
        doc["attributes"] = {"self": own, "values": values}
    return doc


def _attributes(body: Body) -> tuple[tuple[str, object], ...]:
    """``attributes: [{key, value}]``: keys of defined work attributes, list values in range."""
    raw = body.doc.get("attributes") or []
    if not isinstance(raw, list) or not all(isinstance(a, dict) and "key" in a for a in raw):
        body.problem("attributes must be an array of {key, value}")
        return ()
    values: list[tuple[str, object]] = []
    for item in raw:
        key, value = str(item["key"]), item.get("value")
        attribute = WORK_ATTRIBUTES.get(key)
        if attribute is None:
            body.problem(f"A work attribute with key '{key}' does not exist")
        elif value is None:
            body.problem(f"A value is required for work attribute '{key}'")
        elif attribute["type"] == "STATIC_LIST" and value not in COLORS:
            body.problem(f"'{value}' is not a value of work attribute '{key}'")
        else:
            values.append((key, value))
    return tuple(values)


class WorklogsApi:
    def __init__(self, state: TempoState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            route("/worklogs", GET=self.list_worklogs, POST=self.create_worklog),
            route("/worklogs/{id}", GET=self.get_worklog, PUT=self.update_worklog,
                  DELETE=self.delete_worklog),
            route("/worklogs/{id}/work-attribute-values", GET=self.list_attribute_values),
            route("/worklogs/{id}/work-attribute-values/{key}", GET=self.get_attribute_value),
            route("/worklogs/jira/{id}", GET=self.get_jira_worklog),
            route("/worklogs/jira/filter/{id}", GET=self.list_filter_worklogs),
            route("/worklogs/account/{key}", GET=self.list_account_worklogs),
            route("/worklogs/team/{id}", GET=self.list_team_worklogs),
            route("/worklogs/user/{account_id}", GET=self.list_user_worklogs),
            route("/worklogs/project/{key}", GET=self.list_project_worklogs),
            route("/worklogs/issue/{key}", GET=self.list_issue_worklogs),
            route("/work-attributes", GET=self.list_work_attributes),
            route("/work-attributes/{key}", GET=self.get_work_attribute),
        ]  # fmt: skip

    def _worklog(self, request: Request, *, jira: bool = False) -> WorklogRec:
        wanted = int_id(request.path_params["id"])
        if jira:
            worklogs = self.state.worklogs.values()
            match = next((w for w in worklogs if w.jira_id == wanted), None)
        else:
            match = self.state.worklogs.get(wanted)
        return found(match, "Worklog cannot be found")

    # -- pages ------------------------------------------------------------------------------------

    def _page(self, request: Request, wanted: Callable[[WorklogRec], bool]) -> JSONResponse:
        """One page of the worklogs `wanted` keeps, in (startDate, id) order; ``count`` is
        the number of matches over every page."""
        lo, hi = query_date(request, "from"), query_date(request, "to")
        updated_from = query_date(request, "updatedFrom")
        offset, limit = query_count(request, "offset", 0), query_count(request, "limit", 50)
        if not 1 <= limit <= MAX_LIMIT:
            raise TempoError(400, f"limit must be between 1 and {MAX_LIMIT}, was {limit}")
        matches = [
            w
            for w in sorted(self.state.worklogs.values(), key=lambda w: (w.start_date, w.id))
            if (lo is None or w.start_date >= lo)
            and (hi is None or w.start_date <= hi)
            and (updated_from is None or w.updated_at.date() >= updated_from)
            and wanted(w)
        ]

        def link(at: int) -> str:  # the request's own URL, other filters kept
            return str(request.url.include_query_params(offset=at, limit=limit))

        metadata: JSON = {"count": len(matches), "offset": offset, "limit": limit}
        if offset + limit < len(matches):
            metadata["next"] = link(offset + limit)
        if offset > 0:
            metadata["previous"] = link(max(0, offset - limit))
        site = Site.of(self.state, request)
        results = [render_worklog(site, w) for w in matches[offset : offset + limit]]
        return JSONResponse({"self": str(request.url), "metadata": metadata, "results": results})

    def _on_projects(self, request: Request, project_ids: Iterable[int]) -> JSONResponse:
        wanted = set(project_ids)
        return self._page(request, lambda w: w.project.id in wanted)

    async def list_worklogs(self, request: Request) -> Response:
        issues = [self.state.find_issue(ref) for ref in request.query_params.getlist("issue")]
        projects = request.query_params.getlist("project")

        def wanted(w: WorklogRec) -> bool:
            in_project = w.project.key in projects or str(w.project.id) in projects
            return (not issues or (w.project, w.issue_number) in issues) and (
                not projects or in_project
            )

        return self._page(request, wanted)

    async def list_team_worklogs(self, request: Request) -> Response:
        team_id = int_id(request.path_params["id"])
        spans = [m for m in self.state.memberships.values() if m.team_id == team_id]
        return self._page(
            request, lambda w: any(m.user == w.author and m.active_on(w.start_date) for m in spans)
        )

    async def list_user_worklogs(self, request: Request) -> Response:
        account_id = request.path_params["account_id"]
        return self._page(request, lambda w: w.author.account_id == account_id)

    async def list_project_worklogs(self, request: Request) -> Response:
        project = self.state.find_project(request.path_params["key"])
        return self._on_projects(request, [project.id] if project else [])

    async def list_issue_worklogs(self, request: Request) -> Response:
        issue = found(self.state.find_issue(request.path_params["key"]), "Issue not found")
        return self._page(request, lambda w: (w.project, w.issue_number) == issue)

    async def list_account_worklogs(self, request: Request) -> Response:
        account = by_key(self.state.accounts, request.path_params["key"])
        return self._on_projects(request, account.project_ids if account else ())

    async def list_filter_worklogs(self, request: Request) -> Response:
        jira_filter = self.state.filters.get(int_id(request.path_params["id"]))
        return self._on_projects(request, jira_filter.project_ids if jira_filter else ())

    # -- one worklog ------------------------------------------------------------------------------

    async def get_worklog(self, request: Request) -> Response:
        worklog = self._worklog(request)
        return JSONResponse(render_worklog(Site.of(self.state, request), worklog))

    async def get_jira_worklog(self, request: Request) -> Response:
        worklog = self._worklog(request, jira=True)
        return JSONResponse(render_worklog(Site.of(self.state, request), worklog))

    async def list_attribute_values(self, request: Request) -> Response:
        values = self._worklog(request).attributes
        return collection(request, [{"key": k, "value": v} for k, v in values])

    async def get_attribute_value(self, request: Request) -> Response:
        values, key = dict(self._worklog(request).attributes), request.path_params["key"]
        if key not in values:
            raise TempoError(404, "Work attribute value cannot be found")
        return JSONResponse({"key": key, "value": values[key]})

    async def _save(self, request: Request, current: WorklogRec | None) -> Response:
        """Stores a worklog from a POST body, or from a PUT body replacing `current`."""
        body = await read_body(request)
        issue_key = body.text("issueKey", required="Issue not found")
        issue = self.state.find_issue(issue_key) if issue_key else None
        if issue_key and issue is None:
            body.problem("Issue not found")
        spent = body.number("timeSpentSeconds", required="Invalid time duration entered")
        if spent is not None and (spent <= 0 or spent != int(spent)):
            body.problem("Invalid time duration entered")
        billable = body.number("billableSeconds")
        if billable is not None and (billable < 0 or billable != int(billable)):
            body.problem("Invalid billable duration entered")
        start_date = body.day("startDate", required="Date can not be empty")
        start_time = body.clock("startTime", required="startTime is required")
        description = body.text("description") or ""
        author = body_user(self.state, body, "authorAccountId", required=True)
        attributes = _attributes(body)
        body.check()
        assert issue and spent and start_date and start_time and author
        worklogs = self.state.worklogs
        worklog = WorklogRec(
            id=current.id if current else self.state.new_id("worklog", worklogs),
            jira_id=current.jira_id
            if current
            else self.state.new_id("jira-worklog", (w.jira_id for w in worklogs.values())),
            project=issue[0],
            issue_number=issue[1],
            time_spent=int(spent),
            billable=int(spent if billable is None else billable),
            start_date=start_date,
            start_time=start_time,
            description=description,
            created_at=current.created_at if current else self.state.now,
            updated_at=self.state.now,
            author=author,
            attributes=attributes,
        )
        worklogs[worklog.id] = worklog
        return JSONResponse(render_worklog(Site.of(self.state, request), worklog))

    async def create_worklog(self, request: Request) -> Response:
        return await self._save(request, None)

    async def update_worklog(self, request: Request) -> Response:
        return await self._save(request, self._worklog(request))

    async def delete_worklog(self, request: Request) -> Response:
        del self.state.worklogs[self._worklog(request).id]
        return no_content()

    # -- work attributes --------------------------------------------------------------------------

    async def list_work_attributes(self, request: Request) -> Response:
        base = Site.of(self.state, request).base
        return collection(
            request,
            [{"self": f"{base}work-attributes/{k}", **a} for k, a in WORK_ATTRIBUTES.items()],
        )

    async def get_work_attribute(self, request: Request) -> Response:
        key = request.path_params["key"]
        if key not in WORK_ATTRIBUTES:
            raise TempoError(404, f"A work attribute with key '{key}' does not exist")
        base = Site.of(self.state, request).base
        return JSONResponse({"self": f"{base}work-attributes/{key}", **WORK_ATTRIBUTES[key]})
