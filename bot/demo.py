"""Sandbox demo data: a group, a coordinator and three Bydelsmødre (Hodan halfway through the course), so a
newcomer sees a match at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import (
    Alert,
    Announcement,
    AnnouncementAnswer,
    Checkin,
    Coordinator,
    CourseProgress,
    Group,
    HelpRequest,
    Match,
    Person,
    VoiceRecording,
    Volunteer,
)

__all__ = ["DEMO_PEOPLE", "DemoPerson", "seed_demo", "seed_demo_history", "seed_demo_recordings"]


@dataclass(frozen=True, slots=True)
class DemoPerson:
    telegram_user_id: int
    first_name: str  # as shown in the sandbox's list of phones
    language_code: str
    role: str  # "bydelsmor" | "coordinator" | "admin" (a national admin: every group, and the audit log)
    display_name: str = ""
    spoken_languages: tuple[str, ...] = ()
    postcode: str | None = None


DEMO_GROUP = "Bydelsmødre Aarhus Vest (demo)"
DEMO_POSTCODES = ("8000", "8200", "8210", "8220", "8240", "8260", "8270", "8310", "8381")
DEMO_PEOPLE = (
    DemoPerson(900000001, "Hodan (Bydelsmor)", "so", "bydelsmor", "Hodan", ("so", "ar", "da"), "8220"),
    DemoPerson(900000002, "Amal (Bydelsmor)", "ar", "bydelsmor", "Amal", ("ar", "kmr", "ckb", "da"), "8210"),
    DemoPerson(900000003, "Olena (Bydelsmor)", "uk", "bydelsmor", "Olena", ("uk", "ru", "pl"), "8000"),
    DemoPerson(900000004, "Mette (coordinator)", "da", "coordinator"),
    DemoPerson(900000005, "Nadia (national admin)", "da", "admin"),
)


async def seed_demo(db: Database, *, now: datetime) -> bool:
    """Add the demo group and people once; False when they are there already."""
    async with db.transaction() as session:
        if (await session.execute(select(Group).where(Group.name == DEMO_GROUP))).first() is not None:
            return False
        group = Group(
            name=DEMO_GROUP, slug="demo-aarhus-vest", postcodes=list(DEMO_POSTCODES), created_at=now
        )
        session.add(group)
        await session.flush()
        volunteers: list[Volunteer] = []
        for person in DEMO_PEOPLE:
            if person.role in ("coordinator", "admin"):
                session.add(
                    Coordinator(
                        telegram_user_id=person.telegram_user_id,
                        group_id=group.id if person.role == "coordinator" else None,
                        is_admin=person.role == "admin",
                        locale=person.language_code,
                        created_at=now,
                    )
                )
                continue
            volunteers.append(
                Volunteer(
                    telegram_user_id=person.telegram_user_id,
                    display_name=person.display_name,
                    spoken_languages=list(person.spoken_languages),
                    postcode=person.postcode,
                    capacity_per_month=3,
                    locale=person.language_code,
                    active=True,
                    group_id=group.id,
                    created_at=now,
                )
            )
        session.add_all(volunteers)
        await session.flush()
        # Hodan is in the middle of the course (bot.course): two lessons done, the third due in four days.
        hodan = next(volunteer.id for volunteer in volunteers if volunteer.display_name == "Hodan")
        session.add(
            CourseProgress(
                volunteer_id=hodan,
                lessons_done=2,
                status="scheduled",
                next_due_at=now + timedelta(days=4),
                offered_at=now - timedelta(days=3),
                practice_answers={"open-questions": 2, "listening-back": 3},
                started_at=now - timedelta(days=10),
                updated_at=now - timedelta(days=3),
            )
        )
        await _demo_announcement(session, group.id, volunteers, now)
        return True


async def _demo_announcement(
    session: AsyncSession, group_id: int, volunteers: list[Volunteer], now: datetime
) -> None:
    """A meeting next week, answered by two of the three Bydelsmødre (its page shows the counts)."""
    meeting = Announcement(
        group_id=group_id,
        text="Fællesmøde for Bydelsmødre: vi taler om, hvordan man henviser videre. Kaffe og kage.",
        starts_at=(now + timedelta(days=7)).replace(hour=16, minute=0, second=0, microsecond=0),
        place="Globus1, Gudrunsvej 20, Gellerup",
        for_women=False,
        created_by="Mette (coordinator)",
        created_at=now,
    )
    session.add(meeting)
    await session.flush()
    for volunteer, coming in zip(volunteers[:2], (True, False), strict=True):
        session.add(
            AnnouncementAnswer(
                announcement_id=meeting.id, volunteer_id=volunteer.id, coming=coming, answered_at=now
            )
        )


# The sandbox's sample recordings: Hodan's Somali and Amal's Arabic, of the screens a newcomer meets first.
DEMO_RECORDINGS = (("so", 900000001), ("ar", 900000002))
DEMO_RECORDED_SCREENS = ("listen", "greeting", "intro", "consent", "postcode", "topics", "waiting", "matched")
DEMO_DECIDER = "sandbox demo"


async def seed_demo_recordings(db: Database, *, store_voice: Callable[[bytes], str], now: datetime) -> int:
    """Approved sample recordings (tones, bot.voice.samples), made afresh at every start: the stand-in keeps
    its files in memory only, so the rows of an earlier start get the new file ids. The number made."""
    from bot.voice.library import RecordingStatus
    from bot.voice.samples import tone_wav
    from bot.voice.screens import KEY_SCREENS, key_screen, source_hash

    made = 0
    async with db.transaction() as session:
        earlier = {
            (row.locale, row.screen_key): row
            for row in (
                await session.execute(select(VoiceRecording).where(VoiceRecording.decided_by == DEMO_DECIDER))
            ).scalars()
        }
        volunteers = {v.telegram_user_id: v.id for v in (await session.execute(select(Volunteer))).scalars()}
        for locale, bydelsmor in DEMO_RECORDINGS:
            for key in DEMO_RECORDED_SCREENS:
                screen = key_screen(key)
                assert screen is not None
                file_id = store_voice(tone_wav([s.key for s in KEY_SCREENS].index(key) + len(locale)))
                row = earlier.get((locale, key))
                if row is None:
                    row = VoiceRecording(
                        locale=locale,
                        screen_key=key,
                        duration=1,
                        volunteer_id=volunteers.get(bydelsmor),
                        keep_after_leaving=True,
                        created_at=now,
                        decided_by=DEMO_DECIDER,
                    )
                    session.add(row)
                row.file_id, row.source_hash = file_id, source_hash(screen, locale)
                row.status, row.decided_at = RecordingStatus.APPROVED, now
                made += 1
    return made


# Demo history: six months of ended talks, answered check-ins and two "nobody free" alerts, so the outcome
# charts and the funders' report show figures in the sandbox. Telegram ids from 910000000 are no phone of the
# sandbox: nothing is ever sent to them (every match is ended, every check-in answered).
HISTORY_WOMAN_IDS = 910_000_000
HISTORY_BYDELSMOR_IDS = 910_100_000
HISTORY_MONTHS = 6
HISTORY_WOMEN_A_MONTH = 6
HISTORY_LANGUAGES = ("so", "ar", "kmr", "uk", "ar", "ckb", "ru", "so", "ar", "pl")
# Earlier Bydelsmødre of the demo group (inactive: never offered a sandbox woman), so that the Bydelsmødre's
# own answers reach the five a share needs.
HISTORY_BYDELSMOEDRE = (("Samira", ("ar", "da")), ("Leyla", ("kmr", "da")), ("Iryna", ("uk", "ru")),
                        ("Fadumo", ("so", "da")))  # fmt: skip
BETTER = ("better", "better", "better", "same", "better", "better", "worse", "better", "better")
GAINED = ("yes", "yes", "little", "yes", "no", "yes", "little", "yes")
SCOPE = ("yes", "yes", "yes", "too_much", "yes", "yes", "professional", "yes", "yes", "yes")


async def seed_demo_history(db: Database, *, now: datetime) -> bool:
    """Add the demo history once, relative to `now` (the same figures at every first start); False when it is
    there already or the demo group is missing."""
    async with db.transaction() as session:
        known = select(Person.id).where(Person.telegram_user_id == HISTORY_WOMAN_IDS + 1)
        if (await session.execute(known)).first() is not None:
            return False
        group = (await session.execute(select(Group).where(Group.name == DEMO_GROUP))).scalar_one_or_none()
        if group is None:
            return False
        bydelsmoedre = list(
            (
                await session.execute(
                    select(Volunteer).where(Volunteer.group_id == group.id).order_by(Volunteer.id)
                )
            ).scalars()
        )
        for number, (name, languages) in enumerate(HISTORY_BYDELSMOEDRE, start=1):
            earlier = Volunteer(
                telegram_user_id=HISTORY_BYDELSMOR_IDS + number,
                display_name=f"{name} (demo)",
                spoken_languages=list(languages),
                postcode=DEMO_POSTCODES[number],
                capacity_per_month=3,
                locale="da",
                active=False,
                group_id=group.id,
                created_at=now - timedelta(days=400),
            )
            session.add(earlier)
            bydelsmoedre.append(earlier)
        await session.flush()
        start = now - timedelta(days=30 * HISTORY_MONTHS)
        count = HISTORY_MONTHS * HISTORY_WOMEN_A_MONTH
        for index in range(count):
            # The last woman asked six weeks ago: her talks and check-ins are all over by now.
            spread = (30 * HISTORY_MONTHS - 42) / count
            asked = start + timedelta(days=index * spread, hours=index % 5)
            language = HISTORY_LANGUAGES[index % len(HISTORY_LANGUAGES)]
            woman = Person(
                telegram_user_id=HISTORY_WOMAN_IDS + index + 1,
                role="woman",
                locale=language,
                step="waiting",
                consent="given",
                consent_changed_at=asked,
                created_at=asked,
                updated_at=asked,
            )
            session.add(woman)
            await session.flush()
            matched = asked + timedelta(hours=2 + (index * 7) % 40)
            ended = matched + timedelta(days=35)
            request = HelpRequest(
                person_id=woman.id,
                status="closed",
                spoken_language=language,
                postcode=DEMO_POSTCODES[index % len(DEMO_POSTCODES)],
                topics=["letters"],
                created_at=asked,
                updated_at=ended,
                submitted_at=asked,
                group_id=group.id,
                matched_at=matched,
            )
            session.add(request)
            await session.flush()
            if index % 11 == 5:  # once in a while, nobody speaking her language was free at first
                session.add(
                    Alert(
                        group_id=group.id,
                        kind="nobody_left",
                        request_id=request.id,
                        created_at=asked + timedelta(minutes=5),
                        resolved_at=matched,
                    )
                )
            bydelsmor = bydelsmoedre[index % len(bydelsmoedre)]
            match = Match(
                request_id=request.id,
                person_id=woman.id,
                volunteer_id=bydelsmor.id,
                status="ended",
                label=f"#D{index + 1} demo",
                started_at=matched,
                ended_at=ended,
                ended_by="bydelsmor",
                end_reason="done",
            )
            session.add(match)
            await session.flush()
            for week, questions in (
                (1, ("better", "courage")),
                (4, ("better", "courage", "network", "society")),
            ):
                due = matched + timedelta(weeks=week)
                answers = {
                    q: BETTER[(index + week) % len(BETTER)]
                    if q == "better"
                    else GAINED[(index + week + len(q)) % len(GAINED)]
                    for q in questions
                }
                session.add(
                    _answered(
                        match, woman.telegram_user_id, "woman", "followup", due, answers, woman.id, None
                    )
                )
            scope = {"scope": SCOPE[index % len(SCOPE)]}
            session.add(
                _answered(
                    match,
                    bydelsmor.telegram_user_id,
                    "bydelsmor",
                    "scope",
                    matched + timedelta(weeks=2),
                    scope,
                    None,
                    bydelsmor.id,
                )
            )
        # The two quarters before this one (never this one: the real quarterly check-in is still to come).
        this_quarter = (now.year, (now.month - 1) // 3)
        for quarter_back in (1, 2):
            year, quarter = divmod(this_quarter[0] * 4 + this_quarter[1] - quarter_back, 4)
            due = datetime(year, quarter * 3 + 2, 15, 10, tzinfo=now.tzinfo)  # mid-quarter
            period = f"{year}Q{quarter + 1}"
            for number, bydelsmor in enumerate(bydelsmoedre):
                answers = {
                    q: GAINED[(number + quarter_back + len(q)) % len(GAINED)]
                    for q in ("network", "society", "courage")
                }
                row = _answered(
                    None,
                    bydelsmor.telegram_user_id,
                    "bydelsmor",
                    "quarterly",
                    due,
                    answers,
                    None,
                    bydelsmor.id,
                )
                row.period = period
                session.add(row)
        return True


def _answered(
    match: Match | None,
    chat_id: int,
    audience: str,
    kind: str,
    due: datetime,
    answers: dict[str, str],
    person_id: int | None,
    volunteer_id: int | None,
) -> Checkin:
    return Checkin(
        match_id=None if match is None else match.id,
        person_id=person_id,
        volunteer_id=volunteer_id,
        chat_id=chat_id,
        audience=audience,
        kind=kind,
        questions=list(answers),
        due_at=due,
        status="answered",
        sent_at=due,
        answered_at=due + timedelta(hours=3),
        answers=answers,
        created_at=due - timedelta(days=7),
    )
