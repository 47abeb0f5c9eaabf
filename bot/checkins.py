"""Follow-up check-ins: scheduled as rows when a match starts, sent by the tick, answered with buttons.

The database is the truth (DESIGN.md): a check-in is a row with a due time and a status, claimed in batches
by one UPDATE (FOR UPDATE SKIP LOCKED on PostgreSQL), so a check-in due while the bot was down is sent when it
is back, and two processes never send one twice. Nothing is sent in quiet hours: what falls due then waits for
the morning. No answer after a day brings one gentle reminder; after a week it counts as unanswered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot import checkin_screens as views
from bot.bot_api import send_message
from bot.danger import DangerDesk
from bot.domain.checkins import (
    GIVE_UP_AFTER,
    REMIND_AFTER,
    CheckinStatus,
    QuietHours,
    evaluation_questions,
    not_in_quiet_hours,
    quarter_start,
    schedule,
)
from bot.domain.ids import record_id
from bot.i18n import Texts, get_locale, texts
from bot.match_screens import Helplines
from bot.matching import Matchmaker
from bot.outbox import enqueue_many, enqueue_reply
from bot.ui import Outcome, Reply
from bot.voice.library import voiced
from storage.db import Database
from storage.models import Checkin, HelpRequest, Match, Person, Volunteer

__all__ = ["Checkins"]

BATCH = 500  # check-ins claimed per transaction
QUARTER_QUESTIONS = ("network", "society", "courage")
ANSWERS = {
    "better": ("better", "same", "worse"),
    "courage": ("yes", "little", "no"),
    "network": ("yes", "little", "no"),
    "society": ("yes", "little", "no"),
    "scope": ("yes", "too_much", "professional"),
    "again": ("yes",),
    "done": ("yes",),
    "contact": ("bydelsmor", "coordinator"),  # asked only after "Worse"
}
# Her words count as a comment only this soon after "would you like to tell us more?": later, a message is
# for her Bydelsmor (and is checked for words of danger there).
COMMENT_WINDOW = timedelta(minutes=15)


def _cancel_unsent(checkin: Checkin) -> None:
    """Claimed but not asked (superseded, or no longer relevant): never sent, and the report says so."""
    checkin.status = CheckinStatus.CANCELLED
    checkin.sent_at = None


class Checkins:
    def __init__(
        self,
        *,
        db: Database,
        matchmaker: Matchmaker,
        woman_after: Sequence[timedelta],
        bydelsmor_after: Sequence[timedelta],
        quiet: QuietHours | None,
        timezone: ZoneInfo,
        helplines: Helplines,
        danger: DangerDesk,
    ) -> None:
        self._db = db
        self._matchmaker = matchmaker
        self._danger = danger
        self._woman_after = tuple(woman_after)
        self._bydelsmor_after = tuple(bydelsmor_after)
        self._quiet = quiet
        self._timezone = timezone
        self._helplines = helplines

    # --- scheduling --------------------------------------------------------------------------------------

    async def match_started(
        self, session: AsyncSession, match: Match, woman: Person, volunteer: Volunteer
    ) -> None:
        for index, due in enumerate(schedule(match.started_at, self._woman_after, zone=self._timezone)):
            session.add(
                Checkin(
                    match_id=match.id,
                    person_id=woman.id,
                    chat_id=woman.telegram_user_id,
                    audience="woman",
                    kind="followup",
                    questions=list(evaluation_questions(index, self._woman_after)),
                    due_at=due,
                    status=CheckinStatus.SCHEDULED,
                    answers={},
                    created_at=match.started_at,
                )
            )
        for due in schedule(match.started_at, self._bydelsmor_after, zone=self._timezone):
            session.add(self._scope(match, volunteer, due, kind="scope"))

    def _scope(self, match: Match, volunteer: Volunteer, due: datetime, *, kind: str) -> Checkin:
        return Checkin(
            match_id=match.id,
            volunteer_id=volunteer.id,
            chat_id=volunteer.telegram_user_id,
            audience="bydelsmor",
            kind=kind,
            questions=["scope"],
            due_at=due,
            status=CheckinStatus.SCHEDULED,
            answers={},
            created_at=match.started_at,
        )

    async def match_ended(
        self,
        session: AsyncSession,
        match: Match,
        now: datetime,
        *,
        woman_erased: bool = False,
        ask_woman: bool = True,
    ) -> None:
        """Cancel what was scheduled; ask both once more how it went (not a woman who erased everything,
        nor one a coordinator is finding another Bydelsmor for: her talks go on with someone else)."""
        await session.execute(
            update(Checkin)
            .where(
                Checkin.match_id == match.id,
                Checkin.status.in_((CheckinStatus.SCHEDULED, CheckinStatus.SENT, CheckinStatus.REMINDED)),
            )
            .values(status=CheckinStatus.CANCELLED)
        )
        volunteer = await session.get(Volunteer, match.volunteer_id)
        if volunteer is not None and volunteer.blocked_at is None:
            session.add(self._scope(match, volunteer, now, kind="scope"))
        woman = await session.get(Person, match.person_id)
        if woman is not None and ask_woman and not woman_erased and woman.blocked_at is None:
            session.add(
                Checkin(
                    match_id=match.id,
                    person_id=woman.id,
                    chat_id=woman.telegram_user_id,
                    audience="woman",
                    kind="final",
                    questions=["better"],
                    due_at=now,
                    status=CheckinStatus.SCHEDULED,
                    answers={},
                    created_at=now,
                )
            )

    # --- the tick ----------------------------------------------------------------------------------------

    async def run_due(self, now: datetime) -> int:
        """Send what is due, remind, give up, and ask the Bydelsmødre once a quarter. The number sent."""
        if not_in_quiet_hours(now, self._quiet) != now:
            return 0  # quiet hours: everything waits for the morning
        sent = 0
        while True:
            async with self._db.transaction() as session:
                batch = await self._claim(session, now)
                # Held while the batch is handled: the session's identity map keeps objects only weakly.
                loaded = await self._preload(session, batch)
                questions: list[tuple[int, dict[str, Any]]] = []
                with session.no_autoflush:  # thousands of changes; one flush at commit
                    for checkin in self._worth_asking(batch):
                        if await self._still_relevant(session, checkin):
                            questions.extend(await self._ask(session, checkin, reminder=False))
                            sent += 1
                        else:
                            _cancel_unsent(checkin)
                await enqueue_many(session, messages=questions, now=now)  # one INSERT for the batch
                del loaded
            if len(batch) < BATCH:
                break
        async with self._db.transaction() as session:
            await self._remind_and_give_up(session, now)
            await self._quarterly(session, now)
        return sent

    async def _claim(self, session: AsyncSession, now: datetime) -> list[Checkin]:
        due = (
            select(Checkin.id)
            .where(Checkin.status == CheckinStatus.SCHEDULED, Checkin.due_at <= now)
            .order_by(Checkin.due_at, Checkin.id)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
        claimed = (
            await session.execute(
                update(Checkin)
                .where(Checkin.id.in_(due), Checkin.status == CheckinStatus.SCHEDULED)
                .values(status=CheckinStatus.SENT, sent_at=now)
                .returning(Checkin.id)
            )
        ).scalars()
        ids = list(claimed)
        if not ids:
            return []
        rows = (
            await session.execute(select(Checkin).where(Checkin.id.in_(ids)).order_by(Checkin.id))
        ).scalars()
        return list(rows)

    @staticmethod
    def _worth_asking(batch: list[Checkin]) -> list[Checkin]:
        """After an outage several of one woman's check-ins may be due: ask the latest, skip the others."""
        latest: dict[tuple[int | None, str, str], Checkin] = {}
        for checkin in batch:
            key = (checkin.match_id, checkin.audience, checkin.kind)
            if checkin.kind != "followup" or checkin.match_id is None:
                latest[(checkin.id, checkin.audience, checkin.kind)] = checkin
                continue
            earlier = latest.get(key)
            if earlier is not None:
                newer, older = (checkin, earlier) if checkin.due_at >= earlier.due_at else (earlier, checkin)
                _cancel_unsent(older)
                latest[key] = newer
            else:
                latest[key] = checkin
        return sorted(latest.values(), key=lambda c: c.id)

    async def _still_relevant(self, session: AsyncSession, checkin: Checkin) -> bool:
        """Not to someone who blocked the bot; a follow-up only while the talks go on."""
        person = await session.get(Person, checkin.person_id) if checkin.person_id else None
        volunteer = await session.get(Volunteer, checkin.volunteer_id) if checkin.volunteer_id else None
        if (person is not None and person.blocked_at) or (volunteer is not None and volunteer.blocked_at):
            return False
        if checkin.kind == "followup" and checkin.match_id is not None:
            match = await session.get(Match, checkin.match_id)
            return match is not None and match.status == "active"
        return True

    @staticmethod
    async def _preload(session: AsyncSession, batch: list[Checkin]) -> list[object]:
        """Load the batch's people, Bydelsmødre and matches in three queries, not one per check-in."""
        loaded: list[object] = []
        for model, ids in (
            (Person, {c.person_id for c in batch if c.person_id}),
            (Volunteer, {c.volunteer_id for c in batch if c.volunteer_id}),
            (Match, {c.match_id for c in batch if c.match_id}),
        ):
            if ids:
                loaded += (await session.execute(select(model).where(model.id.in_(ids)))).scalars()
        return loaded

    async def _locale(self, session: AsyncSession, checkin: Checkin) -> str | None:
        if checkin.person_id is not None:
            person = await session.get(Person, checkin.person_id)
            return person.locale if person else None
        volunteer = await session.get(Volunteer, checkin.volunteer_id) if checkin.volunteer_id else None
        return volunteer.locale if volunteer else None

    async def _ask(
        self, session: AsyncSession, checkin: Checkin, *, reminder: bool
    ) -> list[tuple[int, dict[str, Any]]]:
        """The question to send (chat and sendMessage payload), after its recording for a woman who listens
        (a sendVoice payload); the caller writes a batch of them at once."""
        t = texts(get_locale(await self._locale(session, checkin)).code)
        reply = await self._question(session, checkin, t, checkin.questions[0], reminder=reminder)
        if checkin.person_id is not None:  # the batch's people are loaded already: no query here
            reply = await voiced(session, reply, await session.get(Person, checkin.person_id))
        voice = [(checkin.chat_id, {"chat_id": checkin.chat_id, "voice": reply.voice})] if reply.voice else []
        return [*voice, (checkin.chat_id, send_message(checkin.chat_id, reply))]

    async def _question(
        self, session: AsyncSession, checkin: Checkin, t: Texts, question: str, *, reminder: bool = False
    ) -> Reply:
        if checkin.audience == "woman":
            if question == "better":
                if checkin.kind == "final":
                    return views.final_question(t, checkin.id)
                return views.woman_better(t, checkin.id, reminder=reminder)
            return views.woman_measure(t, checkin.id, question)
        if question == "scope":
            match = await session.get(Match, checkin.match_id) if checkin.match_id else None
            return views.bydelsmor_scope(t, checkin.id, match.label if match else "")
        return views.bydelsmor_quarter(t, checkin.id, question)

    async def _remind_and_give_up(self, session: AsyncSession, now: datetime) -> None:
        waiting = (
            await session.execute(
                select(Checkin)
                .where(
                    ((Checkin.status == CheckinStatus.SENT) & (Checkin.sent_at <= now - REMIND_AFTER))
                    | ((Checkin.status == CheckinStatus.REMINDED) & (Checkin.sent_at <= now - GIVE_UP_AFTER))
                )
                .with_for_update(skip_locked=True)
            )
        ).scalars()
        reminders: list[tuple[int, dict[str, Any]]] = []
        for checkin in waiting:
            assert checkin.sent_at is not None
            if now - checkin.sent_at >= GIVE_UP_AFTER:
                checkin.status = CheckinStatus.UNANSWERED
            elif checkin.status == CheckinStatus.SENT and not checkin.answers:
                checkin.status = CheckinStatus.REMINDED
                reminders.extend(await self._ask(session, checkin, reminder=True))
        await enqueue_many(session, messages=reminders, now=now)

    async def _quarterly(self, session: AsyncSession, now: datetime) -> None:
        """Once a quarter, each active Bydelsmor is asked what being one has given her."""
        start = quarter_start(now, self._timezone).astimezone(self._timezone)
        period = f"{start.year}Q{(start.month - 1) // 3 + 1}"
        asked = set(
            (
                await session.execute(
                    select(Checkin.volunteer_id).where(Checkin.kind == "quarterly", Checkin.period == period)
                )
            ).scalars()
        )
        volunteers = (await session.execute(select(Volunteer).where(Volunteer.active))).scalars()
        for volunteer in volunteers:
            if volunteer.id in asked or volunteer.blocked_at is not None or volunteer.setup_step is not None:
                continue
            if now - volunteer.created_at < timedelta(days=30):
                continue  # new Bydelsmødre are asked from their second month on
            # ON CONFLICT DO NOTHING: another process may add the same quarter's row at the same moment.
            insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
            await session.execute(
                insert(Checkin)
                .values(
                    volunteer_id=volunteer.id,
                    chat_id=volunteer.telegram_user_id,
                    audience="bydelsmor",
                    kind="quarterly",
                    questions=list(QUARTER_QUESTIONS),
                    due_at=now,
                    status=CheckinStatus.SCHEDULED,
                    answers={},
                    awaiting_comment=False,
                    period=period,
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["volunteer_id", "kind", "period"])
            )

    # --- answers ---------------------------------------------------------------------------------------

    async def answer(self, *, telegram_user_id: int, data: str, now: datetime) -> Outcome:
        parts = data.split(":")
        checkin_id = record_id(parts[1]) if len(parts) == 4 else None
        if checkin_id is None:  # an id out of range is answered as an unknown one, without a query
            return Outcome(notice=views.checkin_closed(texts(get_locale(None).code)))
        question, value = parts[2], parts[3]
        async with self._db.transaction() as session:
            checkin = await session.get(Checkin, checkin_id, with_for_update=True)
            locale = await self._locale(session, checkin) if checkin else None
            t = texts(get_locale(locale).code)
            open_states = (CheckinStatus.SENT, CheckinStatus.REMINDED)
            after_questions = checkin is not None and (
                (question in ("again", "done") and checkin.awaiting_comment)
                or (question == "contact" and checkin.answers.get("better") == "worse")
            )
            if checkin is None or checkin.chat_id != telegram_user_id:
                return Outcome(notice=views.checkin_closed(t))
            if checkin.status not in open_states and not after_questions:
                return Outcome(notice=views.checkin_closed(t))
            if value not in ANSWERS.get(question, ()):
                return Outcome(notice=views.checkin_closed(t))
            if question in checkin.answers:
                return Outcome(notice="✔")  # a second tap (or the reminder's button): answered already
            outcome = Outcome()
            if question in ("again", "done"):
                if question == "again":
                    await self._talk_again(session, checkin, now)
                return self._close(checkin, now, outcome.say(views.thanks(t)))
            checkin.answers = {**checkin.answers, question: value}
            if question == "contact":
                # The coordinator was alerted at "Worse"; her Bydelsmor hears it only if she wants.
                if value == "bydelsmor":
                    await self._talk_again(session, checkin, now)
                    return outcome.say(views.thanks(t))
                return outcome.say(views.coordinator_told(t))
            if question == "better" and value == "worse":
                # Only who should contact her, not the evaluation's questions: the check-in counts as
                # answered ("Worse" is its answer), and the questions left stay unasked.
                await self._alert(session, checkin, "worse", now)
                reachable = checkin.audience == "woman" and await self._match_active(session, checkin)
                help_now = views.worse_help(t, checkin.id, self._helplines, bydelsmor=reachable)
                return self._close(checkin, now, outcome.say(help_now))
            if question == "scope" and value in ("too_much", "professional"):
                outcome.say(views.coordinator_told(t))
                await self._alert(session, checkin, value, now)
            remaining = [q for q in checkin.questions if q not in checkin.answers]
            if remaining:
                following = await self._question(session, checkin, t, remaining[0])
                if checkin.person_id is not None:  # loaded for her locale above: no query here
                    following = await voiced(session, following, await session.get(Person, checkin.person_id))
                return outcome.say(following)
            # Every question is answered: the check-in counts as answered, with or without more words.
            checkin.status, checkin.answered_at = CheckinStatus.ANSWERED, now
            if checkin.audience == "woman" and checkin.kind == "followup":
                checkin.awaiting_comment, checkin.comment_asked_at = True, now
                return outcome.say(views.woman_more(t, checkin.id))
            return self._close(checkin, now, outcome.say(views.thanks(t)))

    @staticmethod
    def _close(checkin: Checkin, now: datetime, outcome: Outcome) -> Outcome:
        checkin.status, checkin.answered_at, checkin.awaiting_comment = CheckinStatus.ANSWERED, now, False
        return outcome

    @staticmethod
    async def _match_active(session: AsyncSession, checkin: Checkin) -> bool:
        match = await session.get(Match, checkin.match_id) if checkin.match_id else None
        return match is not None and match.status == "active"

    async def _talk_again(self, session: AsyncSession, checkin: Checkin, now: datetime) -> None:
        match = await session.get(Match, checkin.match_id) if checkin.match_id else None
        volunteer = await session.get(Volunteer, match.volunteer_id) if match else None
        if match is None or volunteer is None or volunteer.blocked_at is not None or match.status != "active":
            return
        t = texts(get_locale(volunteer.locale).code)
        await enqueue_reply(
            session, chat_id=volunteer.telegram_user_id, reply=views.wants_to_talk(t, match.label), now=now
        )

    async def _alert(self, session: AsyncSession, checkin: Checkin, kind: str, now: datetime) -> None:
        match = await session.get(Match, checkin.match_id) if checkin.match_id else None
        if match is not None:
            await self._matchmaker.alert_about_match(session, match, kind, now)
            return
        await self._matchmaker.alert(
            session,
            group_id=None,
            kind=kind,
            reference=f"#{checkin.id}",
            request_id=None,
            match_id=None,
            now=now,
        )

    async def take_comment(
        self, *, telegram_user_id: int, text: str | None, voice_file_id: str | None, now: datetime
    ) -> Outcome | None:
        """Her words after the check-in questions ("tell us more"); None when no check-in waits for them."""
        if not (text and text.strip()) and not voice_file_id:
            return None
        if text and text.startswith("/"):
            return None
        async with self._db.transaction() as session:
            checkin = (
                await session.execute(
                    select(Checkin)
                    .where(
                        Checkin.chat_id == telegram_user_id,
                        Checkin.awaiting_comment,
                        Checkin.comment_asked_at >= now - COMMENT_WINDOW,
                    )
                    .order_by(Checkin.id.desc())
                    .limit(1)
                    .with_for_update()
                )
            ).scalar_one_or_none()
            if checkin is None:
                return None
            words = voice_file_id if voice_file_id else (text or "")
            checkin.comment_encrypted = self._db.cipher.encrypt(words)
            checkin.comment_kind = "voice" if voice_file_id else "text"
            locale = await self._locale(session, checkin)
            t = texts(get_locale(locale).code)
            outcome = Outcome()
            match = await session.get(Match, checkin.match_id) if checkin.match_id else None
            request = await session.get(HelpRequest, match.request_id) if match else None
            danger = self._danger.judge(
                text, languages=(locale, request.spoken_language if request else None)
            )
            if danger is not None:
                # A comment goes to the organisation, not to her Bydelsmor: the answer does not say it does.
                answer = await self._danger.answer(
                    session, danger, t=t, now=now, match=match, reference=f"#{checkin.id}"
                )
                if answer is not None:
                    outcome.say(answer)
            return self._close(checkin, now, outcome.say(views.comment_kept(t)))
