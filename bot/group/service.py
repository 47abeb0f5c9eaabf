""" "Ask my coordinator": a Bydelsmor's question reaches her coordinators in Telegram and the dashboard, and
the answer, from either, reaches her through the bot.

The bot adds nothing about the women she talks with: the question holds only what she wrote or said.
Everything to a third party (the question to the coordinators, the answer to her) goes through the outbox,
in the same transaction as the row it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import outbox
from bot.dashboard.access import Action, Viewer, audit
from bot.domain.ids import record_id
from bot.group import screens
from bot.i18n import Texts, get_locale, locale_from_telegram, texts
from bot.onboarding.service import Incoming, Sender
from bot.ui import Outcome
from storage import questions as store
from storage import volunteers as volunteer_store
from storage.db import Database, cipher_of
from storage.models import Coordinator, CoordinatorQuestion, Group, Volunteer

__all__ = ["ASK_WINDOW", "CoordinatorQuestions", "OpenQuestion"]

# After "Ask my coordinator" (or "Answer"), the next message within this long is the question (the answer).
ASK_WINDOW = timedelta(minutes=15)
ANSWER_LIMIT = 3500  # characters: one Telegram message with the heading (4096 at most)


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """One unanswered question, as the dashboard lists it."""

    id: int
    name: str  # the Bydelsmor's display name
    group: str | None
    kind: str  # "text" | "voice"
    text: str | None  # None for a voice note (played from /media/question/<id>)
    asked_at: datetime


def _hint(sender: Sender) -> Texts:
    return texts((locale_from_telegram(sender.language_code) or get_locale(None)).code)


def _volunteer_texts(volunteer: Volunteer, sender: Sender | None = None) -> Texts:
    if volunteer.locale:
        return texts(volunteer.locale)
    return _hint(sender) if sender is not None else texts(get_locale(None).code)


class CoordinatorQuestions:
    def __init__(self, *, db: Database) -> None:
        self._db = db

    # --- the Bydelsmor ------------------------------------------------------------------------------------

    async def help(self, *, sender: Sender, base: Outcome) -> Outcome:
        """/help for a Bydelsmor: the help everyone gets (helplines included), and her coordinator one button
        away. Anyone else gets `base` unchanged."""
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id
            )
            if volunteer is None or volunteer.setup_step is not None or not base.replies:
                return base
            extra = screens.bydelsmor_help(_volunteer_texts(volunteer, sender))
            last = base.replies[-1]
            base.replies[-1] = replace(
                last, text=f"{last.text}\n\n{extra.text}", buttons=(*last.buttons, *extra.buttons)
            )
            return base

    async def press(self, *, sender: Sender, data: str, now: datetime) -> Outcome:
        """ "ask:new" and "ask:cancel" from a Bydelsmor; "ans:<id>" from a coordinator."""
        kind, _, rest = data.partition(":")
        if kind == "ans":
            return await self._start_answer(sender=sender, question_id=record_id(rest), now=now)
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id
            )
            if volunteer is None:
                return Outcome()
            t = _volunteer_texts(volunteer, sender)
            if rest == "cancel":
                volunteer.asking_since = None
                return Outcome().say(screens.question_cancelled(t))
            volunteer.asking_since = now
            return Outcome().say(screens.write_question(t))

    async def receive_question(self, *, sender: Sender, incoming: Incoming, now: datetime) -> Outcome | None:
        """Her next message after "Ask my coordinator": text or a voice note. None: she is not asking."""
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id
            )
            if (
                volunteer is None
                or volunteer.asking_since is None
                or volunteer.asking_since < now - ASK_WINDOW
            ):
                return None
            t = _volunteer_texts(volunteer, sender)
            text = (incoming.text or "").strip() if incoming.kind == "text" else ""
            if incoming.kind == "voice" and incoming.file_id:
                kind, content = "voice", incoming.file_id
            elif text and not text.startswith("/"):
                kind, content = "text", text
            else:
                return Outcome().say(screens.question_again(t))
            volunteer.asking_since = None
            coordinators = await store.question_coordinators(session, group_id=volunteer.group_id)
            question = await store.add_question(
                session,
                volunteer_id=volunteer.id,
                group_id=volunteer.group_id,
                kind=kind,
                content_encrypted=cipher_of(session).encrypt(content),
                now=now,
            )
            for coordinator in coordinators:
                await self._tell_coordinator(
                    session, coordinator, question, volunteer.display_name, content, now
                )
            if not coordinators:
                return Outcome().say(screens.no_coordinator(t))
            return Outcome().say(screens.question_sent(t))

    @staticmethod
    async def _tell_coordinator(
        session: AsyncSession,
        coordinator: Coordinator,
        question: CoordinatorQuestion,
        name: str,
        content: str,
        now: datetime,
    ) -> None:
        chat = coordinator.telegram_user_id
        if question.kind == "voice":  # her own voice, then the text with the "Answer" button
            await outbox.enqueue(
                session,
                chat_id=chat,
                method="sendVoice",
                payload={"chat_id": chat, "voice": content},
                now=now,
            )
        reply = screens.question_for_coordinator(
            texts(coordinator.locale or get_locale(None).code),
            question_id=question.id,
            name=name,
            text=content if question.kind == "text" else None,
        )
        continues = question.kind == "voice"  # the screen right below her voice note
        await outbox.enqueue_reply(session, chat_id=chat, reply=reply, now=now, continues=continues)

    # --- the coordinator, in Telegram --------------------------------------------------------------------

    async def _start_answer(self, *, sender: Sender, question_id: int | None, now: datetime) -> Outcome:
        async with self._db.transaction() as session:
            mine = await self._coordinator_rows(session, sender.telegram_user_id)
            question = await self._visible(session, mine, question_id)
            if not mine or question is None:
                return Outcome()
            t = texts(mine[0].locale or _hint(sender).locale.code)
            if question.answered_at is not None:
                return Outcome().say(screens.answered_already(t))
            volunteer = await session.get(Volunteer, question.volunteer_id)
            for row in mine:
                row.answering_question_id = question.id if row is mine[0] else None
                row.answering_since = now if row is mine[0] else None
            return Outcome().say(screens.write_answer(t, volunteer.display_name if volunteer else ""))

    async def receive_answer(
        self, *, sender: Sender, text: str | None, by: str, now: datetime
    ) -> Outcome | None:
        """Her next message after "Answer". None: she is not answering (or pressed it too long ago)."""
        async with self._db.transaction() as session:
            coordinator = await store.answering_coordinator(session, telegram_user_id=sender.telegram_user_id)
            if coordinator is None or coordinator.answering_question_id is None:
                return None
            if coordinator.answering_since is None or coordinator.answering_since < now - ASK_WINDOW:
                await store.stop_answering(session, telegram_user_id=sender.telegram_user_id)
                return None
            t = texts(coordinator.locale or _hint(sender).locale.code)
            answer = (text or "").strip()
            if not answer or answer.startswith("/"):
                return Outcome().say(screens.answer_as_text(t))
            question_id = coordinator.answering_question_id
            await store.stop_answering(session, telegram_user_id=sender.telegram_user_id)
            question = await store.find_question(session, question_id=question_id, for_update=True)
            if question is None or question.answered_at is not None:
                return Outcome().say(screens.answered_already(t))
            name = await self._answer(session, question, answer[:ANSWER_LIMIT], by=by, now=now)
            return Outcome().say(screens.answer_sent(t, name))

    async def answer_by_reply(
        self, *, sender: Sender, question_id: int | None, text: str | None, by: str, now: datetime
    ) -> Outcome | None:
        """Her Telegram "Reply" to a question message. None: she is not a coordinator who may answer it."""
        async with self._db.transaction() as session:
            mine = await self._coordinator_rows(session, sender.telegram_user_id)
            question = await self._visible(session, mine, question_id)
            if question is None:
                return None
            t = texts(mine[0].locale or _hint(sender).locale.code)
            answer = (text or "").strip()
            if not answer or answer.startswith("/"):
                return Outcome().say(screens.answer_as_text(t))
            question = await store.find_question(session, question_id=question.id, for_update=True)
            if question is None or question.answered_at is not None:
                return Outcome().say(screens.answered_already(t))
            if any(row.answering_question_id == question.id for row in mine):
                await store.stop_answering(session, telegram_user_id=sender.telegram_user_id)
            name = await self._answer(session, question, answer[:ANSWER_LIMIT], by=by, now=now)
            return Outcome().say(screens.answer_sent(t, name))

    @staticmethod
    async def _answer(
        session: AsyncSession, question: CoordinatorQuestion, answer: str, *, by: str, now: datetime
    ) -> str:
        """Keep the answer and send it to her; the Bydelsmor's name, for the coordinator's note."""
        question.answer_encrypted = cipher_of(session).encrypt(answer)
        question.answered_at, question.answered_by = now, by[:64]
        volunteer = await session.get(Volunteer, question.volunteer_id)
        if volunteer is None:
            return ""
        reply = screens.answer_to_bydelsmor(_volunteer_texts(volunteer), answer)
        await outbox.enqueue_reply(session, chat_id=volunteer.telegram_user_id, reply=reply, now=now)
        return volunteer.display_name

    @staticmethod
    async def _coordinator_rows(session: AsyncSession, telegram_user_id: int) -> list[Coordinator]:
        query = select(Coordinator).where(Coordinator.telegram_user_id == telegram_user_id).with_for_update()
        return list((await session.execute(query.order_by(Coordinator.id))).scalars())

    @staticmethod
    async def _visible(
        session: AsyncSession, mine: list[Coordinator], question_id: int | None
    ) -> CoordinatorQuestion | None:
        if question_id is None or not mine:
            return None
        question = await store.find_question(session, question_id=question_id)
        if question is None:
            return None
        if any(row.is_admin for row in mine) or question.group_id in {row.group_id for row in mine}:
            return question
        return None

    # --- the coordinator, in the dashboard ---------------------------------------------------------------

    async def open_questions(self, viewer: Viewer, now: datetime) -> list[OpenQuestion]:
        """The open questions she may answer; reading them is audited, as a Bydelsmor may name a woman."""
        async with self._db.transaction() as session:
            rows = await store.open_questions(
                session, group_ids=None if viewer.is_admin else viewer.group_ids
            )
            cipher = cipher_of(session)
            shown = []
            for row in rows:
                volunteer = await session.get(Volunteer, row.volunteer_id)
                group = await session.get(Group, row.group_id) if row.group_id is not None else None
                shown.append(
                    OpenQuestion(
                        id=row.id,
                        name=volunteer.display_name if volunteer else "",
                        group=group.name if group else None,
                        kind=row.kind,
                        text=cipher.decrypt(row.content_encrypted) if row.kind == "text" else None,
                        asked_at=row.asked_at,
                    )
                )
            if shown:
                await audit(
                    session,
                    viewer,
                    Action.VIEW_QUESTIONS,
                    now=now,
                    subject="questions:" + ",".join(str(question.id) for question in shown)[:50],
                )
            return shown

    async def voice_file(self, viewer: Viewer, question_id: int) -> str | None:
        """A voice question's Telegram file id, for the dashboard's player; None: not hers to hear."""
        async with self._db.transaction() as session:
            question = await store.find_question(session, question_id=question_id)
            if question is None or question.kind != "voice" or not viewer.sees(question.group_id):
                return None
            return cipher_of(session).decrypt(question.content_encrypted)

    async def answer_in_dashboard(
        self, viewer: Viewer, question_id: int, text: str, now: datetime
    ) -> str | None:
        """The dashboard's form: "answered", "already_answered", "empty_answer", or None (not hers: 404)."""
        async with self._db.transaction() as session:
            question = await store.find_question(session, question_id=question_id, for_update=True)
            if question is None or not viewer.sees(question.group_id):
                return None
            if question.answered_at is not None:
                return "already_answered"
            answer = text.strip()
            if not answer:
                return "empty_answer"
            await self._answer(session, question, answer[:ANSWER_LIMIT], by=viewer.name, now=now)
            await audit(
                session,
                viewer,
                Action.ANSWER_QUESTION,
                now=now,
                group_id=question.group_id,
                subject=f"question:{question.id}",
            )
            return "answered"
