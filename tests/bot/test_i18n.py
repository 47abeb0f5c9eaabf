"""Filling in values: a value that ends in a full stop does not get a second one."""

from datetime import date

import pytest
from babel.dates import format_date

from bot import volunteer_screens
from bot.i18n import texts


@pytest.mark.parametrize("code", ["ru", "uk", "bg", "bs", "lt"])
def test_a_date_that_ends_in_a_full_stop_ends_the_sentence_once(code: str) -> None:
    t = texts(code)
    day = format_date(date(2026, 3, 20), format="long", locale=t.locale.cldr_code)
    assert day.endswith(".")
    text = volunteer_screens.paused(t, date(2026, 3, 20)).text
    assert ".." not in text and day in text


def test_other_values_keep_the_sentence_as_written() -> None:
    t = texts("en")
    assert t.gettext("Enjoy your break! 🌷 We will ask you again after {date}.", date="March 20, 2026") == (
        "Enjoy your break! 🌷 We will ask you again after March 20, 2026."
    )
