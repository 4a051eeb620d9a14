"""Log lines never carry a secret: a filter on every handler redacts configured credentials
and anything shaped like an Authorization value, tracebacks included."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime

import orjson
from opentelemetry import trace

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(logging.Formatter):
    """One line per event, whatever the message holds: a traceback stays inside "exc"."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        # The operation's trace (its span, or the caller's traceparent): joins logs to traces.
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            line["trace_id"] = format(context.trace_id, "032x")
            line["span_id"] = format(context.span_id, "016x")
        return orjson.dumps(line).decode()


def configure_logging(level: str, form: str) -> None:
    """Every logger, uvicorn's included, writes through one stderr handler in one format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if form == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    # httpx logs every upstream request at INFO; the trace header is the way to see them.
    logging.getLogger("httpx").setLevel(logging.WARNING)


class RedactingFilter(logging.Filter):
    def __init__(self, redact: Callable[[str], str]) -> None:
        super().__init__("teamgraph-redact")
        self.redact = redact
        self._handlers: list[logging.Handler] = []

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True

    def install(self) -> None:
        """On every handler of the root logger: filters on a logger miss records that
        propagate from its children, filters on handlers see everything they write."""
        for handler in logging.getLogger().handlers:
            if self not in handler.filters:
                handler.addFilter(self)
                self._handlers.append(handler)

    def remove(self) -> None:
        for handler in self._handlers:
            handler.removeFilter(self)
        self._handlers.clear()
