"""What every part of the Team O'clock client shares: its error body, its ``{"data": ...}``
writes and the small encoders of paths, filters and bodies.

The client is split by concept (``teamoclock_org``, ``teamoclock_meetings``, and action items
and the timeline in ``teamoclock``); each part subclasses :class:`TeamOclockBase`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar
from urllib.parse import quote

import httpx
import orjson

from resolvers.backends.base import BaseClient
from resolvers.backends.errors import Service
from resolvers.backends.teamoclock_models import Data, M


class TeamOclockBase(BaseClient):
    service: ClassVar[Service] = "teamoclock"

    def error_detail(self, response: httpx.Response) -> str | None:
        """``title: detail`` from ``{"error": {status, code, title, detail}}``.

        The API words every 400 the same ("Invalid request: Enter a valid json body"),
        whatever was wrong, so that is all a caller can be told.
        """
        error = orjson.loads(response.content)["error"]
        said = [str(error[key]) for key in ("title", "detail") if error.get(key)]
        return ": ".join(said) or None

    async def _write(
        self, method: str, path: str, tp: type[Data[M]], data: object, *, expect: int = 200
    ) -> M:
        """Send ``{"data": data}``; the ``data`` of the answer, parsed as `tp`."""
        return (await self._write_status(method, path, tp, data, expect=(expect,)))[0]

    async def _write_status(
        self, method: str, path: str, tp: type[Data[M]], data: object, *, expect: tuple[int, ...]
    ) -> tuple[M, int]:
        """:meth:`_write` for writes whose status means something (200 "already there")."""
        response = await self.send(method, path, json={"data": data}, expect=expect)
        parsed: Data[M] = self.read_model(tp, response, where=f"{method} {path}")
        return parsed.data, response.status_code

    async def _delete(self, path: str, *, data: object = None) -> None:
        """A DELETE answered by an empty 204 (``data``: the body the request carries)."""
        await self.send("DELETE", path, json=None if data is None else {"data": data},
                        expect=(204,))  # fmt: skip


def data_of(envelope: Data[M] | None) -> M | None:
    return None if envelope is None else envelope.data


def segment(value: str) -> str:
    """One path segment: ids come from callers, so `/` or `?` must not change the path."""
    return quote(value, safe="")


def filters(**values: str | None) -> dict[str, str]:
    """`filter[name]=value` parameters for the values that are set."""
    return {f"filter[{name}]": value for name, value in values.items() if value is not None}


def given(**values: str | bool | None) -> dict[str, str | bool]:
    """The body fields a caller set: an absent field is left as it is (PATCH) or defaulted."""
    return {name: value for name, value in values.items() if value is not None}


def usernames_body(usernames: Iterable[str]) -> list[dict[str, str]]:
    """``[{"username": ...}]``, the body of team membership writes."""
    return [{"username": username} for username in usernames]
