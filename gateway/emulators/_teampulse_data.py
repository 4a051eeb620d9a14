"""The TeamPulse emulator's state, built deterministically from the cast.

Shapes follow the docs' examples: users ``{id, name, displayName}``; one project per cast team
(``team.teampulse``); per project a general "Meetings" task (no work item) and three tasks
with work items; out-of-project general tasks ("Vacation", "Sick leave", "Contract work")
whose project is the sentinel ``{"id": -1, "name": ""}``; two time entry types per project;
time entries for most weekdays of the last 28 days; six activities.

The cast's contractor (a person in no team) belongs to no project, so their time goes to
the out-of-project "Contract work" task. ``workCompleted`` is derived from the time entries,
so it moves when an entry is written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from gateway.emulators.cast import Cast, Person, TeamPulseAccount

JSON = dict[str, object]

SERVICE_ACCOUNT_ID = 999  # `/users/me`: the gateway's own account, which is no cast person
SERVICE_ACCOUNT_NAME = "Teamgraph Gateway"
NO_PROJECT: JSON = {"id": -1, "name": ""}
VACATION, SICK_LEAVE, CONTRACT_WORK = 75090, 75091, 75092
_GENERAL_TASKS = ((VACATION, "Vacation"), (SICK_LEAVE, "Sick leave"),
                  (CONTRACT_WORK, "Contract work"))  # fmt: skip

# Per project: (task name, work item type or None, optimistic / probable / pessimistic hours)
_PROJECT_TASKS: tuple[tuple[str, str | None, tuple[float, float, float]], ...] = (
    ("Meetings", None, (0.0, 0.0, 0.0)),
    ("Build the public API", "Story", (5.0, 10.0, 15.0)),
    ("Fix flaky login", "Bug", (1.0, 2.0, 4.0)),
    ("Review the on-call runbook", "Issue", (2.0, 3.0, 5.0)),
)
_NOTES = ("Pairing session", "Code review", "Follow-up from standup", "Docs and tests", "")
# Time entry type spellings exactly as the docs' examples mix them.
_PROJECT_TYPES = ("Billable", "Billable", "Non-Billable", "Non Billable")
ENTRY_TYPES = frozenset({"Billable", "Non-Billable", "Non Billable", ""})
_HOURS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0)
_SHARES = ("Going for lunch, anyone want to come?", "Demo of the new dashboard at 3pm.")
# The activity stream: (hours ago, kind, flagged). Kinds name a work item of the project,
# or "share" for a personal message.
_ACTIVITY_PLAN = (
    (72, "story", False), (48, "feedback", True), (30, "share", False),
    (5, "bug", True), (2, "share", False), (1, "story", False),
)  # fmt: skip
_ITEM_OFFSET = {"story": 1, "bug": 2, "feedback": 9}


def task_ids_of(project_id: int) -> list[int]:
    return [4000 + project_id * 10 + k for k in range(len(_PROJECT_TASKS))]


@dataclass
class Entry:
    """A time entry as stored: references, not the embedded user and task."""

    id: int
    date: date
    hours: float
    type: str
    user_id: int
    task_id: int
    note: str
    iversion: int


@dataclass(frozen=True)
class Activity:
    id: int
    author: JSON  # {name, displayName}: activities never carry a user id
    content: str
    modified_at: datetime
    is_flagged: bool
    project_id: int | None = None  # set with work_item for "WorkItemChanged"
    work_item: JSON | None = None

    def render(self, site: str) -> JSON:
        """The wire shape; `site` is the server root that icon and work item links use."""
        shown: JSON = {"id": self.id}
        item = self.work_item
        if item is not None:
            shown["project"] = {"id": self.project_id}
        shown["author"] = self.author
        if item is not None:
            shown["workItem"] = item
        shown["content"] = self.content
        icon = f"UserMenu/GetCachedThumbnailedUserImage?name={self.author['name']}"
        shown["iconUrl"] = site + icon
        if item is not None:
            page = f"#/Project/{self.project_id}/GettingStarted${item['type']}Id={item['id']}"
            shown["hyperlink"] = site + page
        moment = self.modified_at
        millis = f"{moment.microsecond // 1000:03d}Z"
        shown["modifiedAt"] = moment.strftime("%Y-%m-%dT%H:%M:%S.") + millis
        shown["canComment"] = True
        if item is not None:
            shown["commentType"] = 1
        shown["isFlagged"] = self.is_flagged
        shown["system"] = "TeamPulse"
        shown["systemEvent"] = "PersonalMessage" if item is None else "WorkItemChanged"
        return shown


@dataclass
class State:
    """Everything one emulator instance serves; writes mutate it."""

    users: dict[int, JSON]  # the people, in id order (the service account is separate)
    service_account: JSON
    projects: dict[int, JSON] = field(default_factory=dict)
    project_users: dict[int, list[int]] = field(default_factory=dict)
    tasks: dict[int, JSON] = field(default_factory=dict)  # without workCompleted
    task_project: dict[int, int] = field(default_factory=dict)  # -1 for general tasks
    work_items: dict[int, JSON] = field(default_factory=dict)  # tasks' items and feedback
    work_item_project: dict[int, int] = field(default_factory=dict)
    entry_types: dict[int, list[JSON]] = field(default_factory=dict)
    entries: dict[int, Entry] = field(default_factory=dict)
    activities: dict[int, Activity] = field(default_factory=dict)
    seen: set[int] = field(default_factory=set)
    comments: dict[int, JSON] = field(default_factory=dict)
    _done: dict[int, float] = field(default_factory=dict)  # task id -> hours logged

    def user(self, user_id: int) -> JSON | None:
        if user_id == SERVICE_ACCOUNT_ID:
            return self.service_account
        return self.users.get(user_id)

    def put_entry(self, entry: Entry) -> None:
        """Store a new or replaced entry, keeping the tasks' hours logged up to date."""
        old = self.entries.get(entry.id)
        if old is not None:
            self._done[old.task_id] -= old.hours
        self._done[entry.task_id] = self._done.get(entry.task_id, 0.0) + entry.hours
        self.entries[entry.id] = entry

    def work_completed(self, task_id: int) -> float:
        return round(self._done.get(task_id, 0.0), 2)

    def full_task(self, task_id: int) -> JSON:
        """A task as GET /tasks shows it: project tasks carry ``workCompleted``."""
        task = dict(self.tasks[task_id])
        if self.task_project[task_id] == -1:
            return task
        # Keep the docs' key order: workCompleted comes before estimate.
        estimate = task.pop("estimate")
        return {**task, "workCompleted": self.work_completed(task_id), "estimate": estimate}

    def full_entry(self, entry: Entry) -> JSON:
        """TimeEntryFull: embeds the whole user and task."""
        return {
            "id": entry.id,
            "date": entry.date.isoformat(),
            "hours": float(entry.hours),
            "type": entry.type,
            "user": self.user(entry.user_id),
            "task": self.full_task(entry.task_id),
            "note": entry.note,
            "iversion": entry.iversion,
        }

    def compact_entry(self, entry: Entry) -> JSON:
        """TimeEntryCompact, what POST and PUT answer: references instead of embeds."""
        task = {"id": entry.task_id, "workCompleted": self.work_completed(entry.task_id)}
        return {**self.full_entry(entry), "user": {"id": entry.user_id}, "task": task}

    def unread_counts(self) -> JSON:
        unread = [a for a in self.activities.values() if a.id not in self.seen]
        flagged = sum(1 for a in unread if a.is_flagged)
        return {"flagged": flagged, "unflagged": len(unread) - flagged, "total": len(unread)}


def build_state(cast: Cast, *, username: str) -> State:
    people = [p for p in cast.people if p.teampulse is not None]
    users = {account.id: _user_json(account) for p in people if (account := p.teampulse)}
    state = State(
        users=dict(sorted(users.items())),
        service_account={
            "id": SERVICE_ACCOUNT_ID,
            "name": username,
            "displayName": SERVICE_ACCOUNT_NAME,
        },
    )
    for task_id, name in _GENERAL_TASKS:
        state.tasks[task_id] = {"id": task_id, "name": name, "project": NO_PROJECT, "estimate": {}}
        state.task_project[task_id] = -1
    for team in cast.teams:
        if team.teampulse is not None:
            handles = [m.person for m in team.members]
            _add_project(state, cast, team.teampulse.id, team.teampulse.name, handles)
    _add_entries(state, cast, people)
    _add_activities(state, cast)
    return state


def _user_json(account: TeamPulseAccount) -> JSON:
    return {"id": account.id, "name": account.name, "displayName": account.display_name}


def _add_project(state: State, cast: Cast, pid: int, name: str, handles: list[str]) -> None:
    project: JSON = {"id": pid, "name": name}
    state.projects[pid] = project
    accounts = (cast.person(h).teampulse for h in handles)
    state.project_users[pid] = sorted(a.id for a in accounts if a is not None)
    for k, (task_id, (task_name, kind, (low, mid, high))) in enumerate(
        zip(task_ids_of(pid), _PROJECT_TASKS, strict=True)
    ):
        task: JSON = {"id": task_id, "name": task_name, "project": project, "estimate": {}}
        if kind is not None:
            item_id = pid * 100 + k
            item: JSON = {"id": item_id, "name": f"{kind} #{item_id}", "type": kind}
            state.work_items[item_id] = {**item, "estimate": mid}
            state.work_item_project[item_id] = pid
            pert = round((low + 4 * mid + high) / 6, 2)
            estimate = {"optimistic": low, "probable": mid, "pessimistic": high, "pert": pert}
            task = {**task, "workItem": state.work_items[item_id], "estimate": estimate}
        state.tasks[task_id] = task
        state.task_project[task_id] = pid
    feedback_id = pid * 100 + 9  # feedback items take portal comments but have no task
    state.work_items[feedback_id] = {
        "id": feedback_id,
        "name": f"Feedback #{feedback_id}",
        "type": "Feedback",
    }
    state.work_item_project[feedback_id] = pid
    state.entry_types[pid] = [
        {
            "id": pid * 10 + seq,
            "timeEntryType": {"id": seq, "name": type_name, "iversion": 0},
            "project": {"id": pid},
            "sequenceNumber": seq,
            "iversion": 1,
        }
        for seq, type_name in ((1, "Billable"), (2, "Non Billable"))
    ]


def _add_entries(state: State, cast: Cast, people: list[Person]) -> None:
    """Most weekdays of the last 28 days (up to today) for everyone with an account."""
    rows: list[tuple[date, int, int, Entry]] = []
    for person in people:
        assert person.teampulse is not None
        user_id = person.teampulse.id
        pool = [
            task_id
            for team in cast.teams_of(person.handle)
            if team.teampulse is not None
            for task_id in task_ids_of(team.teampulse.id)
        ]
        for back in range(27, -1, -1):
            day = cast.today - timedelta(days=back)
            if day.weekday() >= 5:
                continue
            rng = random.Random(f"{person.handle}:{day.isoformat()}")
            roll = rng.random()
            if roll < 0.1:
                continue  # a day with nothing logged
            if roll < 0.16:
                leave = VACATION if roll < 0.13 else SICK_LEAVE
                note = "Out of office"
                rows.append((day, user_id, 0, Entry(0, day, 8.0, "", user_id, leave, note, 1)))
                continue
            for seq in range(rng.randint(1, 3)):
                task_id = rng.choice(pool) if pool else CONTRACT_WORK
                kind = rng.choice(_PROJECT_TYPES) if pool else "Billable"
                hours, note, iversion = rng.choice(_HOURS), rng.choice(_NOTES), rng.randint(0, 2)
                entry = Entry(0, day, hours, kind, user_id, task_id, note, iversion)
                rows.append((day, user_id, seq, entry))
    rows.sort(key=lambda row: row[:3])
    for entry_id, (*_, entry) in enumerate(rows, start=3001):
        entry.id = entry_id
        state.put_entry(entry)


def _add_activities(state: State, cast: Cast) -> None:
    """The stream of :data:`_ACTIVITY_PLAN` over the first four projects and their leads.

    Activities older than a day start as seen, so the unread counts start at 1 flagged and
    2 unflagged.
    """
    projects = [pid for pid in list(state.projects)[:4] if state.project_users[pid]]
    for n, (hours_ago, kind, flagged) in enumerate(_ACTIVITY_PLAN):
        if not projects:
            return
        pid = projects[n % len(projects)]
        author = state.users[state.project_users[pid][0]]
        shown = {"name": author["name"], "displayName": author["displayName"]}
        when = cast.now - timedelta(hours=hours_ago, milliseconds=n * 111)
        if kind == "share":
            content = f"{author['displayName']} shared:<br />{_SHARES[n % len(_SHARES)]}"
            activity = Activity(41601 + n, shown, content, when, flagged)
        else:
            item = state.work_items[pid * 100 + _ITEM_OFFSET[kind]]
            content = f"{author['displayName']} moved {item['name']} to In Progress."
            ref = {"id": item["id"], "type": item["type"], "isVisibleInPortal": kind == "feedback"}
            activity = Activity(41601 + n, shown, content, when, flagged, pid, ref)
        state.activities[activity.id] = activity
        if hours_ago > 24:
            state.seen.add(activity.id)
