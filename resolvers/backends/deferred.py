"""Parts of an upstream payload validated when first read, not with the rest.

oncall's answer for one team carries every member's details (with their contacts) and every
roster's schedules. Most queries read neither: a join on roster members reads names only. Yet
validating those parts into models costs more than the rest of the answer (about two thirds
of it), and the objects built are only freed again at the end of the request. A field typed
``Deferred[T]`` keeps its part as parsed JSON; :meth:`Deferred.get` validates it into ``T`` the
first time anything reads it, and keeps the result.

What then does not fit is the upstream's bad response all the same: the client that read the
payload passes an :class:`Origin` as pydantic's validation context, and ``get`` raises the
error that client's own validation would have raised (``UpstreamBadResponse``, naming the
service and the request). Only the fields that read the broken part fail; the rest of the
answer is served.
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar, get_args

import pydantic
from pydantic_core import CoreSchema, core_schema

T = TypeVar("T")


class Origin(Protocol):
    """Where a payload came from: turns a part of it that does not fit into that client's
    error (what the client raises when the whole payload does not fit)."""

    def invalid(self, exc: pydantic.ValidationError, within: str | None) -> Exception: ...


class Deferred(Generic[T]):
    """A part of a payload, validated into ``T`` by the first :meth:`get`."""

    __slots__ = ("_adapter", "_field", "_origin", "_raw", "_value")

    def __init__(
        self,
        raw: object,
        adapter: pydantic.TypeAdapter[T] | None,
        origin: Origin | None = None,
        field: str | None = None,
    ) -> None:
        self._raw = raw  # parsed JSON (or, built in Python, anything `T` validates from)
        self._adapter = adapter  # None once validated
        self._origin = origin
        self._field = field  # the model field it is, named in the error
        self._value: T | None = None

    @classmethod
    def ready(cls, value: T) -> Deferred[T]:
        """A value already validated (a default, or a part filtered by a client)."""
        done: Deferred[T] = cls(None, None)
        done._value = value
        return done

    def get(self) -> T:
        adapter = self._adapter
        if adapter is not None:
            try:
                self._value = adapter.validate_python(self._raw)
            except pydantic.ValidationError as exc:
                if self._origin is None:
                    raise
                raise self._origin.invalid(exc, self._field) from exc
            self._adapter, self._raw = None, None  # concurrent readers validate alike
        return self._value  # type: ignore[return-value]  # set by validation or `ready`

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Deferred) and self.get() == other.get()

    __hash__ = None  # type: ignore[assignment]  # equal by value, like the list or dict inside

    def __repr__(self) -> str:
        shown = repr(self._value) if self._adapter is None else "not validated yet"
        return f"Deferred({shown})"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: pydantic.GetCoreSchemaHandler
    ) -> CoreSchema:
        (inner,) = get_args(source) or (Any,)
        adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(inner)

        def defer(value: Any, info: core_schema.ValidationInfo) -> Deferred[Any]:
            if isinstance(value, Deferred):
                return value
            # Our clients pass their Origin as the context; any other context is not one.
            context = info.context
            origin = context if hasattr(context, "invalid") else None
            return cls(value, adapter, origin, info.field_name)

        def dump(value: Deferred[Any], info: core_schema.SerializationInfo) -> Any:
            if info.mode_is_json():
                return adapter.dump_python(value.get(), mode="json", by_alias=info.by_alias)
            return adapter.dump_python(value.get(), by_alias=info.by_alias)

        return core_schema.with_info_plain_validator_function(
            defer,
            serialization=core_schema.plain_serializer_function_ser_schema(dump, info_arg=True),
            metadata={_MARK: True},
        )


_MARK = "teamgraph.deferred"


def holds_deferred(schema: object) -> bool:
    """Whether a pydantic core schema has a `Deferred` part anywhere in it.

    Such a payload is best decoded by orjson first and validated from Python: its deferred
    parts are then kept as orjson built them, which pydantic's own JSON parser, handing an
    untyped part to a Python function, builds about twice as slowly."""
    if isinstance(schema, dict):
        metadata = schema.get("metadata")
        if isinstance(metadata, dict) and metadata.get(_MARK):
            return True
        return any(holds_deferred(value) for value in schema.values())
    if isinstance(schema, list):
        return any(holds_deferred(value) for value in schema)
    return False
