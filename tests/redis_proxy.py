"""A TCP stand-in for Redis that tests can break: in front of a real redis-server it passes
bytes through until told to refuse or hang; with no server behind it, it is a Redis that
accepts connections and never answers. It counts the connections it accepted, so a test
sees how often the gateway tried Redis."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Literal

Mode = Literal["pass", "refuse", "hang"]


class RedisProxy:
    def __init__(self, target_port: int | None = None, *, mode: Mode = "pass") -> None:
        self.target_port = target_port
        self.mode: Mode = mode if target_port is not None else "hang"
        self.connections = 0
        self._open: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"redis://127.0.0.1:{port}/0"

    async def start(self) -> RedisProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    def switch(self, mode: Mode) -> None:
        """From now on: pass, refuse (close every connection at once) or hang (answer
        nothing). Connections already open are cut, as when Redis goes away."""
        self.mode = mode
        for writer in list(self._open):
            writer.close()

    async def close(self) -> None:
        self.switch("refuse")
        for task in list(self._tasks):
            task.cancel()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        if self.mode == "refuse":
            writer.close()
            return
        ends = {writer}
        self._open.add(writer)
        try:
            if self.mode == "hang" or self.target_port is None:
                while await reader.read(65536):
                    pass  # read what the client sends, and never answer
                return
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
            ends.add(up_writer)
            self._open.add(up_writer)
            back = asyncio.ensure_future(_pipe(up_reader, writer))
            self._tasks.add(back)
            back.add_done_callback(self._tasks.discard)
            await _pipe(reader, up_writer)
            back.cancel()
        except ConnectionError:
            pass
        finally:
            for end in ends:
                self._open.discard(end)
                end.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, asyncio.CancelledError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()
