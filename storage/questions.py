"""A Bydelsmor's questions to her coordinators, and their answers (bot.group)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Coordinator, CoordinatorQuestion

__all__ = [
    "add_question",
    "answering_coordinator",
    "find_question",
    "open_questions",
    "question_coordinators",
    "stop_answering",
]


async def add_question(
    session: AsyncSession,
    *,
    volunteer_id: int,
    group_id: int | None,
    kind: str,
    content_encrypted: bytes,
    now: datetime,
) -> CoordinatorQuestion:
    question = CoordinatorQuestion(
        volunteer_id=volunteer_id,
        group_id=group_id,
        kind=kind,
        content_encrypted=content_encrypted,
        asked_at=now,
    )
    session.add(question)
    await session.flush()
    return question


async def find_question(
    session: AsyncSession, *, question_id: int, for_update: bool = False
) -> CoordinatorQuestion | None:
    query = select(CoordinatorQuestion).where(CoordinatorQuestion.id == question_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def open_questions(
    session: AsyncSession, *, group_ids: frozenset[int] | None
) -> list[CoordinatorQuestion]:
    """Unanswered questions, oldest first; `group_ids` None: every group (a national admin)."""
    query = select(CoordinatorQuestion).where(CoordinatorQuestion.answered_at.is_(None))
    if group_ids is not None:
        query = query.where(CoordinatorQuestion.group_id.in_(group_ids))
    return list((await session.execute(query.order_by(CoordinatorQuestion.id))).scalars())


async def question_coordinators(session: AsyncSession, *, group_id: int | None) -> list[Coordinator]:
    """Her group's coordinators; the national admins only when her group has none (or she has no group)."""
    if group_id is not None:
        query = select(Coordinator).where(Coordinator.group_id == group_id)
        found = {c.telegram_user_id: c for c in (await session.execute(query)).scalars()}
        if found:
            return list(found.values())
    admins = select(Coordinator).where(Coordinator.is_admin)
    return list({c.telegram_user_id: c for c in (await session.execute(admins)).scalars()}.values())


async def answering_coordinator(session: AsyncSession, *, telegram_user_id: int) -> Coordinator | None:
    """Her coordinator row that is waiting for an answer, locked (she may coordinate several groups)."""
    query = (
        select(Coordinator)
        .where(
            Coordinator.telegram_user_id == telegram_user_id,
            Coordinator.answering_question_id.is_not(None),
        )
        .order_by(Coordinator.answering_since.desc())
        .limit(1)
        .with_for_update()
    )
    return (await session.execute(query)).scalar_one_or_none()


async def stop_answering(session: AsyncSession, *, telegram_user_id: int) -> None:
    await session.execute(
        update(Coordinator)
        .where(Coordinator.telegram_user_id == telegram_user_id)
        .values(answering_question_id=None, answering_since=None)
    )
