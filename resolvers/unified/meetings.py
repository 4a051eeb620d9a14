"""`startMeeting`, `endMeeting`, `createActionItem` and `resolveActionItem`: Team O'clock's
standups, planning pokers and retrospectives, and the action items teams agree on.

A team has at most one active standup and one active planning poker: starting one while it
runs answers the running one (Team O'clock's 200 instead of 201), which the answer shows as
`already_active`. Every start of a retrospective is a new one. A started meeting is read
back through the unified meeting reads, so the answer is what `meetings` shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from resolvers import meetings as meetings_r
from resolvers.backends import teamoclock
from resolvers.context import Context
from resolvers.directory import id_in
from resolvers.identity import Identity
from resolvers.meetings import MeetingRecord
from resolvers.unified.names import person_named, team_named
from resolvers.writes import Outcome, Refused, UserError, run_write

SERVICE = ["teamoclock"]


@dataclass
class StartedMeeting:
    """A meeting a start answered, and whether it was running already."""

    meeting: MeetingRecord
    already_active: bool


async def _slug(ctx: Context, team: Identity) -> str:
    slug = await id_in(ctx, team, "teamoclock")  # raises if its teams could not be listed
    if slug is None:
        raise Refused(
            UserError(f"Team O'clock does not know team {team.key}", "NOT_FOUND", ("team",))
        )
    return slug


async def start_meeting(
    ctx: Context,
    *,
    team: str,
    kind: str,
    facilitator: str | None = None,
    key: str | None = None,
) -> Outcome[StartedMeeting]:
    """Start `team`'s meeting of `kind` ("standup", "planpoker" or "retro")."""

    async def call() -> StartedMeeting:
        if facilitator is not None and kind == "standup":
            raise Refused(
                UserError("a standup has no facilitator", "INVALID_INPUT", ("facilitator",))
            )
        group = await team_named(ctx, team, ("team",))
        slug = await _slug(ctx, group)
        username = None
        if facilitator is not None:
            person = await person_named(ctx, facilitator, ("facilitator",))
            username = await id_in(ctx, person, "teamoclock")
            if username is None:
                raise Refused(
                    UserError(f"{person.key} is not in Team O'clock", "NOT_FOUND", ("facilitator",))
                )
        client = ctx.backends.require("teamoclock")
        if kind == "standup":
            started = await client.create_standup(slug)
        elif kind == "planpoker":
            started = await client.create_planpoker(slug, facilitator=username)
        else:
            retro = await client.create_retro(slug, facilitator=username)
            started = teamoclock.ActiveMeeting(meeting=retro, created=True)
        ctx.forget_reads()
        shown = await meetings_r.list_meetings(ctx, team=group, kind=kind)
        found = next((m for m in shown if m.id == started.meeting.id), None)
        if found is None:
            raise Refused(
                UserError(f"the {kind} {started.meeting.id} ended as it started", "NOT_FOUND")
            )
        return StartedMeeting(found, already_active=not started.created)

    return await run_write(
        name="startMeeting",
        services=SERVICE,
        caller=ctx.caller,
        data={"team": team, "kind": kind, "facilitator": facilitator},
        key=key,
        idempotency=ctx.idempotency,
        result_type=StartedMeeting,
        call=call,
    )


async def end_meeting(
    ctx: Context, *, kind: str, ident: str, key: str | None = None
) -> Outcome[MeetingRecord]:
    """End an active meeting; answers it as it was."""

    async def call() -> MeetingRecord:
        active = await meetings_r.list_meetings(ctx, kind=kind)
        found = next((m for m in active if m.id == ident), None)
        if found is None:
            raise Refused(UserError(f"there is no active {kind} {ident!r}", "NOT_FOUND", ("id",)))
        client = ctx.backends.require("teamoclock")
        if kind == "standup":
            await client.delete_standup(ident)
        elif kind == "planpoker":
            await client.delete_planpoker(ident)
        else:
            await client.delete_retro(ident)
        ctx.forget_reads()
        return found

    return await run_write(
        name="endMeeting",
        services=SERVICE,
        caller=ctx.caller,
        data={"kind": kind, "id": ident},
        key=key,
        idempotency=ctx.idempotency,
        result_type=MeetingRecord,
        call=call,
    )


async def create_action_item(
    ctx: Context, *, team: str, text: str, resolved: bool = False, key: str | None = None
) -> Outcome[teamoclock.ActionItem]:
    """A new action item for `team` in Team O'clock."""

    async def call() -> teamoclock.ActionItem:
        slug = await _slug(ctx, await team_named(ctx, team, ("team",)))
        item = await ctx.backends.require("teamoclock").create_action_item(
            slug, text, resolved=resolved
        )
        ctx.forget_reads()
        return item

    return await run_write(
        name="createActionItem",
        services=SERVICE,
        caller=ctx.caller,
        data={"team": team, "text": text, "resolved": resolved},
        key=key,
        idempotency=ctx.idempotency,
        result_type=teamoclock.ActionItem,
        call=call,
    )


async def resolve_action_item(
    ctx: Context, *, ident: str, resolved: bool = True, key: str | None = None
) -> Outcome[teamoclock.ActionItem]:
    """Resolve a Team O'clock action item (or reopen it, with `resolved` False)."""

    async def call() -> teamoclock.ActionItem:
        client = ctx.backends.require("teamoclock")
        item = await client.update_action_item(ident, resolved=resolved)
        ctx.forget_reads()
        return item

    return await run_write(
        name="resolveActionItem",
        services=SERVICE,
        caller=ctx.caller,
        data={"id": ident, "resolved": resolved},
        key=key,
        idempotency=ctx.idempotency,
        result_type=teamoclock.ActionItem,
        call=call,
    )
