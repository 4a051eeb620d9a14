"""The Team O'clock emulator's records, the store that holds them, and their JSON renderings."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from urllib.parse import quote

from gateway.emulators._teamoclock_content import (
    ACTIONS,
    BLOCKERS,
    COLUMNS,
    DONE,
    FIBONACCI,
    LETTERS,
    NEXT,
    NOTES,
    QUESTIONS,
    ROUNDUPS,
    STORIES,
    average,
    code,
    jira_url,
)

WEB = "https://www.teamoclock.com"  # the web UI: meeting `url`s and task `links.self`
TIMELINE_PREFIX = {"standup": "S", "planpoker": "P", "retro": "R"}
MEETING_NOUN = {"standup": "standup", "planpoker": "planning poker", "retro": "retrospective"}

JsonObject = dict[str, object]


@dataclass
class Meeting:
    """An active meeting. ``state`` is already wire-shaped (tasks get added to it)."""

    kind: str  # standup | planpoker | retro
    id: str
    slug: str  # the team's; its name is rendered live, so a renamed team shows everywhere
    date: datetime
    state: JsonObject


@dataclass
class ActionItem:
    number: int
    text: str
    resolved: bool
    jira: str | None
    slug: str  # the team's
    date: datetime

    @property
    def id(self) -> str:
        return f"A{self.number}"


@dataclass
class Record:
    """A timeline record. ``body`` holds the type-specific fields in documented order; its
    ``team`` is rendered from ``slug``."""

    number: int
    type: str
    date: datetime
    slug: str
    body: JsonObject
    action_items: list[ActionItem] = field(default_factory=list)  # retro: the items it made

    @property
    def id(self) -> str:
        return f"{TIMELINE_PREFIX[self.type]}{self.number}"


@dataclass
class Store:
    """One organisation's data; the app renders it and its writes change it."""

    org: str
    now: datetime
    members: dict[str, JsonObject] = field(default_factory=dict)  # by username
    teams: dict[str, JsonObject] = field(default_factory=dict)  # by slug
    team_members: dict[str, list[str]] = field(default_factory=dict)  # slug -> usernames
    # Deleted teams' last names: action items and the timeline are history and keep them.
    former_teams: dict[str, str] = field(default_factory=dict)
    meetings: dict[str, dict[str, Meeting]] = field(
        default_factory=lambda: {kind: {} for kind in MEETING_NOUN}
    )
    action_items: dict[int, ActionItem] = field(default_factory=dict)
    timeline: dict[int, Record] = field(default_factory=dict)
    started: int = 0  # meetings started so far: seeds their random choices and ids

    def team_ref(self, slug: str) -> dict[str, str]:
        """``{name, slug}`` as embedded in meetings and action items, with the current name."""
        team = self.teams.get(slug)
        return {"name": str(team["name"]) if team else self.former_teams[slug], "slug": slug}

    def delete_member(self, username: str) -> None:
        """Remove a member from the organisation and from every team they were in.

        What they said or voted in meetings stays: it is the meeting's record.
        """
        del self.members[username]
        for usernames in self.team_members.values():
            if username in usernames:
                usernames.remove(username)

    def delete_team(self, slug: str) -> None:
        """Remove a team, its member list and its active meetings; its history stays."""
        self.former_teams[slug] = str(self.teams.pop(slug)["name"])
        del self.team_members[slug]
        for table in self.meetings.values():
            for meeting_id in [i for i, m in table.items() if m.slug == slug]:
                del table[meeting_id]

    def start_meeting(
        self, kind: str, slug: str, *, facilitator: str | None = None, busy: bool = False
    ) -> Meeting:
        """Start a meeting of `kind` for team `slug`; a `busy` one has notes and tasks."""
        self.started += 1
        rng = random.Random(f"{slug}:{kind}:{self.now.date()}:{self.started}")
        began = self.now
        if busy:  # the cast's meetings began a while ago, but today
            midnight = datetime.combine(self.now.date(), time(), UTC)
            ago = timedelta(seconds=rng.randint(300, 3000), milliseconds=rng.randint(0, 999))
            began = max(midnight, self.now - ago)
        members = self.team_members[slug]
        if facilitator is None and members:
            facilitator = rng.choice(members)  # the documented default: a random member
        ref = {"username": facilitator} if facilitator else None
        state: JsonObject
        if kind == "standup":
            meeting_id = slug  # "each team can have only one active standup", keyed by slug
            state = _standup_state(members if busy else [], began, self.now, rng)
        elif kind == "planpoker":
            meeting_id = slug
            tasks = [self.poker_task(slug, rng.choice(STORIES), rng, done=i < 2)
                     for i in range(4 if busy else 0)]  # fmt: skip
            state = {"value_mapping": {}, "facilitator": ref, "tasks": tasks}
        else:
            meeting_id = "r" + code(f"{self.org}:{slug}:{began.isoformat()}:{self.started}", 13)
            state = _retro_state(members if busy else [], ref, rng)
        meeting = Meeting(kind, meeting_id, slug, began, state)
        self.meetings[kind][meeting_id] = meeting
        return meeting

    def poker_task(
        self, slug: str, text: str, rng: random.Random, *, done: bool = False, new: bool = False
    ) -> JsonObject:
        """A wire-shaped poker task: `done` has every member's vote, `new` none and no Jira."""
        task_id = code(f"{slug}:{text}:{rng.random()}", 4, alphabet=LETTERS)
        members = [] if new else self.team_members[slug]
        voters = members if done else members[: rng.randint(0, len(members))]
        votes = [{"username": u, "vote": rng.choice(FIBONACCI)} for u in voters]
        links: JsonObject = {"self": f"{WEB}/{self.org}/planpoker/{slug}/tasks/{task_id}"}
        if not new and rng.random() < 0.6:
            links = {"jira": jira_url(self.org, slug, rng), **links}
        return {
            "id": task_id,
            "status": "completed" if done else "active",
            "text": text,
            "links": links,
            "avg_vote": average([int(str(v["vote"])) for v in votes]),
            "voters": votes,
        }

    # -- rendering: `root` is the API's base URL; given, list items carry `links.self` ------

    def render_member(self, username: str, root: str | None = None) -> JsonObject:
        return _with_self(self.members[username], root, f"members/{username}")

    def render_team(self, slug: str, root: str | None = None) -> JsonObject:
        return _with_self(self.teams[slug], root, f"teams/{slug}")

    def render_meeting(self, meeting: Meeting, root: str | None = None) -> JsonObject:
        """A meeting summary (with `root`: list or create), else its detail with ``state``."""
        team = self.team_ref(meeting.slug)
        found: JsonObject = {
            "id": meeting.id,
            "name": f"{team['name']} {MEETING_NOUN[meeting.kind]}",
            "date": iso(meeting.date),
            "url": f"{WEB}/{self.org}/{meeting.kind}/{meeting.id}",
        }
        if root is not None:
            found["links"] = {"self": f"{root}{meeting.kind}/{meeting.id}"}
        found["team"] = team
        if root is None:
            found["state"] = meeting.state
        return found

    def render_record(self, record: Record, root: str | None = None) -> JsonObject:
        """A timeline summary (with `root`) or the full record of its type."""
        head: JsonObject = {"id": record.id, "type": record.type, "date": iso(record.date)}
        ref = self.team_ref(record.slug)
        if root is not None:
            return {**head, "links": {"self": f"{root}timeline/{record.id}"}, "team": ref}
        full = {**head, **record.body}
        full["team"] = {"slug": record.slug, "name": ref["name"]}  # the detail's key order
        if record.type == "retro":
            full["action_items"] = [
                self.render_action_item(item, with_team=False)
                for item in record.action_items
                if self.action_items.get(item.number) is item  # not deleted since
            ]
        return full

    def render_action_item(self, item: ActionItem, *, with_team: bool = True) -> JsonObject:
        rendered: JsonObject = {
            "id": item.id,
            "text": item.text,
            "resolved": item.resolved,
            "links": {"jira": item.jira} if item.jira else {},
        }
        if with_team:
            rendered["team"] = self.team_ref(item.slug)
        return rendered


def _with_self(fields: JsonObject, root: str | None, path: str) -> JsonObject:
    return dict(fields) if root is None else {**fields, "links": {"self": root + quote(path)}}


def iso(moment: datetime) -> str:
    """The API's timestamp format: ISO-8601 UTC with milliseconds, `2020-12-10T14:09:39.971Z`."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _standup_state(
    members: list[str], began: datetime, now: datetime, rng: random.Random
) -> JsonObject:
    notes = []
    for i, username in enumerate(members):
        if i and rng.random() < 0.3:
            continue  # has not answered yet
        answered = min(began + timedelta(minutes=rng.randint(0, 20)), now)
        answers = {"q1": rng.choice(DONE), "q2": rng.choice(NEXT), "q3": rng.choice(BLOCKERS)}
        notes.append({"username": username,
                      "questions": {**answers, "q_ts": int(answered.timestamp())}})  # fmt: skip
    roundup = [{"text": rng.choice(ROUNDUPS), "id": rng.randint(10000, 99999)}] if members else []
    return {"questions": dict(QUESTIONS), "roundup_notes": roundup, "member_notes": notes}


def _retro_state(
    members: list[str], facilitator: dict[str, str] | None, rng: random.Random
) -> JsonObject:
    notes = []
    for column, texts in NOTES.items():
        for text in texts[: rng.randint(1, len(texts))] if members else ():
            note_id = code(f"{column}:{text}:{rng.random()}", 4, alphabet=LETTERS)
            notes.append(
                {"id": note_id, "text": text, "edits": [], "group": "", "votes": rng.randint(0, 5),
                 "author": rng.choice(members), "column": column, "voters": []}
            )  # fmt: skip
    actions = [{"id": f"ai_{code(f'{t}:{rng.random()}', 6)}", "text": t}
               for t in rng.sample(ACTIONS, 2 if members else 0)]  # fmt: skip
    return {
        "stage": rng.choice(("gather", "groom", "vote", "discuss")) if members else "gather",
        "max_votes": 5,
        "public_voting": False,
        "anonymous_notes": False,
        "hide_im_actionitems": False,
        "facilitator": facilitator,
        "columns": [dict(c) for c in COLUMNS],
        "notes": notes,
        "action_items": actions,
    }
