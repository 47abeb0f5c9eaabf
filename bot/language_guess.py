"""Guess a woman's language from what she writes, offline, to offer it with one button (never to switch).

The statistical detector (lingua, low-accuracy mode: 75 MB and fast) knows most of our languages; where it
does not (Kurmanji, Sorani, Pashto, Tigrinya, Amharic) or cannot tell (Persian or Dari), the letters decide.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Protocol

from bot.domain.scripts import letters, main_script, script_candidates

if TYPE_CHECKING:  # lingua itself is imported on the first guess, not when the bot starts
    from lingua import LanguageDetector

__all__ = ["LanguageGuesser", "LinguaGuesser"]

# Our locales that lingua knows, by lingua's name for the language (lingua.Language's member names).
_LINGUA: dict[str, tuple[str, ...]] = {
    "ARABIC": ("ar",),
    "PERSIAN": ("fa", "fa_AF"),  # the same written language: she chooses Persian or Dari
    "URDU": ("ur",),
    "TURKISH": ("tr",),
    "SOMALI": ("so",),
    "UKRAINIAN": ("uk",),
    "POLISH": ("pl",),
    "ROMANIAN": ("ro",),
    "BOSNIAN": ("bs",),
    "CROATIAN": ("bs",),
    "SERBIAN": ("bs",),
    "THAI": ("th",),
    "TAGALOG": ("fil",),
    "VIETNAMESE": ("vi",),
    "TAMIL": ("ta",),
    "RUSSIAN": ("ru",),
    "CHINESE": ("zh_Hans",),
    "LITHUANIAN": ("lt",),
    "FRENCH": ("fr",),
    "SWAHILI": ("sw",),
    "BULGARIAN": ("bg",),
    "HINDI": ("hi",),
    "PUNJABI": ("pa",),
    "ALBANIAN": ("sq",),
    "GERMAN": ("de",),
    "SPANISH": ("es",),
    "DANISH": ("da",),
    "ENGLISH": ("en",),
}
# Short texts say too little: "hi", an emoji, a place name ("8220 Brabrand" reads as Spanish, "Odense" as
# German), a greeting ("mulțumesc frumos" reads as Spanish). Latin and Cyrillic need a sentence; a script
# used by one or two of our languages needs a word.
MIN_WORDS = 3
MIN_LETTERS = 10
MIN_LETTERS_DISTINCT_SCRIPT = 2
MIN_LETTERS_ARABIC_SCRIPT = 4
# How sure the detector must be (its confidence values sum to 1 over our languages).
MIN_CONFIDENCE = 0.9
_ARABIC_SCRIPT = ("ARABIC", "PERSIAN", "URDU")


class LanguageGuesser(Protocol):
    def guess(self, text: str) -> tuple[str, ...]:
        """Locale codes that may be the language of `text`, best first; empty when unsure."""
        ...


@cache
def _detector(arabic_script: bool) -> LanguageDetector:
    """Built on the first guess that needs it (its models take 25 MB), in the low-accuracy mode."""
    from lingua import Language, LanguageDetectorBuilder

    names = _ARABIC_SCRIPT if arabic_script else tuple(_LINGUA)
    languages = [getattr(Language, name) for name in names]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


class LinguaGuesser:
    def guess(self, text: str) -> tuple[str, ...]:
        found = letters(text)
        by_script = script_candidates(text)
        if by_script is not None:
            return by_script if len(found) >= MIN_LETTERS_DISTINCT_SCRIPT else ()
        arabic_script = main_script(text) == "arabic"
        if arabic_script:
            if len(found) < MIN_LETTERS_ARABIC_SCRIPT:
                return ()
        elif len(found) < MIN_LETTERS or len(text.split()) < MIN_WORDS:
            return ()
        values = _detector(arabic_script).compute_language_confidence_values(text)
        if not values or values[0].value < MIN_CONFIDENCE:
            return ()
        return _LINGUA.get(values[0].language.name, ())
