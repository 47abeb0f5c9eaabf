"""The rule format (kinds, `*`, `...`, a/b, [not], [not after], [except]), scoping by language, and the
evaluation set's targets for the languages written in the format."""

from __future__ import annotations

import pytest

from bench.safety import FINISHED, evaluate, load_cases
from bot.domain.safety import (
    LANGUAGES,
    PHRASES,
    Kind,
    RuleFileError,
    assess,
    danger_signals,
    language_rules,
    languages_for,
)
from bot.domain.safety.engine import CompiledLanguage, compile_language
from bot.domain.safety.rulebook import parse

RULES = """
# a comment
[acute]
coming ... knife*
kill me

[violence]
hit* me
he beat* me
scared/afraid of ... husband
i'm not safe

[suicide]
want* to die

[not]
never
doesn't

[not after]
ikke

[except]
hit* me up   # he messaged me
"""


@pytest.fixture
def rules() -> CompiledLanguage:
    return compile_language(parse("xx", RULES))


def found(rules: CompiledLanguage, text: str) -> list[tuple[str, str]]:
    from bot.domain.safety.text import fold, normalise

    normal = normalise(text)
    return [(signal.kind.value, signal.phrase) for signal in rules.find(normal=normal, folded=fold(normal))]


def test_each_kind_is_reported_with_its_phrase(rules: CompiledLanguage) -> None:
    assert found(rules, "he is coming with a knife") == [("acute", "coming ... knife")]
    assert found(rules, "He hits me") == [("violence", "hit me")]
    assert found(rules, "I want to die") == [("suicide", "want to die")]


def test_a_star_lets_a_word_go_on_or_begin_earlier(rules: CompiledLanguage) -> None:
    assert found(rules, "he keeps hitting me") == [("violence", "hit me")]
    assert found(rules, "he beats me") == [("violence", "he beat me")]
    assert found(rules, "I have always wanted to die") == [("suicide", "want to die")]
    assert found(rules, "the skill meter is broken") == []  # whole words: not "kill me"


def test_up_to_two_words_may_stand_in_the_gap(rules: CompiledLanguage) -> None:
    assert found(rules, "he is coming at me with a knife") == []  # four words apart
    assert found(rules, "coming with a knife") == [("acute", "coming ... knife")]
    assert found(rules, "I am scared of my husband") == [("violence", "scared of ... husband")]
    assert found(rules, "I am afraid of husband") == [("violence", "scared of ... husband")]


def test_negation_just_before_or_in_the_gap_cancels_but_not_a_danger_it_is_part_of(
    rules: CompiledLanguage,
) -> None:
    assert found(rules, "he never hits me") == []
    assert found(rules, "he doesn't hit me, he is kind") == []
    assert found(rules, "I am never scared of my husband") == []
    assert found(rules, "I'm not safe at home") == [("violence", "i'm not safe")]
    assert found(rules, "I dont know. he hits me") == [("violence", "hit me")]  # another sentence
    assert found(rules, "he hits me ikke") == []  # [not after]


def test_negation_does_not_cancel_acute_danger(rules: CompiledLanguage) -> None:
    assert found(rules, "please never kill me") == [("acute", "kill me")]


def test_an_exception_cancels_only_the_match_it_overlaps(rules: CompiledLanguage) -> None:
    assert found(rules, "he hit me up about the school trip") == []
    assert found(rules, "he hit me up yesterday, then he hit me") == [("violence", "hit me")]


@pytest.mark.parametrize(
    ("source", "complaint"),
    [
        ("[acute]\n... kill me\n", "may only stand between two words"),
        ("[acute]\nkill ... ... me\n", "two `...` in a row"),
        ("[danger]\nkill me\n", "unknown section"),
        ("kill me\n", "before the first \\[section\\]"),
        ("[not]\nnot at all\n", "single words"),
        ("[acute]\nkill me\nkill me\n", "written twice"),
        ("[acute]\nkill / me\n", "an empty word"),
    ],
)
def test_a_rule_file_with_a_mistake_names_the_line(source: str, complaint: str) -> None:
    with pytest.raises(RuleFileError, match=complaint):
        parse("xx", source, name="rules/xx.txt")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_a_rule_file_with_every_kind_it_can(language: str) -> None:
    rules = language_rules(language)
    kinds = {pattern.kind for pattern in rules.patterns}
    assert {Kind.VIOLENCE, Kind.SUICIDE} <= kinds, language
    assert load_cases(language), language


@pytest.mark.parametrize("language", FINISHED)
def test_the_finished_languages_have_every_kind_and_a_full_evaluation_set(language: str) -> None:
    assert {pattern.kind for pattern in language_rules(language).patterns} == set(Kind)
    cases = load_cases(language)
    assert {case.label for case in cases} == {"acute", "violence", "suicide", "none"}
    assert sum(case.label == "none" for case in cases) >= 30
    assert sum(case.label != "none" for case in cases) >= 30


def test_only_her_languages_are_matched() -> None:
    # Albanian "Më bie në mend" (I remember) reads as Bulgarian-in-Latin "me bie" (he beats me)
    assert danger_signals("Më bie në mend") != ()
    assert assess("Më bie në mend", languages=languages_for("sq")) is None
    assert assess("Ти ме бие", languages=languages_for("bg")) is not None
    # Somali "dhunkaday" (I kissed) is not Albanian "dhun*" (violence)
    assert assess("waan dhunkaday ilmaha", languages=languages_for("so")) is None
    assert assess("Kocam beni dövüyor", languages=languages_for("so")) is None
    assert assess("Kocam beni dövüyor", languages=languages_for("so", "tr")) is not None


def test_languages_are_named_by_locale_or_spoken_language_code() -> None:
    assert languages_for("prs") == {"fa_AF", "fa", "en", "da"}  # Dari: and Persian, written the same
    assert languages_for("zh", None, "kmr") == {"zh_Hans", "kmr", "en", "da"}
    assert languages_for("hr", "xx") == {"bs", "en", "da"}
    assert assess("他打我", languages={"zh"}) is not None


def test_the_most_urgent_kind_is_answered_first() -> None:
    found = assess("He hits me and I want to die. He is coming with a knife", languages=languages_for("en"))
    assert found is not None
    assert (found.kind, found.phrase) == (Kind.ACUTE, "coming ... knife")
    assert [signal.kind for signal in found.signals] == [Kind.VIOLENCE, Kind.SUICIDE, Kind.ACUTE]


@pytest.mark.parametrize(
    ("language", "text", "kind"),
    [
        ("da", "du kan slå mig ihjel, jeg ved det ikke", None),  # for the life of me
        ("da", "du banker mig altid i ludo", None),
        ("da", "han slår mig ihjel", Kind.ACUTE),
        ("da", "han slår mig ikke", None),
        ("ar", "بدي موت من الجوع", None),  # I'm dying of hunger
        ("ar", "ضربني البرد", None),  # I caught a cold
        ("ar", "بدي موت", Kind.SUICIDE),
        ("ar", "جوزي يطقني", Kind.VIOLENCE),  # Gulf / Iraqi
        ("ar", "darabni jozi", Kind.VIOLENCE),  # Arabizi
        ("ar", "جوزي ما بيضربني", None),
        ("tr", "bana sürekli vuruyor", Kind.VIOLENCE),
        ("tr", "bana hiç vurmuyor", None),
        ("tr", "tehdit ediyor", Kind.VIOLENCE),
        ("so", "Carruurta ayuu iga qaadayaa", Kind.VIOLENCE),
        ("so", "ninkaygu ma i garaaco", None),
        ("en", "can you help me now with the letter", None),
        ("en", "help me now", Kind.ACUTE),
    ],
)
def test_the_idioms_and_forms_the_issue_names(language: str, text: str, kind: Kind | None) -> None:
    found = assess(text, languages=languages_for(language))
    assert (found.kind if found else None) == kind


def test_phrases_are_the_patterns_of_each_rule_file() -> None:
    assert "bana ... vur*" in PHRASES["tr"]
    assert "scared of ... husband" in PHRASES["en"]  # the first of "scared/afraid"
    assert set(PHRASES) == set(LANGUAGES)


@pytest.mark.parametrize("language", FINISHED)
def test_the_finished_languages_meet_the_targets(language: str) -> None:
    result = evaluate(language)
    assert result.recall >= 0.90, [case.text for case in result.missed]
    assert result.false_alarm_rate <= 0.03, result.alarms
    assert result.right_kind >= 0.9 * result.labelled


def test_every_shipped_language_is_written_and_held_to_the_targets() -> None:
    """No language is left with the old converted list: a new locale needs its rules and evaluation set."""
    assert sorted(LANGUAGES) == sorted(FINISHED)


def test_a_line_in_two_scripts_is_searched_in_both() -> None:
    """Roman Urdu on a line that begins in Urdu script: a message in Latin letters only is searched too."""
    mixed = compile_language(parse("xx", "[violence]\nمارتا/maarta hai\n"))
    assert [kind for kind, _ in found(mixed, "woh mujhe roz maarta hai")] == ["violence"]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_kind_of_danger_is_in_every_languages_table(language: str) -> None:
    """Each language's evaluation table holds each kind (at least 5 sentences) and says which kind each
    danger sentence is, so the right answer (112, 1888 or Livslinien) is tested in every language."""
    labels = [case.label for case in load_cases(language)]
    for kind in ("acute", "violence", "suicide"):
        assert labels.count(kind) >= 5, kind
    assert "danger" not in labels  # a danger sentence without its kind
