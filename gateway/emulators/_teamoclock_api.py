"""The Team O'clock emulator's meetings, poker tasks, action items and timeline: reads and
writes (members and teams are in ``_teamoclock_org``)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time

from starlette.requests import Request
from starlette.responses import Response

from gateway.emulators._teamoclock_http import (
    ApiError,
    Handler,
    api_root,
    body_fields,
    lookup,
    no_content,
    ok,
    paginate,
    reference,
)
from gateway.emulators._teamoclock_store import (
    TIMELINE_PREFIX,
    ActionItem,
    JsonObject,
    Record,
    Store,
)


def parse_since(raw: str | None, now: datetime) -> datetime:
    """``filter[since]`` as an inclusive upper bound; a bare date covers that whole day."""
    if raw is None:
        return now
    try:
        if len(raw) == 10:
            return datetime.combine(date.fromisoformat(raw), time.max, UTC)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ApiError(400) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def number_in(raw: str, prefixes: str) -> int:
    """The number in an id such as ``A242`` or ``R33``; -1 (found nowhere) if malformed."""
    return int(raw[1:]) if raw[:1] and raw[:1] in prefixes and raw[1:].isdigit() else -1


class Reads:
    """The GET endpoints, over one app's store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def meetings(self, kind: str) -> Handler:
        async def list_active(request: Request) -> Response:
            team = request.query_params.get("filter[team]")
            root = api_root(request)
            found = self.store.meetings[kind].values()
            return ok([self.store.render_meeting(m, root) for m in found
                       if team is None or m.slug == team])  # fmt: skip

        return list_active

    def meeting(self, kind: str) -> Handler:
        async def get(request: Request) -> Response:
            found = lookup(self.store.meetings[kind], request.path_params["id"])
            return ok(self.store.render_meeting(found))

        return get

    def tasks_of(self, request: Request) -> list[JsonObject]:
        tasks = lookup(self.store.meetings["planpoker"], request.path_params["id"]).state["tasks"]
        assert isinstance(tasks, list)
        return tasks

    async def tasks(self, request: Request) -> Response:
        return ok(self.tasks_of(request))

    async def task(self, request: Request) -> Response:
        tasks = {str(t["id"]): t for t in self.tasks_of(request)}
        task = lookup(tasks, request.path_params["task_id"])
        links = task["links"]
        assert isinstance(links, dict)
        # A single task drops the web-UI `self` link and keeps only `jira`.
        return ok({**task, "links": {k: v for k, v in links.items() if k != "self"}})

    async def action_items(self, request: Request) -> Response:
        team = request.query_params.get("filter[team]")
        status = request.query_params.get("filter[status]")
        if status not in (None, "open", "resolved"):
            raise ApiError(400)
        items = [
            item
            for _, item in sorted(self.store.action_items.items(), reverse=True)
            if (team is None or item.slug == team)
            and (status is None or item.resolved == (status == "resolved"))
        ]
        render = self.store.render_action_item
        return paginate(request, "actionitems", items, lambda i: i.number, render)

    async def action_item(self, request: Request) -> Response:
        return ok(self.store.render_action_item(self.action_item_of(request)))

    def action_item_of(self, request: Request) -> ActionItem:
        return lookup(self.store.action_items, number_in(request.path_params["id"], "A"))

    async def timeline(self, request: Request) -> Response:
        since = parse_since(request.query_params.get("filter[since]"), self.store.now)
        kind = request.query_params.get("filter[type]")
        if kind is not None and kind not in TIMELINE_PREFIX:
            raise ApiError(400)
        records = [
            record
            for _, record in sorted(self.store.timeline.items(), reverse=True)
            if record.date <= since and (kind is None or record.type == kind)
        ]
        root = api_root(request)
        return paginate(request, "timeline", records, lambda r: r.number,
                        lambda r: self.store.render_record(r, root))  # fmt: skip

    async def timeline_record(self, request: Request) -> Response:
        return ok(self.store.render_record(self.record_of(request)))

    def record_of(self, request: Request) -> Record:
        raw = request.path_params["id"]
        record = lookup(self.store.timeline, number_in(raw, "SPR"))
        if record.id != raw:  # S12 is not R12
            raise ApiError(404)
        return record


_MEETING: dict[str, type] = {"team": dict, "facilitator": dict}
_ACTION_ITEM: dict[str, type] = {"text": str, "resolved": bool, "team": dict}


class Writes:
    """The POST, PATCH and DELETE endpoints of meetings, tasks, action items and records."""

    def __init__(self, store: Store, reads: Reads) -> None:
        self.store = store
        self.reads = reads

    def start_meeting(self, kind: str) -> Handler:
        async def start(request: Request) -> Response:
            data = await body_fields(request, _MEETING, required=["team"])
            slug = reference(data["team"], "slug", self.store.teams)
            host = None
            if "facilitator" in data:
                host = reference(data["facilitator"], "username", self.store.members, missing=400)
            # One active standup or planning poker per team: asking again answers it, 200.
            existing = self.store.meetings[kind].get(slug) if kind != "retro" else None
            meeting = existing or self.store.start_meeting(kind, slug, facilitator=host)
            return ok(
                self.store.render_meeting(meeting, api_root(request)), 200 if existing else 201
            )

        return start

    def end_meeting(self, kind: str) -> Handler:
        async def end(request: Request) -> Response:
            del self.store.meetings[kind][
                lookup(self.store.meetings[kind], request.path_params["id"]).id
            ]
            return no_content()

        return end

    async def create_task(self, request: Request) -> Response:
        tasks = self.reads.tasks_of(request)
        text = str((await body_fields(request, {"text": str}, required=["text"]))["text"])
        slug = self.store.meetings["planpoker"][request.path_params["id"]].slug
        rng = random.Random(f"{slug}:{text}:{len(tasks)}")
        tasks.append(self.store.poker_task(slug, text, rng, new=True))
        return ok(tasks[-1], 201)

    async def delete_task(self, request: Request) -> Response:
        tasks = self.reads.tasks_of(request)
        del tasks[lookup({t["id"]: i for i, t in enumerate(tasks)}, request.path_params["task_id"])]
        return no_content()

    async def create_action_item(self, request: Request) -> Response:
        data = await body_fields(request, _ACTION_ITEM, required=["text", "team"])
        slug = reference(data["team"], "slug", self.store.teams)
        number = max(self.store.action_items, default=0) + 1
        item = ActionItem(number, str(data["text"]), data.get("resolved") is True, None, slug,
                          self.store.now)  # fmt: skip
        self.store.action_items[number] = item
        return ok(self.store.render_action_item(item), 201)

    async def update_action_item(self, request: Request) -> Response:
        item = self.reads.action_item_of(request)
        changes = await body_fields(request, {"text": str, "resolved": bool})
        item.text = str(changes.get("text", item.text))
        item.resolved = bool(changes.get("resolved", item.resolved))
        return ok(self.store.render_action_item(item))

    async def delete_action_item(self, request: Request) -> Response:
        del self.store.action_items[self.reads.action_item_of(request).number]
        return no_content()

    async def delete_record(self, request: Request) -> Response:
        del self.store.timeline[self.reads.record_of(request).number]
        return no_content()
