"""The one web server of the process (the dashboard, and the webhook), run in the bot's event loop.

The dashboard and the webhook share the process with the women's bot, so no request body is read whole
before its size is known: `read_body` refuses a body that is, or says it is, longer than its route allows.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator

import uvicorn
from starlette.requests import Request
from starlette.types import ASGIApp

__all__ = ["WebServer", "read_body"]


async def read_body(request: Request, *, limit: int) -> bytes | None:
    """The request's body, or None when it is longer than `limit` bytes.

    A Content-Length over the limit is refused before a byte is read; a body without one (chunked) is read
    chunk by chunk and given up as soon as it passes the limit. So at most `limit` bytes and one chunk are
    ever held, whatever the sender claims or streams.
    """
    claimed = request.headers.get("content-length")
    if claimed is not None and (not claimed.isascii() or not claimed.isdigit() or len(claimed) > 18):
        return None
    if claimed is not None and int(claimed) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class _QuietServer(uvicorn.Server):
    """uvicorn without its own signal handling: our event loop owns Ctrl-C."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class WebServer:
    """Serve an ASGI app as a task; `port=0` picks a free port, which `port` tells after `start()`."""

    def __init__(self, app: ASGIApp, *, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: _QuietServer | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", timeout_graceful_shutdown=2)
        self._server = _QuietServer(config)
        self._task = asyncio.get_running_loop().create_task(self._server.serve(sockets=[sock]), name="web")
        while not self._server.started:
            if self._task.done():
                sock.close()
                self._task.result()
                raise RuntimeError("the web server stopped while starting")
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
        self._server = self._task = None
