"""Queries about people and their help requests. Keyword-only, each inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import whois
from storage.models import HelpRequest, Person

__all__ = [
    "add_person",
    "add_request",
    "current_request",
    "delete_person",
    "delete_requests",
    "ensure_person",
    "find_person",
    "prune_abandoned",
]

OPEN_REQUEST_STATUSES = ("draft", "waiting", "matched")


async def find_person(
    session: AsyncSession, *, telegram_user_id: int, for_update: bool = False
) -> Person | None:
    known, person = whois.recall(session, Person, telegram_user_id)
    if known:  # read with a lock earlier in this transaction: still hers, still locked
        return person
    query = select(Person).where(Person.telegram_user_id == telegram_user_id)
    if for_update:  # as the gate's look-up (storage.whois): not against rows that point at her
        query = query.with_for_update(key_share=True)
    person = (await session.execute(query)).scalar_one_or_none()
    if for_update:
        whois.remember(session, Person, telegram_user_id, person)
    return person


async def ensure_person(
    session: AsyncSession,
    *,
    telegram_user_id: int,
    step: str,
    consent: str,
    referral: str | None,
    now: datetime,
) -> Person:
    """Her row, made if missing. Two first messages at once (two processes) must not both insert."""
    insert = _ENSURE_POSTGRESQL if session.get_bind().dialect.name == "postgresql" else _ENSURE_SQLITE
    parameters = {
        "user": telegram_user_id,
        "step": step,
        "consent": consent,
        "referral": referral,
        "created_at": now,
        "updated_at": now,
    }
    made: Person | None = (await session.scalars(insert, parameters)).one_or_none()
    whois.forget(session, Person, telegram_user_id)
    if made is not None:  # new: nobody else can have seen the row yet, so it needs no lock
        whois.remember(session, Person, telegram_user_id, made)
        return made
    person = await find_person(session, telegram_user_id=telegram_user_id, for_update=True)
    if person is None:  # the insert either happened or met her row
        raise LookupError(telegram_user_id)
    return person


def _ensure(insert: Callable[[type[Person]], Any]) -> Any:
    """Built once, with her values as parameters: every new woman's first update runs it, and building it
    (and computing its cache key) each time cost more than running it."""
    return (
        insert(Person)
        .values(
            telegram_user_id=bindparam("user"),
            role="woman",
            step=bindparam("step"),
            consent=bindparam("consent"),
            referral=bindparam("referral"),
            created_at=bindparam("created_at"),
            updated_at=bindparam("updated_at"),
        )
        .on_conflict_do_nothing(index_elements=["telegram_user_id"])
        .returning(Person)
    )


_ENSURE_POSTGRESQL = _ensure(pg_insert)
_ENSURE_SQLITE = _ensure(sqlite_insert)


async def add_person(
    session: AsyncSession,
    *,
    telegram_user_id: int,
    locale: str | None,
    step: str,
    consent: str,
    referral: str | None,
    now: datetime,
) -> Person:
    person = Person(
        telegram_user_id=telegram_user_id,
        locale=locale,
        step=step,
        consent=consent,
        referral=referral,
        created_at=now,
        updated_at=now,
    )
    session.add(person)
    await session.flush()
    whois.remember(session, Person, telegram_user_id, person)
    return person


async def current_request(
    session: AsyncSession, *, person_id: int, for_update: bool = False
) -> HelpRequest | None:
    """Her open request (a draft, one waiting for a match, or one matched now), newest first."""
    query = _CURRENT_REQUEST_LOCKED if for_update else _CURRENT_REQUEST
    return (await session.execute(query, {"person": person_id})).scalar_one_or_none()


# Built once: most onboarding steps read her request.
_CURRENT_REQUEST = (
    select(HelpRequest)
    .where(HelpRequest.person_id == bindparam("person"), HelpRequest.status.in_(OPEN_REQUEST_STATUSES))
    .order_by(HelpRequest.id.desc())
    .limit(1)
)
_CURRENT_REQUEST_LOCKED = _CURRENT_REQUEST.with_for_update()


async def add_request(
    session: AsyncSession, *, person_id: int, status: str, spoken_language: str, now: datetime
) -> HelpRequest:
    request = HelpRequest(
        person_id=person_id,
        status=status,
        spoken_language=spoken_language,
        topics=[],
        postcode_declined=False,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    await session.flush()
    return request


async def delete_requests(session: AsyncSession, *, person_id: int) -> None:
    await session.execute(delete(HelpRequest).where(HelpRequest.person_id == person_id))


async def delete_person(session: AsyncSession, *, person_id: int) -> None:
    """Erase a person and everything that hangs on her (explicitly; the foreign keys cascade too)."""
    whois.forget_row(session, Person, person_id)
    await session.execute(delete(HelpRequest).where(HelpRequest.person_id == person_id))
    await session.execute(delete(Person).where(Person.id == person_id))


async def prune_abandoned(
    session: AsyncSession, *, pending_before: datetime, refused_before: datetime
) -> int:
    """Forget women who stopped before saying yes or no, and old "no" answers."""
    result = await session.execute(
        delete(Person).where(
            ((Person.consent == "pending") & (Person.updated_at < pending_before))
            | ((Person.consent == "refused") & (Person.updated_at < refused_before))
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
