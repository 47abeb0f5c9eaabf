"""The course's content files: every language file parses, matches en.toml's shape, and fits on a phone."""

import re
import tomllib
from pathlib import Path

import pytest

from bot.course import content
from bot.course.content import LESSONS_DIR, lesson_in, lessons_of
from bot.course.screens import practice, screen
from bot.i18n import texts

SCREEN_LIMIT = 400
FILES = sorted(LESSONS_DIR.glob("*.toml"))
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def test_english_and_danish_are_there() -> None:
    assert {"en", "da"} <= {path.stem for path in FILES}
    assert sorted(lessons_of("en")) == [1, 2, 3, 4, 5, 6]
    assert sorted(lessons_of("da")) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_a_language_file_has_the_shape_of_the_english_one(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["language"] == path.stem
    assert path.read_text(encoding="utf-8").startswith("#"), (
        "a header comment says who wrote or translated it"
    )
    english = lessons_of("en")
    for number, lesson in lessons_of(data["language"]).items():
        source = english[number]
        assert lesson.id == source.id, f"lesson {number}: keep the id of en.toml"
        assert len(lesson.screens) == len(source.screens), f"{lesson.id}: as many screens as in English"
        assert lesson.practice.answer == source.practice.answer, f"{lesson.id}: the answer is not translated"
        assert len(lesson.practice.options) == 3
        for text, original in [
            *zip(lesson.screens, source.screens, strict=True),
            (lesson.tip, source.tip),
            (lesson.practice.question, source.practice.question),
            (lesson.practice.explanation, source.practice.explanation),
        ]:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(original)), (
                f"{lesson.id}: {text!r}"
            )
            assert text.strip(), f"{lesson.id}: an empty text"


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_screen_fits_on_a_phone(path: Path) -> None:
    locale = path.stem
    t = texts(locale)
    for number in lessons_of(locale):
        lesson = lesson_in(locale, number)
        shown = [screen(t, lesson, index).text for index in range(len(lesson.screens))]
        shown.append(practice(t, lesson).text)
        for text in shown:
            assert len(text) <= SCREEN_LIMIT, f"{locale} lesson {number}: {len(text)} characters: {text[:60]}"


def test_a_missing_lesson_falls_back_to_danish_then_english(monkeypatch: pytest.MonkeyPatch) -> None:
    danish, english = lessons_of("da"), lessons_of("en")

    def only_some(locale: str) -> dict[int, content.Lesson]:
        return {"so": {1: english[1]}, "da": {n: danish[n] for n in (1, 2)}, "en": english}.get(locale, {})

    monkeypatch.setattr(content, "lessons_of", only_some)
    assert lesson_in("so", 1).title == english[1].title  # her language has it (here: a stand-in)
    assert lesson_in("so", 2).title == "Sig det tilbage, og saml op"  # Danish
    assert lesson_in("so", 3).title == "Not solving it for her"  # English
    assert lesson_in("ar", 2).locale == "da"  # no file at all


def test_a_coordinators_replacement_wins_over_the_file_of_its_language() -> None:
    replaced = {("da", "open-questions"): ("Spørg åbent", ["Én ny skærm."])}
    lesson = lesson_in("da", 1, replaced=replaced)
    assert (lesson.title, lesson.screens) == ("Spørg åbent", ("Én ny skærm.",))
    assert lesson.practice == lessons_of("da")[1].practice  # the practice question stays
    assert lesson_in("en", 1, replaced=replaced).title == "Open questions"
    # A replacement is of one language: the Somali file's own lesson stays until Somali is replaced.
    assert lesson_in("so", 1, replaced=replaced).title == "Su'aalo furan"
    somali = {("so", "open-questions"): ("Su'aalo furan, mar kale", ["Shaashad cusub."])}
    assert lesson_in("so", 1, replaced=somali).screens == ("Shaashad cusub.",)
