"""Turn what a use case says (bot.ui) into Bot API calls."""

from __future__ import annotations

import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, TelegramError

from bot.ui import Outcome, Reply
from handlers.context import BotContext

__all__ = ["deliver"]

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


def markup(reply: Reply) -> Markup:
    if reply.buttons:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons]
        )
    if reply.keyboard:
        return ReplyKeyboardMarkup(
            [
                [KeyboardButton(k.label, request_location=k.request_location) for k in row]
                for row in reply.keyboard
            ],
            resize_keyboard=True,
            is_persistent=True,
        )
    if reply.remove_keyboard:
        return ReplyKeyboardRemove()
    return None


async def deliver(outcome: Outcome, update: Update, context: BotContext) -> None:
    """Answer the pressed button (always: it stops the spinner), then say or edit, in order."""
    query = update.callback_query
    if query is not None:
        try:
            await query.answer(outcome.notice)
        except TelegramError as error:
            # Too old (pressed while the bot was down) or already answered: her reply matters more.
            log.info("could not answer a button press: %s", error)
    chat = update.effective_chat
    if chat is None:
        return
    for reply in outcome.replies:
        keyboard = markup(reply)
        pressed = query.message if query is not None else None
        if reply.edit and pressed is not None and isinstance(keyboard, InlineKeyboardMarkup | None):
            try:
                await context.bot.edit_message_text(
                    reply.text, chat_id=chat.id, message_id=pressed.message_id, reply_markup=keyboard
                )
                continue
            except BadRequest as error:
                if "not modified" in error.message:
                    continue
                log.info(
                    "could not edit message %s (%s); sending a new one", pressed.message_id, error.message
                )
        preview = None if reply.link_preview else LinkPreviewOptions(is_disabled=True)
        if reply.voice:
            # A key screen said aloud (bot.voice): the recording is sent again by file id, above the text.
            try:
                await context.bot.send_voice(chat.id, reply.voice)
            except BadRequest as error:  # a file Telegram no longer has: the text must still come
                log.warning("a recording could not be sent (%s); the text goes alone", error.message)
        if reply.lead:
            await context.bot.send_message(chat.id, reply.lead)
        await context.bot.send_message(
            chat.id, reply.text, reply_markup=keyboard, link_preview_options=preview
        )
