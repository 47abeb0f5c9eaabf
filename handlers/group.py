"""'Ask my coordinator': the Bydelsmor's question and the coordinator's answer, in Telegram (bot.group)."""

from __future__ import annotations

from telegram import Update

from bot.domain.ids import record_id
from handlers.buttons import on_press
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
    "take_reply_answer",
]


# A Bydelsmor's "I'll come" / "I can't" under an announcement.
on_announcement_button = on_press(lambda services: services.announcements.answer)


async def on_news(update: Update, context: BotContext) -> None:
    """/news: a woman chooses whether to hear about meetings for women near her."""
    await deliver(await context.services.announcements.ask_news(sender=sender_of(update)), update, context)


on_news_button = on_press(lambda services: services.announcements.choose_news)


on_question_button = on_press(lambda services: services.questions.press)


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


def _replied_question(update: Update) -> int | None:
    """The question a coordinator answers with Telegram's "Reply": the "Answer" button of the bot's message
    she replied to names it (Telegram sends the replied message as it is; she cannot change it)."""
    message = update.message
    replied = message.reply_to_message if message is not None else None
    if replied is None or replied.from_user is None or not replied.from_user.is_bot:
        return None
    markup = replied.reply_markup
    for row in markup.inline_keyboard if markup is not None else ():
        for button in row:
            data = button.callback_data
            if isinstance(data, str) and data.startswith("ans:"):
                return record_id(data.removeprefix("ans:"))
    return None


async def take_reply_answer(update: Update, context: BotContext) -> bool:
    """A coordinator's "Reply" to a Bydelsmor's question is her answer. True when it was handled."""
    question_id = _replied_question(update)
    if question_id is None or update.message is None:
        return False
    user = update.effective_user
    outcome = await context.services.questions.answer_by_reply(
        sender=sender_of(update),
        question_id=question_id,
        text=update.message.text,
        by=user.first_name if user is not None else "",
        now=context.services.clock(),
    )
    if outcome is None:
        return False
    await deliver(outcome, update, context)
    return True
