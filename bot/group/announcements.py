"""Announcements: a coordinator's news for her group, the Bydelsmødre's "I'll come" / "I can't", and news for
the women who chose to hear it, in the languages a Bydelsmor translated it into and a coordinator approved.

Everything is sent through the outbox (one INSERT for the whole group), so it goes out at Telegram's pace.
A woman gets an announcement only in her own interface language, or not at all: never a language she did not
choose, and never a machine's translation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import outbox
from bot.bot_api import send_message
from bot.dashboard.access import Action, Viewer, audit
from bot.domain.ids import record_id
from bot.domain.onboarding import ConsentStatus
from bot.group import screens
from bot.i18n import BY_CODE, Texts, get_locale, locale_from_telegram, texts
from bot.onboarding.service import Sender
from bot.ui import Outcome
from storage import people
from storage import volunteers as volunteer_store
from storage.db import Database
from storage.models import (
    Announcement,
    AnnouncementAnswer,
    AnnouncementTranslation,
    Group,
    HelpRequest,
    Person,
    Volunteer,
)

__all__ = ["AnnouncementPage", "AnnouncementRow", "Announcements", "TranslationStatus"]

MAX_TEXT = 2000  # characters: with the heading and the place, one Telegram message


class TranslationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class AnnouncementRow:
    id: int
    group: str
    text: str
    starts_at: datetime
    place: str
    for_women: bool
    coming: int
    not_coming: int
    photo_file_id: str | None = None


@dataclass(frozen=True, slots=True)
class TranslationRow:
    id: int
    locale: str
    language: str  # the locale's own name
    text: str
    status: str
    by: str | None


@dataclass(frozen=True, slots=True)
class AnnouncementPage:
    row: AnnouncementRow
    coming: list[str]  # the Bydelsmødre's names
    not_coming: list[str]
    no_answer: int
    translations: list[TranslationRow]


class Announcements:
    def __init__(self, *, db: Database, timezone: ZoneInfo) -> None:
        self._db = db
        self._timezone = timezone

    # --- the coordinator, in the dashboard ------------------------------------------------------------

    async def create(
        self,
        viewer: Viewer,
        *,
        group_id: int,
        text: str,
        starts_at: datetime,
        place: str,
        for_women: bool,
        now: datetime,
        photo_file_id: str | None = None,
    ) -> int | None:
        """Keep it and send it to the group's active Bydelsmødre; its id, or None when not her group.

        `photo_file_id` is a photo already on Telegram's servers: each gets it by id, right above the text.
        """
        if not viewer.sees(group_id):
            return None
        async with self._db.transaction() as session:
            group = await session.get(Group, group_id)
            if group is None:
                return None
            announcement = Announcement(
                group_id=group_id,
                text=text.strip()[:MAX_TEXT],
                starts_at=starts_at,
                place=place.strip()[:200],
                for_women=for_women,
                created_by=viewer.name[:64],
                created_at=now,
                photo_file_id=photo_file_id,
            )
            session.add(announcement)
            await session.flush()
            volunteers = (
                await session.execute(
                    select(Volunteer).where(Volunteer.group_id == group_id, Volunteer.active)
                )
            ).scalars()
            messages: list[tuple[int, dict[str, Any]]] = []
            for volunteer in volunteers:
                messages.extend(_photo_above(volunteer.telegram_user_id, announcement))
                reply = screens.announcement_for_bydelsmor(
                    self._texts(volunteer.locale),
                    announcement_id=announcement.id,
                    group=group.name,
                    text=announcement.text,
                    starts_at=starts_at.astimezone(self._timezone),
                    place=announcement.place,
                )
                messages.append((volunteer.telegram_user_id, send_message(volunteer.telegram_user_id, reply)))
            await outbox.enqueue_many(session, messages=messages, now=now)
            await audit(
                session,
                viewer,
                Action.ANNOUNCE,
                now=now,
                group_id=group_id,
                subject=f"announcement:{announcement.id}",
            )
            return announcement.id

    async def rows(self, viewer: Viewer) -> list[AnnouncementRow]:
        async with self._db.transaction() as session:
            query = select(Announcement).order_by(Announcement.starts_at.desc())
            if not viewer.is_admin:
                query = query.where(Announcement.group_id.in_(viewer.group_ids))
            return [await self._row(session, found) for found in (await session.execute(query)).scalars()]

    async def page(self, viewer: Viewer, announcement_id: int) -> AnnouncementPage | None:
        async with self._db.transaction() as session:
            found = await session.get(Announcement, announcement_id)
            if found is None or not viewer.sees(found.group_id):
                return None
            answers = (
                await session.execute(
                    select(AnnouncementAnswer.coming, Volunteer.display_name)
                    .join(Volunteer, Volunteer.id == AnnouncementAnswer.volunteer_id)
                    .where(AnnouncementAnswer.announcement_id == found.id)
                    .order_by(Volunteer.display_name)
                )
            ).all()
            group_size = len(
                list(
                    (
                        await session.execute(
                            select(Volunteer.id).where(Volunteer.group_id == found.group_id, Volunteer.active)
                        )
                    ).scalars()
                )
            )
            translations = []
            for row in (
                await session.execute(
                    select(AnnouncementTranslation)
                    .where(AnnouncementTranslation.announcement_id == found.id)
                    .order_by(AnnouncementTranslation.id)
                )
            ).scalars():
                volunteer = await session.get(Volunteer, row.volunteer_id) if row.volunteer_id else None
                locale = BY_CODE.get(row.locale)
                translations.append(
                    TranslationRow(
                        id=row.id,
                        locale=row.locale,
                        language=locale.native_name if locale else row.locale,
                        text=row.text,
                        status=row.status,
                        by=volunteer.display_name if volunteer else None,
                    )
                )
            return AnnouncementPage(
                row=await self._row(session, found),
                coming=[name for coming, name in answers if coming],
                not_coming=[name for coming, name in answers if not coming],
                no_answer=max(0, group_size - len(answers)),
                translations=translations,
            )

    async def decide_translation(
        self, viewer: Viewer, translation_id: int, *, approve: bool, now: datetime
    ) -> tuple[int, str] | None:
        """Approve (and send to the women of that language who chose news) or reject a translation.

        (announcement id, done code), or None when it is not hers to decide.
        """
        async with self._db.transaction() as session:
            translation = await session.get(AnnouncementTranslation, translation_id, with_for_update=True)
            found = await session.get(Announcement, translation.announcement_id) if translation else None
            if translation is None or found is None or not viewer.sees(found.group_id):
                return None
            if translation.status != TranslationStatus.PENDING:
                return found.id, "translation_decided"
            translation.status = TranslationStatus.APPROVED if approve else TranslationStatus.REJECTED
            translation.decided_at, translation.decided_by = now, viewer.name[:64]
            await audit(
                session,
                viewer,
                Action.APPROVE_ANNOUNCEMENT if approve else Action.REJECT_ANNOUNCEMENT,
                now=now,
                group_id=found.group_id,
                subject=f"announcement:{found.id}",
                detail=translation.locale,
            )
            if not approve:
                return found.id, "translation_rejected"
            await self._send_to_women(session, found, translation, now)
            return found.id, "translation_approved"

    async def _send_to_women(
        self, session: AsyncSession, found: Announcement, translation: AnnouncementTranslation, now: datetime
    ) -> None:
        """The women of the group (by their request's group) who chose news and read this language."""
        chats = (
            await session.execute(
                select(Person.telegram_user_id)
                .join(HelpRequest, HelpRequest.person_id == Person.id)
                .where(
                    HelpRequest.group_id == found.group_id,
                    Person.news,
                    Person.locale == translation.locale,
                    Person.consent == ConsentStatus.GIVEN,
                    Person.blocked_at.is_(None),
                )
                .distinct()
            )
        ).scalars()
        t = texts(translation.locale)
        reply = screens.announcement_for_woman(
            t, text=translation.text, starts_at=found.starts_at.astimezone(self._timezone), place=found.place
        )
        messages: list[tuple[int, dict[str, Any]]] = []
        for chat in chats:
            messages.extend(_photo_above(chat, found))
            messages.append((chat, send_message(chat, reply)))
        await outbox.enqueue_many(session, messages=messages, now=now)

    @staticmethod
    async def _row(session: AsyncSession, found: Announcement) -> AnnouncementRow:
        group = await session.get(Group, found.group_id)
        counts = Counter(
            (
                await session.execute(
                    select(AnnouncementAnswer.coming).where(AnnouncementAnswer.announcement_id == found.id)
                )
            ).scalars()
        )
        return AnnouncementRow(
            id=found.id,
            group=group.name if group else "",
            text=found.text,
            starts_at=found.starts_at,
            place=found.place,
            for_women=found.for_women,
            coming=counts[True],
            not_coming=counts[False],
            photo_file_id=found.photo_file_id,
        )

    # --- the Bydelsmor, in Telegram -------------------------------------------------------------------

    @staticmethod
    def _texts(locale: str | None, sender: Sender | None = None) -> Texts:
        if locale:
            return texts(locale)
        hint = locale_from_telegram(sender.language_code) if sender is not None else None
        return texts((hint or get_locale(None)).code)

    async def answer(self, *, sender: Sender, data: str, now: datetime) -> Outcome:
        """ "ann:<id>:yes" or "ann:<id>:no"; pressing the other button later changes her answer."""
        _, _, rest = data.partition(":")
        raw_id, _, choice = rest.partition(":")
        announcement_id = record_id(raw_id)
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id
            )
            found = await session.get(Announcement, announcement_id) if announcement_id is not None else None
            # Only her own group's announcements: a forged button for another group's counts nowhere.
            if (
                volunteer is None
                or found is None
                or found.group_id != volunteer.group_id
                or choice not in ("yes", "no")
            ):
                return Outcome()
            coming = choice == "yes"
            existing = (
                await session.execute(
                    select(AnnouncementAnswer)
                    .where(
                        AnnouncementAnswer.announcement_id == found.id,
                        AnnouncementAnswer.volunteer_id == volunteer.id,
                    )
                    .with_for_update()
                )
            ).scalar_one_or_none()
            if existing is None:
                session.add(
                    AnnouncementAnswer(
                        announcement_id=found.id, volunteer_id=volunteer.id, coming=coming, answered_at=now
                    )
                )
            else:
                existing.coming, existing.answered_at = coming, now
            return Outcome().say(
                screens.announcement_answered(self._texts(volunteer.locale, sender), coming=coming)
            )

    # --- translations by the Bydelsmødre (through /translate) -----------------------------------------

    @staticmethod
    async def to_translate(session: AsyncSession, *, volunteer: Volunteer, locale: str) -> list[Announcement]:
        """Her group's announcements for women that have no translation into `locale` waiting or approved."""
        if volunteer.group_id is None:
            return []
        done = select(AnnouncementTranslation.announcement_id).where(
            AnnouncementTranslation.locale == locale,
            AnnouncementTranslation.status != TranslationStatus.REJECTED,
        )
        query = (
            select(Announcement)
            .where(
                Announcement.group_id == volunteer.group_id,
                Announcement.for_women,
                Announcement.id.not_in(done),
            )
            .order_by(Announcement.id)
        )
        return list((await session.execute(query)).scalars())

    @staticmethod
    async def keep_translation(
        session: AsyncSession,
        *,
        volunteer: Volunteer,
        announcement_id: int,
        locale: str,
        text: str,
        now: datetime,
    ) -> bool:
        """Her translation, waiting for a coordinator. False when the announcement is not her group's."""
        found = await session.get(Announcement, announcement_id)
        if found is None or found.group_id != volunteer.group_id or not found.for_women:
            return False
        session.add(
            AnnouncementTranslation(
                announcement_id=announcement_id,
                locale=locale,
                text=text.strip()[:MAX_TEXT],
                status=TranslationStatus.PENDING,
                volunteer_id=volunteer.id,
                created_at=now,
            )
        )
        return True

    # --- a woman's choice: /news ----------------------------------------------------------------------

    async def ask_news(self, *, sender: Sender) -> Outcome:
        async with self._db.transaction() as session:
            person = await people.find_person(session, telegram_user_id=sender.telegram_user_id)
            t = self._texts(person.locale if person else None, sender)
            if person is None or person.consent != ConsentStatus.GIVEN:
                return Outcome().say(screens.news_first_start(t))
            return Outcome().say(screens.ask_news(t))

    async def choose_news(self, *, sender: Sender, data: str, now: datetime) -> Outcome:
        async with self._db.transaction() as session:
            person = await people.find_person(session, telegram_user_id=sender.telegram_user_id)
            t = self._texts(person.locale if person else None, sender)
            if person is None or person.consent != ConsentStatus.GIVEN:
                return Outcome().say(screens.news_first_start(t))
            person.news = data == screens.NEWS_YES
            person.updated_at = now
            return Outcome().say(screens.news_on(t) if person.news else screens.news_off(t))


def _photo_above(chat_id: int, announcement: Announcement) -> list[tuple[int, dict[str, Any]]]:
    """The announcement's photo, sent by its file id just before the text (the outbox keeps a chat's order).

    No caption: the text with its buttons follows, and a caption would say it twice.
    """
    if announcement.photo_file_id is None:
        return []
    return [(chat_id, {"chat_id": chat_id, "photo": announcement.photo_file_id})]
