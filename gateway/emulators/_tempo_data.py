"""Tempo's demo data, built once per emulator app from the cast.

Records hold no URLs: every ``self`` is rendered per request from its base URL, so the same
state serves the emulator mounted (``/tempo/core/3``) or not. Everything is deterministic
(seeded from cast handles and dates) and relative to ``cast.now``.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from gateway.emulators.cast import Cast, TempoAccount

JSON = dict[str, object]
JIRA = "https://teamgraph-demo.atlassian.net"
WORKDAY_SECONDS = 8 * 3600
# Role ids are position + 1; the cast's Member.role names map onto these.
ROLE_NAMES = ("Default team role", "Team Lead", "Developer", "Designer", "Tester")
_DESCRIPTIONS = (
    "Implementing {issue}",
    "Code review for {issue}",
    "Fixing tests around {issue}",
    "Pairing on {issue}",
    "Investigating a production incident",
    "Sprint planning",
    "Writing documentation for {issue}",
)
_COLORS = ["red", "green", "blue", "yellow", "pink"]
# (month, day) -> (name, description, duration in seconds)
_HOLIDAYS = {
    (1, 1): ("New Year's Day", None, WORKDAY_SECONDS),
    (12, 24): ("Christmas Eve", "Twas the night before Christmas", 4 * 3600),
    (12, 25): ("Christmas Day", None, WORKDAY_SECONDS),
    (12, 26): ("Boxing Day", None, WORKDAY_SECONDS),
}
# Key -> the work attribute without its `self`. The docs' worklog examples carry a
# `_DELIVERED_` value that no documented attribute defines; here it is defined.
WORK_ATTRIBUTES: dict[str, JSON] = {
    key: {"key": key, "name": name, "type": kind, "required": False, **extra}
    for key, name, kind, extra in (
        ("_COLOR_", "Color", "STATIC_LIST", {"values": _COLORS}),
        ("_EXTERNALREF_", "External Ref.", "INPUT_FIELD", {}),
        ("_DELIVERED_", "Delivered", "CHECKBOX", {}),
    )
}


@dataclass(frozen=True, slots=True)
class TeamRec:
    id: int
    name: str
    summary: str | None
    lead: TempoAccount | None
    program_id: int | None


@dataclass(frozen=True, slots=True)
class MembershipRec:
    id: int
    team_id: int
    user: TempoAccount
    role_id: int
    commitment_percent: int
    start: date | None
    end: date | None

    def active_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Project:
    """The Jira project a team logs its work on; issues are "PLAT-17" style."""

    id: int
    key: str
    team_id: int
    issues: tuple[int, ...]  # issue numbers

    def issue_id(self, number: int) -> int:
        return 100_000 + self.team_id * 1000 + number


@dataclass(frozen=True, slots=True)
class WorklogRec:
    id: int
    jira_id: int
    project: Project
    issue_number: int
    time_spent: int
    billable: int
    start_date: date
    start_time: time
    description: str
    created_at: datetime
    updated_at: datetime
    author: TempoAccount
    attributes: tuple[tuple[str, object], ...]

    @property
    def issue_key(self) -> str:
        return f"{self.project.key}-{self.issue_number}"


@dataclass(frozen=True, slots=True)
class Program:
    id: int
    name: str
    manager: TempoAccount | None
    team_ids: tuple[int, ...]


@dataclass
class TempoState:
    """Everything one emulator app serves."""

    now: datetime
    teams: dict[int, TeamRec]
    memberships: dict[int, MembershipRec]
    projects: list[Project]
    programs: dict[int, Program]
    worklogs: list[WorklogRec]

    @property
    def today(self) -> date:
        return self.now.date()

    def users(self) -> dict[str, TempoAccount]:
        return {m.user.account_id: m.user for m in self.memberships.values()}

    def find_issue(self, ref: str) -> tuple[Project, int] | None:
        """An issue by key ("PLAT-17") or by id ("101017")."""
        for project in self.projects:
            for number in project.issues:
                if ref in (f"{project.key}-{number}", str(project.issue_id(number))):
                    return project, number
        return None


def user_ref(user: TempoAccount) -> JSON:
    return {
        "self": f"{JIRA}/rest/api/2/user?accountId={user.account_id}",
        "accountId": user.account_id,
        "displayName": user.display_name,
    }


class Renderer:
    """Records as Tempo's JSON; ``base`` is the API root URL of the request, with a slash."""

    def __init__(self, state: TempoState, base: str) -> None:
        self.state = state
        self.base = base

    def team_ref(self, team_id: int, *, brief: bool = False) -> JSON:
        doc: JSON = {"self": f"{self.base}teams/{team_id}"}
        if not brief:
            doc.update(id=team_id, name=self.state.teams[team_id].name)
        return doc

    def team(self, team: TeamRec) -> JSON:
        doc = self.team_ref(team.id)
        if team.summary:
            doc["summary"] = team.summary
        if team.lead:
            doc["lead"] = user_ref(team.lead)
        if team.program_id is not None:
            program = self.state.programs[team.program_id]
            own = f"{self.base}programs/{program.id}"
            doc["program"] = {"self": own, "id": program.id, "name": program.name}
        for part in ("links", "members", "permissions"):
            doc[part] = {"self": f"{self.base}teams/{team.id}/{part}"}
        return doc

    def role(self, role_id: int, *, brief: bool = False) -> JSON:
        name = ROLE_NAMES[role_id - 1]
        doc: JSON = {"self": f"{self.base}roles/{role_id}", "id": role_id, "name": name}
        return doc if brief else {**doc, "default": role_id == 1}

    def membership(self, m: MembershipRec, *, brief: bool = False) -> JSON:
        """`brief`: as in a member's membership list, team and member carry `self` only."""
        member = user_ref(m.user)
        return {
            "self": f"{self.base}team-memberships/{m.id}",
            "id": m.id,
            "commitmentPercent": m.commitment_percent,
            "from": m.start.isoformat() if m.start else None,
            "to": m.end.isoformat() if m.end else None,
            "role": self.role(m.role_id, brief=True),
            "team": self.team_ref(m.team_id, brief=brief),
            "member": {"self": member["self"]} if brief else member,
        }

    def team_member(self, team: TeamRec, found: list[MembershipRec]) -> JSON:
        own = f"{self.base}teams/{team.id}/members/{found[0].user.account_id}"
        memberships: JSON = {"self": f"{own}/memberships"}
        active = next((m for m in found if m.active_on(self.state.today)), None)
        if active:  # the docs omit `active` for a member without a current membership
            doc = self.membership(active)
            memberships["active"] = {k: v for k, v in doc.items() if k not in ("team", "member")}
        return {
            "self": own,
            "team": self.team_ref(team.id, brief=True),
            "member": user_ref(found[0].user),
            "memberships": memberships,
        }

    def program(self, program_id: int) -> JSON:
        p = self.state.programs[program_id]
        doc: JSON = {"self": f"{self.base}programs/{p.id}", "id": p.id, "name": p.name}
        if p.manager:
            doc["manager"] = user_ref(p.manager)
        teams = [self.team_ref(t) for t in p.team_ids]
        doc["teams"] = {"self": f"{self.base}programs/{p.id}/teams", "values": teams}
        return doc

    def work_attribute(self, key: str) -> JSON:
        return {"self": f"{self.base}work-attributes/{key}", **WORK_ATTRIBUTES[key]}

    def worklog(self, w: WorklogRec) -> JSON:
        doc: JSON = {
            "self": f"{self.base}worklogs/{w.id}",
            "tempoWorklogId": w.id,
            "jiraWorklogId": w.jira_id,
            "issue": {"self": f"{JIRA}/rest/api/2/issue/{w.issue_key}", "key": w.issue_key},
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
            own = f"{self.base}worklogs/{w.id}/work-attribute-values"
            doc["attributes"] = {"self": own, "values": values}
        return doc


def build_state(cast: Cast) -> TempoState:
    """The Tempo view of the cast: teams, memberships, programs, projects, worklogs."""
    users = {p.handle: p.tempo for p in cast.people if p.tempo}
    teams: dict[int, TeamRec] = {}
    active: list[MembershipRec] = []
    history: list[MembershipRec] = []
    for team in cast.teams:
        if team.tempo is None:
            continue
        tid = team.tempo.id
        # The data teams sit outside any program, so a team's `program` is sometimes absent.
        program = None if team.handle.startswith("data") else 1
        lead = users.get(team.tempo.lead or "")
        teams[tid] = TeamRec(tid, team.tempo.name, team.tempo.summary, lead, program)
        for m in team.members:
            user = users.get(m.person)
            if user is None:
                continue
            role = ROLE_NAMES.index(m.role) + 1 if m.role in ROLE_NAMES else 1
            active.append(MembershipRec(0, tid, user, role, m.commitment_percent, m.since, None))
            if m.role == "Team Lead":  # leads were developers first: a membership history
                start, end = m.since - timedelta(days=365), m.since - timedelta(days=1)
                history.append(MembershipRec(0, tid, user, 3, 100, start, end))
    memberships = {
        n: MembershipRec(n, m.team_id, m.user, m.role_id, m.commitment_percent, m.start, m.end)
        for n, m in enumerate([*active, *history], 1)
    }
    projects = []
    for t in teams.values():
        key = _project_key(t.name)
        issues = tuple(sorted(random.Random(key).sample(range(1, 400), 8)))
        projects.append(Project(10_000 + t.id, key, t.id, issues))
    first_lead = next((t.lead for t in teams.values() if t.lead), None)
    engineering = tuple(i for i, t in teams.items() if t.program_id == 1)
    programs = {
        1: Program(1, "Product Engineering", first_lead, engineering),
        2: Program(2, "Skunkworks", None, ()),  # no manager, no teams: the optional shapes
    }
    state = TempoState(cast.now, teams, memberships, projects, programs, [])
    state.worklogs = _build_worklogs(cast, state)
    return state


def _project_key(team_name: str) -> str:
    """A Jira project key from a team name: "Platform 2" -> "PLAT2"."""
    words = team_name.split()
    letters = "".join(c for c in words[0].upper() if c.isalpha())[:4]
    return letters + (words[-1] if len(words) > 1 and words[-1].isdigit() else "")


def _build_worklogs(cast: Cast, state: TempoState) -> list[WorklogRec]:
    """10-14 worklogs per person on the 20 weekdays of the four weeks before today.

    Today is left out: at ``cast.now`` (mid-morning) nobody has logged today's work yet.
    Ids follow (startDate, startTime, person), so lists sort by date and id alike.
    """
    weekdays = [cast.today - timedelta(days=n) for n in range(28, 0, -1)]
    weekdays = [d for d in weekdays if d.weekday() < 5]
    drafts: list[tuple[date, time, int, WorklogRec]] = []
    for order, person in enumerate(p for p in cast.people if p.tempo):
        memberships = state.memberships.values()
        current = [m for m in memberships if m.user == person.tempo and m.end is None]
        if not current or person.tempo is None:
            continue
        picker = random.Random(person.handle)
        for day in picker.sample(weekdays, picker.randint(10, 14)):
            rng = random.Random(f"{person.handle}:{day.isoformat()}")
            team_id = rng.choices(
                [m.team_id for m in current], [m.commitment_percent for m in current]
            )[0]
            project = next(p for p in state.projects if p.team_id == team_id)
            number = rng.choice(project.issues)
            start = time(8 + rng.randrange(3), rng.choice((0, 15, 30, 45)))
            spent = rng.randrange(2, 17) * 1800  # 1-8 hours in half hours
            billable = spent if rng.random() < 0.8 else 0
            created = datetime.combine(day, start, UTC) + timedelta(
                seconds=spent, minutes=rng.randrange(5, 120)
            )
            updated = created + timedelta(days=1) if rng.random() < 0.25 else created
            attributes: list[tuple[str, object]] = []
            if rng.random() < 0.3:
                attributes.append(("_COLOR_", rng.choice(_COLORS)))
            if rng.random() < 0.15:
                attributes.append(("_EXTERNALREF_", f"EXT-{rng.randrange(10_000, 99_999)}"))
            description = rng.choice(_DESCRIPTIONS).format(issue=f"{project.key}-{number}")
            record = WorklogRec(
                id=0,  # numbered once every worklog is drafted
                jira_id=0,
                project=project,
                issue_number=number,
                time_spent=spent,
                billable=billable,
                start_date=day,
                start_time=start,
                description=description,
                created_at=created,
                updated_at=min(updated, cast.now),
                author=person.tempo,
                attributes=tuple(attributes),
            )
            drafts.append((day, start, order, record))
    drafts.sort(key=lambda d: d[:3])
    return [replace(d[3], id=1000 + n, jira_id=10_000 + n) for n, d in enumerate(drafts, 1)]


# -- calendars -------------------------------------------------------------------------------------


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def month_of(day: date) -> tuple[date, date]:
    """The period containing `day`: Tempo's periods here are calendar months."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def months_between(start: date, end: date) -> list[tuple[date, date]]:
    periods = []
    cursor = start
    while cursor <= end:
        periods.append(month_of(cursor))
        cursor = periods[-1][1] + timedelta(days=1)
    return periods


def day_schedule(day: date) -> JSON:
    """Everyone works Monday to Friday, 8 hours a day, except on the fixed holidays."""
    working = day.weekday() < 5
    doc: JSON = {
        "date": day.isoformat(),
        "requiredSeconds": WORKDAY_SECONDS if working else 0,
        "type": "WORKING_DAY" if working else "NON_WORKING_DAY",
    }
    if (day.month, day.day) in _HOLIDAYS:
        name, description, duration = _HOLIDAYS[(day.month, day.day)]
        doc["type"] = "HOLIDAY" if working else "HOLIDAY_AND_NON_WORKING_DAY"
        doc["requiredSeconds"] = max(0, WORKDAY_SECONDS - duration) if working else 0
        holiday: JSON = {"name": name, "durationSeconds": duration}
        if description:
            holiday["description"] = description
        doc["holiday"] = holiday
    return doc


def stamp(moment: datetime) -> str:
    """Tempo's datetime format: ``2017-02-23T15:07:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
