"""Group -1: runs before every other handler. Ignores group chats; says who is writing and where she is.

Updates reach the Application only through the inbox (bot.inbox), which has already dropped an update
delivered twice, and which handles each one in a single transaction: what the gate reads here, locked, is
what the use cases find later in the same update (storage.whois), so her rows are read once.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from handlers.context import BotContext
from handlers.women import sender_of

__all__ = ["gate"]


async def gate(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if update.callback_query is not None and chat is None:
        # A button on a message we cannot see (an inline message): stop its spinner, nothing more.
        await update.callback_query.answer()
        raise ApplicationHandlerStop
    if chat is None or chat.type != ChatType.PRIVATE or update.effective_user is None:
        # The bot talks one to one only: in a group a woman's words would be seen by others.
        raise ApplicationHandlerStop
    services = context.services
    situation = await services.whereabouts.resolve(
        telegram_user_id=update.effective_user.id, now=services.clock()
    )
    context.situation = situation
    message = update.message
    if situation.translating and message is not None and (message.text or "").startswith("/"):
        # A command ends a translation suggestion she may have started: it is not the suggestion.
        await services.translations.cancel(sender=sender_of(update))
