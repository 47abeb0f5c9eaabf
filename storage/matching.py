"""Queries for groups, invites, offers, matches, the message log and alerts. Keyword-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import scrub_after_commit
from storage.models import (
    Alert,
    Coordinator,
    Group,
    HelpRequest,
    Invite,
    Match,
    MessageLog,
    Offer,
    Person,
    Volunteer,
)

__all__ = [
    "Conversation",
    "active_matches_for_person",
    "active_matches_for_volunteer",
    "coordinators_for",
    "due_offers",
    "find_group",
    "group_for_postcode",
    "her_conversation",
    "loads_since",
    "log_entry_for_copy",
    "log_entry_for_source",
    "offered_volunteers",
    "pending_offer",
    "prune_logs",
    "requests_without_offer",
    "volunteers_for_matching",
]


async def find_group(session: AsyncSession, *, name_or_slug: str) -> Group | None:
    query = select(Group).where((Group.name == name_or_slug) | (Group.slug == name_or_slug))
    return (await session.execute(query)).scalar_one_or_none()


async def group_for_postcode(session: AsyncSession, *, postcode: str) -> Group | None:
    for group in (await session.execute(select(Group).order_by(Group.id))).scalars():
        if postcode in group.postcodes:
            return group
    return None


async def coordinators_for(session: AsyncSession, *, group_id: int | None) -> list[Coordinator]:
    """The group's coordinators, and the national admins (who see every group)."""
    query = select(Coordinator).where((Coordinator.group_id == group_id) | Coordinator.is_admin)
    found = {c.telegram_user_id: c for c in (await session.execute(query)).scalars()}
    return list(found.values())


async def find_invite(session: AsyncSession, *, token: str) -> Invite | None:
    return (
        await session.execute(select(Invite).where(Invite.token == token).with_for_update())
    ).scalar_one_or_none()


async def volunteers_for_matching(session: AsyncSession) -> list[Volunteer]:
    return list((await session.execute(select(Volunteer).where(Volunteer.active))).scalars())


async def loads_since(session: AsyncSession, *, since: datetime) -> dict[int, int]:
    """How many new women each Bydelsmor took since `since` (the start of this month)."""
    query = (
        select(Match.volunteer_id, func.count(Match.id))
        .where(Match.started_at >= since)
        .group_by(Match.volunteer_id)
    )
    return {int(volunteer_id): int(count) for volunteer_id, count in (await session.execute(query)).all()}


async def offered_volunteers(session: AsyncSession, *, request_id: int) -> set[int]:
    query = select(Offer.volunteer_id).where(Offer.request_id == request_id)
    return set((await session.execute(query)).scalars())


async def pending_offer(session: AsyncSession, *, request_id: int) -> Offer | None:
    query = select(Offer).where(Offer.request_id == request_id, Offer.status == "pending")
    return (await session.execute(query)).scalars().first()


async def due_offers(session: AsyncSession, *, now: datetime) -> list[Offer]:
    query = (
        select(Offer)
        .where(Offer.status == "pending", Offer.due_at <= now)
        .order_by(Offer.id)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(query)).scalars())


async def requests_without_offer(session: AsyncSession) -> list[HelpRequest]:
    """Waiting requests with no open offer: to be tried again (a Bydelsmor may have become free)."""
    open_offer = (
        select(Offer.id).where(Offer.request_id == HelpRequest.id, Offer.status == "pending").exists()
    )
    query = (
        select(HelpRequest)
        .join(Person, Person.id == HelpRequest.person_id)
        .where(HelpRequest.status == "waiting", ~open_offer, Person.blocked_at.is_(None))
        .order_by(HelpRequest.submitted_at)
        .with_for_update(skip_locked=True, of=HelpRequest)
    )
    return list((await session.execute(query)).scalars())


async def active_matches_for_person(session: AsyncSession, *, person_id: int) -> list[Match]:
    query = select(Match).where(Match.person_id == person_id, Match.status == "active").order_by(Match.id)
    return list((await session.execute(query)).scalars())


@dataclass(frozen=True, slots=True)
class Conversation:
    """What relaying a woman's message needs, read in one statement."""

    match: Match  # her newest active match
    volunteer: Volunteer | None  # its Bydelsmor
    load: int  # how many women that Bydelsmor talks with now
    spoken_language: str | None  # the language she asked to be helped in (for the danger check)


# Built once: it runs for every message a woman sends her Bydelsmor.
_HER_CONVERSATION = (
    select(
        Match,
        Volunteer,
        select(func.count(Match.id))
        .where(Match.volunteer_id == Volunteer.id, Match.status == "active")
        .scalar_subquery()
        .correlate(Volunteer),
        HelpRequest.spoken_language,
    )
    .outerjoin(Volunteer, Volunteer.id == Match.volunteer_id)
    .outerjoin(HelpRequest, HelpRequest.id == Match.request_id)
    .where(Match.person_id == bindparam("person"), Match.status == "active")
    .order_by(Match.id.desc())
    .limit(1)
)


async def her_conversation(session: AsyncSession, *, person_id: int) -> Conversation | None:
    """Her newest active match with its Bydelsmor, her load and the request's language; None if unmatched."""
    found = (await session.execute(_HER_CONVERSATION, {"person": person_id})).one_or_none()
    if found is None:
        return None
    match, volunteer, load, spoken_language = found
    return Conversation(match, volunteer, int(load or 0), spoken_language)


async def active_matches_for_volunteer(
    session: AsyncSession, *, volunteer_id: int, lock: bool = False
) -> list[Match]:
    """Her active matches, oldest first. `lock`: until this transaction ends, another that asks the same
    waits (PostgreSQL), so two women's messages to her are written one after the other, each label with
    its message, never "From A", "From C", A's words, C's words."""
    query = (
        select(Match).where(Match.volunteer_id == volunteer_id, Match.status == "active").order_by(Match.id)
    )
    if lock:
        query = query.with_for_update()  # in id order in every transaction: no deadlock between two
    return list((await session.execute(query)).scalars())


async def log_entry_for_copy(
    session: AsyncSession, *, match_ids: list[int], copy_message_id: int
) -> MessageLog | None:
    """The relayed message a Bydelsmor answered with Telegram's "Reply"."""
    query = select(MessageLog).where(
        MessageLog.match_id.in_(match_ids), MessageLog.copy_message_id == copy_message_id
    )
    return (await session.execute(query)).scalars().first()


async def log_entry_for_source(
    session: AsyncSession, *, match_id: int, source_message_id: int
) -> MessageLog | None:
    query = select(MessageLog).where(
        MessageLog.match_id == match_id, MessageLog.source_message_id == source_message_id
    )
    return (await session.execute(query)).scalars().first()


async def last_woman_entry(session: AsyncSession, *, match_ids: list[int]) -> MessageLog | None:
    query = (
        select(MessageLog)
        .where(MessageLog.match_id.in_(match_ids), MessageLog.sender == "woman")
        .order_by(MessageLog.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def add_alert(
    session: AsyncSession,
    *,
    group_id: int | None,
    kind: str,
    request_id: int | None,
    match_id: int | None,
    now: datetime,
    danger_kind: str | None = None,
    danger_language: str | None = None,
) -> Alert:
    alert = Alert(
        group_id=group_id,
        kind=kind,
        request_id=request_id,
        match_id=match_id,
        created_at=now,
        danger_kind=danger_kind,
        danger_language=danger_language,
    )
    session.add(alert)
    await session.flush()
    return alert


async def danger_alerted_since(
    session: AsyncSession,
    *,
    request_id: int | None,
    match_id: int | None,
    danger_kinds: tuple[str, ...],
    since: datetime,
) -> bool:
    """Whether these talks (the match, else the request) had a danger alert of one of these kinds since."""
    if match_id is None and request_id is None:
        return False
    about = Alert.match_id == match_id if match_id is not None else Alert.request_id == request_id
    found = await session.execute(
        select(Alert.id).where(about, Alert.danger_kind.in_(danger_kinds), Alert.created_at >= since).limit(1)
    )
    return found.first() is not None


async def prune_logs(session: AsyncSession, *, ended_before: datetime) -> int:
    """Delete what is kept about talks that ended long enough ago (LOG_RETENTION): the log, the match, the
    closed request and, when nothing else is left of her, the woman's row.

    The period counts from the end of each match. A closed request goes only once none of its matches is
    left: deleting it would take its matches and their logs with it (ON DELETE CASCADE), and its own
    `updated_at` is the day she asked, not the day the talks ended.
    """
    ended = select(Match.id).where(Match.status == "ended", Match.ended_at < ended_before)
    result = await session.execute(delete(MessageLog).where(MessageLog.match_id.in_(ended)))
    await session.execute(delete(Alert).where(Alert.match_id.in_(ended)))
    matches = await session.execute(
        delete(Match).where(Match.status == "ended", Match.ended_at < ended_before)
    )
    has_match = select(Match.id).where(Match.request_id == HelpRequest.id).exists()
    closed = select(HelpRequest.id).where(
        HelpRequest.status == "closed", HelpRequest.updated_at < ended_before, ~has_match
    )
    await session.execute(delete(Offer).where(Offer.request_id.in_(closed)))
    await session.execute(delete(HelpRequest).where(HelpRequest.id.in_(closed)))
    has_request = select(HelpRequest.id).where(HelpRequest.person_id == Person.id).exists()
    await session.execute(
        delete(Person).where(Person.consent == "given", Person.updated_at < ended_before, ~has_request)
    )
    if getattr(matches, "rowcount", 0):
        scrub_after_commit(session)  # what was deleted must not stay readable in SQLite's -wal file
    return int(getattr(result, "rowcount", 0) or 0)


async def pending_offers_by_volunteer(session: AsyncSession) -> dict[int, int]:
    """Open offers count as load: a Bydelsmor asked about three women at once has no room for a fourth."""
    query = (
        select(Offer.volunteer_id, func.count(Offer.id))
        .where(Offer.status == "pending")
        .group_by(Offer.volunteer_id)
    )
    return {int(volunteer_id): int(count) for volunteer_id, count in (await session.execute(query)).all()}


async def recently_offered(session: AsyncSession, *, request_id: int, since: datetime) -> set[int]:
    """Who was asked about this request lately: "not this time" lasts a day, then she may be asked again."""
    query = select(Offer.volunteer_id).where(
        Offer.request_id == request_id,
        Offer.offered_at >= since,
        Offer.status.in_(("pending", "declined", "expired")),  # a withdrawn offer was not her "no"
    )
    return set((await session.execute(query)).scalars())


async def pending_offers_for(
    session: AsyncSession, *, request_id: int | None = None, volunteer_id: int | None = None
) -> list[Offer]:
    query = select(Offer).where(Offer.status == "pending").with_for_update()
    if request_id is not None:
        query = query.where(Offer.request_id == request_id)
    if volunteer_id is not None:
        query = query.where(Offer.volunteer_id == volunteer_id)
    return list((await session.execute(query)).scalars())


async def coordinator_groups(session: AsyncSession, *, telegram_user_id: int) -> list[Group]:
    """The groups she coordinates; every group for a national admin."""
    rows = list(
        (
            await session.execute(select(Coordinator).where(Coordinator.telegram_user_id == telegram_user_id))
        ).scalars()
    )
    if any(row.is_admin for row in rows):
        return list((await session.execute(select(Group).order_by(Group.id))).scalars())
    ids = [row.group_id for row in rows if row.group_id is not None]
    if not ids:
        return []
    return list((await session.execute(select(Group).where(Group.id.in_(ids)).order_by(Group.id))).scalars())
