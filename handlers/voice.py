"""The key screens said aloud (bot.voice): /listen for a woman, /record for a Bydelsmor."""

from __future__ import annotations

from telegram import Update

from handlers.buttons import on_press
from handlers.context import BotContext
from handlers.render import deliver
from handlers.women import incoming_of, sender_of

__all__ = ["on_listen", "on_listen_button", "on_record", "on_record_button", "take_recording"]


async def on_listen(update: Update, context: BotContext) -> None:
    await deliver(await context.services.recordings.ask_listen(sender=sender_of(update)), update, context)


async def on_listen_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    outcome = await context.services.recordings.answer_listen(
        sender=sender_of(update), listen=query.data == "listen:yes", now=context.services.clock()
    )
    await deliver(outcome, update, context)


async def on_record(update: Update, context: BotContext) -> None:
    await deliver(await context.services.recordings.open(sender=sender_of(update)), update, context)


on_record_button = on_press(lambda services: services.recordings.press)


async def take_recording(update: Update, context: BotContext) -> bool:
    """If she is recording a key screen, this voice note is it. True when it was handled.

    Routed here only while she is recording (bot.routing); anything but a voice note ends the recording
    and goes on to her other flows, so a text to her woman is never held up by an open /record.
    """
    if update.message is None:
        return False
    outcome = await context.services.recordings.receive(
        sender=sender_of(update), incoming=incoming_of(update), now=context.services.clock()
    )
    if outcome is None:
        return False
    await deliver(outcome, update, context)
    return True
