"""The Team O'clock emulator's state and its JSON, built from the cast (private to the app).

Everything is deterministic: each random choice is seeded from a team slug and a day, and
every date is relative to ``cast.now``. The shape:

* members and teams straight from the cast (people without a Team O'clock account, such as
  ``jonas`` and ``victor``, are simply not members);
* the active meetings each team lists in ``TeamOclockTeam.active_meetings``, started today;
* action items from each team's fortnightly retrospectives of the last 16 weeks (4 a retro,
  32 a team: more than one 100-item page across the cast), the older ones mostly resolved;
* a timeline of the last 4 weeks: a standup every weekday, a planning poker every Wednesday
  (one record per estimated task) and the retrospectives (136 records at scale 1).

Numbers grow with dates (``A1`` is the oldest action item; ``S1``, ``P2``, ``R3`` share one
sequence), so the pagination cursor can be "the number to continue from" and stay stable.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from urllib.parse import quote

from gateway.emulators.cast import Cast

WEB = "https://www.teamoclock.com"  # the web UI: meeting `url`s and task `links.self`
TIMELINE_PREFIX = {"standup": "S", "planpoker": "P", "retro": "R"}
MEETING_NOUN = {"standup": "standup", "planpoker": "planning poker", "retro": "retrospective"}
QUESTIONS = {
    "q1": "What did you do yesterday",
    "q2": "What will you do today",
    "q3": "Do you have any impediments",
}
COLUMNS = [
    {"id": "c_well", "name": "Went well", "description": "What went well"},
    {"id": "c_improve", "name": "To improve", "description": "What could be improved"},
    {"id": "c_ideas", "name": "Ideas", "description": "What should we try next"},
]
FIBONACCI = (1, 2, 3, 5, 8, 13)
ORIGINS = ("window", "slack", "msteams")
LETTERS = "abcdefghijklmnopqrstuvwxyz"

_DONE = ("Finished the API review", "Fixed the flaky login test", "Paired on the migration",
         "Closed three support tickets", "Wrote the rollout plan")  # fmt: skip
_NEXT = ("Start on the billing export", "Deploy the cache change", "Review open pull requests",
         "Work on the signup page", "Update the runbook")  # fmt: skip
_BLOCKERS = ("None", "Waiting for design feedback", "Staging is down", "None so far")
_ROUNDUPS = ("Demo moved to Thursday", "Remember to log your time", "Release freeze on Friday")
_STORIES = ("As a user I would like to reset my password", "Create a landing page",
            "Export reports as CSV", "Add dark mode to settings", "Paginate the audit log",
            "Cache team lookups", "Show upcoming shifts", "Retry failed webhooks")  # fmt: skip
_NOTES = {
    "c_well": ("Fast code reviews", "Great pairing sessions", "The release went smoothly"),
    "c_improve": ("Too many meetings", "Flaky CI pipeline", "Unclear ticket scope"),
    "c_ideas": ("Try mob programming", "Rotate the release captain", "Write an ADR per change"),
}
_ACTIONS = ("Fix the flaky CI job", "Document the deploy process", "Book a design review",
            "Add alerts for queue depth", "Split the monolith module", "Clean up feature flags",
            "Automate the changelog", "Set a WIP limit", "Upgrade the database driver",
            "Share on-call learnings")  # fmt: skip

JsonObject = dict[str, object]


@dataclass
class Meeting:
    """An active meeting. ``state`` is already wire-shaped (tasks get added to it)."""

    kind: str  # standup | planpoker | retro
    id: str
    team: dict[str, str]  # {"name", "slug"}
    date: datetime
    state: JsonObject


@dataclass
class ActionItem:
    number: int
    text: str
    resolved: bool
    jira: str | None
    team: dict[str, str]
    date: datetime

    @property
    def id(self) -> str:
        return f"A{self.number}"


@dataclass
class Record:
    """A timeline record. ``body`` holds the type-specific fields in documented order."""

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
    meetings: dict[str, dict[str, Meeting]] = field(
        default_factory=lambda: {kind: {} for kind in MEETING_NOUN}
    )
    action_items: dict[int, ActionItem] = field(default_factory=dict)
    timeline: dict[int, Record] = field(default_factory=dict)
    started: int = 0  # meetings started so far: seeds their random choices and ids

    def team_ref(self, slug: str) -> dict[str, str]:
        return {"name": str(self.teams[slug]["name"]), "slug": slug}

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
            tasks = [self.poker_task(slug, rng.choice(_STORIES), rng, done=i < 2)
                     for i in range(4 if busy else 0)]  # fmt: skip
            state = {"value_mapping": {}, "facilitator": ref, "tasks": tasks}
        else:
            meeting_id = "r" + code(f"{self.org}:{slug}:{began.isoformat()}:{self.started}", 13)
            state = _retro_state(members if busy else [], ref, rng)
        meeting = Meeting(kind, meeting_id, self.team_ref(slug), began, state)
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
        found: JsonObject = {
            "id": meeting.id,
            "name": f"{meeting.team['name']} {MEETING_NOUN[meeting.kind]}",
            "date": iso(meeting.date),
            "url": f"{WEB}/{self.org}/{meeting.kind}/{meeting.id}",
        }
        if root is not None:
            found["links"] = {"self": f"{root}{meeting.kind}/{meeting.id}"}
        found["team"] = dict(meeting.team)
        if root is None:
            found["state"] = meeting.state
        return found

    def render_record(self, record: Record, root: str | None = None) -> JsonObject:
        """A timeline summary (with `root`) or the full record of its type."""
        head: JsonObject = {"id": record.id, "type": record.type, "date": iso(record.date)}
        if root is not None:
            ref = self.team_ref(record.slug) if record.slug in self.teams else record.body["team"]
            return {**head, "links": {"self": f"{root}timeline/{record.id}"}, "team": ref}
        full = {**head, **record.body}
        if record.type == "retro":
            full["action_items"] = [
                render_action_item(item, with_team=False)
                for item in record.action_items
                if self.action_items.get(item.number) is item  # not deleted since
            ]
        return full


def render_action_item(item: ActionItem, *, with_team: bool = True) -> JsonObject:
    rendered: JsonObject = {
        "id": item.id,
        "text": item.text,
        "resolved": item.resolved,
        "links": {"jira": item.jira} if item.jira else {},
    }
    if with_team:
        rendered["team"] = dict(item.team)
    return rendered


def _with_self(fields: JsonObject, root: str | None, path: str) -> JsonObject:
    return dict(fields) if root is None else {**fields, "links": {"self": root + quote(path)}}


def iso(moment: datetime) -> str:
    """The API's timestamp format: ISO-8601 UTC with milliseconds, `2020-12-10T14:09:39.971Z`."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def code(seed: str, length: int, *, alphabet: str = "0123456789" + LETTERS) -> str:
    """A random-looking but deterministic id, like the real API's `r204c36ysi7z7x`."""
    number = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)


def jira_url(org: str, slug: str, rng: random.Random) -> str:
    key = "".join(c for c in slug.split("-")[0].upper() if c.isalpha())[:4]
    return f"https://{org}.atlassian.net/browse/{key}-{rng.randint(100, 999)}"


def average(votes: list[int]) -> float | int | None:
    """Mean vote, shown as an integer when whole (the docs' `"avg_vote": 5`)."""
    if not votes:
        return None
    mean = round(sum(votes) / len(votes), 1)
    return int(mean) if mean.is_integer() else mean


def build_store(cast: Cast) -> Store:
    """The whole emulated organisation, as the API serves it before any write."""
    store = Store(org=cast.credentials.teamoclock_org, now=cast.now)
    usernames: dict[str, str] = {}  # person handle -> username
    for person in cast.people:
        if (account := person.teamoclock) is None:
            continue
        usernames[person.handle] = account.username
        store.members[account.username] = {
            "username": account.username,
            "first_name": account.first_name,
            "last_name": account.last_name,
            "avatar": f"{account.username.lower()}.jpg",
            "email": account.email,
            "role": account.role,
        }
    for team in cast.teams:
        if (toc := team.teamoclock) is None:
            continue
        store.teams[toc.slug] = {
            "name": toc.name,
            "slug": toc.slug,
            "video_url": toc.video_url,
            "mood_enabled": toc.mood_enabled,
        }
        members = [usernames[m.person] for m in team.members if m.person in usernames]
        store.team_members[toc.slug] = members
        for kind in toc.active_meetings:
            lead = members[0] if members else None  # the lead runs the cast's meetings
            store.start_meeting(kind, toc.slug, facilitator=lead, busy=True)
    _add_history(store)
    return store


def _standup_state(
    members: list[str], began: datetime, now: datetime, rng: random.Random
) -> JsonObject:
    notes = []
    for i, username in enumerate(members):
        if i and rng.random() < 0.3:
            continue  # has not answered yet
        answered = min(began + timedelta(minutes=rng.randint(0, 20)), now)
        answers = {"q1": rng.choice(_DONE), "q2": rng.choice(_NEXT), "q3": rng.choice(_BLOCKERS)}
        notes.append({"username": username,
                      "questions": {**answers, "q_ts": int(answered.timestamp())}})  # fmt: skip
    roundup = [{"text": rng.choice(_ROUNDUPS), "id": rng.randint(10000, 99999)}] if members else []
    return {"questions": dict(QUESTIONS), "roundup_notes": roundup, "member_notes": notes}


def _retro_state(
    members: list[str], facilitator: dict[str, str] | None, rng: random.Random
) -> JsonObject:
    notes = []
    for column, texts in _NOTES.items():
        for text in texts[: rng.randint(1, len(texts))] if members else ():
            note_id = code(f"{column}:{text}:{rng.random()}", 4, alphabet=LETTERS)
            notes.append(
                {"id": note_id, "text": text, "edits": [], "group": "", "votes": rng.randint(0, 5),
                 "author": rng.choice(members), "column": column, "voters": []}
            )  # fmt: skip
    actions = [{"id": f"ai_{code(f'{t}:{rng.random()}', 6)}", "text": t}
               for t in rng.sample(_ACTIONS, 2 if members else 0)]  # fmt: skip
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


def _add_history(store: Store) -> None:
    """Action items of the last 16 weeks of retros and the last 4 weeks of timeline."""
    today = store.now.date()
    records: list[Record] = []
    items: list[ActionItem] = []
    last_friday = today - timedelta(days=(today.weekday() - 4) % 7 or 7)
    for index, slug in enumerate(store.teams):
        team = store.team_ref(slug)
        ref = {"slug": slug, "name": team["name"]}  # the timeline writes slug first
        members = store.team_members[slug]
        for back in range(1, 29):
            day = today - timedelta(days=back)
            rng = random.Random(f"{slug}:{day}")
            at = datetime.combine(day, time(9, 0), UTC) + timedelta(
                minutes=20 * index, seconds=rng.randint(0, 300), milliseconds=rng.randint(0, 999)
            )
            if day.weekday() < 5:
                records.append(_past_standup(slug, ref, members, at, ORIGINS[index % 3], rng))
            if day.weekday() == 2:
                for k in range(3):
                    records.append(_past_poker(store.org, slug, ref, members, at, k, rng))
        for k in range(8):  # fortnightly retros; the last two are still on the timeline
            day = last_friday - timedelta(days=14 * k)
            rng = random.Random(f"{slug}:retro:{day}")
            at = datetime.combine(day, time(15, 0), UTC) + timedelta(
                minutes=30 * index, milliseconds=rng.randint(0, 59999)
            )
            made = [
                ActionItem(
                    number=0,
                    text=text,
                    # Old items are mostly done; the newest is always open, the oldest done.
                    resolved=(j > 0 or k > 0)
                    and ((k == 7 and j == 0) or rng.random() < 0.15 + 0.12 * k),
                    jira=jira_url(store.org, slug, rng) if rng.random() < 0.5 else None,
                    team=team,
                    date=at + timedelta(minutes=j + 1),
                )
                for j, text in enumerate(rng.sample(_ACTIONS, 4))
            ]
            items.extend(made)
            if (today - day).days <= 28:
                records.append(_past_retro(slug, ref, at, made, rng))
    for number, item in enumerate(sorted(items, key=lambda i: (i.date, i.team["slug"])), 1):
        item.number = number
        store.action_items[number] = item
    for number, record in enumerate(sorted(records, key=lambda r: (r.date, r.slug)), 1):
        record.number = number
        store.timeline[number] = record


def _past_standup(
    slug: str, ref: dict[str, str], members: list[str], at: datetime, origin: str,
    rng: random.Random,
) -> Record:  # fmt: skip
    is_async = rng.random() < 0.3
    speakers = [u for u in members if rng.random() < 0.6]
    async_notes = [
        {"username": u, "text": rng.choice(answers), "question": q}
        for u in (speakers if is_async else speakers[:1])
        for q, answers in (("q1", _DONE), ("q2", _NEXT))
    ]
    body: JsonObject = {
        "async": is_async,
        "questions": dict(QUESTIONS),
        "origin": origin,
        "team": ref,
        "sync_notes": [] if is_async else [rng.choice(_ROUNDUPS)],
        "async_notes": async_notes,
    }
    return Record(0, "standup", at, slug, body)


def _past_poker(
    org: str, slug: str, ref: dict[str, str], members: list[str], at: datetime, k: int,
    rng: random.Random,
) -> Record:  # fmt: skip
    votes = [rng.choice(FIBONACCI) for _ in members]
    avg = average(votes)
    body: JsonObject = {
        "task": _STORIES[(k + at.day) % len(_STORIES)],
        # The timeline writes numbers as strings (the docs' `"avg_vote": "8"`).
        "avg_vote": "" if avg is None else f"{avg:g}",
        "team": ref,
        "links": {"jira": jira_url(org, slug, rng)},
        "votes": [{"vote": str(v), "username": u} for u, v in zip(members, votes, strict=True)],
    }
    return Record(0, "planpoker", at.replace(hour=14) + timedelta(minutes=12 * k), slug, body)


def _past_retro(
    slug: str, ref: dict[str, str], at: datetime, made: list[ActionItem], rng: random.Random
) -> Record:
    notes = [
        {"text": text, "votes": rng.randint(0, 6), "column": column}
        for column, texts in _NOTES.items()
        for text in rng.sample(texts, 2)
    ]
    body: JsonObject = {
        "name": f"{ref['name']} retrospective",
        "columns": [dict(c) for c in COLUMNS],
        "team": ref,
        "notes": notes,
        "action_items": [],  # filled from the live action items when rendered
    }
    return Record(0, "retro", at, slug, body, action_items=made)
