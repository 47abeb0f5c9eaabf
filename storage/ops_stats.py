"""The numbers a person looking after the server watches: a few aggregate queries, run when /metrics is read.

Counts and ages only: no row's id, Telegram id or text leaves here. Each query is one aggregate over an
indexed status column, so a scrape costs a handful of index scans whatever the size of the tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Checkin, HelpRequest, InboxUpdate, Match, Offer, OutboxMessage, Person, Volunteer

__all__ = ["CHECKIN_OVERDUE_AFTER", "OpsSnapshot", "ping", "snapshot"]

# A due check-in may wait through the quiet hours (at most 13 h by default); a day late means the tick is
# not sending them.
CHECKIN_OVERDUE_AFTER = timedelta(hours=24)

# The statuses, as stored (bot.outbox.OutboxStatus, bot.domain.*); storage does not import the use cases.
_OUTBOX_WAITING = ("pending", "sending")
_CHECKIN_SCHEDULED = "scheduled"
_REQUEST_WAITING = "waiting"
_OFFER_OPEN = "pending"
_MATCH_ACTIVE = "active"
_INBOX_PENDING = "pending"
_INBOX_PARKED = "parked"


@dataclass(frozen=True, slots=True)
class OpsSnapshot:
    outbox_pending: int
    outbox_oldest_pending_age: float  # seconds; 0 when nothing waits
    inbox_pending: int
    inbox_parked: int
    checkins_due: int
    checkins_overdue: int
    women_waiting: int
    longest_wait: float  # seconds; 0 when nobody waits
    offers_open: int
    matches_active: int
    blocked_women: int
    blocked_bydelsmoedre: int


def _age(now: datetime, since: datetime | None) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0


async def snapshot(session: AsyncSession, *, now: datetime) -> OpsSnapshot:
    outbox_count, outbox_oldest = (
        await session.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(
                OutboxMessage.status.in_(_OUTBOX_WAITING)
            )
        )
    ).one()
    inbox_pending = await session.scalar(
        select(func.count()).select_from(InboxUpdate).where(InboxUpdate.status == _INBOX_PENDING)
    )
    inbox_parked = await session.scalar(
        select(func.count()).select_from(InboxUpdate).where(InboxUpdate.status == _INBOX_PARKED)
    )
    checkins_due = await session.scalar(
        select(func.count())
        .select_from(Checkin)
        .where(Checkin.status == _CHECKIN_SCHEDULED, Checkin.due_at <= now)
    )
    checkins_overdue = await session.scalar(
        select(func.count())
        .select_from(Checkin)
        .where(Checkin.status == _CHECKIN_SCHEDULED, Checkin.due_at <= now - CHECKIN_OVERDUE_AFTER)
    )
    waiting_count, waiting_since = (
        await session.execute(
            select(
                func.count(), func.min(func.coalesce(HelpRequest.submitted_at, HelpRequest.created_at))
            ).where(HelpRequest.status == _REQUEST_WAITING)
        )
    ).one()
    offers_open = await session.scalar(
        select(func.count()).select_from(Offer).where(Offer.status == _OFFER_OPEN)
    )
    matches_active = await session.scalar(
        select(func.count()).select_from(Match).where(Match.status == _MATCH_ACTIVE)
    )
    blocked_women = await session.scalar(
        select(func.count()).select_from(Person).where(Person.blocked_at.is_not(None))
    )
    blocked_bydelsmoedre = await session.scalar(
        select(func.count()).select_from(Volunteer).where(Volunteer.blocked_at.is_not(None))
    )
    return OpsSnapshot(
        outbox_pending=int(outbox_count or 0),
        outbox_oldest_pending_age=_age(now, _aware(outbox_oldest)),
        inbox_pending=int(inbox_pending or 0),
        inbox_parked=int(inbox_parked or 0),
        checkins_due=int(checkins_due or 0),
        checkins_overdue=int(checkins_overdue or 0),
        women_waiting=int(waiting_count or 0),
        longest_wait=_age(now, _aware(waiting_since)),
        offers_open=int(offers_open or 0),
        matches_active=int(matches_active or 0),
        blocked_women=int(blocked_women or 0),
        blocked_bydelsmoedre=int(blocked_bydelsmoedre or 0),
    )


def _aware(value: datetime | None) -> datetime | None:
    """min() keeps the column's type (UtcDateTime), so this is aware already; a naive one is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


async def ping(session: AsyncSession) -> None:
    """Raises when the database does not answer."""
    await session.execute(select(1))
