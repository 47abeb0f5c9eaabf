"""The onboarding of a woman, as use cases: each takes what she did and returns what the bot says.

Where she is in the flow lives in the database (Person.step), so a restart continues where she was.
Nothing she writes is kept before she has said yes to the consent text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.danger import DangerDesk
from bot.domain.geo import PostcodeDirectory, read_postcode
from bot.domain.onboarding import ConsentStatus, HelpTopic, RequestStatus, Step
from bot.domain.scripts import main_script
from bot.group import screens as group_screens
from bot.i18n import BY_CODE, Texts, UiLocale, get_locale, locale_from_telegram, texts
from bot.language_guess import LanguageGuesser
from bot.matching import screens as match_screens
from bot.matching.service import Matchmaker, request_reference
from bot.onboarding import screens
from bot.outbox import enqueue_reply, forget_person
from bot.ui import Outcome, Reply
from bot.voice import screens as voice_screens
from bot.voice.library import dress, voice_for
from bot.volunteers import screens as volunteer_screens
from storage import matching as match_store
from storage import people
from storage.db import Database
from storage.models import HelpRequest, Person, Volunteer

__all__ = ["Incoming", "Onboarding", "Sender"]

# Steps at which a language her words suggest may be offered; and pairs never offered for each other.
_OFFER_STEPS = frozenset({Step.INTRO, Step.CONSENT, Step.TOPICS, Step.NOTE, Step.WAITING})
# Steps right after the postcode, while her request is a draft: an edit that reads as a postcode corrects it.
_AFTER_POSTCODE = frozenset({Step.TOPICS, Step.NOTE})
# Letters the statistical guess must read alone: random letters in them often look like some language.
_WEAK_GUESS_SCRIPTS = frozenset({"latin", "cyrillic"})
_CLOSE_LANGUAGES = {"kmr": {"tr"}, "tr": {"kmr"}, "fa": {"fa_AF"}, "fa_AF": {"fa"}}
MAX_NOTES = 20  # messages kept as her own words; the oldest go first beyond this
MAX_NOTE = 2000  # characters of one text note
_PAGE = re.compile(r"^[0-9]{1,3}$")
_REFERRAL = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what Telegram allows in a /start deep-link payload


@dataclass(frozen=True, slots=True)
class Sender:
    telegram_user_id: int
    language_code: str | None  # the phone app's language: a hint only


@dataclass(frozen=True, slots=True)
class Incoming:
    """A message she sent, reduced to what the onboarding cares about."""

    kind: Literal["text", "location", "voice", "photo", "other"]  # "voice" includes audio files
    text: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    file_id: str | None = None
    edited: bool = False  # she edited a message she had sent before


def has_words(text: str) -> bool:
    """True for "8220" or "my son", false for "👍🏽" or "?!": emoji alone answer no question."""
    return sum(1 for char in text if unicodedata.category(char)[0] in "LN") >= 2


class Onboarding:
    def __init__(
        self,
        *,
        db: Database,
        postcodes: PostcodeDirectory,
        retention_days: int,
        guesser: LanguageGuesser,
        timezone: ZoneInfo,
        matchmaker: Matchmaker,
        danger: DangerDesk,
    ) -> None:
        self._db = db
        self._timezone = timezone
        self._matchmaker = matchmaker
        self._danger = danger
        self._guesser = guesser
        self._postcodes = postcodes
        self._retention_days = retention_days

    # --- locale ---------------------------------------------------------------------------------------

    async def locale_for(self, sender: Sender) -> UiLocale:
        """Her chosen locale; before she chose, her phone's language if we have it; else English."""
        async with self._db.transaction() as session:
            person = await people.find_person(session, telegram_user_id=sender.telegram_user_id)
        return self._locale(person, sender)

    @staticmethod
    def _locale(person: Person | None, sender: Sender) -> UiLocale:
        if person is not None and person.locale:
            return get_locale(person.locale)
        return locale_from_telegram(sender.language_code) or get_locale(None)

    # --- commands -------------------------------------------------------------------------------------

    async def start(self, *, sender: Sender, payload: str | None, now: datetime) -> Outcome:
        referral = payload if payload and _REFERRAL.match(payload) else None
        async with self._db.transaction() as session:
            person = await people.find_person(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            return await dress(session, await self._start(session, person, sender, referral, now), person)

    async def _start(
        self,
        session: AsyncSession,
        person: Person | None,
        sender: Sender,
        referral: str | None,
        now: datetime,
    ) -> Outcome:
        if person is None or person.step == Step.REFUSED:
            return await self._greet(session, person, sender, referral, now)
        t = texts(self._locale(person, sender).code)
        matches = await match_store.active_matches_for_person(session, person_id=person.id)
        if matches:
            volunteer = await session.get(Volunteer, matches[-1].volunteer_id)
            request = await session.get(HelpRequest, matches[-1].request_id)
            if volunteer is not None and request is not None:
                language = t.language_name(request.spoken_language)
                return Outcome().say(match_screens.matched(t, name=volunteer.display_name, language=language))
        if person.step == Step.WAITING:
            if await people.current_request(session, person_id=person.id) is None:
                # Her talks have ended: she may ask for a Bydelsmor again, with the same consent.
                await self._request(session, person, now)
                self._move(person, Step.POSTCODE, now)
                return Outcome().say(screens.welcome_back(t)).say(screens.postcode_question(t))
            return Outcome().say(screens.welcome_back_waiting(t))
        return (
            Outcome().say(screens.welcome_back(t)).say(await self._current_screen(session, person, t, sender))
        )

    async def show_languages(self, *, sender: Sender) -> Outcome:
        async with self._db.transaction() as session:
            person = await people.find_person(session, telegram_user_id=sender.telegram_user_id)
        t = texts(self._locale(person, sender).code) if person and person.locale else None
        return Outcome().say(screens.language_picker(t, 0))

    async def help(self, *, sender: Sender) -> Outcome:
        return Outcome().say(screens.help_text(texts((await self.locale_for(sender)).code)))

    async def my_data(self, *, sender: Sender) -> Outcome:
        async with self._db.transaction() as session:
            person = await people.find_person(session, telegram_user_id=sender.telegram_user_id)
            t = texts(self._locale(person, sender).code)
            if person is None or person.step == Step.REFUSED:
                return Outcome().say(screens.nothing_to_erase(t))
            request = await people.current_request(session, person_id=person.id)
            return Outcome().say(
                screens.my_data(
                    t,
                    consent_given=person.consent == ConsentStatus.GIVEN,
                    spoken_language=request.spoken_language if request else None,
                    postcode=self._postcodes.get(request.postcode) if request and request.postcode else None,
                    postcode_declined=bool(request and request.postcode_declined),
                    topics=list(request.topics) if request else [],
                    note_kinds=set((request.note_kind or "").split(",")) if request else set(),
                    since=(person.consent_changed_at or person.created_at).astimezone(self._timezone).date(),
                    news=person.news,
                )
            )

    async def ask_stop(self, *, sender: Sender) -> Outcome:
        async with self._db.transaction() as session:
            person = await people.find_person(session, telegram_user_id=sender.telegram_user_id)
            t = texts(self._locale(person, sender).code)
            if person is None:
                return Outcome().say(screens.nothing_to_erase(t))
            return await dress(session, Outcome().say(screens.stop_question(t)), person)

    async def _answer_danger(
        self,
        session: AsyncSession,
        person: Person,
        sender: Sender,
        incoming: Incoming,
        guesses: tuple[str, ...],
        now: datetime,
    ) -> Reply | None:
        """Words of danger before a match: her answer, and the coordinator alerted (once; bot.danger)."""
        if not incoming.text:
            return None
        request = await people.current_request(session, person_id=person.id)
        locale = self._locale(person, sender).code
        danger = self._danger.judge(
            incoming.text,
            languages=(locale, request.spoken_language if request else None),
            guesses=guesses if incoming.kind == "text" else None,
        )
        if danger is None:
            return None
        return await self._danger.answer(
            session,
            danger,
            t=texts(locale),
            now=now,
            request=request,
            reference=request_reference(request, request.postcode) if request else f"#{person.id}",
        )

    async def erase(self, session: AsyncSession, person: Person, now: datetime) -> None:
        """Everything about her goes: her row, requests, matches, logs and check-ins (by cascade), every
        outbox message to her or carrying her words, sent or not, and dashboard sign-ins under her Telegram
        id; after the commit the database's files are scrubbed. Her Bydelsmødre are told she left."""
        await self._tell_bydelsmødre_she_left(session, person, now)
        await forget_person(session, telegram_user_id=person.telegram_user_id)
        await people.delete_person(session, person_id=person.id)

    async def _tell_bydelsmødre_she_left(self, session: AsyncSession, person: Person, now: datetime) -> None:
        for match in await match_store.active_matches_for_person(session, person_id=person.id):
            volunteer = await session.get(Volunteer, match.volunteer_id)
            if volunteer is not None and volunteer.blocked_at is None:
                t = texts(get_locale(volunteer.locale).code)
                reply = volunteer_screens.woman_ended(t, match.label)
                await enqueue_reply(session, chat_id=volunteer.telegram_user_id, reply=reply, now=now)

    # --- buttons --------------------------------------------------------------------------------------

    async def press(self, *, sender: Sender, data: str, now: datetime) -> Outcome:
        async with self._db.transaction() as session:
            person = await people.find_person(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            outcome = await self._press(session, person, sender, data, now)
            return await dress(session, outcome, person if data != "stop:yes" else None)

    async def _press(
        self, session: AsyncSession, person: Person | None, sender: Sender, data: str, now: datetime
    ) -> Outcome:
        t = texts(self._locale(person, sender).code)
        kind, _, value = data.partition(":")

        if kind == "lang":
            return await self._press_language(session, person, sender, value, now)
        if person is not None and data == "stop:yes":
            await self.erase(session, person, now)
            return Outcome().say(screens.erased(t))
        if person is None or person.step == Step.REFUSED:
            return Outcome(notice=screens.button_expired(t)).say(screens.start_first(t))
        if data == "stop:no":
            return (
                Outcome()
                .say(screens.stop_cancelled(t))
                .say(await self._current_screen(session, person, t, sender))
            )

        step = Step(person.step)
        if step == Step.INTRO and data == "intro:next":
            self._move(person, Step.CONSENT, now)
            return Outcome().say(screens.consent_question(t, self._retention_days))
        if step == Step.CONSENT and data in ("consent:yes", "consent:no"):
            return await self._answer_consent(session, person, t, data == "consent:yes", now)
        if step == Step.CONFIRM_LOCATION and data in ("loc:yes", "loc:no"):
            request = await self._request(session, person, now)
            if data == "loc:yes":
                self._move(person, Step.TOPICS, now)
                postcode = self._postcodes.get(request.postcode or "")
                return (
                    Outcome()
                    .say(screens.postcode_noted(t, postcode))
                    .say(screens.topics_question(t, list(request.topics)))
                )
            request.postcode = None
            self._move(person, Step.POSTCODE, now)
            return Outcome().say(screens.postcode_question(t))
        if step == Step.TOPICS and kind == "topic":
            return await self._press_topic(session, person, t, value, now)
        if step == Step.NOTE and data == "note:skip":
            return await self._finish(session, person, t, now)
        if step == Step.WAITING and data == "start:change":
            if await match_store.active_matches_for_person(session, person_id=person.id):
                return Outcome(notice=screens.button_expired(t))  # she has her Bydelsmor already
            waiting = await people.current_request(session, person_id=person.id, for_update=True)
            if waiting is None or waiting.status != RequestStatus.WAITING:
                return Outcome(notice=screens.button_expired(t))
            await self._matchmaker.withdraw_offers_for(session, waiting, now)
            waiting.status = RequestStatus.DRAFT
            self._move(person, Step.POSTCODE, now)
            return Outcome().say(screens.postcode_question(t))
        # A button from an older message: say so, and show where she is now.
        return Outcome(notice=screens.button_expired(t)).say(
            await self._current_screen(session, person, t, sender)
        )

    async def _press_language(
        self, session: AsyncSession, person: Person | None, sender: Sender, value: str, now: datetime
    ) -> Outcome:
        action, _, argument = value.partition(":")
        current = texts(self._locale(person, sender).code) if person and person.locale else None
        if action == "page":
            page = int(argument) if _PAGE.match(argument) else 0
            return Outcome().say(screens.language_picker(current, page, edit=True))
        if action == "no":
            # She keeps her language although her words looked like another: do not ask again for that one.
            if person is None or not person.locale:
                return Outcome().say(screens.language_picker(None, 0))
            declined = {code for code in (person.declined_locales or "").split(",") if code}
            if argument in BY_CODE:
                declined.add(argument)
            person.declined_locales = ",".join(sorted(declined))
            person.updated_at = now
            return Outcome().say(screens.language_changed(texts(person.locale)))
        if action != "set" or argument not in BY_CODE:
            return Outcome(notice=screens.button_expired(texts(self._locale(person, sender).code)))
        chosen = get_locale(argument)
        t = texts(chosen.code)
        if person is None or person.step == Step.REFUSED:
            person = await self._new_person(session, person, sender, None, now)
        person.locale = chosen.code
        person.updated_at = now
        first_choice = person.step == Step.LANGUAGE
        if first_choice:  # moved before the query below flushes her row: one UPDATE, not two
            self._move(person, Step.INTRO, now)
        request = await people.current_request(session, person_id=person.id)
        if request is not None and request.status == RequestStatus.DRAFT:
            # She reads this language, so she will most likely want to talk in it too. Once her request
            # waits for a Bydelsmor, how the bot writes to her no longer changes whom she is matched with.
            request.spoken_language, request.updated_at = chosen.spoken_language, now
        if first_choice:
            # Where a Bydelsmor's voice asks it in her language, she is asked once whether to listen.
            question = voice_screens.listen_question(t)
            voice = (
                await voice_for(session, locale=chosen.code, key="listen") if person.listen is None else None
            )
            if voice is not None:
                return Outcome().say(replace(question, voice=voice))
            return Outcome().say(screens.introduction(t))
        return (
            Outcome()
            .say(screens.language_changed(t))
            .say(await self._current_screen(session, person, t, sender))
        )

    async def _answer_consent(
        self, session: AsyncSession, person: Person, t: Texts, yes: bool, now: datetime
    ) -> Outcome:
        person.consent_changed_at = now
        if not yes:
            # Keep only that she said no: the language, the poster and any draft go.
            person.consent = ConsentStatus.REFUSED
            person.locale = None
            person.referral = None
            person.listen = None
            self._move(person, Step.REFUSED, now)
            await people.delete_requests(session, person_id=person.id)
            return Outcome().say(screens.consent_refused(t))
        person.consent = ConsentStatus.GIVEN
        await self._request(session, person, now)
        self._move(person, Step.POSTCODE, now)
        return Outcome().say(screens.postcode_question(t))

    async def _press_topic(
        self, session: AsyncSession, person: Person, t: Texts, value: str, now: datetime
    ) -> Outcome:
        request = await self._request(session, person, now)
        if value == "done":
            if HelpTopic.OTHER in request.topics and request.note_encrypted is None:
                self._move(person, Step.NOTE, now)
                return Outcome().say(screens.note_question(t))
            return await self._finish(session, person, t, now)
        if value not in HelpTopic.__members__.values():
            return Outcome(notice=screens.button_expired(t)).say(
                screens.topics_question(t, list(request.topics))
            )
        topics = list(request.topics)
        if value in topics:
            topics.remove(value)
        else:
            topics.append(value)
        # Keep the order of the buttons, whatever order she pressed them in.
        request.topics = [topic.value for topic in HelpTopic if topic.value in topics]
        request.updated_at = now
        return Outcome().say(screens.topics_question(t, list(request.topics), edit=True))

    # --- messages -------------------------------------------------------------------------------------

    async def receive(self, *, sender: Sender, incoming: Incoming, now: datetime) -> Outcome:
        async with self._db.transaction() as session:
            person = await people.find_person(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            guesses = self._guesser.guess(incoming.text) if incoming.kind == "text" and incoming.text else ()
            outcome: Outcome | None = None
            if person is None or (person.step == Step.LANGUAGE and person.locale is None):
                # She wrote before choosing a language: offer the one her words suggest; but her phone's
                # language wins over a guess from letters alone (random letters look like some language).
                phone = locale_from_telegram(sender.language_code)
                weak = phone is not None and main_script(incoming.text or "") in _WEAK_GUESS_SCRIPTS
                if person is None:
                    person = await self._new_person(session, None, sender, None, now)
                    if not guesses or weak:
                        outcome = await self._greet(session, person, sender, None, now, also=guesses)
                if outcome is None and guesses and not weak:
                    outcome = Outcome().say(screens.language_offer(guesses, current=None))
            first_words = outcome is not None
            if outcome is None:
                outcome = await self._receive(session, person, sender, incoming, now)
            answer = await self._answer_danger(session, person, sender, incoming, guesses, now)
            if answer is not None:
                # Her safety comes first, even in her first words: whom to call, and the coordinator is told
                # (even before consent: the alert names only a number and the kind, not her words).
                outcome.replies.insert(0, answer)
            if not first_words and person.locale and guesses and self._worth_offering(person, guesses):
                outcome.say(screens.language_offer(guesses, current=texts(person.locale)))
            return await dress(session, outcome, person)

    @staticmethod
    def _worth_offering(person: Person, guesses: tuple[str, ...]) -> bool:
        """Her words are in another language than the chosen one, and she has not said no to it.

        Not while she gives her postcode (a place name is no sentence), and never between languages that
        many women write interchangeably (Kurmanji speakers often write Turkish).
        """
        if person.step not in _OFFER_STEPS or person.locale in guesses:
            return False
        declined = set((person.declined_locales or "").split(","))
        close = _CLOSE_LANGUAGES.get(person.locale or "", set())
        return guesses[0] not in declined and guesses[0] not in close

    async def _receive(
        self, session: AsyncSession, person: Person, sender: Sender, incoming: Incoming, now: datetime
    ) -> Outcome:
        t = texts(self._locale(person, sender).code)
        step = Step(person.step)
        if step == Step.REFUSED:
            return Outcome().say(screens.consent_refused(t))
        if incoming.edited and step in _AFTER_POSTCODE:
            corrected = await self._correct_postcode(session, person, sender, t, incoming, now)
            if corrected is not None:
                return corrected
        if step == Step.POSTCODE:
            return await self._receive_postcode(session, person, t, incoming, now)
        if step == Step.CONFIRM_LOCATION and incoming.kind in ("text", "location"):
            # She typed a postcode or shared again instead of answering: take the new answer.
            self._move(person, Step.POSTCODE, now)
            return await self._receive_postcode(session, person, t, incoming, now)
        if step in (Step.TOPICS, Step.NOTE) and self._is_own_words(incoming):
            request = await self._request(session, person, now)
            self._keep_note(request, incoming, now)
            if step == Step.NOTE:
                return Outcome().say(screens.note_kept(t)).extend(await self._finish(session, person, t, now))
            return Outcome().say(screens.note_kept_choose_on(t))
        if step == Step.WAITING:
            return Outcome().say(screens.welcome_back_waiting(t))
        # One short re-ask with the buttons of where she is, not the whole screen again.
        current = await self._current_screen(session, person, t, sender)
        return Outcome().say(
            Reply(text=screens.not_understood(t).text, buttons=current.buttons, keyboard=current.keyboard)
        )

    async def _correct_postcode(
        self,
        session: AsyncSession,
        person: Person,
        sender: Sender,
        t: Texts,
        incoming: Incoming,
        now: datetime,
    ) -> Outcome | None:
        """She edited her postcode after the bot moved on ("8000" -> "8220"): while her request is a draft,
        that corrects the postcode. None when the edit is no known postcode (then it is her own words)."""
        request = await people.current_request(session, person_id=person.id)
        if request is None or request.status != RequestStatus.DRAFT or not incoming.text:
            return None
        known = [code for code in read_postcode(incoming.text).candidates if self._postcodes.get(code)]
        postcode = self._postcodes.get(known[-1]) if known else None
        if postcode is None:
            return None
        request.postcode, request.postcode_declined, request.updated_at = postcode.code, False, now
        return (
            Outcome()
            .say(screens.postcode_changed(t, postcode))
            .say(await self._current_screen(session, person, t, sender))
        )

    async def _receive_postcode(
        self, session: AsyncSession, person: Person, t: Texts, incoming: Incoming, now: datetime
    ) -> Outcome:
        request = await self._request(session, person, now)
        if incoming.kind == "location" and incoming.latitude is not None and incoming.longitude is not None:
            nearest = self._postcodes.nearest(incoming.latitude, incoming.longitude)
            if nearest is None:
                return Outcome().say(screens.location_not_in_denmark(t))
            request.postcode, request.postcode_declined = nearest.code, False
            self._move(person, Step.CONFIRM_LOCATION, now)
            return Outcome().say(screens.confirm_location(t, nearest))
        if incoming.kind == "voice":
            return Outcome().say(screens.postcode_voice(t))
        if incoming.kind != "text" or not incoming.text:
            return Outcome().say(screens.postcode_not_understood(t))
        if incoming.text.strip() == screens.rather_not_say_label(t):
            request.postcode, request.postcode_declined = None, True
            self._move(person, Step.TOPICS, now)
            return (
                Outcome()
                .say(screens.postcode_noted(t, None))
                .say(screens.topics_question(t, list(request.topics)))
            )
        answer = read_postcode(incoming.text)
        if not answer.candidates:
            return Outcome().say(screens.postcode_not_understood(t))
        # "Vestergade 1234, 8220 Brabrand": a house number may look like a postcode; the postcode comes last.
        known = [code for code in answer.candidates if self._postcodes.get(code) is not None]
        postcode = self._postcodes.get(known[-1]) if known else None
        if postcode is None:
            return Outcome().say(screens.postcode_unknown(t, answer.candidates[-1]))
        request.postcode, request.postcode_declined = postcode.code, False
        request.updated_at = now
        self._move(person, Step.TOPICS, now)
        return (
            Outcome()
            .say(screens.postcode_noted(t, postcode))
            .say(screens.topics_question(t, list(request.topics)))
        )

    @staticmethod
    def _is_own_words(incoming: Incoming) -> bool:
        if incoming.kind in ("voice", "photo"):
            return incoming.file_id is not None
        text = incoming.text or ""
        # A /command she mistyped is not something she wants to tell her Bydelsmor.
        return incoming.kind == "text" and has_words(text) and not text.startswith("/")

    def notes(self, request: HelpRequest) -> list[dict[str, str]]:
        """Everything she told us in her own words, oldest first: {"kind": text|voice|photo, "value": ...}."""
        if not request.note_encrypted:
            return []
        decrypted = self._db.cipher.decrypt(request.note_encrypted)
        try:
            notes = json.loads(decrypted)
        except ValueError:
            notes = None
        if not isinstance(notes, list):  # one plain note, as the first version kept it
            return [{"kind": request.note_kind or "text", "value": decrypted}]
        return notes

    def _keep_note(self, request: HelpRequest, incoming: Incoming, now: datetime) -> None:
        """Each message is kept (encrypted) next to the earlier ones: nothing she says is overwritten."""
        notes = self.notes(request)
        if incoming.kind in ("voice", "photo") and incoming.file_id:
            # Kept by Telegram's file id, so her Bydelsmor can hear or see it later.
            notes.append({"kind": incoming.kind, "value": incoming.file_id})
        if incoming.text and has_words(incoming.text):
            notes.append({"kind": "text", "value": incoming.text[:MAX_NOTE]})
        notes = notes[-MAX_NOTES:]
        request.note_encrypted = self._db.cipher.encrypt(json.dumps(notes, ensure_ascii=False))
        request.note_kind = ",".join(sorted({note["kind"] for note in notes}))
        request.updated_at = now

    # --- shared steps ---------------------------------------------------------------------------------

    async def _greet(
        self,
        session: AsyncSession,
        person: Person | None,
        sender: Sender,
        referral: str | None,
        now: datetime,
        *,
        also: tuple[str, ...] = (),
    ) -> Outcome:
        """The first hello: in her phone's language when we have it (with `also`, languages her words may be
        in, as further buttons), else the language picker."""
        await self._new_person(session, person, sender, referral, now)
        hint = locale_from_telegram(sender.language_code)
        if hint is None:
            return Outcome().say(screens.language_picker(None, 0))
        return Outcome().say(screens.greeting(texts(hint.code), also=also))

    @staticmethod
    async def _new_person(
        session: AsyncSession, person: Person | None, sender: Sender, referral: str | None, now: datetime
    ) -> Person:
        if person is None:
            # A new row; or hers, if another update of hers (another process) made it a moment ago.
            return await people.ensure_person(
                session,
                telegram_user_id=sender.telegram_user_id,
                step=Step.LANGUAGE,
                consent=ConsentStatus.PENDING,
                referral=referral,
                now=now,
            )
        person.step, person.consent, person.referral, person.updated_at = (
            Step.LANGUAGE,
            ConsentStatus.PENDING,
            referral,
            now,
        )
        return person

    async def _request(self, session: AsyncSession, person: Person, now: datetime) -> HelpRequest:
        request = await people.current_request(session, person_id=person.id)
        if request is None:
            request = await people.add_request(
                session,
                person_id=person.id,
                status=RequestStatus.DRAFT,
                spoken_language=get_locale(person.locale).spoken_language,
                now=now,
            )
        return request

    async def _finish(self, session: AsyncSession, person: Person, t: Texts, now: datetime) -> Outcome:
        request = await self._request(session, person, now)
        request.status = RequestStatus.WAITING
        request.submitted_at = request.updated_at = now
        request.group_id = await self._matchmaker.group_of(session, person, request)
        self._move(person, Step.WAITING, now)
        postcode = self._postcodes.get(request.postcode) if request.postcode else None
        # Nobody free: one message, which says so instead of "this can take a few days".
        takes_longer = await self._matchmaker.find_bydelsmor(session, request, now, tell_woman=False)
        return (
            Outcome()
            .say(
                screens.summary(
                    t,
                    spoken_language=request.spoken_language,
                    postcode=postcode,
                    nobody_free=takes_longer.text if takes_longer is not None else None,
                )
            )
            # One more question, after her request is on its way: news of meetings near her (off unless yes).
            .say(group_screens.ask_news(t))
        )

    async def current_screen(self, session: AsyncSession, person: Person, sender: Sender) -> Reply:
        """Where she is now, in her language (after /listen, for instance)."""
        return await self._current_screen(session, person, texts(self._locale(person, sender).code), sender)

    async def _current_screen(self, session: AsyncSession, person: Person, t: Texts, sender: Sender) -> Reply:
        """What to show again when she is lost, came back, or changed the language."""
        step = Step(person.step)
        if step == Step.LANGUAGE:
            # No language chosen and none suggested by her phone: the picker she first saw, not English.
            if person.locale is None and locale_from_telegram(sender.language_code) is None:
                return screens.language_picker(None, 0)
            return screens.greeting(t)
        if step == Step.INTRO:
            return screens.introduction(t)
        if step == Step.CONSENT:
            return screens.consent_question(t, self._retention_days)
        if step == Step.REFUSED:
            return screens.consent_refused(t)
        request = await people.current_request(session, person_id=person.id)
        if step == Step.CONFIRM_LOCATION and request and request.postcode:
            postcode = self._postcodes.get(request.postcode)
            if postcode is not None:
                return screens.confirm_location(t, postcode)
        if step == Step.TOPICS:
            return screens.topics_question(t, list(request.topics) if request else [])
        if step == Step.NOTE:
            return screens.note_question(t)
        if step == Step.WAITING:
            return screens.welcome_back_waiting(t)
        return screens.postcode_question(t)

    @staticmethod
    def _move(person: Person, step: Step, now: datetime) -> None:
        person.step = step
        person.updated_at = now
