"""The TeamPulse API client (its payload models are in ``teampulse_models``, re-exported here).

Build it over an ``httpx.AsyncClient`` whose base URL is the API root (``http://host/api``)
and which carries HTTP Basic auth::

    client = TeamPulseClient(httpx.AsyncClient(base_url=url, auth=(username, password)))
    entries = await client.list_time_entries(start_date=date(2026, 11, 1))

Every example in the docs is a bare object or array, but their prose says data arrives "in
the data field at the top level"; both shapes are accepted. There is no pagination. Errors
are maps of ``<entity>.<field>`` to message (``{"te.note": "..."}``), which
:meth:`TeamPulseClient.error_detail` joins into one line that names each field.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar, get_args

import httpx

from resolvers.backends.base import JSON, BaseClient, QueryParams
from resolvers.backends.teampulse_models import (
    Activity,
    ActivityAuthor,
    ActivityWorkItem,
    Comment,
    CommentWorkItem,
    Estimate,
    Project,
    ProjectRef,
    ProjectTimeEntryType,
    SharedMessage,
    Task,
    TaskRef,
    TimeEntry,
    TimeEntryType,
    UnreadCounts,
    User,
    UserRef,
    WorkItem,
)
from resolvers.backends.wire import repeated

__all__ = [
    "Activity",
    "ActivityAuthor",
    "ActivityWorkItem",
    "Comment",
    "CommentWorkItem",
    "Estimate",
    "Project",
    "ProjectRef",
    "ProjectTimeEntryType",
    "SharedMessage",
    "Task",
    "TaskRef",
    "TeamPulseClient",
    "TimeEntry",
    "TimeEntryType",
    "UnreadCounts",
    "User",
    "UserRef",
    "WorkItem",
]

T = TypeVar("T")

# -- the client ----------------------------------------------------------------------------


class TeamPulseClient(BaseClient):
    """Typed access to the TeamPulse API; every method makes exactly one request."""

    service = "teampulse"

    # -- users and projects -------------------------------------------------------------

    async def list_users(self) -> list[User]:
        """Every user in every project the account may access."""
        return await self._get("/users", list[User])

    async def list_mention_users(self) -> list[User]:
        """``/activities/users``: documented to answer exactly what :meth:`list_users` does."""
        return await self._get("/activities/users", list[User])

    async def get_user(self, user_id: int) -> User | None:
        return await self._get_optional(f"/users/{user_id}", User)

    async def get_me(self) -> User:
        """The account the client authenticates as."""
        return await self._get("/users/me", User)

    async def list_projects(self) -> list[Project]:
        return await self._get("/projects", list[Project])

    async def list_project_users(self, project_id: int) -> list[User]:
        """Users of one project; raises UpstreamNotFound for an unknown project."""
        return await self._get(f"/projects/{project_id}/users", list[User])

    # -- tasks and time entries ---------------------------------------------------------

    async def list_tasks(self) -> list[Task]:
        """All tasks, including general ones outside any project (``project`` None)."""
        return await self._get("/tasks", list[Task])

    async def get_task(self, task_id: int) -> Task | None:
        return await self._get_optional(f"/tasks/{task_id}", Task)

    async def list_project_tasks(self, project_id: int) -> list[Task]:
        """Tasks of one project; raises UpstreamNotFound for an unknown project."""
        return await self._get(f"/projects/{project_id}/tasks", list[Task])

    async def list_time_entries(
        self, *, start_date: date | None = None, end_date: date | None = None
    ) -> list[TimeEntry]:
        """Every user's entries dated within [start_date, end_date]; both bounds inclusive.

        Without bounds the API answers every entry it has, so pass at least one.
        """
        params = _params(startDate=start_date, endDate=end_date)
        # A week names the same few dozen tasks and users in hundreds of entries.
        response = await self.send("GET", "/timeentries", params=params)
        return self._parse(list[TimeEntry], response, ("user", "task"))

    async def get_time_entry(self, entry_id: int) -> TimeEntry | None:
        return await self._get_optional(f"/timeentries/{entry_id}", TimeEntry)

    async def list_time_entry_types(self, project_id: int) -> list[ProjectTimeEntryType]:
        return await self._get(f"/projects/{project_id}/timeentrytypes", list[ProjectTimeEntryType])

    async def create_time_entry(
        self,
        *,
        date: date,
        hours: float,
        task_id: int,
        user_id: int,
        type: str = "",
        note: str | None = None,
    ) -> TimeEntry:
        """Log time; the answer carries ids only (see :class:`TimeEntry`) and iversion 0.

        A note over 128 characters or an unknown task or user raises UpstreamRejected.
        """
        body = _entry_body(date, hours, task_id, user_id, type, note)
        return await self._write("POST", "/timeentries", TimeEntry, body, expect=201)

    async def update_time_entry(
        self,
        entry_id: int,
        *,
        date: date,
        hours: float,
        task_id: int,
        user_id: int,
        iversion: int,
        type: str | None = None,
        note: str | None = None,
    ) -> TimeEntry:
        """Replace an entry; `iversion` must be the one last read (the answer has it + 1).

        Someone else's change in between raises UpstreamRejected (status 409): read the entry
        again and retry. ``type`` and ``note`` left as None keep their current values.
        """
        body = _entry_body(date, hours, task_id, user_id, type, note)
        body["iversion"] = iversion
        return await self._write("PUT", f"/timeentries/{entry_id}", TimeEntry, body)

    # -- activities and comments --------------------------------------------------------

    async def list_activities(self, *, is_flagged: bool | None = None) -> list[Activity]:
        """The activity stream, newest first; `is_flagged` keeps only (un)flagged ones."""
        return await self._get("/activities", list[Activity], params=_params(isFlagged=is_flagged))

    async def get_unread_counts(self) -> UnreadCounts:
        return await self._get("/activities/count", UnreadCounts)

    async def mark_activities_seen(
        self, activity_id: int, *, only_flagged: bool | None = None
    ) -> UnreadCounts:
        """Mark activities up to `activity_id` as seen; answers the unread counts left."""
        path = f"/activities/seenupto/{activity_id}"
        response = await self.send("PUT", path, params=_params(onlyFlagged=only_flagged))
        return self._parse(UnreadCounts, response)

    async def share_message(self, message: str) -> SharedMessage:
        """Post a message to the activity stream as the authenticated user."""
        return await self._write(
            "POST", "/activities", SharedMessage, {"message": message}, expect=201
        )

    async def create_comment(
        self,
        *,
        project_id: int,
        work_item_id: int,
        work_item_type: str,
        description: str,
        type: str = "Comment",
    ) -> Comment:
        """Comment on a work item; ``type="PortalComment"`` (feedback items) shows it in the
        project portal."""
        body: dict[str, object] = {
            "description": description,
            "type": type,
            "project": {"id": project_id},
            "workItem": {"id": work_item_id, "type": work_item_type},
        }
        return await self._write("POST", "/comments", Comment, body, expect=201)

    # -- plumbing -----------------------------------------------------------------------

    def error_detail(self, response: httpx.Response) -> str | None:
        """The reason in one line, each message after the field it is about.

        ``{"te.note": "Too long.", "te.date": "Bad date."}`` reads
        ``te.note: Too long.; te.date: Bad date.``; a list of errors (what the docs' prose
        promises) is joined the same way.
        """
        body = response.json()
        if isinstance(body, dict) and "data" in body and len(body) == 1:
            body = body["data"]
        if isinstance(body, dict):
            parts = [f"{key}: {_message(value)}" for key, value in body.items()]
        elif isinstance(body, list):
            parts = [_message(v) for v in body]
        else:
            parts = [str(body)]
        return "; ".join(p for p in parts if p) or None

    async def _get(self, path: str, tp: type[T], *, params: QueryParams = None) -> T:
        return self._parse(tp, await self.send("GET", path, params=params))

    async def _get_optional(self, path: str, tp: type[T]) -> T | None:
        response = await self.send("GET", path, expect=(200, 404))
        return None if response.status_code == 404 else self._parse(tp, response)

    async def _write(
        self, method: str, path: str, tp: type[T], body: dict[str, object], *, expect: int = 200
    ) -> T:
        return self._parse(tp, await self.send(method, path, json=body, expect=(expect,)))

    def _parse(self, tp: type[T], response: httpx.Response, repeats: tuple[str, ...] = ()) -> T:
        """`repeats`: for a list of models, the fields whose objects repeat across items."""
        where = f"{response.request.method} {response.request.url.raw_path.decode()}"
        if not response.content.startswith(b'{"data"'):
            # The usual bare body: validated straight from the bytes.
            many = repeated(get_args(tp)[0], *repeats) if repeats else None
            return self.read_model(tp, response, where=where, repeated=many)
        return self.parse(tp, _unwrap(self.decode(response)), where=where)


def _unwrap(payload: JSON) -> JSON:
    """The bare payload, whether or not the API wrapped it in ``{"data": ...}``.

    No TeamPulse entity has a ``data`` field, so a top-level one is always the wrapper.
    """
    if isinstance(payload, dict) and "data" in payload:
        return payload["data"]
    return payload


def _message(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("message") or "; ".join(_message(v) for v in value.values()))
    if isinstance(value, list):
        return "; ".join(_message(v) for v in value)
    return str(value)


def _params(**values: date | bool | None) -> dict[str, str | bool]:
    """Query parameters without the unset ones; dates as ``YYYY-MM-DD``."""
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in values.items()
        if value is not None
    }


def _entry_body(
    day: date, hours: float, task_id: int, user_id: int, kind: str | None, note: str | None
) -> dict[str, object]:
    body: dict[str, object] = {
        "date": day.isoformat(),
        "hours": hours,
        "task": {"id": task_id},
        "user": {"id": user_id},
    }
    if kind is not None:
        body["type"] = kind
    if note is not None:
        body["note"] = note
    return body
