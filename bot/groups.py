"""Local groups, their coordinators and invitation links (admin commands and /invite in Telegram)."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

import segno
from sqlalchemy.ext.asyncio import AsyncSession

from bot import coordinator_screens
from bot.domain.geo import PostcodeDirectory
from bot.i18n import get_locale, locale_from_telegram, texts
from bot.onboarding.service import Sender
from bot.ui import Outcome
from bot.volunteers.service import INVITE_PREFIX, new_invite_token
from storage import matching as store
from storage.db import Database
from storage.models import Coordinator, Group, Invite

__all__ = ["GroupAdmin", "GroupError", "InviteLink", "slug_for"]

INVITE_DAYS = 14


class GroupError(Exception):
    """A mistake in an admin command, said in one line."""


@dataclass(frozen=True, slots=True)
class InviteLink:
    group: str
    link: str
    expires_at: datetime
    qr_png: bytes


def slug_for(name: str) -> str:
    """ "Bydelsmødre Gellerup" -> "bydelsmodre-gellerup": what a poster link names, in Telegram's alphabet."""
    plain = unicodedata.normalize("NFKD", name.replace("ø", "o").replace("Ø", "O").replace("æ", "ae"))
    plain = plain.replace("å", "aa").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "group"


def qr_png(link: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


class GroupAdmin:
    def __init__(self, *, db: Database, postcodes: PostcodeDirectory) -> None:
        self._db = db
        self._postcodes = postcodes

    async def add_group(self, *, name: str, postcodes: str, now: datetime) -> str:
        codes = [code.strip() for code in postcodes.split(",") if code.strip()]
        unknown = [code for code in codes if self._postcodes.get(code) is None]
        if not name.strip() or len(name) > 100:
            raise GroupError("a group needs a name of 1-100 characters")
        if not codes or unknown:
            raise GroupError(f"not Danish postcodes: {', '.join(unknown) or '(none given)'}")
        async with self._db.transaction() as session:
            if await store.find_group(session, name_or_slug=name.strip()) is not None:
                raise GroupError(f"there is already a group called {name.strip()!r}")
            group = Group(name=name.strip(), slug=slug_for(name), postcodes=codes, created_at=now)
            session.add(group)
            await session.flush()
            return (
                f"Added group #{group.id} {group.name} ({len(codes)} postcodes);"
                f" poster link payload: {group.slug}"
            )

    async def add_coordinator(
        self, *, telegram_id: int, group: str | None, admin: bool, locale: str | None, now: datetime
    ) -> str:
        async with self._db.transaction() as session:
            found = await store.find_group(session, name_or_slug=group) if group else None
            if group and found is None:
                raise GroupError(f"no group called {group!r}")
            if found is None and not admin:
                raise GroupError("a coordinator needs --group NAME (or --admin for all groups)")
            session.add(
                Coordinator(
                    telegram_user_id=telegram_id,
                    group_id=found.id if found else None,
                    is_admin=admin,
                    locale=locale,
                    created_at=now,
                )
            )
            where = f"group {found.name}" if found else "all groups"
            return f"Added coordinator {telegram_id} for {where}"

    async def create_invite(self, *, group: str, bot_username: str, now: datetime) -> InviteLink:
        async with self._db.transaction() as session:
            found = await store.find_group(session, name_or_slug=group)
            if found is None:
                raise GroupError(f"no group called {group!r}")
            return await self._invite(session, found, bot_username, now)

    async def invite_for_group(self, *, group_id: int, bot_username: str, now: datetime) -> InviteLink | None:
        async with self._db.transaction() as session:
            group = await session.get(Group, group_id)
            return None if group is None else await self._invite(session, group, bot_username, now)

    @staticmethod
    async def _invite(session: AsyncSession, group: Group, bot_username: str, now: datetime) -> InviteLink:
        token = new_invite_token()
        expires = now + timedelta(days=INVITE_DAYS)
        invite = Invite(token=token, group_id=group.id, created_at=now, expires_at=expires)
        session.add(invite)
        link = f"https://t.me/{bot_username}?start={INVITE_PREFIX}{token}"
        return InviteLink(group=group.name, link=link, expires_at=expires, qr_png=qr_png(link))

    async def invite_in_telegram(
        self, *, sender: Sender, bot_username: str, now: datetime
    ) -> tuple[Outcome, bytes | None]:
        """/invite from a coordinator: a link for her (first) group, and its QR code."""
        async with self._db.transaction() as session:
            mine = await store.coordinator_groups(session, telegram_user_id=sender.telegram_user_id)
            hint = locale_from_telegram(sender.language_code)
            t = texts((hint or get_locale(None)).code)
            if not mine:
                return Outcome().say(coordinator_screens.not_a_coordinator(t)), None
            invite = await self._invite(session, mine[0], bot_username, now)
            reply = coordinator_screens.invite(t, group=invite.group, link=invite.link, days=INVITE_DAYS)
            return Outcome().say(reply), invite.qr_png
