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
    """TeamPulse's numeric id of the user."""
    name: str
    """The user's username, e.g. "smokey" (TeamPulse does not promise it is unique)."""
    display_name: str
    """The user's name as TeamPulse shows it, e.g. "Smokey The Bear"."""


class UserRef(_Model):
    """A user inside a time entry: full in GET answers, ``{"id"}`` only in POST/PUT answers."""

    id: int
    """TeamPulse's numeric id of the user."""
    name: str | None = None
    """The user's username; absent when the answer carried only the id (create, update)."""
    display_name: str | None = None
    """The user's name as TeamPulse shows it; absent when the answer carried only the id."""


class Project(_Model):
    """A project, TeamPulse's basic organisational unit: almost everything belongs to one."""

    id: int
    """TeamPulse's numeric id of the project."""
    name: str
    """The project's name, e.g. "Project 1"."""


class ProjectRef(_Model):
    """A project named by its id only."""

    id: int
    """TeamPulse's numeric id of the project."""


class WorkItem(_Model):
    """The work item (story, bug, issue, risk, feedback) a task belongs to."""

    id: int
    """TeamPulse's numeric id of the work item."""
    name: str
    """The work item's name, e.g. "Story 5"."""
    type: str  # "Story", "Bug", "Issue", "Risk", "Feedback"...
    """Its kind: "Story", "Bug", "Issue", "Risk" or "Feedback"."""
    estimate: float | None = None
    """The work item's estimate, in hours."""


class Estimate(_Model):
    """A three-point estimate of a task, in hours, and its PERT average."""

    optimistic: float | None = None
    """The optimistic estimate, in hours."""
    probable: float | None = None
    """The most probable estimate, in hours."""
    pessimistic: float | None = None
    """The pessimistic estimate, in hours."""
    pert: float | None = None
    """The PERT estimate, (optimistic + 4 * probable + pessimistic) / 6, in hours."""


class Task(_Model):
    """What time is logged against. ``project`` is None for general tasks (Vacation...)."""

    id: int
    """TeamPulse's numeric id of the task."""
    name: str
    """The task's name, e.g. "Task 1", "Meetings", "Vacation"."""
    project: Project | None = None
    """The project the task belongs to; null for general tasks outside any project
    (Vacation, Sick leave)."""
    work_item: WorkItem | None = None
    """The work item the task belongs to; null for general tasks."""
    work_completed: float | None = None  # hours logged so far; absent on general tasks
    """Hours logged against the task so far; null for general tasks outside any project."""
    estimate: Estimate | None = None  # None when the API sends ``{}``
    """The task's estimate; null when TeamPulse has none."""

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
    """TeamPulse's numeric id of the time entry."""
    date: date
    """The day the time was spent."""
    hours: float
    """The time spent, in hours (decimal: 1.5 is an hour and a half)."""
    type: str = ""  # "Billable", "Non-Billable", "Non Billable" or "": see `billable`
    """The entry's type as TeamPulse spells it: "Billable", "Non-Billable", "Non Billable"
    or empty."""
    user: UserRef
    """Who spent the time."""
    task: Annotated[Task | TaskRef, Field(union_mode="left_to_right")]
    """What the time was spent on: the whole task in GET answers, its id in write answers."""
    note: str = ""
    """What was done (at most 128 characters); empty when none was given."""
    iversion: int = 0  # send it back on update: optimistic concurrency
    """The entry's version, for optimistic concurrency: an update sends back the one it
    read."""

    @property
    def billable(self) -> bool | None:
        """The type normalised across the API's spellings; None when it is empty."""
        kind = self.type.strip().lower().replace("-", " ")
        return None if not kind else kind == "billable"


class TimeEntryType(_Model):
    """A kind of time entry (billable or not)."""

    id: int
    """TeamPulse's numeric id of the time entry type."""
    name: str  # "Billable", "Non Billable"
    """The type's name: "Billable" or "Non Billable"."""
    iversion: int = 0
    """The type's version, for optimistic concurrency."""


class ProjectTimeEntryType(_Model):
    """A time entry type enabled in a project, in the project's order."""

    id: int
    """TeamPulse's numeric id of this project's use of the type."""
    time_entry_type: TimeEntryType
    """The time entry type."""
    project: ProjectRef
    """The project it is enabled in."""
    sequence_number: int
    """Its position in the project's list, from 1."""
    iversion: int = 0
    """Its version, for optimistic concurrency."""

    @property
    def name(self) -> str:
        return self.time_entry_type.name


class ActivityAuthor(_Model):
    """Activity authors carry no id: link them to users by ``name`` or ``display_name``."""

    name: str
    """The author's username, e.g. "jsmith"."""
    display_name: str
    """The author's name as TeamPulse shows it, e.g. "John Smith"."""


class ActivityWorkItem(_Model):
    """The work item an activity is about."""

    id: int
    """TeamPulse's numeric id of the work item."""
    type: str
    """Its kind: "Story", "Bug", "Issue", "Risk" or "Feedback"."""
    is_visible_in_portal: bool = False
    """Whether the project portal shows it (feedback items)."""


class Activity(_Model):
    """An entry in the activity stream: a work item change or a shared message."""

    id: int
    """TeamPulse's numeric id of the activity; later activities have larger ids."""
    project: ProjectRef | None = None
    """The project of the work item it is about; null for shared messages."""
    author: ActivityAuthor
    """Who caused it (TeamPulse names activity authors by username, not by id)."""
    work_item: ActivityWorkItem | None = None
    """The work item it is about; null for shared messages."""
    content: str  # HTML-ish: "<br />" separates the author line from the message
    """What happened, as HTML-ish text ("<br />" separates the author line from a
    message)."""
    icon_url: str | None = None
    """The author's picture."""
    hyperlink: str | None = None
    """The work item in TeamPulse's web app; null for shared messages."""
    modified_at: datetime
    """When it happened."""
    can_comment: bool = False
    """Whether it takes comments."""
    comment_type: int | None = None
    """The kind of comment it takes, as TeamPulse numbers them; null when none is given."""
    is_flagged: bool = False
    """Whether it is flagged (matched a flagging notification rule)."""
    system: str = ""
    """The system that produced it: "TeamPulse"."""
    system_event: str = ""  # "WorkItemChanged", "PersonalMessage"
    """What kind of event it is: "WorkItemChanged" or "PersonalMessage" (a shared
    message)."""

    @field_validator("modified_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        # The docs' timestamps end in "Z"; read a bare one as UTC too.
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class UnreadCounts(_Model):
    """How many activities the authenticated account has not seen yet."""

    flagged: int
    """Unseen flagged activities."""
    unflagged: int
    """Unseen activities that are not flagged."""
    total: int
    """All unseen activities."""


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
