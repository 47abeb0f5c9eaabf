"""The use cases of the recordings: /listen for a woman, /record for a Bydelsmor, the coordinators' review.

A Bydelsmor records one key screen at a time, most important first, by answering with a voice note; she can
listen back, record again, skip or withdraw. A coordinator approves (in force at once, bot.voice.library) or
rejects with a reason. When a Bydelsmor leaves, her recordings go unless she agreed, when recording, to leave
them behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dashboard.access import Action, Viewer, audit
from bot.i18n import BY_CODE, LOCALES, Texts, UiLocale, get_locale, locale_from_telegram, texts
from bot.onboarding import screens
from bot.onboarding.service import Incoming, Onboarding, Sender
from bot.outbox import enqueue_reply
from bot.ui import Outcome
from bot.voice import screens as views
from bot.voice.library import RecordingStatus, dress, in_force, refresh, voice_for
from bot.voice.screens import KEY_SCREENS, KeyScreen, key_screen, screen_text, source_hash
from storage import people
from storage import recordings as store
from storage import volunteers as volunteer_store
from storage.db import Database
from storage.models import VoiceRecording, Volunteer

__all__ = ["Coverage", "LanguageRecordings", "Recordings", "RecordingsDesk", "ReviewItem"]

# A Bydelsmor who opened a screen and went away: a voice note much later is for her woman, not a recording.
RECORDING_WINDOW = timedelta(minutes=30)
MAX_REASON = 255
_INDEX = re.compile(r"^[0-9]{1,3}$")


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One recording as a coordinator sees it: the text beside the player."""

    id: int
    locale: str
    screen_key: str
    text: str  # the screen's words in that locale, as they are now
    danish: str
    status: str
    outdated: bool  # its source text changed since it was recorded or approved
    by: str | None
    duration: int
    reason: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Coverage:
    """Per locale: women who chose to listen, and key screens with an approved, current recording."""

    locale: str
    listeners: int
    recorded: int
    total: int


class Recordings:
    def __init__(self, *, db: Database, onboarding: Onboarding) -> None:
        self._db = db
        self._onboarding = onboarding

    # --- the woman: /listen ---------------------------------------------------------------------------

    async def ask_listen(self, *, sender: Sender) -> Outcome:
        async with self._db.transaction() as session:
            person = await people.find_person(session, telegram_user_id=sender.telegram_user_id)
            if person is None or not person.locale:
                t = texts((locale_from_telegram(sender.language_code) or get_locale(None)).code)
                return Outcome().say(screens.start_first(t))
            question = views.listen_question(texts(person.locale), listening=bool(person.listen))
            # The question itself is said aloud whether she listens yet or not: that is how she can answer.
            voice = await voice_for(session, locale=person.locale, key="listen")
            return Outcome().say(replace(question, voice=voice))

    async def answer_listen(self, *, sender: Sender, listen: bool, now: datetime) -> Outcome:
        async with self._db.transaction() as session:
            person = await people.find_person(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            if person is None or not person.locale:
                t = texts((locale_from_telegram(sender.language_code) or get_locale(None)).code)
                return Outcome(notice=screens.button_expired(t)).say(screens.start_first(t))
            t = texts(person.locale)
            person.listen, person.updated_at = listen, now
            said = views.listening_on(t) if listen else views.listening_off(t)
            current = await self._onboarding.current_screen(session, person, sender)
            return await dress(session, Outcome().say(said).say(current), person)

    # --- the Bydelsmor: /record -----------------------------------------------------------------------

    @staticmethod
    def _interface(volunteer: Volunteer | None, sender: Sender) -> Texts:
        if volunteer is not None and volunteer.locale:
            return texts(volunteer.locale)
        return texts((locale_from_telegram(sender.language_code) or get_locale(None)).code)

    @staticmethod
    def recordable(volunteer: Volunteer) -> list[UiLocale]:
        """Our locales in a language she speaks."""
        spoken = set(volunteer.spoken_languages)
        return [locale for locale in LOCALES if locale.spoken_language in spoken or locale.code in spoken]

    async def open(self, *, sender: Sender) -> Outcome:
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            if volunteer is not None:
                volunteer.recording = None
        t = self._interface(volunteer, sender)
        if volunteer is None:
            return Outcome().say(views.not_a_bydelsmor(t))
        locales = self.recordable(volunteer)
        if not locales:
            return Outcome().say(views.no_languages(t))
        return Outcome().say(views.choose_language(t, locales))

    async def _show(
        self,
        session: AsyncSession,
        volunteer: Volunteer,
        t: Texts,
        locale: UiLocale,
        start: int,
        now: datetime,
    ) -> Outcome:
        """The first key screen from `start` on with no approved, current recording in this locale."""
        await refresh(session)
        missing = [i for i, screen in enumerate(KEY_SCREENS) if in_force(locale.code, screen.key) is None]
        recorded = len(KEY_SCREENS) - len(missing)
        later = [i for i in missing if i >= start]
        if not later:
            volunteer.recording = None
            return Outcome().say(views.all_recorded(t, locale))
        index = later[0]
        screen = KEY_SCREENS[index]
        volunteer.recording, volunteer.recording_since = f"{locale.code}:{screen.key}", now
        return Outcome().say(
            views.show_screen(
                t,
                locale=locale,
                index=index,
                recorded=recorded,
                total=len(KEY_SCREENS),
                text=screen_text(screen, locale.code),
                danish=screen_text(screen, "da"),
            )
        )

    async def press(self, *, sender: Sender, data: str, now: datetime) -> Outcome:
        parts = data.split(":")
        action = parts[1] if len(parts) > 1 else ""
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            t = self._interface(volunteer, sender)
            if volunteer is None:
                return Outcome().say(views.not_a_bydelsmor(t))
            if action == "stop":
                volunteer.recording = None
                return Outcome(notice="✔")
            if action in ("play", "withdraw"):
                return await self._own_recording(session, volunteer, t, action, parts, now)
            allowed = {locale.code: locale for locale in self.recordable(volunteer)}
            if action == "keep" and len(parts) == 4 and parts[3] in allowed:
                volunteer.keep_recordings = parts[2] == "yes"
                return await self._show(session, volunteer, t, allowed[parts[3]], 0, now)
            code = parts[2] if len(parts) > 2 else ""
            if code not in allowed:
                return Outcome(notice=screens.button_expired(t))
            if volunteer.keep_recordings is None:  # asked once, before her first recording
                return Outcome().say(views.ask_keep(t, code))
            start = int(parts[3]) if action == "go" and len(parts) > 3 and _INDEX.match(parts[3]) else 0
            if action in ("lang", "go"):
                return await self._show(session, volunteer, t, allowed[code], start, now)
            return Outcome(notice=screens.button_expired(t))

    async def _own_recording(
        self,
        session: AsyncSession,
        volunteer: Volunteer,
        t: Texts,
        action: str,
        parts: list[str],
        now: datetime,
    ) -> Outcome:
        recording_id = int(parts[2]) if len(parts) > 2 and re.fullmatch(r"[0-9]{1,9}", parts[2]) else 0
        row = await store.get_recording(session, recording_id=recording_id, for_update=True)
        if row is None or row.volunteer_id != volunteer.id or row.file_id is None:
            return Outcome(notice=screens.button_expired(t))
        if action == "play":
            return Outcome().say(views.play_back(t, row.file_id))
        if row.status in (RecordingStatus.PENDING, RecordingStatus.APPROVED):
            row.status, row.decided_at, row.decided_by = RecordingStatus.WITHDRAWN, now, "withdrawn"
        return Outcome().say(views.withdrawn(t))

    async def receive(self, *, sender: Sender, incoming: Incoming, now: datetime) -> Outcome | None:
        """Her voice note, if she is recording a screen; None when this message is not for us.

        Anything but a voice note (a text, a command) ends the recording and goes on to her other flows.
        """
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            if volunteer is None or not volunteer.recording:
                return None
            code, _, key = volunteer.recording.partition(":")
            screen = key_screen(key)
            since = volunteer.recording_since
            fresh = since is not None and now - since <= RECORDING_WINDOW
            if (
                code not in BY_CODE
                or screen is None
                or not fresh
                or incoming.kind != "voice"
                or incoming.edited
            ):
                volunteer.recording = None
                return None
            if not incoming.file_id:
                return Outcome().say(views.not_a_voice(self._interface(volunteer, sender)))
            row = await self._keep(session, volunteer, code, screen, incoming.file_id, now)
            volunteer.recording = None
            index = KEY_SCREENS.index(screen)
            t = self._interface(volunteer, sender)
            return Outcome().say(views.recording_kept(t, recording_id=row.id, code=code, index=index))

    async def _keep(
        self,
        session: AsyncSession,
        volunteer: Volunteer,
        code: str,
        screen: KeyScreen,
        file_id: str,
        now: datetime,
    ) -> VoiceRecording:
        """A new recording waits for a coordinator; her earlier one of this screen, still waiting, goes."""
        for earlier in await store.recordings(
            session, locale=code, statuses=(RecordingStatus.PENDING,), volunteer_id=volunteer.id
        ):
            if earlier.screen_key == screen.key:
                earlier.status, earlier.decided_at, earlier.decided_by = (
                    RecordingStatus.WITHDRAWN,
                    now,
                    "again",
                )
        return await store.add_recording(
            session,
            locale=code,
            screen_key=screen.key,
            source_hash=source_hash(screen, code),
            file_id=file_id,
            duration=0,
            volunteer_id=volunteer.id,
            keep_after_leaving=bool(volunteer.keep_recordings),
            status=RecordingStatus.PENDING,
            now=now,
        )

    # --- a Bydelsmor leaves ----------------------------------------------------------------------------

    @staticmethod
    async def volunteer_left(session: AsyncSession, *, volunteer_id: int, now: datetime) -> int:
        """Her recordings go, except those she agreed to leave behind. The number removed."""
        return await store.forget_recordings_of(
            session, volunteer_id=volunteer_id, removed=RecordingStatus.REMOVED, now=now
        )

    # --- the coordinators -----------------------------------------------------------------------------

    async def review_items(
        self, *, locale: str | None = None, statuses: tuple[str, ...] = ()
    ) -> list[ReviewItem]:
        async with self._db.transaction() as session:
            return await self.review_items_in(session, locale=locale, statuses=statuses)

    @staticmethod
    async def review_items_in(
        session: AsyncSession, *, locale: str | None = None, statuses: tuple[str, ...] = ()
    ) -> list[ReviewItem]:
        rows = await store.recordings(session, locale=locale, statuses=statuses)
        names = {v.id: v.display_name for v in await volunteer_store.list_volunteers(session)}
        items = []
        for row in rows:
            screen = key_screen(row.screen_key)
            if screen is None or row.locale not in BY_CODE:
                continue
            items.append(
                ReviewItem(
                    id=row.id,
                    locale=row.locale,
                    screen_key=row.screen_key,
                    text=screen_text(screen, row.locale),
                    danish=screen_text(screen, "da"),
                    status=row.status,
                    outdated=row.source_hash != source_hash(screen, row.locale),
                    by=names.get(row.volunteer_id) if row.volunteer_id else None,
                    duration=row.duration,
                    reason=row.reason,
                    created_at=row.created_at,
                )
            )
        return items

    async def decide(
        self, *, recording_id: int, approve: bool, reason: str = "", who: str, now: datetime
    ) -> VoiceRecording:
        async with self._db.transaction() as session:
            return await self.decide_in(
                session, recording_id=recording_id, approve=approve, reason=reason, who=who, now=now
            )

    @staticmethod
    async def decide_in(
        session: AsyncSession, *, recording_id: int, approve: bool, reason: str, who: str, now: datetime
    ) -> VoiceRecording:
        """Approve (or approve again, an outdated one: for the screen's text as it is now) or reject.

        Raises LookupError for a recording that cannot be decided (unknown, withdrawn, removed).
        """
        row = await store.get_recording(session, recording_id=recording_id, for_update=True)
        screen = key_screen(row.screen_key) if row is not None else None
        decidable = (RecordingStatus.PENDING, RecordingStatus.APPROVED)
        if row is None or screen is None or row.status not in decidable or row.file_id is None:
            raise LookupError(f"no recording {recording_id} to decide")
        if approve:
            for other in await store.recordings(
                session, locale=row.locale, statuses=(RecordingStatus.APPROVED,)
            ):
                if other.screen_key == row.screen_key and other.id != row.id:
                    other.status = RecordingStatus.REPLACED
            row.status, row.source_hash, row.reason = (
                RecordingStatus.APPROVED,
                source_hash(screen, row.locale),
                None,
            )
        else:
            row.status, row.reason = RecordingStatus.REJECTED, reason.strip()[:MAX_REASON] or None
        row.decided_at, row.decided_by = now, who[:64]
        volunteer = await session.get(Volunteer, row.volunteer_id) if row.volunteer_id is not None else None
        if volunteer is not None and volunteer.active and volunteer.blocked_at is None:
            # She hears back, in her language, with the reason if there is one: she can record it again.
            t = texts(get_locale(volunteer.locale).code)
            told = views.decided(
                t,
                recording_id=row.id,
                approved=approve,
                reason=row.reason,
                code=row.locale,
                index=KEY_SCREENS.index(screen),
            )
            await enqueue_reply(session, chat_id=volunteer.telegram_user_id, reply=told, now=now)
        return row

    async def file_of(self, *, recording_id: int) -> VoiceRecording | None:
        async with self._db.transaction() as session:
            return await store.get_recording(session, recording_id=recording_id)

    async def coverage(self) -> list[Coverage]:
        """Per locale with listeners or recordings: who listens, and how far the recordings cover."""
        async with self._db.transaction() as session:
            return await self.coverage_in(session)

    @staticmethod
    async def coverage_in(session: AsyncSession) -> list[Coverage]:
        listeners = await store.listeners_per_locale(session)
        await refresh(session)
        result = []
        for locale in LOCALES:
            recorded = sum(1 for screen in KEY_SCREENS if in_force(locale.code, screen.key) is not None)
            if recorded or listeners.get(locale.code):
                result.append(
                    Coverage(
                        locale=locale.code,
                        listeners=listeners.get(locale.code, 0),
                        recorded=recorded,
                        total=len(KEY_SCREENS),
                    )
                )
        return result


@dataclass(frozen=True, slots=True)
class LanguageRecordings:
    """The dashboard's page of one language: its recordings, and every language with how many wait."""

    locale: str
    items: list[ReviewItem]
    languages: list[tuple[str, str, int]]  # (code, native name, recordings waiting)


class RecordingsDesk:
    """The coordinators' side in the dashboard: a page per language, approve or reject, audited.

    Every coordinator reviews every language: the recordings belong to no group.
    """

    def __init__(self, *, db: Database) -> None:
        self._db = db

    async def page(self, viewer: Viewer, locale: str | None) -> LanguageRecordings:
        async with self._db.transaction() as session:
            waiting = await Recordings.review_items_in(session, statuses=(RecordingStatus.PENDING,))
            counts: dict[str, int] = {}
            for item in waiting:
                counts[item.locale] = counts.get(item.locale, 0) + 1
            if locale not in BY_CODE:
                locale = next(iter(counts), "da")
            shown = (RecordingStatus.PENDING, RecordingStatus.APPROVED, RecordingStatus.REJECTED)
            items = await Recordings.review_items_in(session, locale=locale, statuses=shown)
        items.sort(key=lambda item: (item.status != RecordingStatus.PENDING, -item.id))
        languages = [(entry.code, entry.native_name, counts.get(entry.code, 0)) for entry in LOCALES]
        return LanguageRecordings(locale=locale, items=items, languages=languages)

    async def file_id(self, viewer: Viewer, recording_id: int) -> str | None:
        """The recording's Telegram file id, for the dashboard to fetch through the bot."""
        async with self._db.transaction() as session:
            row = await store.get_recording(session, recording_id=recording_id)
        return row.file_id if row is not None else None

    async def decide(
        self, viewer: Viewer, recording_id: int, *, approve: bool, reason: str, now: datetime
    ) -> tuple[str, str] | None:
        """(the recording's locale, what happened), or None for an unknown recording."""
        async with self._db.transaction() as session:
            row = await store.get_recording(session, recording_id=recording_id)
            if row is None:
                return None
            try:
                await Recordings.decide_in(
                    session,
                    recording_id=recording_id,
                    approve=approve,
                    reason=reason,
                    who=viewer.name,
                    now=now,
                )
            except LookupError:
                return row.locale, "recording_gone"
            await audit(
                session,
                viewer,
                Action.APPROVE_RECORDING if approve else Action.REJECT_RECORDING,
                now=now,
                subject=f"recording:{recording_id}",
                detail=f"{row.locale}:{row.screen_key}",  # the reason may quote someone: not in the log
            )
        return row.locale, "recording_approved" if approve else "recording_rejected"
