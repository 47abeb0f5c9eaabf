"""Issue 12: a woman who listens hears the check-in questions (sent by the tick through the outbox, and the
next one after her answer) above their text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.voice import library
from tests.conftest import Clock
from tests.handlers.test_checkins import bot
from tests.handlers.test_matching import bydelsmor, set_up_group
from tests.handlers.test_voice import approve, record
from tests.harness import BotHarness

__all__ = ["bot"]  # the check-ins' harness (check-ins after 2 s and 4 s, no quiet hours), used by name


@pytest.fixture(autouse=True)
def fresh_library() -> Iterator[None]:
    library.forget_cache()
    yield
    library.forget_cache()


async def test_she_hears_the_check_in_questions(bot: BotHarness, clock: Clock) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so", "8220")
    await hodan.send("/record")
    await hodan.press("Soomaali")
    await hodan.press("Yes, keep them")
    ids = [await record(hodan, "so", key, key.encode()) for key in ("checkin_better", "checkin_courage")]
    await approve(bot, *ids)

    woman = bot.phone(language_code="so")
    await woman.send("/start")
    await woman.press_data("lang:set:so")
    await woman.send("/listen")
    await woman.press_data("listen:yes")
    await woman.press_data("intro:next")
    await woman.press_data("consent:yes")
    await woman.send("8220")
    await woman.press_data("topic:letters")
    await woman.press_data("topic:done")
    await hodan.press("Yes, I will talk with her")
    await bot.process_pending()

    before = woman.last.message_id
    clock.advance(seconds=2)
    await bot.tick()
    first = bot.inbox(woman.user_id, after=before)
    assert [m.kind for m in first] == ["voice", "text"]
    await woman.press_data(first[1].buttons()[0].callback_data or "")  # better

    before = woman.last.message_id
    clock.advance(seconds=2)
    await bot.tick()
    second = bot.inbox(woman.user_id, after=before)
    assert [m.kind for m in second] == ["voice", "text"]  # "is it going better?" again
    following = await woman.press_data(second[1].buttons()[0].callback_data or "")
    assert [m.kind for m in following] == ["voice", "text"]  # "more courage?", right after her answer
