"""A button handler for every use case that answers a press the same way: her, the button's data, now."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any, Protocol

from telegram import Update

from bot.onboarding.service import Sender
from bot.services import Services
from bot.ui import Outcome
from handlers.context import BotContext
from handlers.render import deliver
from handlers.women import sender_of

__all__ = ["Press", "on_press"]


class Press(Protocol):
    async def __call__(self, *, sender: Sender, data: str, now: datetime) -> Outcome: ...


def on_press(
    use_case: Callable[[Services], Press],
) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """The handler that passes a pressed button to `use_case(services)` and delivers what it says."""

    async def handle(update: Update, context: BotContext) -> None:
        query = update.callback_query
        if query is None:
            return
        press = use_case(context.services)
        outcome = await press(sender=sender_of(update), data=query.data or "", now=context.services.clock())
        await deliver(outcome, update, context)

    return handle
