"""The matching texts in every locale: within Telegram's limits, values isolated in every locale."""

from datetime import UTC, date, datetime

import pytest

from bot import coordinator_screens
from bot.checkins import screens as checkin_screens
from bot.course import screens as course_screens
from bot.course.content import LESSON_COUNT, lesson_in
from bot.group import screens as group_screens
from bot.i18n import FSI, LOCALES, UiLocale, texts
from bot.matching import screens as match_screens
from bot.ui import Reply
from bot.volunteers import screens as views

MEETING = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
TEXT_MAX = 4096
CALLBACK_MAX = 64


def every_screen(code: str) -> list[Reply]:
    t = texts(code)
    place = "8220 Brabrand"
    link = "https://t.me/x?start=inv-abc"
    return [
        views.offer(
            t,
            offer_id=123456,
            language="Soomaali",
            place=place,
            topics=["x"],
            waited_hours=50,
            answer_minutes=240,
        ),
        views.first_talk_guide(t, "#12 Brabrand"),
        views.who_is_it_for(t, [(1, "#1 Brabrand"), (2, "#2 Aarhus V")]),
        views.profile(
            t,
            name="Hodan",
            languages=["Soomaali"],
            place=place,
            capacity=3,
            load=1,
            paused_until=date(2026, 4, 1),
        ),
        views.ask_end_reason(t, 123456),
        views.ask_pause(t),
        views.ask_languages(t, ["Soomaali"], [("ar", "العربية")]),
        match_screens.matched(t, name="Hodan", language="Soomaali"),
        *(
            match_screens.danger_help(t, kind, bydelsmor_reads=True)
            for kind in ("acute", "violence", "suicide")
        ),
        match_screens.ask_end(t, 123456),
        match_screens.takes_longer(t, "Soomaali"),
        *(
            coordinator_screens.danger_alert(
                t, kind=kind, language="so", reference="#12 Brabrand", helplines=match_screens.Helplines()
            )
            for kind in ("acute", "violence", "suicide")
        ),
        coordinator_screens.invite(t, group="Bydelsmødre Gellerup", link=link, days=14),
        checkin_screens.woman_better(t, 123456, reminder=True),
        checkin_screens.woman_measure(t, 123456, "society"),
        checkin_screens.woman_more(t, 123456),
        checkin_screens.final_question(t, 123456),
        checkin_screens.bydelsmor_scope(t, 123456, "#12 Brabrand"),
        checkin_screens.bydelsmor_quarter(t, 123456, "courage"),
        checkin_screens.worse_help(t, 123456, match_screens.Helplines(), bydelsmor=True),
        checkin_screens.worse_help(t, 123456, match_screens.Helplines(), bydelsmor=False),
        coordinator_screens.alert(
            t, kind="nobody_left", reference="#12 8220 Brabrand", spoken_language="ti", place="8220 Brabrand"
        ),
        *course_screens_in(code),
        # "Ask my coordinator", announcements and women's news (bot.group)
        group_screens.bydelsmor_help(t),
        group_screens.write_question(t),
        group_screens.question_again(t),
        group_screens.question_sent(t),
        group_screens.no_coordinator(t),
        group_screens.question_cancelled(t),
        group_screens.answer_to_bydelsmor(t, "Ja, det må du gerne."),
        group_screens.question_for_coordinator(t, question_id=123456, name="Hodan", text=None),
        group_screens.write_answer(t, "Hodan"),
        group_screens.answer_as_text(t),
        group_screens.answered_already(t),
        group_screens.answer_sent(t, "Hodan"),
        group_screens.announcement_for_bydelsmor(
            t,
            announcement_id=123456,
            group="Bydelsmødre Gellerup",
            text="Fællesmøde",
            starts_at=MEETING,
            place="Globus1",
        ),
        group_screens.announcement_answered(t, coming=True),
        group_screens.announcement_answered(t, coming=False),
        group_screens.announcement_for_woman(t, text="Morgenmad", starts_at=MEETING, place="Globus1"),
        group_screens.ask_news(t),
        group_screens.news_on(t),
        group_screens.news_off(t),
        group_screens.news_first_start(t),
    ]


def course_screens_in(code: str) -> list[Reply]:
    """The course's frames around each lesson as she reads it (her language's file, or the fallback)."""
    t = texts(code)
    replies = [
        course_screens.status(t, done=done, count=LESSON_COUNT, state=state)
        for done, state in ((0, "offered"), (3, "paused"), (6, "finished"))
    ]
    replies += [course_screens.paused(t), course_screens.not_a_bydelsmor(t)]
    for number in range(1, LESSON_COUNT + 1):
        lesson = lesson_in(code, number)
        following = number + 1 if number < LESSON_COUNT else None
        replies += [
            course_screens.offer(t, lesson, LESSON_COUNT),
            course_screens.practice(t, lesson),
            course_screens.answer(t, lesson, lesson.practice.answer, next_number=following),
            course_screens.answer(t, lesson, lesson.practice.answer % 3 + 1, next_number=following),
            course_screens.tip(t, lesson, "#12 Brabrand"),
            *(course_screens.screen(t, lesson, index) for index in range(len(lesson.screens))),
        ]
    return replies


@pytest.mark.parametrize("locale", LOCALES, ids=lambda locale: locale.code)
def test_every_matching_screen_fits_and_keeps_right_to_left_in_place(locale: UiLocale) -> None:
    for reply in every_screen(locale.code):
        assert 0 < len(reply.text) <= TEXT_MAX
        for row in reply.buttons:
            for button in row:
                assert 0 < len(button.data.encode()) <= CALLBACK_MAX
                assert len(button.label) <= 46, button.label  # one per row; a phone shows ~40
        if "8220 Brabrand" in reply.text:
            assert f"{FSI}8220 Brabrand" in reply.text
    t = texts(locale.code)
    helplines = match_screens.Helplines(emergency="113", violence="1999", suicide="70 000 000")
    acute = match_screens.danger_help(t, "acute", helplines).text
    violence = match_screens.danger_help(t, "violence", helplines).text
    suicide = match_screens.danger_help(t, "suicide", helplines).text
    # The numbers come from the settings; each kind shows its own.
    assert "113" in acute and "1999" in acute and "70 000 000" not in acute
    assert "1999" in violence and "113" not in violence and "70 000 000" not in violence
    assert "70 000 000" in suicide and "1999" not in suicide and "113" not in suicide
    if locale.rtl:
        assert f"{FSI}70 000 000" in suicide  # a number with spaces stays in one piece
