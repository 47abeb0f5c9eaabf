"""What is kept about a match, and for how long (LOG_RETENTION counts from the end of the match)."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.models import HelpRequest, Match, MessageLog
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, matched_pair, set_up_group
from tests.harness import BotHarness


@pytest.fixture
async def bot(database_url: str, data_key: str, clock: Clock, tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = BotHarness(
        database_url=database_url,
        data_key=data_key,
        clock=clock,
        data_dir=tmp_path,
        settings={"log_retention": "30d"},
    )
    await harness.start()
    yield harness
    await harness.close()


async def kept(bot: BotHarness) -> tuple[int, int, int]:
    """(log entries, matches, requests) still stored."""
    async with bot.services.db.transaction() as session:
        return (
            (await session.execute(select(func.count(MessageLog.id)))).scalar_one(),
            (await session.execute(select(func.count(Match.id)))).scalar_one(),
            (await session.execute(select(func.count(HelpRequest.id)))).scalar_one(),
        )


async def test_a_long_match_keeps_its_log_for_the_retention_after_it_ended(
    bot: BotHarness, clock: Clock
) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    await woman.send("Thank you for helping me with the letter")
    clock.advance(days=400)  # they talked for more than a year
    await woman.send("Thank you for everything")
    await woman.send("/end")
    await woman.press("Yes, I got the help I needed")

    clock.advance(minutes=2)
    await bot.tick()
    assert await kept(bot) == (2, 1, 1)
    clock.advance(days=29)
    await bot.tick()
    assert await kept(bot) == (2, 1, 1)
    clock.advance(days=2)  # 30 days after the end of the match
    await bot.tick()
    assert await kept(bot) == (0, 0, 0)
