"""The conversation the fault tests run: matched pairs writing to each other through the real bot."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from sandbox.standin import StandIn
from storage.crypto import FieldCipher
from storage.db import Database, create_engine
from storage.models import InboxUpdate
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness, Phone

__all__ = ["REAL_LOOKING_TOKEN", "Conversation"]

ACCEPT = "Yes, I will talk with her"
# The bot refuses a token that does not look like BotFather's; the stand-in takes it over after the set-up.
REAL_LOOKING_TOKEN = "123456:AAHsandboxSANDBOXsandboxSANDBOXsandbox"
DELIVERY_TIMEOUT = 120.0


@dataclass
class Conversation:
    standin: StandIn
    seed: int = field(default_factory=lambda: random.randrange(1_000_000))
    sent: list[tuple[int, int, str]] = field(default_factory=list)  # (from, to, text)

    async def match(
        self,
        *,
        database_url: str,
        data_key: str,
        folder: Path,
        pairs: int,
        messages: int,
        waiting: int = 0,
    ) -> None:
        """`pairs` women, each talking with her own Bydelsmor (made through the real flow, in this process),
        and the messages each will write: `messages` each way, in a random order. `waiting` more women ask
        afterwards and their offers go unanswered (so the bot, which runs on today's time, finds them
        expired and asks the next Bydelsmor)."""
        harness = BotHarness(database_url=database_url, data_key=data_key, clock=Clock(), data_dir=folder)
        harness.standin = self.standin
        await harness.start()
        await set_up_group(harness)
        volunteers: list[Phone] = []
        for number in range(pairs):
            volunteers.append(await bydelsmor(harness, f"Bydelsmor{number}", "so,en", "8220"))
            woman = await woman_asks(harness, language="en")
            offered = next(v for v in volunteers if any(ACCEPT in b.text for b in v.last.buttons()))
            await offered.press(ACCEPT)
            for note in range(messages):
                w, b = woman.user_id, offered.user_id
                self.sent.append((w, b, f"from woman {w}: note {note}"))
                self.sent.append((b, w, f"from Bydelsmor {b}: note {note}"))
        for _ in range(waiting):
            await woman_asks(harness, language="en")
        await harness.stop()
        random.Random(self.seed).shuffle(self.sent)
        self.standin.token = REAL_LOOKING_TOKEN

    async def write_all(self, *, over_seconds: float) -> None:
        gap = over_seconds / max(len(self.sent), 1)
        for sender, _, text in self.sent:
            await self.standin.send_text(sender, text)
            await asyncio.sleep(gap)

    def copies(self, receiver: int, text: str) -> int:
        return sum(1 for m in self.standin.bot_messages(receiver) if m.text == text)

    async def delivered(self) -> None:
        """Wait until every message arrived once (or the time is up), then a moment for late duplicates."""
        for _ in range(int(DELIVERY_TIMEOUT / 0.5)):  # the outbox keeps Telegram's pace: 1 a second per chat
            if all(self.copies(r, t) for _, r, t in self.sent):
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.0)

    async def counts(self, *, database_url: str, data_key: str) -> tuple[int, int, int]:
        """(lost, duplicated, unhandled updates)."""
        db = Database(create_engine(database_url), FieldCipher(data_key))
        async with db.transaction() as session:
            not_done = (
                await session.execute(select(func.count()).where(InboxUpdate.status != "done"))
            ).scalar_one()
        await db.dispose()
        lost = sum(1 for _, r, t in self.sent if self.copies(r, t) == 0)
        duplicated = sum(1 for _, r, t in self.sent if self.copies(r, t) > 1)
        return lost, duplicated, not_done + len(self.standin.pending_updates())
