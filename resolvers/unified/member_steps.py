"""Each service's part of adding a person to a team, or removing them: read what is there,
then plan the writes (each with its undo), or say why the service has nothing to do.

Planning only reads (through the request's loaders, the same calls identity makes), so a
change is fully planned, and its input fully checked, before anything is written.

What each service does:

* **Tempo**: adding creates a membership from today with the role (by name; Tempo's
  default role when none is given) and commitment (100% by default); removing ends the
  membership active today on yesterday, so the history (and the worklogs counted for the
  team) stays, or deletes it when it began today. Undoing deletes the new membership, or
  puts the old one back as it was (role, commitment and dates; a deleted one comes back
  under a new id).
* **oncall**: adding makes them a team user, or, with a roster, a member of that roster
  (which makes them a team user too); removing takes them out of the team's users, every
  roster they are in and its admins. Undoing puts each back (in or out of rotation as
  they were; a roster's order is not restored). Shifts they hold stay.
* **Team O'clock**: the team's member list (they must be in the organisation already).
* **Hack24**: a person is in at most one Hack24 team, so adding someone who is in another
  team would move them: that is done only when the caller names HACK24 in `services`, and
  undoing it moves them back (with a new join date).
* **TeamPulse** has projects, not teams: it has nothing to do.

Nobody is created anywhere: a service that does not know the person (or the team) is
skipped. Tempo has no list of users, so it knows only people who are in some Tempo team.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from resolvers.backends import tempo
from resolvers.backends.errors import Service
from resolvers.context import Context
from resolvers.unified.changes import Applied, Operation, StepError
from resolvers.writes import Refused, UserError

SkipReason = Literal[
    "NOT_ASKED",
    "NOT_CONFIGURED",
    "TEAM_UNKNOWN",
    "PERSON_UNKNOWN",
    "ALREADY_MEMBER",
    "NOT_A_MEMBER",
    "IN_ANOTHER_TEAM",
    "NO_TEAMS",
    "NOT_ATTEMPTED",
]


@dataclass(frozen=True, slots=True)
class Ask:
    """What the caller asked for, besides the person and the team."""

    adding: bool
    today: date
    role: str | None = None  # Tempo role name
    commitment_percent: int | None = None  # Tempo
    roster: str | None = None  # oncall roster name
    in_rotation: bool = True  # oncall roster
    explicit: frozenset[Service] = frozenset()  # the services named in `services`


@dataclass
class Plan:
    """One service's part: the writes to make, or why there are none."""

    service: Service
    operations: list[Operation] = field(default_factory=list)
    reason: SkipReason | None = None
    detail: str = ""
    error: StepError | None = None  # reading what is there failed

    @classmethod
    def skip(cls, service: Service, reason: SkipReason, detail: str) -> Plan:
        return cls(service, reason=reason, detail=detail)


Planner = Callable[[Context, str, str, Ask], Awaitable[Plan]]


def _op(service: Service, run: Callable[[], Awaitable[Applied]]) -> Operation:
    return Operation(service, run)


# -- Tempo ------------------------------------------------------------------------------------


async def _tempo_role(ctx: Context, name: str | None) -> tempo.Role | None:
    if name is None:
        return None
    roles = await ctx.backends.require("tempo").list_roles()
    found = next((r for r in roles if r.name.lower() == name.strip().lower()), None)
    if found is None:
        known = ", ".join(sorted(r.name for r in roles))
        raise Refused(
            UserError(
                f"Tempo has no role {name!r}; use one of: {known}",
                "INVALID_INPUT",
                ("input", "role"),
            )
        )
    return found


async def _tempo_active(ctx: Context, team: int, account: str) -> tempo.ActiveMembership | None:
    members = await ctx.loaders.tempo_team_members.load(team)
    return next((m.active for m in members if m.member.account_id == account and m.active), None)


async def _tempo_add(ctx: Context, team_id: str, account: str, ask: Ask) -> Plan:
    client = ctx.backends.require("tempo")
    team = int(team_id)
    role = await _tempo_role(ctx, ask.role)
    active = await _tempo_active(ctx, team, account)
    if active is not None:
        detail = f"already a member ({active.role.name}, {active.commitment_percent}%)"
        return Plan.skip("tempo", "ALREADY_MEMBER", detail)
    body = tempo.MembershipInput(
        team_id=team,
        account_id=account,
        role_id=role.id if role else None,
        commitment_percent=ask.commitment_percent,
        from_=ask.today,
    )

    async def run() -> Applied:
        m = await client.create_membership(body)
        says = (
            f"Tempo membership {m.id} created: {m.role.name}, {m.commitment_percent}%, "
            f"from {m.from_}"
        )
        return Applied(says, lambda: client.delete_membership(m.id))

    return Plan("tempo", [_op("tempo", run)])


async def _tempo_remove(ctx: Context, team_id: str, account: str, ask: Ask) -> Plan:
    client = ctx.backends.require("tempo")
    team = int(team_id)
    m = await _tempo_active(ctx, team, account)
    if m is None:
        return Plan.skip("tempo", "NOT_A_MEMBER", "no membership active today")

    def until(to: date | None) -> tempo.MembershipUpdate:
        return tempo.MembershipUpdate(
            role_id=m.role.id, commitment_percent=m.commitment_percent, from_=m.from_, to=to
        )

    if m.from_ is not None and m.from_ >= ask.today:
        again = tempo.MembershipInput(
            team_id=team,
            account_id=account,
            role_id=m.role.id,
            commitment_percent=m.commitment_percent,
            from_=m.from_,
            to=m.to,
        )

        async def run() -> Applied:
            await client.delete_membership(m.id)
            return Applied(
                f"Tempo membership {m.id} deleted (it began {m.from_})",
                lambda: client.create_membership(again),
            )

        return Plan("tempo", [_op("tempo", run)])
    yesterday = ask.today - timedelta(days=1)

    async def end() -> Applied:
        await client.update_membership(m.id, until(yesterday))
        return Applied(
            f"Tempo membership {m.id} ({m.role.name}, {m.commitment_percent}%) "
            f"ended on {yesterday}",
            lambda: client.update_membership(m.id, until(m.to)),
        )

    return Plan("tempo", [_op("tempo", end)])


# -- oncall -----------------------------------------------------------------------------------


async def _oncall_add(ctx: Context, team: str, user: str, ask: Ask) -> Plan:
    client = ctx.backends.require("oncall")
    detail = await ctx.loaders.oncall_team.load(team)
    if detail is None:
        return Plan.skip("oncall", "TEAM_UNKNOWN", f"oncall has no team {team!r}")
    member = user in detail.users.get()
    if ask.roster is None:
        if member:
            return Plan.skip("oncall", "ALREADY_MEMBER", "already a team member")

        async def join() -> Applied:
            await client.add_team_user(team, user)
            return Applied(
                f"oncall: made a user of team {team}", lambda: client.delete_team_user(team, user)
            )

        return Plan("oncall", [_op("oncall", join)])
    roster = next((r for r in detail.rosters if r.name == ask.roster), None)
    if roster is None:
        known = ", ".join(sorted(r.name for r in detail.rosters)) or "none"
        raise Refused(
            UserError(
                f"oncall team {team!r} has no roster {ask.roster!r} (its rosters: {known})",
                "INVALID_INPUT",
                ("input", "roster"),
            )
        )
    if any(u.name == user for u in roster.users):
        return Plan.skip("oncall", "ALREADY_MEMBER", f"already in roster {roster.name!r}")
    rotation = "in rotation" if ask.in_rotation else "out of rotation"

    async def enrol() -> Applied:
        await client.add_roster_user(team, roster.name, user, in_rotation=ask.in_rotation)

        async def undo() -> None:
            await client.delete_roster_user(team, roster.name, user)
            if member:  # leaving the roster drops them from the team, which they were in
                await _rejoin(ctx, team, user)

        return Applied(f"oncall: added to roster {roster.name!r} of team {team}, {rotation}", undo)

    return Plan("oncall", [_op("oncall", enrol)])


async def _rejoin(ctx: Context, team: str, user: str) -> None:
    """Make `user` a user of `team` again, unless an earlier undo already did."""
    client = ctx.backends.require("oncall")
    if user not in await client.list_team_users(team):
        await client.add_team_user(team, user)


async def _oncall_remove(ctx: Context, team: str, user: str, ask: Ask) -> Plan:
    client = ctx.backends.require("oncall")
    detail = await ctx.loaders.oncall_team.load(team)
    if detail is None:
        return Plan.skip("oncall", "TEAM_UNKNOWN", f"oncall has no team {team!r}")
    rostered = [(r.name, u.in_rotation) for r in detail.rosters for u in r.users if u.name == user]
    admin = user in detail.admins
    ops: list[Operation] = []
    if user in detail.users.get():

        async def leave() -> Applied:
            await client.delete_team_user(team, user)
            return Applied(
                f"oncall: no longer a user of team {team}", lambda: _rejoin(ctx, team, user)
            )

        ops.append(_op("oncall", leave))
    for name, rotation in rostered:
        ops.append(_op("oncall", _leave_roster(ctx, team, name, user, rotation)))
    if admin:

        async def demote() -> Applied:
            await client.delete_team_admin(team, user)
            return Applied(
                f"oncall: no longer an admin of team {team}",
                lambda: client.add_team_admin(team, user),
            )

        ops.append(_op("oncall", demote))
    if not ops:
        return Plan.skip("oncall", "NOT_A_MEMBER", "not in the team, its rosters or its admins")
    return Plan("oncall", ops)


def _leave_roster(
    ctx: Context, team: str, roster: str, user: str, in_rotation: bool
) -> Callable[[], Awaitable[Applied]]:
    client = ctx.backends.require("oncall")

    async def run() -> Applied:
        await client.delete_roster_user(team, roster, user)
        rotation = "in rotation" if in_rotation else "out of rotation"
        return Applied(
            f"oncall: taken off roster {roster!r} of team {team} (was {rotation})",
            lambda: client.add_roster_user(team, roster, user, in_rotation=in_rotation),
        )

    return run


# -- Team O'clock -----------------------------------------------------------------------------


async def _toc(ctx: Context, slug: str, username: str, ask: Ask) -> Plan:
    client = ctx.backends.require("teamoclock")
    members = await ctx.loaders.toc_team_members.load(slug)
    inside = any(m.username == username for m in members)
    if ask.adding and inside:
        return Plan.skip("teamoclock", "ALREADY_MEMBER", "already a team member")
    if not ask.adding and not inside:
        return Plan.skip("teamoclock", "NOT_A_MEMBER", "not a team member")

    async def add() -> Applied:
        await client.add_team_members(slug, [username])
        return Applied(
            f"Team O'clock: added to team {slug}",
            lambda: client.remove_team_members(slug, [username]),
        )

    async def remove() -> Applied:
        await client.remove_team_members(slug, [username])
        return Applied(
            f"Team O'clock: removed from team {slug}",
            lambda: client.add_team_members(slug, [username]),
        )

    return Plan("teamoclock", [_op("teamoclock", add if ask.adding else remove)])


# -- Hack24 -----------------------------------------------------------------------------------


async def _hack24(ctx: Context, team: str, user_id: str, ask: Ask) -> Plan:
    client = ctx.backends.require("hack24")
    user = next((u for u in await ctx.loaders.hack24_users.get() if u.id == user_id), None)
    current = user.team_id if user else None
    if not ask.adding:
        if current != team:
            return Plan.skip("hack24", "NOT_A_MEMBER", "not a team member")

        async def remove() -> Applied:
            await client.remove_team_members(team, [user_id])
            return Applied(
                f"Hack24: removed from team {team}",
                lambda: client.add_team_members(team, [user_id]),
            )

        return Plan("hack24", [_op("hack24", remove)])
    if current == team:
        return Plan.skip("hack24", "ALREADY_MEMBER", "already a team member")
    if current is not None and "hack24" not in ask.explicit:
        return Plan.skip(
            "hack24",
            "IN_ANOTHER_TEAM",
            f"Hack24 allows one team per person and they are in {current!r}; name HACK24 "
            "in `services` to move them",
        )

    async def add() -> Applied:
        await client.add_team_members(team, [user_id])
        moved = f", moving them out of {current}" if current else ""
        return Applied(
            f"Hack24: added to team {team}{moved}", lambda: client.set_user_team(user_id, current)
        )

    return Plan("hack24", [_op("hack24", add)])


async def _teampulse(ctx: Context, team: str, user: str, ask: Ask) -> Plan:
    return Plan.skip("teampulse", "NO_TEAMS", "TeamPulse has projects, not teams")


PLANNERS: dict[tuple[Service, bool], Planner] = {
    ("tempo", True): _tempo_add,
    ("tempo", False): _tempo_remove,
    ("oncall", True): _oncall_add,
    ("oncall", False): _oncall_remove,
    ("teamoclock", True): _toc,
    ("teamoclock", False): _toc,
    ("hack24", True): _hack24,
    ("hack24", False): _hack24,
    ("teampulse", True): _teampulse,
    ("teampulse", False): _teampulse,
}
