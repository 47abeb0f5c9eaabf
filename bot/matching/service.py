"""Matching: offer a waiting woman's request to the best Bydelsmor, one at a time, until one says yes.

One offer at a time (not several in parallel, first to accept wins): a Bydelsmor who says yes must never be
told "too late, someone else took her", which would cost the volunteers' goodwill; and the woman's details
go to as few people as possible. The price is a slower match when the first asked do not answer, which
OFFER_TIMEOUT (default 4 hours) bounds. See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import coordinator_screens
from bot.domain.geo import PostcodeDirectory
from bot.domain.matching import Candidate, Need, Ranking, rank
from bot.domain.onboarding import HelpTopic, RequestStatus
from bot.i18n import get_locale, texts
from bot.matching import screens as match_screens
from bot.onboarding import screens
from bot.outbox import enqueue_reply
from bot.ui import Outcome, Reply
from bot.voice.library import voiced
from bot.volunteers import screens as views
from storage import matching as store
from storage.models import Coordinator, Group, HelpRequest, Match, Offer, Person, Volunteer

if TYPE_CHECKING:
    from bot.danger import Danger

__all__ = ["Matchmaker", "coordinators_to_alert", "request_again", "request_reference"]

DECLINE_MEMORY = timedelta(days=1)
MatchStarted = Callable[[AsyncSession, Match, Person, Volunteer], Awaitable[None]]


def request_again(request: HelpRequest, *, without: int, now: datetime) -> HelpRequest:
    """Her request once more, waiting for another Bydelsmor (never `without` again): she asked for
    another one, or a coordinator is finding her one."""
    return HelpRequest(
        person_id=request.person_id,
        status=RequestStatus.WAITING,
        spoken_language=request.spoken_language,
        postcode=request.postcode,
        postcode_declined=request.postcode_declined,
        topics=list(request.topics),
        note_encrypted=request.note_encrypted,
        note_kind=request.note_kind,
        group_id=request.group_id,
        not_with=[*(request.not_with or []), without],
        created_at=now,
        updated_at=now,
        submitted_at=now,
    )


def request_reference(request: HelpRequest, place: str | None) -> str:
    return f"#{request.id} {place}" if place else f"#{request.id}"


class Matchmaker:
    def __init__(
        self,
        *,
        postcodes: PostcodeDirectory,
        offer_timeout: timedelta,
        timezone: ZoneInfo,
        helplines: match_screens.Helplines | None = None,
    ) -> None:
        self.helplines = helplines or match_screens.Helplines()
        # Set by the services: schedules the check-ins of a new match (kept out of here to avoid a cycle).
        self.on_match_started: MatchStarted | None = None
        self._postcodes = postcodes
        self._offer_timeout = offer_timeout
        self._timezone = timezone

    def _place(self, postcode: str | None) -> str | None:
        found = self._postcodes.get(postcode) if postcode else None
        return f"{found.code} {found.place}" if found else None

    def today(self, now: datetime) -> date:
        return now.astimezone(self._timezone).date()

    def month_start(self, now: datetime) -> datetime:
        local = now.astimezone(self._timezone)
        return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)

    async def group_of(self, session: AsyncSession, person: Person, request: HelpRequest) -> int | None:
        """Her local group: the poster she came from, else the group that covers her postcode."""
        if person.referral:
            group = await store.find_group(session, name_or_slug=person.referral)
            if group is not None:
                return group.id
        if request.postcode:
            group = await store.group_for_postcode(session, postcode=request.postcode)
            if group is not None:
                return group.id
        return None

    async def find_bydelsmor(
        self, session: AsyncSession, request: HelpRequest, now: datetime, *, tell_woman: bool
    ) -> Reply | None:
        """Ask the best free Bydelsmor; if nobody is left, alert the coordinators once.

        Returns what to tell the woman when nobody is free (None otherwise). With tell_woman the message is
        sent through the outbox (she is not the one who just wrote).
        """
        if await store.pending_offer(session, request_id=request.id) is not None:
            return None
        woman = await session.get(Person, request.person_id)
        if woman is None or woman.blocked_at is not None:
            return None
        ranking, volunteers = await self.ranking_for(session, request, woman, now)
        if not ranking.ranked:
            return await self._nobody_left(session, request, now, tell_woman=tell_woman)
        best = ranking.ranked[0]
        await self.offer_to(
            session, request, volunteers[best.volunteer_id], [[r.code, r.value] for r in best.reasons], now
        )
        return None

    async def ranking_for(
        self, session: AsyncSession, request: HelpRequest, woman: Person, now: datetime
    ) -> tuple[Ranking, dict[int, Volunteer]]:
        """Who could take her request, best first, with the reasons (also shown to coordinators)."""
        woman_point = self._postcodes.get(request.postcode) if request.postcode else None
        # "Not this time" lasts a day: after that, a Bydelsmor who declined may be asked again.
        recent = await store.recently_offered(session, request_id=request.id, since=now - DECLINE_MEMORY)
        need = Need(
            spoken_language=request.spoken_language,
            latitude=woman_point.latitude if woman_point else None,
            longitude=woman_point.longitude if woman_point else None,
            group_id=request.group_id,
            excluded=frozenset(recent | set(request.not_with or [])),
        )
        volunteers = {
            v.id: v
            for v in await store.volunteers_for_matching(session)
            if v.blocked_at is None
            and v.telegram_user_id != woman.telegram_user_id  # never her own Bydelsmor
        }
        loads = await store.loads_since(session, since=self.month_start(now))
        for volunteer_id, open_offers in (await store.pending_offers_by_volunteer(session)).items():
            loads[volunteer_id] = loads.get(volunteer_id, 0) + open_offers
        candidates = [self._candidate(v, loads.get(v.id, 0)) for v in volunteers.values()]
        return rank(need, candidates, today=now.astimezone(self._timezone).date()), volunteers

    async def offer_to(
        self,
        session: AsyncSession,
        request: HelpRequest,
        volunteer: Volunteer,
        reasons: list[list[str]],
        now: datetime,
    ) -> Offer:
        """Ask one Bydelsmor (the best ranked, or the one a coordinator chose) to take the request."""
        offer = Offer(
            request_id=request.id,
            volunteer_id=volunteer.id,
            status="pending",
            reasons=reasons,
            offered_at=now,
            due_at=now + self._offer_timeout,
        )
        session.add(offer)
        await session.flush()
        volunteer.last_offered_at = now
        request.stalled_at = None
        await enqueue_reply(
            session,
            chat_id=volunteer.telegram_user_id,
            reply=self._offer_message(volunteer, request, offer, now),
            now=now,
        )
        return offer

    def _candidate(self, volunteer: Volunteer, load: int) -> Candidate:
        point = self._postcodes.get(volunteer.postcode) if volunteer.postcode else None
        return Candidate(
            volunteer_id=volunteer.id,
            spoken_languages=frozenset(volunteer.spoken_languages),
            latitude=point.latitude if point else None,
            longitude=point.longitude if point else None,
            group_id=volunteer.group_id,
            load_this_month=load,
            capacity_per_month=volunteer.capacity_per_month,
            paused_until=volunteer.paused_until,
            active=volunteer.active and volunteer.setup_step is None,
            last_offered_at=volunteer.last_offered_at,
        )

    def _offer_message(
        self,
        volunteer: Volunteer,
        request: HelpRequest,
        offer: Offer,
        now: datetime,
        *,
        chosen: str | None = None,
    ) -> Reply:
        t = texts(get_locale(volunteer.locale).code)
        topics = [
            screens.topic_label(t, HelpTopic(topic)) for topic in request.topics if topic in set(HelpTopic)
        ]
        waited = now - (request.submitted_at or request.created_at)
        return views.offer(
            t,
            offer_id=offer.id,
            language=t.language_name(request.spoken_language),
            place=self._place(request.postcode),
            topics=topics,
            waited_hours=max(0, int(waited.total_seconds() // 3600)),
            answer_minutes=max(1, int(self._offer_timeout.total_seconds() // 60)),
            chosen=chosen,
        )

    def _answered_offer(self, volunteer: Volunteer, request: HelpRequest, offer: Offer, chosen: str) -> Reply:
        """The offer as she was shown it (the wait counted at offer time), with her choice and no buttons."""
        return self._offer_message(volunteer, request, offer, offer.offered_at, chosen=chosen)

    async def _nobody_left(
        self, session: AsyncSession, request: HelpRequest, now: datetime, *, tell_woman: bool
    ) -> Reply | None:
        if request.stalled_at is not None:
            return None  # already told, already alerted: she is not forgotten, the tick tries again
        request.stalled_at = now
        person = await session.get(Person, request.person_id)
        await self.alert(
            session,
            group_id=request.group_id,
            kind="nobody_left",
            reference=request_reference(request, self._place(request.postcode)),
            request_id=request.id,
            match_id=None,
            now=now,
            spoken_language=request.spoken_language,
            place=self._place(request.postcode),
        )
        if person is None:
            return None
        t = texts(get_locale(person.locale).code)
        reply = match_screens.takes_longer(t, t.language_name(request.spoken_language))
        if tell_woman and person.blocked_at is None:
            await enqueue_reply(session, chat_id=person.telegram_user_id, reply=reply, now=now)
            return None
        return reply

    async def alert(
        self,
        session: AsyncSession,
        *,
        group_id: int | None,
        kind: str,
        reference: str,
        request_id: int | None,
        match_id: int | None,
        now: datetime,
        also_group_id: int | None = None,
        spoken_language: str | None = None,
        place: str | None = None,
        danger: Danger | None = None,
    ) -> None:
        """One alert row (under `group_id`); told to the coordinators of `group_id` and `also_group_id`.
        With `spoken_language` (nobody free) the message names the language needed and the area."""
        await store.add_alert(
            session,
            group_id=group_id,
            kind=kind,
            request_id=request_id,
            match_id=match_id,
            now=now,
            danger_kind=danger.kind if danger else None,
            danger_language=danger.language if danger else None,
        )
        for coordinator in await coordinators_to_alert(session, group_ids=(group_id, also_group_id)):
            t = texts(get_locale(coordinator.locale).code)
            if danger is not None:
                reply = coordinator_screens.danger_alert(
                    t,
                    kind=danger.kind,
                    language=danger.language,
                    reference=reference,
                    helplines=self.helplines,
                )
            else:
                reply = coordinator_screens.alert(
                    t, kind=kind, reference=reference, spoken_language=spoken_language, place=place
                )
            await enqueue_reply(session, chat_id=coordinator.telegram_user_id, reply=reply, now=now)

    async def alert_about_match(
        self, session: AsyncSession, match: Match, kind: str, now: datetime, *, danger: Danger | None = None
    ) -> None:
        """Alert about one match (danger, blocked, too much ...) the coordinators of the woman's group and,
        when she is of another group, of the Bydelsmor's own group: both see the match."""
        request = await session.get(HelpRequest, match.request_id)
        volunteer = await session.get(Volunteer, match.volunteer_id)
        await self.alert(
            session,
            group_id=request.group_id if request else None,
            kind=kind,
            reference=match.label,
            request_id=match.request_id,
            match_id=match.id,
            now=now,
            also_group_id=volunteer.group_id if volunteer else None,
            danger=danger,
        )

    # --- the Bydelsmor answers ----------------------------------------------------------------------------

    async def answer(
        self, session: AsyncSession, *, volunteer: Volunteer, offer_id: int, accept: bool, now: datetime
    ) -> Outcome:
        t = texts(get_locale(volunteer.locale).code)
        offer = await session.get(Offer, offer_id, with_for_update=True)
        if (
            offer is None
            or offer.volunteer_id != volunteer.id
            or offer.status != "pending"
            or offer.due_at <= now
        ):
            return Outcome(notice=views.offer_closed(t))
        request = await session.get(HelpRequest, offer.request_id, with_for_update=True)
        person = await session.get(Person, request.person_id) if request is not None else None
        if request is None or person is None or request.status != RequestStatus.WAITING:
            offer.status = "withdrawn"
            return Outcome(notice=views.offer_closed(t))
        offer.answered_at = now
        if not accept:
            offer.status = "declined"
            await self.find_bydelsmor(session, request, now, tell_woman=True)
            return (
                Outcome()
                .say(self._answered_offer(volunteer, request, offer, "no"))
                .say(views.offer_declined(t))
            )
        if not await self._has_room(session, volunteer, now) or person.blocked_at is not None:
            # Full or paused since she was asked (or the woman left): pass it on rather than overload her.
            offer.status = "withdrawn"
            await self.find_bydelsmor(session, request, now, tell_woman=True)
            return Outcome(notice=views.offer_closed(t))
        offer.status = "accepted"
        request.status, request.matched_at = "matched", now
        match = Match(
            request_id=request.id,
            person_id=person.id,
            volunteer_id=volunteer.id,
            status="active",
            label="",
            started_at=now,
        )
        session.add(match)
        await session.flush()
        place = self._postcodes.get(request.postcode) if request.postcode else None
        match.label = f"#{match.id} {place.place}" if place else f"#{match.id}"
        if self.on_match_started is not None:
            await self.on_match_started(session, match, person, volunteer)
        woman = texts(get_locale(person.locale).code)
        matched = match_screens.matched(
            woman, name=volunteer.display_name, language=woman.language_name(request.spoken_language)
        )
        await enqueue_reply(
            session, chat_id=person.telegram_user_id, reply=await voiced(session, matched, person), now=now
        )
        return (
            Outcome()
            .say(self._answered_offer(volunteer, request, offer, "yes"))
            .say(views.first_talk_guide(t, match.label))
        )

    async def _has_room(self, session: AsyncSession, volunteer: Volunteer, now: datetime) -> bool:
        today = now.astimezone(self._timezone).date()
        if volunteer.paused_until is not None and volunteer.paused_until >= today:
            return False
        taken = (await store.loads_since(session, since=self.month_start(now))).get(volunteer.id, 0)
        return taken < volunteer.capacity_per_month

    async def withdraw_offers_of(
        self, session: AsyncSession, volunteer: Volunteer, now: datetime, *, tell: bool = False
    ) -> None:
        """Her open offers go to the next Bydelsmor at once: she cannot be reached (blocked the bot), or a
        coordinator paused or deactivated her (then, with `tell`, she is told the offer is closed)."""
        for offer in await store.pending_offers_for(session, volunteer_id=volunteer.id):
            offer.status, offer.answered_at = ("withdrawn" if tell else "expired"), now
            if tell and volunteer.blocked_at is None:
                t = texts(get_locale(volunteer.locale).code)
                reply = Reply(text=views.offer_closed(t))
                await enqueue_reply(session, chat_id=volunteer.telegram_user_id, reply=reply, now=now)
            request = await session.get(HelpRequest, offer.request_id, with_for_update=True)
            if request is not None and request.status == RequestStatus.WAITING:
                await self.find_bydelsmor(session, request, now, tell_woman=True)

    async def withdraw_offers_for(self, session: AsyncSession, request: HelpRequest, now: datetime) -> None:
        """The woman changes her answers: whoever was asked is told it is no longer open."""
        for offer in await store.pending_offers_for(session, request_id=request.id):
            offer.status, offer.answered_at = "withdrawn", now
            volunteer = await session.get(Volunteer, offer.volunteer_id)
            if volunteer is not None and volunteer.blocked_at is None:
                t = texts(get_locale(volunteer.locale).code)
                reply = Reply(text=views.offer_closed(t))
                await enqueue_reply(session, chat_id=volunteer.telegram_user_id, reply=reply, now=now)

    async def expire_offers(self, session: AsyncSession, now: datetime) -> int:
        """No answer in time counts as a decline: the next Bydelsmor is asked."""
        expired = 0
        for offer in await store.due_offers(session, now=now):
            offer.status, offer.answered_at = "expired", now
            volunteer = await session.get(Volunteer, offer.volunteer_id)
            if volunteer is not None and volunteer.blocked_at is None:
                t = texts(get_locale(volunteer.locale).code)
                await enqueue_reply(
                    session, chat_id=volunteer.telegram_user_id, reply=views.offer_expired(t), now=now
                )
            request = await session.get(HelpRequest, offer.request_id, with_for_update=True)
            if request is not None and request.status == RequestStatus.WAITING:
                await self.find_bydelsmor(session, request, now, tell_woman=True)
            expired += 1
        return expired

    async def retry_waiting(self, session: AsyncSession, now: datetime) -> None:
        """Requests nobody could take yet: a Bydelsmor may have joined, resumed or become free."""
        for request in await store.requests_without_offer(session):
            await self.find_bydelsmor(session, request, now, tell_woman=True)


async def group_name(session: AsyncSession, group_id: int | None) -> str | None:
    group = await session.get(Group, group_id) if group_id else None
    return group.name if group else None


async def coordinators_to_alert(
    session: AsyncSession, *, group_ids: Iterable[int | None]
) -> list[Coordinator]:
    """Who hears of an alert: the coordinators of each group named, and the national admins, once each."""
    found: dict[int, Coordinator] = {}
    for group_id in dict.fromkeys(group_ids):
        for coordinator in await store.coordinators_for(session, group_id=group_id):
            found.setdefault(coordinator.telegram_user_id, coordinator)
    return list(found.values())
