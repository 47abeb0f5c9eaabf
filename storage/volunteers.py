"""Queries about Bydelsmødre and their translation suggestions: keyword-only, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import whois
from storage.models import TranslationSuggestion, Volunteer

__all__ = [
    "add_suggestion",
    "add_volunteer",
    "approved_suggestions",
    "find_volunteer",
    "get_suggestion",
    "list_volunteers",
    "pending_suggestions",
]


async def add_volunteer(
    session: AsyncSession,
    *,
    telegram_user_id: int,
    display_name: str,
    spoken_languages: list[str],
    postcode: str | None,
    capacity_per_month: int,
    locale: str | None,
    now: datetime,
) -> Volunteer:
    volunteer = Volunteer(
        telegram_user_id=telegram_user_id,
        display_name=display_name,
        spoken_languages=spoken_languages,
        postcode=postcode,
        capacity_per_month=capacity_per_month,
        locale=locale,
        active=True,
        created_at=now,
    )
    session.add(volunteer)
    await session.flush()
    whois.remember(session, Volunteer, telegram_user_id, volunteer)
    return volunteer


async def find_volunteer(
    session: AsyncSession, *, telegram_user_id: int, for_update: bool = False
) -> Volunteer | None:
    known, volunteer = whois.recall(session, Volunteer, telegram_user_id)
    if known and (volunteer is None or volunteer.active):  # read with a lock earlier in this transaction
        return volunteer
    query = select(Volunteer).where(Volunteer.telegram_user_id == telegram_user_id, Volunteer.active)
    if for_update:  # as the gate's look-up (storage.whois): not against rows that point at her
        query = query.with_for_update(key_share=True)
    volunteer = (await session.execute(query)).scalar_one_or_none()
    if for_update:
        whois.remember(session, Volunteer, telegram_user_id, volunteer)
    return volunteer


async def list_volunteers(session: AsyncSession) -> list[Volunteer]:
    return list((await session.execute(select(Volunteer).order_by(Volunteer.id))).scalars())


async def add_suggestion(
    session: AsyncSession, *, locale: str, msgid: str, text: str, volunteer_id: int | None, now: datetime
) -> TranslationSuggestion:
    suggestion = TranslationSuggestion(
        locale=locale, msgid=msgid, text=text, status="pending", volunteer_id=volunteer_id, created_at=now
    )
    session.add(suggestion)
    await session.flush()
    return suggestion


async def get_suggestion(session: AsyncSession, *, suggestion_id: int) -> TranslationSuggestion | None:
    return await session.get(TranslationSuggestion, suggestion_id, with_for_update=True)


async def pending_suggestions(
    session: AsyncSession, *, locale: str | None = None
) -> list[TranslationSuggestion]:
    query = select(TranslationSuggestion).where(TranslationSuggestion.status == "pending")
    if locale:
        query = query.where(TranslationSuggestion.locale == locale)
    return list((await session.execute(query.order_by(TranslationSuggestion.id))).scalars())


async def approved_suggestions(session: AsyncSession) -> list[TranslationSuggestion]:
    """Every approved text, oldest first, so a later approval of the same text wins."""
    query = (
        select(TranslationSuggestion)
        .where(TranslationSuggestion.status == "approved")
        .order_by(TranslationSuggestion.decided_at, TranslationSuggestion.id)
    )
    return list((await session.execute(query)).scalars())
