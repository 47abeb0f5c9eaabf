"""The dashboard's use cases: what each page shows and what each form changes, within the viewer's groups.

Every method takes the `Viewer` and `now`. Whatever names a woman, match, Bydelsmor, alert or group the viewer
does not see answers None, which the web layer turns into 404 (the same as an id that does not exist, so ids
tell nothing); the refusal itself is audited ("denied", rate-limited). Every look at a conversation log or a
woman's own words, and every change, writes an audit row in the same transaction.

A match across groups (a woman of group A with group B's Bydelsmor) is seen by both groups' coordinators,
with its log and its alerts; the changes that concern the woman (ending, passing her on, erasing) stay
with her own group.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.checkins.service import Checkins
from bot.dashboard.access import Action, Viewer, audit, audit_denied
from bot.dashboard.outcomes import Outcomes, outcomes, outcomes_csv
from bot.dashboard.views import (
    AlertRow,
    AuditRow,
    CandidateRow,
    CheckinRow,
    LogEntry,
    MatchDetail,
    MatchRow,
    Media,
    Note,
    OfferRow,
    Overview,
    Page,
    ParkedRow,
    RequestDetail,
    VolunteerRow,
    WaitingRow,
)
from bot.domain.geo import PostcodeDirectory
from bot.domain.onboarding import RequestStatus
from bot.funders import FundersReport, Period, funders_report
from bot.groups import GroupAdmin, InviteLink
from bot.i18n import get_locale, texts
from bot.matching import screens as match_screens
from bot.matching.service import Matchmaker, request_again
from bot.onboarding.service import Onboarding
from bot.outbox import enqueue_reply
from bot.voice.recordings import Recordings
from bot.volunteers import screens as views
from storage import inbox as inbox_store
from storage import matching as store
from storage.crypto import InvalidToken
from storage.db import Database
from storage.models import (
    Alert,
    AuditEntry,
    Checkin,
    CourseProgress,
    Group,
    HelpRequest,
    Match,
    MessageLog,
    Offer,
    Person,
    Volunteer,
)

__all__ = ["Dashboard", "Done"]

AUDIT_PAGE = 100
PARKED_SHOWN = 200  # parked updates listed; more would mean something is broken everywhere
RECENTLY_ENDED = 50  # ended matches listed under the active ones
VERDICTS = ("false_alarm", "right")  # a coordinator's judgement of a danger alert


@dataclass(frozen=True, slots=True)
class Done:
    """What a form did, for the note on the next page: a code the page translates, and an optional id."""

    code: str  # e.g. "offer_sent", "no_longer_waiting"
    request_id: int | None = None


class Dashboard:
    def __init__(
        self,
        *,
        db: Database,
        matchmaker: Matchmaker,
        checkins: Checkins,
        onboarding: Onboarding,
        groups: GroupAdmin,
        postcodes: PostcodeDirectory,
    ) -> None:
        self._db = db
        self._matchmaker = matchmaker
        self._checkins = checkins
        self._onboarding = onboarding
        self._groups = groups
        self._postcodes = postcodes
        # One change at a time in this process. On PostgreSQL the row locks also keep two processes apart;
        # on SQLite (one process per file) FOR UPDATE does nothing, and a double click must not reassign a
        # woman twice or leave two open offers.
        self._changing = asyncio.Lock()

    # --- helpers -----------------------------------------------------------------------------------------

    def _place(self, postcode: str | None) -> str | None:
        found = self._postcodes.get(postcode) if postcode else None
        return f"{found.code} {found.place}" if found else None

    async def _group_names(self, session: AsyncSession) -> dict[int, str]:
        """Read once per transaction (the overview's four lists all need them)."""
        if "group_names" not in session.info:
            rows = await session.execute(select(Group.id, Group.name))
            session.info["group_names"] = {int(i): str(name) for i, name in rows.all()}
        names: dict[int, str] = session.info["group_names"]
        return names

    def _offer_row(self, offer: Offer, names: dict[int, str]) -> OfferRow:
        return OfferRow(
            offer_id=offer.id,
            request_id=offer.request_id,
            volunteer_id=offer.volunteer_id,
            volunteer_name=names.get(offer.volunteer_id, "?"),
            status=offer.status,
            offered_at=offer.offered_at,
            due_at=offer.due_at,
            answered_at=offer.answered_at,
            by_coordinator=any(reason[:1] == ["chosen_by_coordinator"] for reason in offer.reasons),
        )

    async def _volunteer_names(self, session: AsyncSession) -> dict[int, str]:
        """Read once per transaction, like the group names."""
        if "volunteer_names" not in session.info:
            rows = await session.execute(select(Volunteer.id, Volunteer.display_name))
            session.info["volunteer_names"] = {int(i): str(name) for i, name in rows.all()}
        names: dict[int, str] = session.info["volunteer_names"]
        return names

    def _waiting_row(
        self, request: HelpRequest, groups: dict[int, str], offer: OfferRow | None
    ) -> WaitingRow:
        return WaitingRow(
            request_id=request.id,
            group=groups.get(request.group_id) if request.group_id else None,
            language=request.spoken_language,
            place=self._place(request.postcode),
            topics=tuple(request.topics or ()),
            waiting_since=request.submitted_at or request.created_at,
            stalled=request.stalled_at is not None,
            offer=offer,
        )

    async def _waiting(self, session: AsyncSession, viewer: Viewer) -> list[WaitingRow]:
        groups = await self._group_names(session)
        names = await self._volunteer_names(session)
        requests = [
            r
            for r in (
                await session.execute(
                    select(HelpRequest)
                    .where(HelpRequest.status == RequestStatus.WAITING, _mine(HelpRequest.group_id, viewer))
                    .order_by(HelpRequest.submitted_at, HelpRequest.id)
                )
            ).scalars()
            if viewer.sees(r.group_id)
        ]
        pending = {
            o.request_id: self._offer_row(o, names)
            for o in (await session.execute(select(Offer).where(Offer.status == "pending"))).scalars()
        }
        return [self._waiting_row(r, groups, pending.get(r.id)) for r in requests]

    async def _match_rows(self, session: AsyncSession, viewer: Viewer, *, active: bool) -> list[MatchRow]:
        groups = await self._group_names(session)
        names = await self._volunteer_names(session)
        query = (
            select(Match, HelpRequest, Volunteer.group_id)
            .join(HelpRequest, HelpRequest.id == Match.request_id)
            .outerjoin(Volunteer, Volunteer.id == Match.volunteer_id)
            .where(or_(_mine(HelpRequest.group_id, viewer), _mine(Volunteer.group_id, viewer)))
        )
        if active:
            query = query.where(Match.status == "active").order_by(Match.started_at)
        else:
            query = (
                query.where(Match.status != "active").order_by(Match.ended_at.desc()).limit(RECENTLY_ENDED)
            )
        pairs = [
            (m, r)
            for m, r, volunteer_group in (await session.execute(query)).all()
            if viewer.sees(r.group_id) or viewer.sees(volunteer_group)
        ]
        ids = [m.id for m, _ in pairs]
        counts: dict[int, tuple[int, datetime | None]] = {}
        if ids:
            stats = await session.execute(
                select(MessageLog.match_id, func.count(MessageLog.id), func.max(MessageLog.created_at))
                .where(MessageLog.match_id.in_(ids))
                .group_by(MessageLog.match_id)
            )
            for match_id, count, last in stats.all():
                counts[int(match_id)] = (int(count), _aware(last))
        return [self._match_row(m, r, groups, names, counts.get(m.id, (0, None))) for m, r in pairs]

    @staticmethod
    def _match_row(
        match: Match,
        request: HelpRequest,
        groups: dict[int, str],
        names: dict[int, str],
        stats: tuple[int, datetime | None],
    ) -> MatchRow:
        return MatchRow(
            match_id=match.id,
            label=match.label,
            request_id=match.request_id,
            volunteer_id=match.volunteer_id,
            volunteer_name=names.get(match.volunteer_id, "?"),
            language=request.spoken_language,
            group=groups.get(request.group_id) if request.group_id else None,
            status=match.status,
            started_at=match.started_at,
            ended_at=match.ended_at,
            ended_by=match.ended_by,
            messages=stats[0],
            last_message_at=stats[1],
        )

    async def _visible_match(
        self,
        session: AsyncSession,
        viewer: Viewer,
        match_id: int,
        now: datetime,
        *,
        lock: bool = False,
        change: bool = False,
    ) -> tuple[Match, HelpRequest] | None:
        """The match and her request, if the viewer sees the woman's group or (to look, not to change)
        the Bydelsmor's group."""
        match = await session.get(Match, match_id, with_for_update=lock)
        request = await session.get(HelpRequest, match.request_id) if match else None
        if match is None or request is None:
            return None
        if viewer.sees(request.group_id):
            return match, request
        if not change and viewer.sees(await self._volunteer_group(session, match.volunteer_id)):
            return match, request
        await audit_denied(session, viewer, now=now, group_id=request.group_id, subject=f"match:{match.id}")
        return None

    @staticmethod
    async def _volunteer_group(session: AsyncSession, volunteer_id: int) -> int | None:
        query = select(Volunteer.group_id).where(Volunteer.id == volunteer_id)
        return (await session.execute(query)).scalar_one_or_none()

    async def _visible_request(
        self, session: AsyncSession, viewer: Viewer, request_id: int, now: datetime, *, lock: bool = False
    ) -> HelpRequest | None:
        request = await session.get(HelpRequest, request_id, with_for_update=lock)
        if request is None:
            return None
        if not viewer.sees(request.group_id):
            subject = f"request:{request.id}"
            await audit_denied(session, viewer, now=now, group_id=request.group_id, subject=subject)
            return None
        return request

    async def _visible_volunteer(
        self, session: AsyncSession, viewer: Viewer, volunteer_id: int, now: datetime
    ) -> Volunteer | None:
        volunteer = await session.get(Volunteer, volunteer_id, with_for_update=True)
        if volunteer is None:
            return None
        if not viewer.sees(volunteer.group_id):
            subject = f"volunteer:{volunteer.id}"
            await audit_denied(session, viewer, now=now, group_id=volunteer.group_id, subject=subject)
            return None
        return volunteer

    async def _sees_alert(self, session: AsyncSession, viewer: Viewer, alert: Alert) -> bool:
        """Her group's alerts, and those about a match of one of her Bydelsmødre (in another group)."""
        if viewer.sees(alert.group_id):
            return True
        match = await session.get(Match, alert.match_id) if alert.match_id else None
        return match is not None and viewer.sees(await self._volunteer_group(session, match.volunteer_id))

    # --- pages ---------------------------------------------------------------------------------------------

    async def overview(self, viewer: Viewer, now: datetime) -> Overview:
        async with self._db.transaction() as session:
            waiting = await self._waiting(session, viewer)
            active = await self._match_rows(session, viewer, active=True)
            volunteers = await self._volunteers(session, viewer, now)
            alerts = await self._alerts(session, viewer)
        today = self._matchmaker.today(now)
        return Overview(
            waiting=waiting,
            open_offers=[row.offer for row in waiting if row.offer is not None],
            active_matches=active,
            at_capacity=[v for v in volunteers if v.active and not v.joining and v.at_capacity],
            paused=[v for v in volunteers if v.paused_until is not None and v.paused_until >= today],
            alerts=alerts,
        )

    async def waiting(self, viewer: Viewer) -> list[WaitingRow]:
        async with self._db.transaction() as session:
            return await self._waiting(session, viewer)

    async def matches(self, viewer: Viewer) -> tuple[list[MatchRow], list[MatchRow]]:
        """The active matches, and the most recently ended ones."""
        async with self._db.transaction() as session:
            return (
                await self._match_rows(session, viewer, active=True),
                await self._match_rows(session, viewer, active=False),
            )

    async def _alerts(self, session: AsyncSession, viewer: Viewer) -> list[AlertRow]:
        groups = await self._group_names(session)
        her_bydelsmoedres_matches = (
            select(Match.id)
            .join(Volunteer, Volunteer.id == Match.volunteer_id)
            .where(_mine(Volunteer.group_id, viewer))
        )
        query = (
            select(Alert)
            .where(
                Alert.resolved_at.is_(None),
                or_(_mine(Alert.group_id, viewer), Alert.match_id.in_(her_bydelsmoedres_matches)),
            )
            .order_by(Alert.created_at.desc())
        )
        alerts = [
            a for a in (await session.execute(query)).scalars() if await self._sees_alert(session, viewer, a)
        ]
        labels: dict[int, str] = {}
        match_ids = [a.match_id for a in alerts if a.match_id]
        if match_ids:
            rows = await session.execute(select(Match.id, Match.label).where(Match.id.in_(match_ids)))
            labels = {int(i): str(label) for i, label in rows.all()}
        rows_out = []
        for alert in alerts:
            if alert.match_id and alert.match_id in labels:
                reference = labels[alert.match_id]
            elif alert.request_id:
                request = await session.get(HelpRequest, alert.request_id)
                reference = f"#{alert.request_id}"
                if request is not None and (place := self._place(request.postcode)):
                    reference = f"#{alert.request_id} {place}"
            else:
                reference = ""
            rows_out.append(
                AlertRow(
                    alert_id=alert.id,
                    kind=alert.kind,
                    group=groups.get(alert.group_id) if alert.group_id else None,
                    created_at=alert.created_at,
                    request_id=alert.request_id,
                    match_id=alert.match_id,
                    reference=reference,
                    danger_kind=alert.danger_kind,
                    danger_language=alert.danger_language,
                    verdict=alert.verdict,
                )
            )
        return rows_out

    async def request_detail(self, viewer: Viewer, request_id: int, now: datetime) -> RequestDetail | None:
        """A woman's request with the ranked candidates; reading her own words is audited."""
        async with self._db.transaction() as session:
            request = await self._visible_request(session, viewer, request_id, now)
            if request is None:
                return None
            woman = await session.get(Person, request.person_id)
            groups = await self._group_names(session)
            names = await self._volunteer_names(session)
            offers = [
                self._offer_row(o, names)
                for o in (
                    await session.execute(
                        select(Offer).where(Offer.request_id == request.id).order_by(Offer.offered_at)
                    )
                ).scalars()
            ]
            pending = next((o for o in offers if o.status == "pending"), None)
            ranked: list[CandidateRow] = []
            excluded: list[CandidateRow] = []
            not_speaking = 0
            elsewhere = 0
            if request.status == RequestStatus.WAITING and woman is not None:
                ranking, volunteers = await self._matchmaker.ranking_for(session, request, woman, now)
                for entry in ranking.ranked:
                    v = volunteers[entry.volunteer_id]
                    if not viewer.sees(v.group_id):  # another group's Bydelsmødre: counted, not named
                        elsewhere += 1
                        continue
                    ranked.append(
                        CandidateRow(
                            v.id,
                            v.display_name,
                            groups.get(v.group_id) if v.group_id else None,
                            tuple((r.code, r.value) for r in entry.reasons),
                        )
                    )
                for volunteer_id, reason in ranking.excluded:
                    v = volunteers[volunteer_id]
                    if not viewer.sees(v.group_id):
                        continue
                    excluded.append(
                        CandidateRow(
                            v.id,
                            v.display_name,
                            groups.get(v.group_id) if v.group_id else None,
                            ((reason.code, reason.value),),
                        )
                    )
                not_speaking = ranking.not_speaking
            match = (
                await session.execute(select(Match.id).where(Match.request_id == request.id))
            ).scalar_one_or_none()
            notes = [
                Note(index, note.get("kind", "text"), note["value"] if note.get("kind") == "text" else None)
                for index, note in enumerate(self._onboarding.notes(request))
            ]
            await audit(
                session,
                viewer,
                Action.VIEW_REQUEST,
                now=now,
                group_id=request.group_id,
                subject=f"request:{request.id}",
            )
            return RequestDetail(
                row=self._waiting_row(request, groups, pending),
                status=request.status,
                notes=notes,
                ranked=ranked,
                excluded=excluded,
                not_speaking=not_speaking,
                elsewhere=elsewhere,
                offers=offers,
                match_id=match,
            )

    async def match_detail(self, viewer: Viewer, match_id: int, now: datetime) -> MatchDetail | None:
        """The conversation log in time order and the check-in answers; every view is audited."""
        async with self._db.transaction() as session:
            found = await self._visible_match(session, viewer, match_id, now)
            if found is None:
                return None
            match, request = found
            cipher = self._db.cipher
            entries = [
                LogEntry(
                    entry_id=e.id,
                    at=e.created_at,
                    sender=e.sender,
                    kind=e.kind,
                    text=cipher.decrypt(e.content_encrypted)
                    if e.kind == "text" and e.content_encrypted
                    else None,
                )
                for e in (
                    await session.execute(
                        select(MessageLog)
                        .where(MessageLog.match_id == match.id)
                        .order_by(MessageLog.created_at, MessageLog.id)
                    )
                ).scalars()
            ]
            checkins = [
                CheckinRow(
                    audience=c.audience,
                    kind=c.kind,
                    due_at=c.due_at,
                    status=c.status,
                    answered_at=c.answered_at,
                    answers=dict(c.answers or {}),
                    comment=cipher.decrypt(c.comment_encrypted)
                    if c.comment_encrypted and c.comment_kind == "text"
                    else None,
                    comment_kind=c.comment_kind,
                )
                for c in (
                    await session.execute(
                        select(Checkin)
                        .where(Checkin.match_id == match.id)
                        .order_by(Checkin.due_at, Checkin.id)
                    )
                ).scalars()
            ]
            groups = await self._group_names(session)
            names = await self._volunteer_names(session)
            last = entries[-1].at if entries else None
            await audit(
                session,
                viewer,
                Action.VIEW_LOG,
                now=now,
                group_id=request.group_id,
                subject=f"match:{match.id}",
            )
            return MatchDetail(
                row=self._match_row(match, request, groups, names, (len(entries), last)),
                place=self._place(request.postcode),
                topics=tuple(request.topics or ()),
                entries=entries,
                checkins=checkins,
                end_reason=match.end_reason,
                womans_group=viewer.sees(request.group_id),
            )

    async def log_media(self, viewer: Viewer, entry_id: int, now: datetime) -> Media | None:
        async with self._db.transaction() as session:
            entry = await session.get(MessageLog, entry_id)
            found = await self._visible_match(session, viewer, entry.match_id, now) if entry else None
            if entry is None or found is None or entry.kind == "text" or not entry.content_encrypted:
                return None
            await audit(
                session,
                viewer,
                Action.VIEW_MEDIA,
                now=now,
                group_id=found[1].group_id,
                subject=f"match:{entry.match_id}",
                detail=f"log:{entry.id}",
            )
            return Media(file_id=self._db.cipher.decrypt(entry.content_encrypted), kind=entry.kind)

    async def note_media(self, viewer: Viewer, request_id: int, index: int, now: datetime) -> Media | None:
        async with self._db.transaction() as session:
            request = await self._visible_request(session, viewer, request_id, now)
            if request is None:
                return None
            notes = self._onboarding.notes(request)
            if not 0 <= index < len(notes) or notes[index].get("kind") not in ("voice", "photo"):
                return None
            await audit(
                session,
                viewer,
                Action.VIEW_MEDIA,
                now=now,
                group_id=request.group_id,
                subject=f"request:{request.id}",
                detail=f"note:{index}",
            )
            return Media(file_id=notes[index]["value"], kind=notes[index]["kind"])

    async def _volunteers(self, session: AsyncSession, viewer: Viewer, now: datetime) -> list[VolunteerRow]:
        groups = await self._group_names(session)
        volunteers = [
            v
            for v in (
                await session.execute(
                    select(Volunteer)
                    .where(_mine(Volunteer.group_id, viewer))
                    .order_by(Volunteer.display_name)
                )
            ).scalars()
            if viewer.sees(v.group_id)
        ]
        loads = await store.loads_since(session, since=self._matchmaker.month_start(now))
        asked = await store.pending_offers_by_volunteer(session)
        # Her groups' Bydelsmødre only: a group coordinator's page must not scan the whole country's log.
        ids = [v.id for v in volunteers]
        active_counts = await _by_volunteer(
            session,
            select(Match.volunteer_id, func.count(Match.id))
            .where(Match.status == "active", Match.volunteer_id.in_(ids))
            .group_by(Match.volunteer_id),
        )
        last_message = await _by_volunteer(
            session,
            select(Match.volunteer_id, func.max(MessageLog.created_at))
            .join(MessageLog, MessageLog.match_id == Match.id)
            .where(MessageLog.sender == "bydelsmor", Match.volunteer_id.in_(ids))
            .group_by(Match.volunteer_id),
        )
        last_answer = await _by_volunteer(
            session,
            select(Offer.volunteer_id, func.max(Offer.answered_at))
            .where(Offer.status.in_(("accepted", "declined")), Offer.volunteer_id.in_(ids))
            .group_by(Offer.volunteer_id),
        )
        course = {
            volunteer_id: (done, status)
            for volunteer_id, done, status in await session.execute(
                select(CourseProgress.volunteer_id, CourseProgress.lessons_done, CourseProgress.status).where(
                    CourseProgress.volunteer_id.in_(ids)
                )
            )
        }
        return [
            VolunteerRow(
                volunteer_id=v.id,
                name=v.display_name,
                languages=tuple(v.spoken_languages or ()),
                place=self._place(v.postcode),
                group=groups.get(v.group_id) if v.group_id else None,
                group_id=v.group_id,
                load=loads.get(v.id, 0),
                capacity=v.capacity_per_month,
                paused_until=v.paused_until,
                active=v.active,
                joining=v.setup_step is not None and v.setup_step != "edit",
                blocked=v.blocked_at is not None,
                active_matches=int(active_counts.get(v.id) or 0),
                last_active_at=_latest(_aware(last_message.get(v.id)), _aware(last_answer.get(v.id))),
                asked=asked.get(v.id, 0),
                course_done=course.get(v.id, (0, None))[0],
                course_status=course.get(v.id, (0, None))[1],
            )
            for v in volunteers
        ]

    async def volunteers(self, viewer: Viewer, now: datetime) -> list[VolunteerRow]:
        async with self._db.transaction() as session:
            return await self._volunteers(session, viewer, now)

    async def audit_page(self, viewer: Viewer, page: int) -> Page | None:
        """The audit log, newest first: for national admins only."""
        if not viewer.is_admin:
            return None
        page = max(1, page)
        async with self._db.transaction() as session:
            groups = await self._group_names(session)
            rows = list(
                (
                    await session.execute(
                        select(AuditEntry)
                        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                        .offset((page - 1) * AUDIT_PAGE)
                        .limit(AUDIT_PAGE + 1)
                    )
                ).scalars()
            )
        return Page(
            rows=[
                AuditRow(
                    at=r.at,
                    name=r.name,
                    telegram_user_id=r.telegram_user_id,
                    action=r.action,
                    group=groups.get(r.group_id) if r.group_id else None,
                    subject=r.subject,
                    detail=r.detail,
                )
                for r in rows[:AUDIT_PAGE]
            ],
            number=page,
            has_next=len(rows) > AUDIT_PAGE,
        )

    async def parked_updates(self, viewer: Viewer) -> list[ParkedRow] | None:
        """Updates that failed three times (bot.inbox), newest first: for national admins only.

        What kind of update each was is read from its stored JSON; her words and her Telegram id are not
        shown (the admin needs to know that something failed, and why, not what she wrote)."""
        if not viewer.is_admin:
            return None
        async with self._db.transaction() as session:
            rows = await inbox_store.parked(session, limit=PARKED_SHOWN)
        return [
            ParkedRow(
                update_id=r.update_id,
                received_at=r.received_at,
                attempts=r.attempts,
                error=r.error or "",
                kind=self._update_kind(r.payload_encrypted),
            )
            for r in rows
        ]

    def _update_kind(self, payload: bytes | None) -> str:
        if payload is None:
            return ""
        try:
            update = json.loads(self._db.cipher.decrypt(payload))
        except (
            InvalidToken,
            ValueError,
        ):  # an old key, or not JSON: the kind is unknown, the row still shown
            return ""
        kinds = [k for k in update if k != "update_id"] if isinstance(update, dict) else []
        return str(kinds[0])[:32] if kinds else ""

    # --- changes -------------------------------------------------------------------------------------------

    async def retry_update(self, viewer: Viewer, update_id: int, now: datetime) -> Done | None:
        """Put a parked update back to be handled (after a fix, or when its cause has passed): admins only."""
        if not viewer.is_admin:
            return None
        async with self._db.transaction() as session:
            if not await inbox_store.try_again(session, update_id=update_id, now=now):
                return None
            await audit(session, viewer, Action.RETRY_UPDATE, now=now, subject=f"update:{update_id}")
        return Done("update_retried")

    async def send_offer(
        self, viewer: Viewer, request_id: int, volunteer_id: int, now: datetime
    ) -> Done | None:
        """Offer a waiting woman to the Bydelsmor the coordinator chose among the ranked candidates."""
        async with self._changing, self._db.transaction() as session:
            # Locks in the bot's order, offer before request (as a Bydelsmor's "Yes" takes them), so the two
            # cannot deadlock on PostgreSQL.
            await session.execute(
                select(Offer.id)
                .where(Offer.request_id == request_id, Offer.status == "pending")
                .with_for_update()
            )
            request = await self._visible_request(session, viewer, request_id, now, lock=True)
            woman = await session.get(Person, request.person_id) if request else None
            if request is None or woman is None:
                return None
            if request.status != RequestStatus.WAITING:
                return Done("no_longer_waiting", request.id)
            ranking, volunteers = await self._matchmaker.ranking_for(session, request, woman, now)
            chosen = next((r for r in ranking.ranked if r.volunteer_id == volunteer_id), None)
            if chosen is None or not viewer.sees(volunteers[volunteer_id].group_id):
                return Done("not_a_candidate", request.id)
            # The open offer (to someone else) is withdrawn first: one offer at a time, always.
            await self._matchmaker.withdraw_offers_for(session, request, now)
            reasons = [["chosen_by_coordinator", viewer.name], *([r.code, r.value] for r in chosen.reasons)]
            await self._matchmaker.offer_to(session, request, volunteers[volunteer_id], reasons, now)
            await audit(
                session,
                viewer,
                Action.SEND_OFFER,
                now=now,
                group_id=request.group_id,
                subject=f"request:{request.id}",
                detail=f"volunteer:{volunteer_id}",
            )
            return Done("offer_sent", request.id)

    async def end_match(self, viewer: Viewer, match_id: int, now: datetime, *, reassign: bool) -> Done | None:
        """End the talks (both are told); with reassign, the woman is offered to another Bydelsmor."""
        async with self._changing, self._db.transaction() as session:
            found = await self._visible_match(session, viewer, match_id, now, lock=True, change=True)
            if found is None:
                return None
            match, request = found
            if match.status != "active":
                return Done("already_ended")
            volunteer = await session.get(Volunteer, match.volunteer_id)
            woman = await session.get(Person, match.person_id)
            # Nobody can be offered to a woman who blocked the bot: that is a plain end.
            reassign = reassign and woman is not None and woman.blocked_at is None
            match.status, match.ended_at = "ended", now
            match.ended_by, match.end_reason = "coordinator", "reassigned" if reassign else "coordinator"
            await self._checkins.match_ended(session, match, now, ask_woman=not reassign)
            request.status = RequestStatus.CLOSED
            if volunteer is not None and volunteer.blocked_at is None:
                bm = texts(get_locale(volunteer.locale).code)
                await enqueue_reply(
                    session,
                    chat_id=volunteer.telegram_user_id,
                    reply=views.ended_by_coordinator(bm, match.label),
                    now=now,
                )
            await audit(
                session,
                viewer,
                Action.REASSIGN if reassign else Action.END_MATCH,
                now=now,
                group_id=request.group_id,
                subject=f"match:{match.id}",
            )
            if woman is None:
                return Done("match_ended")
            t = texts(get_locale(woman.locale).code)
            if not reassign:
                if woman.blocked_at is None:
                    await enqueue_reply(
                        session,
                        chat_id=woman.telegram_user_id,
                        reply=match_screens.ended_for_woman(t),
                        now=now,
                    )
                return Done("match_ended")
            again = request_again(request, without=match.volunteer_id, now=now)
            session.add(again)
            await session.flush()
            await enqueue_reply(
                session, chat_id=woman.telegram_user_id, reply=match_screens.reassigned(t), now=now
            )
            await self._matchmaker.find_bydelsmor(session, again, now, tell_woman=True)
            return Done("reassigned", again.id)

    async def can_see_request(self, viewer: Viewer, request_id: int, now: datetime) -> bool:
        async with self._db.transaction() as session:
            return await self._visible_request(session, viewer, request_id, now) is not None

    async def sees_group(self, viewer: Viewer, group_id: int, now: datetime) -> bool:
        """One of her groups (a poster, an invitation); another existing group's is a refusal, audited."""
        if group_id in viewer.group_ids:
            return True
        async with self._db.transaction() as session:
            if await session.get(Group, group_id) is not None:
                await audit_denied(session, viewer, now=now, group_id=group_id, subject=f"group:{group_id}")
        return False

    async def erase_woman(self, viewer: Viewer, request_id: int, now: datetime) -> Done | None:
        """She asked by phone: everything about her is erased, as /stop would. The audit keeps only ids."""
        async with self._changing, self._db.transaction() as session:
            request = await self._visible_request(session, viewer, request_id, now)
            woman = await session.get(Person, request.person_id, with_for_update=True) if request else None
            if request is None or woman is None:
                return None
            await audit(
                session,
                viewer,
                Action.ERASE,
                now=now,
                group_id=request.group_id,
                subject=f"request:{request.id}",
                detail=f"person:{woman.id}",
            )
            await self._onboarding.erase(session, woman, now)
            return Done("erased")

    async def pause(
        self, viewer: Viewer, volunteer_id: int, until: date | None, now: datetime
    ) -> Done | None:
        """Pause a Bydelsmor until a day (None ends the pause); she is told in her language."""
        async with self._changing, self._db.transaction() as session:
            volunteer = await self._visible_volunteer(session, viewer, volunteer_id, now)
            if volunteer is None:
                return None
            if until is not None and until < self._matchmaker.today(now):
                return Done("date_in_past")
            volunteer.paused_until = until
            t = texts(get_locale(volunteer.locale).code)
            reply = views.paused_by_coordinator(t, until) if until is not None else views.resumed(t)
            if volunteer.blocked_at is None:
                await enqueue_reply(session, chat_id=volunteer.telegram_user_id, reply=reply, now=now)
            if until is not None:
                await self._matchmaker.withdraw_offers_of(session, volunteer, now, tell=True)
            await audit(
                session,
                viewer,
                Action.PAUSE if until is not None else Action.RESUME,
                now=now,
                group_id=volunteer.group_id,
                subject=f"volunteer:{volunteer.id}",
                detail=until.isoformat() if until else "",
            )
            return Done("paused" if until is not None else "resumed")

    async def set_active(self, viewer: Viewer, volunteer_id: int, active: bool, now: datetime) -> Done | None:
        """Deactivate (no new women; her current talks go on) or reactivate a Bydelsmor; she is told."""
        async with self._changing, self._db.transaction() as session:
            volunteer = await self._visible_volunteer(session, viewer, volunteer_id, now)
            if volunteer is None:
                return None
            if volunteer.active == active:
                return Done("reactivated" if active else "deactivated")
            volunteer.active = active
            if volunteer.blocked_at is None:
                t = texts(get_locale(volunteer.locale).code)
                reply = views.reactivated(t) if active else views.deactivated(t)
                await enqueue_reply(session, chat_id=volunteer.telegram_user_id, reply=reply, now=now)
            if not active:
                await self._matchmaker.withdraw_offers_of(session, volunteer, now, tell=True)
                # She leaves: her recordings go, unless she agreed when recording to leave them behind.
                await Recordings.volunteer_left(session, volunteer_id=volunteer.id, now=now)
            await audit(
                session,
                viewer,
                Action.REACTIVATE if active else Action.DEACTIVATE,
                now=now,
                group_id=volunteer.group_id,
                subject=f"volunteer:{volunteer.id}",
            )
            return Done("reactivated" if active else "deactivated")

    async def resolve_alert(self, viewer: Viewer, alert_id: int, now: datetime) -> Done | None:
        async with self._changing, self._db.transaction() as session:
            alert = await session.get(Alert, alert_id, with_for_update=True)
            if alert is None:
                return None
            if not await self._sees_alert(session, viewer, alert):
                subject = f"alert:{alert.id}"
                await audit_denied(session, viewer, now=now, group_id=alert.group_id, subject=subject)
                return None
            if alert.resolved_at is None:
                alert.resolved_at = now
                await audit(
                    session,
                    viewer,
                    Action.RESOLVE_ALERT,
                    now=now,
                    group_id=alert.group_id,
                    subject=f"alert:{alert.id}",
                    detail=alert.kind,
                )
            return Done("alert_resolved")

    async def judge_alert(self, viewer: Viewer, alert_id: int, verdict: str, now: datetime) -> Done | None:
        """A coordinator's verdict on a danger alert: a false alarm, or right. Counted per language on the
        outcomes page (never with her words); the last verdict stands."""
        if verdict not in VERDICTS:
            return None
        async with self._changing, self._db.transaction() as session:
            alert = await session.get(Alert, alert_id, with_for_update=True)
            if alert is None or alert.danger_kind is None:
                return None
            if not await self._sees_alert(session, viewer, alert):
                subject = f"alert:{alert.id}"
                await audit_denied(session, viewer, now=now, group_id=alert.group_id, subject=subject)
                return None
            if alert.verdict != verdict:
                alert.verdict, alert.verdict_at = verdict, now
                await audit(
                    session,
                    viewer,
                    Action.JUDGE_ALERT,
                    now=now,
                    group_id=alert.group_id,
                    subject=f"alert:{alert.id}",
                    detail=f"{alert.danger_kind} {alert.danger_language} {verdict}",
                )
            return Done("alert_judged")

    async def create_invite(
        self, viewer: Viewer, group_id: int, bot_username: str, now: datetime
    ) -> InviteLink | None:
        if not await self.sees_group(viewer, group_id, now):
            return None
        invite = await self._groups.invite_for_group(group_id=group_id, bot_username=bot_username, now=now)
        if invite is not None:
            async with self._db.transaction() as session:
                await audit(
                    session, viewer, Action.INVITE, now=now, group_id=group_id, subject=f"group:{group_id}"
                )
        return invite

    async def outcomes(
        self, viewer: Viewer, now: datetime, *, zone: ZoneInfo, group: str | None, language: str | None
    ) -> Outcomes:
        return await outcomes(self._db, viewer, now, zone=zone, group=group, language=language)

    async def outcomes_csv(
        self, viewer: Viewer, now: datetime, *, zone: ZoneInfo, group: str | None, language: str | None
    ) -> str:
        result = await outcomes(self._db, viewer, now, zone=zone, group=group, language=language)
        async with self._db.transaction() as session:
            detail = f"group={result.group or 'all'} language={result.language or 'all'}"
            await audit(session, viewer, Action.DOWNLOAD_CSV, now=now, detail=detail)
        return outcomes_csv(result)

    async def funders(
        self, viewer: Viewer, *, group: str | None, period: Period, zone: ZoneInfo
    ) -> FundersReport:
        """The funders' report: a national admin may choose the whole country (no group); a coordinator sees
        one of her groups, or all of hers together, never another group's figures."""
        mine = [g.name for g in viewer.groups]
        if group in mine:
            chosen: list[str] | None = [group] if group is not None else None
        else:
            chosen = None if viewer.is_admin else mine
        return await funders_report(self._db, groups=chosen, period=period, zone=zone)

    async def funders_download(
        self, viewer: Viewer, now: datetime, *, group: str | None, period: Period, zone: ZoneInfo, kind: str
    ) -> FundersReport:
        """The same report as a file, audited as a download of the outcome figures."""
        result = await self.funders(viewer, group=group, period=period, zone=zone)
        async with self._db.transaction() as session:
            detail = f"funders {kind} {result.scope} {period.first}..{period.last}"
            await audit(session, viewer, Action.DOWNLOAD_CSV, now=now, detail=detail[:200])
        return result


async def _by_volunteer(session: AsyncSession, query: Select[int, Any]) -> dict[int, Any]:
    """A (volunteer id, value) query as a dict."""
    return {int(volunteer_id): value for volunteer_id, value in (await session.execute(query)).all()}


def _mine(column: InstrumentedAttribute[int | None], viewer: Viewer) -> ColumnElement[bool]:
    """The rows of the viewer's groups, in SQL (the use cases check each row again with Viewer.sees)."""
    return true() if viewer.is_admin else column.in_(sorted(viewer.group_ids))


def _aware(value: datetime | None) -> datetime | None:
    """Aggregates (max) skip the column type on SQLite and come back naive: they are UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _latest(*values: datetime | None) -> datetime | None:
    present: Iterable[datetime] = (v for v in values if v is not None)
    return max(present, default=None)
