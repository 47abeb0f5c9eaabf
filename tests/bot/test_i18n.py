"""Filling in values (isolated, one full stop), and the names of spoken languages in every locale."""

import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date
from pytest import MonkeyPatch

from bot import catalogs
from bot.catalogs import LANGUAGE_NAMES
from bot.domain.languages import SPOKEN_LANGUAGES
from bot.i18n import (
    FSI,
    LOCALES,
    PDI,
    UiLocale,
    get_locale,
    reviewed_language_names,
    spoken_language_name,
    texts,
)
from bot.matching import screens as match_screens
from bot.volunteers import screens as volunteer_screens


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
        f"Enjoy your break! 🌷 We will ask you again after {FSI}March 20, 2026{PDI}."
    )


# Spoken-language names: the reviewed table.

# Names a reader chose to keep in Latin letters inside a non-Latin-script locale: none today.
LATIN_ON_PURPOSE: set[tuple[str, str]] = set()


def _writes_latin(text: str) -> bool:
    return any(unicodedata.name(char, "").startswith("LATIN") for char in text)


def test_sorani_and_dari_are_called_what_women_call_them() -> None:
    sorani, arabic, somali = get_locale("ckb"), get_locale("ar"), get_locale("so")
    assert spoken_language_name("ckb", sorani) == "کوردیی سۆرانی"  # not "Central Kurdish"
    assert spoken_language_name("prs", sorani) == "دەری"  # not Latin "Dari"
    assert spoken_language_name("prs", arabic) == "الدرية"  # not "الدارية"
    assert spoken_language_name("prs", somali) == "Dari"  # "Faarsi" is Persian
    assert spoken_language_name("fa", somali) != spoken_language_name("prs", somali)
    for code in ("fa", "fa_AF", "ur"):
        assert spoken_language_name("prs", get_locale(code)) == "دری"
    assert spoken_language_name("ckb", get_locale("en")) == "Kurdish (Sorani)"
    assert spoken_language_name("kmr", get_locale("en")) == "Kurdish (Kurmanji)"
    assert spoken_language_name("zh", get_locale("zh_Hans")) == "中文"


def test_every_spoken_language_has_a_name_in_every_locale() -> None:
    table = reviewed_language_names()
    missing = [
        (locale.code, spoken)
        for locale in LOCALES
        for spoken in SPOKEN_LANGUAGES
        if not table.get((locale.code, spoken), "").strip()
    ]
    assert missing == []
    assert len(table) == len(LOCALES) * len(SPOKEN_LANGUAGES)


def test_two_languages_never_share_a_name_in_one_locale() -> None:
    for locale in LOCALES:
        names = [spoken_language_name(spoken, locale) for spoken in SPOKEN_LANGUAGES]
        assert len(set(names)) == len(names), locale.code


def test_a_non_latin_locale_writes_language_names_in_its_own_script() -> None:
    latin = [
        (locale.code, spoken, spoken_language_name(spoken, locale))
        for locale in LOCALES
        if not _writes_latin(locale.native_name)
        for spoken in SPOKEN_LANGUAGES
        if _writes_latin(spoken_language_name(spoken, locale))
        and (locale.code, spoken) not in LATIN_ON_PURPOSE
    ]
    assert latin == []


def test_the_table_says_where_each_name_comes_from() -> None:
    with LANGUAGE_NAMES.open(encoding="utf-8") as handle:
        header, *rows = [line.rstrip("\n").split("\t") for line in handle]
    assert header == ["locale", "spoken", "name", "source"]
    assert {row[3] for row in rows} == {"babel", "reviewed"}
    assert all(len(row) == 4 for row in rows)


def test_making_the_table_again_keeps_the_reviewed_names(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    table = tmp_path / "language_names.tsv"
    reviewed = LANGUAGE_NAMES.read_text(encoding="utf-8")
    lines = reviewed.splitlines(keepends=True)
    new_pair = next(line for line in lines if line.endswith("\tbabel\n"))  # a new language, say
    table.write_text("".join(line for line in lines if line != new_pair), encoding="utf-8")
    monkeypatch.setattr(catalogs, "LANGUAGE_NAMES", table)
    assert catalogs.language_names() == (len(lines) - 2, 1)
    assert table.read_text(encoding="utf-8") == reviewed


# Isolation of inserted values.


@pytest.mark.parametrize("code", ["da", "so", "en"])
def test_an_arabic_script_name_stays_in_its_place_in_a_left_to_right_text(code: str) -> None:
    t = texts(code)
    text = match_screens.matched(t, name="فاطمة", language=t.language_name("so")).text
    assert f"{FSI}فاطمة{PDI}" in text
    assert f"{FSI}{t.language_name('so')}{PDI}" in text
    # What decides the line's direction (its first strong letter outside isolates) is the locale's own text.
    outside = re.sub(f"{FSI}.*?{PDI}", "", text)
    first_letter = next(char for char in outside if char.isalpha())
    assert _writes_latin(first_letter)


def test_left_to_right_text_keeps_its_commands_as_written() -> None:
    assert texts("da").command("/stop") == "/stop"
    assert texts("ar").command("/stop") == f"{FSI}/stop{PDI}"


@pytest.mark.parametrize("locale", LOCALES, ids=lambda locale: locale.code)
def test_each_locale_is_written_in_the_direction_cldr_gives_it(locale: UiLocale) -> None:
    """The flag is written down (reading it from Babel at start held all of CLDR in memory): CLDR agrees."""
    assert locale.rtl == (Locale.parse(locale.cldr_code).character_order == "right-to-left")
