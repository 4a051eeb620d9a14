"""What the unified mutations share: how inputs name people, teams and objects, the enums of
a change's outcome, and each service's step of a change."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Annotated

import strawberry

from resolvers.backends.errors import BadRequest
from resolvers.backends.errors import Service as ServiceName
from resolvers.unified import changes, members
from schema.ids import decode_id
from schema.scalars import Service, service_name, service_of

PersonText = Annotated[
    str,
    strawberry.argument(
        description="The person: a `User` id, key, email or username, or a display name "
        "when exactly one person has it (else the answer is an AMBIGUOUS user error)."
    ),
]
TeamText = Annotated[
    str,
    strawberry.argument(
        description="The team: a `Team` id, key, any service's slug or id, or a name when "
        "exactly one team has it."
    ),
]


def named(text: str, type_name: str) -> str:
    """The key inside a global id of `type_name` (`User`, `Team`); any other text as is, for
    the identity rules to resolve."""
    try:
        kind, key = decode_id(text)
    except BadRequest:
        return text
    return key if kind == type_name else text


def key_of(id: str, type_name: str, what: str) -> str:
    """The key inside a global id that must be of `type_name`; a clear error otherwise."""
    kind, key = decode_id(id)
    if kind != type_name:
        raise BadRequest(f"{id!r} is the id of a {kind}; pass the `id` of {what}")
    return key


def service_names(services: Sequence[Service] | None) -> list[ServiceName] | None:
    if services is None:
        return None
    return [name for s in services if (name := service_name(s)) is not None]


@strawberry.enum(description="What became of one service's part of a change.")
class StepStatus(Enum):
    APPLIED = strawberry.enum_value("APPLIED", description="The service was changed.")
    SKIPPED = strawberry.enum_value(
        "SKIPPED", description="The service had nothing to do; `reason` says why."
    )
    FAILED = strawberry.enum_value(
        "FAILED", description="Reading or writing the service failed; `error` says how."
    )
    COMPENSATED = strawberry.enum_value(
        "COMPENSATED", description="The service was changed, then put back (`atomic`)."
    )
    COMPENSATION_FAILED = strawberry.enum_value(
        "COMPENSATION_FAILED",
        description="Putting the service back failed: `left` lists what is still changed.",
    )


@strawberry.enum(description="Why a service's part of a change was skipped.")
class SkipReason(Enum):
    NOT_ASKED = strawberry.enum_value("NOT_ASKED", description="It is not in `services`.")
    NOT_CONFIGURED = strawberry.enum_value(
        "NOT_CONFIGURED", description="This gateway has no `[backends]` table for it."
    )
    TEAM_UNKNOWN = strawberry.enum_value(
        "TEAM_UNKNOWN", description="The service does not know the team."
    )
    PERSON_UNKNOWN = strawberry.enum_value(
        "PERSON_UNKNOWN", description="The service does not know the person."
    )
    ALREADY_MEMBER = strawberry.enum_value(
        "ALREADY_MEMBER", description="They are a member already (adding)."
    )
    NOT_A_MEMBER = strawberry.enum_value(
        "NOT_A_MEMBER", description="They are not a member (removing)."
    )
    IN_ANOTHER_TEAM = strawberry.enum_value(
        "IN_ANOTHER_TEAM",
        description="Hack24 allows one team per person and they are in another: name "
        "HACK24 in `services` to move them.",
    )
    NO_TEAMS = strawberry.enum_value("NO_TEAMS", description="TeamPulse has no teams.")
    NOT_ATTEMPTED = strawberry.enum_value(
        "NOT_ATTEMPTED", description="Another service failed first and the change is atomic."
    )


@strawberry.enum(description="How a change across services ended, as a whole.")
class ChangeOutcome(Enum):
    CHANGED = strawberry.enum_value(
        "CHANGED", description="At least one service changed, and none failed."
    )
    UNCHANGED = strawberry.enum_value(
        "UNCHANGED", description="Nothing needed changing: every service was skipped."
    )
    PARTIAL = strawberry.enum_value(
        "PARTIAL",
        description="Some services changed and some failed; the changes stand (not atomic).",
    )
    FAILED = strawberry.enum_value("FAILED", description="A service failed; nothing changed.")
    ROLLED_BACK = strawberry.enum_value(
        "ROLLED_BACK", description="A service failed and every change made was undone."
    )
    ROLLBACK_FAILED = strawberry.enum_value(
        "ROLLBACK_FAILED",
        description="A service failed and undoing failed too: the steps' `left` say exactly "
        "what is still changed.",
    )


@strawberry.type(description="Why a write, or undoing it, failed.")
class StepError:
    code: str = strawberry.field(
        description="The error code, as in `errors[]` (UPSTREAM_UNAVAILABLE, …)."
    )
    message: str = strawberry.field(description="What went wrong, naming the service.")

    @classmethod
    def of(cls, error: changes.StepError | None) -> StepError | None:
        return cls(code=error.code, message=error.message) if error is not None else None


@strawberry.type(description="One service's part of a change, and what became of it.")
class ServiceStep:
    record: strawberry.Private[members.ServiceStep]

    @strawberry.field(description="The service.")
    def service(self) -> Service:
        return service_of(self.record.service)

    @strawberry.field(description="What became of it.")
    def status(self) -> StepStatus:
        return StepStatus(self.record.status)

    @strawberry.field(description="Why it was skipped (SKIPPED only).")
    def reason(self) -> SkipReason | None:
        return SkipReason(self.record.reason) if self.record.reason else None

    @strawberry.field(description="Why it was skipped or failed, in words.")
    def detail(self) -> str | None:
        return self.record.detail or None

    @strawberry.field(description="Why it failed (FAILED, and a COMPENSATION_FAILED that had).")
    def error(self) -> StepError | None:
        return StepError.of(self.record.error)

    @strawberry.field(description="Why putting it back failed (COMPENSATION_FAILED).")
    def compensation_error(self) -> StepError | None:
        return StepError.of(self.record.compensation_error)

    @strawberry.field(description="Each write it made, in words, in order.")
    def changes(self) -> list[str]:
        return self.record.changes

    @strawberry.field(
        description="Of those writes, the ones still in place now: all of them unless they "
        "were undone, none after a successful compensation."
    )
    def left(self) -> list[str]:
        return self.record.left
