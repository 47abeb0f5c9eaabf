"""The database connection: SQLite by default, PostgreSQL in production."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.crypto import FieldCipher

__all__ = ["Database", "create_engine"]


def create_engine(url: str, **options: Any) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # hide_parameters: an error in the log must not carry a woman's Telegram id or words.
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True, **options)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE erases her data completely
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True, **options)


class Database:
    """An engine, a session factory and the cipher for encrypted fields."""

    def __init__(self, engine: AsyncEngine, cipher: FieldCipher) -> None:
        self.engine = engine
        self.cipher = cipher
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._joined: ContextVar[AsyncSession | None] = ContextVar("joined_transaction", default=None)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: committed when the block ends, rolled back if it raises.

        Inside `unit_of_work` (in the same task) it joins that transaction instead: committed with it.
        """
        joined = self._joined.get()
        if joined is not None:
            yield joined
            return
        async with self._sessions.begin() as session:
            yield session

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction that every `transaction()` opened inside it (in this task) joins.

        The inbox handles an update in one: the use cases' changes and "this update is done" commit
        together, or, after a crash or an error, not at all.
        """
        async with self._sessions.begin() as session:
            token = self._joined.set(session)
            try:
                yield session
            finally:
                self._joined.reset(token)

    async def dispose(self) -> None:
        await self.engine.dispose()
