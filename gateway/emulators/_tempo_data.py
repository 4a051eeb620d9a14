"""Tempo's demo data, built once per emulator app from the cast.

Records hold no URLs: every ``self`` is rendered per request from its base URL, so the same
state serves the emulator mounted (``/tempo/core/3``) or not. Everything is deterministic
(seeded from cast handles and dates) and relative to ``cast.now``. This module builds the
organisation (people, teams, memberships, roles, programs, projects) and the worklogs; each
newer concept seeds its own demo data from those, in its own module.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from gateway.emulators._tempo_accounts import seed_accounts
from gateway.emulators._tempo_memberships import ROLE_NAMES
from gateway.emulators._tempo_plans import seed_plans
from gateway.emulators._tempo_store import (
    JiraFilter,
    MembershipRec,
    ProgramRec,
    Project,
    RoleRec,
    TeamRec,
    TempoState,
    WorklogRec,
)
from gateway.emulators._tempo_teams import seed_team_links
from gateway.emulators._tempo_timesheets import seed_approvals
from gateway.emulators._tempo_worklogs import COLORS
from gateway.emulators.cast import Cast

_DESCRIPTIONS = (
    "Implementing {issue}",
    "Code review for {issue}",
    "Fixing tests around {issue}",
    "Pairing on {issue}",
    "Investigating a production incident",
    "Sprint planning",
    "Writing documentation for {issue}",
)


def build_state(cast: Cast) -> TempoState:
    """The Tempo view of the cast, every concept seeded."""
    people = {p.tempo.account_id: p.tempo for p in cast.people if p.tempo}
    users = {p.handle: p.tempo for p in cast.people if p.tempo}
    state = TempoState(cast.now, people, me=None)
    state.roles = {n: RoleRec(n, name, n == 1) for n, name in enumerate(ROLE_NAMES, 1)}
    active: list[MembershipRec] = []
    history: list[MembershipRec] = []
    for team in cast.teams:
        if team.tempo is None:
            continue
        tid = team.tempo.id
        # The data teams sit outside any program, so a team's `program` is sometimes absent.
        program = None if team.handle.startswith("data") else 1
        lead = users.get(team.tempo.lead or "")
        state.teams[tid] = TeamRec(tid, team.tempo.name, team.tempo.summary, lead, program)
        for m in team.members:
            user = users.get(m.person)
            if user is None:
                continue
            role = ROLE_NAMES.index(m.role) + 1 if m.role in ROLE_NAMES else 1
            active.append(MembershipRec(0, tid, user, role, m.commitment_percent, m.since, None))
            if m.role == "Team Lead":  # leads were developers first: a membership history
                start, end = m.since - timedelta(days=365), m.since - timedelta(days=1)
                history.append(MembershipRec(0, tid, user, 3, 100, start, end))
    state.memberships = {n: replace(m, id=n) for n, m in enumerate([*active, *history], 1)}
    # The token belongs to the first team's lead, who also manages the engineering program.
    state.me = next((t.lead for t in state.teams.values() if t.lead), None)
    state.programs = {
        1: ProgramRec(1, "Product Engineering", state.me),
        2: ProgramRec(2, "Skunkworks", None),  # no manager, no teams: the optional shapes
    }
    for t in state.teams.values():
        key = _project_key(t.name)
        issues = tuple(sorted(random.Random(key).sample(range(1, 400), 8)))
        state.projects.append(Project(10_000 + t.id, key, t.id, issues))
    state.worklogs = {w.id: w for w in _build_worklogs(cast, state)}
    state.filters = _build_filters(state)
    seed_team_links(state)
    seed_accounts(state)
    seed_plans(state)
    seed_approvals(state)
    return state


def _project_key(team_name: str) -> str:
    """A Jira project key from a team name: "Platform 2" -> "PLAT2"."""
    words = team_name.split()
    letters = "".join(c for c in words[0].upper() if c.isalpha())[:4]
    return letters + (words[-1] if len(words) > 1 and words[-1].isdigit() else "")


def _build_filters(state: TempoState) -> dict[int, JiraFilter]:
    """A saved Jira filter per project (``project = PLAT``) and one over every project of
    the engineering program."""
    filters = [
        JiraFilter(10_100 + p.team_id, f"project = {p.key}", (p.id,)) for p in state.projects
    ]
    engineering = set(state.program_teams(1))
    in_program = tuple(p.id for p in state.projects if p.team_id in engineering)
    keys = ", ".join(p.key for p in state.projects if p.id in in_program)
    filters.append(JiraFilter(10_100, f"project in ({keys})", in_program))
    return {f.id: f for f in sorted(filters, key=lambda f: f.id)}


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
                attributes.append(("_COLOR_", rng.choice(COLORS)))
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
