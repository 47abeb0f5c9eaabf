"""SIGKILL the real bot at random moments while women and Bydelsmødre write, restart it each time.

Counts, for every message sent: lost (never reached the other side), duplicated (reached it more than
once), and updates never handled. Lost and unhandled must be 0; duplicates are counted (see
docs/architecture.md, "What can still arrive twice").
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import SANDBOX_TOKEN
from sandbox.standin import StandIn
from sandbox.web import SandboxServer
from storage.crypto import FieldCipher
from storage.db import Database, create_engine
from storage.models import InboxUpdate
from tests.conftest import Clock
from tests.faults.botprocess import BotProcess
from tests.faults.conftest import SCALE
from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness, Phone

ACCEPT = "Yes, I will talk with her"
# The bot refuses a token that does not look like BotFather's; the stand-in takes it over after the set-up.
REAL_LOOKING_TOKEN = "123456:AAHsandboxSANDBOXsandboxSANDBOXsandbox"
DELIVERY_TIMEOUT = 90.0


@dataclass
class Pair:
    woman: Phone
    bydelsmor: Phone


async def matched_pairs(harness: BotHarness, count: int) -> list[Pair]:
    """`count` women, each talking with her own Bydelsmor, made through the real flow in this process."""
    await set_up_group(harness)
    pairs: list[Pair] = []
    volunteers: list[Phone] = []
    for number in range(count):
        volunteers.append(await bydelsmor(harness, f"Bydelsmor{number}", "so,en", "8220"))
        woman = await woman_asks(harness, language="en")
        offered = next(v for v in volunteers if any(ACCEPT in b.text for b in v.last.buttons()))
        await offered.press(ACCEPT)
        pairs.append(Pair(woman=woman, bydelsmor=offered))
    return pairs


@pytest.fixture
async def telegram() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(StandIn(token=SANDBOX_TOKEN), host="127.0.0.1", port=0)
    await server.start()
    yield server
    await server.stop()
    await server.standin.aclose()


async def test_killing_the_bot_at_random_moments_loses_nothing(
    telegram: SandboxServer, database_url: str, data_key: str, tmp_path: Path
) -> None:
    standin = telegram.standin
    harness = BotHarness(database_url=database_url, data_key=data_key, clock=Clock(), data_dir=tmp_path)
    harness.standin = standin
    await harness.start()
    pairs = await matched_pairs(harness, SCALE.pairs)
    await harness.stop()
    standin.token = REAL_LOOKING_TOKEN

    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    sent: list[tuple[int, str]] = []  # (who should receive it, text)
    for pair in pairs:
        for number in range(SCALE.messages):
            sent.append((pair.bydelsmor.user_id, f"from woman {pair.woman.user_id}: note {number}"))
            sent.append((pair.woman.user_id, f"from Bydelsmor {pair.bydelsmor.user_id}: note {number}"))
    chance.shuffle(sent)
    sender_of = {p.bydelsmor.user_id: p.woman.user_id for p in pairs} | {
        p.woman.user_id: p.bydelsmor.user_id for p in pairs
    }

    bot = BotProcess(
        standin=standin,
        api_url=telegram.url,
        token=REAL_LOOKING_TOKEN,
        database_url=database_url,
        data_key=data_key,
        folder=tmp_path,
    )
    await bot.start()
    burst_seconds = SCALE.kills * 2.0
    gap = burst_seconds / len(sent)

    async def burst() -> None:
        for receiver, text in sent:
            await standin.send_text(sender_of[receiver], text)
            await asyncio.sleep(gap)

    async def kills() -> None:
        for _ in range(SCALE.kills):
            await asyncio.sleep(chance.uniform(0.0, 1.5))
            await bot.kill()
            await bot.start()

    await asyncio.gather(burst(), kills())

    def copies(receiver: int, text: str) -> int:
        return sum(1 for m in standin.bot_messages(receiver) if m.text == text)

    for _ in range(int(DELIVERY_TIMEOUT / 0.5)):  # the outbox keeps Telegram's pace: 1 a second per chat
        if all(copies(r, t) for r, t in sent):
            break
        await asyncio.sleep(0.5)
    await asyncio.sleep(1.0)  # a late duplicate would arrive now
    assert await bot.stop() == 0

    db = Database(create_engine(database_url), FieldCipher(data_key))
    async with db.transaction() as session:
        not_done = (
            await session.execute(select(func.count()).where(InboxUpdate.status != "done"))
        ).scalar_one()
    await db.dispose()
    lost = sum(1 for r, t in sent if copies(r, t) == 0)
    duplicated = sum(1 for r, t in sent if copies(r, t) > 1)
    unhandled = not_done + len(standin.pending_updates())
    print(
        f"\nreliability: {len(sent)} messages, {SCALE.kills} SIGKILLs (seed {seed}):"
        f" lost {lost}, duplicated {duplicated}, unhandled {unhandled}"
    )
    assert (lost, unhandled) == (0, 0)
