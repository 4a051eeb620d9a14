"""The root Subscription: what the gateway pushes when it changes, and how it is polled.

Neither oncall nor Team O'clock can notify anyone, so every subscription is a poll: the
gateway's hub (``gateway/subscriptions/hub.py``) runs one :data:`TOPICS` poll per (field,
team, caller credentials) however many clients subscribe, and sends each subscriber its own
selection, evaluated against the polled state by the ordinary executor, whenever that state
changes (the first one at once). So an event answers exactly as a query of the same selection
would have at that moment: ``OnCallChange.oncallNow`` is ``Team.oncallNow``.

Each field's generator here yields the current state once: that is what graphql-core's own
``subscribe`` sees. The hub repeats the same poll, so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Annotated, Protocol

import strawberry

from resolvers import events as events_r
from resolvers import teams as teams_r
from resolvers.backends import teamoclock as tc
from resolvers.backends.errors import BadRequest, Service
from resolvers.context import Context
from resolvers.directory import id_in
from resolvers.identity import Identity
from resolvers.services import teamoclock as toc_r
from schema.activity import Event
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.cost import upstream
from schema.ids import decode_id
from schema.services.teamoclock.history import TeamOclockActionItem
from schema.teams import Team

TeamArg = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="The team: its key, any service's slug or id, its name, or its global `id`."
    ),
]


class Snapshot(Protocol):
    """One poll's answer: what it is compared by, and the event it makes for a subscriber."""

    @property
    def fingerprint(self) -> Hashable: ...

    def event(self, previous: Snapshot | None) -> object:
        """The root value a subscriber's selection runs against; `previous` is the last
        snapshot that subscriber was sent (None for its first event)."""
        ...


@dataclass(frozen=True, slots=True)
class Topic:
    """One subscription field: the service its team must be known to, and its poll."""

    service: Service
    poll: Callable[[Context, Identity], Awaitable[Snapshot]]


async def find_team(ctx: Context, value: str, service: Service) -> Identity:
    """The team a subscription names (a key, slug, id, name or global id), known to `service`;
    BadRequest, saying what to pass, otherwise."""
    key = value
    if _looks_like_global_id(value):
        type_name, key = decode_id(value)
        if type_name != "Team":
            raise BadRequest(f"{value!r} is the id of a {type_name}, not of a Team")
    team = await teams_r.get_team(ctx, key)
    if team is None:
        raise BadRequest(f"no team {value!r}; use a key, slug or name from `teams`")
    if await id_in(ctx, team, service) is None:
        raise BadRequest(
            f"team {team.key!r} is not in {service}, so it has nothing to subscribe to there; "
            f"pick a team whose `accounts` include {service}"
        )
    return team


def _looks_like_global_id(value: str) -> bool:
    try:
        decode_id(value)
    except BadRequest:
        return False
    return True


# -- who is on call now -------------------------------------------------------------------------


def _shift_key(record: events_r.ShiftRecord) -> Hashable:
    """A shift as subscribers see it change: a swap or an edit is a different shift."""
    e = record.event
    return (e.id, e.user, e.role, e.start, e.end)


@dataclass(frozen=True, slots=True)
class OnCallSnapshot:
    team: Identity
    shifts: tuple[events_r.ShiftRecord, ...]
    observed_at: dt.datetime

    @property
    def fingerprint(self) -> Hashable:
        return tuple(_shift_key(s) for s in self.shifts)

    def event(self, previous: Snapshot | None) -> OnCallChange:
        before = previous.shifts if isinstance(previous, OnCallSnapshot) else ()
        return OnCallChange(now=self, before=before)


async def poll_on_call(ctx: Context, team: Identity) -> OnCallSnapshot:
    shifts = await events_r.list_oncall_now(ctx, team)
    return OnCallSnapshot(team, tuple(shifts), ctx.clock())


@strawberry.type(
    description="Who is on call for a team now: sent at once, then whenever a shift starts or "
    "ends (or is swapped, overridden or edited)."
)
class OnCallChange:
    now: strawberry.Private[OnCallSnapshot]
    before: strawberry.Private[tuple[events_r.ShiftRecord, ...]]

    @strawberry.field(description="The team.")
    def team(self) -> Team:
        return Team.of(self.now.team)

    @strawberry.field(
        description="Shifts active now, by start: what `Team.oncallNow` answers at this moment."
    )
    def oncall_now(self) -> list[Event]:
        return [Event.of(s) for s in self.now.shifts]

    @strawberry.field(
        description="Shifts active now that this subscription's previous event did not have "
        "(every one in the first event)."
    )
    def started(self) -> list[Event]:
        old = {_shift_key(s) for s in self.before}
        return [Event.of(s) for s in self.now.shifts if _shift_key(s) not in old]

    @strawberry.field(
        description="Shifts of this subscription's previous event that are no longer active."
    )
    def ended(self) -> list[Event]:
        new = {_shift_key(s) for s in self.now.shifts}
        return [Event.of(s) for s in self.before if _shift_key(s) not in new]

    @strawberry.field(description="When the gateway polled this state.")
    def observed_at(self) -> dt.datetime:
        return self.now.observed_at


# -- a team's action items ----------------------------------------------------------------------


_shown = shown_as(TeamOclockActionItem)


def _item_state(item: tc.ActionItem) -> Hashable:
    return (item.text, item.resolved, item.jira)


@dataclass(frozen=True, slots=True)
class ActionItemsSnapshot:
    team: Identity
    items: tuple[tc.ActionItem, ...]
    observed_at: dt.datetime

    @property
    def fingerprint(self) -> Hashable:
        return tuple((i.id, _item_state(i)) for i in self.items)

    def event(self, previous: Snapshot | None) -> ActionItemsChange:
        before = previous.items if isinstance(previous, ActionItemsSnapshot) else ()
        return ActionItemsChange(now=self, before=before)


async def poll_action_items(ctx: Context, team: Identity) -> ActionItemsSnapshot:
    slug = await id_in(ctx, team, "teamoclock")
    items = await toc_r.list_team_action_items(ctx, slug) if slug is not None else []
    return ActionItemsSnapshot(team, tuple(items), ctx.clock())


@strawberry.type(
    description="A team's Team O'clock action items: sent at once (every item `added`), then "
    "whenever one is added, changed (text, resolved, Jira link) or removed. `added`, "
    "`changed` and `removed` compare with this subscription's previous event."
)
class ActionItemsChange:
    now: strawberry.Private[ActionItemsSnapshot]
    before: strawberry.Private[tuple[tc.ActionItem, ...]]

    @strawberry.field(description="The team.")
    def team(self) -> Team:
        return Team.of(self.now.team)

    @strawberry.field(description="Every action item of the team now, newest first.")
    def items(self) -> list[TeamOclockActionItem]:
        return [_shown(i) for i in self.now.items]

    @strawberry.field(description="Items the previous event did not have.")
    def added(self) -> list[TeamOclockActionItem]:
        old = {i.id for i in self.before}
        return [_shown(i) for i in self.now.items if i.id not in old]

    @strawberry.field(description="Items whose text, resolved flag or Jira link changed.")
    def changed(self) -> list[TeamOclockActionItem]:
        old = {i.id: _item_state(i) for i in self.before}
        return [_shown(i) for i in self.now.items if i.id in old and old[i.id] != _item_state(i)]

    @strawberry.field(description="Items of the previous event that are gone, as they were.")
    def removed(self) -> list[TeamOclockActionItem]:
        new = {i.id for i in self.now.items}
        return [_shown(i) for i in self.before if i.id not in new]

    @strawberry.field(description="When the gateway polled this state.")
    def observed_at(self) -> dt.datetime:
        return self.now.observed_at


# -- the root -----------------------------------------------------------------------------------

TOPICS: dict[str, Topic] = {
    "onCallNow": Topic("oncall", poll_on_call),
    "actionItemsChanged": Topic("teamoclock", poll_action_items),
}


async def _current(info: CtxInfo, field: str, team: str) -> object:
    topic = TOPICS[field]
    found = await find_team(info.context, team, topic.service)
    return (await topic.poll(info.context, found)).event(None)


@strawberry.type(
    description="Changes pushed over graphql-transport-ws (a WebSocket on /graphql) or "
    "Server-Sent Events (POST /graphql with `Accept: text/event-stream`). Each event is the "
    "selection evaluated when the state changed; the gateway polls every "
    "`subscriptions.poll_interval` seconds, once per team and caller credentials."
)
class Subscription:
    @strawberry.subscription(
        description="Who is on call for a team right now: the current shifts at once, then "
        "again whenever they change. An event is null, with an error naming the service, when "
        "a poll fails; polling goes on.",
        metadata=upstream("request"),
    )
    async def on_call_now(
        self, info: CtxInfo, team: TeamArg
    ) -> AsyncGenerator[OnCallChange | None, None]:
        found = await _current(info, "onCallNow", team)
        assert isinstance(found, OnCallChange)
        yield found

    @strawberry.subscription(
        description="A team's Team O'clock action items: the whole list at once, then the new "
        "list with what was added, changed and removed whenever it changes. An event is null, "
        "with an error naming the service, when a poll fails; polling goes on.",
        metadata=upstream("request"),
    )
    async def action_items_changed(
        self, info: CtxInfo, team: TeamArg
    ) -> AsyncGenerator[ActionItemsChange | None, None]:
        found = await _current(info, "actionItemsChanged", team)
        assert isinstance(found, ActionItemsChange)
        yield found
