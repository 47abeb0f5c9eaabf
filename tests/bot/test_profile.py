"""What a woman reads before she presses Start, in every language Telegram has a code for."""

import pytest

from bot.i18n import LOCALES
from bot.profile import COMMAND_DESCRIPTION_MAX, DESCRIPTION_MAX, SHORT_DESCRIPTION_MAX, profile_for, profiles


@pytest.mark.parametrize("locale", LOCALES, ids=lambda locale: locale.code)
def test_the_profile_fits_telegram_limits(locale: object) -> None:
    profile = profile_for(locale)  # type: ignore[arg-type]
    assert 0 < len(profile.description) <= DESCRIPTION_MAX
    assert 0 < len(profile.short_description) <= SHORT_DESCRIPTION_MAX
    for name, description in profile.commands:
        assert name.islower() and len(name) <= 32
        assert 0 < len(description) <= COMMAND_DESCRIPTION_MAX


def test_every_language_with_a_telegram_code_gets_its_own_profile_and_english_is_the_default() -> None:
    codes = [profile.language_code for profile in profiles()]
    assert codes[0] is None
    assert set(codes[1:]) == {locale.telegram_code for locale in LOCALES if locale.telegram_code}
