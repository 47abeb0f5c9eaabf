"""Messages to third parties: written in the same transaction as the change they belong to, sent afterwards.

A woman's message to her Bydelsmor, an offer, an alert: if the bot stops between the commit and the send,
the row is still there and is sent when it is back. One sender claims rows one at a time (`FOR UPDATE SKIP
LOCKED` on PostgreSQL, so two processes never send the same row), keeps to Telegram's limits (1 message a
second per chat, about 30 a second overall), waits out a 429's retry_after, retries network errors with
backoff, and on 403 (she blocked the bot) stops sending to that chat and lets the relay tell the other side.
A row is claimed (status "sending") before it is sent and marked afterwards. A call is given SEND_TIME_LIMIT
seconds; one that gets no answer may still have been delivered ("maybe sent", logged) and is sent again
within seconds. A sender that dies in between leaves the row "sending"; any sender takes it back STALE_CLAIM
after the claim (no live sender holds a claim that long), and a graceful stop finishes or releases its
claim. A crash there may send a message twice, seconds apart, never lose it: docs/architecture.md says
exactly when.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.bot_api import send_message
from bot.ui import Reply
from storage.crypto import InvalidToken
from storage.db import Database, cipher_of, scrub_after_commit
from storage.models import DashboardSession, LoginLink, MessageLog, OutboxMessage

__all__ = [
    "BlockedError",
    "Messenger",
    "MessengerError",
    "OutboxSender",
    "OutboxStatus",
    "RejectedError",
    "RetryLaterError",
    "UnreachableError",
    "enqueue",
    "enqueue_reply",
    "forget_person",
    "prune",
    "recover_stale",
    "seal_payload",
]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
PER_CHAT_GAP = 1.0  # seconds between two messages to one chat
OVERALL_GAP = 1 / 28  # seconds between any two messages: just below Telegram's ~30 a second


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
    if flush:
        await session.flush()
    return row


async def enqueue_reply(session: AsyncSession, *, chat_id: int, reply: Reply, now: datetime) -> OutboxMessage:
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
    """She erased everything: every message to her or carrying her words goes, sent or not, and so do
    dashboard sign-ins under her Telegram id (they hold her Telegram first name). Once the transaction
    commits, the database's files are scrubbed of the deleted bytes (storage.db.Database.scrub)."""
    await session.execute(
        delete(OutboxMessage).where(
            or_(OutboxMessage.chat_id == telegram_user_id, OutboxMessage.from_chat_id == telegram_user_id)
        )
    )
    await session.execute(delete(LoginLink).where(LoginLink.telegram_user_id == telegram_user_id))
    await session.execute(
        delete(DashboardSession).where(DashboardSession.telegram_user_id == telegram_user_id)
    )
    scrub_after_commit(session)


class OutboxSender:
    def __init__(
        self,
        *,
        db: Database,
        messenger: Messenger,
        clock: Callable[[], datetime],
        on_blocked: BlockedHandler | None = None,
        per_chat_gap: float = PER_CHAT_GAP,
        overall_gap: float = OVERALL_GAP,
        wake: asyncio.Event | None = None,
        send_time_limit: float = SEND_TIME_LIMIT,
    ) -> None:
        self._db = db
        self._messenger = messenger
        self._clock = clock
        self._on_blocked = on_blocked
        self._per_chat_gap = per_chat_gap
        self._overall_gap = overall_gap
        self._last_to_chat: dict[int, float] = {}
        self._last_any = 0.0
        self.wake = wake or asyncio.Event()
        self._send_time_limit = send_time_limit
        self._stopping = False

    async def send_due(self, *, limit: int = 100) -> int:
        """Send what is due, one row per transaction; the number sent."""
        sent = 0
        for _ in range(limit):
            outcome = await self._send_one()
            if outcome is None:
                break
            sent += outcome
        return sent

    async def _claim(self, now: datetime) -> OutboxMessage | None:
        """Take the oldest due row for this sender alone.

        One UPDATE ... WHERE status = 'pending' claims it: atomic on SQLite (one writer at a time) and, with
        FOR UPDATE SKIP LOCKED, without waiting on PostgreSQL, where two bot processes may share the table.
        """
        for _ in range(3):  # another sender may take the row we picked; then pick again
            async with self._db.transaction() as session:
                earlier = aliased(OutboxMessage)
                waits_for_earlier = (
                    select(earlier.id)
                    .where(
                        earlier.chat_id == OutboxMessage.chat_id,
                        earlier.id < OutboxMessage.id,
                        earlier.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
                    )
                    .exists()
                )
                oldest = (
                    select(OutboxMessage.id)
                    # In order within a chat: a label before its message, a question before its answer.
                    .where(
                        OutboxMessage.status == OutboxStatus.PENDING,
                        OutboxMessage.not_before <= now,
                        ~waits_for_earlier,
                    )
                    .order_by(OutboxMessage.id)
                    .limit(1)
                    .with_for_update(skip_locked=True)
                    .scalar_subquery()
                )
                claimed = (
                    await session.execute(
                        update(OutboxMessage)
                        .where(OutboxMessage.id == oldest, OutboxMessage.status == OutboxStatus.PENDING)
                        .values(
                            status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1
                        )
                        .returning(OutboxMessage.id)
                    )
                ).scalar_one_or_none()
                if claimed is not None:
                    return await session.get(OutboxMessage, claimed)
                due = (
                    await session.execute(
                        select(OutboxMessage.id)
                        .where(
                            OutboxMessage.status == OutboxStatus.PENDING,
                            OutboxMessage.not_before <= now,
                            ~waits_for_earlier,
                        )
                        .limit(1)
                    )
                ).first()
                if due is None:
                    return None
        return None

    async def _send_one(self) -> int | None:
        now = self._clock()
        row = await self._claim(now)
        if row is None:
            return None
        wait = self._pace(row.chat_id)
        if wait > 0:
            await asyncio.sleep(wait)
        try:
            payload = json.loads(self._db.cipher.decrypt(row.payload_encrypted))
        except InvalidToken:  # written with a key that has since been retired: it can never be sent
            await self._finish(row.id, OutboxStatus.FAILED, "cannot be decrypted with DATA_KEY")
            return 0
        try:
            result = await asyncio.wait_for(
                self._messenger.call(row.method, payload), timeout=self._send_time_limit
            )
        except asyncio.CancelledError:
            # A graceful stop: give the row back now rather than after STALE_CLAIM.
            await asyncio.shield(self._finish(row.id, OutboxStatus.PENDING, "stopped while sending"))
            raise
        except TimeoutError:
            log.warning("outbox row %s got no answer in time: maybe sent; sending again", row.id)
            await self._finish(row.id, OutboxStatus.PENDING, "no answer in time (maybe sent)", not_before=now)
            return 0
        except BlockedError:
            await self._finish(
                row.id, OutboxStatus.BLOCKED, "blocked by the person", blocked_chat=row.chat_id
            )
            return 0
        except RetryLaterError as error:
            await self._finish(
                row.id, OutboxStatus.PENDING, None, not_before=now + timedelta(seconds=max(error.seconds, 1))
            )
            return 0
        except UnreachableError as error:
            if row.attempts >= MAX_ATTEMPTS:
                await self._finish(row.id, OutboxStatus.FAILED, str(error))
            else:
                log.warning("outbox row %s: Telegram unreachable (maybe sent); trying again", row.id)
                backoff = timedelta(seconds=min(2**row.attempts, 300))
                await self._finish(row.id, OutboxStatus.PENDING, str(error), not_before=now + backoff)
            return 0
        except RejectedError as error:
            log.warning("Telegram refused outbox row %s: %s", row.id, error)
            await self._finish(row.id, OutboxStatus.FAILED, str(error))
            return 0
        copy_id = int(result["message_id"]) if isinstance(result, dict) and "message_id" in result else None
        await self._finish(row.id, OutboxStatus.SENT, None, copy_id=copy_id)
        return 1

    async def _finish(
        self,
        row_id: int,
        status: OutboxStatus,
        error: str | None,
        *,
        not_before: datetime | None = None,
        copy_id: int | None = None,
        blocked_chat: int | None = None,
    ) -> None:
        now = self._clock()
        async with self._db.transaction() as session:
            row = await session.get(OutboxMessage, row_id)
            if row is None:
                return
            row.status = status
            if error is not None:
                row.last_error = error[:255]
            if not_before is not None:
                row.not_before = not_before
            if status == OutboxStatus.SENT:
                row.sent_at = now
                if row.log_id is not None and copy_id is not None:
                    entry = await session.get(MessageLog, row.log_id)
                    if entry is not None:
                        entry.copy_message_id = copy_id
            if blocked_chat is not None:
                await self._blocked(session, blocked_chat, now)

    async def recover(self, *, older_than: timedelta = STALE_CLAIM) -> int:
        """Rows a sender claimed and never finished (it died): send them again (they may have been sent)."""
        now = self._clock()
        async with self._db.transaction() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - older_than
                )
                .values(status=OutboxStatus.PENDING)
            )
            recovered = int(getattr(result, "rowcount", 0) or 0)
        if recovered:
            log.warning("%s outbox rows left by a stopped sender: maybe sent; sending again", recovered)
        return recovered

    def stop(self) -> None:
        """Finish the row in hand, then end `run` (its claim is not left to go stale)."""
        self._stopping = True
        self.wake.set()

    def _pace(self, chat_id: int) -> float:
        now = time.monotonic()
        wait = max(
            self._last_to_chat.get(chat_id, -1e9) + self._per_chat_gap - now,
            self._last_any + self._overall_gap - now,
            0.0,
        )
        self._last_to_chat[chat_id] = self._last_any = now + wait
        return wait

    async def _blocked(self, session: AsyncSession, chat_id: int, now: datetime) -> None:
        # Nothing more goes to this chat; the relay tells the other side and the coordinator.
        for other in (
            await session.execute(
                select(OutboxMessage).where(
                    OutboxMessage.chat_id == chat_id, OutboxMessage.status == OutboxStatus.PENDING
                )
            )
        ).scalars():
            other.status = OutboxStatus.BLOCKED
        if self._on_blocked is not None:
            await self._on_blocked(session, chat_id, now)

    async def run(self, *, idle: float = 0.5) -> None:
        """Send until `stop`: right after something was enqueued in this process, else every `idle` s."""
        self._stopping = False
        recovered_at = 0.0
        while not self._stopping:
            try:
                if time.monotonic() - recovered_at >= RECOVER_EVERY:
                    await self.recover()
                    recovered_at = time.monotonic()
                if await self.send_due(limit=1) == 0:
                    self.wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.wake.wait(), timeout=idle)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("the outbox sender failed; trying again")
                await asyncio.sleep(idle)
