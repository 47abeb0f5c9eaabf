"""Every handler, registered in one table."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from handlers import volunteers, women
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
}


async def on_message(update: Update, context: BotContext) -> None:
    """A Bydelsmor's better translation, if she is writing one; otherwise the woman's flow."""
    if not await volunteers.take_suggestion(update, context):
        await women.on_message(update, context)


def register(application: BydelsmorApplication) -> None:
    application.add_handler(TypeHandler(Update, gate), group=-1)
    # New messages only: editing an old message into /stop must not run /stop again.
    new_private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    for name, callback in COMMANDS.items():
        application.add_handler(CommandHandler(name, callback, filters=new_private))
    application.add_handler(
        CommandHandler("translate", volunteers.on_translate, filters=filters.ChatType.PRIVATE)
    )
    application.add_handler(CallbackQueryHandler(volunteers.on_translate_button, pattern=r"^tr:"))
    application.add_handler(CallbackQueryHandler(women.on_button))
    # Anything else, in any form (text, voice, location, sticker, an unknown /command). A message she
    # corrected by editing it counts as a new answer: a fixed postcode should not go unanswered.
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & (filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE),
            on_message,
        )
    )
    application.add_error_handler(on_error)
