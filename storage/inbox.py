"""Queries on the inbox: Telegram's updates as they arrived. Keyword-only, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Coordinator, InboxUpdate, Person, Volunteer

__all__ = [
    "DONE",
    "HEAD_START",
    "PARKED",
    "PENDING",
    "Arrived",
    "Claimed",
    "add_many",
    "claim_next",
    "failed",
    "mark_done",
    "parked",
    "prune",
    "try_again",
]

PENDING = "pending"  # stored, to be handled (again, after a failure, from not_before)
DONE = "done"  # handled; only the id is kept, to recognise a late redelivery
PARKED = "parked"  # failed PARK_AFTER times: set aside for an admin, encrypted

# How many updates a newcomer's may overtake. Enough for a burst (hundreds of women pressing their next
# button while new ones write /start: each new one is greeted within seconds), and bounded, so women the bot
# knows are never held back for long however many newcomers keep coming: at 15 to 30 updates a second, at
# most 10 to 20 seconds more.
HEAD_START = 300


@dataclass(frozen=True, slots=True)
class Arrived:
    """An update as it arrived: its id, its chat (to keep a chat's updates in order), its encrypted body."""

    update_id: int
    chat_id: int | None
    payload: bytes


@dataclass(frozen=True, slots=True)
class Claimed:
    update_id: int
    payload_encrypted: bytes | None


async def add_many(session: AsyncSession, *, updates: Sequence[Arrived], now: datetime) -> set[int]:
    """Store the updates of one getUpdates answer in one statement; the ids that were new.

    An update from someone the bot does not know yet (in a private chat) is placed HEAD_START updates
    earlier in the queue: when a poster brings hundreds of women at once, each one's greeting should come
    within seconds, not after everyone else's next step. One chat's updates still go in the order they came
    (claim_next).
    """
    if not updates:
        return set()
    private = {arrived.chat_id for arrived in updates if arrived.chat_id is not None and arrived.chat_id > 0}
    known = await _known(session, private)
    insert = _ADD_POSTGRESQL if session.get_bind().dialect.name == "postgresql" else _ADD_SQLITE
    rows = [
        {
            "update_id": arrived.update_id,
            "chat_id": arrived.chat_id,
            "payload_encrypted": arrived.payload,
            "received_at": now,
            "not_before": now,
            "queue_position": arrived.update_id
            - (HEAD_START if arrived.chat_id in private and arrived.chat_id not in known else 0),
        }
        for arrived in updates
    ]
    return set((await session.execute(insert, rows)).scalars())


async def _known(session: AsyncSession, chats: set[int]) -> set[int]:
    """The private chats (their people) the bot has a row for: a woman, a Bydelsmor or a coordinator."""
    if not chats:
        return set()
    return set((await session.execute(_KNOWN, {"chats": list(chats)})).scalars())


_KNOWN = (
    select(Person.telegram_user_id)
    .where(Person.telegram_user_id.in_(bindparam("chats", expanding=True)))
    .union(
        select(Volunteer.telegram_user_id).where(
            Volunteer.telegram_user_id.in_(bindparam("chats", expanding=True))
        ),
        select(Coordinator.telegram_user_id).where(
            Coordinator.telegram_user_id.in_(bindparam("chats", expanding=True))
        ),
    )
)


# The statements every update runs are built once: SQLAlchemy then neither builds them nor computes their
# cache key again (both showed in the profile of a burst). They are Core statements on the table, not ORM
# ones: no InboxUpdate object is loaded or kept by them, and the ORM's bulk machinery cost more than the SQL.
_INBOX = cast(Table, InboxUpdate.__table__)


def _add(insert: Callable[[Table], Any]) -> Any:
    """One row's INSERT, run with a list of rows: SQLAlchemy sends them as one multi-row statement (its
    "insertmanyvalues"), whose compiled form is cached. A statement built with .values([...]) has no cache
    key: it was compiled again for every getUpdates answer, a hundred rows' worth of SQL each time."""
    return (
        insert(_INBOX)
        .values(
            update_id=bindparam("update_id"),
            chat_id=bindparam("chat_id"),
            payload_encrypted=bindparam("payload_encrypted"),
            status=PENDING,
            attempts=0,
            received_at=bindparam("received_at"),
            not_before=bindparam("not_before"),
            queue_position=bindparam("queue_position"),
        )
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(_INBOX.c.update_id)
    )


_ADD_POSTGRESQL = _add(pg_insert)
_ADD_SQLITE = _add(sqlite_insert)
_earlier = _INBOX.alias("inbox_1")
_CLAIM_NEXT = (
    select(_INBOX.c.update_id, _INBOX.c.payload_encrypted)
    .where(
        _INBOX.c.status == PENDING,
        _INBOX.c.not_before <= bindparam("now"),
        ~select(_earlier.c.update_id)
        .where(
            _earlier.c.chat_id == _INBOX.c.chat_id,
            _earlier.c.update_id < _INBOX.c.update_id,
            _earlier.c.status == PENDING,
        )
        .exists(),
    )
    .order_by(_INBOX.c.queue_position, _INBOX.c.update_id)
    .limit(1)
    .with_for_update(skip_locked=True)
)
_MARK_DONE = (
    update(_INBOX)
    .where(_INBOX.c.update_id == bindparam("handled"))
    .values(status=DONE, handled_at=bindparam("now"), payload_encrypted=None, error=None, chat_id=None)
)


async def claim_next(session: AsyncSession, *, now: datetime) -> Claimed | None:
    """The first due update in the queue (a newcomer's placed ahead: add_many) whose chat has no earlier one
    waiting, locked for this transaction.

    FOR UPDATE SKIP LOCKED on PostgreSQL: another process handling an update passes over it, and over the
    later updates of that chat (its earlier one is still pending). SQLite runs one process, one worker.
    """
    found = (await session.execute(_CLAIM_NEXT, {"now": now})).one_or_none()
    return None if found is None else Claimed(found.update_id, found.payload_encrypted)


async def mark_done(session: AsyncSession, *, update_id: int, now: datetime) -> None:
    """Handled: the words and whose they were are dropped now; the update id stays two days, so a late
    redelivery is recognised. (The chat only orders updates still to handle.)"""
    await session.execute(_MARK_DONE, {"handled": update_id, "now": now})


async def failed(
    session: AsyncSession, *, update_id: int, error: str, retry_at: datetime, park_after: int
) -> bool:
    """Count a failed handling; True when this was the last try and the update is parked."""
    row = await session.get(InboxUpdate, update_id, with_for_update=True)
    if row is None or row.status != PENDING:
        # Another worker took it in the moment between the rollback and this count, and handled it.
        return False
    row.attempts += 1
    row.error = error[:64]
    if row.attempts >= park_after:
        row.status = PARKED
        return True
    row.not_before = retry_at
    return False


async def prune(session: AsyncSession, *, handled_before: datetime, parked_before: datetime) -> int:
    result = await session.execute(
        delete(InboxUpdate).where(
            ((InboxUpdate.status == DONE) & (InboxUpdate.received_at < handled_before))
            | ((InboxUpdate.status == PARKED) & (InboxUpdate.received_at < parked_before))
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def parked(session: AsyncSession, *, limit: int) -> list[InboxUpdate]:
    """The updates set aside after failing, newest first."""
    query = (
        select(InboxUpdate)
        .where(InboxUpdate.status == PARKED)
        .order_by(InboxUpdate.received_at.desc(), InboxUpdate.update_id.desc())
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def try_again(session: AsyncSession, *, update_id: int, now: datetime) -> bool:
    """Put a parked update back to be handled now, with its tries counted afresh; False if not parked."""
    result = await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id == update_id, InboxUpdate.status == PARKED)
        .values(status=PENDING, attempts=0, not_before=now)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1
