"""Shared fixtures: a migrated database on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage.crypto import FieldCipher
from storage.db import Database, create_engine
from storage.migrate import upgrade
from storage.models import Base
from tests.harness import BotHarness

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


class Clock:
    """Time as a parameter: tests move it on by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _async_url(url: str) -> str:
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+asyncpg://" + url[len(plain) :]
    return url


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """One throw-away PostgreSQL database for the whole run, migrated once."""
    if not POSTGRES_URL:
        yield None
        return
    import asyncio

    admin_url = _async_url(POSTGRES_URL)
    name = f"bydelsmor_test_{uuid.uuid4().hex[:10]}"
    test_url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    async def create() -> None:
        admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        await admin.dispose()
        engine = create_engine(test_url)
        await upgrade(engine)
        await engine.dispose()

    async def drop() -> None:
        admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()

    asyncio.run(create())
    yield test_url
    asyncio.run(drop())


@pytest.fixture(params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_database: str | None
) -> AsyncIterator[str]:
    """A migrated, empty database: a new SQLite file, or the PostgreSQL test database emptied."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()
        yield url
        return
    assert postgres_database is not None
    engine = create_engine(postgres_database)
    async with engine.begin() as connection:
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()
    yield postgres_database


@pytest.fixture
def data_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
async def database(database_url: str, data_key: str) -> AsyncIterator[Database]:
    db = Database(create_engine(database_url), FieldCipher(data_key))
    yield db
    await db.dispose()


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    """Tests read the compiled catalogs, as the bot does; build them from the .po files first."""
    from bot.catalogs import compile_all, compile_dashboard

    compile_all()
    compile_dashboard()


@pytest.fixture
async def bot(database_url: str, data_key: str, clock: Clock, tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = BotHarness(database_url=database_url, data_key=data_key, clock=clock, data_dir=tmp_path)
    await harness.start()
    yield harness
    await harness.close()


@pytest.fixture(params=BACKENDS)
async def fresh_database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_database: str | None
) -> AsyncIterator[str]:
    """A database of its own with no tables at all: a new SQLite file, or a new PostgreSQL database.

    For tests that migrate from an old revision, restore into it, or drop everything in it.
    """
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'own.sqlite3'}"
        return
    assert POSTGRES_URL
    admin_url = _async_url(POSTGRES_URL)
    name = f"bydelsmor_own_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()
