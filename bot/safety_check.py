"""`python -m bot safety check --language LANG`: try sentences against the danger rules, one a line.

For the reviewers of the rule files (a bilingual Bydelsmor, a coordinator): each sentence is judged as a
woman whose interface and spoken language is LANG would be (her language, the languages guessed from the
sentence, English and Danish), and answered with `KIND<TAB>matched phrase`, or `none`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bot.domain.safety import assess, languages_for
from bot.language_guess import LanguageGuesser

__all__ = ["check_lines"]


def check_lines(lines: Iterable[str], *, language: str, guesser: LanguageGuesser) -> Iterator[str]:
    """One answer a sentence: `KIND<TAB>phrase` or `none` (an empty line is answered `none` too)."""
    for line in lines:
        text = line.rstrip("\n")
        found = assess(text, languages=languages_for(language, *guesser.guess(text)))
        yield "none" if found is None else f"{found.kind}\t{found.phrase}"
