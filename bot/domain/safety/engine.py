"""One language's rules as regular expressions, and finding them in her text.

Per language and kind, the patterns are grouped by how they may begin and end (a whole word, or a word
going on with `*`; Arabic-script words after an attached و / ف / ال) and each group becomes one regular
expression: a trie
in which patterns sharing their first letters share one branch, so a position is tried against a few first
letters rather than against every pattern. The word-boundary class (text.WORD_CHAR) stands once per group,
not once per pattern. Each pattern ends in an empty named group that says which one matched.

A match counts unless a word of [not] stands just before it (in the same sentence) or inside one of its
`...` (not for acute danger: "don't kill me!"), or it overlaps a phrase of [except].
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from bot.domain.safety.rulebook import GAP, Kind, Pattern, RuleFile
from bot.domain.safety.text import SCRIPTS, UNSPACED, WORD_CHAR, fold, normalise, script_of, scripts_in

__all__ = ["CompiledLanguage", "Signal", "compile_language"]

_BETWEEN_WORDS: Final = r"[\s'\-]*"  # "aidez-moi", "می‌زند" / "میزند" / "می زند"
_GAP_SPACED: Final = r"(?:[\s'\-]+\S+){0,2}?[\s'\-]+"  # up to two other words
_GAP_UNSPACED: Final = r".{0,6}?"  # Thai, Chinese: a few letters
_REST_OF_WORD: Final = r"\S*?"  # a `*` inside a pattern: the rest of that word
_ARABIC_PROCLITIC: Final = "(?:[وف])?(?:ال|بال|لل)?"  # attached "and", "so", "the"
_SENTENCE_END: Final = re.compile(r"[.!?;:,،؛؟।\n]")
_WORD_CHAR: Final = re.compile(WORD_CHAR)
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
        first, last = index == 0, index == len(words) - 1
        if "/" in word or "*" in word.strip("*"):
            # either word ("جوزي/زوجي"), or a `*` inside it: every `*` stands for the letters there, but
            # one at the pattern's very start or end is left to the missing boundary (no slow scanning)
            written = word.split("/")
            if first and all(form.startswith("*") for form in written):
                written = [form[1:] for form in written]
            if last and all(form.endswith("*") for form in written):
                written = [form[:-1] for form in written]
            forms = [_word_regex(form) for form in written]
            atoms.append(forms[0] if len(forms) == 1 else "(?:" + "|".join(forms) + ")")
            continue
        if word.startswith("*") and not first:
            atoms.append(_REST_OF_WORD)  # the word may begin earlier
        atoms.extend(_letters(word.strip("*")))
        if word.endswith("*") and not last:
            atoms.append(_REST_OF_WORD)  # the word may go on
    first_forms, last_forms = words[0].split("/"), words[-1].split("/")
    return _Shape(
        atoms=tuple(atoms),
        open_left=unspaced or all(form.startswith("*") for form in first_forms),
        open_right=unspaced or all(form.endswith("*") for form in last_forms),
        arabic=script == "arabic",
    )


def _letters(word: str) -> list[str]:
    """One atom a letter; a hyphen or apostrophe inside a word may also be a space or nothing."""
    atoms: list[str] = []
    for part in re.split(r"([\s'\-]+)", word):
        if re.fullmatch(r"[\s'\-]+", part):
            atoms.append(_BETWEEN_WORDS)  # "aidez-moi" written with its hyphen
        else:
            atoms.extend(re.escape(char) for char in part)
    return atoms


def _word_regex(form: str) -> str:
    return _REST_OF_WORD.join("".join(_letters(piece)) for piece in form.split("*"))


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
    present: re.Pattern[str]  # a letter of a script its patterns are written in: only then search
    anything: re.Pattern[str] | None  # all patterns at once: most messages are done after this search
    regexes: tuple[re.Pattern[str], ...]  # one a kind, so a pattern of one kind never hides another's
    rules: Mapping[str, _Rule]  # group name -> rule
    negation: re.Pattern[str] | None  # one word of [not]
    negation_after: re.Pattern[str] | None  # one word of [not after]
    exceptions: re.Pattern[str] | None
    phrases: tuple[str, ...]  # the patterns as phrases (Pattern.phrase), in the order written

    def find(self, *, normal: str, folded: str) -> list[Signal]:
        """The patterns of this language in her text (given normalised and folded)."""
        subject = normal if self.keep_marks else folded
        if self.anything is None or not self.present.search(subject) or not self.anything.search(subject):
            return []
        harmless = [match.span() for match in self.exceptions.finditer(subject)] if self.exceptions else []
        found: list[Signal] = []
        for regex in self.regexes:
            position = 0
            while (match := regex.search(subject, position)) is not None:
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
        if any(begin < end and start < finish for begin, finish in harmless):
            return True
        if rule.kind == Kind.ACUTE:  # "don't kill me!" is an alarm
            return False
        if self.negation_after is not None:
            after = _TOKEN.findall(_SENTENCE_END.split(subject[end:])[0])
            if end < len(subject) and _WORD_CHAR.match(subject[end]):
                after = after[1:]  # the match ended inside a word ("*"): its rest is no word of its own
            if any(self.negation_after.fullmatch(word) for word in after[:1]):
                return True
        if self.negation is None:
            return False
        before = _TOKEN.findall(_SENTENCE_END.split(subject[:start])[-1])
        if start and _WORD_CHAR.match(subject[start - 1]):
            before = before[:-1]  # the match began inside a word (*ضربني in بيضربني)
        words = before[-1:]
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
        phrase = normalise(pattern.phrase.replace("*", ""))
        compiled[name] = _Rule(kind=pattern.kind, phrase=phrase, own=own)
    # Search a message only when it has a letter of a script some pattern uses, anywhere in the pattern: a
    # line may hold a native spelling and its Latin one ("मुझे/mujhe"), in either order.
    scripts = set().union(*(scripts_in(_spelling(p.text, keep_marks=keep)) for p in rules.patterns))
    return CompiledLanguage(
        language=rules.language,
        keep_marks=keep,
        present=re.compile("[" + "".join(SCRIPTS[script] for script in sorted(scripts)) + "]"),
        anything=_group_regex(shapes),
        regexes=tuple(
            regex
            for kind in Kind
            if (regex := _group_regex({n: shape for n, shape in shapes.items() if compiled[n].kind == kind}))
        ),
        rules=MappingProxyType(compiled),
        negation=_words_regex(rules.negations, keep_marks=keep),
        negation_after=_words_regex(rules.negations_after, keep_marks=keep),
        exceptions=_exceptions_regex(rules.exceptions, keep_marks=keep),
        phrases=tuple(pattern.phrase for pattern in rules.patterns),
    )


def _words_regex(words: tuple[str, ...], *, keep_marks: bool) -> re.Pattern[str] | None:
    if not words:
        return None
    spelled = [
        re.escape(_spelling(word.rstrip("*"), keep_marks=keep_marks)) + (r"\S*" if word.endswith("*") else "")
        for word in words
    ]
    return re.compile("|".join(spelled))


def _exceptions_regex(exceptions: tuple[Pattern, ...], *, keep_marks: bool) -> re.Pattern[str] | None:
    shapes = {f"e{index}": _shape(p.text, keep_marks=keep_marks) for index, p in enumerate(exceptions)}
    return _group_regex(shapes)
