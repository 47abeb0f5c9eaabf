"""The languages a Bydelsmor can say she speaks: many more than the bot's own interface languages.

The Bydelsmødre speak 54 languages; these are the ones found among women from the largest immigrant groups
in Denmark (docs/languages.md), as ISO 639 codes. Dari is "prs" and Kurmanji "kmr", as in matching.
"""

from __future__ import annotations

SPOKEN_LANGUAGES: tuple[str, ...] = (
    "ar", "tr", "kmr", "ckb", "so", "uk", "ur", "fa", "prs", "ps", "pl", "ro", "bs", "hr", "sr", "sq", "mk",
    "bg", "ru", "lt", "lv", "et", "hu", "cs", "th", "fil", "vi", "ta", "si", "hi", "pa", "bn", "gu", "ne",
    "zh", "ja", "ko", "fr", "es", "pt", "it", "de", "nl", "en", "da", "sv", "nb", "fi", "is", "ti", "am",
    "om", "sw", "yo", "ha", "ig", "ln", "rw", "wo", "he", "hy", "ka", "az", "uz", "tg", "syr",
)  # fmt: skip
