"""The coordinators' side of the course in the dashboard: each lesson in a language, and replacing its text.

A replacement (title and screens) is stored per language (`CourseLessonText`), audited, and in force at once:
the bot reads the replacements each time it shows a lesson. The practice question and the tip stay the
file's. Screens are written in one text box, separated by a line with only "---".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from bot.course.content import LESSON_COUNT, Lesson, lesson_in
from bot.course.service import lesson_replacements
from bot.dashboard.access import Action, Viewer, audit
from bot.i18n import BY_CODE, LOCALES
from storage.db import Database
from storage.models import CourseLessonText

__all__ = ["SCREEN_LIMIT", "SEPARATOR", "CourseDesk", "LessonItem", "LessonsPage"]

SEPARATOR = "---"
SCREEN_LIMIT = 400  # a screen is one Telegram message, readable without scrolling on a small phone
TITLE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class LessonItem:
    lesson: Lesson  # as the bot shows it now in this language (after falling back)
    replaced_by: str | None  # the coordinator whose text is in force, None for the file's text
    replaced_at: datetime | None

    @property
    def screens_text(self) -> str:
        return f"\n{SEPARATOR}\n".join(self.lesson.screens)


@dataclass(frozen=True, slots=True)
class LessonsPage:
    locale: str
    languages: list[tuple[str, str]]  # (code, native name)
    items: list[LessonItem]


class CourseDesk:
    def __init__(self, *, db: Database) -> None:
        self._db = db

    async def page(self, viewer: Viewer, locale: str | None) -> LessonsPage:
        code = locale if locale in BY_CODE else "da"
        async with self._db.transaction() as session:
            replaced = await lesson_replacements(session)
            rows = (
                await session.execute(select(CourseLessonText).where(CourseLessonText.locale == code))
            ).scalars()
            by_lesson = {row.lesson_id: row for row in rows}
        items = []
        for number in range(1, LESSON_COUNT + 1):
            lesson = lesson_in(code, number, replaced=replaced)
            row = by_lesson.get(lesson.id)
            items.append(LessonItem(lesson, row.updated_by if row else None, row.updated_at if row else None))
        languages = [(entry.code, entry.native_name) for entry in LOCALES]
        return LessonsPage(locale=code, languages=languages, items=items)

    async def replace(
        self, viewer: Viewer, *, locale: str, number: int, title: str, screens_text: str, now: datetime
    ) -> str | None:
        """What happened ("lesson_replaced", "lesson_too_long", "lesson_empty"), or None for an unknown
        language or lesson."""
        if locale not in BY_CODE or not 1 <= number <= LESSON_COUNT:
            return None
        screens = [part.strip() for part in screens_text.replace("\r\n", "\n").split(f"\n{SEPARATOR}\n")]
        screens = [screen for screen in screens if screen]
        title = title.strip()
        if not screens or not title:
            return "lesson_empty"
        if len(title) > TITLE_LIMIT or any(len(screen) > SCREEN_LIMIT for screen in screens):
            return "lesson_too_long"
        lesson_id = lesson_in("en", number).id
        async with self._db.transaction() as session:
            row = (
                await session.execute(
                    select(CourseLessonText)
                    .where(CourseLessonText.locale == locale, CourseLessonText.lesson_id == lesson_id)
                    .with_for_update()
                )
            ).scalar_one_or_none()
            if row is None:
                row = CourseLessonText(locale=locale, lesson_id=lesson_id)
                session.add(row)
            row.title, row.screens, row.updated_by, row.updated_at = title, screens, viewer.name[:64], now
            await audit(
                session,
                viewer,
                Action.REPLACE_LESSON,
                now=now,
                subject=f"lesson:{lesson_id}",
                detail=f"locale={locale} screens={len(screens)}",
            )
        return "lesson_replaced"

    async def restore(self, viewer: Viewer, *, locale: str, number: int, now: datetime) -> str | None:
        """Back to the course file's text: "lesson_restored", or None for an unknown language or lesson."""
        if locale not in BY_CODE or not 1 <= number <= LESSON_COUNT:
            return None
        lesson_id = lesson_in("en", number).id
        async with self._db.transaction() as session:
            await session.execute(
                delete(CourseLessonText).where(
                    CourseLessonText.locale == locale, CourseLessonText.lesson_id == lesson_id
                )
            )
            await audit(
                session,
                viewer,
                Action.RESTORE_LESSON,
                now=now,
                subject=f"lesson:{lesson_id}",
                detail=f"locale={locale}",
            )
        return "lesson_restored"
