"""The outbox's Messenger, made of PTB's Bot: Telegram's errors turned into the outbox's."""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot.outbox import BlockedError, RejectedError, RetryLaterError, UnreachableError
from handlers.pacing import ALREADY_PACED, retry_after_seconds

__all__ = ["BotMessenger"]

# The outbox stores Bot API calls as data and replays them with do_api_request, on purpose; PTB would rather
# each be its own method call and says so every time.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.", category=PTBUserWarning)


class BotMessenger:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        try:
            if isinstance(self._bot, ExtBot) and self._bot.rate_limiter is not None:
                # The outbox took its slot from the shared pacer before it claimed the row.
                return await self._bot.do_api_request(
                    method, api_kwargs=payload, rate_limit_args=ALREADY_PACED
                )
            return await self._bot.do_api_request(method, api_kwargs=payload)
        except Forbidden as error:
            raise BlockedError(str(error)) from error
        except RetryAfter as error:
            raise RetryLaterError(retry_after_seconds(error)) from error
        except BadRequest as error:
            raise RejectedError(error.message) from error
        except (TimedOut, NetworkError) as error:
            raise UnreachableError(str(error)) from error
