"""Messages between a woman and her Bydelsmor, and /end; everything else falls through to onboarding."""

from __future__ import annotations

from telegram import Message, Update

from bot.relay import RelayMessage
from handlers.context import BotContext
from handlers.render import deliver
from handlers.women import sender_of

__all__ = ["on_end", "relay_message"]


def kind_of(message: Message) -> tuple[str, str | None]:
    """What Telegram sent, as the relay names it, with its file id."""
    for kind, media in (
        ("voice", message.voice),
        ("audio", message.audio),
        ("document", message.document),
        ("video", message.video),
        ("video_note", message.video_note),
        ("sticker", message.sticker),
    ):
        if media is not None:
            return kind, media.file_id
    if message.photo:
        return "photo", message.photo[-1].file_id
    if message.location is not None:
        return "location", f"{message.location.latitude},{message.location.longitude}"
    if message.contact is not None:
        return "contact", None
    if message.text is not None:
        return "text", None
    return "other", None


def relay_message_of(update: Update) -> RelayMessage | None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return None
    kind, file_id = kind_of(message)
    return RelayMessage(
        telegram_user_id=user.id,
        language_code=user.language_code,
        message_id=message.message_id,
        kind=kind,
        text=message.text if message.text is not None else message.caption,
        file_id=file_id,
        reply_to_message_id=message.reply_to_message.message_id if message.reply_to_message else None,
        edited=update.edited_message is not None,
    )


async def relay_message(update: Update, context: BotContext) -> bool:
    """Pass the message on if she is a Bydelsmor or a matched woman. True when it was passed (or answered)."""
    message = relay_message_of(update)
    if message is None:
        return False
    now = context.services.clock()
    outcome = await context.services.relay.from_bydelsmor(message, now)
    if outcome is None:
        outcome = await context.services.relay.from_woman(message, now)
    if outcome is None:
        return False
    await deliver(outcome, update, context)
    return True


async def on_end(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    outcome = await context.services.relay.ask_end(telegram_user_id=sender.telegram_user_id)
    if outcome is None:
        outcome = await context.services.relay.choose(telegram_user_id=sender.telegram_user_id)
    await deliver(outcome, update, context)
