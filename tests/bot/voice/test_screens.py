"""The key screens and the texts of /listen and /record, in every locale."""

from __future__ import annotations

import pytest

from bot.checkins import screens as checkin_screens
from bot.i18n import LOCALES, UiLocale, texts
from bot.matching import screens as match_screens
from bot.onboarding import screens
from bot.translations.service import source_texts
from bot.voice import screens as views
from bot.voice.screens import KEY_SCREENS, key_screen, screen_text, source_hash

SCREEN_MAX = 400  # what a woman reads on one screen (tests/bot/test_screen_length.py)


def test_every_part_of_a_key_screen_is_a_text_of_the_bot() -> None:
    known = set(source_texts())
    assert [part for screen in KEY_SCREENS for part in screen.parts if part not in known] == []


def test_each_key_screen_is_named_where_it_is_shown() -> None:
    t = texts("so")
    shown = [
        views.listen_question(t),
        screens.greeting(t),
        screens.introduction(t),
        screens.consent_question(t, 365),
        screens.postcode_question(t),
        screens.topics_question(t, []),
        screens.note_question(t),
        screens.summary(t, spoken_language="so", postcode=None),
        match_screens.matched(t, name="Hodan", language="Soomaali"),
        *(match_screens.danger_help(t, kind) for kind in ("acute", "violence", "suicide")),
        checkin_screens.woman_better(t, 1, reminder=False),
        *(checkin_screens.woman_measure(t, 1, question) for question in ("courage", "network", "society")),
        screens.stop_question(t),
    ]
    assert sorted(reply.screen or "" for reply in shown) == sorted(screen.key for screen in KEY_SCREENS)
    # Nobody free yet: a text of its own, which no recording says.
    assert screens.summary(t, spoken_language="so", postcode=None, nobody_free="...").screen is None


def test_a_changed_translation_changes_the_hash() -> None:
    from bot.i18n import use_overrides

    consent = key_screen("consent")
    assert consent is not None
    before = source_hash(consent, "so")
    try:
        use_overrides({"so": {"Is that all right?": "Ma ku fiican tahay?"}})
        assert source_hash(consent, "so") != before
        assert "Ma ku fiican tahay?" in screen_text(consent, "so")
    finally:
        use_overrides({})
    assert source_hash(consent, "so") == before


@pytest.mark.parametrize("locale", LOCALES, ids=lambda locale: locale.code)
def test_the_texts_fit_in_every_locale(locale: UiLocale) -> None:
    t = texts(locale.code)
    for_her = [
        views.listen_question(t),
        views.listen_question(t, listening=True),
        views.listen_question(t, listening=False),
        views.listening_on(t),
        views.listening_off(t),
    ]
    for_the_bydelsmor = [
        views.not_a_bydelsmor(t),
        views.no_languages(t),
        views.choose_language(t, list(LOCALES)),
        views.ask_keep(t, "so"),
        *(
            views.show_screen(
                t,
                locale=locale,
                index=index,
                recorded=3,
                total=len(KEY_SCREENS),
                text=screen_text(screen, locale.code),
                danish=screen_text(screen, "da"),
            )
            for index, screen in enumerate(KEY_SCREENS)
        ),
        views.recording_kept(t, recording_id=2_000_000_000, code="zh_Hans", index=16),
        views.play_back(t, "file"),
        views.withdrawn(t),
        views.all_recorded(t, locale),
        views.not_a_voice(t),
    ]
    for reply in for_her:
        assert 0 < len(reply.text) <= SCREEN_MAX
    for reply in for_her + for_the_bydelsmor:
        assert 0 < len(reply.text) <= 4096
        for row in reply.buttons:
            for button in row:
                assert 0 < len(button.data.encode()) <= 64
                assert len(button.label) <= 46, button.label
