"""'Ask my coordinator': the Bydelsmor's question and the coordinator's answer, in Telegram (bot.group)."""

from __future__ import annotations

from telegram import Update

from handlers.context import BotContext
from handlers.render import deliver
from handlers.women import incoming_of, sender_of

__all__ = [
    "on_announcement_button",
    "on_news",
    "on_news_button",
    "on_question_button",
    "take_answer",
    "take_question",
]


async def on_announcement_button(update: Update, context: BotContext) -> None:
    """A Bydelsmor's "I'll come" / "I can't" under an announcement."""
    query = update.callback_query
    if query is None:
        return
    outcome = await context.services.announcements.answer(
        sender=sender_of(update), data=query.data or "", now=context.services.clock()
    )
    await deliver(outcome, update, context)


async def on_news(update: Update, context: BotContext) -> None:
    """/news: a woman chooses whether to hear about meetings for women near her."""
    await deliver(await context.services.announcements.ask_news(sender=sender_of(update)), update, context)


async def on_news_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    outcome = await context.services.announcements.choose_news(
        sender=sender_of(update), data=query.data or "", now=context.services.clock()
    )
    await deliver(outcome, update, context)


async def on_question_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    outcome = await context.services.questions.press(
        sender=sender_of(update), data=query.data or "", now=context.services.clock()
    )
    await deliver(outcome, update, context)


async def take_question(update: Update, context: BotContext) -> bool:
    """Her message after "Ask my coordinator" is her question. True when it was handled."""
    if update.message is None:
        return False
    outcome = await context.services.questions.receive_question(
        sender=sender_of(update), incoming=incoming_of(update), now=context.services.clock()
    )
    if outcome is None:
        return False
    await deliver(outcome, update, context)
    return True


async def take_answer(update: Update, context: BotContext) -> bool:
    """A coordinator's message after "Answer" is her answer. True when it was handled."""
    if update.message is None:
        return False
    user = update.effective_user
    outcome = await context.services.questions.receive_answer(
        sender=sender_of(update),
        text=update.message.text,
        by=user.first_name if user is not None else "",
        now=context.services.clock(),
    )
    if outcome is None:
        return False
    await deliver(outcome, update, context)
    return True
