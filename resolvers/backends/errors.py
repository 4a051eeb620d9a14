"""The one error family every upstream failure is translated into.

::

    GatewayError                      extensions.code
    ├── BadRequest                    BAD_USER_INPUT        (the caller's arguments are wrong)
    ├── Forbidden                     FORBIDDEN             (an operator field, switched off)
    ├── NotFound                      NOT_FOUND             (no object has the id asked for)
    └── BackendError                  + extensions.service
        ├── BackendNotConfigured      SERVICE_NOT_CONFIGURED
        ├── UpstreamUnavailable       UPSTREAM_UNAVAILABLE  (connection refused, 5xx; circuit open)
        ├── UpstreamRateLimited       UPSTREAM_RATE_LIMITED (429: + retryAfter seconds)
        ├── UpstreamBudgetExceeded    UPSTREAM_BUDGET_EXCEEDED (the operation's call budget)
        ├── UpstreamTimeout           UPSTREAM_TIMEOUT
        ├── DeadlinePassed            GATEWAY_TIMEOUT (not sent: the operation's own time ran out)
        ├── UpstreamUnauthorized      UPSTREAM_UNAUTHORIZED (401 / 403: check credentials)
        ├── UpstreamNotFound          UPSTREAM_NOT_FOUND
        ├── UpstreamRejected          UPSTREAM_BAD_REQUEST  (another 4xx)
        ├── UpstreamBadResponse       UPSTREAM_BAD_RESPONSE (not the JSON its docs promise)
        └── InternalError             INTERNAL_ERROR        (our bug; details only in the log)

Beside the write path (:mod:`resolvers.writes`), three more GatewayErrors guard idempotency
keys: ``IDEMPOTENCY_KEY_REUSED``, ``IDEMPOTENCY_IN_PROGRESS`` and ``IDEMPOTENCY_UNAVAILABLE``
(the store that keeps the keys, Redis, cannot be reached: nothing was called).

Clients raise these and nothing else; graphql-core copies ``extensions`` into the response,
so ``{"code": ..., "service": ...}`` reaches the GraphQL client with no extra plumbing, and
the schema's error masking lets exactly this family through.
"""

from __future__ import annotations

from typing import ClassVar, Literal

Service = Literal["tempo", "oncall", "teamoclock", "teampulse", "hack24"]
SERVICES: tuple[Service, ...] = ("tempo", "oncall", "teamoclock", "teampulse", "hack24")


class GatewayError(Exception):
    """Base of every error the gateway shows to its callers unmasked."""

    code: ClassVar[str] = "GATEWAY_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def extensions(self) -> dict[str, object]:
        return {"code": self.code}


class BadRequest(GatewayError):
    """The caller asked for something malformed (an unknown id format, a reversed range)."""

    code = "BAD_USER_INPUT"


class Forbidden(GatewayError):
    """The field is not open to this caller (an operator field the config has not enabled)."""

    code = "FORBIDDEN"


class NotFound(GatewayError):
    """Nothing has the id asked for, where the answer must say so (a federation router's
    entity reference) rather than be a plain null."""

    code = "NOT_FOUND"


class BackendError(GatewayError):
    """An upstream service failed; ``service`` says which one.

    ``detail`` is the API's own short reason when it gave one (a 400's message), which
    mutations show as a user error; ``extra`` adds extensions (``retryAfter``, ``circuit``).
    """

    code = "UPSTREAM_ERROR"

    def __init__(
        self,
        service: Service,
        message: str,
        *,
        status: int | None = None,
        detail: str | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        super().__init__(f"{service}: {message}")
        self.service: Service = service
        self.status = status
        self.detail = detail
        self.extra = extra or {}

    @property
    def extensions(self) -> dict[str, object]:
        ext: dict[str, object] = {"code": self.code, "service": self.service}
        if self.status is not None:
            ext["status"] = self.status
        ext.update(self.extra)
        return ext


class BackendNotConfigured(BackendError):
    code = "SERVICE_NOT_CONFIGURED"

    def __init__(self, service: Service) -> None:
        super().__init__(
            service,
            f"not configured; add a [backends.{service}] table with its url to the config file",
        )


class UpstreamUnavailable(BackendError):
    code = "UPSTREAM_UNAVAILABLE"


class UpstreamRateLimited(BackendError):
    """429: the service asked us to wait; no call goes to it before ``retry_after`` passes."""

    code = "UPSTREAM_RATE_LIMITED"

    def __init__(self, service: Service, message: str, *, retry_after: float) -> None:
        seconds = max(1, round(retry_after))
        super().__init__(service, message, status=429, extra={"retryAfter": seconds})
        self.retry_after = retry_after


class UpstreamBudgetExceeded(BackendError):
    code = "UPSTREAM_BUDGET_EXCEEDED"


class UpstreamTimeout(BackendError):
    code = "UPSTREAM_TIMEOUT"


class DeadlinePassed(BackendError):
    """A call not sent because the operation's own time (limits.request_timeout) ran out:
    the gateway's doing, so it neither blames the service nor counts against its circuit."""

    code = "GATEWAY_TIMEOUT"


class UpstreamUnauthorized(BackendError):
    code = "UPSTREAM_UNAUTHORIZED"


class UpstreamNotFound(BackendError):
    code = "UPSTREAM_NOT_FOUND"


class UpstreamRejected(BackendError):
    code = "UPSTREAM_BAD_REQUEST"


class UpstreamBadResponse(BackendError):
    code = "UPSTREAM_BAD_RESPONSE"


class InternalError(BackendError):
    """Something unexpected broke while reading a service; details go to the log only."""

    code = "INTERNAL_ERROR"

    def __init__(self, service: Service) -> None:
        super().__init__(
            service, "an unexpected error occurred while reading it; the gateway log has details"
        )
