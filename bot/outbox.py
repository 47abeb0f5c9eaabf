"""Messages to third parties: written in the same transaction as the change they belong to, sent afterwards.

A woman's message to her Bydelsmor, an offer, an alert: if the bot stops between the commit and the send,
the row is still there and is sent when it is back. One sender claims the oldest rows whose chats are free,
a few at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so two processes never send the same row), and
sends them at once: the shared pacer (bot.pacing) keeps to Telegram's limits (1 message a second per chat,
below 30 a second overall) before a claim is taken, so a claim is never held while waiting and one chat's
queue never holds back the others; while chats are paced, it gathers freed chats for a moment (GATHER) so
that one claim takes several rows. It waits out a 429's retry_after, retries network errors with backoff,
and on 403 (she blocked the bot) stops sending to that chat and lets the relay tell the other side.
A row is claimed (status "sending") before it is sent and marked afterwards. A call is given SEND_TIME_LIMIT
seconds; one that gets no answer may still have been delivered ("maybe sent", logged) and is sent again
within seconds. A sender that dies in between leaves the row "sending"; any sender takes it back STALE_CLAIM
after the claim (no live sender holds a claim that long), and a graceful stop finishes or releases its
claims. A crash there may send a message twice, seconds apart, never lose it: docs/architecture.md says
exactly when. The sender is woken when a transaction that wrote a row commits (`OUTBOX_WRITTEN`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol, cast

from sqlalchemy import (
    Integer,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bot_api import send_message
from bot.metrics import Metrics
from bot.pacing import OVERALL_PER_SECOND, PER_CHAT_GAP, SendPacer
from bot.ui import Reply
from storage.crypto import InvalidToken
from storage.db import Database, cipher_of, scrub_after_commit, signal_after_commit
from storage.inbox import DONE, PARKED
from storage.models import DashboardSession, InboxUpdate, LoginLink, MessageLog, OutboxMessage

__all__ = [
    "BULK",
    "CONVERSATION",
    "OUTBOX_WRITTEN",
    "BlockedError",
    "Messenger",
    "MessengerError",
    "OutboxSender",
    "OutboxStatus",
    "RejectedError",
    "RetryLaterError",
    "UnreachableError",
    "enqueue",
    "enqueue_many",
    "enqueue_reply",
    "forget_person",
    "lift_bulk_behind_conversations",
    "prune",
    "recover_stale",
    "seal_payload",
]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
OVERALL_GAP = 1 / OVERALL_PER_SECOND  # an average gap between any two messages (the pacer allows bursts)
OUTBOX_WRITTEN = "outbox_written"  # storage.db signal: a committed transaction wrote a row to send
CLAIM_BATCH = 10  # rows claimed at once: small, so another process's sender gets its share
_OUTBOX_TABLE = cast(Table, OutboxMessage.__table__)  # for Core inserts of many rows (enqueue_many)


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent (maybe not before `not_before`)
    SENDING = "sending"  # claimed by one sender; back to pending if it stays so (the sender died)
    SENT = "sent"  # Telegram accepted it
    BLOCKED = "blocked"  # the person blocked the bot; not sent
    FAILED = "failed"  # Telegram refused it, or it kept failing; see last_error


_WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)  # rows not yet sent, nor given up

# Which rows go first when more are due than Telegram's pace allows (a claim orders by this, then by the
# row's turn, then by age).
CONVERSATION = 0  # a message written for someone now: a relayed copy, an offer, an alert, an answer
BULK = 1  # many at once on a schedule (check-ins, lessons, announcements): they take what conversations leave


class MessengerError(Exception):
    pass


class BlockedError(MessengerError):
    """403: the person blocked the bot or deleted her account."""


@dataclass
class RetryLaterError(MessengerError):
    """429: too many messages; Telegram says when to try again."""

    seconds: float


class RejectedError(MessengerError):
    """400: Telegram will never accept this call as it is."""


class UnreachableError(MessengerError):
    """The network, or Telegram, is down for now."""


class Messenger(Protocol):
    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        """Make one Bot API call; raise a MessengerError subclass when it fails."""
        ...


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int,
    method: str,
    payload: dict[str, Any],
    now: datetime,
    log_id: int | None = None,
    from_chat_id: int | None = None,
    flush: bool = True,
    continues: bool = False,
) -> OutboxMessage:
    """Write a message to send; `flush=False` when many are written at once and no id is needed.

    `continues`: this row belongs with the one written just before it to the same chat (a text below its
    voice note, a screen below its lead, a copy below its "From #12" label), so it takes the same turn and
    goes right after it, never with other chats' messages in between.

    The payload is stored encrypted. `from_chat_id` names whose words it carries when the payload does not
    say so itself (an edited relayed text); a copyMessage's `from_chat_id` is taken from the payload.
    """
    author = from_chat_id if from_chat_id is not None else payload.get("from_chat_id")
    row = OutboxMessage(
        chat_id=chat_id,
        from_chat_id=int(author) if author is not None else None,
        method=method,
        payload_encrypted=seal_payload(session, payload),
        status=OutboxStatus.PENDING,
        attempts=0,
        not_before=now,
        created_at=now,
        log_id=log_id,
        turn=_turn_after_waiting(chat_id, now, continues=continues),
    )
    session.add(row)
    signal_after_commit(session, OUTBOX_WRITTEN)  # wakes the sender in this process once it commits
    if flush:
        await session.flush()
    return row


async def enqueue_many(
    session: AsyncSession,
    *,
    messages: Sequence[tuple[int, dict[str, Any]]],
    now: datetime,
    method: str = "sendMessage",
) -> None:
    """Write many messages (chat, payload) at once, in this order: one INSERT, no ids read back.

    For batches (100,000 check-ins due after an outage): the ORM's unit of work, and even its bulk insert,
    cost more than the rows; a Core insert into the table is one executemany.
    A payload with a "voice" and no "text" is a sendVoice (a key screen's recording, bot.voice); one with a
    "photo" and no "text" is a sendPhoto (an announcement's photo, bot.group).
    """
    if not messages:
        return
    # Each chat's turns within the batch (rows already waiting are not looked at: that would cost a
    # statement a row, and the batch's rows go after them anyway, in the chat's order).
    seconds_on: dict[int, int] = {}
    await session.execute(
        insert(_OUTBOX_TABLE),
        [
            {
                "chat_id": chat_id,
                "from_chat_id": None,
                "method": _method_of(payload, method),
                "payload_encrypted": seal_payload(session, payload),
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "not_before": now,
                "created_at": now,
                # A woman's message to her Bydelsmor must not wait behind 300 check-ins or a national
                # announcement: what is written many at once goes after what is written for one.
                "priority": BULK,
                "turn": _next_turn_in_batch(seconds_on, chat_id, now, opens_pair="text" not in payload),
            }
            for chat_id, payload in messages
        ],
    )
    signal_after_commit(session, OUTBOX_WRITTEN)


# A row's turn is the second (counted from TURN_EPOCH) at which it would go at its chat's pace of one message
# a second: now for a chat with nothing waiting, else one second after the chat's last waiting row (the same
# second for a row that continues that one). The claim takes turns before age: everyone's next message
# before anyone's second, and a row written later never goes before a row whose turn came earlier, so no
# row waits longer than its own chat's queue makes it.
TURN_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def _second(now: datetime) -> int:
    return int((now - TURN_EPOCH).total_seconds())


def _turn_after_waiting(chat_id: int, now: datetime, *, continues: bool) -> Any:
    """The new row's turn, worked out by its INSERT (no statement more): the larger of now and the chat's
    last waiting turn plus one (plus none for a row that continues it). Portable: no GREATEST in SQLite."""
    outbox = _OUTBOX_TABLE.c
    after_last = select((func.max(outbox.turn) + (0 if continues else 1)).label("turn")).where(
        outbox.chat_id == chat_id, outbox.status.in_(_WAITING)
    )
    candidates = union_all(select(literal(_second(now)).label("turn")), after_last).subquery()
    return select(func.max(candidates.c.turn)).scalar_subquery()


def _next_turn_in_batch(seconds_on: dict[int, int], chat_id: int, now: datetime, *, opens_pair: bool) -> int:
    """A batch row's turn: a chat's rows one second apart, except that a voice note or photo (`opens_pair`)
    shares its second with the text written below it."""
    later = seconds_on.get(chat_id, 0)
    seconds_on[chat_id] = later if opens_pair else later + 1
    return _second(now) + later


def _method_of(payload: dict[str, Any], method: str) -> str:
    if "text" in payload:
        return method
    if "voice" in payload:
        return "sendVoice"
    if "photo" in payload:
        return "sendPhoto"
    return method


async def enqueue_reply(
    session: AsyncSession, *, chat_id: int, reply: Reply, now: datetime, continues: bool = False
) -> OutboxMessage:
    """A screen to someone who is not writing now: its voice note, its lead and its text, kept together.

    `continues`: as in `enqueue` (a coordinator's screen below the woman's own voice note).
    """
    if reply.voice:  # a key screen's recording (bot.voice), right above it
        await enqueue(
            session,
            chat_id=chat_id,
            method="sendVoice",
            payload={"chat_id": chat_id, "voice": reply.voice},
            now=now,
            continues=continues,
        )
    if reply.lead:  # the first part of a long screen, sent before it (the outbox keeps a chat's order)
        await enqueue(
            session,
            chat_id=chat_id,
            method="sendMessage",
            payload={"chat_id": chat_id, "text": reply.lead},
            now=now,
            continues=continues or bool(reply.voice),
        )
    return await enqueue(
        session,
        chat_id=chat_id,
        method="sendMessage",
        payload=send_message(chat_id, reply),
        now=now,
        continues=continues or bool(reply.voice or reply.lead),
    )


def seal_payload(session: AsyncSession, payload: dict[str, Any]) -> bytes:
    return cipher_of(session).encrypt(json.dumps(payload, ensure_ascii=False))


BlockedHandler = Callable[[AsyncSession, int, datetime], Awaitable[None]]
SEND_TIME_LIMIT = 15.0  # seconds one Bot API call may take (PTB's own timeouts are 5 s per phase)
STALE_CLAIM = timedelta(seconds=20)  # longer than any live claim: a claim this old belongs to a dead sender
RECOVER_EVERY = 5.0  # seconds between two looks for dead senders' claims
KEEP_SENT = timedelta(days=2)  # sent rows (encrypted) are kept only to see what went out lately
# Seconds the sender waits, while chats are paced (a burst), so that one claim takes the rows of several
# chats: then rows become claimable one by one (each chat freed by its 1 s gap, each row written), and a
# claim for each cost 2.5 claims a relayed message (0.6 with this). 0.1 s is a tenth of a chat's gap, so a
# paced message goes at most that much later; with nothing paced a row goes out at once.
GATHER = 0.1
# Seconds to wait before claiming again when a claim got no slot (replies took them, or the database was
# busy): short, as a slot may free at any moment, and not zero, so the sender cannot spin.
NO_SLOT_BEAT = 0.05


def _claim_statement() -> Any:
    """The claim (see OutboxSender._claim), built once: parameters `now`, `count` and `skip` (chats).

    Built per claim it cost more CPU than the claim's database work (the statement, its correlated
    subquery on an alias and its CTE, and then SQLAlchemy's cache key over all of it).
    """
    outbox = _OUTBOX_TABLE.c
    now = bindparam("now", type_=outbox.not_before.type)
    # In order within a chat: a label before its message, a question before its answer, a voice note before
    # its text; so one row a chat is in hand at a time, also with two processes (only a chat's first waiting
    # row can be claimed, in any snapshot). A conversation written behind a bulk row lifts it
    # (`lift_bulk_behind_conversations`) rather than overtaking it: that would split a photo from its text.
    earlier = _OUTBOX_TABLE.alias("earlier")
    waits_for_earlier = (
        select(earlier.c.id)
        .where(
            earlier.c.chat_id == outbox.chat_id,
            earlier.c.status.in_(_WAITING),
            # A row in hand holds back even an earlier id: on PostgreSQL ids are taken at INSERT, not at
            # COMMIT, so a later id can commit, and be claimed, first.
            or_(earlier.c.id < outbox.id, earlier.c.status == OutboxStatus.SENDING),
        )
        .exists()
    )
    oldest = (
        select(outbox.id)
        .where(
            outbox.status == OutboxStatus.PENDING,
            outbox.not_before <= now,
            ~waits_for_earlier,
            outbox.chat_id.not_in(bindparam("skip", expanding=True)),  # an empty list is fine
        )
        # By turn before age (TURN_EPOCH): each chat's next message before anyone's second. Oldest first
        # instead, a woman's five texts in a row went before the first of those who wrote after her, and a
        # burst ended with a few chats' last texts going one a second each (Telegram's gap per chat) while
        # the overall pace stood idle.
        .order_by(outbox.priority, outbox.turn, outbox.id)
        .limit(bindparam("count", type_=Integer()))
        .with_for_update(skip_locked=True)
        # A CTE, not `IN (subquery)`: PostgreSQL may run such a subquery more than once, and with SKIP
        # LOCKED each run finds other rows, so one claim took far more than `count`. A CTE that locks
        # rows is run once.
        .cte("oldest")
    )
    return (
        update(_OUTBOX_TABLE)
        .where(outbox.id.in_(select(oldest.c.id)), outbox.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=outbox.attempts + 1)
        .returning(
            outbox.id,
            outbox.chat_id,
            outbox.method,
            outbox.payload_encrypted,
            outbox.attempts,
            outbox.log_id,
            outbox.priority,
            outbox.turn,
        )
    )


def _mark_statement() -> Any:
    """What became of one claimed row, for an executemany over a round's rows.

    A value left None keeps the column as it was (a sent row's last_error, a failed row's sent_at).
    """
    outbox = _OUTBOX_TABLE.c
    return (
        update(_OUTBOX_TABLE)
        .where(outbox.id == bindparam("row_id", type_=Integer()))
        .values(
            status=bindparam("new_status", type_=String()),
            sent_at=func.coalesce(bindparam("sent", type_=outbox.sent_at.type), outbox.sent_at),
            last_error=func.coalesce(bindparam("error", type_=String()), outbox.last_error),
            not_before=func.coalesce(bindparam("retry_at", type_=outbox.not_before.type), outbox.not_before),
        )
    )


def _note_copy_statement() -> Any:
    """The copy's message id in the receiver's chat, on the log row (how her "Reply" finds it)."""
    log_table = cast(Table, MessageLog.__table__).c
    return (
        update(cast(Table, MessageLog.__table__))
        .where(log_table.id == bindparam("log_row", type_=Integer()))
        .values(copy_message_id=bindparam("copy", type_=log_table.copy_message_id.type))
    )


_CLAIM = _claim_statement()
_MARK = _mark_statement()
_NOTE_COPY = _note_copy_statement()


async def recover_stale(session: AsyncSession, *, now: datetime, older_than: timedelta = STALE_CLAIM) -> int:
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - older_than)
        .values(status=OutboxStatus.PENDING)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def lift_bulk_behind_conversations(session: AsyncSession) -> int:
    """A chat's bulk rows that a conversation row waits behind (a lesson queued for a Bydelsmor, then a
    woman's words to her) become conversation rows: the chat's first waiting row is the only one that can be
    claimed, and at bulk priority it would hold her words back for as long as conversations fill the pace.

    Run every RECOVER_EVERY seconds by the sender, not by each write: a statement per relayed message
    would cost more than the few seconds' wait it saves.
    """
    outbox = _OUTBOX_TABLE.c
    later = _OUTBOX_TABLE.alias("later")
    a_conversation_waits_behind = (
        select(later.c.id)
        .where(
            later.c.chat_id == outbox.chat_id,
            later.c.id > outbox.id,
            later.c.status == OutboxStatus.PENDING,
            later.c.priority == CONVERSATION,
        )
        .exists()
    )
    result = await session.execute(
        update(_OUTBOX_TABLE)
        .where(
            outbox.status == OutboxStatus.PENDING,
            outbox.priority == BULK,
            # The IN lets the planner start from the few chats with a conversation waiting (index on
            # chat_id), not from every pending bulk row; the EXISTS keeps to rows ahead of that conversation.
            outbox.chat_id.in_(
                select(later.c.chat_id).where(
                    later.c.status == OutboxStatus.PENDING, later.c.priority == CONVERSATION
                )
            ),
            a_conversation_waits_behind,
        )
        .values(priority=CONVERSATION)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def prune(session: AsyncSession, *, now: datetime) -> None:
    """Forget what went out (or never could) a while ago: the rows carry words and Telegram ids."""
    done = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.BLOCKED)
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(done), OutboxMessage.created_at < now - KEEP_SENT
        )
    )


async def forget_person(session: AsyncSession, *, telegram_user_id: int) -> None:
    """She erased everything: every message to her or carrying her words goes, sent or not, and so do her
    parked updates and dashboard sign-ins under her Telegram id (they hold her Telegram first name). Once the
    transaction commits, the database files are scrubbed of the deleted bytes (storage.db.Database.scrub)."""
    await session.execute(
        delete(OutboxMessage).where(
            or_(OutboxMessage.chat_id == telegram_user_id, OutboxMessage.from_chat_id == telegram_user_id)
        )
    )
    await session.execute(delete(LoginLink).where(LoginLink.telegram_user_id == telegram_user_id))
    await session.execute(
        delete(DashboardSession).where(DashboardSession.telegram_user_id == telegram_user_id)
    )
    # Updates of hers that failed and were set aside: their (encrypted) words and her chat id go too. The
    # update id stays (as for any handled update, two days), so a late redelivery is still refused.
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.chat_id == telegram_user_id, InboxUpdate.status == PARKED)
        .values(status=DONE, chat_id=None, payload_encrypted=None)
    )
    scrub_after_commit(session)


@dataclass(frozen=True)
class _Claimed:
    """A row this sender took (status "sending"): what it needs to send it and to mark it afterwards."""

    id: int
    chat_id: int
    method: str
    payload_encrypted: bytes
    attempts: int
    log_id: int | None
    place: tuple[int, int, int]  # (priority, turn, id): the claim's order, in which the round is sent


@dataclass(frozen=True)
class _Outcome:
    status: OutboxStatus
    error: str | None = None
    not_before: datetime | None = None
    copy_id: int | None = None
    blocked_chat: int | None = None


class OutboxSender:
    """Claims the oldest rows whose chats are free, a few at a time, and sends them side by side.

    A chat is free when no earlier row of it waits or is being sent (order within a chat) and the pacer has
    not sent to it within the last second; so one woman's five texts in a row hold back nobody else. The
    pacer (shared with the inline replies in a running bot) says how many may go now; the sender waits for
    free slots before it claims, never while it holds a claim.
    """

    def __init__(
        self,
        *,
        db: Database,
        messenger: Messenger,
        clock: Callable[[], datetime],
        on_blocked: BlockedHandler | None = None,
        per_chat_gap: float = PER_CHAT_GAP,
        overall_gap: float = OVERALL_GAP,
        pacer: SendPacer | None = None,
        wake: asyncio.Event | None = None,
        send_time_limit: float = SEND_TIME_LIMIT,
        batch: int = CLAIM_BATCH,
        gather: float = GATHER,
        metrics: Metrics | None = None,
    ) -> None:
        self._db = db
        self._metrics = metrics or Metrics()
        self._messenger = messenger
        self._clock = clock
        self._on_blocked = on_blocked
        self._pacer = pacer or SendPacer(
            per_chat_gap=per_chat_gap, per_second=round(1 / overall_gap) if overall_gap > 0 else None
        )
        self.wake = wake or asyncio.Event()
        self._send_time_limit = send_time_limit
        self._batch = batch
        self._gather = gather
        self._stopping = False

    async def send_due(self, *, limit: int = 100) -> int:
        """Send what is due (at most `limit` tries), waiting out the pacer between claims; the number sent.

        A row that fails here (a timeout, a network error) is tried again at the next call, not in this one.
        It returns once a claim finds nothing and no chat is paced: up to a chat's gap after the last send.
        """
        sent = tried = 0
        failed_chats: set[int] = set()
        while tried < limit and not self._pacer.paused():
            wait = self._pacer.wait_for_slot(behind_replies=True)
            if wait > 0:
                await self._pacer.sleep(wait)
                continue
            count = min(self._batch, self._pacer.free_slots(behind_replies=True), limit - tried)
            claimed, delivered, slots = await self._send_round(count, also_skip=failed_chats)
            tried += len(claimed)
            sent += delivered
            if not slots:  # replies took the slots meanwhile, or the database was not its own
                await self._pacer.sleep(max(self._pacer.wait_for_slot(behind_replies=True), NO_SLOT_BEAT))
                continue
            if self._more_may_be_free(claimed, slots):
                continue
            chat_wait = self._pacer.next_chats_free_in(within=self._gather)
            if chat_wait is None or self._pacer.paused():  # a 429 ends the call: nothing goes out for now
                break
            await self._pacer.sleep(chat_wait)
        return sent

    def _more_may_be_free(self, claimed: list[_Claimed], slots: int) -> bool:
        """May another claim, now, find rows? Only after a full one, or when chats are not paced.

        A claim takes the oldest due row of every free chat, up to the `slots` it reserved: one that found
        fewer took them all. What is left is in chats paced out (the ones it just sent to among them), or is
        written later (which wakes the sender), or is not due yet, or is another process's (both found within
        `idle`).
        """
        if not claimed:
            return False
        return len(claimed) >= slots or self._pacer.per_chat_gap <= 0

    async def _send_round(self, count: int, *, also_skip: set[int]) -> tuple[list[_Claimed], int, int]:
        """Claim up to `count` rows and send them at once; the rows claimed, the number delivered, and the
        slots the claim could reserve."""
        now = self._clock()
        rows, slots = await self._claim(now, count=count, also_skip=also_skip)
        if not rows:
            return rows, 0, slots
        attempts = [asyncio.ensure_future(self._attempt(row, now)) for row in rows]
        try:
            outcomes = await asyncio.gather(*attempts)
        except asyncio.CancelledError:
            # A graceful stop: what was answered is marked, the rest is given back now, not after STALE_CLAIM.
            settled = {
                row.id: task.result()
                for row, task in zip(rows, attempts, strict=True)
                if task.done() and not task.cancelled() and task.exception() is None
            }
            released = _Outcome(OutboxStatus.PENDING, "stopped while sending")
            await asyncio.shield(self._finish([(row, settled.get(row.id, released)) for row in rows]))
            raise
        await self._finish(list(zip(rows, outcomes, strict=True)))
        for row, outcome in zip(rows, outcomes, strict=True):
            if outcome.status == OutboxStatus.PENDING:
                also_skip.add(row.chat_id)
                self._metrics.retried("outbox_message")
        return rows, sum(outcome.status == OutboxStatus.SENT for outcome in outcomes), slots

    async def _claim(self, now: datetime, *, count: int, also_skip: set[int]) -> tuple[list[_Claimed], int]:
        """Take the oldest due rows of free chats (one per chat) for this sender alone, in one statement,
        with a slot of the pacer reserved for each (used when it is sent, `_attempt`); the rows, and the
        slots it could reserve (0: replies took them meanwhile, or the database was not its own).

        One UPDATE ... WHERE status = 'pending' claims them: atomic on SQLite (one writer at a time) and, with
        FOR UPDATE SKIP LOCKED, without waiting on PostgreSQL, where two bot processes may share the table.
        """
        if count <= 0:
            return [], 0
        slots = 0
        rows: list[_Claimed] = []
        try:
            async with self._db.transaction() as session:
                connection = await session.connection()
                # The slots are taken once the database is ours, before the statement: an inline reply sent
                # while the claim awaits the database must not take them, or the rows would go out above the
                # limit. Not before waiting for the database: on SQLite the inbox worker may hold it while its
                # reply waits for a slot, and slots held by a sender waiting for it halved a burst's replies.
                if self._db.has_turn():
                    slots = self._pacer.reserve(count)
                if slots:
                    skip = [*self._pacer.busy_chats(), *also_skip]
                    parameters = {"now": now, "count": slots, "skip": skip}
                    claimed = (await connection.execute(_CLAIM, parameters)).all()
                    # RETURNING has no order: sent in the claim's (one row a chat, so no chat's own order
                    # is at stake here).
                    rows = sorted(
                        (
                            _Claimed(row_id, chat, method, sealed, attempts, log_id, (priority, turn, row_id))
                            for row_id, chat, method, sealed, attempts, log_id, priority, turn in claimed
                        ),
                        key=lambda row: row.place,
                    )
        except BaseException:
            rows = []  # rolled back (the commit too may fail): nothing was claimed
            raise
        finally:
            self._pacer.release(slots - len(rows))  # a slot for each row claimed stays taken
        return rows, slots

    async def _attempt(self, row: _Claimed, now: datetime) -> _Outcome:
        """Send one claimed row now; what became of it. Never sleeps: the pacer allowed it already."""
        try:
            payload = json.loads(self._db.cipher.decrypt(row.payload_encrypted))
        except InvalidToken:  # written with a key that has since been retired: it can never be sent
            self._pacer.release(1)
            return _Outcome(OutboxStatus.FAILED, "cannot be decrypted with DATA_KEY")
        except ValueError:  # not JSON: it can never be sent either
            self._pacer.release(1)
            return _Outcome(OutboxStatus.FAILED, "not a readable payload")
        self._pacer.record(row.chat_id, reserved=True)
        try:
            result = await asyncio.wait_for(
                self._messenger.call(row.method, payload), timeout=self._send_time_limit
            )
        except TimeoutError:
            log.warning("outbox row %s got no answer in time: maybe sent; sending again", row.id)
            return _Outcome(OutboxStatus.PENDING, "no answer in time (maybe sent)", not_before=now)
        except BlockedError:
            return _Outcome(OutboxStatus.BLOCKED, "blocked by the person", blocked_chat=row.chat_id)
        except RetryLaterError as error:
            seconds = max(error.seconds, 1)
            self._pacer.pause(seconds)  # Telegram's flood control holds the whole bot, not only this chat
            return _Outcome(OutboxStatus.PENDING, None, not_before=now + timedelta(seconds=seconds))
        except UnreachableError as error:
            if row.attempts >= MAX_ATTEMPTS:
                return _Outcome(OutboxStatus.FAILED, str(error))
            log.warning("outbox row %s: Telegram unreachable (maybe sent); trying again", row.id)
            backoff = timedelta(seconds=min(2**row.attempts, 300))
            return _Outcome(OutboxStatus.PENDING, str(error), not_before=now + backoff)
        except RejectedError as error:
            log.warning("Telegram refused outbox row %s: %s", row.id, error)
            return _Outcome(OutboxStatus.FAILED, str(error))
        except Exception as error:
            # Anything the messenger does not name (a chat moved to a supergroup, a bug): the round must
            # still be marked, or its rows would stay "sending" and go out again after STALE_CLAIM, all of
            # them, over and over. Tried again with backoff, like a network error, and then given up.
            kind = type(error).__name__
            if row.attempts >= MAX_ATTEMPTS:
                return _Outcome(OutboxStatus.FAILED, kind)
            log.warning("outbox row %s failed (%s); trying again", row.id, kind)
            return _Outcome(
                OutboxStatus.PENDING, kind, not_before=now + timedelta(seconds=min(2**row.attempts, 300))
            )
        copy_id = int(result["message_id"]) if isinstance(result, dict) and "message_id" in result else None
        return _Outcome(OutboxStatus.SENT, copy_id=copy_id)

    async def _finish(self, outcomes: list[tuple[_Claimed, _Outcome]]) -> None:
        """Mark what became of a round's rows, in one transaction: one executemany for the rows, one for the
        copies' ids in the log (the usual round, all sent, is these two statements whatever its size)."""
        now = self._clock()
        marks = [
            {
                "row_id": row.id,
                "new_status": outcome.status,
                "sent": now if outcome.status == OutboxStatus.SENT else None,
                "error": outcome.error[:255] if outcome.error is not None else None,
                "retry_at": outcome.not_before,
            }
            for row, outcome in outcomes
        ]
        copies = [
            {"log_row": row.log_id, "copy": outcome.copy_id}
            for row, outcome in outcomes
            if outcome.status == OutboxStatus.SENT and row.log_id is not None and outcome.copy_id is not None
        ]
        async with self._db.transaction() as session:
            connection = await session.connection()
            if copies:
                await connection.execute(_NOTE_COPY, copies)
            if marks:
                await connection.execute(_MARK, marks)
            for _, outcome in outcomes:
                if outcome.blocked_chat is not None:
                    await self._blocked(session, outcome.blocked_chat, now)

    async def recover(self, *, older_than: timedelta = STALE_CLAIM) -> int:
        """Rows a sender claimed and never finished (it died): send them again (they may have been sent).

        Also lifts bulk rows that hold a conversation back (`lift_bulk_behind_conversations`).
        """
        now = self._clock()
        async with self._db.transaction() as session:
            recovered = await recover_stale(session, now=now, older_than=older_than)
            await lift_bulk_behind_conversations(session)
        if recovered:
            log.warning("%s outbox rows left by a stopped sender: maybe sent; sending again", recovered)
        return recovered

    def stop(self) -> None:
        """Finish the rows in hand, then end `run` (their claims are not left to go stale)."""
        self._stopping = True
        self.wake.set()

    async def _blocked(self, session: AsyncSession, chat_id: int, now: datetime) -> None:
        # Nothing more goes to this chat; the relay tells the other side and the coordinator.
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.BLOCKED)
            .execution_options(synchronize_session=False)
        )
        if self._on_blocked is not None:
            await self._on_blocked(session, chat_id, now)

    async def run(self, *, idle: float = 0.5) -> None:
        """Send until `stop`: woken when a row is written in this process, else looking every `idle` s."""
        self._stopping = False
        recovered_at = -RECOVER_EVERY
        while not self._stopping:
            try:
                if time.monotonic() - recovered_at >= RECOVER_EVERY:
                    await self.recover()
                    recovered_at = time.monotonic()
                wait = self._pacer.wait_for_slot(behind_replies=True)
                if wait > 0:  # no claim is held while waiting
                    await self._pacer.sleep(min(wait, idle))
                    continue
                self.wake.clear()  # before the claim: a row written during it wakes the next wait
                count = min(self._batch, self._pacer.free_slots(behind_replies=True))
                claimed, _, slots = await self._send_round(count, also_skip=set())
                if not slots:  # replies took the slots meanwhile, or the database was not its own
                    wait = max(self._pacer.wait_for_slot(behind_replies=True), NO_SLOT_BEAT)
                    await self._pacer.sleep(min(wait, idle))
                elif not self._more_may_be_free(claimed, slots):
                    await self._wait_for_rows(idle)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.exception("the outbox sender failed; trying again")
                self._metrics.error(type(error).__name__)
                await asyncio.sleep(idle)

    async def _wait_for_rows(self, idle: float) -> None:
        """After a claim that took every row it could: wait for a paced chat to be free, a row to be written
        (the wake), or `idle` (rows not due yet, or written by another process).

        No query asks whether the paced chats have rows due: it would cost a statement, as the claim it
        saves does, and the claim is the usual answer (her texts in a row wait for her chat). When none
        has, an empty claim a chat's gap after the last send is all it costs.
        """
        chat_wait = self._pacer.next_chats_free_in(within=self._gather)
        timeout = idle if chat_wait is None else min(idle, chat_wait)
        started = time.monotonic()  # the wake is waited for in real time
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), timeout=timeout)
            if chat_wait is not None and not self._stopping:
                # A burst: the rows written now are likely not the last ones, and some are for chats
                # paced out; one claim a little later takes several instead of one each.
                waited = time.monotonic() - started
                await self._pacer.sleep(max(min(self._gather, timeout - waited), 0.0))
