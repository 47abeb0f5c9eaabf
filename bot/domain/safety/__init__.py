"""Danger in a woman's own words: which kind of danger her message speaks of, in the languages she uses.

The rules are data, one file per language in rules/ (the format is in README.md, for a bilingual reviewer):
per kind of danger (acute danger to life, violence at home, suicide) a list of patterns with inflection
wildcards (`döv*`), words that may stand up to two words apart (`bana ... vur*`), words that cancel a
pattern when they come just before it ("he never hits me") and harmless phrases a pattern may stand inside
(Danish "du kan slå mig ihjel": for the life of me). A missed signal is worse than a false alarm, but false
alarms on everyday words cost trust, so patterns are short phrases, not single everyday words.

- `assess(text, languages=...)` judges her text with the rules of the languages she uses only (her interface
  language, the one she asked to be helped in, the one guessed from the message, English and Danish: see
  `languages_for`): every language against every message fires on other languages' everyday words.
- `danger_signals(text)` is the older question, every language at once: no longer used by the bot
  (bot/danger.py uses `assess`), kept for the bench's cross-language comparison and the older table tests.

The rules of a language are read and compiled on first use (importlib.resources), so importing is cheap.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from bot.domain.safety.engine import CompiledLanguage, Signal, compile_language
from bot.domain.safety.rulebook import Kind, RuleFile, RuleFileError, parse
from bot.domain.safety.text import fold, normalise

__all__ = [
    "LANGUAGES",
    "PHRASES",
    "Assessment",
    "Kind",
    "RuleFileError",
    "Signal",
    "assess",
    "danger_signals",
    "language_rules",
    "languages_for",
    "normalise",
    "rule_file",
]

# The interface languages (bot/i18n.py), each with its rule file rules/<code>.txt.
LANGUAGES: Final = (
    "ar", "tr", "kmr", "ckb", "so", "uk", "ur", "fa", "fa_AF", "pl", "ro", "bs", "th", "fil", "vi", "ta",
    "ru", "ps", "zh_Hans", "lt", "fr", "ti", "sw", "bg", "hi", "pa", "sq", "de", "am", "es", "da", "en",
)  # fmt: skip
ALWAYS: Final = ("en", "da")  # Danish where she lives, English as the common second language
# Other codes that name the same language: spoken-language codes (bot/domain/languages.py), Telegram's.
_ALIASES: Final = {
    "prs": "fa_AF", "fa-af": "fa_AF", "fa_af": "fa_AF", "zh": "zh_Hans", "zh-hans": "zh_Hans",
    "zh_hans": "zh_Hans", "zh-cn": "zh_Hans", "hr": "bs", "sr": "bs", "sr-latn": "bs", "ku": "kmr",
    "tl": "fil", "mo": "ro",
}  # fmt: skip
_SEVERITY: Final = (
    Kind.ACUTE,
    Kind.SUICIDE,
    Kind.VIOLENCE,
)  # the answer shown first when two kinds are found


def _locale(code: str) -> str | None:
    if code in LANGUAGES:
        return code
    lowered = code.strip().lower()
    return _ALIASES.get(lowered) or next((known for known in LANGUAGES if known.lower() == lowered), None)


# One written language, two interface languages: a Persian speaker's message is a Dari speaker's too.
_SAME_WRITING: Final = {"fa": ("fa_AF",), "fa_AF": ("fa",)}


def languages_for(*codes: str | None) -> frozenset[str]:
    """The rule languages to judge her messages by: the given codes (interface locale, spoken-language code,
    the guessed languages; unknown ones and None are skipped), the languages written the same way (Persian
    and Dari), and always English and Danish."""
    found = {locale for code in codes if code and (locale := _locale(code))}
    same = {other for locale in found for other in _SAME_WRITING.get(locale, ())}
    return frozenset(found | same | set(ALWAYS))


def rule_file(language: str) -> str:
    """The text of a language's rule file, as a reviewer edits it."""
    return (resources.files(__package__) / "rules" / f"{language}.txt").read_text(encoding="utf-8")


@cache
def language_rules(language: str) -> RuleFile:
    return parse(language, rule_file(language), name=f"rules/{language}.txt")


@cache
def _compiled(language: str) -> CompiledLanguage:
    return compile_language(language_rules(language))


@dataclass(frozen=True, slots=True)
class Assessment:
    """What her message speaks of: the most urgent kind found, the phrase that says so, and all found."""

    kind: Kind
    phrase: str
    signals: tuple[Signal, ...]


def _signals(text: str, languages: Iterable[str]) -> list[Signal]:
    normal = normalise(text)
    if not normal:
        return []
    folded = fold(normal)
    found: list[Signal] = []
    for language in languages:
        found.extend(_compiled(language).find(normal=normal, folded=folded))
    return sorted(found, key=lambda signal: (signal.start, signal.phrase))


def assess(text: str, *, languages: Collection[str]) -> Assessment | None:
    """The danger her text speaks of, judged by the rules of `languages` only (locale or spoken-language
    codes; see `languages_for`), or None."""
    scoped = sorted({code for code in map(_locale, languages) if code})
    signals = tuple(_signals(text, scoped))
    if not signals:
        return None
    kind = min((signal.kind for signal in signals), key=_SEVERITY.index)
    phrase = next(signal.phrase for signal in signals if signal.kind == kind)
    return Assessment(kind=kind, phrase=phrase, signals=signals)


def danger_signals(text: str) -> tuple[str, ...]:
    """The danger phrases (normalised) found in her text, in any of our languages, in the order she wrote
    them; empty when there is none."""
    return tuple(dict.fromkeys(signal.phrase for signal in _signals(text, LANGUAGES)))


class _Phrases(Mapping[str, tuple[str, ...]]):
    """Each language's patterns as written in its rule file, read on first use."""

    def __getitem__(self, language: str) -> tuple[str, ...]:
        if language not in LANGUAGES:
            raise KeyError(language)
        return _compiled(language).phrases

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


PHRASES: Final[Mapping[str, tuple[str, ...]]] = _Phrases()
