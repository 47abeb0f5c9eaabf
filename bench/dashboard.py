"""The dashboard at the size of the whole organisation, over HTTP. `python -m bench.dashboard`.

A year of work: 40 groups, 500 Bydelsmødre, 6,000 requests (500 waiting), 4,000 matches (300 active) with
40 messages each (160,000 log rows) and 12,000 check-ins. A national admin (who sees everything) and one
group's coordinator open each page five times; the median time per page and the process's peak memory are
printed. Numbers, not a pass/fail test. BENCH_SCALE=0.1 makes it smaller.
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import insert, select
from starlette.applications import Starlette

from bot.config import load_settings
from bot.dashboard.access import DashboardAccess
from bot.onboarding.service import Sender
from bot.services import build_services
from handlers.dashboard.app import dashboard_middleware, dashboard_routes
from storage.migrate import upgrade
from storage.models import Checkin, Coordinator, Group, HelpRequest, Match, MessageLog, Person, Volunteer

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
GROUPS = 40
VOLUNTEERS = int(500 * SCALE)
REQUESTS = int(6000 * SCALE)
WAITING = int(500 * SCALE)
MATCHES = int(4000 * SCALE)
ACTIVE = int(300 * SCALE)
MESSAGES = 40
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
POSTCODES = ["8220", "8210", "5220", "2200", "2300", "2400", "4000", "6000", "7100", "9000"]
LANGUAGES = ["ar", "so", "tr", "kmr", "ur", "fa", "prs", "uk", "pl", "ta"]
ROUNDS = 5


class NoFiles:
    async def download(self, file_id: str) -> bytes:
        return b""

    async def upload_photo(self, chat_id: int, content: bytes, *, caption: str) -> str:
        return "bench-photo"  # the bench posts no photos

    def bot_username(self) -> str:
        return "bydelsmor_bench_bot"


async def seed(services_db: object, db_url: str) -> None:
    from storage.db import Database

    db = services_db
    assert isinstance(db, Database)
    await upgrade(db.engine)
    async with db.transaction() as session:
        await session.execute(
            insert(Group),
            [{"name": f"Group {g}", "slug": f"group-{g}", "postcodes": [POSTCODES[g % 10]], "created_at": NOW}
             for g in range(GROUPS)],
        )  # fmt: skip
        await session.execute(
            insert(Coordinator),
            [
                {
                    "telegram_user_id": 1,
                    "group_id": None,
                    "is_admin": True,
                    "locale": "da",
                    "created_at": NOW,
                },
                {"telegram_user_id": 2, "group_id": 1, "is_admin": False, "locale": "da", "created_at": NOW},
            ],
        )
        await session.execute(
            insert(Volunteer),
            [{"telegram_user_id": 10_000 + v, "display_name": f"Bydelsmor {v}",
              "spoken_languages": [LANGUAGES[v % 10], LANGUAGES[(v + 3) % 10], "da"],
              "postcode": POSTCODES[v % 10], "capacity_per_month": 3, "locale": "da", "active": True,
              "group_id": 1 + v % GROUPS, "created_at": NOW}
             for v in range(VOLUNTEERS)],
        )  # fmt: skip
        await session.execute(
            insert(Person),
            [{"telegram_user_id": 100_000 + p, "role": "woman", "locale": LANGUAGES[p % 10],
              "step": "waiting", "consent": "given", "created_at": NOW, "updated_at": NOW}
             for p in range(REQUESTS)],
        )  # fmt: skip
        start = NOW - timedelta(days=365)
        await session.execute(
            insert(HelpRequest),
            [{"person_id": 1 + r, "status": "waiting" if r < WAITING else "matched" if r < WAITING + MATCHES
              else "closed", "spoken_language": LANGUAGES[r % 10], "postcode": POSTCODES[r % 10],
              "topics": ["letters"], "created_at": start + timedelta(hours=r),
              "updated_at": start + timedelta(hours=r), "submitted_at": start + timedelta(hours=r),
              "group_id": 1 + r % GROUPS, "not_with": []} for r in range(REQUESTS)],
        )  # fmt: skip
        await session.execute(
            insert(Match),
            [{"request_id": WAITING + 1 + m, "person_id": WAITING + 1 + m, "volunteer_id": 1 + m % VOLUNTEERS,
              "status": "active" if m < ACTIVE else "ended", "label": f"#{m + 1} Brabrand",
              "started_at": start + timedelta(hours=WAITING + m, minutes=30),
              "ended_at": None if m < ACTIVE else NOW - timedelta(days=1)} for m in range(MATCHES)],
        )  # fmt: skip
        hello = db.cipher.encrypt("Hej, jeg har fået et brev fra kommunen")
        for first in range(0, MATCHES, 500):
            await session.execute(
                insert(MessageLog),
                [{"match_id": 1 + m, "sender": "woman" if i % 2 == 0 else "bydelsmor", "kind": "text",
                  "content_encrypted": hello, "source_message_id": i,
                  "created_at": start + timedelta(hours=WAITING + m, minutes=31 + i)}
                 for m in range(first, min(first + 500, MATCHES)) for i in range(MESSAGES)],
            )  # fmt: skip
        await session.execute(
            insert(Checkin),
            [{"match_id": 1 + m, "person_id": WAITING + 1 + m, "chat_id": 100_000 + WAITING + m,
              "audience": "woman", "kind": "followup", "questions": ["better", "courage"],
              "due_at": start + timedelta(hours=WAITING + m, days=7 * (k + 1)), "status": "answered",
              "sent_at": start + timedelta(hours=WAITING + m, days=7 * (k + 1)),
              "answers": {"better": ["better", "same", "worse"][m % 3], "courage": "yes"},
              "created_at": start}
             for m in range(MATCHES) for k in range(3)],
        )  # fmt: skip


async def signed_in_client(app: Starlette, access: DashboardAccess, telegram_id: int) -> httpx.AsyncClient:
    outcome = await access.login_in_telegram(
        sender=Sender(telegram_user_id=telegram_id, language_code="da"), first_name="Bench", now=NOW
    )
    link = re.search(r"(http://\S+)", outcome.replies[0].text)
    assert link is not None
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench.test")
    page = await client.get(link.group(1).split("bench.test", 1)[-1])
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token and csrf
    await client.post("/login", data={"token": token.group(1), "csrf": csrf.group(1)})
    return client


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        settings = load_settings(
            data_dir=Path(folder), data_key=Fernet.generate_key().decode(), dashboard_url="http://bench.test"
        )
        services = build_services(settings, database_url=url, clock=lambda: NOW)
        began = time.perf_counter()
        await seed(services.db, url)
        async with services.db.transaction() as session:
            in_group_1 = (
                select(Match.id)
                .join(HelpRequest, HelpRequest.id == Match.request_id)
                .where(HelpRequest.group_id == 1)
            )
            some_match = (await session.execute(in_group_1)).scalar()
            waiting_in_group_1 = (
                await session.execute(
                    select(HelpRequest.id).where(HelpRequest.group_id == 1, HelpRequest.status == "waiting")
                )
            ).scalar()
        print(
            f"seeded {VOLUNTEERS} Bydelsmødre, {REQUESTS} requests, {MATCHES} matches, "
            f"{MATCHES * MESSAGES} messages, {MATCHES * 3} check-ins in {time.perf_counter() - began:.1f} s"
        )
        app = Starlette(routes=dashboard_routes(services, NoFiles()), middleware=dashboard_middleware())
        pages = ["/", "/waiting", "/bydelsmoedre", "/matches", f"/matches/{some_match}",
                 f"/requests/{waiting_in_group_1}",
                 "/outcomes", "/outcomes.csv", "/audit"]  # fmt: skip
        for who, telegram_id in (("national admin (all 40 groups)", 1), ("coordinator of one group", 2)):
            client = await signed_in_client(app, services.dashboard_access, telegram_id)
            print(f"\n{who}: median of {ROUNDS}, ms")
            for path in pages:
                times = []
                status = 0
                for _ in range(ROUNDS):
                    start = time.perf_counter()
                    response = await client.get(path)
                    times.append((time.perf_counter() - start) * 1000)
                    status = response.status_code
                size = len(response.content)
                print(f"  {path:<22} {statistics.median(times):8.1f}   (HTTP {status}, {size:,} bytes)")
            await client.aclose()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\npeak memory of the process: {peak:.0f} MB")
        await services.db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
