"""A story to back up or rotate: a woman matched with Hodan, a few messages relayed, and a few tools."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import MessageLog
from tests.handlers.test_matching import bydelsmor, matched_pair, set_up_group
from tests.harness import BotHarness, Phone

__all__ = ["conversation", "logged", "migrate", "wipe"]


async def migrate(url: str, revision: str = "head") -> None:
    engine = create_engine(url)
    await upgrade(engine, revision)
    await engine.dispose()


async def wipe(url: str) -> None:
    """Everything gone, as after a lost disk: the SQLite file (with its -wal), or every PostgreSQL table."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database
        for suffix in ("", "-wal", "-shm"):
            await asyncio.to_thread(Path(parsed.database + suffix).unlink, missing_ok=True)
        return
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def conversation(bot: BotHarness) -> tuple[Phone, Phone]:
    """Amina is matched with Hodan and they have written to each other; returns (hodan, amina)."""
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    amina = await matched_pair(bot, hodan)
    await amina.send("I got a letter from the kommune")
    await hodan.send("Send me a photo of it")
    await amina.send("Here it is, thank you")
    return hodan, amina


async def logged(bot: BotHarness) -> list[tuple[str, str | None]]:
    """The conversation log as a coordinator reads it: (sender, the decrypted words), oldest first."""
    cipher = bot.services.db.cipher
    async with bot.services.db.transaction() as session:
        entries = (await session.execute(select(MessageLog).order_by(MessageLog.id))).scalars()
        return [
            (entry.sender, cipher.decrypt(entry.content_encrypted) if entry.content_encrypted else None)
            for entry in entries
        ]
