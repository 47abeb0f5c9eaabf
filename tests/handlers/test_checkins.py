"""Follow-up check-ins end to end, with CHECKIN_AFTER=2s,4s and quiet hours off (time moved by hand)."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import Checkin, Volunteer
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness, Phone


@pytest.fixture
async def bot(database_url: str, data_key: str, clock: Clock, tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = BotHarness(
        database_url=database_url,
        data_key=data_key,
        clock=clock,
        data_dir=tmp_path,
        settings={"checkin_after": "2s,4s", "bydelsmor_checkin_after": "3s", "quiet_hours": "off"},
    )
    await harness.start()
    yield harness
    await harness.close()


async def matched(bot: BotHarness) -> tuple[Phone, Phone, Phone]:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await woman_asks(bot, language="en")
    await hodan.press("Yes, I will talk with her")
    return woman, hodan, coordinator


async def statuses(bot: BotHarness) -> list[tuple[str, str, str]]:
    async with bot.services.db.transaction() as session:
        rows = (await session.execute(select(Checkin).order_by(Checkin.id))).scalars()
        return [(row.audience, row.kind, row.status) for row in rows]


async def test_a_woman_answers_her_check_ins(bot: BotHarness, clock: Clock) -> None:
    woman, hodan, _ = await matched(bot)
    clock.advance(seconds=2)
    await bot.tick()
    question = woman.last
    assert "Is it going better since your last talk with your Bydelsmor?" in (question.text or "")
    [more] = await woman.press("Better")
    assert "Would you like to tell us more?" in (more.text or "")
    [kept] = await woman.send("My son goes to school happily now")
    assert "We keep your words safe." in (kept.text or "")
    assert bot.inbox(hodan.user_id)[-1].text != "My son goes to school happily now"  # a comment, not relayed

    clock.advance(seconds=2)
    await bot.tick()
    await woman.press("Better")
    [courage] = [woman.last]
    assert "more courage" in (courage.text or "")
    await woman.press_data(courage.buttons()[0].callback_data or "")
    await woman.press_data(woman.last.buttons()[1].callback_data or "")  # network: a little
    await woman.press_data(woman.last.buttons()[0].callback_data or "")  # society: yes
    [again] = await woman.press("I would like to talk to my Bydelsmor again")
    assert "Thank you for answering!" in (again.text or "")
    assert "would like to talk with you again" in (bot.inbox(hodan.user_id)[-1].text or "")

    async with bot.services.db.transaction() as session:
        rows = list((await session.execute(select(Checkin).where(Checkin.audience == "woman"))).scalars())
    assert rows[1].answers == {"better": "better", "courage": "yes", "network": "little", "society": "yes"}
    assert rows[0].comment_encrypted is not None


async def test_no_answer_brings_one_reminder_then_counts_as_unanswered(bot: BotHarness, clock: Clock) -> None:
    woman, _, _ = await matched(bot)
    clock.advance(seconds=2)
    await bot.tick()  # the first check-in is asked
    asked = len(bot.inbox(woman.user_id))
    clock.advance(days=1)
    await bot.tick()
    reminders = bot.inbox(woman.user_id)[asked:]
    assert any("A gentle reminder" in (m.text or "") for m in reminders)
    clock.advance(days=7)
    await bot.tick()
    await bot.tick()
    assert ("woman", "followup", "unanswered") in await statuses(bot)
    reminded = [m for m in bot.inbox(woman.user_id) if "A gentle reminder" in (m.text or "")]
    assert 1 <= len(reminded) <= 2  # at most one for each of the two check-ins, never more


async def test_worse_offers_help_and_asks_only_who_should_contact_her(bot: BotHarness, clock: Clock) -> None:
    woman, hodan, coordinator = await matched(bot)
    clock.advance(seconds=2)
    await bot.tick()
    clock.advance(seconds=2)
    await bot.tick()  # the second check-in, which would also ask the evaluation's questions
    [help_now] = await woman.press("Worse")
    assert "112" in (help_now.text or "") and "1888" in (help_now.text or "")
    assert (help_now.text or "").endswith("Would you like your Bydelsmor or the coordinator to contact you?")
    assert [b.text for b in help_now.buttons()] == ["My Bydelsmor", "The coordinator"]
    assert "says things are worse" in (bot.inbox(coordinator.user_id)[-1].text or "")

    [thanks] = await woman.press("My Bydelsmor")
    assert "Thank you for answering!" in (thanks.text or "")
    assert "would like to talk with you again" in (bot.inbox(hodan.user_id)[-1].text or "")
    assert "more courage" not in " ".join(m.text or "" for m in bot.inbox(woman.user_id))
    assert "tell us more" not in " ".join(m.text or "" for m in bot.inbox(woman.user_id))

    async with bot.services.db.transaction() as session:
        rows = list((await session.execute(select(Checkin).where(Checkin.audience == "woman"))).scalars())
    # "Worse" is an answer: the check-in counts as answered, with no evaluation answers made up.
    assert [(row.status, row.answers) for row in rows][-1] == (
        "answered",
        {"better": "worse", "contact": "bydelsmor"},
    )


async def test_after_worse_she_may_ask_the_coordinator_to_contact_her(bot: BotHarness, clock: Clock) -> None:
    woman, hodan, _ = await matched(bot)
    clock.advance(seconds=2)
    await bot.tick()
    await woman.press("Worse")
    told = len(bot.inbox(hodan.user_id))
    [told_her] = await woman.press("The coordinator")
    assert "will contact you" in (told_her.text or "")
    assert len(bot.inbox(hodan.user_id)) == told  # her Bydelsmor is not told


async def test_a_comment_with_thoughts_of_suicide_gets_livslinien_and_alerts_the_coordinator(
    bot: BotHarness, clock: Clock
) -> None:
    woman, hodan, coordinator = await matched(bot)
    clock.advance(seconds=2)
    await bot.tick()
    await woman.press("The same")
    [answer, kept] = await woman.send("i dont want to live anymore")
    assert "Livslinien" in (answer.text or "") and "70 201 201" in (answer.text or "")
    assert "1888" not in (answer.text or "")
    # A comment goes to the organisation, not to her Bydelsmor: the answer does not say she reads it.
    assert "Your Bydelsmor has your message too." not in (answer.text or "")
    assert "We keep your words safe." in (kept.text or "")
    assert bot.inbox(hodan.user_id)[-1].text != "i dont want to live anymore"
    assert "Thoughts of suicide in #1 Brabrand" in (bot.inbox(coordinator.user_id)[-1].text or "")


async def test_stop_cancels_what_is_scheduled(bot: BotHarness, clock: Clock) -> None:
    woman, _, _ = await matched(bot)
    await woman.send("/stop")
    await woman.press("Yes, delete everything")
    clock.advance(seconds=10)
    await bot.tick()
    assert all(audience != "woman" for audience, _, _ in await statuses(bot))
    assert "Is it going better" not in (woman.last.text or "")


async def test_a_bydelsmor_says_it_is_too_much(bot: BotHarness, clock: Clock) -> None:
    _, hodan, coordinator = await matched(bot)
    clock.advance(seconds=3)
    await bot.tick()
    assert "Does your help stay within what a Bydelsmor does?" in (hodan.last.text or "")
    await hodan.press("It is getting too much")
    assert "getting too much for her" in (bot.inbox(coordinator.user_id)[-1].text or "")


async def test_a_check_in_due_while_the_bot_was_down_is_sent_once_when_it_is_back(
    bot: BotHarness, clock: Clock
) -> None:
    woman, _, _ = await matched(bot)
    clock.advance(hours=5)  # the bot was down
    await bot.restart()
    await bot.tick()
    await bot.tick()
    asked = [m for m in bot.inbox(woman.user_id) if "Is it going better" in (m.text or "")]
    assert len(asked) == 1  # both were due; she is asked once (the latest), not twice the same question
    assert ("woman", "followup", "cancelled") in await statuses(bot)


async def test_the_report_counts_only_the_check_in_sent_after_an_outage(
    bot: BotHarness, clock: Clock
) -> None:
    from bot import report

    woman, _, _ = await matched(bot)
    clock.advance(hours=5)  # the bot was down: both of her follow-ups are due
    await bot.restart()
    await bot.tick()
    asked = [m for m in bot.inbox(woman.user_id) if "Is it going better" in (m.text or "")]
    async with bot.services.db.transaction() as session:
        _, checkins = await report.collect(session, group=None, since=None)
    sent_to_her = [c for c in checkins if c.audience == "woman" and c.sent]
    assert len(asked) == 1
    assert len(sent_to_her) == 1  # the superseded one was never sent


async def test_the_end_of_the_talks_asks_how_it_went(bot: BotHarness, clock: Clock) -> None:
    woman, hodan, _ = await matched(bot)
    await hodan.send("/end")
    await hodan.press("She is doing better")
    await bot.tick()
    assert any("How did it go?" in (m.text or "") for m in bot.inbox(woman.user_id))
    assert ("woman", "followup", "cancelled") in await statuses(bot)


async def test_two_bot_processes_send_each_check_in_exactly_once(
    bot: BotHarness, clock: Clock, database_url: str, data_key: str, tmp_path: Path
) -> None:
    import asyncio

    woman, _, _ = await matched(bot)
    other = BotHarness(
        database_url=database_url,
        data_key=data_key,
        clock=clock,
        data_dir=tmp_path,
        settings={"checkin_after": "2s,4s", "bydelsmor_checkin_after": "3s", "quiet_hours": "off"},
    )
    other.standin = bot.standin  # the same Telegram
    await other.start()
    try:
        clock.advance(seconds=5)
        await asyncio.gather(bot.services.checkins.run_due(clock()), other.services.checkins.run_due(clock()))
        await asyncio.gather(bot.send_outbox(), other.send_outbox())
    finally:
        await other.stop()
    asked = [m for m in bot.inbox(woman.user_id) if "Is it going better" in (m.text or "")]
    assert len(asked) == 1  # once, by one of the two processes


async def test_the_report_prints_real_figures(bot: BotHarness, clock: Clock) -> None:
    from bot import report

    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    async with bot.services.db.transaction() as session:
        (await session.execute(select(Volunteer))).scalar_one().capacity_per_month = 10
    for _ in range(5):
        await woman_asks(bot, language="en")
        await hodan.press("Yes, I will talk with her")
    clock.advance(seconds=2)
    await bot.tick()
    async with bot.services.db.transaction() as session:
        matches, checkins = await report.collect(session, group=None, since=None)
    text = report.render_text(report.summarise(matches, checkins))
    assert "matches made: 5" in text
    assert "women: better since the last talk: too few to show (n=0)   (2015 evaluation: 89%)" in text
    assert "group,language,measure,value,positive,n,evaluation_2015" in report.render_csv(
        report.summarise(matches, checkins)
    )


async def test_a_second_tap_does_not_alert_twice(bot: BotHarness, clock: Clock) -> None:
    woman, _, coordinator = await matched(bot)
    clock.advance(seconds=2)
    await bot.tick()
    await woman.press("Worse")
    alerts = len(bot.inbox(coordinator.user_id))
    question = next(m for m in reversed(bot.inbox(woman.user_id)) if "Is it going better" in (m.text or ""))
    await bot.standin.press_button(
        woman.user_id, question.message_id, question.buttons()[2].callback_data or ""
    )
    await bot.process_pending()
    assert len(bot.inbox(coordinator.user_id)) == alerts


async def test_answering_every_question_counts_as_answered_without_a_comment(
    bot: BotHarness, clock: Clock
) -> None:
    woman, _, _ = await matched(bot)
    clock.advance(seconds=2)
    await bot.tick()
    await woman.press("Better")
    clock.advance(days=8)
    await bot.tick()
    assert ("woman", "followup", "answered") in await statuses(bot)


async def test_a_message_long_after_the_questions_goes_to_her_bydelsmor(
    bot: BotHarness, clock: Clock
) -> None:
    woman, hodan, coordinator = await matched(bot)
    clock.advance(seconds=2)
    await bot.tick()
    await woman.press("The same")
    clock.advance(hours=3)
    await woman.send("He hit me again and I am afraid")
    assert bot.inbox(hodan.user_id)[-1].text == "He hit me again and I am afraid"
    assert "Violence or threats at home in #1 Brabrand" in (bot.inbox(coordinator.user_id)[-1].text or "")
