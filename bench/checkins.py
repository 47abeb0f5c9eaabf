"""Check-ins at scale, and the sender against Telegram's limits. `python -m bench.checkins`.

1. 100,000 check-ins fall due at once (a long outage, or a big organisation): how long do claiming them and
   writing their messages to the outbox take, and how much memory?
2. The outbox sender against the stand-in enforcing Telegram's limits (30 messages a second overall): no 429,
   and how close to the limit it gets. Numbers, not a pass/fail test.

BENCH_DATABASE_URL (postgresql://...) runs the first part on a throw-away PostgreSQL database instead of
SQLite; BENCH_DUE sets how many check-ins fall due (100,000); `claim` or `send` runs one part only.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography.fernet import Fernet
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.checkins.service import Checkins
from bot.danger import DangerDesk
from bot.domain.geo import PostcodeDirectory
from bot.language_guess import LinguaGuesser
from bot.matching.screens import Helplines
from bot.matching.service import Matchmaker
from bot.outbox import OutboxSender, enqueue
from handlers.messenger import BotMessenger
from sandbox.ptb_request import StandInRequest
from sandbox.standin import StandIn
from storage.crypto import FieldCipher
from storage.db import Database, create_engine
from storage.migrate import upgrade
from storage.models import Checkin, OutboxMessage, Person

DUE = int(os.environ.get("BENCH_DUE", "100000"))
POSTGRES_URL = os.environ.get("BENCH_DATABASE_URL")
PEOPLE = 1_000
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SENDS = 300


@contextlib.asynccontextmanager
async def bench_database(folder: Path) -> AsyncIterator[str]:
    """A new SQLite file, or a throw-away PostgreSQL database dropped afterwards."""
    if not POSTGRES_URL:
        yield f"sqlite+aiosqlite:///{folder / 'bench.sqlite3'}"
        return
    admin_url = POSTGRES_URL.replace("postgresql://", "postgresql+asyncpg://", 1)
    name = f"bydelsmor_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


class RssSampler:
    """The process's resident memory, looked at every 20 ms while the claim runs: its peak over the start."""

    def __init__(self) -> None:
        self.start = self.peak = rss_mb()
        self._task: asyncio.Task[None] | None = None

    async def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, rss_mb())
            await asyncio.sleep(0.02)

    def __enter__(self) -> RssSampler:
        self._task = asyncio.get_running_loop().create_task(self._sample())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()
        self.peak = max(self.peak, rss_mb())


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def claim_and_queue(folder: Path) -> None:
    async with bench_database(folder) as url:
        await _claim_and_queue(url)


async def _claim_and_queue(url: str) -> None:
    db = Database(create_engine(url), FieldCipher(Fernet.generate_key().decode()))
    await upgrade(db.engine)
    async with db.transaction() as session:
        await session.execute(
            insert(Person),
            [
                {"telegram_user_id": 1000 + i, "role": "woman", "locale": "so", "step": "waiting",
                 "consent": "given", "created_at": NOW, "updated_at": NOW}
                for i in range(PEOPLE)
            ],
        )  # fmt: skip
        ids = list((await session.execute(select(Person.id, Person.telegram_user_id))).all())
        await session.execute(
            insert(Checkin),
            [
                {"person_id": ids[i % PEOPLE][0], "chat_id": ids[i % PEOPLE][1], "audience": "woman",
                 "kind": "followup", "questions": ["better"], "due_at": NOW - timedelta(minutes=1),
                 "status": "scheduled", "answers": {}, "awaiting_comment": False, "created_at": NOW}
                for i in range(DUE)
            ],
        )  # fmt: skip
    matchmaker = Matchmaker(
        postcodes=PostcodeDirectory.bundled(), offer_timeout=timedelta(hours=4), timezone=ZoneInfo("UTC")
    )
    checkins = Checkins(
        db=db, matchmaker=matchmaker, woman_after=(timedelta(days=7),), bydelsmor_after=(timedelta(days=14),),
        quiet=None, timezone=ZoneInfo("UTC"), helplines=Helplines(),
        danger=DangerDesk(matchmaker=matchmaker, guesser=LinguaGuesser()),
    )  # fmt: skip
    started, cpu_started = time.perf_counter(), time.process_time()
    with RssSampler() as memory:
        sent = await checkins.run_due(NOW)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    async with db.transaction() as session:
        queued = (await session.execute(select(func.count(OutboxMessage.id)))).scalar_one()
    await db.dispose()
    backend = make_url(url).get_backend_name()
    print(f"{DUE} due check-ins on {backend}: {sent} claimed and {queued} queued in {elapsed:.1f} s "
          f"({sent / elapsed:,.0f} a second, {cpu:.1f} s CPU in this process); "
          f"memory {memory.start:.0f} MB before, peak {memory.peak:.0f} MB "
          f"(+{memory.peak - memory.start:.0f})")  # fmt: skip


async def sender_against_limits(folder: Path) -> None:
    standin = StandIn(enforce_rate_limits=True)
    users = [standin.add_user(first_name=f"W{i}", language_code="so") for i in range(SENDS)]
    db = Database(
        create_engine(f"sqlite+aiosqlite:///{folder / 'send.sqlite3'}"),
        FieldCipher(Fernet.generate_key().decode()),
    )
    await upgrade(db.engine)
    async with db.transaction() as session:
        for user in users:
            await enqueue(
                session,
                chat_id=user,
                method="sendMessage",
                payload={"chat_id": user, "text": "Salaan"},
                now=NOW,
            )
    import telegram

    bot = telegram.Bot(standin.token, request=StandInRequest(standin))
    await bot.initialize()
    sender = OutboxSender(db=db, messenger=BotMessenger(bot), clock=lambda: NOW)
    started = time.perf_counter()
    sent = await sender.send_due(limit=SENDS)
    elapsed = time.perf_counter() - started
    refused = sum(
        1 for call in standin.calls("sendMessage") if call.error is not None and call.error.error_code == 429
    )
    rate = sent / elapsed
    print(f"outbox sender: {sent} messages to {SENDS} chats in {elapsed:.1f} s = {rate:.1f} a second "
          f"({rate / 30:.0%} of Telegram's 30 a second); 429 answers: {refused}")  # fmt: skip
    await bot.shutdown()
    await standin.aclose()
    await db.dispose()


async def main(parts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        if not parts or "claim" in parts:
            await claim_and_queue(Path(folder))
        if not parts or "send" in parts:
            await sender_against_limits(Path(folder))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))  # `claim` or `send` runs one part only
