"""The course for Bydelsmødre end to end: offers on schedule, /course, pause and resume, the practice
question, and one tip before her 2nd and 3rd talk with a woman (quiet hours 20:00-09:00 Copenhagen)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import CourseProgress, Volunteer
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness, Phone

OFFER_1 = "Your course, lesson 1 of 6: Open questions"
OFFER_2 = "Your course, lesson 2 of 6: Listening back and summarising"
TIP = "a tip from your course:"


@pytest.fixture
async def bot(database_url: str, data_key: str, clock: Clock, tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = BotHarness(
        database_url=database_url,
        data_key=data_key,
        clock=clock,
        data_dir=tmp_path,
        settings={"course": True},
    )
    await harness.start()
    yield harness
    await harness.close()


def texts_of(bot: BotHarness, phone: Phone) -> list[str]:
    return [message.text or "" for message in bot.inbox(phone.user_id)]


async def progress_of(bot: BotHarness, phone: Phone) -> CourseProgress:
    async with bot.services.db.transaction() as session:
        volunteer = (
            await session.execute(select(Volunteer).where(Volunteer.telegram_user_id == phone.user_id))
        ).scalar_one()
        progress = await session.get(CourseProgress, volunteer.id)
        assert progress is not None
        return progress


async def take_lesson(phone: Phone, *, choose: str) -> str:
    """Read every screen of the lesson on screen and answer its practice question; the answer's text."""
    await phone.press("▶️ Start the lesson")
    while any(button.text == "Next ›" for button in phone.last.buttons()):
        await phone.press("Next ›")
    [question] = await phone.press("To the practice question ›")
    assert [button.text for button in question.buttons()] == ["1", "2", "3"]
    [answer] = await phone.press(choose)
    return answer.text or ""


async def test_lesson_1_after_joining_and_the_next_a_week_later(bot: BotHarness, clock: Clock) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await bot.tick()
    offer = hodan.last
    assert OFFER_1 in (offer.text or "")
    assert [button.text for button in offer.buttons()] == ["▶️ Start the lesson", "⏸ Pause the course"]

    [first] = await hodan.press("▶️ Start the lesson")
    assert "Open questions · 1/3" in (first.text or "")
    assert "An open question cannot be answered with yes or no." in (first.text or "")
    await hodan.press("Next ›")
    await hodan.press("Next ›")
    [question] = await hodan.press("To the practice question ›")
    assert "Fatima writes" in (question.text or "") and '2. "What did the teacher say?"' in (
        question.text or ""
    )
    [answer] = await hodan.press("2")
    assert (answer.text or "").startswith("✅ Yes, that is it.")
    assert "Lesson 2 comes in a week. Write /course if you want it sooner." in (answer.text or "")
    progress = await progress_of(bot, hodan)
    assert (progress.lessons_done, progress.status, progress.practice_answers) == (
        1,
        "scheduled",
        {"open-questions": 2},
    )

    clock.advance(days=6, hours=23)
    await bot.tick()
    assert not any(OFFER_2 in text for text in texts_of(bot, hodan))
    clock.advance(hours=1)
    await bot.tick()
    assert OFFER_2 in (hodan.last.text or "")
    await bot.tick()
    assert sum(OFFER_2 in text for text in texts_of(bot, hodan)) == 1  # offered once, then it waits for her


async def test_a_wrong_answer_is_explained_and_still_finishes_the_lesson(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await bot.tick()
    answer = await take_lesson(hodan, choose="1")
    assert answer.startswith("Not quite. The best answer is 2.")
    assert '"What did the teacher say?" is open' in answer
    assert (await progress_of(bot, hodan)).lessons_done == 1


async def test_no_offer_in_quiet_hours_it_waits_for_the_morning(bot: BotHarness, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 2, 20, 30, tzinfo=UTC)  # 21:30 in Copenhagen
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await bot.tick()
    assert not any(OFFER_1 in text for text in texts_of(bot, hodan))
    clock.now = datetime(2026, 3, 3, 7, 59, tzinfo=UTC)  # 08:59
    await bot.tick()
    assert not any(OFFER_1 in text for text in texts_of(bot, hodan))
    clock.now = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)  # 09:00
    await bot.tick()
    assert OFFER_1 in (hodan.last.text or "")

    clock.now = datetime(2026, 3, 3, 20, 30, tzinfo=UTC)  # she reads it at 21:30 ...
    await take_lesson(hodan, choose="2")
    clock.now = datetime(2026, 3, 10, 20, 30, tzinfo=UTC)  # ... a week later it is quiet again
    await bot.tick()
    assert not any(OFFER_2 in text for text in texts_of(bot, hodan))
    clock.now = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
    await bot.tick()
    assert OFFER_2 in (hodan.last.text or "")


async def test_course_pause_and_resume(bot: BotHarness, clock: Clock) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await bot.tick()
    await take_lesson(hodan, choose="2")

    [status] = await hodan.send("/course")
    assert status.text == "Your course: 1 of 6 lessons done."
    assert [button.text for button in status.buttons()] == ["▶️ Next lesson now", "⏸ Pause the course"]
    [paused] = await hodan.press("⏸ Pause the course")
    assert paused.text == "The course is paused. Write /course when you want to go on."
    clock.advance(days=30)
    await bot.tick()
    assert not any(OFFER_2 in text for text in texts_of(bot, hodan))

    [status] = await hodan.send("/course")
    assert status.text == "Your course: 1 of 6 lessons done.\nThe course is paused."
    [lesson] = await hodan.press("▶️ Resume the course")
    assert "Listening back and summarising · 1/3" in (lesson.text or "")
    assert (await progress_of(bot, hodan)).status == "offered"


async def test_next_lesson_now_and_the_end_of_the_course(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await bot.tick()
    answers = {1: "2", 2: "3", 3: "3", 4: "2", 5: "2", 6: "3"}
    for number in range(1, 7):
        if number > 1:
            await hodan.send("/course")
            await hodan.press("▶️ Next lesson now")
        else:
            await hodan.press("▶️ Start the lesson")
        while any(button.text == "Next ›" for button in hodan.last.buttons()):
            await hodan.press("Next ›")
        await hodan.press("To the practice question ›")
        [answer] = await hodan.press(answers[number])
        assert (answer.text or "").startswith("✅")
    assert "You have finished the course. Thank you for all you do for the women." in (answer.text or "")
    [status] = await hodan.send("/course")
    assert (status.text or "").startswith("Your course: 6 of 6 lessons done.")
    assert (await progress_of(bot, hodan)).status == "finished"


async def test_a_woman_is_told_the_course_is_for_bydelsmoedre(bot: BotHarness) -> None:
    woman = bot.phone(language_code="en")
    [reply] = await woman.send("/course")
    assert reply.text == "The course is for Bydelsmødre. Ask your coordinator for an invitation."


async def test_one_tip_before_the_2nd_and_3rd_talk_and_none_before_the_4th(
    bot: BotHarness, clock: Clock
) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await bot.tick()  # lesson 1 offered
    woman = await woman_asks(bot, language="en")
    await hodan.press("Yes, I will talk with her")
    tips: list[list[str]] = []
    for _day in range(4):
        await woman.send("Hello, can we talk today?")
        await hodan.send("Yes, of course. How are you?")
        await bot.tick()
        await woman.send("Thank you")
        await bot.tick()
        tips.append([text for text in texts_of(bot, hodan) if TIP in text])
        clock.advance(days=1)
    assert [len(found) for found in tips] == [0, 1, 2, 2]
    second, third = tips[3]
    assert "Before your talk with #" in second
    assert "say back in your own words what she has told you" in second  # listening back
    assert "What have you thought about yourself?" in third  # not solving it for her


async def test_no_lesson_while_she_is_still_joining_nor_after_she_was_deactivated(
    bot: BotHarness, clock: Clock
) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    async with bot.services.db.transaction() as session:
        volunteer = (
            await session.execute(select(Volunteer).where(Volunteer.telegram_user_id == hodan.user_id))
        ).scalar_one()
        volunteer.setup_step = "languages"  # still answering her invitation's questions
    await bot.tick()
    assert not any(OFFER_1 in text for text in texts_of(bot, hodan))

    async with bot.services.db.transaction() as session:
        volunteer = (
            await session.execute(select(Volunteer).where(Volunteer.telegram_user_id == hodan.user_id))
        ).scalar_one()
        volunteer.setup_step = None
    await bot.tick()
    assert OFFER_1 in (hodan.last.text or "")
    await take_lesson(hodan, choose="2")

    async with bot.services.db.transaction() as session:
        volunteer = (
            await session.execute(select(Volunteer).where(Volunteer.telegram_user_id == hodan.user_id))
        ).scalar_one()
        volunteer.active = False
    clock.advance(days=8)
    await bot.tick()
    assert not any(OFFER_2 in text for text in texts_of(bot, hodan))
