"""The women's side: each handler reads the update, calls one use case, and delivers what it says."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from bot.onboarding.service import Incoming, Sender
from bot.volunteers.service import INVITE_PREFIX
from handlers.context import BotContext
from handlers.render import deliver

__all__ = [
    "on_button",
    "on_help",
    "on_language",
    "on_my_data",
    "on_start",
    "on_stop",
    "sender_of",
    "take_message",
]


def sender_of(update: Update) -> Sender:
    user = update.effective_user
    if user is None:  # the gate lets no such update through
        raise ValueError("update without a user")
    return Sender(telegram_user_id=user.id, language_code=user.language_code)


def incoming_of(update: Update) -> Incoming:
    message = update.effective_message
    if message is None:
        return Incoming(kind="other")
    if message.location is not None:
        return Incoming(
            kind="location", latitude=message.location.latitude, longitude=message.location.longitude
        )
    if message.voice is not None:
        return Incoming(kind="voice", file_id=message.voice.file_id)
    if message.audio is not None:
        return Incoming(kind="voice", file_id=message.audio.file_id)
    if message.photo:
        return Incoming(kind="photo", file_id=message.photo[-1].file_id, text=message.caption)
    if message.text is not None:
        return Incoming(kind="text", text=message.text)
    return Incoming(kind="other")


async def on_start(update: Update, context: BotContext) -> None:
    payload = context.args[0] if context.args else None
    now = context.services.clock()
    if payload and payload.startswith(INVITE_PREFIX):
        token = payload.removeprefix(INVITE_PREFIX)
        outcome = await context.services.volunteers.join(sender=sender_of(update), token=token, now=now)
    else:
        outcome = await context.services.onboarding.start(sender=sender_of(update), payload=payload, now=now)
    await deliver(outcome, update, context)


async def on_language(update: Update, context: BotContext) -> None:
    await deliver(await context.services.onboarding.show_languages(sender=sender_of(update)), update, context)


async def on_help(update: Update, context: BotContext) -> None:
    """A woman's help as it always was; a Bydelsmor's /help offers her coordinator (bot.group)."""
    outcome = await context.services.onboarding.help(sender=sender_of(update))
    situation = context.situation
    if situation is not None and situation.bydelsmor:
        outcome = await context.services.questions.help(sender=sender_of(update), base=outcome)
    await deliver(outcome, update, context)


async def on_my_data(update: Update, context: BotContext) -> None:
    await deliver(await context.services.onboarding.my_data(sender=sender_of(update)), update, context)


async def on_stop(update: Update, context: BotContext) -> None:
    await deliver(await context.services.onboarding.ask_stop(sender=sender_of(update)), update, context)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    outcome = await context.services.onboarding.press(
        sender=sender_of(update), data=query.data or "", now=context.services.clock()
    )
    await deliver(outcome, update, context)


async def take_message(update: Update, context: BotContext) -> bool:
    """The onboarding answers anything no other flow took: it always takes the message."""
    incoming = incoming_of(update)
    if update.edited_message is not None:
        incoming = replace(incoming, edited=True)
    outcome = await context.services.onboarding.receive(
        sender=sender_of(update), incoming=incoming, now=context.services.clock()
    )
    await deliver(outcome, update, context)
    return True
