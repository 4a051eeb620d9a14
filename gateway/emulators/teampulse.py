"""An emulator of the TeamPulse API, mounted at ``/teampulse/api``.

Speaks the documented wire format: bare JSON bodies (every example is bare, though the prose
mentions a ``data`` field), HTTP Basic auth, errors as ``{"<entity>.<field>": "message"}``
maps, ``201`` + ``Location`` when a time entry is created, no pagination.

Choices where the docs are silent or ambiguous:

* Auth is HTTP Basic with ``cast.credentials.teampulse_username`` / ``teampulse_password``;
  anything else gets ``401 {"auth": "Invalid username or password."}`` with
  ``WWW-Authenticate: Basic realm="TeamPulse"``.
* ``/users/me`` is the gateway's service account ``{"id": 999, "name": <username>,
  "displayName": "Teamgraph Gateway"}``, since the cast has no TeamPulse person for it.
  ``/users/999`` finds it too; ``/users`` lists the people only.
* Unknown paths and methods, and unknown objects, get ``404`` with an error map
  (``{"path": ...}``, ``{"te.id": ...}``, ``{"task.id": ...}``...).
* Errors are the docs' example map ``{"te.note": "..."}`` (``<entity>.<field>`` to message),
  not the "list of errors" of the prose; a write reports every bad field at once, one key
  each, so the reason always names the field.
* ``startDate`` / ``endDate`` are inclusive, each optional; a malformed one, or an
  ``endDate`` before the ``startDate``, is ``400``.
* ``PUT /timeentries/{id}`` needs the current ``iversion``: a stale one is
  ``409 {"te.iversion": ...}``. An omitted ``note`` or ``type`` keeps the stored one (the docs'
  PUT example sends no note and gets the old note back).
* The unread count is ``GET /activities/count``; shared messages are ``POST /activities``.
  ``seenupto/{id}`` marks every activity up to that id (only flagged ones with
  ``onlyFlagged=true``) as seen. Only the time entry create has a ``Location``: it is the one
  created object the API can serve back.
* Time entry ``type`` must be one of the docs' spellings (``Billable``, ``Non-Billable``,
  ``Non Billable`` or empty; omitted on create means empty); ``hours`` is more than 0 and at
  most 24. Comments need a known work item of that project, of the ``type`` sent (if any);
  ``PortalComment`` only goes on feedback items; ``type`` defaults to ``Comment``.
* A comment shows in the activity stream as an activity on its work item, its text as the
  content (the docs' example activity on a feedback item reads like a comment: "I agree with
  you Jane…"); the API has no other way to read a comment back. Like a shared message, it is
  authored by the signed-in account and never unread for it.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.emulators._teampulse_data import (
    ENTRY_TYPES,
    JSON,
    Activity,
    Entry,
    build_state,
)
from gateway.emulators._teampulse_http import (
    BasicAuth,
    ErrorMap,
    api_root,
    int_or_none,
    json_body,
    on_error_map,
    on_http_error,
    parse_bool,
    parse_date,
    ref_id,
    render_fault,
)
from gateway.emulators.cast import Cast
from gateway.emulators.faults import FaultMiddleware, Faults


def create_app(cast: Cast, *, faults: Faults | None = None) -> Starlette:
    """The TeamPulse emulator for `cast`, its routes relative to the API base ``/api``."""
    creds = cast.credentials
    state = build_state(cast, username=creds.teampulse_username)

    def user_or_404(user_id: int) -> JSON:
        found = state.user(user_id)
        if found is None:
            raise ErrorMap(404, {"user.id": f"User {user_id} does not exist."})
        return found

    def project_or_404(request: Request) -> int:
        pid: int = request.path_params["id"]
        if pid not in state.projects:
            raise ErrorMap(404, {"project.id": f"Project {pid} does not exist."})
        return pid

    # -- users and projects ---------------------------------------------------------------

    async def list_users(request: Request) -> Response:
        return JSONResponse(list(state.users.values()))

    async def get_user(request: Request) -> Response:
        return JSONResponse(user_or_404(request.path_params["id"]))

    async def get_me(request: Request) -> Response:
        return JSONResponse(state.service_account)

    async def list_projects(request: Request) -> Response:
        return JSONResponse(list(state.projects.values()))

    async def list_project_users(request: Request) -> Response:
        pid = project_or_404(request)
        return JSONResponse([state.users[u] for u in state.project_users[pid]])

    # -- tasks and time entries -----------------------------------------------------------

    async def list_tasks(request: Request) -> Response:
        return JSONResponse([state.full_task(t) for t in state.tasks])

    async def get_task(request: Request) -> Response:
        task_id: int = request.path_params["id"]
        if task_id not in state.tasks:
            raise ErrorMap(404, {"task.id": f"Task {task_id} does not exist."})
        return JSONResponse(state.full_task(task_id))

    async def list_project_tasks(request: Request) -> Response:
        pid = project_or_404(request)
        tasks = [t for t, p in state.task_project.items() if p == pid]
        return JSONResponse([state.full_task(t) for t in tasks])

    async def list_entry_types(request: Request) -> Response:
        return JSONResponse(state.entry_types[project_or_404(request)])

    async def list_entries(request: Request) -> Response:
        query = request.query_params
        start = parse_date(query["startDate"], "startDate") if "startDate" in query else None
        end = parse_date(query["endDate"], "endDate") if "endDate" in query else None
        if start is not None and end is not None and end < start:
            message = f"The endDate {end} is before the startDate {start}."
            raise ErrorMap(400, {"endDate": message})
        chosen = [
            e
            for e in sorted(state.entries.values(), key=lambda e: (e.date, e.id))
            if (start is None or e.date >= start) and (end is None or e.date <= end)
        ]
        return JSONResponse([state.full_entry(e) for e in chosen])

    def entry_or_404(request: Request) -> Entry:
        entry_id: int = request.path_params["id"]
        if entry_id not in state.entries:
            raise ErrorMap(404, {"te.id": f"Time entry {entry_id} does not exist."})
        return state.entries[entry_id]

    async def get_entry(request: Request) -> Response:
        return JSONResponse(state.full_entry(entry_or_404(request)))

    def validate_entry(body: JSON, current: Entry | None) -> Entry:
        """The fields of a POST or PUT body, every problem reported at once."""
        errors: dict[str, str] = {}
        try:
            day = parse_date(body.get("date"), "te.date")
        except ErrorMap as exc:
            errors.update(exc.errors)
        hours = body.get("hours")
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 24:
            errors["te.hours"] = "The field hours must be a number greater than 0 and at most 24."
        task_id = ref_id(body, "task")
        if task_id not in state.tasks:
            errors["te.task"] = 'The field task must reference an existing task: {"id": ...}.'
        user_id = ref_id(body, "user")
        if user_id not in state.users:
            errors["te.user"] = 'The field user must reference an existing user: {"id": ...}.'
        kind = body.get("type", current.type if current else "")
        if kind not in ENTRY_TYPES:
            errors["te.type"] = (
                "The field type must be Billable, Non-Billable, Non Billable or empty."
            )
        note = body.get("note", current.note if current else "")
        if not isinstance(note, str) or len(note) > 128:
            errors["te.note"] = "The field note must be a string with a maximum length of 128."
        if errors:
            raise ErrorMap(400, errors)
        assert isinstance(hours, int | float) and task_id is not None and user_id is not None
        return Entry(0, day, float(hours), str(kind), user_id, task_id, str(note), 0)

    async def create_entry(request: Request) -> Response:
        entry = validate_entry(await json_body(request, "te"), None)
        entry.id = max(state.entries, default=3000) + 1
        state.put_entry(entry)
        location = {"Location": f"{api_root(request)}timeentries/{entry.id}"}
        return JSONResponse(state.compact_entry(entry), status_code=201, headers=location)

    async def update_entry(request: Request) -> Response:
        current = entry_or_404(request)
        body = await json_body(request, "te")
        sent = int_or_none(body.get("iversion"))
        if sent is None:
            raise ErrorMap(400, {"te.iversion": "The field iversion is required (an integer)."})
        if sent != current.iversion:
            message = (
                f"The time entry was changed by someone else (iversion is {current.iversion}, "
                f"not {sent}); read it again and retry."
            )
            raise ErrorMap(409, {"te.iversion": message})
        entry = validate_entry(body, current)
        entry.id, entry.iversion = current.id, current.iversion + 1
        state.put_entry(entry)
        return JSONResponse(state.compact_entry(entry))

    # -- activities and comments ----------------------------------------------------------

    async def list_activities(request: Request) -> Response:
        flagged = parse_bool(request, "isFlagged")
        site = api_root(request).removesuffix("api/")  # icons live on the web app's root
        newest_first = sorted(state.activities.values(), key=lambda a: -a.id)
        chosen = [a for a in newest_first if flagged is None or a.is_flagged == flagged]
        return JSONResponse([a.render(site) for a in chosen])

    async def unread_count(request: Request) -> Response:
        return JSONResponse(state.unread_counts())

    async def mark_seen(request: Request) -> Response:
        upto: int = request.path_params["id"]
        only_flagged = parse_bool(request, "onlyFlagged")
        if upto not in state.activities:
            raise ErrorMap(404, {"activity.id": f"Activity {upto} does not exist."})
        state.seen.update(
            a.id
            for a in state.activities.values()
            if a.id <= upto and (a.is_flagged or not only_flagged)
        )
        return JSONResponse(state.unread_counts())

    async def share(request: Request) -> Response:
        message = (await json_body(request, "share")).get("message")
        if not isinstance(message, str) or not message.strip():
            raise ErrorMap(400, {"share.message": "The field message is required."})
        me = state.service_account
        content = f"{me['displayName']} shared: {message}"
        author = {"name": me["name"], "displayName": me["displayName"]}
        activity = Activity(
            max(state.activities, default=41600) + 1,
            author,
            f"{me['displayName']} shared:<br />{message}",
            cast.now,
            False,
        )
        state.activities[activity.id] = activity
        state.seen.add(activity.id)  # your own message is never unread for you
        return JSONResponse({"message": content}, status_code=201)

    async def create_comment(request: Request) -> Response:
        body = await json_body(request, "comment")
        errors: dict[str, str] = {}
        description = body.get("description")
        if not isinstance(description, str) or not description.strip():
            errors["comment.description"] = "The field description is required."
        pid = ref_id(body, "project")
        if pid not in state.projects:
            errors["comment.project"] = "The field project must reference an existing project."
        item_id = ref_id(body, "workItem")
        item = state.work_items.get(item_id) if item_id is not None else None
        sent = body.get("workItem")
        sent_type = sent.get("type") if isinstance(sent, dict) else None
        if item_id is None or item is None or state.work_item_project[item_id] != pid:
            errors["comment.workItem"] = (
                "The field workItem must reference a work item of the project."
            )
        elif sent_type is not None and sent_type != item["type"]:
            errors["comment.workItem"] = (
                f"Work item {item_id} is a {item['type']}, not a {sent_type}."
            )
        kind = body.get("type", "Comment")
        if kind not in ("Comment", "PortalComment"):
            errors["comment.type"] = "The field type must be Comment or PortalComment."
        elif kind == "PortalComment" and item is not None and item["type"] != "Feedback":
            errors["comment.type"] = "Only feedback items take portal comments."
        if errors:
            raise ErrorMap(400, errors)
        assert item is not None
        comment_id = len(state.comments) + 1
        comment: JSON = {
            "id": comment_id,
            "project": {"id": pid},
            "workItem": {"id": item["id"], "type": item["type"]},
            "description": description,
            "type": kind,
            "iversion": 0,
        }
        state.comments[comment_id] = comment
        me = state.service_account
        item_ref = {"id": item["id"], "type": item["type"],
                    "isVisibleInPortal": item["type"] == "Feedback"}  # fmt: skip
        activity = Activity(
            max(state.activities, default=41600) + 1,
            {"name": me["name"], "displayName": me["displayName"]},
            str(description),
            cast.now,
            False,
            pid,
            item_ref,
        )
        state.activities[activity.id] = activity
        state.seen.add(activity.id)  # your own comment is never unread for you
        return JSONResponse(comment, status_code=201)

    routes = [
        Route("/users", list_users),
        Route("/users/me", get_me),
        Route("/users/{id:int}", get_user),
        Route("/projects", list_projects),
        Route("/projects/{id:int}/users", list_project_users),
        Route("/projects/{id:int}/tasks", list_project_tasks),
        Route("/projects/{id:int}/timeentrytypes", list_entry_types),
        Route("/tasks", list_tasks),
        Route("/tasks/{id:int}", get_task),
        Route("/timeentries", list_entries),
        Route("/timeentries", create_entry, methods=["POST"]),
        Route("/timeentries/{id:int}", get_entry),
        Route("/timeentries/{id:int}", update_entry, methods=["PUT"]),
        Route("/activities", list_activities),
        Route("/activities", share, methods=["POST"]),
        Route("/activities/users", list_users),
        Route("/activities/count", unread_count),
        Route("/activities/seenupto/{id:int}", mark_seen, methods=["PUT"]),
        Route("/comments", create_comment, methods=["POST"]),
    ]
    # Outermost first: an outage answers before the credentials are even checked.
    middleware = (
        []
        if faults is None
        else [Middleware(FaultMiddleware, faults=faults, render_error=render_fault)]
    )
    middleware.append(
        Middleware(BasicAuth, username=creds.teampulse_username, password=creds.teampulse_password)
    )
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={ErrorMap: on_error_map, HTTPException: on_http_error},
    )
