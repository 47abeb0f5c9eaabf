"""Telegram under stress: 429 with retry_after above 30 messages a second or 1 a second per chat, and 10%
of the calls failing (before or after they took effect). Nothing may be lost; 429s should stay rare."""

from __future__ import annotations

import random
from pathlib import Path

from sandbox.web import SandboxServer
from tests.faults.botprocess import BotProcess
from tests.faults.conftest import SCALE
from tests.faults.scenario import REAL_LOOKING_TOKEN, Conversation


async def test_rate_limits_and_a_flaky_network_lose_nothing(
    telegram: SandboxServer, database_url: str, data_key: str, tmp_path: Path
) -> None:
    standin = telegram.standin
    talk = Conversation(standin)
    await talk.match(
        database_url=database_url,
        data_key=data_key,
        folder=tmp_path,
        pairs=SCALE.pairs,
        messages=SCALE.messages,
    )
    bot = BotProcess(
        standin=standin,
        api_url=telegram.url,
        token=REAL_LOOKING_TOKEN,
        database_url=database_url,
        data_key=data_key,
        folder=tmp_path,
    )
    await bot.start()
    standin.enforce_rate_limits = True
    telegram.faults.rng = random.Random(talk.seed)
    telegram.faults.ratio = 0.10
    sends_before = len([c for c in standin.calls() if c.method in ("sendMessage", "copyMessage")])
    await talk.write_all(over_seconds=max(5.0, len(talk.sent) / 20))
    await talk.delivered()
    telegram.faults.ratio = 0.0
    assert await bot.stop() == 0
    lost, duplicated, unhandled = await talk.counts(database_url=database_url, data_key=data_key)
    sends = [c for c in standin.calls() if c.method in ("sendMessage", "copyMessage")][sends_before:]
    too_many = sum(1 for c in sends if c.error is not None and c.error.error_code == 429)
    print(
        f"\nreliability: {len(talk.sent)} messages, 429 above 30/s or 1/s per chat, 10% of calls failing"
        f" ({telegram.faults.before} before, {telegram.faults.after} after taking effect; seed {talk.seed}):"
        f" lost {lost}, duplicated {duplicated}, unhandled {unhandled}, 429s {too_many} of {len(sends)} sends"
    )
    assert (lost, unhandled) == (0, 0)
