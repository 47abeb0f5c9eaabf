"""SIGKILL the real bot at random moments while women and Bydelsmødre write, restart it each time.

Counts, for every message sent: lost (never reached the other side), duplicated (reached it more than
once), and updates never handled. Lost and unhandled must be 0; duplicates are counted (see
docs/architecture.md, "What can still arrive twice").
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from sandbox.web import SandboxServer
from tests.faults.botprocess import BotProcess
from tests.faults.conftest import SCALE
from tests.faults.scenario import REAL_LOOKING_TOKEN, Conversation


async def test_killing_the_bot_at_random_moments_loses_nothing(
    telegram: SandboxServer, database_url: str, data_key: str, tmp_path: Path
) -> None:
    talk = Conversation(telegram.standin)
    await talk.match(
        database_url=database_url,
        data_key=data_key,
        folder=tmp_path,
        pairs=SCALE.pairs,
        messages=SCALE.messages,
    )
    bot = BotProcess(
        standin=telegram.standin,
        api_url=telegram.url,
        token=REAL_LOOKING_TOKEN,
        database_url=database_url,
        data_key=data_key,
        folder=tmp_path,
    )
    await bot.start()
    chance = random.Random(talk.seed)

    async def kills() -> None:
        for _ in range(SCALE.kills):
            await asyncio.sleep(chance.uniform(0.0, 1.5))
            await bot.kill()
            await bot.start()

    await asyncio.gather(talk.write_all(over_seconds=SCALE.kills * 2.0), kills())
    await talk.delivered()
    assert await bot.stop() == 0
    lost, duplicated, unhandled = await talk.counts(database_url=database_url, data_key=data_key)
    print(
        f"\nreliability: {len(talk.sent)} messages, {SCALE.kills} SIGKILLs (seed {talk.seed}):"
        f" lost {lost}, duplicated {duplicated}, unhandled {unhandled}"
    )
    assert (lost, unhandled) == (0, 0)
