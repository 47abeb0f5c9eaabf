"""Signing in without a password, sessions, who sees which group, and the audit log.

A coordinator sends /login to the bot and gets a link that works once, for ten minutes. Opening it (and
pressing "Sign in": a link preview fetched by a chat app must not use the link up) starts a session of one
working day. Only hashes of the link and session tokens are stored, so a copy of the database signs nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import coordinator_screens
from bot.i18n import get_locale, locale_from_telegram, texts
from bot.onboarding.service import Sender
from bot.ui import Outcome
from storage.db import Database
from storage.models import AuditEntry, Coordinator, DashboardSession, Group, LoginLink

__all__ = [
    "LINK_LIFETIME",
    "SESSION_LIFETIME",
    "Action",
    "DashboardAccess",
    "GroupRef",
    "SignIn",
    "SignInRefused",
    "Viewer",
    "audit",
    "audit_denied",
]

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(
    hours=10
)  # a working day: signing in again each morning is the logout of last resort
DASHBOARD_LOCALES = ("da", "en")
# Refused looks at another group's data: one audit row per coordinator per minute, counting the attempts, so
# probing is seen without flooding the log.
DENIED_EVERY = timedelta(minutes=1)


class Action(StrEnum):
    SIGN_IN = "sign_in"  # opened a session with a sign-in link
    SIGN_OUT = "sign_out"  # ended her session
    VIEW_LOG = "view_log"  # read a conversation log
    VIEW_MEDIA = "view_media"  # played a voice note or opened a photo from a log or a request
    VIEW_REQUEST = "view_request"  # read a waiting woman's request, her own words included
    SEND_OFFER = "send_offer"  # offered a waiting woman to a Bydelsmor she chose
    END_MATCH = "end_match"  # ended a woman's talks with her Bydelsmor
    REASSIGN = "reassign"  # ended a match and looked for another Bydelsmor for the woman
    PAUSE = "pause"  # paused a Bydelsmor until a date
    RESUME = "resume"  # ended a Bydelsmor's pause
    DEACTIVATE = "deactivate"  # a Bydelsmor gets no new women (she left the group)
    REACTIVATE = "reactivate"  # a deactivated Bydelsmor is asked again
    INVITE = "invite"  # made an invitation link for a new Bydelsmor
    ERASE = "erase"  # erased a woman's data at her request
    RESOLVE_ALERT = "resolve_alert"  # marked an alert as dealt with
    JUDGE_ALERT = "judge_alert"  # marked a danger alert as a false alarm or right
    DOWNLOAD_CSV = "download_csv"  # downloaded the outcome figures
    RETRY_UPDATE = "retry_update"  # put a parked update back to be handled
    APPROVE_RECORDING = "approve_recording"  # a Bydelsmor's recording of a key screen is sent from now on
    REJECT_RECORDING = "reject_recording"  # a recording was rejected, with a reason
    REPLACE_LESSON = "replace_lesson"  # replaced a course lesson's title and screens in one language
    RESTORE_LESSON = "restore_lesson"  # put a course lesson back to the course file's text in one language
    VIEW_QUESTIONS = "view_questions"  # read the open questions of her Bydelsmødre (they may name a woman)
    ANSWER_QUESTION = "answer_question"  # answered a Bydelsmor's question to her coordinators
    ANNOUNCE = "announce"  # wrote an announcement and sent it to her group's Bydelsmødre
    APPROVE_ANNOUNCEMENT = (
        "approve_announcement"  # approved a translation: sent to the women of that language
    )
    REJECT_ANNOUNCEMENT = "reject_announcement"  # rejected a Bydelsmor's translation of an announcement
    DENIED = "denied"  # asked for something of another group (refused with 404); detail counts the attempts


class SignInRefused(StrEnum):
    UNKNOWN = "unknown"  # no such link: mistyped, forged, or from another installation
    USED = "used"  # the link was used before
    EXPIRED = "expired"  # older than ten minutes
    NOT_A_COORDINATOR = "not_a_coordinator"  # she was a coordinator when she asked, but is no longer


@dataclass(frozen=True, slots=True)
class GroupRef:
    id: int
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in coordinator, loaded afresh for every request (a removed coordinator loses access)."""

    telegram_user_id: int
    name: str
    is_admin: bool
    groups: tuple[GroupRef, ...]  # hers; every group for an admin
    session_id: int
    csrf_token: str
    locale: str  # "da" | "en"

    @property
    def group_ids(self) -> frozenset[int]:
        return frozenset(group.id for group in self.groups)

    def sees(self, group_id: int | None) -> bool:
        """Her groups; an admin sees every group and the women no group covers."""
        return self.is_admin or (group_id is not None and group_id in self.group_ids)

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.csrf_token.encode())


@dataclass(frozen=True, slots=True)
class SignIn:
    session_token: str  # for the cookie; the database keeps its hash
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def audit(
    session: AsyncSession,
    viewer: Viewer,
    action: Action,
    *,
    now: datetime,
    group_id: int | None = None,
    subject: str = "",
    detail: str = "",
) -> None:
    """One row per view or change, written in the same transaction as what it records."""
    session.add(
        AuditEntry(
            at=now,
            telegram_user_id=viewer.telegram_user_id,
            name=viewer.name,
            action=action.value,
            group_id=group_id,
            subject=subject[:64],
            detail=detail[:255],
        )
    )


async def audit_denied(
    session: AsyncSession, viewer: Viewer, *, now: datetime, group_id: int | None, subject: str
) -> None:
    """A refused look at an existing object of another group: ids only, at most one row a minute.

    Within DENIED_EVERY of her last "denied" row the attempt is counted in that row ("attempts: 7") instead
    of adding one, so a thousand forged ids write a handful of rows, and the first thing she tried is kept.
    """
    recent = (
        await session.execute(
            select(AuditEntry)
            .where(
                AuditEntry.telegram_user_id == viewer.telegram_user_id,
                AuditEntry.action == Action.DENIED.value,
                AuditEntry.at > now - DENIED_EVERY,
            )
            .order_by(AuditEntry.id.desc())
            .limit(1)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if recent is None:
        await audit(
            session, viewer, Action.DENIED, now=now, group_id=group_id, subject=subject, detail="attempts: 1"
        )
        return
    counted = recent.detail.removeprefix("attempts: ")
    recent.detail = f"attempts: {int(counted) + 1 if counted.isdigit() else 2}"


async def _coordinator_rows(session: AsyncSession, telegram_user_id: int) -> list[Coordinator]:
    query = select(Coordinator).where(Coordinator.telegram_user_id == telegram_user_id)
    return list((await session.execute(query)).scalars())


class DashboardAccess:
    def __init__(self, *, db: Database, base_url: str) -> None:
        self._db = db
        # Set again by the app once the web server knows its port (a test server picks a free one).
        self.base_url = base_url

    async def login_in_telegram(self, *, sender: Sender, first_name: str, now: datetime) -> Outcome:
        """/login: a sign-in link for a coordinator; a polite no for anyone else."""
        async with self._db.transaction() as session:
            rows = await _coordinator_rows(session, sender.telegram_user_id)
            stored = next((row.locale for row in rows if row.locale), None)
            hint = locale_from_telegram(sender.language_code)
            t = texts(get_locale(stored).code if stored else (hint or get_locale(None)).code)
            if not rows:
                return Outcome().say(coordinator_screens.not_a_coordinator_login(t))
            token = secrets.token_urlsafe(32)
            session.add(
                LoginLink(
                    token_hash=_hash(token),
                    telegram_user_id=sender.telegram_user_id,
                    name=(first_name or "").strip()[:64] or str(sender.telegram_user_id),
                    created_at=now,
                    expires_at=now + LINK_LIFETIME,
                )
            )
            link = f"{self.base_url}/login?token={token}"
            minutes = int(LINK_LIFETIME.total_seconds() // 60)
            return Outcome().say(coordinator_screens.login_link(t, link=link, minutes=minutes))

    async def check_link(self, *, token: str, now: datetime) -> SignInRefused | None:
        """What opening the link (before pressing "Sign in") shows: None when it can be used."""
        async with self._db.transaction() as session:
            link = await self._find_link(session, token)
            return self._refusal(link, now)

    async def sign_in(self, *, token: str, locale: str | None, now: datetime) -> SignIn | SignInRefused:
        async with self._db.transaction() as session:
            link = await self._find_link(session, token)
            refused = self._refusal(link, now)
            if refused is not None or link is None:
                return refused or SignInRefused.UNKNOWN
            # Used up in one statement: of two presses at once (two tabs, a double click) only one signs in,
            # on SQLite too, where FOR UPDATE does nothing.
            claimed = await session.execute(
                update(LoginLink)
                .where(LoginLink.id == link.id, LoginLink.used_at.is_(None), LoginLink.expires_at > now)
                .values(used_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return SignInRefused.USED
            rows = await _coordinator_rows(session, link.telegram_user_id)
            if not rows:
                return SignInRefused.NOT_A_COORDINATOR
            stored = next((row.locale for row in rows if row.locale in DASHBOARD_LOCALES), None)
            chosen = locale if locale in DASHBOARD_LOCALES else stored or "da"
            token_for_cookie = secrets.token_urlsafe(32)
            record = DashboardSession(
                token_hash=_hash(token_for_cookie),
                csrf_token=secrets.token_urlsafe(32),
                telegram_user_id=link.telegram_user_id,
                name=link.name,
                locale=chosen,
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
            session.add(record)
            await session.flush()
            viewer = await self._viewer(session, record)
            if viewer is not None:
                await audit(session, viewer, Action.SIGN_IN, now=now, subject=f"session:{record.id}")
            return SignIn(session_token=token_for_cookie, expires_at=record.expires_at)

    async def viewer(self, *, session_token: str | None, now: datetime) -> Viewer | None:
        """The coordinator behind a session cookie, or None (unknown, expired, signed out, no longer one)."""
        if not session_token:
            return None
        async with self._db.transaction() as session:
            query = select(DashboardSession).where(DashboardSession.token_hash == _hash(session_token))
            record = (await session.execute(query)).scalar_one_or_none()
            if record is None or record.ended_at is not None or record.expires_at <= now:
                return None
            return await self._viewer(session, record)

    async def sign_out(self, *, viewer: Viewer, now: datetime) -> None:
        async with self._db.transaction() as session:
            record = await session.get(DashboardSession, viewer.session_id)
            if record is not None and record.ended_at is None:
                record.ended_at = now
                await audit(session, viewer, Action.SIGN_OUT, now=now, subject=f"session:{record.id}")

    async def set_locale(self, *, viewer: Viewer, locale: str) -> None:
        if locale not in DASHBOARD_LOCALES:
            return
        async with self._db.transaction() as session:
            record = await session.get(DashboardSession, viewer.session_id)
            if record is not None:
                record.locale = locale

    async def prune(self, session: AsyncSession, *, now: datetime) -> None:
        """Links and sessions are kept a day past their end (to answer "already used"), then deleted."""
        await session.execute(delete(LoginLink).where(LoginLink.expires_at < now - timedelta(days=1)))
        await session.execute(
            delete(DashboardSession).where(DashboardSession.expires_at < now - timedelta(days=1))
        )

    @staticmethod
    async def _find_link(session: AsyncSession, token: str) -> LoginLink | None:
        if not token or len(token) > 100:
            return None
        query = select(LoginLink).where(LoginLink.token_hash == _hash(token))
        return (await session.execute(query)).scalar_one_or_none()

    @staticmethod
    def _refusal(link: LoginLink | None, now: datetime) -> SignInRefused | None:
        if link is None:
            return SignInRefused.UNKNOWN
        if link.used_at is not None:
            return SignInRefused.USED
        if link.expires_at <= now:
            return SignInRefused.EXPIRED
        return None

    @staticmethod
    async def _viewer(session: AsyncSession, record: DashboardSession) -> Viewer | None:
        rows = await _coordinator_rows(session, record.telegram_user_id)
        if not rows:
            return None
        is_admin = any(row.is_admin for row in rows)
        query = select(Group).order_by(Group.name)
        if not is_admin:
            query = query.where(Group.id.in_([row.group_id for row in rows if row.group_id is not None]))
        groups = tuple(GroupRef(g.id, g.name, g.slug) for g in (await session.execute(query)).scalars())
        return Viewer(
            telegram_user_id=record.telegram_user_id,
            name=record.name,
            is_admin=is_admin,
            groups=groups,
            session_id=record.id,
            csrf_token=record.csrf_token,
            locale=record.locale,
        )
