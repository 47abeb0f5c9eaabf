"""The anonymous relay: what a woman and her Bydelsmor send each other goes through the bot.

The bot copies each message (copyMessage keeps voice notes, photos and locations and hides who sent it), logs
it encrypted for the coordinators, and writes both in one transaction with the outbox row that sends it.
A Bydelsmor with several women sees a short label before a message from a different woman than the last
one, and her answer goes to the woman she answered with Telegram's "Reply", or to the one she chose with
/switch; a message that fits neither gets a question, never a guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkins.service import Checkins
from bot.danger import DangerDesk
from bot.i18n import get_locale, texts
from bot.matching import screens as match_screens
from bot.matching.service import Matchmaker, request_again, request_reference
from bot.onboarding.screens import button_expired
from bot.outbox import enqueue, enqueue_reply
from bot.ui import Outcome
from bot.voice.library import voiced
from bot.volunteers import screens as views
from storage import matching as store
from storage import people
from storage import volunteers as volunteer_store
from storage.crypto import InvalidToken
from storage.db import Database
from storage.models import HelpRequest, Match, MessageLog, Person, Volunteer

__all__ = ["Relay", "RelayMessage"]

# What copyMessage passes on. A contact card is held back: it carries a phone number.
RELAYABLE = frozenset(
    {"text", "voice", "audio", "photo", "document", "location", "video", "video_note", "sticker"}
)
MAX_HELD = 20  # messages kept for "who is this for?"; older ones give way


@dataclass(frozen=True, slots=True)
class RelayMessage:
    telegram_user_id: int
    language_code: str | None
    message_id: int
    kind: str  # one of RELAYABLE, "contact", or "other"
    text: str | None = None  # the text, or a caption
    file_id: str | None = None
    reply_to_message_id: int | None = None
    edited: bool = False


Side = Literal["woman", "bydelsmor"]


class Relay:
    def __init__(
        self, *, db: Database, matchmaker: Matchmaker, danger: DangerDesk, checkins: Checkins | None = None
    ) -> None:
        self._db = db
        self._matchmaker = matchmaker
        self._danger = danger
        self._checkins = checkins

    # --- from the woman ------------------------------------------------------------------------------

    async def from_woman(self, message: RelayMessage, now: datetime) -> Outcome | None:
        """Pass her message to her Bydelsmor; None when she has none (the onboarding answers then)."""
        async with self._db.transaction() as session:
            person = await people.find_person(
                session, telegram_user_id=message.telegram_user_id, for_update=True
            )
            if person is None:
                return None
            conversation = await store.her_conversation(session, person_id=person.id)
            if conversation is None:
                return None
            match, volunteer, load = conversation.match, conversation.volunteer, conversation.load
            t = texts(get_locale(person.locale).code)
            outcome = Outcome()
            danger = self._danger.judge(message.text, languages=(person.locale, conversation.spoken_language))
            if danger is not None:
                reaches = volunteer is not None and volunteer.blocked_at is None and message.kind in RELAYABLE
                answer = await self._danger.answer(
                    session, danger, t=t, now=now, match=match, bydelsmor_reads=reaches
                )
                if answer is not None:
                    outcome.say(await voiced(session, answer, person))  # said aloud, if she listens
            if volunteer is None or volunteer.blocked_at is not None:
                return outcome.say(match_screens.partner_unreachable(t))
            if message.kind == "contact":
                return outcome.say(match_screens.contact_not_passed_on(t))
            if message.kind not in RELAYABLE:
                return outcome.say(match_screens.not_passed_on(t))
            if message.edited:
                await self._pass_edit(session, match, "woman", volunteer.telegram_user_id, message, now)
                return outcome
            labelled = False  # a "From #12" label goes right above her message (the outbox's `continues`)
            if load > 1:  # she talks with other women too: say whose message this is when that changes
                others = await store.active_matches_for_volunteer(
                    session, volunteer_id=volunteer.id, lock=True
                )
                last = await store.last_woman_entry(session, match_ids=[m.id for m in others])
                if volunteer.current_match_id not in (None, match.id):
                    # Another woman writes now: an answer without "Reply" is no longer clearly for her.
                    volunteer.current_match_id = None
                if last is None or last.match_id != match.id:
                    bm = texts(get_locale(volunteer.locale).code)
                    label = {
                        "chat_id": volunteer.telegram_user_id,
                        "text": views.conversation_label(bm, match.label),
                    }
                    await enqueue(
                        session,
                        chat_id=volunteer.telegram_user_id,
                        method="sendMessage",
                        payload=label,
                        now=now,
                    )
                    labelled = True
            await self._pass_on(
                session, match, "woman", volunteer.telegram_user_id, message, now, continues=labelled
            )
            return outcome

    # --- from the Bydelsmor --------------------------------------------------------------------------

    async def from_bydelsmor(self, message: RelayMessage, now: datetime) -> Outcome | None:
        """Pass her message to the right woman; None when she is no Bydelsmor."""
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=message.telegram_user_id, for_update=True
            )
            if volunteer is None or volunteer.setup_step is not None:
                return None
            t = texts(get_locale(volunteer.locale).code)
            matches = await store.active_matches_for_volunteer(session, volunteer_id=volunteer.id)
            if not matches:
                # Nobody to pass it to as a Bydelsmor: it may be her own message as a woman.
                return None
            if message.kind == "contact":
                return Outcome().say(match_screens.contact_not_passed_on(t))
            if message.kind not in RELAYABLE:
                return Outcome().say(match_screens.not_passed_on(t))
            match = await self._route(session, volunteer, matches, message)
            if match is None:
                held = self._held(volunteer)
                if message.edited:
                    # She corrected a message that still waits: the copy made later shows the new words,
                    # and the log must too. It is not a second message.
                    for waiting in held:
                        if waiting.message_id == message.message_id:
                            self._hold(volunteer, [_edited(waiting, message) for waiting in held])
                            return Outcome()
                self._hold(volunteer, [*held, message][-MAX_HELD:])
                return Outcome().say(views.who_is_it_for(t, [(m.id, m.label) for m in matches]))
            return await self._to_woman(session, volunteer, match, message, now)

    def _held(self, volunteer: Volunteer) -> list[RelayMessage]:
        """Her messages waiting for "who is this for?", oldest first (none if their key was retired)."""
        if not volunteer.pending_messages_encrypted:
            return []
        try:
            entries = json.loads(self._db.cipher.decrypt(volunteer.pending_messages_encrypted))
        except (InvalidToken, ValueError):
            return []
        return [
            RelayMessage(
                telegram_user_id=volunteer.telegram_user_id,
                language_code=None,
                message_id=int(entry["message_id"]),
                kind=str(entry["kind"]),
                text=entry.get("text"),
                file_id=entry.get("file_id"),
            )
            for entry in entries
        ]

    def _hold(self, volunteer: Volunteer, messages: list[RelayMessage]) -> None:
        """Keep these messages until she says who they are for: encrypted, as everything she writes."""
        if not messages:
            volunteer.pending_messages_encrypted = None
            return
        entries = [
            {"message_id": m.message_id, "kind": m.kind, "text": m.text, "file_id": m.file_id}
            for m in messages
        ]
        sealed = self._db.cipher.encrypt(json.dumps(entries, ensure_ascii=False))
        volunteer.pending_messages_encrypted = sealed

    async def _route(
        self, session: AsyncSession, volunteer: Volunteer, matches: list[Match], message: RelayMessage
    ) -> Match | None:
        by_id = {m.id: m for m in matches}
        if message.edited:
            for match in matches:
                if await store.log_entry_for_source(
                    session, match_id=match.id, source_message_id=message.message_id
                ):
                    return match
        if message.reply_to_message_id is not None:
            entry = await store.log_entry_for_copy(
                session, match_ids=list(by_id), copy_message_id=message.reply_to_message_id
            )
            if entry is not None:
                return by_id[entry.match_id]
        if len(matches) == 1:
            return matches[0]
        # Only a woman she chose herself (/switch, or answering "who is this for?") counts: never a guess.
        return by_id.get(volunteer.current_match_id or 0)

    async def _to_woman(
        self, session: AsyncSession, volunteer: Volunteer, match: Match, message: RelayMessage, now: datetime
    ) -> Outcome:
        person = await session.get(Person, match.person_id)
        t = texts(get_locale(volunteer.locale).code)
        if person is None or person.blocked_at is not None:
            return Outcome().say(match_screens.partner_unreachable(t))
        if message.edited:
            await self._pass_edit(session, match, "bydelsmor", person.telegram_user_id, message, now)
        else:
            await self._pass_on(session, match, "bydelsmor", person.telegram_user_id, message, now)
        return Outcome()

    async def route_pending(self, *, telegram_user_id: int, match_id: int | None, now: datetime) -> Outcome:
        """She answered "who is this for?": send the waiting messages there, and make that woman current.

        `match_id` None: the button's id cannot be a match's (bot.domain.ids); answered as a closed one.
        """
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=telegram_user_id, for_update=True
            )
            if volunteer is None:
                return Outcome()
            t = texts(get_locale(volunteer.locale).code)
            match = await session.get(Match, match_id) if match_id is not None else None
            if match is None or match.volunteer_id != volunteer.id or match.status != "active":
                return Outcome(notice=views.offer_closed(t))
            volunteer.current_match_id = match.id
            held = self._held(volunteer)
            self._hold(volunteer, [])
            outcome = Outcome().say(views.switched(t, match.label))
            for waiting in held:  # in the order she wrote them, through the same path as any message
                undelivered = await self._to_woman(session, volunteer, match, waiting, now)
                if undelivered.replies:  # she cannot be reached: one word about it is enough
                    return outcome.extend(undelivered)
            return outcome

    async def choose(self, *, telegram_user_id: int) -> Outcome:
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(session, telegram_user_id=telegram_user_id)
            if volunteer is None:
                return Outcome().say(views.not_a_bydelsmor(texts("en")))
            t = texts(get_locale(volunteer.locale).code)
            matches = await store.active_matches_for_volunteer(session, volunteer_id=volunteer.id)
            if not matches:
                return Outcome().say(views.no_conversation(t))
            return Outcome().say(views.choose_conversation(t, [(m.id, m.label) for m in matches]))

    # --- copying, logging, editing ---------------------------------------------------------------------

    async def _pass_on(
        self,
        session: AsyncSession,
        match: Match,
        sender: Side,
        to_chat: int,
        message: RelayMessage,
        now: datetime,
        *,
        continues: bool = False,
    ) -> None:
        content = message.text if message.kind == "text" else message.file_id or message.text
        entry = MessageLog(
            match_id=match.id,
            sender=sender,
            kind=message.kind,
            content_encrypted=self._db.cipher.encrypt(content) if content else None,
            source_message_id=message.message_id,
            created_at=now,
        )
        session.add(entry)
        await session.flush()
        payload = {
            "chat_id": to_chat,
            "from_chat_id": message.telegram_user_id,
            "message_id": message.message_id,
        }
        await enqueue(
            session,
            chat_id=to_chat,
            method="copyMessage",
            payload=payload,
            now=now,
            log_id=entry.id,
            continues=continues,
        )

    async def _pass_edit(
        self,
        session: AsyncSession,
        match: Match,
        sender: Side,
        to_chat: int,
        message: RelayMessage,
        now: datetime,
    ) -> None:
        entry = await store.log_entry_for_source(
            session, match_id=match.id, source_message_id=message.message_id
        )
        if entry is None or not message.text:
            return
        entry.content_encrypted = self._db.cipher.encrypt(message.text)
        if entry.copy_message_id is None or entry.kind != "text":
            return
        payload = {"chat_id": to_chat, "message_id": entry.copy_message_id, "text": message.text}
        author = message.telegram_user_id  # so erasing her also deletes the edit that carries her words
        await enqueue(
            session, chat_id=to_chat, method="editMessageText", payload=payload, now=now, from_chat_id=author
        )

    # --- someone blocked the bot ----------------------------------------------------------------------

    async def blocked(self, session: AsyncSession, chat_id: int, now: datetime) -> None:
        """403 from Telegram: tell the other side kindly, and the coordinator."""
        person = await people.find_person(session, telegram_user_id=chat_id)
        volunteer = await volunteer_store.find_volunteer(session, telegram_user_id=chat_id)
        affected: list[tuple[Match, int, str | None]] = []
        if person is not None and person.blocked_at is None:
            person.blocked_at = now
            for match in await store.active_matches_for_person(session, person_id=person.id):
                other = await session.get(Volunteer, match.volunteer_id)
                if other is not None:
                    affected.append((match, other.telegram_user_id, other.locale))
        if volunteer is not None and volunteer.blocked_at is None:
            volunteer.blocked_at = now
            await self._matchmaker.withdraw_offers_of(session, volunteer, now)
            for match in await store.active_matches_for_volunteer(session, volunteer_id=volunteer.id):
                woman = await session.get(Person, match.person_id)
                if woman is not None:
                    affected.append((match, woman.telegram_user_id, woman.locale))
        for match, other_chat, locale in affected:
            await enqueue_reply(
                session,
                chat_id=other_chat,
                reply=match_screens.partner_unreachable(texts(get_locale(locale).code)),
                now=now,
            )
            await self._matchmaker.alert_about_match(session, match, "blocked", now)

    # --- ending ------------------------------------------------------------------------------------------

    async def ask_end(self, *, telegram_user_id: int) -> Outcome | None:
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(session, telegram_user_id=telegram_user_id)
            if volunteer is not None:
                t = texts(get_locale(volunteer.locale).code)
                matches = await store.active_matches_for_volunteer(session, volunteer_id=volunteer.id)
                if not matches:
                    return Outcome().say(views.no_conversation(t))
                current = next((m for m in matches if m.id == volunteer.current_match_id), matches[-1])
                return Outcome().say(views.ask_end_reason(t, current.id))
            person = await people.find_person(session, telegram_user_id=telegram_user_id)
            if person is None:
                return None
            matches = await store.active_matches_for_person(session, person_id=person.id)
            if not matches:
                return None
            return Outcome().say(match_screens.ask_end(texts(get_locale(person.locale).code), matches[-1].id))

    async def end(
        self, *, telegram_user_id: int, match_id: int | None, reason: str, now: datetime
    ) -> Outcome:
        """The "end" buttons. A match that is not hers to end, whether it exists, is active, is someone
        else's or its id is out of range (`match_id` None), gets one answer: a forged press learns nothing.
        """
        async with self._db.transaction() as session:
            match = await session.get(Match, match_id, with_for_update=True) if match_id is not None else None
            volunteer = await session.get(Volunteer, match.volunteer_id) if match else None
            person = await session.get(Person, match.person_id) if match else None
            by_bydelsmor = volunteer is not None and volunteer.telegram_user_id == telegram_user_id
            by_woman = person is not None and person.telegram_user_id == telegram_user_id
            if match is None or volunteer is None or person is None or match.status != "active":
                return await self._not_open(session, telegram_user_id)
            if not (by_bydelsmor or by_woman):
                return await self._not_open(session, telegram_user_id)
            bm = texts(get_locale(volunteer.locale).code)
            woman = texts(get_locale(person.locale).code)
            if reason == "cancel":
                return Outcome().say(match_screens.still_talking(bm if by_bydelsmor else woman))
            match.status, match.ended_at = "ended", now
            match.ended_by, match.end_reason = ("bydelsmor" if by_bydelsmor else "woman"), reason[:32]
            if self._checkins is not None:
                await self._checkins.match_ended(session, match, now)
            request = await session.get(HelpRequest, match.request_id, with_for_update=True)
            if request is not None:
                request.status = "closed"
            if by_bydelsmor:
                if reason in ("too_much", "professional"):
                    await self._matchmaker.alert_about_match(session, match, reason, now)
                if person.blocked_at is None:
                    await enqueue_reply(
                        session,
                        chat_id=person.telegram_user_id,
                        reply=match_screens.bydelsmor_ended(woman),
                        now=now,
                    )
                return Outcome().say(views.ended_for_bydelsmor(bm, match.label))
            if volunteer.blocked_at is None:
                await enqueue_reply(
                    session,
                    chat_id=volunteer.telegram_user_id,
                    reply=views.woman_ended(bm, match.label),
                    now=now,
                )
            if reason == "another" and request is not None:
                again = request_again(request, without=volunteer.id, now=now)
                session.add(again)
                await session.flush()
                outcome = Outcome().say(match_screens.looking_for_another(woman))
                takes_longer = await self._matchmaker.find_bydelsmor(session, again, now, tell_woman=False)
                if takes_longer is not None:
                    outcome.say(takes_longer)
                return outcome
            return Outcome().say(match_screens.ended_for_woman(woman))

    @staticmethod
    async def _not_open(session: AsyncSession, telegram_user_id: int) -> Outcome:
        """The answer to a button whose conversation is not open for her, in her own language only."""
        volunteer = await volunteer_store.find_volunteer(session, telegram_user_id=telegram_user_id)
        person = None if volunteer else await people.find_person(session, telegram_user_id=telegram_user_id)
        locale = volunteer.locale if volunteer else person.locale if person else None
        return Outcome(notice=button_expired(texts(get_locale(locale).code)))


def reference_for(request: HelpRequest, place: str | None) -> str:
    return request_reference(request, place)


def _edited(waiting: RelayMessage, edit: RelayMessage) -> RelayMessage:
    if waiting.message_id != edit.message_id:
        return waiting
    return replace(waiting, text=edit.text)
