"""Every handler, registered in one table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from bot.routing import Route, Situation
from handlers import checkins, coordinators, course, group, relay, voice, volunteers, women
from handlers.context import BotContext, BydelsmorApplication
from handlers.errors import on_error
from handlers.gate import gate
from handlers.women import sender_of

__all__ = ["COMMANDS", "register"]

# The commands a woman can always use; their descriptions live in bot.profile.
COMMANDS = {
    "start": women.on_start,
    "language": women.on_language,
    "help": women.on_help,
    "mydata": women.on_my_data,
    "stop": women.on_stop,
    "listen": voice.on_listen,
    "news": group.on_news,
}
# The Bydelsmødre's and coordinators' commands (not in the menu women see).
STAFF_COMMANDS = {
    "end": relay.on_end,
    "switch": volunteers.on_switch,
    "profile": volunteers.on_profile,
    "pause": volunteers.on_pause,
    "resume": volunteers.on_resume,
    "translate": volunteers.on_translate,
    "record": voice.on_record,
    "invite": coordinators.on_invite,
    "login": coordinators.on_login,
    "course": course.on_course,
}


# The use case each route hands a message to; True when it took it (bot.routing.Situation.routes).
TAKERS: dict[Route, Callable[[Update, BotContext], Awaitable[bool]]] = {
    Route.SUGGESTION: volunteers.take_suggestion,
    Route.RECORDING: voice.take_recording,
    Route.QUESTION: group.take_question,
    Route.ANSWER: group.take_answer,
    Route.PROFILE_ANSWER: volunteers.take_setup_answer,
    Route.CHECKIN_COMMENT: checkins.take_comment,
    Route.FROM_BYDELSMOR: relay.from_bydelsmor,
    Route.FROM_WOMAN: relay.from_woman,
    Route.ONBOARDING: women.take_message,
}


async def on_message(update: Update, context: BotContext) -> None:
    """One route, chosen by what the gate found: she is in one flow, and that flow answers."""
    situation = context.situation or Situation(telegram_user_id=sender_of(update).telegram_user_id)
    # A coordinator's Telegram "Reply" to a Bydelsmor's question: known from the message itself, not her rows.
    if await group.take_reply_answer(update, context):
        return
    for route in situation.routes(edited=update.edited_message is not None):
        if await TAKERS[route](update, context):
            return


def register(application: BydelsmorApplication) -> None:
    application.add_handler(TypeHandler(Update, gate), group=-1)
    # New messages only: editing an old message into /stop must not run /stop again.
    new_private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    for name, callback in {**COMMANDS, **STAFF_COMMANDS}.items():
        application.add_handler(CommandHandler(name, callback, filters=new_private))
    application.add_handler(CallbackQueryHandler(volunteers.on_translate_button, pattern=r"^tr:"))
    application.add_handler(CallbackQueryHandler(checkins.on_checkin_button, pattern=r"^ci:"))
    application.add_handler(CallbackQueryHandler(voice.on_record_button, pattern=r"^rec:"))
    application.add_handler(CallbackQueryHandler(voice.on_listen_button, pattern=r"^listen:"))
    application.add_handler(CallbackQueryHandler(course.on_course_button, pattern=r"^crs:"))
    application.add_handler(CallbackQueryHandler(group.on_question_button, pattern=r"^(ask|ans):"))
    application.add_handler(CallbackQueryHandler(group.on_announcement_button, pattern=r"^ann:"))
    application.add_handler(CallbackQueryHandler(group.on_news_button, pattern=r"^news:"))
    application.add_handler(
        CallbackQueryHandler(volunteers.on_volunteer_button, pattern=r"^(bm|offer|route|switch|end):")
    )
    application.add_handler(CallbackQueryHandler(women.on_button))
    # Anything else, in any form (text, voice, location, sticker, an unknown /command). A message she
    # corrected by editing it counts as a new answer: a fixed postcode should not go unanswered, and an
    # edit to a relayed message is passed on.
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & (filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE),
            on_message,
        )
    )
    application.add_error_handler(on_error)
