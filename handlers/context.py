"""The typed context every handler receives: `context.services` instead of a bot_data dictionary."""

from __future__ import annotations

from typing import Any, cast

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.routing import Situation
from bot.services import Services

__all__ = ["BotContext", "BydelsmorApplication"]


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Built once per update; `services` holds the use cases, `situation` who wrote (set by the gate)."""

    situation: Situation | None = None

    @property
    def services(self) -> Services:
        return cast(BydelsmorApplication, self.application).services


class BydelsmorApplication(
    Application[
        ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[BotContext]
    ]
):
    """PTB's Application, carrying the services built at start."""

    def __init__(self, *, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
