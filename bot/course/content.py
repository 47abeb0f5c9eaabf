"""The lessons, read from bot/course/lessons/<locale>.toml (content files, not gettext: see en.toml's top).

A language's file may lack a lesson (or not exist): that lesson is shown in Danish, then in English. A
coordinator's replacement of a lesson's title and screens (the dashboard, `CourseLessonText`) wins over the
file of the same language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

__all__ = ["FALLBACK", "LESSONS_DIR", "Lesson", "Practice", "available_locales", "lesson_in", "lessons_of"]

LESSONS_DIR = Path(__file__).parent / "lessons"
FALLBACK = ("da", "en")  # a lesson missing in her language: Danish (the organisation's own), then English


@dataclass(frozen=True, slots=True)
class Practice:
    question: str
    options: tuple[str, str, str]
    answer: int  # which option is right, 1-3
    explanation: str


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str  # stable across languages, e.g. "open-questions"
    number: int  # 1-6, the order she takes them in
    title: str
    screens: tuple[str, ...]
    tip: str  # one sentence sent before her 2nd or 3rd talk with a woman
    practice: Practice
    locale: str  # the language this lesson's text is in (after falling back)


def _lesson(raw: dict[str, object], locale: str) -> Lesson:
    practice = raw["practice"]
    assert isinstance(practice, dict)
    options = tuple(str(option) for option in practice["options"])
    if len(options) != 3:
        raise ValueError(f"{locale}: lesson {raw['id']} needs exactly three options, not {len(options)}.")
    screens = raw["screens"]
    assert isinstance(screens, list)
    return Lesson(
        id=str(raw["id"]),
        number=int(str(raw["number"])),
        title=str(raw["title"]),
        screens=tuple(str(screen) for screen in screens),
        tip=str(raw["tip"]),
        practice=Practice(
            question=str(practice["question"]),
            options=(options[0], options[1], options[2]),
            answer=int(practice["answer"]),
            explanation=str(practice["explanation"]),
        ),
        locale=locale,
    )


@cache
def lessons_of(locale: str) -> dict[int, Lesson]:
    """The lessons a language's own file has, by number; {} when there is no file."""
    path = LESSONS_DIR / f"{locale}.toml"
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    lessons = [_lesson(raw, locale) for raw in data.get("lesson", [])]
    return {lesson.number: lesson for lesson in lessons}


def available_locales() -> list[str]:
    return sorted(path.stem for path in LESSONS_DIR.glob("*.toml"))


def chain(locale: str | None) -> tuple[str, ...]:
    """The languages a lesson is looked for in, in order."""
    return tuple(dict.fromkeys((locale, *FALLBACK) if locale else FALLBACK))


def lesson_in(
    locale: str | None, number: int, *, replaced: dict[tuple[str, str], tuple[str, list[str]]] | None = None
) -> Lesson:
    """Lesson `number` in her language, or the first fallback that has it; with a coordinator's
    replacement (`replaced`: (locale, lesson id) -> (title, screens)) of the language it is shown in."""
    english = lessons_of("en")[number]  # en.toml is the source: it has every lesson
    for code in chain(locale):
        own = lessons_of(code).get(number)
        override = (replaced or {}).get((code, english.id))
        if override is not None:
            base = own or lesson_in(None, number)
            return replace(base, title=override[0], screens=tuple(override[1]), locale=code)
        if own is not None:
            return own
    return english


LESSON_COUNT = len(lessons_of("en"))
