"""What every part of :class:`~resolvers.backends.oncall.OncallClient` shares: the error
reading, path building and the shapes of oncall's write answers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar
from urllib.parse import quote

import httpx
import orjson

from resolvers.backends.base import BaseClient
from resolvers.backends.oncall_models import Names, _Created

T = TypeVar("T")
Params = Mapping[str, str | int | Sequence[str]]

# Creates answer 201 on 2.1.7, though some doc examples show 200; PUTs 200 (users: 204).
CREATED = (200, 201)
DONE = (200, 204)
_STATUS_TITLE = re.compile(r"\d{3} ")  # falcon's default titles, "400 Bad Request"


def seconds(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def path(*parts: str) -> str:
    # Names may hold spaces, '#', '?' or '%': encode every segment completely.
    return "/" + "/".join(quote(p, safe="") for p in parts)


def given(**values: object) -> dict[str, object]:
    """The keyword arguments that were passed (not None): a partial update's body."""
    return {k: v for k, v in values.items() if v is not None}


class OncallBase(BaseClient):
    service = "oncall"

    def error_detail(self, response: httpx.Response) -> str | None:
        """The server's reason, one line: ``title: description``, or just the description
        when the title is falcon's generic ``400 Bad Request``."""
        body = orjson.loads(response.content)
        title, description = body.get("title"), body.get("description")
        if not description:
            return str(title) if title else None
        if not title or _STATUS_TITLE.match(title):
            return str(description)
        return f"{title}: {description}"

    async def _names(self, where: str, *, params: Params | None = None) -> list[str]:
        return await self.get_model(where, Names, params=params)

    async def _write(
        self, method: str, where: str, body: object = None, *, expect: Iterable[int] = DONE
    ) -> httpx.Response:
        return await self.send(method, where, json=body, expect=expect)

    async def _create(self, where: str, body: object, tp: type[T]) -> T:
        """POST ``body``; the answer parsed as ``tp``."""
        response = await self._write("POST", where, body, expect=CREATED)
        return self.read_model(tp, response, where=f"POST {where}")

    async def _created_id(self, where: str, body: object) -> int:
        """POST ``body``; the ``{"id": n}`` it answers."""
        return (await self._create(where, body, _Created)).id
