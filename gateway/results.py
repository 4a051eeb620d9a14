"""What a client (and the log) is told: errors masked, shortened and redacted, partial
failures reported next to the data, and the trace and cost when asked for.

* Our own error family (an upstream outage, a bad argument) is shown as is: it names the
  service and says what to do. Anything else raised while resolving a field is a bug: the
  client sees "Unexpected error." and the log gets the traceback.
* Request errors (syntax, validation, limits, variables) carry no path and are shown with
  graphql-core's words and an ``extensions.code``.
* No message is longer than :data:`MAX_MESSAGE` characters (user input echoed back by a
  validation message is cut), and none carries a configured secret or a credential.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from graphql import ExecutionResult, GraphQLError

from resolvers.backends.errors import BackendError, GatewayError
from resolvers.backends.scope import StaleAnswer

UNEXPECTED = "Unexpected error."
MAX_MESSAGE = 500

log = logging.getLogger("teamgraph.errors")

Redact = Callable[[str], str]


def shorten(text: str, limit: int = MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_unexpected(error: GraphQLError) -> bool:
    """Raised while resolving a field, and not by our error family: a bug to mask."""
    return error.path is not None and not isinstance(error.original_error, GatewayError)


def format_errors(
    errors: Iterable[GraphQLError],
    *,
    problems: Sequence[BackendError] = (),
    redact: Redact,
) -> list[dict[str, Any]]:
    """The `errors` list: each error once, masked, shortened and redacted; then each service
    failure that left a merged list partial and is not already shown."""
    out: list[dict[str, Any]] = []
    shown: set[str] = set()
    for error in errors:
        if is_unexpected(error):
            log.error(
                "unexpected error at %s: %s",
                ".".join(str(p) for p in error.path or ()),
                redact(shorten(error.message, 200)),
                exc_info=error.original_error,
            )
            formatted: dict[str, Any] = {"message": UNEXPECTED, "path": error.path}
            if error.locations:
                formatted["locations"] = [loc.formatted for loc in error.locations]
            formatted["extensions"] = {"code": "INTERNAL_SERVER_ERROR"}
        else:
            formatted = {**error.formatted, "message": redact(shorten(error.message))}
        shown.add(error.message)
        out.append(formatted)
    for problem in problems:
        if problem.message not in shown:
            shown.add(problem.message)
            out.append(
                {"message": redact(shorten(problem.message)), "extensions": problem.extensions}
            )
    return out


def log_request_errors(errors: Sequence[GraphQLError], redact: Redact) -> None:
    """A rejected request is one WARNING line, whatever it contained."""
    if not errors:
        return
    first = errors[0]
    code = (first.extensions or {}).get("code", "BAD_REQUEST")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    log.warning("request rejected: %s: %s%s", code, redact(shorten(first.message, 200)), more)


def log_field_errors(errors: Iterable[GraphQLError], redact: Redact) -> None:
    """Bad arguments, one WARNING line each. Upstream failures were logged where they
    happened (one line per request and service), and bugs by :func:`format_errors`."""
    for error in errors:
        original = error.original_error
        if isinstance(original, GatewayError) and not isinstance(original, BackendError):
            log.warning("%s (path %s)", redact(shorten(error.message, 200)), error.path)


def response_body(
    result: ExecutionResult,
    *,
    problems: Sequence[BackendError] = (),
    redact: Redact,
    extensions: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    errors = list(result.errors or ())
    if errors or problems:
        log_field_errors(errors, redact)
        body["errors"] = format_errors(errors, problems=problems, redact=redact)
    if result.data is not None or not errors or any(e.path is not None for e in errors):
        body["data"] = result.data
    if extensions:
        body["extensions"] = extensions
    return body


def error_body(message: str, code: str, **extensions: object) -> dict[str, Any]:
    """A response for a request that never reached execution."""
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def stale_warnings(stale: Sequence[StaleAnswer], redact: Redact) -> list[dict[str, Any]]:
    """One warning per answer served from the cache because its service failed: which
    data, and how old."""
    out = []
    for answer in stale:
        age = round(answer.age)
        out.append(
            {
                "message": redact(shorten(
                    f"{answer.service}: {answer.where} failed, so its last good answer "
                    f"({age}s old) was served from the cache; it failed with: "
                    f"{answer.because}"
                )),
                "extensions": {"code": "STALE_DATA", "service": answer.service, "ageSeconds": age},
            }
        )  # fmt: skip
    return out
