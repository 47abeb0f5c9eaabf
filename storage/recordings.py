"""Queries about the voice recordings of the key screens: keyword-only, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Person, VoiceRecording

__all__ = [
    "add_recording",
    "approved_recordings",
    "approved_version",
    "forget_recordings_of",
    "get_recording",
    "latest_of",
    "listeners_per_locale",
    "recordings",
]


async def add_recording(
    session: AsyncSession,
    *,
    locale: str,
    screen_key: str,
    source_hash: str,
    file_id: str,
    duration: int,
    volunteer_id: int | None,
    keep_after_leaving: bool,
    status: str,
    now: datetime,
) -> VoiceRecording:
    row = VoiceRecording(
        locale=locale,
        screen_key=screen_key,
        source_hash=source_hash,
        file_id=file_id,
        duration=duration,
        volunteer_id=volunteer_id,
        keep_after_leaving=keep_after_leaving,
        status=status,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def get_recording(
    session: AsyncSession, *, recording_id: int, for_update: bool = False
) -> VoiceRecording | None:
    query = select(VoiceRecording).where(VoiceRecording.id == recording_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def recordings(
    session: AsyncSession,
    *,
    locale: str | None = None,
    statuses: tuple[str, ...] = (),
    volunteer_id: int | None = None,
) -> list[VoiceRecording]:
    """Oldest first."""
    query = select(VoiceRecording).order_by(VoiceRecording.id)
    if locale is not None:
        query = query.where(VoiceRecording.locale == locale)
    if statuses:
        query = query.where(VoiceRecording.status.in_(statuses))
    if volunteer_id is not None:
        query = query.where(VoiceRecording.volunteer_id == volunteer_id)
    return list((await session.execute(query)).scalars())


async def latest_of(
    session: AsyncSession, *, volunteer_id: int, locale: str, screen_key: str, statuses: tuple[str, ...]
) -> VoiceRecording | None:
    query = (
        select(VoiceRecording)
        .where(
            VoiceRecording.volunteer_id == volunteer_id,
            VoiceRecording.locale == locale,
            VoiceRecording.screen_key == screen_key,
            VoiceRecording.status.in_(statuses),
        )
        .order_by(VoiceRecording.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def approved_version(session: AsyncSession, *, approved: str) -> tuple[int, int, str]:
    """A fingerprint of the approved recordings, one cheap statement: it changes with every approval,
    re-approval and withdrawal, so a process knows when to read them again."""
    count, id_sum, last = (await session.execute(_APPROVED_VERSION, {"approved": approved})).one()
    return int(count), int(id_sum), str(last)


# Built once: it is asked on every screen a listening woman is sent.
_APPROVED_VERSION = select(
    func.count(VoiceRecording.id),
    func.coalesce(func.sum(VoiceRecording.id), 0),
    func.max(VoiceRecording.decided_at),
).where(VoiceRecording.status == bindparam("approved"))


async def approved_recordings(session: AsyncSession, *, approved: str) -> list[VoiceRecording]:
    query = select(VoiceRecording).where(
        VoiceRecording.status == approved, VoiceRecording.file_id.is_not(None)
    )
    return list((await session.execute(query.order_by(VoiceRecording.id))).scalars())


async def forget_recordings_of(
    session: AsyncSession, *, volunteer_id: int, removed: str, now: datetime
) -> int:
    """A Bydelsmor left: her recordings go, except those she agreed to leave behind when recording."""
    result = await session.execute(
        update(VoiceRecording)
        .where(VoiceRecording.volunteer_id == volunteer_id, VoiceRecording.keep_after_leaving.is_(False))
        .values(status=removed, file_id=None, decided_at=now, decided_by="left")
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def listeners_per_locale(session: AsyncSession) -> dict[str, int]:
    """How many women chose to hear the screens, by their interface locale."""
    rows = await session.execute(
        select(Person.locale, func.count(Person.id))
        .where(Person.listen.is_(True), Person.locale.is_not(None))
        .group_by(Person.locale)
    )
    return {str(locale): int(count) for locale, count in rows}
