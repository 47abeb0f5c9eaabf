"""Every Bot API call's answer, counted for /metrics: one wrapper around PTB's HTTP client.

The inline replies, the outbox, getUpdates and the tick's getMe all go through PTB's request object, so
wrapping it counts them all in one place: messages sent per method, 429s, refusals by status, and when
Telegram last answered getMe (for /readyz). Only the method's name and the status are looked at.
"""

from __future__ import annotations

import re

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.metrics import Metrics

__all__ = ["CountingRequest", "counted_requests"]

_METHOD = re.compile(r"/bot[^/]+/(?P<method>[A-Za-z]+)$")  # .../bot<token>/sendMessage; files are not calls


class CountingRequest(BaseRequest):
    def __init__(self, inner: BaseRequest, metrics: Metrics) -> None:
        self._inner = inner
        self._metrics = metrics

    @property
    def read_timeout(self) -> float | None:
        return self._inner.read_timeout

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        status, payload = await self._inner.do_request(
            url,
            method,
            request_data=request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        called = _METHOD.search(url)
        if called is not None:
            self._metrics.telegram_answered(method=called["method"], status=status)
        return status, payload


def counted_requests(metrics: Metrics, inner: BaseRequest | None) -> tuple[BaseRequest, BaseRequest]:
    """The request objects for the Bot API calls and for getUpdates, as PTB would make them, counted.

    PTB's own defaults: a pool of 256 connections for calls, one for getUpdates (which waits on its own).
    """
    if inner is not None:
        counted = CountingRequest(inner, metrics)
        return counted, counted
    return (
        CountingRequest(HTTPXRequest(connection_pool_size=256), metrics),
        CountingRequest(HTTPXRequest(connection_pool_size=1), metrics),
    )
