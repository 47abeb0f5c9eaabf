"""What a text's letters alone say about its language: the fallback where no statistical model knows it."""

from __future__ import annotations

import unicodedata

__all__ = ["letters", "main_script", "script_candidates"]

# Letters only these languages use, among those written in Arabic script that we ship.
_SORANI_LETTERS = set("ێڵڕۆە")
_PASHTO_LETTERS = set("ټډړښږځڅېۍ")
# Latin letters and words that mark Kurmanji, which statistical models often take for Turkish.
_KURMANJI_LETTERS = set("êîû")
_KURMANJI_WORDS = {
    "ez", "tu", "ji", "bi", "li", "û", "ne", "çi", "min", "te", "silav", "spas", "dixwazim", "alîkarî",
    "kurdî", "hûn", "em", "ku", "jî", "heye", "nîne", "kerem", "xêr", "zarokên", "zimanê",
}  # fmt: skip


def letters(text: str) -> str:
    return "".join(char for char in text if unicodedata.category(char).startswith("L"))


def _script(char: str) -> str:
    code = ord(char)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF or 0xAB00 <= code <= 0xAB2F:
        return "ethiopic"
    if 0x0B80 <= code <= 0x0BFF:
        return "tamil"
    if 0x0E00 <= code <= 0x0E7F:
        return "thai"
    if 0x0A00 <= code <= 0x0A7F:
        return "gurmukhi"
    if 0x0900 <= code <= 0x097F:
        return "devanagari"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
        return "han"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if char.isascii() or 0x00C0 <= code <= 0x024F:
        return "latin"
    return "other"


def main_script(text: str) -> str | None:
    counts: dict[str, int] = {}
    for char in letters(text):
        script = _script(char)
        counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda script: counts[script]) if counts else None


def script_candidates(text: str) -> tuple[str, ...] | None:
    """Locales the script settles, best first; None when the script alone cannot tell."""
    script = main_script(text)
    found = set(letters(text))
    if script == "arabic":
        if found & _SORANI_LETTERS:
            return ("ckb",)
        if found & _PASHTO_LETTERS:
            return ("ps",)
        return None  # Arabic, Persian or Urdu: the model decides
    if script == "latin":
        words = {word.strip(".,!?;:").lower() for word in text.split()}
        hits = len(words & _KURMANJI_WORDS)
        # Kurmanji typed without ê/î/û is still Kurmanji when enough of its little words are there.
        if (found & _KURMANJI_LETTERS and hits >= 2) or hits >= 3:
            return ("kmr",)
        return None
    return {
        "ethiopic": ("ti", "am"),  # one script, two languages: she chooses
        "tamil": ("ta",),
        "thai": ("th",),
        "gurmukhi": ("pa",),
        "devanagari": ("hi",),
        "han": ("zh_Hans",),
    }.get(script or "")
