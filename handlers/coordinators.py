"""Coordinators in Telegram: /invite makes an invitation link and its QR code for a new Bydelsmor."""

from __future__ import annotations

from telegram import Update

from handlers.context import BotContext
from handlers.render import deliver
from handlers.women import sender_of

__all__ = ["on_invite"]


async def on_invite(update: Update, context: BotContext) -> None:
    outcome, qr = await context.services.groups.invite_in_telegram(
        sender=sender_of(update), bot_username=context.bot.username, now=context.services.clock()
    )
    await deliver(outcome, update, context)
    chat = update.effective_chat
    if qr is not None and chat is not None:
        await context.bot.send_photo(chat.id, photo=qr)
