"""A Bydelsmor joins by an invitation link, keeps her profile, pauses and resumes, and answers offers."""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.geo import PostcodeDirectory, read_postcode
from bot.domain.languages import SPOKEN_LANGUAGES
from bot.i18n import BY_CODE, Texts, get_locale, locale_from_telegram, spoken_language_name, texts
from bot.matching.service import Matchmaker
from bot.onboarding import screens
from bot.onboarding.service import Incoming, Sender
from bot.ui import Button, Outcome
from bot.volunteers import screens as views
from storage import matching as store
from storage import volunteers as volunteer_store
from storage.db import Database
from storage.models import Group, Volunteer

__all__ = ["INVITE_PREFIX", "Volunteers", "new_invite_token"]

INVITE_PREFIX = "inv-"  # /start inv-<token>: a Bydelsmor's invitation; any other payload is a poster's
JOIN_STEPS = ("name", "languages", "postcode", "capacity", "locale")
MAX_LANGUAGE_MATCHES = 6
UNTIL_RESUMED = 3650  # days: "until I write /resume"
EDIT_WINDOW = timedelta(minutes=15)  # a profile question unanswered this long is dropped


def new_invite_token() -> str:
    return secrets.token_urlsafe(18)


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    code: str
    names: tuple[str, ...]  # her interface locale's name, English, the language's own


def _names(code: str, t: Texts) -> tuple[str, ...]:
    key = {"prs": "fa_AF", "kmr": "ku"}.get(code, code)
    found = [spoken_language_name(code, t.locale), spoken_language_name(code, get_locale("en"))]
    with contextlib.suppress(ValueError, LookupError):  # a language CLDR does not know has no own name
        found.append(str(Locale.parse(key).get_display_name(key) or ""))
    return tuple(name for name in dict.fromkeys(found) if name)


def search_languages(query: str, t: Texts) -> list[tuple[str, str]]:
    """Languages whose name (in her language, English or their own) contains what she typed."""
    wanted = query.strip().casefold()
    if len(wanted) < 2:
        return []
    found = []
    for code in SPOKEN_LANGUAGES:
        names = _names(code, t)
        if wanted == code or any(wanted in name.casefold() for name in names):
            found.append((code, names[0]))
    return found[:MAX_LANGUAGE_MATCHES]


class Volunteers:
    def __init__(
        self, *, db: Database, postcodes: PostcodeDirectory, matchmaker: Matchmaker, timezone: ZoneInfo
    ) -> None:
        self._db = db
        self._postcodes = postcodes
        self._matchmaker = matchmaker
        self._timezone = timezone

    @staticmethod
    def _t(volunteer: Volunteer | None, sender: Sender) -> Texts:
        if volunteer is not None and volunteer.locale:
            return texts(volunteer.locale)
        return texts((locale_from_telegram(sender.language_code) or get_locale(None)).code)

    # --- joining ------------------------------------------------------------------------------------

    async def join(self, *, sender: Sender, token: str, now: datetime) -> Outcome:
        async with self._db.transaction() as session:
            t = self._t(None, sender)
            invite = await store.find_invite(session, token=token)
            existing = await volunteer_store.find_volunteer(session, telegram_user_id=sender.telegram_user_id)
            if invite is None or invite.used_at is not None or invite.expires_at <= now:
                if existing is not None:  # an old link, pressed again by a Bydelsmor: show where she is
                    return Outcome().extend(
                        await self._step_screen(session, existing, self._t(existing, sender), now)
                    )
                return Outcome().say(views.invite_refused(t))
            if existing is not None:
                # She is a Bydelsmor already: another group's link moves her only if she says so (and is
                # used up only then); her own group's link changes nothing and stays usable.
                if existing.group_id != invite.group_id:
                    group = await session.get(Group, invite.group_id)
                    name = group.name if group is not None else ""
                    return Outcome().say(views.ask_move(self._t(existing, sender), name, token))
                return Outcome().extend(
                    await self._step_screen(session, existing, self._t(existing, sender), now)
                )
            invite.used_at, invite.used_by = now, sender.telegram_user_id
            if existing is None:
                hint = locale_from_telegram(sender.language_code)
                existing = await volunteer_store.add_volunteer(
                    session,
                    telegram_user_id=sender.telegram_user_id,
                    display_name="",
                    spoken_languages=[],
                    postcode=None,
                    capacity_per_month=3,
                    locale=hint.code if hint else None,
                    now=now,
                )
                existing.setup_step = "name"
            existing.group_id = invite.group_id
            return Outcome().extend(
                await self._step_screen(session, existing, self._t(existing, sender), now)
            )

    async def _step_screen(
        self, session: AsyncSession, volunteer: Volunteer, t: Texts, now: datetime
    ) -> Outcome:
        step = (volunteer.setup_step or "").removeprefix("edit:").rstrip("+")
        if step == "name":
            return Outcome().say(views.ask_name(t))
        if step == "languages":
            chosen = [_names(code, t)[0] for code in volunteer.spoken_languages]
            return Outcome().say(views.ask_languages(t, chosen, []))
        if step == "postcode":
            return Outcome().say(views.ask_postcode(t))
        if step == "capacity":
            return Outcome().say(views.ask_capacity(t))
        if step == "locale":
            picker = screens.language_picker(t, 0, prefix="bm:ui")
            # The language she reads now first: most keep it.
            keep = Button(
                t.gettext("Yes, {language}", language=t.locale.native_name), f"bm:ui:{t.locale.code}"
            )
            return Outcome().say(
                replace(picker, text=views.ask_bot_language(t), buttons=((keep,), *picker.buttons))
            )
        return await self._profile(session, volunteer, t, now)

    def _advance(self, volunteer: Volunteer) -> None:
        step = volunteer.setup_step or ""
        if step.startswith("edit:") or step not in JOIN_STEPS:
            volunteer.setup_step = None
            return
        following = JOIN_STEPS.index(step) + 1
        volunteer.setup_step = JOIN_STEPS[following] if following < len(JOIN_STEPS) else None

    async def _after_step(
        self, session: AsyncSession, volunteer: Volunteer, t: Texts, was: str, now: datetime
    ) -> Outcome:
        self._advance(volunteer)
        if volunteer.setup_step is None and not was.startswith("edit:"):
            return Outcome().say(views.joined(t, volunteer.display_name))
        return await self._step_screen(session, volunteer, t, now)

    async def receive(self, *, sender: Sender, incoming: Incoming, now: datetime) -> Outcome | None:
        """Her answer while joining or editing her profile; None when she is not answering a question."""
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            if volunteer is None or volunteer.setup_step is None:
                return None
            if volunteer.setup_step.startswith("edit:") and (
                volunteer.setup_since is None or now - volunteer.setup_since > EDIT_WINDOW
            ):
                # A profile change she started and left: this message is for a woman, not her profile.
                volunteer.setup_step = None
                return None
            t = self._t(volunteer, sender)
            was = volunteer.setup_step
            step = was.removeprefix("edit:").rstrip("+")
            text = (incoming.text or "").strip() if incoming.kind == "text" else ""
            if step == "name":
                if not 1 <= len(text) <= 30 or text.startswith("/"):
                    return Outcome().say(views.name_not_understood(t))
                volunteer.display_name = text
                return await self._after_step(session, volunteer, t, was, now)
            if step == "languages":
                matches = search_languages(text, t) if text else []
                chosen = [_names(code, t)[0] for code in volunteer.spoken_languages]
                if not matches:
                    return Outcome().say(views.no_language_found(t)).say(views.ask_languages(t, chosen, []))
                return Outcome().say(views.ask_languages(t, chosen, matches))
            if step == "postcode":
                code = None
                if (
                    incoming.kind == "location"
                    and incoming.latitude is not None
                    and incoming.longitude is not None
                ):
                    nearest = self._postcodes.nearest(incoming.latitude, incoming.longitude)
                    code = nearest.code if nearest else None
                elif text:
                    known = [c for c in read_postcode(text).candidates if self._postcodes.get(c)]
                    code = known[-1] if known else None
                if code is None:
                    return Outcome().say(screens.postcode_not_understood(t))
                volunteer.postcode = code
                return await self._after_step(session, volunteer, t, was, now)
            return Outcome().extend(await self._step_screen(session, volunteer, t, now))

    async def press(self, *, sender: Sender, data: str, now: datetime) -> Outcome:
        parts = data.split(":")
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            t = self._t(volunteer, sender)
            if volunteer is None:
                return Outcome().say(views.not_a_bydelsmor(t))
            kind = parts[1] if len(parts) > 1 else ""
            value = parts[2] if len(parts) > 2 else ""
            step = (volunteer.setup_step or "").removeprefix("edit:").rstrip("+")
            was = volunteer.setup_step or ""
            if kind == "lang" and step == "languages":
                if value == "done":
                    return await self._after_step(session, volunteer, t, was, now)
                if was == "edit:languages":
                    # Changing her languages: the first one chosen starts the new list (until then, the
                    # old list stays, so a change she leaves half done takes nothing away).
                    volunteer.spoken_languages, volunteer.setup_step = [], "edit:languages+"
                if value in SPOKEN_LANGUAGES and value not in volunteer.spoken_languages:
                    volunteer.spoken_languages = [*volunteer.spoken_languages, value]
                chosen = [_names(code, t)[0] for code in volunteer.spoken_languages]
                return Outcome().say(views.ask_languages(t, chosen, []))
            if kind == "cap" and step == "capacity" and value.isdecimal() and 0 < int(value) <= 30:
                volunteer.capacity_per_month = int(value)
                return await self._after_step(session, volunteer, t, was, now)
            if kind == "uipage" and step == "locale":
                page = int(value) if value.isdecimal() and len(value) < 3 else 0
                picker = screens.language_picker(t, page, prefix="bm:ui", edit=True)
                return Outcome().say(picker)
            if kind == "ui" and step == "locale" and value in BY_CODE:
                volunteer.locale = value
                return await self._after_step(session, volunteer, texts(value), was, now)
            if kind == "edit" and value in JOIN_STEPS and volunteer.setup_step is None:
                volunteer.setup_step, volunteer.setup_since = f"edit:{value}", now
                return await self._step_screen(session, volunteer, t, now)
            if kind == "move":
                return await self._move(session, volunteer, t, token=value, now=now)
            if kind == "stay":
                return Outcome().say(views.not_moved(t))
            if kind == "pause" and value.isdecimal() and len(value) < 4:
                days = int(value)
                today = now.astimezone(self._timezone).date()
                # "Until I write /resume" is a pause far ahead, ended by /resume.
                volunteer.paused_until = today + timedelta(days=days or UNTIL_RESUMED)
                return Outcome().say(views.paused(t, volunteer.paused_until if days else None))
            return Outcome(notice=screens.button_expired(t))

    @staticmethod
    async def _move(
        session: AsyncSession, volunteer: Volunteer, t: Texts, *, token: str, now: datetime
    ) -> Outcome:
        """She said yes to another group's invitation: only her group changes, her matches go on."""
        invite = await store.find_invite(session, token=token) if token else None
        if invite is None or invite.used_at is not None or invite.expires_at <= now:
            return Outcome().say(views.invite_refused(t))
        group = await session.get(Group, invite.group_id)
        if group is None:
            return Outcome().say(views.invite_refused(t))
        invite.used_at, invite.used_by = now, volunteer.telegram_user_id
        volunteer.group_id = group.id
        return Outcome().say(views.moved(t, group.name))

    # --- profile, pause, offers ---------------------------------------------------------------------------

    async def show_profile(self, *, sender: Sender, now: datetime) -> Outcome:
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id
            )
            t = self._t(volunteer, sender)
            if volunteer is None:
                return Outcome().say(views.not_a_bydelsmor(t))
            return await self._profile(session, volunteer, t, now)

    async def _profile(self, session: AsyncSession, volunteer: Volunteer, t: Texts, now: datetime) -> Outcome:
        loads = await store.loads_since(session, since=self._matchmaker.month_start(now))
        place = self._postcodes.get(volunteer.postcode) if volunteer.postcode else None
        paused = volunteer.paused_until
        return Outcome().say(
            views.profile(
                t,
                name=volunteer.display_name,
                languages=[_names(code, t)[0] for code in volunteer.spoken_languages],
                place=f"{place.code} {place.place}" if place else None,
                capacity=volunteer.capacity_per_month,
                load=loads.get(volunteer.id, 0),
                paused_until=paused,
            )
        )

    async def ask_pause(self, *, sender: Sender) -> Outcome:
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id
            )
        t = self._t(volunteer, sender)
        return Outcome().say(views.ask_pause(t) if volunteer else views.not_a_bydelsmor(t))

    async def resume(self, *, sender: Sender) -> Outcome:
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            t = self._t(volunteer, sender)
            if volunteer is None:
                return Outcome().say(views.not_a_bydelsmor(t))
            volunteer.paused_until = None
            return Outcome().say(views.resumed(t))

    async def answer_offer(
        self, *, sender: Sender, offer_id: int | None, accept: bool, now: datetime
    ) -> Outcome:
        """`offer_id` None: the button's id cannot be an offer's (bot.domain.ids), so it is a closed one."""
        async with self._db.transaction() as session:
            volunteer = await volunteer_store.find_volunteer(
                session, telegram_user_id=sender.telegram_user_id, for_update=True
            )
            if volunteer is None:
                return Outcome().say(views.not_a_bydelsmor(self._t(None, sender)))
            if offer_id is None:
                return Outcome(notice=views.offer_closed(texts(get_locale(volunteer.locale).code)))
            return await self._matchmaker.answer(
                session, volunteer=volunteer, offer_id=offer_id, accept=accept, now=now
            )
