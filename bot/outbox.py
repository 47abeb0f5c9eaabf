"""Messages to third parties: written in the same transaction as the change they belong to, sent afterwards.

A woman's message to her Bydelsmor, an offer, an alert: if the bot stops between the commit and the send,
the row is still there and is sent when it is back. One sender claims the oldest rows whose chats are free,
a few at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so two processes never send the same row), and
sends them at once: the shared pacer (bot.pacing) keeps to Telegram's limits (1 message a second per chat,
below 30 a second overall) before a claim is taken, so a claim is never held while waiting and one chat's
queue never holds back the others. It waits out a 429's retry_after, retries network errors with backoff,
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
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol, cast

from sqlalchemy import Table, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.bot_api import send_message
from bot.metrics import Metrics
from bot.pacing import OVERALL_PER_SECOND, PER_CHAT_GAP, SendPacer
from bot.ui import Reply
from storage.crypto import InvalidToken
from storage.db import Database, cipher_of, scrub_after_commit, signal_after_commit
from storage.inbox import DONE, PARKED
from storage.models import DashboardSession, InboxUpdate, LoginLink, MessageLog, OutboxMessage

__all__ = [
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
) -> OutboxMessage:
    """Write a message to send; `flush=False` when many are written at once and no id is needed.

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
            }
            for chat_id, payload in messages
        ],
    )
    signal_after_commit(session, OUTBOX_WRITTEN)


def _method_of(payload: dict[str, Any], method: str) -> str:
    if "text" in payload:
        return method
    if "voice" in payload:
        return "sendVoice"
    if "photo" in payload:
        return "sendPhoto"
    return method


async def enqueue_reply(session: AsyncSession, *, chat_id: int, reply: Reply, now: datetime) -> OutboxMessage:
    if reply.voice:  # a key screen's recording (bot.voice), right above it
        await enqueue(
            session,
            chat_id=chat_id,
            method="sendVoice",
            payload={"chat_id": chat_id, "voice": reply.voice},
            now=now,
        )
    if reply.lead:  # the first part of a long screen, sent before it (the outbox keeps a chat's order)
        await enqueue(
            session,
            chat_id=chat_id,
            method="sendMessage",
            payload={"chat_id": chat_id, "text": reply.lead},
            now=now,
        )
    return await enqueue(
        session, chat_id=chat_id, method="sendMessage", payload=send_message(chat_id, reply), now=now
    )


def seal_payload(session: AsyncSession, payload: dict[str, Any]) -> bytes:
    return cipher_of(session).encrypt(json.dumps(payload, ensure_ascii=False))


BlockedHandler = Callable[[AsyncSession, int, datetime], Awaitable[None]]
SEND_TIME_LIMIT = 15.0  # seconds one Bot API call may take (PTB's own timeouts are 5 s per phase)
STALE_CLAIM = timedelta(seconds=20)  # longer than any live claim: a claim this old belongs to a dead sender
RECOVER_EVERY = 5.0  # seconds between two looks for dead senders' claims
KEEP_SENT = timedelta(days=2)  # sent rows (encrypted) are kept only to see what went out lately


async def recover_stale(session: AsyncSession, *, now: datetime, older_than: timedelta = STALE_CLAIM) -> int:
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - older_than)
        .values(status=OutboxStatus.PENDING)
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
        self._stopping = False

    async def send_due(self, *, limit: int = 100) -> int:
        """Send what is due (at most `limit` tries), waiting out the pacer between claims; the number sent.

        A row that fails here (a timeout, a network error) is tried again at the next call, not in this one.
        """
        sent = tried = 0
        failed_chats: set[int] = set()
        while tried < limit and not self._pacer.paused():
            wait = self._pacer.wait_for_slot()
            if wait > 0:
                await self._pacer.sleep(wait)
                continue
            count = min(self._batch, self._pacer.free_slots(), limit - tried)
            claimed, delivered = await self._send_round(count, also_skip=failed_chats)
            if claimed:
                tried += len(claimed)
                sent += delivered
                continue
            chat_wait = self._pacer.next_chat_free_in()
            if chat_wait is None or not await self._due_in(self._pacer.busy_chats()):
                break
            await self._pacer.sleep(chat_wait)
        return sent

    async def _send_round(self, count: int, *, also_skip: set[int]) -> tuple[list[_Claimed], int]:
        """Claim up to `count` rows and send them at once; the rows claimed and the number delivered."""
        now = self._clock()
        # The slots are taken before the claim: an inline reply sent while it awaits the database must not
        # take them, or the rows would go out above the limit.
        slots = self._pacer.reserve(count)
        rows: list[_Claimed] = []
        try:
            rows = await self._claim(now, count=slots, skip_chats={*self._pacer.busy_chats(), *also_skip})
        finally:
            self._pacer.release(slots - len(rows))
        if not rows:
            return rows, 0
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
        return rows, sum(outcome.status == OutboxStatus.SENT for outcome in outcomes)

    def _waits_for_earlier(self) -> Any:
        # In order within a chat: a label before its message, a question before its answer.
        earlier = aliased(OutboxMessage)
        return (
            select(earlier.id)
            .where(
                earlier.chat_id == OutboxMessage.chat_id,
                earlier.id < OutboxMessage.id,
                earlier.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
            )
            .exists()
        )

    async def _claim(self, now: datetime, *, count: int, skip_chats: set[int]) -> list[_Claimed]:
        """Take the oldest due rows of free chats (one per chat) for this sender alone, in one statement.

        One UPDATE ... WHERE status = 'pending' claims them: atomic on SQLite (one writer at a time) and, with
        FOR UPDATE SKIP LOCKED, without waiting on PostgreSQL, where two bot processes may share the table.
        """
        if count <= 0:
            return []
        due = [
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.not_before <= now,
            ~self._waits_for_earlier(),
        ]
        if skip_chats:
            due.append(OutboxMessage.chat_id.not_in(sorted(skip_chats)))
        oldest = (
            select(OutboxMessage.id)
            .where(*due)
            .order_by(OutboxMessage.id)
            .limit(count)
            .with_for_update(skip_locked=True)
            # A CTE, not `IN (subquery)`: PostgreSQL may run such a subquery more than once, and with SKIP
            # LOCKED each run finds other rows, so one claim took far more than `count`. A CTE that locks
            # rows is run once.
            .cte("oldest")
        )
        async with self._db.transaction() as session:
            claimed = (
                await session.execute(
                    update(OutboxMessage)
                    .where(
                        OutboxMessage.id.in_(select(oldest.c.id)),
                        OutboxMessage.status == OutboxStatus.PENDING,
                    )
                    .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
                    .returning(
                        OutboxMessage.id,
                        OutboxMessage.chat_id,
                        OutboxMessage.method,
                        OutboxMessage.payload_encrypted,
                        OutboxMessage.attempts,
                        OutboxMessage.log_id,
                    )
                    .execution_options(synchronize_session=False)
                )
            ).all()
        return sorted((_Claimed(*row) for row in claimed), key=lambda row: row.id)

    async def _due_in(self, chats: list[int]) -> bool:
        """Is anything due for these (paced-out) chats? Then it is worth waiting for them to be free."""
        if not chats:
            return False
        async with self._db.transaction() as session:
            found = await session.execute(
                select(OutboxMessage.id)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.not_before <= self._clock(),
                    OutboxMessage.chat_id.in_(chats),
                )
                .limit(1)
            )
            return found.first() is not None

    async def _attempt(self, row: _Claimed, now: datetime) -> _Outcome:
        """Send one claimed row now; what became of it. Never sleeps: the pacer allowed it already."""
        try:
            payload = json.loads(self._db.cipher.decrypt(row.payload_encrypted))
        except InvalidToken:  # written with a key that has since been retired: it can never be sent
            self._pacer.release(1)
            return _Outcome(OutboxStatus.FAILED, "cannot be decrypted with DATA_KEY")
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
        copy_id = int(result["message_id"]) if isinstance(result, dict) and "message_id" in result else None
        return _Outcome(OutboxStatus.SENT, copy_id=copy_id)

    async def _finish(self, outcomes: list[tuple[_Claimed, _Outcome]]) -> None:
        """Mark what became of a round's rows, in one transaction."""
        now = self._clock()
        plainly_sent = [
            row.id
            for row, outcome in outcomes
            if outcome.status == OutboxStatus.SENT and (row.log_id is None or outcome.copy_id is None)
        ]
        async with self._db.transaction() as session:
            if plainly_sent:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_(plainly_sent))
                    .values(status=OutboxStatus.SENT, sent_at=now)
                    .execution_options(synchronize_session=False)
                )
            for row, outcome in outcomes:
                if row.id in plainly_sent:
                    continue
                values: dict[str, Any] = {"status": outcome.status}
                if outcome.error is not None:
                    values["last_error"] = outcome.error[:255]
                if outcome.not_before is not None:
                    values["not_before"] = outcome.not_before
                if outcome.status == OutboxStatus.SENT:
                    values["sent_at"] = now
                    await session.execute(
                        update(MessageLog)
                        .where(MessageLog.id == row.log_id)
                        .values(copy_message_id=outcome.copy_id)
                        .execution_options(synchronize_session=False)
                    )
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row.id)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
                if outcome.blocked_chat is not None:
                    await self._blocked(session, outcome.blocked_chat, now)

    async def recover(self, *, older_than: timedelta = STALE_CLAIM) -> int:
        """Rows a sender claimed and never finished (it died): send them again (they may have been sent)."""
        now = self._clock()
        async with self._db.transaction() as session:
            recovered = await recover_stale(session, now=now, older_than=older_than)
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
                wait = self._pacer.wait_for_slot()
                if wait > 0:  # no claim is held while waiting
                    await self._pacer.sleep(min(wait, idle))
                    continue
                self.wake.clear()  # before the claim: a row written during it wakes the next wait
                count = min(self._batch, self._pacer.free_slots())
                claimed, _ = await self._send_round(count, also_skip=set())
                if claimed:
                    continue
                timeout = idle
                chat_wait = self._pacer.next_chat_free_in()
                if chat_wait is not None and await self._due_in(self._pacer.busy_chats()):
                    timeout = min(idle, chat_wait)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), timeout=timeout)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.exception("the outbox sender failed; trying again")
                self._metrics.error(type(error).__name__)
                await asyncio.sleep(idle)
