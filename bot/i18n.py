"""Interface languages: gettext catalogs through Babel, the choice of locale, and right-to-left care.

Three kinds of "language" stay apart in this project:
- the *interface locale* (this module): the language the bot writes to a person in;
- *content translations*: the catalogs under locales/ that hold those texts;
- the *spoken languages* of a Bydelsmor, used for matching (ISO 639 codes, many more than we have catalogs).
A woman's interface locale gives the first guess of the language she wants to talk in (`spoken_language`).
"""

from __future__ import annotations

import csv
import gettext as stdlib_gettext
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final

from babel import Locale
from babel.support import Translations

from bot.domain.translations import COMMAND

__all__ = [
    "LANGUAGE_NAMES_FILE",
    "LOCALES",
    "SOURCE_LOCALE",
    "Texts",
    "UiLocale",
    "current_overrides",
    "isolate",
    "locale_from_telegram",
    "spoken_language_name",
    "texts",
    "use_overrides",
]

LOCALES_DIR: Final = Path(__file__).resolve().parent.parent / "locales"
DOMAIN: Final = "messages"
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate ... pop directional isolate


@dataclass(frozen=True, slots=True)
class UiLocale:
    code: str  # the folder under locales/, e.g. "fa_AF"
    native_name: str  # how the language calls itself: the label of its button
    cldr_code: str  # Babel/CLDR locale for plural rules and language names ("ku" for Kurmanji)
    telegram_code: str | None  # two-letter code for setMyDescription etc.; None where Telegram has none
    spoken_language: str  # the language she would talk in, as a spoken-language code for matching
    hints: tuple[str, ...] = ()  # Telegram language_code values that point here
    # Written right to left. CLDR says so too (tests/bot/test_i18n.py checks), but asking Babel at start
    # loaded the whole CLDR data of every locale: 32 MB held for one flag each.
    rtl: bool = False


# The order of the language picker: the languages most women who need a Bydelsmor read first
# (see docs/languages.md), then Danish and English.
LOCALES: Final[tuple[UiLocale, ...]] = (
    UiLocale("ar", "العربية", "ar", "ar", "ar", ("ar",), rtl=True),
    UiLocale("tr", "Türkçe", "tr", "tr", "tr", ("tr",)),
    UiLocale("kmr", "Kurmancî", "ku", "ku", "kmr", ("ku", "kmr")),
    UiLocale("ckb", "کوردی (سۆرانی)", "ckb", None, "ckb", ("ckb",), rtl=True),
    UiLocale("so", "Soomaali", "so", "so", "so", ("so",)),
    UiLocale("uk", "Українська", "uk", "uk", "uk", ("uk",)),
    UiLocale("ur", "اردو", "ur", "ur", "ur", ("ur",), rtl=True),
    UiLocale("fa", "فارسی", "fa", "fa", "fa", ("fa",), rtl=True),
    UiLocale("fa_AF", "دری", "fa_AF", None, "prs", ("fa-af", "prs"), rtl=True),
    UiLocale("pl", "Polski", "pl", "pl", "pl", ("pl",)),
    UiLocale("ro", "Română", "ro", "ro", "ro", ("ro", "mo")),
    UiLocale("bs", "Bosanski", "bs", "bs", "bs", ("bs", "hr", "sr-latn")),
    UiLocale("th", "ไทย", "th", "th", "th", ("th",)),
    UiLocale("fil", "Filipino", "fil", "tl", "fil", ("fil", "tl")),
    UiLocale("vi", "Tiếng Việt", "vi", "vi", "vi", ("vi",)),
    UiLocale("ta", "தமிழ்", "ta", "ta", "ta", ("ta",)),
    UiLocale("ru", "Русский", "ru", "ru", "ru", ("ru",)),
    UiLocale("ps", "پښتو", "ps", "ps", "ps", ("ps",), rtl=True),
    UiLocale("zh_Hans", "中文（简体）", "zh_Hans", "zh", "zh", ("zh-hans", "zh-cn", "zh-sg", "zh")),
    UiLocale("lt", "Lietuvių", "lt", "lt", "lt", ("lt",)),
    UiLocale("fr", "Français", "fr", "fr", "fr", ("fr",)),
    UiLocale("ti", "ትግርኛ", "ti", "ti", "ti", ("ti",)),
    UiLocale("sw", "Kiswahili", "sw", "sw", "sw", ("sw",)),
    UiLocale("bg", "Български", "bg", "bg", "bg", ("bg",)),
    UiLocale("hi", "हिन्दी", "hi", "hi", "hi", ("hi",)),
    UiLocale("pa", "ਪੰਜਾਬੀ", "pa", "pa", "pa", ("pa",)),
    UiLocale("sq", "Shqip", "sq", "sq", "sq", ("sq",)),
    UiLocale("de", "Deutsch", "de", "de", "de", ("de",)),
    UiLocale("am", "አማርኛ", "am", "am", "am", ("am",)),
    UiLocale("es", "Español", "es", "es", "es", ("es",)),
    UiLocale("da", "Dansk", "da", "da", "da", ("da",)),
    UiLocale("en", "English", "en", "en", "en", ("en",)),
)
SOURCE_LOCALE: Final = "en"  # msgids are English; en needs no catalog
BY_CODE: Final = {locale.code: locale for locale in LOCALES}

# Names CLDR gives oddly for our purpose ("Persian (Afghanistan)"): the spoken language code -> CLDR key.
# Only the fallback for a pair missing from the reviewed table, and the first draft of that table, use it.
_CLDR_LANGUAGE_KEY = {"prs": "fa_AF", "kmr": "ku"}
# locale, spoken language, name, source ("babel" as CLDR gives it, "reviewed" where a reader changed it).
# Made and extended by `python -m bot.catalogs language-names`; see bot/data/README.md.
LANGUAGE_NAMES_FILE: Final = "language_names.tsv"
LANGUAGE_NAMES_COLUMNS: Final = ("locale", "spoken", "name", "source")


def get_locale(code: str | None) -> UiLocale:
    """The shipped locale with this code, or English."""
    return BY_CODE.get(code or "", BY_CODE[SOURCE_LOCALE])


def locale_from_telegram(language_code: str | None) -> UiLocale | None:
    """Telegram's language_code is the phone app's language: a hint, not her choice."""
    if not language_code:
        return None
    tag = language_code.lower().replace("_", "-")
    for candidate in (tag, tag.split("-")[0]):
        for locale in LOCALES:
            if candidate in locale.hints:
                return locale
    return None


def isolate(value: object) -> str:
    """Wrap an inserted value (postcode, name, number) so it renders in place whatever its script.

    A Latin postcode inside Arabic text, or an Arabic-script name at the start of a Danish line, would
    otherwise take the line's direction with it.
    """
    return f"{FSI}{value}{PDI}"


@cache
def _catalog(code: str) -> stdlib_gettext.NullTranslations:
    if code == SOURCE_LOCALE:
        return stdlib_gettext.NullTranslations()
    translations = Translations.load(str(LOCALES_DIR), [code], DOMAIN)
    if not isinstance(translations, Translations):
        raise FileNotFoundError(
            f"No compiled catalog for {code!r} in {LOCALES_DIR}. Run `make compile` (make run/test do it)."
        )
    return translations


# Approved suggestions from the Bydelsmødre, on top of the catalogs: locale -> English text -> translation.
_overrides: dict[str, dict[str, str]] = {}


def use_overrides(overrides: dict[str, dict[str, str]]) -> None:
    """Replace the approved texts in force (at start, and by the tick after a coordinator approved one)."""
    global _overrides
    _overrides = {code: dict(texts) for code, texts in overrides.items()}


def current_overrides() -> dict[str, dict[str, str]]:
    return _overrides


class Texts:
    """The texts of one locale. `_("We found {place}", place=...)` translates, then fills in the values.

    Every value is isolated in every locale, so that a postcode or a name in another script renders in place;
    /commands written in the text are isolated too in right-to-left locales, where "/stop" would read "stop/"
    (in left-to-right text they are left alone, as Telegram finds them).
    """

    def __init__(self, locale: UiLocale) -> None:
        self.locale = locale
        self._catalog = _catalog(locale.code)
        self._rtl = locale.rtl

    def _fill(self, text: str, values: dict[str, object], template: str = "") -> str:
        for key, value in values.items():
            # A value that ends a sentence with its own full stop (Russian dates end in "г.", Lithuanian in
            # "d.") takes the sentence's: "20 марта 2026 г.." reads as a typo.
            if isinstance(value, str) and value.endswith("."):
                text, template = (
                    text.replace(f"{{{key}}}.", f"{{{key}}}"),
                    template.replace(f"{{{key}}}.", f"{{{key}}}"),
                )
        if self._rtl:
            # "/stop" inside Arabic text would show as "stop/": isolate commands like other LTR values.
            text = COMMAND.sub(lambda match: isolate(match.group(0)), text)
        values = {key: isolate(value) for key, value in values.items()}
        if not values:
            return text
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            # A broken translation must not silence the bot: say it in English rather than not at all.
            return template.format(**values)

    def raw(self, message: str) -> str | None:
        """The translation in force, unfilled; None where there is none yet."""
        override = _overrides.get(self.locale.code, {}).get(message)
        if override:
            return override
        translated = self._catalog.gettext(message)
        return translated if translated != message or self.locale.code == SOURCE_LOCALE else None

    def gettext(self, message: str, /, **values: object) -> str:
        override = _overrides.get(self.locale.code, {}).get(message)
        return self._fill(override or self._catalog.gettext(message), values, message)

    def ngettext(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        fallback = singular if count == 1 else plural
        return self._fill(
            self._catalog.ngettext(singular, plural, count), {"count": count, **values}, fallback
        )

    def command(self, name: str) -> str:
        """A /command to show on its own, isolated in right-to-left locales like any other LTR value."""
        return isolate(name) if self._rtl else name

    def language_name(self, spoken_language: str) -> str:
        return spoken_language_name(spoken_language, self.locale)


@cache
def texts(code: str) -> Texts:
    return Texts(get_locale(code))


def spoken_language_name(spoken_language: str, in_locale: UiLocale) -> str:
    """The name of a spoken language in an interface locale: "Somali" in English, "الصومالية" in Arabic.

    From the reviewed table (CLDR calls Sorani "Central Kurdish" and has no Dari in many languages); CLDR only
    for a pair the table lacks.
    """
    return reviewed_language_names().get((in_locale.code, spoken_language)) or cldr_language_name(
        spoken_language, in_locale
    )


@cache
def reviewed_language_names() -> dict[tuple[str, str], str]:
    """(interface locale, spoken language) -> name, read once from the table that ships with the bot."""
    with resources.files("bot.data").joinpath(LANGUAGE_NAMES_FILE).open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {(row["locale"], row["spoken"]): row["name"] for row in rows}


def cldr_language_name(spoken_language: str, in_locale: UiLocale) -> str:
    """What Babel's CLDR data calls a spoken language in a locale, or in English where it has no name."""
    key = _CLDR_LANGUAGE_KEY.get(spoken_language, spoken_language)
    for cldr in (in_locale.cldr_code, "en"):
        name = Locale.parse(cldr).languages.get(key)
        if name:
            return str(name)
    return spoken_language


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Mark a text for extraction; it is translated where it is shown."""
    return message
