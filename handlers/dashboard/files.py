"""The dashboard's way to Telegram: files by id (voice notes, photos) and the bot's username."""

from __future__ import annotations

from telegram import Bot

__all__ = ["BotFiles"]


class BotFiles:
    """TelegramFiles over the running PTB bot (the stand-in's in the sandbox)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def download(self, file_id: str) -> bytes:
        file = await self._bot.get_file(file_id)
        return bytes(await file.download_as_bytearray())

    def bot_username(self) -> str:
        return self._bot.username
