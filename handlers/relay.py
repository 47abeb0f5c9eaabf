"""Messages between a woman and her Bydelsmor, and /end; everything else falls through to onboarding."""

from __future__ import annotations

from telegram import Message, Update

from bot.relay.service import RelayMessage
from handlers.context import BotContext
from handlers.render import deliver
from handlers.women import sender_of

__all__ = ["from_bydelsmor", "from_woman", "on_end"]


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


async def from_bydelsmor(update: Update, context: BotContext) -> bool:
    """Pass a Bydelsmor's message on (or hold it until she says to whom). True when it was handled."""
    message = relay_message_of(update)
    if message is None:
        return False
    outcome = await context.services.relay.from_bydelsmor(message, context.services.clock())
    if outcome is None:  # not as a Bydelsmor: it may be her own message as a woman
        return False
    await deliver(outcome, update, context)
    return True


async def from_woman(update: Update, context: BotContext) -> bool:
    """Pass a matched woman's message to her Bydelsmor. True when it was handled."""
    message = relay_message_of(update)
    if message is None:
        return False
    outcome = await context.services.relay.from_woman(message, context.services.clock())
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
