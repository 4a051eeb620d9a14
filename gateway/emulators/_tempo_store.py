"""The Tempo emulator's state: one record type per concept, the tables holding them, and the
references (users, teams, roles, programs) every concept renders the same way."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Literal, Protocol, TypeVar

from starlette.requests import Request

from gateway.emulators._tempo_http import JSON, Body, api_root
from gateway.emulators.cast import TempoAccount

JIRA = "https://teamgraph-demo.atlassian.net"

# -- records --------------------------------------------------------------------------------------


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

    def overlaps(self, start: date | None, end: date | None) -> bool:
        return (self.start is None or end is None or self.start <= end) and (
            self.end is None or start is None or start <= self.end
        )


@dataclass(frozen=True, slots=True)
class RoleRec:
    id: int
    name: str
    default: bool


@dataclass(frozen=True, slots=True)
class ProgramRec:
    """A program; its teams are the teams whose ``program_id`` names it."""

    id: int
    name: str
    manager: TempoAccount | None


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
class JiraFilter:
    """A saved Jira search; here it selects the issues of some projects."""

    id: int
    name: str
    project_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CategoryRec:
    id: int
    key: str
    name: str
    type_name: str  # BILLABLE, CAPITALIZED, INTERNAL, OPERATIONAL


@dataclass(frozen=True, slots=True)
class CustomerRec:
    id: int
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class AccountRec:
    id: int
    key: str
    name: str
    status: str  # OPEN, CLOSED, ARCHIVED
    is_global: bool
    monthly_budget: int | None
    lead: TempoAccount
    contact: TempoAccount | None  # a Jira user...
    external_contact: str | None  # ...or a name Jira does not know
    category_id: int | None
    customer_id: int | None
    project_ids: tuple[int, ...]  # the Jira projects linked to it (worklogs on them book here)


@dataclass(frozen=True, slots=True)
class PlanRec:
    id: int
    start: date
    end: date
    description: str | None
    per_day_seconds: int
    include_non_working_days: bool
    rule: str  # NEVER, WEEKLY, BIWEEKLY, MONTHLY (as rendered)
    recurrence_end: date
    assignee: TempoAccount
    item_type: Literal["ISSUE", "PROJECT"]
    item: str  # an issue key, or a project id
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ApprovalRec:
    """The stored state of one user's timesheet for one period; a period without one is
    OPEN and untouched."""

    status: str  # OPEN, IN_REVIEW, APPROVED
    updated_at: datetime
    comment: str | None = None
    actor: TempoAccount | None = None
    reviewer: TempoAccount | None = None
    required_at_submit: int | None = None
    spent_at_submit: int | None = None


@dataclass(frozen=True, slots=True)
class TeamLinkRec:
    """A team's link to a Jira project or board."""

    id: int
    team_id: int
    scope_type: Literal["PROJECT", "BOARD"]
    scope_id: int


# -- the tables -----------------------------------------------------------------------------------


@dataclass
class TempoState:
    """Everything one emulator app serves; writes change it in place."""

    now: datetime  # the emulator's clock: generated data and writes are stamped with it
    people: dict[str, TempoAccount]  # every Jira user, by accountId
    me: TempoAccount | None  # the user the token belongs to
    teams: dict[int, TeamRec] = field(default_factory=dict)
    memberships: dict[int, MembershipRec] = field(default_factory=dict)
    roles: dict[int, RoleRec] = field(default_factory=dict)
    programs: dict[int, ProgramRec] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)
    worklogs: dict[int, WorklogRec] = field(default_factory=dict)
    filters: dict[int, JiraFilter] = field(default_factory=dict)
    categories: dict[int, CategoryRec] = field(default_factory=dict)
    customers: dict[int, CustomerRec] = field(default_factory=dict)
    accounts: dict[int, AccountRec] = field(default_factory=dict)
    plans: dict[int, PlanRec] = field(default_factory=dict)
    approvals: dict[tuple[str, date], ApprovalRec] = field(default_factory=dict)
    team_links: dict[int, TeamLinkRec] = field(default_factory=dict)
    _last_ids: dict[str, int] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    def new_id(self, kind: str, table: Iterable[int]) -> int:
        """A fresh id for `kind`: never one in `table`, never one handed out before."""
        last = max(self._last_ids.get(kind, 0), max(table, default=0)) + 1
        self._last_ids[kind] = last
        return last

    def find_issue(self, ref: str) -> tuple[Project, int] | None:
        """An issue by key ("PLAT-17") or by id ("101017")."""
        for project in self.projects:
            for number in project.issues:
                if ref in (f"{project.key}-{number}", str(project.issue_id(number))):
                    return project, number
        return None

    def find_project(self, ref: str) -> Project | None:
        """A project by key ("PLAT") or by id ("10001")."""
        return next((p for p in self.projects if ref in (p.key, str(p.id))), None)

    def memberships_in(self, team_id: int) -> dict[str, list[MembershipRec]]:
        """A team's memberships grouped by member, in membership id order."""
        by_user: dict[str, list[MembershipRec]] = {}
        for m in self.memberships.values():
            if m.team_id == team_id:
                by_user.setdefault(m.user.account_id, []).append(m)
        return by_user

    def program_teams(self, program_id: int) -> list[int]:
        return [t.id for t in self.teams.values() if t.program_id == program_id]

    def default_role(self) -> RoleRec:
        return next(r for r in self.roles.values() if r.default)


class _Keyed(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def key(self) -> str: ...


K = TypeVar("K", bound=_Keyed)


def by_key(table: Mapping[int, K], key: str) -> K | None:
    """The record with this ``key`` in a table indexed by id (accounts, categories...)."""
    return next((r for r in table.values() if r.key == key), None)


def body_user(
    state: TempoState, body: Body, name: str, *, required: bool | str = False
) -> TempoAccount | None:
    """The Jira user a body field names by accountId; an unknown one is a 400."""
    account_id = body.text(name, required=required)
    if account_id is None:
        return None
    user = state.people.get(account_id)
    if user is None:
        body.problem(f"User with accountId '{account_id}' does not exist")
    return user


# -- references every concept renders the same way ------------------------------------------------


def user_ref(user: TempoAccount) -> JSON:
    return {"self": user_url(user.account_id), "accountId": user.account_id,
            "displayName": user.display_name}  # fmt: skip


def user_url(account_id: str) -> str:
    return f"{JIRA}/rest/api/2/user?accountId={account_id}"


def issue_url(key: str) -> str:
    return f"{JIRA}/rest/api/2/issue/{key}"


def project_url(project_id: int | str) -> str:
    return f"{JIRA}/rest/api/2/project/{project_id}"


def stamp(moment: datetime) -> str:
    """Tempo's datetime format: ``2017-02-23T15:07:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Site:
    """Renders references for one request; ``base`` is the API root URL, with a slash."""

    def __init__(self, state: TempoState, base: str) -> None:
        self.state = state
        self.base = base

    @classmethod
    def of(cls, state: TempoState, request: Request) -> Site:
        return cls(state, api_root(request))

    def team_ref(self, team_id: int, *, brief: bool = False) -> JSON:
        doc: JSON = {"self": f"{self.base}teams/{team_id}"}
        if not brief:
            doc.update(id=team_id, name=self.state.teams[team_id].name)
        return doc

    def role_ref(self, role_id: int) -> JSON:
        role = self.state.roles[role_id]
        return {"self": f"{self.base}roles/{role.id}", "id": role.id, "name": role.name}

    def program_ref(self, program_id: int) -> JSON:
        program = self.state.programs[program_id]
        return {"self": f"{self.base}programs/{program.id}", "id": program.id,
                "name": program.name}  # fmt: skip
