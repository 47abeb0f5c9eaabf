"""A failure while handling her message: nothing of it is lost, and she hears a kind word if it lasts."""

import pytest

from bot.onboarding.service import Incoming, Sender
from bot.ui import Outcome
from tests.conftest import Clock
from tests.harness import BotHarness


async def test_a_failure_that_lasts_gets_a_kind_word_in_her_language_after_three_tries(
    bot: BotHarness, clock: Clock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    phone = bot.phone(language_code="da")
    await phone.send("/start")
    tries: list[str] = []

    async def broken(*, sender: Sender, incoming: Incoming, now: object) -> Outcome:
        tries.append(incoming.text or "")
        raise RuntimeError("the database went away")

    monkeypatch.setattr(bot.services.onboarding, "receive", broken)
    assert await phone.send("hej") == []  # tried again shortly: one failure may be passing
    clock.advance(seconds=3)
    assert await phone.refresh() == []
    clock.advance(seconds=3)
    [reply] = await phone.refresh()

    assert tries == ["hej", "hej", "hej"]
    assert (reply.text or "").startswith("Undskyld")
    assert "RuntimeError" in caplog.text
    assert "hej" not in caplog.text  # her words are never in the log


async def test_a_passing_failure_is_handled_again_and_she_gets_her_answer(
    bot: BotHarness, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone = bot.phone(language_code="en")
    await phone.send("/start")
    receive = bot.services.onboarding.receive
    failures = [RuntimeError("a network blip")]

    async def once_broken(*, sender: Sender, incoming: Incoming, now: object) -> Outcome:
        if failures:
            raise failures.pop()
        return await receive(sender=sender, incoming=incoming, now=now)  # type: ignore[arg-type]

    monkeypatch.setattr(bot.services.onboarding, "receive", once_broken)
    assert await phone.send("hello") == []
    clock.advance(seconds=3)
    replies = await phone.refresh()

    [reply] = replies  # the answer "hello" gets at the language question, as if nothing had happened
    assert reply.text == "Sorry, I did not understand. Please choose one of the buttons."


async def test_her_erase_takes_her_parked_updates_with_it(
    bot: BotHarness, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone = bot.phone(language_code="en")
    await phone.send("/start")
    await phone.press("Yes, English")
    await phone.press("Continue")
    await phone.press("Yes, that is all right")
    receive = bot.services.onboarding.receive

    async def broken(*, sender: Sender, incoming: Incoming, now: object) -> Outcome:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(bot.services.onboarding, "receive", broken)
    await phone.send("8220")
    for _ in range(2):
        clock.advance(seconds=3)
        await phone.refresh()
    assert await inbox_chats(bot) == [phone.user_id]  # parked: kept for an admin to look at, encrypted
    monkeypatch.setattr(bot.services.onboarding, "receive", receive)

    await phone.send("/stop")
    await phone.press("🗑 Yes, delete everything")

    assert await inbox_chats(bot) == []


async def inbox_chats(bot: BotHarness) -> list[int]:
    from sqlalchemy import select

    from storage.models import InboxUpdate

    async with bot.services.db.transaction() as session:
        rows = await session.execute(select(InboxUpdate.chat_id).where(InboxUpdate.chat_id.is_not(None)))
        return [chat for chat in rows.scalars() if chat is not None]
