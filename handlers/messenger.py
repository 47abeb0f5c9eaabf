"""The outbox's Messenger, made of PTB's Bot: Telegram's errors turned into the outbox's."""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBUserWarning

from bot.outbox import BlockedError, RejectedError, RetryLaterError, UnreachableError

__all__ = ["BotMessenger"]

# The outbox stores Bot API calls as data and replays them with do_api_request, on purpose; PTB would rather
# each be its own method call and says so every time.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.", category=PTBUserWarning)


class BotMessenger:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        try:
            return await self._bot.do_api_request(method, api_kwargs=payload)
        except Forbidden as error:
            raise BlockedError(str(error)) from error
        except RetryAfter as error:
            seconds = (
                error.retry_after.total_seconds()
                if hasattr(error.retry_after, "total_seconds")
                else error.retry_after
            )
            raise RetryLaterError(float(seconds)) from error
        except BadRequest as error:
            raise RejectedError(error.message) from error
        except (TimedOut, NetworkError) as error:
            raise UnreachableError(str(error)) from error
