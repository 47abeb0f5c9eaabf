"""Every handler, registered in one table."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from handlers import checkins, coordinators, relay, voice, volunteers, women
from handlers.context import BotContext, BydelsmorApplication
from handlers.errors import on_error
from handlers.gate import gate

__all__ = ["COMMANDS", "register"]

# The commands a woman can always use; their descriptions live in bot.profile.
COMMANDS = {
    "start": women.on_start,
    "language": women.on_language,
    "help": women.on_help,
    "mydata": women.on_my_data,
    "stop": women.on_stop,
    "listen": voice.on_listen,
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
}


async def on_message(update: Update, context: BotContext) -> None:
    """Whose is it? A Bydelsmor's translation or profile answer, a relayed message, or the onboarding."""
    if await volunteers.take_suggestion(update, context):
        return
    if await voice.take_recording(update, context):
        return
    if await volunteers.take_setup_answer(update, context):
        return
    if await checkins.take_comment(update, context):
        return
    if await relay.relay_message(update, context):
        return
    await women.on_message(update, context)


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
