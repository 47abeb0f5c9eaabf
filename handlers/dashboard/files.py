"""The dashboard's way to Telegram: files by id (voice notes, photos), a photo's upload, the bot's name."""

from __future__ import annotations

from telegram import Bot
from telegram.error import TelegramError

__all__ = ["BotFiles", "PhotoRefusedError"]


class PhotoRefusedError(Exception):
    """Telegram did not take a photo (too large, not an image it can read, the chat not reachable)."""


class BotFiles:
    """TelegramFiles over the running PTB bot (the stand-in's in the sandbox)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def download(self, file_id: str) -> bytes:
        file = await self._bot.get_file(file_id)
        return bytes(await file.download_as_bytearray())

    async def upload_photo(self, chat_id: int, content: bytes, *, caption: str) -> str:
        """Send the photo to `chat_id` and return the file id of its largest size, to send on by id."""
        try:
            sent = await self._bot.send_photo(chat_id, photo=content, caption=caption)
        except TelegramError as error:
            raise PhotoRefusedError(error.message) from error
        if not sent.photo:
            raise PhotoRefusedError("Telegram answered without a photo")
        return max(sent.photo, key=lambda size: size.width * size.height).file_id

    def bot_username(self) -> str:
        return self._bot.username
