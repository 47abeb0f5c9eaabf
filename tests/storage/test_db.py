"""The connection's settings that keep erased data out of SQLite's files, and SQLite's turns."""

import asyncio
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from storage import db as db_module
from storage.crypto import FieldCipher
from storage.db import Database, create_engine

KEY = Fernet.generate_key().decode()


async def test_every_sqlite_connection_overwrites_deleted_rows(tmp_path: Path) -> None:
    # Many SQLite builds delete by marking space free; secure_delete overwrites it with zeros.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
    async with engine.connect() as connection:
        assert (await connection.exec_driver_sql("PRAGMA secure_delete")).scalar_one() == 1
        assert (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar_one() == "wal"
    await engine.dispose()


def sqlite_database(tmp_path: Path) -> Database:
    return Database(create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}"), FieldCipher(KEY))


async def test_sqlite_transactions_of_one_process_take_turns_first_come_first_served(tmp_path: Path) -> None:
    # Before: SQLite's busy handler made a waiting writer sleep and look again, and the inbox worker, one
    # commit after another, kept getting back in first: storing Telegram's updates waited up to a second.
    database = sqlite_database(tmp_path)
    entered: list[str] = []
    first_inside = asyncio.Event()
    let_go = asyncio.Event()

    async def work(name: str, hold: asyncio.Event | None = None) -> None:
        async with database.transaction() as session:
            entered.append(name)
            await session.execute(text("SELECT 1"))
            if hold is not None:
                first_inside.set()
                await hold.wait()
            entered.append(f"{name} done")

    first = asyncio.create_task(work("worker", let_go))
    await first_inside.wait()
    waiting = [asyncio.create_task(work(name)) for name in ("fetch", "outbox")]
    await asyncio.sleep(0.05)
    assert entered == ["worker"]  # nobody else is inside while it holds its turn
    let_go.set()
    await asyncio.gather(first, *waiting)
    assert entered == ["worker", "worker done", "fetch", "fetch done", "outbox", "outbox done"]
    await database.dispose()


async def test_a_transaction_opened_inside_one_of_the_same_task_does_not_wait_for_a_turn(
    tmp_path: Path,
) -> None:
    database = sqlite_database(tmp_path)
    async with database.transaction() as outer:
        await outer.execute(text("SELECT 1"))
        async with asyncio.timeout(2), database.transaction() as inner:  # would wait for itself
            assert (await inner.execute(text("SELECT 2"))).scalar_one() == 2
    await database.dispose()


async def test_a_turn_not_given_in_time_is_taken_anyway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(db_module, "SQLITE_TURN_WAIT", 0.05)
    database = sqlite_database(tmp_path)
    let_go = asyncio.Event()

    async def holder() -> None:
        async with database.transaction():
            await let_go.wait()

    held = asyncio.create_task(holder())
    await asyncio.sleep(0.01)
    async with database.transaction() as session:  # goes ahead: SQLite's own busy_timeout decides now
        assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
    assert "waited 0 s for a turn" in caplog.text
    let_go.set()
    await held
    await database.dispose()


async def test_a_read_only_look_does_not_wait_for_a_turn(tmp_path: Path) -> None:
    # /readyz and /metrics answer while the inbox worker's update waits for Telegram inside its turn.
    database = sqlite_database(tmp_path)
    let_go = asyncio.Event()

    async def holder() -> None:
        async with database.transaction() as session:
            await session.execute(text("CREATE TABLE t (x INTEGER)"))
            await let_go.wait()

    held = asyncio.create_task(holder())
    await asyncio.sleep(0.05)
    async with asyncio.timeout(1), database.reading() as session:
        assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
    let_go.set()
    await held
    await database.dispose()
