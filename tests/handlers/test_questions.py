""" "Ask my coordinator": a Bydelsmor's question reaches her coordinator in Telegram, and the answer her."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import CoordinatorQuestion
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness


async def test_a_question_from_an_offer_is_answered_by_her_coordinator_in_telegram(bot: BotHarness) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await woman_asks(bot, language="so")
    offer = hodan.last
    assert "Ask my coordinator" in [b.text.removeprefix("💬 ") for b in offer.buttons()]

    [ask] = await hodan.press("Ask my coordinator")
    assert "Write your question to your coordinator, or send a voice note." in (ask.text or "")
    [sent] = await hodan.send("She asks about a letter from the municipality. What can I say?")
    assert sent.text == "Thank you. Your coordinator has your question. The answer will come here."

    question = coordinator.last
    assert question.text == (
        "❓ A question from Hodan, Bydelsmor:\n\n"
        "She asks about a letter from the municipality. What can I say?"
    )
    # Nothing of the woman is added: no area, no topics, no label.
    assert "8220" not in (question.text or "") and "#" not in (question.text or "")

    [write] = await coordinator.press("Answer")
    assert write.text == "Write your answer to Hodan as your next message."
    [done] = await coordinator.send("Help her read it, and tell her about the citizens' service.")
    assert done.text == "Your answer was sent to Hodan."
    assert hodan.last.text == (
        "💬 Your coordinator answers:\n\nHelp her read it, and tell her about the citizens' service."
    )
    # A second press finds the question answered; her next words are not taken as an answer again.
    [again] = await coordinator.press("Answer")
    assert again.text == "This question has been answered already."


async def test_a_bydelsmor_asks_by_voice_from_help_and_can_cancel(bot: BotHarness) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")

    [help_screen] = await hodan.send("/help")
    assert "Call 112" in (help_screen.text or "")  # the help everyone gets, helplines first
    assert (help_screen.text or "").endswith(
        "Do you have a question about being a Bydelsmor? Your coordinator can help."
    )
    await hodan.press("Ask my coordinator")
    [cancelled] = await hodan.press("Cancel")
    assert cancelled.text == "No question was sent."
    before = len(bot.inbox(coordinator.user_id))

    await hodan.send("/help")
    await hodan.press("Ask my coordinator")
    [sticker_reply] = await hodan.send_sticker()
    assert sticker_reply.text == "Please write your question, or send a voice note."
    await hodan.send_voice()
    voice, question = bot.inbox(coordinator.user_id)[before:]
    assert voice.kind == "voice"
    assert question.text == "❓ A question from Hodan, Bydelsmor:\n\n(a voice note, above)"


async def test_a_womans_help_stays_as_it_was(bot: BotHarness) -> None:
    woman = bot.phone(language_code="en")
    [reply] = await woman.send("/help")
    assert "Your coordinator can help." not in (reply.text or "")
    assert not any("Ask my coordinator" in b.text for b in reply.buttons())


async def test_a_question_waits_no_longer_than_its_window(bot: BotHarness, clock: Clock) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await hodan.send("/help")
    await hodan.press("Ask my coordinator")
    clock.advance(minutes=16)
    await hodan.send("Hello?")
    async with bot.services.db.transaction() as session:
        assert (await session.execute(select(CoordinatorQuestion))).first() is None


async def test_a_coordinator_answers_with_telegrams_reply(bot: BotHarness) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await hodan.send("/help")
    await hodan.press("Ask my coordinator")
    await hodan.send("May I bring my daughter to the meeting?")
    question = coordinator.last

    [done] = await coordinator.send("Yes, of course.", reply_to=question.message_id)
    assert done.text == "Your answer was sent to Hodan."
    assert hodan.last.text == "💬 Your coordinator answers:\n\nYes, of course."
    [again] = await coordinator.send("And bring cake!", reply_to=question.message_id)
    assert again.text == "This question has been answered already."


async def test_a_reply_by_someone_else_is_not_an_answer(bot: BotHarness) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await hodan.send("/help")
    await hodan.press("Ask my coordinator")
    await hodan.send("A question")
    # Hodan replies to her own "Ask my coordinator" screen: nothing is answered.
    [screen] = [m for m in bot.inbox(hodan.user_id) if "Write your question" in (m.text or "")]
    await hodan.send("Hello", reply_to=screen.message_id)
    async with bot.services.db.transaction() as session:
        [stored] = (await session.execute(select(CoordinatorQuestion))).scalars()
        assert stored.answered_at is None
    assert "A question" in (coordinator.last.text or "")
