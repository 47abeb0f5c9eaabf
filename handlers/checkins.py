"""Check-in answers: the buttons, and her words after "would you like to tell us more?"."""

from __future__ import annotations

from telegram import Update

from handlers.context import BotContext
from handlers.render import deliver
from handlers.women import sender_of

__all__ = ["on_checkin_button", "take_comment"]


async def on_checkin_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    outcome = await context.services.checkins.answer(
        telegram_user_id=sender_of(update).telegram_user_id,
        data=query.data or "",
        now=context.services.clock(),
    )
    await deliver(outcome, update, context)


async def take_comment(update: Update, context: BotContext) -> bool:
    message = update.message
    if message is None:
        return False
    voice = message.voice.file_id if message.voice is not None else None
    outcome = await context.services.checkins.take_comment(
        telegram_user_id=sender_of(update).telegram_user_id,
        text=message.text,
        voice_file_id=voice,
        now=context.services.clock(),
    )
    if outcome is None:
        return False
    await deliver(outcome, update, context)
    return True
