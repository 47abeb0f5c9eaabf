"""What the handlers may use: the use cases, wired once at start. Time comes from `clock`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot import outbox
from bot.checkins.service import Checkins
from bot.config import Settings
from bot.course.service import Course
from bot.danger import DangerDesk
from bot.dashboard.access import DashboardAccess
from bot.dashboard.service import Dashboard
from bot.domain.checkins import parse_durations, parse_quiet_hours
from bot.domain.geo import PostcodeDirectory
from bot.group.announcements import Announcements
from bot.group.service import CoordinatorQuestions
from bot.groups import GroupAdmin
from bot.inbox import Inbox
from bot.language_guess import LinguaGuesser
from bot.matching.screens import Helplines
from bot.matching.service import Matchmaker
from bot.metrics import Metrics
from bot.onboarding.service import Onboarding
from bot.pacing import SendPacer
from bot.relay.service import Relay
from bot.routing import Whereabouts
from bot.translations.service import TranslationReview
from bot.voice.recordings import Recordings
from bot.volunteers.service import Volunteers
from storage import matching as match_store
from storage import people
from storage.crypto import FieldCipher
from storage.db import Database, create_engine

__all__ = ["Services", "build_services", "utc_now"]

log = logging.getLogger(__name__)

# A woman who opened the bot but never answered the consent question is forgotten after this.
ABANDONED_AFTER = timedelta(days=30)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Database
    onboarding: Onboarding
    translations: TranslationReview
    matchmaker: Matchmaker
    relay: Relay
    volunteers: Volunteers
    groups: GroupAdmin
    checkins: Checkins
    dashboard: Dashboard
    dashboard_access: DashboardAccess
    inbox: Inbox
    whereabouts: Whereabouts
    recordings: Recordings
    course: Course
    questions: CoordinatorQuestions
    announcements: Announcements
    clock: Callable[[], datetime] = utc_now
    # Set when a transaction that wrote to the outbox commits: wakes the outbox sender (and only then).
    outbox_wake: asyncio.Event = field(default_factory=asyncio.Event)
    # Telegram's sending limits, shared by the outbox sender and the inline replies (bot.pacing).
    pacer: SendPacer = field(default_factory=SendPacer)
    # What /metrics shows (bot.metrics); the inbox and the outbox sender count into it.
    metrics: Metrics = field(default_factory=Metrics)

    def __post_init__(self) -> None:
        self.db.on_commit(outbox.OUTBOX_WRITTEN, self.outbox_wake.set)

    async def tick(self) -> bool:
        """The periodic work: offers that timed out, requests to try again, housekeeping.

        True when approved translations changed, so the caller can update the bot's profile texts.
        """
        now = self.clock()
        try:
            await self.checkins.run_due(now)
        except Exception as error:  # one failing step must not stop offers, retries and housekeeping
            log.exception("check-ins failed in this tick")
            self.metrics.error(type(error).__name__)
        try:
            if self.settings.course:
                await self.course.run_due(now)
        except Exception as error:  # nor may the course's offers and tips
            log.exception("the course failed in this tick")
            self.metrics.error(type(error).__name__)
        async with self.db.transaction() as session:
            await self.matchmaker.expire_offers(session, now)
        async with self.db.transaction() as session:
            await self.matchmaker.retry_waiting(session, now)
        async with self.db.transaction() as session:
            await self.inbox.prune(session, now=now)
            await people.prune_abandoned(
                session,
                pending_before=now - ABANDONED_AFTER,
                refused_before=now - timedelta(days=self.settings.consent_retention_days),
            )
            await match_store.prune_logs(session, ended_before=now - self.settings.log_retention_delta)
            await outbox.recover_stale(session, now=now)
            await outbox.prune(session, now=now)
            await self.dashboard_access.prune(session, now=now)
        self.outbox_wake.set()
        # Texts a coordinator approved (perhaps in another process) come into force here.
        return await self.translations.reload_overrides()


def build_services(
    settings: Settings, *, database_url: str | None = None, clock: Callable[[], datetime] = utc_now
) -> Services:
    engine = create_engine(database_url or settings.resolved_database_url())
    db = Database(engine, FieldCipher(settings.resolved_data_key()))
    postcodes = PostcodeDirectory.bundled()
    matchmaker = Matchmaker(
        postcodes=postcodes,
        offer_timeout=settings.offer_timeout_delta,
        timezone=settings.tz,
        helplines=Helplines(
            emergency=settings.emergency_number,
            violence=settings.violence_helpline,
            suicide=settings.suicide_helpline,
        ),
    )
    metrics = Metrics()
    guesser = LinguaGuesser()
    danger = DangerDesk(matchmaker=matchmaker, guesser=guesser)
    onboarding = Onboarding(
        db=db,
        postcodes=postcodes,
        # The consent text promises what the tick does: logs go LOG_RETENTION after the talks end.
        retention_days=max(1, settings.log_retention_delta.days),
        guesser=guesser,
        timezone=settings.tz,
        matchmaker=matchmaker,
        danger=danger,
    )
    checkins = Checkins(
        db=db,
        matchmaker=matchmaker,
        woman_after=parse_durations(settings.checkin_after),
        bydelsmor_after=parse_durations(settings.bydelsmor_checkin_after),
        quiet=parse_quiet_hours(settings.quiet_hours, settings.tz),
        timezone=settings.tz,
        helplines=matchmaker.helplines,
        danger=danger,
    )
    matchmaker.on_match_started = checkins.match_started
    groups = GroupAdmin(db=db, postcodes=postcodes)
    dashboard = Dashboard(
        db=db,
        matchmaker=matchmaker,
        checkins=checkins,
        onboarding=onboarding,
        groups=groups,
        postcodes=postcodes,
    )
    return Services(
        settings=settings,
        db=db,
        onboarding=onboarding,
        translations=TranslationReview(db=db),
        matchmaker=matchmaker,
        relay=Relay(db=db, matchmaker=matchmaker, danger=danger, checkins=checkins),
        checkins=checkins,
        volunteers=Volunteers(db=db, postcodes=postcodes, matchmaker=matchmaker, timezone=settings.tz),
        groups=groups,
        dashboard=dashboard,
        dashboard_access=DashboardAccess(db=db, base_url=settings.dashboard_base_url),
        inbox=Inbox(db=db, clock=clock, metrics=metrics),
        whereabouts=Whereabouts(db=db),
        recordings=Recordings(db=db, onboarding=onboarding),
        course=Course(db=db, timezone=settings.tz, quiet=checkins.quiet),
        questions=CoordinatorQuestions(db=db),
        announcements=Announcements(db=db, timezone=settings.tz),
        clock=clock,
        metrics=metrics,
    )
