"""Bydelsmødre review the translations (/translate); coordinators approve; approved texts apply at once."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.ids import record_id
from bot.domain.translations import MAX_SUGGESTION, SuggestionStatus, fits, parts_to_keep, text_key
from bot.group.announcements import Announcements
from bot.i18n import (
    BY_CODE,
    DOMAIN,
    LOCALES,
    LOCALES_DIR,
    SOURCE_LOCALE,
    Texts,
    UiLocale,
    current_overrides,
    get_locale,
    locale_from_telegram,
    texts,
    use_overrides,
)
from bot.onboarding import screens
from bot.onboarding.service import Sender
from bot.translations import screens as views
from bot.ui import Outcome
from storage import volunteers as store
from storage.db import Database
from storage.models import TranslationSuggestion, Volunteer

__all__ = ["Suggestion", "TranslationReview", "source_texts"]

log = logging.getLogger(__name__)
# A Bydelsmor who pressed "Suggest" and then went away: her next message, much later, is not a suggestion.
SUGGESTION_WINDOW = timedelta(minutes=15)


@cache
def source_texts() -> tuple[str, ...]:
    """The English texts a Bydelsmor can review, in template order; plural texts stay with translators."""
    with (LOCALES_DIR / f"{DOMAIN}.pot").open("rb") as handle:
        return tuple(m.id for m in read_po(handle) if m.id and isinstance(m.id, str))


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: int
    locale: str
    source: str
    current: str | None
    text: str
    by: str | None


ANNOUNCEMENT_KEY = "ann"  # `translating` = "<locale>:ann<id>": she writes an announcement in her language


class TranslationReview:
    def __init__(self, *, db: Database) -> None:
        self._db = db

    # --- the Bydelsmor's side -------------------------------------------------------------------------

    @staticmethod
    def _interface(volunteer: Volunteer | None, sender: Sender) -> Texts:
        if volunteer is not None and volunteer.locale:
            return texts(volunteer.locale)
        return texts((locale_from_telegram(sender.language_code) or get_locale(None)).code)

    @staticmethod
    def reviewable(volunteer: Volunteer) -> list[UiLocale]:
        """Our locales in a language she speaks (English is the source, so there is nothing to review)."""
        spoken = set(volunteer.spoken_languages)
        return [
            locale
            for locale in LOCALES
            if locale.code != SOURCE_LOCALE and (locale.spoken_language in spoken or locale.code in spoken)
        ]

    async def open(self, *, sender: Sender) -> Outcome:
        async with self._db.transaction() as session:
            volunteer = await store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            if volunteer is not None:
                volunteer.translating = None
        t = self._interface(volunteer, sender)
        if volunteer is None:
            return Outcome().say(views.not_a_bydelsmor(t))
        locales = self.reviewable(volunteer)
        if not locales:
            return Outcome().say(views.no_languages(t))
        return Outcome().say(views.choose_language(t, locales))

    def _screen(self, t: Texts, locale: UiLocale, index: int, *, edit: bool) -> Outcome:
        sources = source_texts()
        if index >= len(sources):
            return Outcome().say(views.finished(t))
        index = max(0, index)
        danish = t.locale.code == "da" and locale.code != "da"
        source = texts("da").raw(sources[index]) if danish else sources[index]
        return Outcome().say(
            views.show_text(
                t,
                locale=locale,
                index=index,
                total=len(sources),
                source_label=views.source_label_danish(t) if danish else views.source_label_english(t),
                source=source or sources[index],
                source_id=sources[index],
                current=texts(locale.code).raw(sources[index]),
                edit=edit,
            )
        )

    async def press(self, *, sender: Sender, data: str, now: datetime) -> Outcome:
        parts = data.split(":")
        async with self._db.transaction() as session:
            volunteer = await store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            t = self._interface(volunteer, sender)
            if volunteer is None:
                return Outcome().say(views.not_a_bydelsmor(t))
            allowed = {locale.code for locale in self.reviewable(volunteer)}
            action = parts[1] if len(parts) > 1 else ""
            code = parts[2] if len(parts) > 2 else ""
            index = int(parts[3]) if len(parts) > 3 and re.fullmatch(r"[0-9]{1,4}", parts[3]) else 0
            if action in ("stop", "cancel"):
                volunteer.translating = None
                return Outcome(notice="✔")
            if code not in allowed:
                return Outcome(notice=screens.button_expired(t))
            locale = BY_CODE[code]
            if action == "lang":
                # Her group's news for women comes first: the women wait for it, not for a better wording.
                waiting = await Announcements.to_translate(session, volunteer=volunteer, locale=code)
                if waiting:
                    return self._announcement(t, locale, waiting[0].id, waiting[0].text)
                return self._screen(t, locale, 0, edit=False)
            if action == "ann" and record_id(parts[3] if len(parts) > 3 else "") is not None:
                volunteer.translating = f"{code}:{ANNOUNCEMENT_KEY}{parts[3]}"
                volunteer.translating_since = now
                return Outcome().say(views.write_suggestion(t, locale=locale, parts=[]))
            if action == "go":
                return self._screen(t, locale, index, edit=True)
            source = self._by_key().get(parts[3] if len(parts) > 3 else "")
            if action == "suggest" and source is not None:
                volunteer.translating, volunteer.translating_since = f"{code}:{parts[3]}", now
                return Outcome().say(views.write_suggestion(t, locale=locale, parts=parts_to_keep(source)))
            return Outcome(notice=screens.button_expired(t))

    @staticmethod
    def _announcement(t: Texts, locale: UiLocale, announcement_id: int, text: str) -> Outcome:
        return Outcome().say(
            views.show_announcement(t, locale=locale, announcement_id=announcement_id, text=text)
        )

    @staticmethod
    @cache
    def _by_key() -> dict[str, str]:
        return {text_key(source): source for source in source_texts()}

    async def cancel(self, *, sender: Sender) -> None:
        """She sent a command: whatever she was writing, it was not a suggestion."""
        async with self._db.transaction() as session:
            volunteer = await store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            if volunteer is not None and volunteer.translating:
                volunteer.translating = None

    async def receive(self, *, sender: Sender, text: str | None, now: datetime) -> Outcome | None:
        """Her better text, if she is writing one; None when this message is not for us.

        Only a new text message soon after she pressed "Suggest" counts. Anything else (a voice note, a
        command, a message an hour later) ends the suggestion and goes on to the women's flow.
        """
        async with self._db.transaction() as session:
            volunteer = await store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            if volunteer is None or not volunteer.translating:
                return None
            code, _, key = volunteer.translating.partition(":")
            source = self._by_key().get(key)
            started = volunteer.translating_since
            fresh = started is not None and now - started <= SUGGESTION_WINDOW
            announcement_id = record_id(key.removeprefix(ANNOUNCEMENT_KEY)) if key.startswith("ann") else None
            if announcement_id is not None:
                return await self._receive_announcement(
                    session, volunteer, sender, code, announcement_id, text, fresh=fresh, now=now
                )
            if code not in BY_CODE or source is None or not fresh or not text or text.startswith("/"):
                volunteer.translating = None
                return None
            t = self._interface(volunteer, sender)
            suggestion = text.strip()
            if not suggestion or len(suggestion) > MAX_SUGGESTION or not fits(source, suggestion):
                return Outcome().say(views.suggestion_missing_parts(t, parts_to_keep(source)))
            await store.add_suggestion(
                session, locale=code, msgid=source, text=suggestion, volunteer_id=volunteer.id, now=now
            )
            volunteer.translating = None
        index = source_texts().index(source)
        return (
            Outcome()
            .say(views.suggestion_kept(t))
            .extend(self._screen(t, BY_CODE[code], index + 1, edit=False))
        )

    async def _receive_announcement(
        self,
        session: AsyncSession,
        volunteer: Volunteer,
        sender: Sender,
        code: str,
        announcement_id: int,
        text: str | None,
        *,
        fresh: bool,
        now: datetime,
    ) -> Outcome | None:
        """Her translation of an announcement for women, kept for a coordinator; then the next one, if any."""
        volunteer.translating = None
        if code not in BY_CODE or not fresh or not text or text.startswith("/") or not text.strip():
            return None
        if not await Announcements.keep_translation(
            session, volunteer=volunteer, announcement_id=announcement_id, locale=code, text=text, now=now
        ):
            return None
        await session.flush()
        t = self._interface(volunteer, sender)
        waiting = await Announcements.to_translate(session, volunteer=volunteer, locale=code)
        following = (
            self._announcement(t, BY_CODE[code], waiting[0].id, waiting[0].text)
            if waiting
            else self._screen(t, BY_CODE[code], 0, edit=False)
        )
        return Outcome().say(views.suggestion_kept(t)).extend(following)

    # --- the coordinator's side -----------------------------------------------------------------------

    async def pending(self, *, locale: str | None = None) -> list[Suggestion]:
        async with self._db.transaction() as session:
            rows = await store.pending_suggestions(session, locale=locale)
            names = {v.id: v.display_name for v in await store.list_volunteers(session)}
        return [
            Suggestion(
                id=row.id,
                locale=row.locale,
                source=row.msgid,
                current=texts(row.locale).raw(row.msgid),
                text=row.text,
                by=names.get(row.volunteer_id) if row.volunteer_id else None,
            )
            for row in rows
        ]

    async def decide(
        self, *, suggestion_id: int, approve: bool, who: str, now: datetime
    ) -> TranslationSuggestion:
        async with self._db.transaction() as session:
            row = await store.get_suggestion(session, suggestion_id=suggestion_id)
            if row is None or row.status != SuggestionStatus.PENDING:
                raise LookupError(f"no pending suggestion {suggestion_id}")
            row.status = SuggestionStatus.APPROVED if approve else SuggestionStatus.REJECTED
            row.decided_at, row.decided_by = now, who
        await self.reload_overrides()
        return row

    async def reload_overrides(self) -> bool:
        """Put the approved texts in force in this process (the tick calls this for other processes).

        True when they changed. A text that no longer fits its English source (the source changed since,
        or it was approved by mistake) is left out: the catalog's text is used instead.
        """
        async with self._db.transaction() as session:
            approved = await store.approved_suggestions(session)
        overrides: dict[str, dict[str, str]] = {}
        for row in approved:
            if row.locale in BY_CODE and fits(row.msgid, row.text):
                overrides.setdefault(row.locale, {})[row.msgid] = row.text
            else:
                log.warning("approved text #%s does not fit its source any more; not used", row.id)
        changed = overrides != current_overrides()
        use_overrides(overrides)
        return changed

    async def export(self, *, code: str) -> tuple[bytes, list[str]]:
        """The catalog with the approved texts applied, as a .po file for the repository.

        Returns the file and the approved texts whose English source is no longer in the catalog.
        """
        if code not in BY_CODE or code == SOURCE_LOCALE:
            raise LookupError(f"no catalog for {code!r}")
        await self.reload_overrides()
        approved = dict(current_overrides().get(code, {}))
        path = LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        with path.open("rb") as handle:
            catalog: Catalog = read_po(handle, locale=BY_CODE[code].cldr_code, domain=DOMAIN)
        for message in catalog:
            if message.id and isinstance(message.id, str) and message.id in approved:
                message.string = approved.pop(message.id)
                message.flags.discard("fuzzy")
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=110)
        return buffer.getvalue(), sorted(approved)
