"""PTB's rate limiter on the process's SendPacer: inline replies share one budget with the outbox.

PTB's AIORateLimiter counts only what goes through the Bot and allows the full 30 a second, so with the
outbox's own pacing beside it a burst drew 429s, and each paused all sending. Here every call to a chat
waits for a slot of the same sliding window the outbox sender uses (below 30 a second in all). The outbox
paces its own calls before it claims them and passes `ALREADY_PACED`, so they are not counted twice.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.metrics import Metrics
from bot.pacing import SendPacer

__all__ = ["ALREADY_PACED", "PacedRateLimiter", "retry_after_seconds"]

log = logging.getLogger(__name__)

ALREADY_PACED = True  # rate_limit_args of a call whose slot was taken before it was made (the outbox)

# PTB 22.2 deprecated time periods as whole seconds (`RetryAfter.retry_after` as an int, with a warning on
# every read); with PTB_TIMEDELTA set they are timedeltas, the type of PTB's next major version. Read when
# an attribute is read, so setting it here, imported with the Bot's rate limiter, is early enough.
os.environ.setdefault("PTB_TIMEDELTA", "true")


def retry_after_seconds(error: RetryAfter) -> float:
    """How long Telegram asks us to wait (whole seconds only if someone set PTB_TIMEDELTA=false)."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class PacedRateLimiter(BaseRateLimiter[bool]):
    def __init__(self, pacer: SendPacer, *, max_retries: int = 3, metrics: Metrics | None = None) -> None:
        self._pacer = pacer
        self._max_retries = max_retries
        self._metrics = metrics or Metrics()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: bool | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat = data.get("chat_id")
        paced = rate_limit_args is ALREADY_PACED or chat is None  # answerCallbackQuery, setMyCommands ...
        chat_id = (
            int(chat)
            if isinstance(chat, int) or (isinstance(chat, str) and chat.lstrip("-").isdigit())
            else None
        )
        for attempt in range(self._max_retries + 1):
            if not paced:
                # In a private chat a reply and its follow-up go together, as PTB's limiter lets them; a group
                # keeps Telegram's per-chat pace.
                await self._pacer.acquire(chat_id, per_chat=chat_id is not None and chat_id < 0)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                self._pacer.pause(seconds + 0.1)  # Telegram's flood control holds the whole bot
                if attempt == self._max_retries or paced:
                    raise
                log.info("Telegram asked to wait %.0f s (%s); trying again", seconds, endpoint)
                self._metrics.retried("reply")
        raise AssertionError("unreachable")
