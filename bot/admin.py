"""Admin commands (`python -m bot volunteer ...`, `python -m bot translations ...`), as plain functions."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

import httpx
from sqlalchemy import select

from bot.config import Settings
from bot.domain.geo import PostcodeDirectory
from bot.i18n import BY_CODE, get_locale, spoken_language_name
from bot.services import Services
from storage import matching as match_store
from storage import volunteers as store
from storage.models import Group

__all__ = ["AdminError", "add_volunteer", "list_volunteers", "review_translations"]

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")


class AdminError(Exception):
    """A mistake in an admin command, said in one line."""


def parse_languages(value: str) -> list[str]:
    codes = [part.strip() for part in value.split(",") if part.strip()]
    if not codes:
        raise AdminError("--languages needs at least one language code, e.g. so,ar")
    bad = [code for code in codes if not _LANGUAGE_CODE.match(code)]
    if bad:
        raise AdminError(f"not language codes: {', '.join(bad)} (use ISO 639 codes such as so, ar, prs, kmr)")
    return codes


async def add_volunteer(
    services: Services,
    *,
    telegram_id: int,
    name: str,
    languages: str,
    postcode: str | None,
    capacity: int,
    locale: str | None,
    now: datetime,
    group: str | None = None,
) -> str:
    if not name.strip() or len(name) > 64:
        raise AdminError("--name is the name women will see: 1-64 characters, a first name is enough")
    if postcode is not None and PostcodeDirectory.bundled().get(postcode) is None:
        raise AdminError(f"{postcode} is not a Danish postcode")
    if not 0 <= capacity <= 30:
        raise AdminError("--capacity is how many new women a month: 0-30")
    if locale is not None and locale not in BY_CODE:
        raise AdminError(f"--locale must be one of: {', '.join(BY_CODE)}")
    spoken = parse_languages(languages)
    async with services.db.transaction() as session:
        found_group = await match_store.find_group(session, name_or_slug=group) if group else None
        if group and found_group is None:
            raise AdminError(f"no group called {group!r} (see: python -m bot group list)")
        if await store.find_volunteer(session, telegram_user_id=telegram_id) is not None:
            raise AdminError(f"Telegram id {telegram_id} is already a Bydelsmor")
        volunteer = await store.add_volunteer(
            session,
            telegram_user_id=telegram_id,
            display_name=name.strip(),
            spoken_languages=spoken,
            postcode=postcode,
            capacity_per_month=capacity,
            locale=locale,
            now=now,
        )
        volunteer.group_id = found_group.id if found_group else None
    english = get_locale("en")
    names = ", ".join(spoken_language_name(code, english) for code in spoken)
    return f"Added Bydelsmor #{volunteer.id} {volunteer.display_name} ({names})"


async def list_volunteers(services: Services) -> list[str]:
    async with services.db.transaction() as session:
        rows = await store.list_volunteers(session)
    return [
        f"#{v.id}  {v.display_name:<20} {','.join(v.spoken_languages):<14} {v.postcode or '-':<5} "
        f"capacity {v.capacity_per_month}/month  {'active' if v.active else 'inactive'}"
        for v in rows
    ]


async def review_translations(
    services: Services,
    *,
    locale: str | None,
    ask: Callable[[str], str],
    out: TextIO = sys.stdout,
    who: str,
    now: Callable[[], datetime],
) -> tuple[int, int]:
    """Go through the pending suggestions one by one: a(pprove), r(eject), s(kip), q(uit)."""
    approved = rejected = 0
    for suggestion in await services.translations.pending(locale=locale):
        print(f"\n#{suggestion.id} [{suggestion.locale}] from {suggestion.by or 'unknown'}", file=out)
        print(f"  English:   {suggestion.source}", file=out)
        print(f"  Now:       {suggestion.current or '(not translated)'}", file=out)
        print(f"  Suggested: {suggestion.text}", file=out)
        answer = ask("Approve, reject, skip or quit? [a/r/s/q] ").strip().lower()[:1]
        if answer == "q":
            break
        if answer in ("a", "r"):
            await services.translations.decide(
                suggestion_id=suggestion.id, approve=answer == "a", who=who, now=now()
            )
            approved += answer == "a"
            rejected += answer == "r"
    return approved, rejected


async def list_groups(services: Services) -> list[str]:
    async with services.db.transaction() as session:
        rows = list((await session.execute(select(Group).order_by(Group.id))).scalars())
    return [f"#{g.id}  {g.name:<36} /start {g.slug:<28} {len(g.postcodes)} postcodes" for g in rows]


SANDBOX_USERNAME = "BydelsmorSandboxBot"


async def bot_username(settings: Settings) -> str:
    """The bot's @username, from Telegram's getMe (the sandbox's own name without a token)."""
    if settings.bot_token is None:
        return SANDBOX_USERNAME
    url = f"{settings.telegram_api_url}/bot{settings.bot_token}/getMe"
    async with httpx.AsyncClient(timeout=10) as client:
        try:
            answer = (await client.get(url)).json()
        except (httpx.HTTPError, ValueError) as error:
            raise AdminError(
                f"could not ask Telegram for the bot's name ({error}); pass --username"
            ) from None
    if not answer.get("ok"):
        raise AdminError(f"Telegram refused getMe: {answer.get('description')}; check BOT_TOKEN")
    return str(answer["result"]["username"])
