"""Follow-up check-ins: scheduled as rows when a match starts, sent by the tick, answered with buttons.

The database is the truth (DESIGN.md): a check-in is a row with a due time and a status, claimed in batches
by one UPDATE (FOR UPDATE SKIP LOCKED on PostgreSQL), so a check-in due while the bot was down is sent when it
is back, and two processes never send one twice. Nothing is sent in quiet hours: what falls due then waits for
the morning. No answer after a day brings one gentle reminder; after a week it counts as unanswered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bot_api import send_message
from bot.checkins import screens as views
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
from bot.matching.screens import Helplines
from bot.matching.service import Matchmaker
from bot.outbox import enqueue_many, enqueue_reply
from bot.ui import Outcome, Reply
from bot.voice import library as voice_library
from bot.voice.library import voiced
from storage.db import Database
from storage.models import Checkin, HelpRequest, Match, Person, Volunteer

__all__ = ["Checkins"]

BATCH = 1000  # check-ins claimed per transaction
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


@dataclass(frozen=True, slots=True)
class DueCheckin:
    """A claimed check-in: only the columns that asking it needs. Thousands are claimed at once after an
    outage, and an ORM object each (with its identity map and change tracking) cost more than the rows."""

    id: int
    match_id: int | None
    person_id: int | None
    volunteer_id: int | None
    chat_id: int
    audience: str
    kind: str
    questions: list[str]
    due_at: datetime

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> DueCheckin:
        """From a row that starts with `_DUE_COLUMNS`."""
        return cls(*tuple(row)[: len(_DUE_COLUMNS)])


_DUE_COLUMNS = (
    Checkin.id,
    Checkin.match_id,
    Checkin.person_id,
    Checkin.volunteer_id,
    Checkin.chat_id,
    Checkin.audience,
    Checkin.kind,
    Checkin.questions,
    Checkin.due_at,
)


async def claim_due(session: AsyncSession, *, now: datetime, batch: int = BATCH) -> list[DueCheckin]:
    """Mark up to `batch` due check-ins as sent, for this transaction alone, in one statement.

    In no particular order: `run_due` claims every due row in one run anyway. Ordered by due time, every
    claim sorted all the rows still due (on PostgreSQL on disk, as SKIP LOCKED must lock before it limits),
    and 100,000 due at once took time growing with their square. Unordered, SQLite reads the status index
    in id order, so one match's check-ins (written together) fall in one batch, where only the latest is
    asked, and PostgreSQL stops at the first `batch` rows it can lock.

    A CTE, not `WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)`: PostgreSQL may run such a subquery more
    than once, and with SKIP LOCKED each run finds other rows, so one claim could take more than `batch`. A
    CTE that locks rows is run once (PostgreSQL never inlines one with FOR UPDATE); on SQLite, where one
    writer at a time holds the database, it reads the same.
    """
    due = (
        select(Checkin.id)
        .where(Checkin.status == CheckinStatus.SCHEDULED, Checkin.due_at <= now)
        .limit(batch)
        .with_for_update(skip_locked=True)
        .cte("due")
    )
    claimed = await session.execute(
        update(Checkin)
        .where(Checkin.id.in_(select(due.c.id)), Checkin.status == CheckinStatus.SCHEDULED)
        .values(status=CheckinStatus.SENT, sent_at=now)
        .returning(*_DUE_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    return sorted((DueCheckin(*row) for row in claimed), key=lambda checkin: checkin.id)


@dataclass(frozen=True, slots=True)
class _Recipients:
    """What asking a batch needs to know about its people, Bydelsmødre and matches, read in three queries."""

    people: dict[int, tuple[str | None, bool]]  # id -> (locale, blocked the bot)
    listeners: set[int]  # people who chose to hear the key screens (bot.voice)
    volunteers: dict[int, tuple[str | None, bool]]
    matches: dict[int, tuple[str, str]]  # id -> (status, label)

    @classmethod
    async def load(cls, session: AsyncSession, checkins: Sequence[DueCheckin]) -> _Recipients:
        people_ids = {c.person_id for c in checkins if c.person_id is not None}
        volunteer_ids = {c.volunteer_id for c in checkins if c.volunteer_id is not None}
        match_ids = {c.match_id for c in checkins if c.match_id is not None}
        people: dict[int, tuple[str | None, bool]] = {}
        listeners: set[int] = set()
        volunteers: dict[int, tuple[str | None, bool]] = {}
        matches: dict[int, tuple[str, str]] = {}
        if people_ids:
            found_people = (
                await session.execute(
                    select(Person.id, Person.locale, Person.blocked_at, Person.listen).where(
                        Person.id.in_(people_ids)
                    )
                )
            ).all()
            people = {id_: (locale, blocked is not None) for id_, locale, blocked, _ in found_people}
            listeners = {id_ for id_, locale, _, listen in found_people if listen and locale}
            if listeners:  # the approved recordings in force, read once for the batch
                await voice_library.refresh(session)
        if volunteer_ids:
            rows = await session.execute(
                select(Volunteer.id, Volunteer.locale, Volunteer.blocked_at).where(
                    Volunteer.id.in_(volunteer_ids)
                )
            )
            volunteers = {id_: (locale, blocked is not None) for id_, locale, blocked in rows}
        if match_ids:
            found = await session.execute(
                select(Match.id, Match.status, Match.label).where(Match.id.in_(match_ids))
            )
            matches = {id_: (status, label) for id_, status, label in found}
        return cls(people=people, listeners=listeners, volunteers=volunteers, matches=matches)

    def still_relevant(self, checkin: DueCheckin) -> bool:
        """Not to someone who blocked the bot; a follow-up only while the talks go on."""
        person = self.people.get(checkin.person_id) if checkin.person_id is not None else None
        volunteer = self.volunteers.get(checkin.volunteer_id) if checkin.volunteer_id is not None else None
        if (person is not None and person[1]) or (volunteer is not None and volunteer[1]):
            return False
        if checkin.kind == "followup" and checkin.match_id is not None:
            match = self.matches.get(checkin.match_id)
            return match is not None and match[0] == "active"
        return True

    def locale(self, checkin: DueCheckin) -> str | None:
        if checkin.person_id is not None:
            person = self.people.get(checkin.person_id)
            return person[0] if person else None
        volunteer = self.volunteers.get(checkin.volunteer_id) if checkin.volunteer_id is not None else None
        return volunteer[0] if volunteer else None

    def label(self, checkin: DueCheckin) -> str:
        match = self.matches.get(checkin.match_id) if checkin.match_id is not None else None
        return match[1] if match else ""


def _worth_asking(batch: Sequence[DueCheckin]) -> tuple[list[DueCheckin], list[int]]:
    """After an outage several of one woman's check-ins may be due: ask the latest, skip the others.

    The check-ins to ask, and the ids of those superseded (never sent: cancelled, and the report says so).
    """
    latest: dict[tuple[int | None, str, str], DueCheckin] = {}
    superseded: list[int] = []
    for checkin in batch:
        if checkin.kind != "followup" or checkin.match_id is None:
            latest[(checkin.id, checkin.audience, checkin.kind)] = checkin
            continue
        key = (checkin.match_id, checkin.audience, checkin.kind)
        earlier = latest.get(key)
        if earlier is not None:
            newer, older = (checkin, earlier) if checkin.due_at >= earlier.due_at else (earlier, checkin)
            superseded.append(older.id)
            latest[key] = newer
        else:
            latest[key] = checkin
    return sorted(latest.values(), key=lambda c: c.id), superseded


def _question(
    t: Texts,
    *,
    checkin_id: int,
    audience: str,
    kind: str,
    question: str,
    label: str,
    reminder: bool = False,
) -> Reply:
    if audience == "woman":
        if question == "better":
            if kind == "final":
                return views.final_question(t, checkin_id)
            return views.woman_better(t, checkin_id, reminder=reminder)
        return views.woman_measure(t, checkin_id, question)
    if question == "scope":
        return views.bydelsmor_scope(t, checkin_id, label)
    return views.bydelsmor_quarter(t, checkin_id, question)


def _ask(checkin: DueCheckin, recipients: _Recipients, *, reminder: bool) -> list[tuple[int, dict[str, Any]]]:
    """The question to send (chat and sendMessage payload), after its recording for a woman who listens
    (a sendVoice payload); the caller writes a batch of them at once."""
    locale = recipients.locale(checkin)
    t = texts(get_locale(locale).code)
    reply = _question(
        t,
        checkin_id=checkin.id,
        audience=checkin.audience,
        kind=checkin.kind,
        question=checkin.questions[0],
        label=recipients.label(checkin),
        reminder=reminder,
    )
    voice = (
        voice_library.in_force(locale, reply.screen)
        if checkin.person_id in recipients.listeners and locale and reply.screen and not reply.edit
        else None
    )
    question = (checkin.chat_id, send_message(checkin.chat_id, reply))
    return (
        [(checkin.chat_id, {"chat_id": checkin.chat_id, "voice": voice}), question] if voice else [question]
    )


async def _cancel_unsent(session: AsyncSession, ids: Sequence[int]) -> None:
    """Claimed but not asked (superseded, or no longer relevant): never sent, and the report says so."""
    if ids:
        await session.execute(
            update(Checkin)
            .where(Checkin.id.in_(ids))
            .values(status=CheckinStatus.CANCELLED, sent_at=None)
            .execution_options(synchronize_session=False)
        )


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

    @property
    def quiet(self) -> QuietHours | None:
        """The quiet hours, shared with the course (bot.course), which keeps to them too."""
        return self._quiet

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
                batch = await claim_due(session, now=now)
                recipients = await _Recipients.load(session, batch)
                asking, not_asked = _worth_asking(batch)
                questions: list[tuple[int, dict[str, Any]]] = []
                for checkin in asking:
                    if recipients.still_relevant(checkin):
                        questions.extend(_ask(checkin, recipients, reminder=False))
                        sent += 1
                    else:
                        not_asked.append(checkin.id)
                await _cancel_unsent(session, not_asked)
                await enqueue_many(session, messages=questions, now=now)  # one INSERT for the batch
            if len(batch) < BATCH:
                break
        await self._remind_and_give_up(now)
        async with self._db.transaction() as session:
            await self._quarterly(session, now)
        return sent

    async def _locale(self, session: AsyncSession, checkin: Checkin) -> str | None:
        if checkin.person_id is not None:
            person = await session.get(Person, checkin.person_id)
            return person.locale if person else None
        volunteer = await session.get(Volunteer, checkin.volunteer_id) if checkin.volunteer_id else None
        return volunteer.locale if volunteer else None

    async def _question(self, session: AsyncSession, checkin: Checkin, t: Texts, question: str) -> Reply:
        """The next question of a check-in she is answering."""
        label = ""
        if question == "scope" and checkin.match_id is not None:
            match = await session.get(Match, checkin.match_id)
            label = match.label if match else ""
        return _question(
            t,
            checkin_id=checkin.id,
            audience=checkin.audience,
            kind=checkin.kind,
            question=question,
            label=label,
        )

    async def _remind_and_give_up(self, now: datetime) -> None:
        """A day without an answer brings one gentle reminder; a week counts as unanswered."""
        async with self._db.transaction() as session:
            await session.execute(
                update(Checkin)
                .where(
                    Checkin.status.in_((CheckinStatus.SENT, CheckinStatus.REMINDED)),
                    Checkin.sent_at <= now - GIVE_UP_AFTER,
                )
                .values(status=CheckinStatus.UNANSWERED)
                .execution_options(synchronize_session=False)
            )
        after = 0  # in batches by id, like the claim: after an outage a day's check-ins all wait at once
        while True:
            async with self._db.transaction() as session:
                waiting = (
                    await session.execute(
                        select(*_DUE_COLUMNS, Checkin.answers)
                        .where(
                            Checkin.status == CheckinStatus.SENT,
                            Checkin.sent_at <= now - REMIND_AFTER,
                            Checkin.id > after,
                        )
                        .order_by(Checkin.id)
                        .limit(BATCH)
                        .with_for_update(skip_locked=True)
                    )
                ).all()
                if waiting:
                    after = waiting[-1].id
                # One who answered some of the questions is not reminded; the rest are, once.
                due = [DueCheckin.from_row(row) for row in waiting if not row.answers]
                if due:
                    await session.execute(
                        update(Checkin)
                        .where(Checkin.id.in_([c.id for c in due]))
                        .values(status=CheckinStatus.REMINDED)
                        .execution_options(synchronize_session=False)
                    )
                    recipients = await _Recipients.load(session, due)
                    reminders = [m for checkin in due for m in _ask(checkin, recipients, reminder=True)]
                    await enqueue_many(session, messages=reminders, now=now)
            if len(waiting) < BATCH:
                return

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
