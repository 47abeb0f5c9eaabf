"""Coordinators in Telegram: /invite makes an invitation link for a new Bydelsmor; /login signs in to the
dashboard."""

from __future__ import annotations

from telegram import Update

from handlers.context import BotContext
from handlers.render import deliver
from handlers.women import sender_of

__all__ = ["on_invite", "on_login"]


async def on_invite(update: Update, context: BotContext) -> None:
    outcome, qr = await context.services.groups.invite_in_telegram(
        sender=sender_of(update), bot_username=context.bot.username, now=context.services.clock()
    )
    await deliver(outcome, update, context)
    chat = update.effective_chat
    if qr is not None and chat is not None:
        await context.bot.send_photo(chat.id, photo=qr)


async def on_login(update: Update, context: BotContext) -> None:
    user = update.effective_user
    outcome = await context.services.dashboard_access.login_in_telegram(
        sender=sender_of(update), first_name=user.first_name if user else "", now=context.services.clock()
    )
    await deliver(outcome, update, context)
