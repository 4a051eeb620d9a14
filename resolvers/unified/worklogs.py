"""`logWork`, `updateWorklog` and `deleteWorklog`: time logged where the person logs it, a
Tempo worklog (on a Jira issue) or a TeamPulse time entry (on a task).

Where `logWork` writes: the `service` asked for; else Tempo for an `issueKey` and TeamPulse
for a `task`; else where the person has an account, Tempo first, and then the answer is a
user error saying what that service needs. A worklog is then read back through the same
resolvers the unified `Worklog` reads use, so the answer is what `worklogs` shows.

Updates change only what is given: Tempo replaces a whole worklog, so the rest (its start
time, author, attributes) is read first and sent back; TeamPulse checks the version read.
TeamPulse's API has no way to delete a time entry, so deleting one is a user error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from resolvers import worklogs as worklogs_r
from resolvers.backends import teampulse, tempo
from resolvers.backends.errors import Service
from resolvers.common import numeric_id
from resolvers.context import Context
from resolvers.directory import id_in
from resolvers.identity import Identity
from resolvers.unified.names import person_named
from resolvers.worklogs import WorklogRecord
from resolvers.writes import Outcome, Refused, UserError, run_write

TIME_SERVICES: tuple[Service, ...] = ("tempo", "teampulse")
_NAMES = {"tempo": "Tempo", "teampulse": "TeamPulse"}
_NEEDS = {"tempo": ("issueKey", "a Jira issue"), "teampulse": ("task", "a task")}
DEFAULT_START = time(9, 0)


@dataclass
class LoggedWork:
    """A worklog as the unified reads map it (`WorklogRecord`), in a form the idempotency
    store can keep: the record's fields, and the upstream object it was mapped from in a
    typed field."""

    service: Service
    id: str
    day: date
    duration_seconds: int
    description: str
    person: Identity | None
    author_id: str
    issue_key: str | None = None
    billable_seconds: int | None = None
    task: str | None = None
    project: str | None = None
    kind: str | None = None
    tempo_worklog: tempo.Worklog | None = None
    time_entry: teampulse.TimeEntry | None = None

    def record(self) -> WorklogRecord:
        return WorklogRecord(
            self.service, self.id, self.day, self.duration_seconds, self.description,
            self.person, self.author_id, issue_key=self.issue_key,
            billable_seconds=self.billable_seconds, task=self.task, project=self.project,
            kind=self.kind, source=self.tempo_worklog or self.time_entry,
        )  # fmt: skip

    @classmethod
    def of(cls, r: WorklogRecord) -> LoggedWork:
        source = r.source
        return cls(
            r.service, r.id, r.date, r.duration_seconds, r.description, r.person, r.author_id,
            issue_key=r.issue_key, billable_seconds=r.billable_seconds, task=r.task,
            project=r.project, kind=r.kind,
            tempo_worklog=source if isinstance(source, tempo.Worklog) else None,
            time_entry=source if isinstance(source, teampulse.TimeEntry) else None,
        )  # fmt: skip


def _refuse(message: str, field: str, code: str = "INVALID_INPUT") -> Refused:
    return Refused(UserError(message, code, ("input", field)))


async def log_work(
    ctx: Context,
    *,
    user: str,
    day: date,
    seconds: int,
    description: str | None = None,
    issue_key: str | None = None,
    task: str | None = None,
    service: Service | None = None,
    start_time: time | None = None,
    key: str | None = None,
) -> Outcome[LoggedWork]:
    """Log `seconds` of `user`'s work on `day` (see the module docstring for where)."""
    touched: list[str] = []
    data = {
        "user": user,
        "date": day,
        "seconds": seconds,
        "description": description,
        "issueKey": issue_key,
        "task": task,
        "service": service,
        "startTime": start_time,
    }

    async def call() -> LoggedWork:
        if seconds <= 0:
            raise _refuse("log more than 0 seconds", "seconds")
        person = await person_named(ctx, user, ("input", "user"))
        chosen = _where(person, service, issue_key, task)
        account = await id_in(ctx, person, chosen)  # raises if `chosen` could not be asked
        if account is None:
            raise _refuse(f"{person.key} has no {_NAMES[chosen]} account", "user", "NOT_FOUND")
        touched.append(chosen)
        if chosen == "tempo":
            made = await ctx.backends.require("tempo").create_worklog(
                tempo.WorklogInput(
                    issue_key=issue_key or "",
                    time_spent_seconds=seconds,
                    start_date=day,
                    start_time=start_time or DEFAULT_START,
                    author_account_id=account,
                    description=description,
                )
            )
            return await _read_back(ctx, "tempo", made.tempo_worklog_id)
        found = await _task(ctx, task or "")
        entry = await ctx.backends.require("teampulse").create_time_entry(
            date=day,
            hours=seconds / 3600,
            task_id=found.id,
            user_id=int(account),
            note=description,
        )
        return await _read_back(ctx, "teampulse", entry.id)

    return await run_write(
        name="logWork",
        services=touched,
        caller=ctx.caller,
        data=data,
        key=key,
        idempotency=ctx.idempotency,
        result_type=LoggedWork,
        call=call,
    )


def _where(
    person: Identity, service: Service | None, issue_key: str | None, task: str | None
) -> Service:
    """The service to log in, or a user error saying what to pass."""
    if service is not None and service not in TIME_SERVICES:
        raise _refuse("time is logged in TEMPO or TEAMPULSE", "service")
    if service is None and issue_key is not None and task is not None:
        raise _refuse(
            "pass `issueKey` (Tempo) or `task` (TeamPulse), not both, or choose with `service`",
            "task",
        )
    chosen = service or ("tempo" if issue_key else "teampulse" if task else None)
    if chosen is None:
        chosen = next((s for s in TIME_SERVICES if person.id_in(s) is not None), None)
    if chosen is None:
        raise _refuse(
            f"{person.key} has no Tempo or TeamPulse account to log time in", "user", "NOT_FOUND"
        )
    needed, what = _NEEDS[chosen]
    given = {"issueKey": issue_key, "task": task}
    if given[needed] is None:
        raise _refuse(f"{_NAMES[chosen]} logs time on {what}: pass `{needed}`", needed)
    other = next(f for f in given if f != needed)
    if given[other] is not None:
        raise _refuse(f"`{other}` is not {_NAMES[chosen]}'s; it takes `{needed}`", other)
    return chosen


async def _task(ctx: Context, text: str) -> teampulse.Task:
    """The one TeamPulse task `text` names: its id, or a name only one task has."""
    tasks = await ctx.backends.require("teampulse").list_tasks()
    number = numeric_id(text.strip())
    found = [t for t in tasks if t.id == number] if number is not None else []
    if not found:
        found = [t for t in tasks if t.name.strip().lower() == text.strip().lower()]
    if len(found) == 1:
        return found[0]
    if found:
        shown = ", ".join(
            f"{t.id} ({t.project.name if t.project else 'no project'})" for t in found
        )
        raise _refuse(
            f"{len(found)} TeamPulse tasks are called {text!r}; pass the id of one: {shown}",
            "task",
            "AMBIGUOUS",
        )
    raise _refuse(f"TeamPulse has no task {text!r}; pass a task's id or name", "task", "NOT_FOUND")


async def _read_back(ctx: Context, service: Service, ident: int) -> LoggedWork:
    """The worklog as the unified reads show it, read after the write."""
    ctx.forget_reads()
    record = await worklogs_r.get_worklog(ctx, service, str(ident))
    if record is None:  # kept as the answer, so a retry with the key does not log it twice
        raise Refused(
            UserError(
                f"{_NAMES[service]} took the write (worklog {ident}) but does not show it "
                "now; it may have been deleted meanwhile",
                "NOT_FOUND",
            )
        )
    return LoggedWork.of(record)


async def update_worklog(
    ctx: Context,
    *,
    service: str,
    ident: str,
    day: date | None = None,
    seconds: int | None = None,
    description: str | None = None,
    issue_key: str | None = None,
    task: str | None = None,
    key: str | None = None,
) -> Outcome[LoggedWork]:
    """Change what is given of worklog `ident` of `service` ("tempo" or "teampulse")."""
    touched: list[str] = []
    data = {
        "id": f"{service}:{ident}",
        "date": day,
        "seconds": seconds,
        "description": description,
        "issueKey": issue_key,
        "task": task,
    }

    async def call() -> LoggedWork:
        if seconds is not None and seconds <= 0:
            raise _refuse("log more than 0 seconds", "seconds")
        number = _number(service, ident)
        if service == "tempo":
            if task is not None:
                raise _refuse("`task` is not Tempo's; a Tempo worklog has an `issueKey`", "task")
            touched.append("tempo")
            client = ctx.backends.require("tempo")
            w = await client.get_worklog(number)
            if w is None:
                raise _gone(service, ident)
            spent = seconds or w.time_spent_seconds
            billable = w.billable_seconds
            if billable is not None and billable >= w.time_spent_seconds:
                billable = spent  # all of it was billable, and stays so
            elif billable is not None:
                billable = min(billable, spent)
            await client.update_worklog(
                number,
                tempo.WorklogInput(
                    issue_key=issue_key or w.issue_key,
                    time_spent_seconds=spent,
                    start_date=day or w.start_date,
                    start_time=w.start_time,
                    author_account_id=w.author.account_id,
                    description=w.description if description is None else description,
                    billable_seconds=billable,
                    attributes=w.attributes,
                ),
            )
            return await _read_back(ctx, "tempo", number)
        if issue_key is not None:
            raise _refuse("`issueKey` is Tempo's; a TeamPulse time entry has a `task`", "issueKey")
        touched.append("teampulse")
        pulse = ctx.backends.require("teampulse")
        e = await pulse.get_time_entry(number)
        if e is None:
            raise _gone(service, ident)
        task_id = (await _task(ctx, task)).id if task is not None else e.task.id
        await pulse.update_time_entry(
            number,
            date=day or e.date,
            hours=seconds / 3600 if seconds else e.hours,
            task_id=task_id,
            user_id=e.user.id,
            iversion=e.iversion,
            note=description,
        )
        return await _read_back(ctx, "teampulse", number)

    return await run_write(
        name="updateWorklog",
        services=touched,
        caller=ctx.caller,
        data=data,
        key=key,
        idempotency=ctx.idempotency,
        result_type=LoggedWork,
        call=call,
    )


async def delete_worklog(
    ctx: Context, *, service: str, ident: str, key: str | None = None
) -> Outcome[LoggedWork]:
    """Delete a Tempo worklog; answers it as it was."""
    touched: list[str] = []

    async def call() -> LoggedWork:
        number = _number(service, ident)
        if service == "teampulse":
            raise Refused(
                UserError(
                    "TeamPulse's API cannot delete a time entry; change it with "
                    "`updateWorklog`, or delete it in TeamPulse",
                    "UNSUPPORTED",
                    ("id",),
                )
            )
        touched.append("tempo")
        record = await worklogs_r.get_worklog(ctx, "tempo", ident)
        if record is None:
            raise _gone(service, ident)
        await ctx.backends.require("tempo").delete_worklog(number)
        ctx.forget_reads()
        return LoggedWork.of(record)

    return await run_write(
        name="deleteWorklog",
        services=touched,
        caller=ctx.caller,
        data={"id": f"{service}:{ident}"},
        key=key,
        idempotency=ctx.idempotency,
        result_type=LoggedWork,
        call=call,
    )


def _number(service: str, ident: str) -> int:
    number = numeric_id(ident)
    if service not in TIME_SERVICES or number is None:
        raise _gone(service, ident)
    return number


def _gone(service: str, ident: str) -> Refused:
    return Refused(UserError(f"there is no worklog {service}:{ident}", "NOT_FOUND", ("id",)))
