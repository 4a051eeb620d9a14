"""What every part of the Tempo client shares: model bases, the request helpers, and the
error body. The concepts build on :class:`TempoBase` in ``tempo_<concept>.py``."""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime
from typing import Annotated, Generic, TypeVar
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from resolvers.backends.base import BaseClient, QueryParams
from resolvers.backends.errors import UpstreamNotFound

M = TypeVar("M", bound=BaseModel)


def _as_utc(moment: datetime) -> datetime:
    # Tempo writes "2017-02-23T15:07:00Z"; a timestamp without an offset is UTC too.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


Timestamp = Annotated[datetime, AfterValidator(_as_utc)]


class TempoModel(BaseModel):
    """A payload Tempo answers with: camelCase on the wire, frozen, unknown fields ignored."""

    # Attribute docstrings become field descriptions, here and in the GraphQL types
    # derived from these models (schema/services).
    model_config = ConfigDict(
        populate_by_name=True,
        extra="ignore",
        frozen=True,
        alias_generator=to_camel,
        use_attribute_docstrings=True,
    )


class TempoInput(BaseModel):
    """A body Tempo accepts: camelCase on the wire, frozen, unknown fields refused (a typo
    would otherwise be dropped silently); ``None`` fields are left out of the body."""

    # Attribute docstrings describe the fields, here and in the GraphQL inputs derived from
    # these models (schema/services/tempo/mutations*.py).
    model_config = ConfigDict(
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        alias_generator=to_camel,
        use_attribute_docstrings=True,
    )

    def body(self) -> dict[str, object]:
        dumped: dict[str, object] = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return dumped


def lift(data: object, source: str, key: str, target: str) -> object:
    """Set ``data[target]`` to ``data[source][key]``: flattens Tempo's nested wrappers
    (``issue.key``, ``memberships.active``, ``teams.values``) into plain fields."""
    if isinstance(data, dict) and (target == source or target not in data):
        inner = data.get(source)
        if isinstance(inner, dict) and key in inner:
            return {**data, target: inner[key]}
    return data


def id_in_url(url: object, after: str) -> str | None:
    """The path segment following ``/{after}/`` in a URL (``/teams/7`` -> "7"), or the
    ``accountId`` of a Jira user URL when `after` is "accountId"."""
    return _id_in_text(str(url or ""), after)


@functools.lru_cache(maxsize=4096)  # every member of a team links the same team URL
def _id_in_text(text: str, after: str) -> str | None:
    if after == "accountId":
        return next(iter(parse_qs(urlsplit(text).query).get("accountId", [])), None)
    found = _segment_after(after).search(text)
    return found.group(1) if found else None


@functools.cache
def _segment_after(after: str) -> re.Pattern[str]:
    # Compiled once per name: validators call `id_in_url` for every item of a list.
    return re.compile(rf"/{re.escape(after)}/([^/?#]+)")


class UserRef(TempoModel):
    """A Jira user as Tempo embeds one; Tempo has no user endpoint of its own."""

    account_id: str
    """The Atlassian account id."""
    display_name: str
    """The name Jira shows."""


class Period(TempoModel):
    """A timesheet period: the days one timesheet covers."""

    from_: date = Field(alias="from")
    """The period's first day."""
    to: date
    """The period's last day (inclusive)."""


class _Collection(TempoModel, Generic[M]):
    results: list[M]


@functools.cache
def _collection(tp: type[M]) -> type[_Collection[M]]:
    # Parametrised once per item type: pydantic's own cache of `_Collection[tp]` works out
    # its key on every lookup.
    return _Collection[tp]  # type: ignore[valid-type]


class TempoBase(BaseClient):
    """The request helpers every Tempo concept uses."""

    service = "tempo"

    def error_detail(self, response: httpx.Response) -> str | None:
        # 400/403/404 carry {"errors": [{"message": ...}, ...]}; 401 has no body at all.
        if not response.content:
            return None
        errors = orjson.loads(response.content)["errors"]
        return "; ".join(str(e["message"]) for e in errors) or None

    async def _list(self, path: str, tp: type[M], params: QueryParams = None) -> list[M]:
        return (await self.get_model(path, _collection(tp), params=params)).results

    async def _list_or_empty(self, path: str, tp: type[M], params: QueryParams = None) -> list[M]:
        # Lists under a parent that does not exist (an unknown team) are empty, not errors.
        try:
            return await self._list(path, tp, params)
        except UpstreamNotFound:
            return []

    async def _write(
        self,
        method: str,
        path: str,
        tp: type[M],
        body: TempoInput | dict[str, object] | None,
        params: QueryParams = None,
    ) -> M:
        """POST or PUT a body; Tempo answers 200 with the object (creates too)."""
        data = body.body() if isinstance(body, TempoInput) else body
        response = await self.send(method, path, params=params, json=data)
        return self.read_model(tp, response, where=f"{method} {path}")

    async def _delete(self, path: str) -> None:
        """DELETE answers 204 with no body; a 404 raises ``UpstreamNotFound``."""
        await self.send("DELETE", path, expect=(204,))


def seg(value: str | int) -> str:
    """A path segment; accountIds keep their ":" ("557058:f58…"), nothing else is special."""
    return quote(str(value), safe=":")


def dates(**named: date | None) -> dict[str, str]:
    """Query dates in Tempo's spelling, absent ones left out (``from_`` -> ``from``)."""
    return {to_camel(k.rstrip("_")): d.isoformat() for k, d in named.items() if d}
