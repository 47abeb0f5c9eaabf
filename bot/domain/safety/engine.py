"""One language's rules as regular expressions, and finding them in her text.

Per language, the patterns are grouped by how they may begin and end (a whole word, or a word going on with
`*`; Arabic-script words after an attached و / ف / ال) and each group becomes one regular expression: a trie
in which patterns sharing their first letters share one branch, so a position is tried against a few first
letters rather than against every pattern. The word-boundary class (text.WORD_CHAR) stands once per group,
not once per pattern. Each pattern ends in an empty named group that says which one matched.

A match counts unless a word of [not] stands among the two words before it (within the sentence) or inside
one of its `...`, or it lies inside a phrase of [except].
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from bot.domain.safety.rulebook import GAP, Kind, Pattern, RuleFile
from bot.domain.safety.text import UNSPACED, WORD_CHAR, fold, normalise, script_of

__all__ = ["CompiledLanguage", "Signal", "compile_language"]

_BETWEEN_WORDS: Final = r"[\s'\-]*"  # "aidez-moi", "می‌زند" / "میزند" / "می زند"
_GAP_SPACED: Final = r"(?:[\s'\-]+\S+){0,2}?[\s'\-]+"  # up to two other words
_GAP_UNSPACED: Final = r".{0,6}?"  # Thai, Chinese: a few letters
_ARABIC_PROCLITIC: Final = "(?:[وف])?(?:ال|بال|لل)?"  # attached "and", "so", "the"
_SENTENCE_END: Final = re.compile(r"[.!?;:,،؛؟।\n]")
_TOKEN: Final = re.compile(r"[^\s.!?;:,،؛؟।\"()]+")


@dataclass(frozen=True, slots=True)
class Signal:
    """One pattern found in her text."""

    kind: Kind
    phrase: str  # the pattern as written, normalised, without the `*` at its ends
    language: str
    start: int  # where in the normalised text (for ordering)


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: Kind
    phrase: str
    own: re.Pattern[str] | None  # the pattern alone with its `...` captured, only where it has one


class _Trie:
    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.ends: list[str] = []

    def add(self, atoms: tuple[str, ...], end: str) -> None:
        node = self
        for atom in atoms:
            node = node.children.setdefault(atom, _Trie())
        node.ends.append(end)

    def pattern(self) -> str:
        # Longer patterns first: "he beats me" is reported rather than a shorter pattern it begins with.
        parts = [atom + child.pattern() for atom, child in self.children.items()] + self.ends
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True, slots=True)
class _Shape:
    atoms: tuple[str, ...]  # escaped letters, and the regex between two words
    open_left: bool
    open_right: bool
    arabic: bool


def _shape(text: str, *, keep_marks: bool, gap_groups: bool = False) -> _Shape:
    spelled = normalise(text) if keep_marks else fold(normalise(text))
    script = script_of(spelled)
    unspaced = script in UNSPACED
    atoms: list[str] = []
    words = spelled.split()
    gaps = 0
    for index, word in enumerate(words):
        if word == GAP:
            gap = _GAP_UNSPACED if unspaced else _GAP_SPACED
            atoms.append(f"(?P<g{gaps}>{gap})" if gap_groups else gap)
            gaps += 1
            continue
        if index and words[index - 1] != GAP:
            atoms.append(r"\s*" if unspaced else _BETWEEN_WORDS)
        for part in re.split(r"([\s'\-]+)", word.strip("*")):
            if re.fullmatch(r"[\s'\-]+", part):
                atoms.append(_BETWEEN_WORDS)  # "aidez-moi" written with its hyphen
            else:
                atoms.extend(re.escape(char) for char in part)
    return _Shape(
        atoms=tuple(atoms),
        open_left=unspaced or text.startswith("*"),
        open_right=unspaced or text.endswith("*"),
        arabic=script == "arabic",
    )


def _regex(shape: _Shape, body: str) -> str:
    left = "" if shape.open_left else f"(?<!{WORD_CHAR})" + (_ARABIC_PROCLITIC if shape.arabic else "")
    right = "" if shape.open_right else f"(?!{WORD_CHAR})"
    return f"{left}{body}{right}"


def _group_regex(shapes: Mapping[str, _Shape]) -> re.Pattern[str] | None:
    """All patterns (by group name) as one regex: one trie per way of beginning and ending."""
    tries: dict[tuple[bool, bool, bool], _Trie] = {}
    for name, shape in shapes.items():
        key = (shape.open_left, shape.open_right, shape.arabic)
        tries.setdefault(key, _Trie()).add(shape.atoms, f"(?P<{name}>)")
    if not tries:
        return None
    alternatives = []
    for (open_left, open_right, arabic), trie in tries.items():
        shape = _Shape(atoms=(), open_left=open_left, open_right=open_right, arabic=arabic)
        alternatives.append(_regex(shape, trie.pattern()))
    return re.compile("|".join(alternatives))


def _spelling(text: str, *, keep_marks: bool) -> str:
    return normalise(text) if keep_marks else fold(normalise(text))


@dataclass(frozen=True, slots=True)
class CompiledLanguage:
    language: str
    keep_marks: bool
    regex: re.Pattern[str] | None
    rules: Mapping[str, _Rule]  # group name -> rule
    negation: re.Pattern[str] | None  # one word of [not]
    exceptions: re.Pattern[str] | None
    phrases: tuple[str, ...]  # the patterns as written (for the reviewers and the tests)

    def find(self, *, normal: str, folded: str) -> list[Signal]:
        """The patterns of this language in her text (given normalised and folded)."""
        if self.regex is None:
            return []
        subject = normal if self.keep_marks else folded
        harmless = [match.span() for match in self.exceptions.finditer(subject)] if self.exceptions else []
        found: list[Signal] = []
        position = 0
        while (match := self.regex.search(subject, position)) is not None:
            rule = self.rules[match.lastgroup or ""]
            start, end = match.span()
            if self._cancelled(subject, rule, start, end, harmless):
                position = start + 1
                continue
            found.append(Signal(kind=rule.kind, phrase=rule.phrase, language=self.language, start=start))
            position = max(end, start + 1)
        return found

    def _cancelled(
        self, subject: str, rule: _Rule, start: int, end: int, harmless: list[tuple[int, int]]
    ) -> bool:
        if any(begin <= start and end <= finish for begin, finish in harmless):
            return True
        if self.negation is None:
            return False
        before = _SENTENCE_END.split(subject[:start])[-1]
        words = _TOKEN.findall(before)[-2:]
        if rule.own is not None and (own := rule.own.match(subject, start)) is not None:
            words += [word for gap in own.groups() if gap for word in _TOKEN.findall(gap)]
        return any(self.negation.fullmatch(word) for word in words)


def compile_language(rules: RuleFile) -> CompiledLanguage:
    keep = rules.keep_marks
    shapes: dict[str, _Shape] = {}
    compiled: dict[str, _Rule] = {}
    for index, pattern in enumerate(rules.patterns):
        assert pattern.kind is not None
        name = f"p{index}"
        shapes[name] = _shape(pattern.text, keep_marks=keep)
        own = None
        if GAP in pattern.text.split():
            gapped = _shape(pattern.text, keep_marks=keep, gap_groups=True)
            own = re.compile(_regex(gapped, "".join(gapped.atoms)))
        phrase = normalise(pattern.text.strip("*"))
        compiled[name] = _Rule(kind=pattern.kind, phrase=phrase, own=own)
    negation = None
    if rules.negations:
        words = [
            re.escape(_spelling(word.rstrip("*"), keep_marks=keep)) + (r"\S*" if word.endswith("*") else "")
            for word in rules.negations
        ]
        negation = re.compile("|".join(words))
    return CompiledLanguage(
        language=rules.language,
        keep_marks=keep,
        regex=_group_regex(shapes),
        rules=MappingProxyType(compiled),
        negation=negation,
        exceptions=_exceptions_regex(rules.exceptions, keep_marks=keep),
        phrases=tuple(pattern.text for pattern in rules.patterns),
    )


def _exceptions_regex(exceptions: tuple[Pattern, ...], *, keep_marks: bool) -> re.Pattern[str] | None:
    shapes = {f"e{index}": _shape(p.text, keep_marks=keep_marks) for index, p in enumerate(exceptions)}
    return _group_regex(shapes)

