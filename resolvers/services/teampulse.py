"""TeamPulse's own reads: its loaders (one per endpoint and key, built per request on first
use) and the functions `schema/services/teampulse` calls.

TeamPulse does not page, so every list is one call. The users list and the time entries of
a range are the loaders the unified graph already uses (`ctx.loaders.teampulse_users`,
`ctx.loaders.teampulse_time_entries`): identity, `User.worklogs` and these fields share them,
so a query mixing them fetches each once. Per-key endpoints are batched loaders (sorted,
deduplicated, bounded fan-out); where a bulk endpoint holds the same facts (a project's tasks
are in `/tasks`, a person's time entries in `/timeentries`) the fields filter it instead.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import Literal

from resolvers.backends import teampulse
from resolvers.backends.errors import UpstreamNotFound
from resolvers.common import check_range
from resolvers.context import Context
from resolvers.directory import id_in
from resolvers.identity import Identity
from resolvers.loaders import Loader, Once, each


def _client(ctx: Context) -> teampulse.TeamPulseClient:
    return ctx.backends.require("teampulse")


# -- people ------------------------------------------------------------------------------


async def list_users(ctx: Context) -> list[teampulse.User]:
    """Everyone in the projects the account may access, in TeamPulse's order (identity's
    own loader: no extra call when identity already read it)."""
    return await ctx.loaders.teampulse_users.get()


async def list_mention_users(ctx: Context) -> list[teampulse.User]:
    client = _client(ctx)
    loader = ctx.loader(("teampulse", "mention_users"), lambda: Once(client.list_mention_users))
    return await loader.get()


async def get_me(ctx: Context) -> teampulse.User:
    client = _client(ctx)
    return await ctx.loader(("teampulse", "me"), lambda: Once(client.get_me)).get()


async def get_user(ctx: Context, user_id: int) -> teampulse.User | None:
    """One account by id (`/users/{id}`), which also finds accounts `/users` leaves out
    (the gateway's own)."""
    client = _client(ctx)
    loader: Loader[int, teampulse.User | None] = ctx.loader(
        ("teampulse", "user"), lambda: each(client.get_user)
    )
    return await loader.load(user_id)


async def get_person_account(ctx: Context, person: Identity) -> teampulse.User | None:
    """The TeamPulse account of a linked person, from the users list identity read."""
    ident = await id_in(ctx, person, "teampulse")
    if ident is None:
        return None

    async def index() -> dict[str, teampulse.User]:
        return {str(u.id): u for u in await ctx.loaders.teampulse_users.get()}

    return (await ctx.memo(("teampulse", "users_by_id"), index)).get(ident)


async def person_of(ctx: Context, user_id: int) -> Identity | None:
    """The linked person a TeamPulse user id belongs to."""
    return (await ctx.directory()).person("teampulse", str(user_id))


async def author_person(ctx: Context, author: teampulse.ActivityAuthor) -> Identity | None:
    """The linked person who authored an activity.

    Activities name their author by username and display name, never by id: the author is
    the one account in `/users` with both; none when no account or several share them.
    """

    async def index() -> dict[tuple[str, str], list[int]]:
        found: dict[tuple[str, str], list[int]] = {}
        for u in await ctx.loaders.teampulse_users.get():
            found.setdefault((u.name, u.display_name), []).append(u.id)
        return found

    ids = (await ctx.memo(("teampulse", "users_by_name"), index)).get(_author_key(author), [])
    return await person_of(ctx, ids[0]) if len(ids) == 1 else None


def _author_key(author: teampulse.ActivityAuthor | teampulse.User) -> tuple[str, str]:
    return author.name, author.display_name


# -- projects and tasks ------------------------------------------------------------------


async def list_projects(ctx: Context) -> list[teampulse.Project]:
    client = _client(ctx)
    return await ctx.loader(("teampulse", "projects"), lambda: Once(client.list_projects)).get()


async def get_project(ctx: Context, project_id: int) -> teampulse.Project | None:
    """One project from the projects list (TeamPulse has no endpoint for one)."""
    return next((p for p in await list_projects(ctx) if p.id == project_id), None)


async def list_project_users(ctx: Context, project_id: int) -> list[teampulse.User]:
    """The project's users, in TeamPulse's order; one call per project, batched."""
    client = _client(ctx)
    loader: Loader[int, list[teampulse.User]] = ctx.loader(
        ("teampulse", "project_users"), lambda: each(client.list_project_users)
    )
    return await loader.load(project_id)


async def list_time_entry_types(
    ctx: Context, project_id: int
) -> list[teampulse.ProjectTimeEntryType]:
    """The time entry types enabled in a project, in the project's order; one call per
    project, batched."""
    client = _client(ctx)
    loader: Loader[int, list[teampulse.ProjectTimeEntryType]] = ctx.loader(
        ("teampulse", "time_entry_types"), lambda: each(client.list_time_entry_types)
    )
    return await loader.load(project_id)


async def list_tasks(ctx: Context, project_id: int | None = None) -> list[teampulse.Task] | None:
    """Every task (`/tasks`), or one project's (`/projects/{id}/tasks`: None when there is
    no such project), in TeamPulse's order."""
    client = _client(ctx)
    if project_id is None:
        return await ctx.loader(("teampulse", "tasks"), lambda: Once(client.list_tasks)).get()
    loader: Loader[int, list[teampulse.Task]] = ctx.loader(
        ("teampulse", "project_tasks"), lambda: each(client.list_project_tasks)
    )
    try:
        return await loader.load(project_id)
    except UpstreamNotFound:
        return None


async def list_tasks_in_project(ctx: Context, project_id: int) -> list[teampulse.Task]:
    """A project's tasks by id, filtered from `/tasks`: one call however many projects ask."""

    async def index() -> dict[int, list[teampulse.Task]]:
        found: dict[int, list[teampulse.Task]] = {}
        for task in sorted(await list_tasks(ctx) or [], key=lambda t: t.id):
            if task.project is not None:
                found.setdefault(task.project.id, []).append(task)
        return found

    return (await ctx.memo(("teampulse", "tasks_by_project"), index)).get(project_id, [])


async def get_task(ctx: Context, task_id: int) -> teampulse.Task | None:
    client = _client(ctx)
    loader: Loader[int, teampulse.Task | None] = ctx.loader(
        ("teampulse", "task"), lambda: each(client.get_task)
    )
    return await loader.load(task_id)


# -- time entries ------------------------------------------------------------------------


async def list_time_entries(ctx: Context, from_: date, to: date) -> list[teampulse.TimeEntry]:
    """Every user's entries dated in [from_, to], in TeamPulse's order (the range loader
    `User.worklogs` uses)."""
    check_range(from_, to)
    _client(ctx)  # not configured: say how to configure it, before any loader runs
    return await ctx.loaders.teampulse_time_entries.load((from_, to))


async def _entries_by(
    ctx: Context, what: Literal["user", "task"], from_: date, to: date
) -> dict[int, list[teampulse.TimeEntry]]:
    """The range's entries grouped by user or task id, by date then id, built once."""

    async def index() -> dict[int, list[teampulse.TimeEntry]]:
        found: dict[int, list[teampulse.TimeEntry]] = {}
        for e in sorted(await list_time_entries(ctx, from_, to), key=lambda e: (e.date, e.id)):
            found.setdefault(e.user.id if what == "user" else e.task.id, []).append(e)
        return found

    key: Hashable = ("teampulse", f"entries_by_{what}", from_, to)
    return await ctx.memo(key, index)


async def list_user_time_entries(
    ctx: Context, user_id: int, from_: date, to: date
) -> list[teampulse.TimeEntry]:
    return (await _entries_by(ctx, "user", from_, to)).get(user_id, [])


async def list_task_time_entries(
    ctx: Context, task_id: int, from_: date, to: date
) -> list[teampulse.TimeEntry]:
    return (await _entries_by(ctx, "task", from_, to)).get(task_id, [])


async def list_user_tasks(
    ctx: Context, user_id: int, from_: date, to: date
) -> list[teampulse.Task]:
    """The tasks a user logged time against in the range, by id (TeamPulse tasks name no
    assignee, so this is what ties a person to tasks)."""
    tasks = {
        e.task.id: e.task
        for e in await list_user_time_entries(ctx, user_id, from_, to)
        if isinstance(e.task, teampulse.Task)
    }
    return [tasks[i] for i in sorted(tasks)]


async def get_time_entry(ctx: Context, entry_id: int) -> teampulse.TimeEntry | None:
    client = _client(ctx)
    loader: Loader[int, teampulse.TimeEntry | None] = ctx.loader(
        ("teampulse", "time_entry"), lambda: each(client.get_time_entry)
    )
    return await loader.load(entry_id)


# -- activities --------------------------------------------------------------------------


async def list_activities(ctx: Context, flagged: bool | None) -> list[teampulse.Activity]:
    """The activity stream, newest first as TeamPulse gives it; `flagged` keeps only
    (un)flagged ones (TeamPulse filters)."""
    client = _client(ctx)
    # Keyed by a 1-tuple: aiodataloader refuses None as a key.
    loader: Loader[tuple[bool | None], list[teampulse.Activity]] = ctx.loader(
        ("teampulse", "activities"),
        lambda: each(lambda key: client.list_activities(is_flagged=key[0])),
    )
    return await loader.load((flagged,))


async def list_user_activities(
    ctx: Context, user: teampulse.User, flagged: bool | None
) -> list[teampulse.Activity]:
    """Activities whose author has the user's username and display name (authors carry no
    id), newest first: by time, then id."""
    wanted = _author_key(user)
    mine = [a for a in await list_activities(ctx, flagged) if _author_key(a.author) == wanted]
    return sorted(mine, key=lambda a: (a.modified_at, a.id), reverse=True)


async def get_unread_counts(ctx: Context) -> teampulse.UnreadCounts:
    client = _client(ctx)
    loader = ctx.loader(("teampulse", "unread_counts"), lambda: Once(client.get_unread_counts))
    return await loader.get()
