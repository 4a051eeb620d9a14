"""TeamPulse's payload models: camelCase on the wire, frozen, parsed once at the boundary.

The docs' examples vary (a project sentinel ``{"id": -1, "name": ""}``, ``"estimate": {}``,
time entries that embed a whole user and task in GET answers but only ids in POST/PUT
answers); the validators here turn those variants into plain ``None`` or a narrower type.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel


class _Model(BaseModel):
    # Wire names are camelCase throughout (displayName, workItem, isFlagged...).
    # Attribute docstrings become field descriptions, here and in the GraphQL types
    # derived from these models (schema/services).
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
        use_attribute_docstrings=True,
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
        if estimate is None:
            return None
        # Compared field by field: building an empty Estimate for every task is not free.
        e = estimate
        empty = e.optimistic is None and e.probable is None and e.pessimistic is None
        return None if empty and e.pert is None else estimate


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
