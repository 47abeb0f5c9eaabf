"""Sandbox demo data: a group, a coordinator and three Bydelsmødre, so a newcomer sees a match at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storage.db import Database
from storage.models import Coordinator, Group, Volunteer

__all__ = ["DEMO_PEOPLE", "DemoPerson", "seed_demo"]


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
            session.add(
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
        return True
