"""The Bydelsmødre's side. Today: /translate, to review the bot's texts in their languages."""

from __future__ import annotations

from telegram import Update

from handlers.context import BotContext
from handlers.render import deliver
from handlers.women import sender_of

__all__ = ["on_translate", "on_translate_button", "take_suggestion"]


async def on_translate(update: Update, context: BotContext) -> None:
    await deliver(await context.services.translations.open(sender=sender_of(update)), update, context)


async def on_translate_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    outcome = await context.services.translations.press(
        sender=sender_of(update), data=query.data or "", now=context.services.clock()
    )
    await deliver(outcome, update, context)


async def take_suggestion(update: Update, context: BotContext) -> bool:
    """If she is writing a better translation, this new message is it. True when it was handled."""
    if update.message is None:  # an edited message is never a suggestion
        return False
    text = update.message.text
    outcome = await context.services.translations.receive(
        sender=sender_of(update), text=text, now=context.services.clock()
    )
    if outcome is None:
        return False
    await deliver(outcome, update, context)
    return True
