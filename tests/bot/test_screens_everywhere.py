"""The matching texts in every locale: within Telegram's limits, values isolated in every locale."""

from datetime import date

import pytest

from bot import checkin_screens, coordinator_screens, match_screens
from bot import volunteer_screens as views
from bot.i18n import FSI, LOCALES, UiLocale, texts
from bot.ui import Reply

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
            answer_hours=4,
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
        match_screens.safety_help(t),
        match_screens.ask_end(t, 123456),
        match_screens.takes_longer(t, "Soomaali"),
        coordinator_screens.alert(t, kind="safety", reference="#12 Brabrand"),
        coordinator_screens.invite(t, group="Bydelsmødre Gellerup", link=link, days=14),
        checkin_screens.woman_better(t, 123456, reminder=True),
        checkin_screens.woman_measure(t, 123456, "society"),
        checkin_screens.woman_more(t, 123456),
        checkin_screens.final_question(t, 123456),
        checkin_screens.bydelsmor_scope(t, 123456, "#12 Brabrand"),
        checkin_screens.bydelsmor_quarter(t, 123456, "courage"),
        checkin_screens.worse_help(t, match_screens.Helplines()),
    ]


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
    safety = match_screens.safety_help(
        texts(locale.code), match_screens.Helplines(emergency="113", violence="1999")
    )
    assert "113" in safety.text and "1999" in safety.text  # the numbers come from the settings
