"""Guess a woman's language from what she writes, offline, to offer it with one button (never to switch).

The statistical detector (lingua, low-accuracy mode: 75 MB and fast) knows most of our languages; where it
does not (Kurmanji, Sorani, Pashto, Tigrinya, Amharic) or cannot tell (Persian or Dari), the letters decide.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from bot.domain.scripts import letters, script_candidates

__all__ = ["LanguageGuesser", "LinguaGuesser"]

# Our locales that lingua knows, by lingua's name for the language.
_LINGUA: dict[Language, tuple[str, ...]] = {
    Language.ARABIC: ("ar",),
    Language.PERSIAN: ("fa", "fa_AF"),  # the same written language: she chooses Persian or Dari
    Language.URDU: ("ur",),
    Language.TURKISH: ("tr",),
    Language.SOMALI: ("so",),
    Language.UKRAINIAN: ("uk",),
    Language.POLISH: ("pl",),
    Language.ROMANIAN: ("ro",),
    Language.BOSNIAN: ("bs",),
    Language.CROATIAN: ("bs",),
    Language.SERBIAN: ("bs",),
    Language.THAI: ("th",),
    Language.TAGALOG: ("fil",),
    Language.VIETNAMESE: ("vi",),
    Language.TAMIL: ("ta",),
    Language.RUSSIAN: ("ru",),
    Language.CHINESE: ("zh_Hans",),
    Language.LITHUANIAN: ("lt",),
    Language.FRENCH: ("fr",),
    Language.SWAHILI: ("sw",),
    Language.BULGARIAN: ("bg",),
    Language.HINDI: ("hi",),
    Language.PUNJABI: ("pa",),
    Language.ALBANIAN: ("sq",),
    Language.GERMAN: ("de",),
    Language.SPANISH: ("es",),
    Language.DANISH: ("da",),
    Language.ENGLISH: ("en",),
}
# Fewer letters than this say too little ("hi", "ok", an emoji); distinctive scripts need fewer.
MIN_LETTERS = 6
MIN_LETTERS_DISTINCT_SCRIPT = 2


class LanguageGuesser(Protocol):
    def guess(self, text: str) -> tuple[str, ...]:
        """Locale codes that may be the language of `text`, best first; empty when unsure."""
        ...


@cache
def _detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(*_LINGUA)
        .with_low_accuracy_mode()
        .with_minimum_relative_distance(0.1)
        .build()
    )


class LinguaGuesser:
    def guess(self, text: str) -> tuple[str, ...]:
        found = letters(text)
        by_script = script_candidates(text)
        if by_script is not None:
            return by_script if len(found) >= MIN_LETTERS_DISTINCT_SCRIPT else ()
        if len(found) < MIN_LETTERS:
            return ()
        language = _detector().detect_language_of(text)
        return _LINGUA.get(language, ()) if language is not None else ()
