"""Group -1: runs before every other handler. Ignores group chats and drops repeated updates.

The update id is recorded in the inbox's transaction (bot.inbox): a crash while handling rolls the record
back with everything else, so the update is handled again, not lost.

Her person row and locale are loaded once per update by the use case, inside its own transaction (with a
row lock), rather than here: loading them twice would be a second query and a window for a race.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from handlers.context import BotContext
from handlers.women import sender_of

__all__ = ["gate"]

log = logging.getLogger(__name__)


async def gate(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if update.callback_query is not None and chat is None:
        # A button on a message we cannot see (an inline message): stop its spinner, nothing more.
        await update.callback_query.answer()
        raise ApplicationHandlerStop
    if chat is None or chat.type != ChatType.PRIVATE or update.effective_user is None:
        # The bot talks one to one only: in a group a woman's words would be seen by others.
        raise ApplicationHandlerStop
    if not await context.services.first_time_update(
        update.update_id, telegram_user_id=update.effective_user.id
    ):
        log.info("update %s was delivered again; ignored", update.update_id)
        raise ApplicationHandlerStop
    message = update.message
    if message is not None and (message.text or "").startswith("/"):
        # A command ends a translation suggestion she may have started: it is not the suggestion.
        await context.services.translations.cancel(sender=sender_of(update))
