"""Reading one language's rule file (the format is described in README.md next to this module).

A rule file is plain text a bilingual Bydelsmor can read and edit: sections `[acute]`, `[violence]`,
`[suicide]` hold the patterns of each kind of danger, `[not]` the words that cancel a pattern when they stand
just before it (or inside its `...`), `[except]` the harmless phrases (idioms, games, cooking) a pattern may
stand inside. This module only reads and checks the text; engine.py turns it into regular expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

__all__ = ["GAP", "Kind", "Pattern", "RuleFile", "RuleFileError", "parse"]

GAP: Final = "..."  # between two words: up to two other words may stand here


class Kind(StrEnum):
    """The kinds of danger, each with its own answer (acute first: it is checked first)."""

    ACUTE = "acute"  # danger to life now: 112 first
    SUICIDE = "suicide"  # thoughts of suicide or self-harm: Livslinien and the coordinator
    VIOLENCE = "violence"  # violence or threats at home, kept inside, forced marriage, honour, the children


class RuleFileError(ValueError):
    """A rule file a reviewer must fix, with the file and line to look at."""


@dataclass(frozen=True, slots=True)
class Pattern:
    """One line of a rule file: the words as written, `*` and `...` included."""

    text: str
    kind: Kind | None  # None for the phrases of [except]
    line: int

    @property
    def phrase(self) -> str:
        """The pattern as a phrase: the first of each word's forms (a/b), the `*` inside it dropped (those
        at its two ends kept). Written out in a sentence, this phrase is found, and reported normalised
        without any `*`."""
        words = [word.split("/")[0].replace("*", "") if word != GAP else word for word in self.text.split()]
        inner = " ".join(words)
        return ("*" if self.text.startswith("*") else "") + inner + ("*" if self.text.endswith("*") else "")


@dataclass(frozen=True, slots=True)
class RuleFile:
    language: str
    patterns: tuple[Pattern, ...]  # the danger patterns, in the order written
    negations: tuple[str, ...]  # words that cancel a pattern just after them, `*` allowed at the end
    negations_after: tuple[str, ...]  # words that cancel a pattern just before them ("slår mig ikke")
    exceptions: tuple[Pattern, ...]  # harmless phrases: a pattern found inside one does not count
    keep_marks: bool  # match with accents and tone marks (Vietnamese), not folded


_SECTIONS: Final = {kind.value for kind in Kind} | {"not", "not after", "except"}


def _check_pattern(text: str, *, where: str) -> None:
    words = text.split()
    if not words or words[0] == GAP or words[-1] == GAP:
        raise RuleFileError(f"{where}: `...` may only stand between two words: {text!r}")
    for index, word in enumerate(words):
        if word == GAP:
            if words[index - 1] == GAP:
                raise RuleFileError(f"{where}: two `...` in a row: {text!r}")
            continue
        if any(not form.replace("*", "") for form in word.split("/")):
            raise RuleFileError(f"{where}: an empty word (a lone `*` or `/`): {text!r}")


def parse(language: str, source: str, *, name: str = "") -> RuleFile:
    """The rules of one language from the text of its file; RuleFileError names the line to fix."""
    section: str | None = None
    keep_marks = False
    patterns: list[Pattern] = []
    negations: list[str] = []
    negations_after: list[str] = []
    exceptions: list[Pattern] = []
    for number, raw in enumerate(source.splitlines(), start=1):
        where = f"{name or language}:{number}"
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            if section not in _SECTIONS:
                raise RuleFileError(f"{where}: unknown section [{section}]; known: {sorted(_SECTIONS)}")
            continue
        if section is None:
            key, _, value = line.partition(":")
            if key.strip() == "accents" and value.strip() in ("keep", "fold"):
                keep_marks = value.strip() == "keep"
                continue
            raise RuleFileError(f"{where}: before the first [section] only `accents: keep` may stand")
        text = " ".join(line.split())
        if section in ("not", "not after"):
            if len(text.split()) != 1 or "*" in text.rstrip("*"):
                raise RuleFileError(f"{where}: [{section}] holds single words (a `*` may end one): {text!r}")
            (negations if section == "not" else negations_after).append(text)
            continue
        _check_pattern(text, where=where)
        if section == "except":
            exceptions.append(Pattern(text=text, kind=None, line=number))
        else:
            patterns.append(Pattern(text=text, kind=Kind(section), line=number))
    seen: set[str] = set()
    for pattern in patterns:
        if pattern.text in seen:
            raise RuleFileError(f"{name or language}:{pattern.line}: written twice: {pattern.text!r}")
        seen.add(pattern.text)
    return RuleFile(
        language=language,
        patterns=tuple(patterns),
        negations=tuple(negations),
        negations_after=tuple(negations_after),
        exceptions=tuple(exceptions),
        keep_marks=keep_marks,
    )
