"""Sandbox demo data: a group, a coordinator and three Bydelsmødre, so a newcomer sees a match at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import (
    Announcement,
    AnnouncementAnswer,
    Coordinator,
    Group,
    VoiceRecording,
    Volunteer,
)

__all__ = ["DEMO_PEOPLE", "DemoPerson", "seed_demo", "seed_demo_recordings"]


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
