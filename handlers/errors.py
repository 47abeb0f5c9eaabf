"""The one error handler: log it, and tell the person kindly instead of going silent."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot import screens
from bot.i18n import texts
from handlers.context import BotContext

__all__ = ["on_error"]

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    if isinstance(context.error, Forbidden):
        log.info("a person blocked the bot: %s", context.error)
        return
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        reply = screens.something_went_wrong(texts(context.locale.code))
        await context.bot.send_message(update.effective_chat.id, reply.text)
    except TelegramError:
        log.warning("could not tell the person about the error", exc_info=True)
