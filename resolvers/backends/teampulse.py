"""The TeamPulse API client and models of its payloads.

Build it over an ``httpx.AsyncClient`` whose base URL is the API root (``http://host/api``)
and which carries HTTP Basic auth::

    client = TeamPulseClient(httpx.AsyncClient(base_url=url, auth=(username, password)))
    entries = await client.list_time_entries(start_date=date(2026, 11, 1))

Every example in the docs is a bare object or array, but their prose says data arrives "in
the data field at the top level"; both shapes are accepted. There is no pagination. Errors
are maps of ``<entity>.<field>`` to message (``{"te.note": "..."}``), which
:meth:`TeamPulseClient.error_detail` joins into one message.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from resolvers.backends.base import JSON, BaseClient, QueryParams

T = TypeVar("T")

# -- models ------------------------------------------------------------------------------


class _Model(BaseModel):
    # Wire names are camelCase throughout (displayName, workItem, isFlagged...).
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True
    )


class User(_Model):
    """A TeamPulse account: ``name`` is the username (not unique, per the docs' examples)."""

    id: int
    name: str
    display_name: str


class UserRef(_Model):
    """A user inside a time entry: full in GET answers, ``{"id"}`` only in POST/PUT answers."""

    id: int
    name: str | None = None
    display_name: str | None = None


class Project(_Model):
    id: int
    name: str


class ProjectRef(_Model):
    id: int


class WorkItem(_Model):
    id: int
    name: str
    type: str  # "Story", "Bug", "Issue", "Risk", "Feedback"...
    estimate: float | None = None


class Estimate(_Model):
    optimistic: float | None = None
    probable: float | None = None
    pessimistic: float | None = None
    pert: float | None = None


class Task(_Model):
    """What time is logged against. ``project`` is None for general tasks (Vacation...)."""

    id: int
    name: str
    project: Project | None = None
    work_item: WorkItem | None = None
    work_completed: float | None = None  # hours logged so far; absent on general tasks
    estimate: Estimate | None = None  # None when the API sends ``{}``

    @field_validator("project")
    @classmethod
    def _no_sentinel(cls, project: Project | None) -> Project | None:
        # The API marks "no project" with {"id": -1, "name": ""}.
        return None if project is None or project.id == -1 else project

    @field_validator("estimate")
    @classmethod
    def _no_empty_estimate(cls, estimate: Estimate | None) -> Estimate | None:
        return None if estimate is None or estimate == Estimate() else estimate


class TaskRef(_Model):
    """A task inside a POST/PUT time entry answer: ``{"id", "workCompleted"}``."""

    id: int
    work_completed: float | None = None


class TimeEntry(_Model):
    """Hours one user spent on one task on one day.

    GET answers embed the whole user and :class:`Task`; create and update answers carry only
    ids (``user`` has no name, ``task`` is a :class:`TaskRef`).
    """

    id: int
    date: date
    hours: float
    type: str = ""  # "Billable", "Non-Billable", "Non Billable" or "": see `billable`
    user: UserRef
    task: Annotated[Task | TaskRef, Field(union_mode="left_to_right")]
    note: str = ""
    iversion: int = 0  # send it back on update: optimistic concurrency

    @property
    def billable(self) -> bool | None:
        """The type normalised across the API's spellings; None when it is empty."""
        kind = self.type.strip().lower().replace("-", " ")
        return None if not kind else kind == "billable"


class TimeEntryType(_Model):
    id: int
    name: str  # "Billable", "Non Billable"
    iversion: int = 0


class ProjectTimeEntryType(_Model):
    """A time entry type enabled in a project, in the project's order."""

    id: int
    time_entry_type: TimeEntryType
    project: ProjectRef
    sequence_number: int
    iversion: int = 0

    @property
    def name(self) -> str:
        return self.time_entry_type.name


class ActivityAuthor(_Model):
    """Activity authors carry no id: link them to users by ``name`` or ``display_name``."""

    name: str
    display_name: str


class ActivityWorkItem(_Model):
    id: int
    type: str
    is_visible_in_portal: bool = False


class Activity(_Model):
    """An entry in the activity stream: a work item change or a shared message."""

    id: int
    project: ProjectRef | None = None
    author: ActivityAuthor
    work_item: ActivityWorkItem | None = None
    content: str  # HTML-ish: "<br />" separates the author line from the message
    icon_url: str | None = None
    hyperlink: str | None = None
    modified_at: datetime
    can_comment: bool = False
    comment_type: int | None = None
    is_flagged: bool = False
    system: str = ""
    system_event: str = ""  # "WorkItemChanged", "PersonalMessage"

    @field_validator("modified_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        # The docs' timestamps end in "Z"; read a bare one as UTC too.
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class UnreadCounts(_Model):
    flagged: int
    unflagged: int
    total: int


class SharedMessage(_Model):
    message: str  # as posted, prefixed with "<author display name> shared: "


class CommentWorkItem(_Model):
    id: int
    type: str


class Comment(_Model):
    id: int
    project: ProjectRef
    work_item: CommentWorkItem
    description: str
    type: str  # "Comment" or "PortalComment" (portal-visible, feedback items only)
    iversion: int = 0


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
        return await self._get("/timeentries", list[TimeEntry], params=params)

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
        """Join the messages of ``{"te.note": "..."}`` maps (or of a list of errors)."""
        body = response.json()
        if isinstance(body, dict) and "data" in body and len(body) == 1:
            body = body["data"]
        if isinstance(body, dict):
            parts = [_message(v) for v in body.values()]
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

    def _parse(self, tp: type[T], response: httpx.Response) -> T:
        where = f"{response.request.method} {response.request.url.raw_path.decode()}"
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
