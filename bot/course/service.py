"""The course's use cases: enrolling, offering each lesson in turn, /course, the buttons, the tips.

The rows are the truth (`CourseProgress`): a Bydelsmor who finished joining gets a row, and the tick offers
the lesson that is due through the outbox, never in quiet hours. A lesson finished schedules the next one a
week later; pausing clears the due time. Before her 2nd and 3rd talk with a woman (a talk: a local day with
relayed messages in the match, counted in `CourseTalk`), the tick sends her one tip from the course.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bot_api import send_message
from bot.course import screens as views
from bot.course.content import LESSON_COUNT, Lesson, lesson_in
from bot.domain.checkins import QuietHours, not_in_quiet_hours
from bot.domain.course import TIP_FOR_TALK, next_lesson_due
from bot.i18n import Texts, get_locale, texts
from bot.outbox import enqueue_many
from bot.ui import Outcome, Reply
from storage import volunteers as volunteer_store
from storage.db import Database
from storage.models import CourseLessonText, CourseProgress, CourseTalk, Match, MessageLog, Volunteer

__all__ = ["Course", "Replacements", "lesson_replacements"]

Replacements = dict[tuple[str, str], tuple[str, list[str]]]  # (locale, lesson id) -> (title, screens)


async def lesson_replacements(session: AsyncSession) -> Replacements:
    """The coordinators' replacements in force: read when a lesson is shown, so a change counts at once."""
    rows = await session.execute(
        select(
            CourseLessonText.locale,
            CourseLessonText.lesson_id,
            CourseLessonText.title,
            CourseLessonText.screens,
        )
    )
    return {(locale, lesson_id): (title, list(screens)) for locale, lesson_id, title, screens in rows}


class Course:
    def __init__(self, *, db: Database, timezone: ZoneInfo, quiet: QuietHours | None) -> None:
        self._db = db
        self._timezone = timezone
        self._quiet = quiet

    # --- the tick --------------------------------------------------------------------------------------

    async def run_due(self, now: datetime) -> int:
        """Enrol who joined, offer the lessons due, send the tips due. The number of messages written."""
        if not_in_quiet_hours(now, self._quiet) != now:
            return 0  # quiet hours: the offers and tips wait for the morning
        async with self._db.transaction() as session:
            await self._enrol(session, now)
            sent = await self._offer_due(session, now)
            sent += await self._tips(session, now)
        return sent

    @staticmethod
    async def _enrol(session: AsyncSession, now: datetime) -> None:
        """Every Bydelsmor who finished joining and has no row yet: lesson 1 is due now."""
        joined = await session.execute(
            select(Volunteer.id)
            .outerjoin(CourseProgress, CourseProgress.volunteer_id == Volunteer.id)
            .where(
                CourseProgress.volunteer_id.is_(None),
                Volunteer.setup_step.is_(None),
                Volunteer.blocked_at.is_(None),
                Volunteer.active.is_(True),
            )
        )
        rows = [_progress_values(volunteer_id, now) for (volunteer_id,) in joined]
        if not rows:
            return
        # ON CONFLICT DO NOTHING: another process (or /course) may add her row at the same moment.
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        await session.execute(insert(CourseProgress).values(rows).on_conflict_do_nothing())

    async def _offer_due(self, session: AsyncSession, now: datetime) -> int:
        due = await session.execute(
            select(CourseProgress, Volunteer.telegram_user_id, Volunteer.locale)
            .join(Volunteer, Volunteer.id == CourseProgress.volunteer_id)
            .where(
                CourseProgress.status == "scheduled",
                CourseProgress.next_due_at <= now,
                Volunteer.blocked_at.is_(None),
                Volunteer.active.is_(
                    True
                ),  # deactivated: she left the group; her row waits in case she returns
            )
            .with_for_update(of=CourseProgress, skip_locked=True)
        )
        rows = due.all()
        if not rows:
            return 0
        replaced = await lesson_replacements(session)
        messages: list[tuple[int, dict[str, Any]]] = []
        for progress, chat_id, locale in rows:
            lesson = lesson_in(locale, progress.lessons_done + 1, replaced=replaced)
            messages.append(
                (chat_id, send_message(chat_id, views.offer(_texts(locale), lesson, LESSON_COUNT)))
            )
            progress.status, progress.offered_at, progress.next_due_at = "offered", now, None
            progress.updated_at = now
        await enqueue_many(session, messages=messages, now=now)
        return len(messages)

    async def _tips(self, session: AsyncSession, now: datetime) -> int:
        """One tip when a match's 2nd and 3rd talk day starts; nothing from the 4th on."""
        last_message = func.max(MessageLog.created_at)
        found = await session.execute(
            select(Match.id, Match.label, Volunteer.telegram_user_id, Volunteer.locale, last_message)
            .join(Volunteer, Volunteer.id == Match.volunteer_id)
            .join(MessageLog, MessageLog.match_id == Match.id)
            .outerjoin(CourseTalk, CourseTalk.match_id == Match.id)
            .where(
                Match.status == "active",
                Volunteer.blocked_at.is_(None),
                (CourseTalk.match_id.is_(None)) | (CourseTalk.talk_days < max(TIP_FOR_TALK)),
            )
            .group_by(Match.id, Match.label, Volunteer.telegram_user_id, Volunteer.locale)
        )
        rows = found.all()
        if not rows:
            return 0
        talks = {
            talk.match_id: talk
            for talk in (
                await session.execute(
                    select(CourseTalk).where(CourseTalk.match_id.in_([row[0] for row in rows]))
                )
            ).scalars()
        }
        replaced: Replacements | None = None
        messages: list[tuple[int, dict[str, Any]]] = []
        tipped: set[int] = set()  # one tip a tick for a Bydelsmor, even if two of her talks start at once
        for match_id, label, chat_id, locale, last_at in rows:
            day = _local_day(last_at, self._timezone)
            talk = talks.get(match_id)
            if talk is None:
                session.add(CourseTalk(match_id=match_id, talk_days=1, last_talk_on=day, tips_sent=0))
                continue
            if day <= talk.last_talk_on:
                continue
            talk.talk_days, talk.last_talk_on = talk.talk_days + 1, day
            number = TIP_FOR_TALK.get(talk.talk_days)
            if number is None or chat_id in tipped:
                continue
            if replaced is None:
                replaced = await lesson_replacements(session)
            lesson = lesson_in(locale, number, replaced=replaced)
            messages.append((chat_id, send_message(chat_id, views.tip(_texts(locale), lesson, label))))
            talk.tips_sent += 1
            tipped.add(chat_id)
        await enqueue_many(session, messages=messages, now=now)
        return len(messages)

    # --- /course and its buttons -------------------------------------------------------------------------

    async def show(self, *, telegram_user_id: int, now: datetime) -> Outcome:
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(session, telegram_user_id=telegram_user_id)
            if volunteer is None:
                return Outcome().say(views.not_a_bydelsmor(_texts(None)))
            progress = await self._progress(session, volunteer, now)
            t = _texts(volunteer.locale)
            return Outcome().say(
                views.status(t, done=progress.lessons_done, count=LESSON_COUNT, state=progress.status)
            )

    async def press(self, *, telegram_user_id: int, data: str, now: datetime) -> Outcome:
        """crs:go (next lesson now, or resume), crs:pause, crs:s:<lesson>:<screen>, crs:q:<lesson>,
        crs:a:<lesson>:<option>."""
        parts = data.split(":")
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(session, telegram_user_id=telegram_user_id)
            if volunteer is None:
                return Outcome().say(views.not_a_bydelsmor(_texts(None)))
            t = _texts(volunteer.locale)
            progress = await self._progress(session, volunteer, now)
            action = parts[1] if len(parts) > 1 else ""
            if action == "pause":
                progress.status, progress.next_due_at, progress.updated_at = "paused", None, now
                return Outcome().say(views.paused(t))
            if action == "go":
                if progress.status == "finished":
                    return Outcome().say(
                        views.status(t, done=progress.lessons_done, count=LESSON_COUNT, state="finished")
                    )
                progress.status, progress.next_due_at, progress.updated_at = "offered", None, now
                lesson = await self._lesson(session, volunteer, progress.lessons_done + 1)
                return Outcome().say(views.screen(t, lesson, 0))
            number = _small(parts[2]) if len(parts) > 2 else None
            if number is None or not 1 <= number <= LESSON_COUNT:
                return Outcome()
            lesson = await self._lesson(session, volunteer, number)
            if action == "s":
                index = _small(parts[3]) if len(parts) > 3 else None
                if index is None or index >= len(lesson.screens):
                    return Outcome()
                return Outcome().say(views.screen(t, lesson, index))
            if action == "q":
                return Outcome().say(views.practice(t, lesson))
            if action == "a":
                chosen = _small(parts[3]) if len(parts) > 3 else None
                if chosen is None or not 1 <= chosen <= 3:
                    return Outcome()
                return Outcome().say(self._answered(t, progress, lesson, chosen, now))
            return Outcome()

    def _answered(
        self, t: Texts, progress: CourseProgress, lesson: Lesson, chosen: int, now: datetime
    ) -> Reply:
        """Her answer finishes the lesson she was on; an answer to a lesson read again changes nothing."""
        if lesson.number == progress.lessons_done + 1:
            progress.practice_answers = {**progress.practice_answers, lesson.id: chosen}
            progress.lessons_done = lesson.number
            progress.updated_at = now
            if lesson.number >= LESSON_COUNT:
                progress.status, progress.next_due_at = "finished", None
            else:
                progress.status = "scheduled"
                progress.next_due_at = next_lesson_due(now, zone=self._timezone, quiet=self._quiet)
        following = lesson.number + 1 if lesson.number < LESSON_COUNT else None
        return views.answer(t, lesson, chosen, next_number=following)

    @staticmethod
    async def _progress(session: AsyncSession, volunteer: Volunteer, now: datetime) -> CourseProgress:
        progress = await session.get(CourseProgress, volunteer.id, with_for_update=True)
        if progress is None:  # /course before the tick enrolled her: she starts now
            progress = _new_progress(volunteer.id, now)
            progress.status, progress.next_due_at = "offered", None
            session.add(progress)
        return progress

    @staticmethod
    async def _lesson(session: AsyncSession, volunteer: Volunteer, number: int) -> Lesson:
        return lesson_in(volunteer.locale, number, replaced=await lesson_replacements(session))


def _progress_values(volunteer_id: int, now: datetime) -> dict[str, Any]:
    """A new row: lesson 1 due now."""
    return {
        "volunteer_id": volunteer_id,
        "lessons_done": 0,
        "status": "scheduled",
        "next_due_at": now,
        "offered_at": None,
        "practice_answers": {},
        "started_at": now,
        "updated_at": now,
    }


def _new_progress(volunteer_id: int, now: datetime) -> CourseProgress:
    return CourseProgress(**_progress_values(volunteer_id, now))


def _texts(locale: str | None) -> Texts:
    return texts(get_locale(locale).code)


def _small(text: str) -> int | None:
    """A lesson, screen or option number from a button; None for anything else."""
    return int(text) if text.isdigit() and len(text) <= 2 else None


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    """An aggregate (max) comes back naive on SQLite, where it skips the column type: it is UTC."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(zone).date()
