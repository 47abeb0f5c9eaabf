"""Who is writing, looked up once per update: her rows, locked, and what she is in the middle of.

The gate runs `look_up` at the start of the update's unit of work. The lock is PostgreSQL's FOR NO KEY
UPDATE: it keeps another update from changing her row, but not from adding rows that point at it (a message
logged in her match, a check-in): with several inbox workers, two people of one conversation would otherwise
deadlock each other. The rows it locks are remembered in the
session, so `people.find_person` and `volunteers.find_volunteer` later in the same transaction return them
without asking the database again: the lock is held until the transaction ends, so nobody else can have
changed them. A remembered "nobody" is forgotten as soon as a row is made for her.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Checkin, Coordinator, Match, Person, Volunteer

__all__ = ["Lookup", "forget", "forget_row", "look_up", "recall", "remember"]

_MEMORY = "rows_by_telegram_user_id"
Row = TypeVar("Row", Person, Volunteer)


def _memory(session: AsyncSession) -> dict[tuple[type, int], Person | Volunteer | None]:
    memory: dict[tuple[type, int], Person | Volunteer | None] = session.info.setdefault(_MEMORY, {})
    return memory


def remember(session: AsyncSession, kind: type[Row], telegram_user_id: int, row: Row | None) -> None:
    """`row` (or nobody) was read with a lock in this transaction: later look-ups may use it."""
    _memory(session)[(kind, telegram_user_id)] = row


def recall(session: AsyncSession, kind: type[Row], telegram_user_id: int) -> tuple[bool, Row | None]:
    """(True, row or None) when this transaction already read her `kind` row with a lock."""
    memory = _memory(session)
    key = (kind, telegram_user_id)
    if key not in memory:
        return False, None
    row = memory[key]
    return True, row if isinstance(row, kind) else None


def forget(session: AsyncSession, kind: type, telegram_user_id: int) -> None:
    """Her `kind` row was made or deleted: the next look-up asks the database."""
    _memory(session).pop((kind, telegram_user_id), None)


def forget_row(session: AsyncSession, kind: type, row_id: int) -> None:
    """Her `kind` row with this id was deleted."""
    memory = _memory(session)
    for key, row in list(memory.items()):
        if key[0] is kind and row is not None and row.id == row_id:
            del memory[key]


@dataclass(frozen=True, slots=True)
class Lookup:
    """What one look-up found: her rows (locked) and the states that decide where her message goes."""

    person: Person | None
    volunteer: Volunteer | None
    comment_awaited: bool  # a check-in asked "tell us more" within the window
    woman_matched: bool  # she, as a woman, talks with a Bydelsmor now
    volunteer_matched: bool  # she, as a Bydelsmor, talks with at least one woman now
    answering: bool = False  # she, as a coordinator, pressed "Answer" under a Bydelsmor's question


# Built once, with the person and the time as parameters: these run on every update, and building them (and
# computing their cache key) each time cost more than running them.
_ANSWERING = exists().where(
    Coordinator.telegram_user_id == bindparam("user"), Coordinator.answering_question_id.is_not(None)
)
_COMMENT_AWAITED = exists().where(
    Checkin.chat_id == bindparam("user"),
    Checkin.awaiting_comment,
    Checkin.comment_asked_at >= bindparam("since"),
)
_AS_WOMAN = (
    select(
        Person,
        _COMMENT_AWAITED,
        exists().where(Match.person_id == Person.id, Match.status == "active"),
        select(Volunteer.id)
        .where(Volunteer.telegram_user_id == bindparam("user"), Volunteer.active)
        .scalar_subquery(),
        _ANSWERING,
    )
    .where(Person.telegram_user_id == bindparam("user"))
    .with_for_update(of=Person, key_share=True)
)
_AS_BYDELSMOR = (
    select(
        Volunteer,
        _COMMENT_AWAITED,
        exists().where(Match.volunteer_id == Volunteer.id, Match.status == "active"),
        _ANSWERING,
    )
    .where(Volunteer.telegram_user_id == bindparam("user"), Volunteer.active)
    .with_for_update(of=Volunteer, key_share=True)
)
_AS_COORDINATOR = select(_ANSWERING)


async def look_up(session: AsyncSession, *, telegram_user_id: int, comment_since: datetime) -> Lookup:
    """One statement for a woman, two for a Bydelsmor (whose row is a second table).

    Whether she is answering a Bydelsmor's question as a coordinator rides along in the same statements;
    only someone who is neither a woman nor a Bydelsmor (a coordinator, or a first message) needs a third.
    """
    parameters = {"user": telegram_user_id, "since": comment_since}
    found = (await session.execute(_AS_WOMAN, parameters)).one_or_none()
    person = found[0] if found is not None else None
    remember(session, Person, telegram_user_id, person)
    if found is not None and found[3] is None:
        remember(session, Volunteer, telegram_user_id, None)
        return Lookup(
            person, None, bool(found[1]), bool(found[2]), volunteer_matched=False, answering=bool(found[4])
        )
    staff = (await session.execute(_AS_BYDELSMOR, parameters)).one_or_none()
    volunteer = staff[0] if staff is not None else None
    remember(session, Volunteer, telegram_user_id, volunteer)
    if staff is not None:
        answering_now = bool(staff[3])
    elif found is not None:
        answering_now = bool(found[4])
    else:
        answering_now = bool((await session.execute(_AS_COORDINATOR, parameters)).scalar())
    return Lookup(
        person=person,
        volunteer=volunteer,
        comment_awaited=bool(found[1] if found is not None else staff is not None and staff[1]),
        woman_matched=bool(found is not None and found[2]),
        volunteer_matched=bool(staff is not None and staff[2]),
        answering=answering_now,
    )
