"""The course for Bydelsmødre: /course and its buttons."""

from __future__ import annotations

from telegram import Update

from handlers.context import BotContext
from handlers.render import deliver
from handlers.women import sender_of

__all__ = ["on_course", "on_course_button"]


async def on_course(update: Update, context: BotContext) -> None:
    outcome = await context.services.course.show(
        telegram_user_id=sender_of(update).telegram_user_id, now=context.services.clock()
    )
    await deliver(outcome, update, context)


async def on_course_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    outcome = await context.services.course.press(
        telegram_user_id=sender_of(update).telegram_user_id,
        data=query.data or "",
        now=context.services.clock(),
    )
    await deliver(outcome, update, context)
