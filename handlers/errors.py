"""The one error handler: log it, and tell the person kindly instead of going silent."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.i18n import UiLocale, get_locale, locale_from_telegram, texts
from bot.onboarding import screens
from handlers.context import BotContext
from handlers.women import sender_of

__all__ = ["on_error"]

log = logging.getLogger(__name__)


async def _locale(update: Update, context: BotContext) -> UiLocale:
    """Her locale; the error may be the database itself, so fall back to her phone's language."""
    user = update.effective_user
    if user is None:
        return get_locale(None)
    try:
        return await context.services.onboarding.locale_for(sender_of(update))
    except Exception:  # any failure here must not hide the first error
        return locale_from_telegram(user.language_code) or get_locale(None)


async def on_error(update: object, context: BotContext) -> None:
    if isinstance(context.error, Forbidden):
        log.info("a person blocked the bot: %s", context.error)
        return
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        reply = screens.something_went_wrong(texts((await _locale(update, context)).code))
        await context.bot.send_message(update.effective_chat.id, reply.text)
    except TelegramError:
        log.warning("could not tell the person about the error", exc_info=True)
