"""No screen needs scrolling on a small phone: every text the bot shows is at most 400 characters, in every
locale. Longer screens are split into two messages or said shorter (issue 17)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.geo import Postcode
from bot.i18n import LOCALES, UiLocale, texts
from bot.onboarding import screens
from bot.ui import Reply
from tests.bot.test_screens_everywhere import every_screen

SCREEN_MAX = 400  # characters: about what a small phone shows without scrolling, keyboard closed
BRABRAND = Postcode(code="8220", place="Brabrand", municipality="Aarhus", latitude=56.15, longitude=10.11)


def onboarding_screens(code: str) -> list[Reply]:
    t = texts(code)
    return [
        screens.greeting(t),
        screens.introduction(t),
        screens.consent_question(t, 365),
        screens.consent_refused(t),
        screens.postcode_question(t),
        screens.postcode_unknown(t, "9999"),
        screens.postcode_not_understood(t),
        screens.confirm_location(t, BRABRAND),
        screens.topics_question(t, []),
        screens.note_question(t),
        screens.summary(t, spoken_language="so", postcode=BRABRAND),
        screens.welcome_back_waiting(t),
        screens.welcome_back(t),
        screens.help_text(t),
        screens.my_data(
            t,
            consent_given=True,
            spoken_language="so",
            postcode=BRABRAND,
            postcode_declined=False,
            topics=["letters", "health"],
            note_kinds={"text", "voice"},
            since=date(2026, 3, 2),
        ),
        screens.stop_question(t),
        screens.erased(t),
    ]


@pytest.mark.parametrize("locale", LOCALES, ids=lambda locale: locale.code)
def test_no_screen_needs_scrolling(locale: UiLocale) -> None:
    messages = [
        part
        for reply in [*onboarding_screens(locale.code), *every_screen(locale.code)]
        for part in (reply.lead, reply.text)  # a long screen is said in two messages: each must fit
        if part is not None
    ]
    too_long = [f"{len(text)}: {text[:60]!r}" for text in messages if len(text) > SCREEN_MAX]
    assert too_long == []
