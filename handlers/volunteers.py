"""The Bydelsmødre's side: joining, /profile, /pause, /resume, offers, /switch, and /translate."""

from __future__ import annotations

from telegram import Update

from bot.domain.ids import record_id
from handlers.buttons import on_press
from handlers.context import BotContext
from handlers.render import deliver
from handlers.women import incoming_of, sender_of

__all__ = [
    "on_pause",
    "on_profile",
    "on_resume",
    "on_switch",
    "on_translate",
    "on_translate_button",
    "on_volunteer_button",
    "take_setup_answer",
    "take_suggestion",
]


async def on_translate(update: Update, context: BotContext) -> None:
    await deliver(await context.services.translations.open(sender=sender_of(update)), update, context)


on_translate_button = on_press(lambda services: services.translations.press)


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


async def take_setup_answer(update: Update, context: BotContext) -> bool:
    """Her answer while she joins or edits her profile. True when it was one."""
    if update.message is None:
        return False
    outcome = await context.services.volunteers.receive(
        sender=sender_of(update), incoming=incoming_of(update), now=context.services.clock()
    )
    if outcome is None:
        return False
    await deliver(outcome, update, context)
    return True


async def on_volunteer_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = query.data or ""
    services = context.services
    sender, now = sender_of(update), services.clock()
    kind, _, rest = data.partition(":")
    # Ids in button data are read by one parser: one out of range is answered as an unknown one.
    if kind == "offer":
        answer, _, offer_id = rest.partition(":")
        outcome = await services.volunteers.answer_offer(
            sender=sender, offer_id=record_id(offer_id), accept=answer == "yes", now=now
        )
    elif kind in ("route", "switch"):
        outcome = await services.relay.route_pending(
            telegram_user_id=sender.telegram_user_id, match_id=record_id(rest), now=now
        )
    elif kind == "end":
        match_id, _, reason = rest.partition(":")
        outcome = await services.relay.end(
            telegram_user_id=sender.telegram_user_id, match_id=record_id(match_id), reason=reason, now=now
        )
    else:
        outcome = await services.volunteers.press(sender=sender, data=data, now=now)
    await deliver(outcome, update, context)


async def on_profile(update: Update, context: BotContext) -> None:
    outcome = await context.services.volunteers.show_profile(
        sender=sender_of(update), now=context.services.clock()
    )
    await deliver(outcome, update, context)


async def on_pause(update: Update, context: BotContext) -> None:
    await deliver(await context.services.volunteers.ask_pause(sender=sender_of(update)), update, context)


async def on_resume(update: Update, context: BotContext) -> None:
    await deliver(await context.services.volunteers.resume(sender=sender_of(update)), update, context)


async def on_switch(update: Update, context: BotContext) -> None:
    outcome = await context.services.relay.choose(telegram_user_id=sender_of(update).telegram_user_id)
    await deliver(outcome, update, context)
