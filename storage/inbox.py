"""Queries on the inbox: Telegram's updates as they arrived. Keyword-only, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import InboxUpdate

__all__ = [
    "DONE",
    "PARKED",
    "PENDING",
    "add",
    "claim_next",
    "failed",
    "mark_done",
    "parked",
    "prune",
    "try_again",
]

PENDING = "pending"
DONE = "done"
PARKED = "parked"


async def add(
    session: AsyncSession, *, update_id: int, chat_id: int | None, payload: bytes, now: datetime
) -> bool:
    """Store an update; False when it is there already (Telegram delivered it again)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(InboxUpdate)
        .values(
            update_id=update_id,
            chat_id=chat_id,
            payload_encrypted=payload,
            status=PENDING,
            attempts=0,
            received_at=now,
            not_before=now,
        )
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(InboxUpdate.update_id)
    )
    return (await session.execute(statement)).scalar_one_or_none() is not None


async def claim_next(session: AsyncSession, *, now: datetime) -> InboxUpdate | None:
    """The oldest due update whose chat has no earlier one waiting, locked for this transaction.

    FOR UPDATE SKIP LOCKED on PostgreSQL: another process handling an update passes over it, and over the
    later updates of that chat (its earlier one is still pending). SQLite runs one process, one worker.
    """
    earlier = aliased(InboxUpdate)
    waits_for_earlier = (
        select(earlier.update_id)
        .where(
            earlier.chat_id == InboxUpdate.chat_id,
            earlier.update_id < InboxUpdate.update_id,
            earlier.status == PENDING,
        )
        .exists()
    )
    query = (
        select(InboxUpdate)
        .where(InboxUpdate.status == PENDING, InboxUpdate.not_before <= now, ~waits_for_earlier)
        .order_by(InboxUpdate.update_id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def mark_done(session: AsyncSession, *, update_id: int, now: datetime) -> None:
    """Handled: the words and whose they were are dropped now; the update id stays two days, so a late
    redelivery is recognised. (The chat only orders updates still to handle.)"""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.update_id == update_id)
        .values(status=DONE, handled_at=now, payload_encrypted=None, error=None, chat_id=None)
    )


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
