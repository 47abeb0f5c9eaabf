"""An in-process connection from python-telegram-bot to the stand-in: no sockets, fast tests.

Usage::

    standin = StandIn()
    bot = telegram.Bot(standin.token, request=StandInRequest(standin),
                       get_updates_request=StandInRequest(standin))
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from sandbox.standin import StandIn

__all__ = ["StandInRequest"]

_METHOD_RE = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[^/]+)$")
_FILE_RE = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)$")


class StandInRequest(BaseRequest):
    """A ``telegram.request.BaseRequest`` that hands each call to ``StandIn.call`` in the same loop.

    Parameters are passed as Telegram receives them from python-telegram-bot's HTTP client: every
    value a string (objects JSON-encoded), files as multipart parts, so that the stand-in checks
    types exactly as Telegram does.
    """

    def __init__(self, standin: StandIn, *, read_timeout: float | None = 5.0) -> None:
        self.standin = standin
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer a Bot API call or a file download the way api.telegram.org would."""
        parts = urlsplit(url)
        path = unquote(parts.path)  # PTB quotes file URLs (the token's ":" becomes %3A)
        query = dict(parse_qsl(parts.query))
        file_match = _FILE_RE.search(path)
        if file_match:
            return self._download(file_match["token"], file_match["path"])
        match = _METHOD_RE.search(path)
        if match is None:
            return 404, json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}).encode()
        params: dict[str, Any] = dict(query)
        files: dict[str, tuple[str, bytes, str]] = {}
        if request_data is not None:
            params.update(request_data.json_parameters)
            for part, (filename, content, mime) in request_data.multipart_data.items():
                data = content if isinstance(content, bytes) else content.read()
                files[part] = (filename, data, mime)
        timeout = self._read_timeout if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout
        try:
            status, body = await asyncio.wait_for(
                self.standin.call(match["token"], match["method"], params, files or None), timeout
            )
        except TimeoutError as exc:
            raise TimedOut from exc
        return status, json.dumps(body, ensure_ascii=False).encode("utf-8")

    def _download(self, token: str, file_path: str) -> tuple[int, bytes]:
        stored = self.standin.file_by_path(file_path)
        if token != self.standin.token:
            return 401, b'{"ok":false,"error_code":401,"description":"Unauthorized"}'
        if stored is None:
            return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
        return 200, stored.data
