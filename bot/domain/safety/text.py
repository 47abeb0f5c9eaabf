"""Her text in one spelling, and where words begin and end in each script.

`normalise` is what the rules and her text both go through (casefold, NFKC, Arabic-script letter variants);
`fold` is a stricter spelling used only for matching (Latin and Cyrillic accents, Persian/Pashto/Sorani/Urdu
letters typed on another keyboard, Ethiopic homophones, nukta ...), so "beni dovuyor" finds "beni dövüyor" and
"مي‌ترسم" finds "می‌ترسم".
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["SCRIPTS", "UNSPACED", "WORD_CHAR", "fold", "normalise", "script_of", "scripts_in"]

_APOSTROPHES: Final = str.maketrans(dict.fromkeys("’‘ʼʹ`´′", "'"))
_ALEF: Final = "أإآٱٲٳٵ"
_Table = dict[str | int, str | int | None]
_NORMALISE_MAP: Final[_Table] = {
    **dict.fromkeys(range(0x0610, 0x061B)),  # Quranic marks
    **dict.fromkeys(range(0x064B, 0x0660)),  # tashkeel: fathatan ... wavy hamza
    0x0670: None,  # superscript alef
    **dict.fromkeys(range(0x06D6, 0x06DD)),
    **dict.fromkeys(range(0x06DF, 0x06E9)),
    **dict.fromkeys(range(0x06EA, 0x06EE)),
    0x0640: None,  # tatweel
    **dict.fromkeys((0x00AD, 0x200B, 0x200D, 0x200E, 0x200F, 0xFEFF)),  # soft hyphen, zero-width, marks
    **dict.fromkeys(range(0x202A, 0x202F)),  # bidi embeddings
    **dict.fromkeys(range(0x2066, 0x206A)),  # bidi isolates
    **dict.fromkeys(_ALEF, "ا"),
    "ي": "ی",  # Arabic yeh -> Persian yeh
    "ى": "ی",  # alef maksura, the undotted final yeh Arabic writers often use
    "ك": "ک",  # Arabic kaf -> Persian kaf
    "፡": " ",  # Ethiopic word space
}
_NORMALISE: Final = str.maketrans(_NORMALISE_MAP)


def _ethiopic_homophones() -> _Table:
    """Letters Amharic writers use interchangeably (ሐ/ኀ/ሀ, ሠ/ሰ, ዐ/አ, ፀ/ጸ), and ቐ/ቀ, ኸ/ከ in Tigrinya."""
    table: _Table = {}
    for source, target in ((0x1210, 0x1200), (0x1280, 0x1200), (0x1220, 0x1230), (0x12D0, 0x12A0),
                           (0x1340, 0x1338), (0x1250, 0x1240), (0x1278, 0x12A8)):  # fmt: skip
        for order in range(7):
            table[source + order] = target + order
    return table


_FOLD_MAP: Final[_Table] = {
    **dict.fromkeys(range(0x0300, 0x0370)),  # Latin/Cyrillic accents, after NFD
    **dict.fromkeys((0x0653, 0x0654, 0x0655)),  # Arabic hamza and madda, after NFD (أ ؤ ئ ۀ)
    **dict.fromkeys(_ALEF, "ا"),
    "ي": "ی", "ى": "ی", "ك": "ک",
    **dict.fromkeys("ةۀہھەۂ", "ه"),  # teh marbuta and the heh forms of Persian, Urdu, Sorani
    **dict.fromkeys("ێېۍےۓ", "ی"),  # Sorani, Pashto and Urdu yeh
    "ۆ": "و", "ڕ": "ر", "ڵ": "ل",  # Sorani letters typed on a Persian keyboard
    "ګ": "گ", "ړ": "ر", "ټ": "ت", "ډ": "د", "ښ": "ش", "ږ": "ژ", "ڼ": "ن",  # Pashto
    "ٹ": "ت", "ڈ": "د", "ڑ": "ر", "ں": "ن",  # Urdu
    "\u200c": " ",  # zero-width non-joiner (Persian half-space): "می‌زند" as "می زند"
    "ı": "i", "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ґ": "г",
    "\u093c": None, "\u0901": "\u0902",  # Devanagari nukta; candrabindu as anusvara
    "\u0a3c": None, "\u0a71": None, "\u0a70": "\u0a02",  # Gurmukhi nukta, addak; tippi as bindi
    **_ethiopic_homophones(),
}  # fmt: skip
_FOLD: Final = str.maketrans(_FOLD_MAP)


def normalise(text: str) -> str:
    """Her text in one spelling: casefolded, NFKC, without Arabic diacritics or tatweel, one yeh, one kaf,
    one alef, one apostrophe, no invisible marks, single spaces."""
    text = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES))
    text = unicodedata.normalize("NFKC", text.casefold()).translate(_NORMALISE)
    return " ".join(text.split())


def fold(normalised: str) -> str:
    """A stricter spelling for matching only: accents, keyboard variants and homophones folded."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", normalised).translate(_FOLD))


# Scripts, by the letters that may occur in a normalised and folded text.
SCRIPTS: Final = {
    "latin": "a-z\u00c0-\u024f\u1e00-\u1eff",
    "cyrillic": "\u0400-\u04ff",
    "arabic": "\u0600-\u06ff\u0750-\u077f",
    "ethiopic": "\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f",
    "devanagari": "\u0900-\u097f",
    "gurmukhi": "\u0a00-\u0a7f",
    "tamil": "\u0b80-\u0bff",
    "thai": "\u0e00-\u0e7f",
    "han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
}
UNSPACED: Final = frozenset({"thai", "han"})  # no spaces between words: match anywhere
_SCRIPT_OF_LETTER: Final = {name: re.compile(f"[{letters}]") for name, letters in SCRIPTS.items()}


# One letter of a word, in every script we match with word boundaries. Python's \w counts letters and
# digits but not the combining vowel signs of Devanagari, Gurmukhi and Tamil (मारती, ਮਾਰਦਾ), so their blocks
# are added, without the danda (।॥), which ends a sentence. Defined once and kept short: it stands once per
# compiled group of rules, not once per phrase (that cost 50 MB when every phrase repeated 1,000 marks).
WORD_CHAR: Final = "[\\w\u0300-\u036f\u0900-\u0963\u0966-\u097f\u0a00-\u0a7f\u0b80-\u0bff]"


def scripts_in(phrase: str) -> set[str]:
    """Every known script a phrase has a letter of (a line may hold a native and a Latin spelling)."""
    return {name for char in phrase for name, letter in _SCRIPT_OF_LETTER.items() if letter.match(char)}


def script_of(phrase: str) -> str:
    """The script of the first letter of a phrase that belongs to one we know."""
    for char in phrase:
        for name, letter in _SCRIPT_OF_LETTER.items():
            if letter.match(char):
                return name
    raise ValueError(f"No known script in the phrase {phrase!r}")
