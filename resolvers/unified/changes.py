"""Changes made of several upstream writes: applied in order, reported one by one, and, when
the change must be all or nothing, undone in reverse order when one of them fails.

An :class:`Operation` is one write and says, once done, how to take it back
(:class:`Applied`). A :class:`Run` applies operations and remembers the applied ones; its
:meth:`Run.undo` takes them back, newest first, carrying on past an undo that fails so that
as little as possible is left, and says which are left. Nothing here retries: a write that
failed may or may not have happened upstream, so it is reported, never repeated.

:func:`report` puts every failure of a change into the response's ``errors[]`` next to the
payload (the way a merged read reports a service that failed), so a partial success is
never silent, on the first answer and on an idempotent replay alike.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from resolvers.backends.errors import BackendError, Service
from resolvers.common import as_backend_error
from resolvers.context import Context

StepStatus = Literal["APPLIED", "SKIPPED", "FAILED", "COMPENSATED", "COMPENSATION_FAILED"]
ChangeOutcome = Literal[
    "CHANGED", "UNCHANGED", "PARTIAL", "FAILED", "ROLLED_BACK", "ROLLBACK_FAILED"
]


@dataclass(frozen=True, slots=True)
class StepError:
    """Why a write (or its undoing) failed: the error's code and message, as `errors[]`
    shows upstream failures."""

    code: str
    message: str

    @classmethod
    def of(cls, error: BackendError) -> StepError:
        return cls(error.code, error.message)


@dataclass(frozen=True, slots=True)
class Applied:
    """A write that happened: what it changed, in words, and how to take it back."""

    says: str
    undo: Callable[[], Awaitable[object]] | None = None


@dataclass(frozen=True, slots=True)
class Operation:
    """One upstream write, run by `run`."""

    service: Service
    run: Callable[[], Awaitable[Applied]]


@dataclass
class Undone:
    """What undoing a run left: per applied write, None when it was taken back, else the
    error that kept it."""

    results: list[tuple[Service, Applied, StepError | None]] = field(default_factory=list)

    def left(self, service: Service) -> list[str]:
        return [a.says for s, a, error in self.results if s == service and error is not None]

    def error(self, service: Service) -> StepError | None:
        return next((e for s, _, e in self.results if s == service and e is not None), None)


class Run:
    """Writes applied in order, each remembered with how to take it back."""

    def __init__(self) -> None:
        self.applied: list[tuple[Service, Applied]] = []
        self.touched: list[Service] = []  # services written to (or tried), in order

    async def apply(self, operation: Operation) -> StepError | None:
        """Run one write; its error, or None when it was applied."""
        if operation.service not in self.touched:
            self.touched.append(operation.service)
        try:
            applied = await operation.run()
        except Exception as exc:  # our error family, or a bug (logged in full there)
            return StepError.of(as_backend_error(operation.service, exc))
        self.applied.append((operation.service, applied))
        return None

    def changes(self, service: Service) -> list[str]:
        return [a.says for s, a in self.applied if s == service]

    async def undo(self) -> Undone:
        """Take back every applied write, newest first; each failure is kept, not raised."""
        undone = Undone()
        for service, applied in reversed(self.applied):
            error: StepError | None = None
            if applied.undo is None:
                error = StepError("IRREVERSIBLE", f"{service}: this change cannot be undone")
            else:
                try:
                    await applied.undo()
                except Exception as exc:
                    error = StepError.of(as_backend_error(service, exc))
            undone.results.append((service, applied, error))
        return undone


class ChangeFailed(BackendError):
    """A write of a unified mutation failed, or undoing it did: shown in `errors[]` with
    the failure's own code, the service, the mutation and what became of that step."""

    def __init__(self, service: Service, message: str, *, code: str, extra: dict[str, object]):
        super().__init__(service, message, extra=extra)
        self.failure_code = code

    @property
    def extensions(self) -> dict[str, object]:
        return {**super().extensions, "code": self.failure_code}


@dataclass(frozen=True, slots=True)
class Failure:
    """One failure to report: which service, what became of its step, the error, and
    what the step left changed."""

    service: Service
    status: StepStatus
    error: StepError
    left: Sequence[str] = ()


def report(ctx: Context, mutation: str, failures: Sequence[Failure]) -> None:
    """Each failure of a change in `errors[]`, beside the payload that details it."""
    for f in failures:
        if f.status == "COMPENSATION_FAILED":
            what = "undoing its change failed, so this is left: " + "; ".join(f.left)
        elif f.left:
            what = "it failed part-way, and this is left: " + "; ".join(f.left)
        else:
            what = "it failed and did not change"
        message = f"{mutation}: {what} ({f.error.message})"
        extra: dict[str, object] = {"mutation": mutation, "step": f.status}
        ctx.note_problem(ChangeFailed(f.service, message, code=f.error.code, extra=extra))
