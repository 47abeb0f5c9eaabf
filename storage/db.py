"""The database connection: SQLite by default, PostgreSQL in production."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.crypto import FieldCipher
from storage.sqlite_driver import ONE_TRIP_DBAPI

__all__ = ["Database", "cipher_of", "create_engine", "scrub_after_commit", "signal_after_commit"]

log = logging.getLogger(__name__)

_CIPHER = "field_cipher"  # session.info key: the cipher travels with every session a Database makes
_SCRUB = "scrub_after_commit"  # session.info key: something was erased, clear its bytes after the commit
_SIGNALS = "signals_after_commit"  # session.info key: names to tell their listeners about after the commit

# SQLite: how long a transaction waits for its turn in this process before it goes ahead anyway (and SQLite's
# own busy_timeout decides). Longer than any transaction should take; a bound, so that two transactions that
# wait on each other in some way not foreseen (one holding a turn while it waits for Telegram's pace, which
# the other holds) cannot wait for ever, only as long as they could before there were turns.
SQLITE_TURN_WAIT = 5.0


def create_engine(url: str, **options: Any) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        if parsed.get_driver_name() == "aiosqlite":
            # One trip to SQLite's thread per statement, not four (storage.sqlite_driver).
            options.setdefault("module", ONE_TRIP_DBAPI)
        # hide_parameters: an error in the log must not carry a woman's Telegram id or words.
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True, **options)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE erases her data completely
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            # A deleted row is overwritten with zeros, not just marked free: erased means gone from the file.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    # No pool_pre_ping: it costs a round trip on every transaction. A connection the server dropped fails
    # one transaction; SQLAlchemy then discards the pool's stale connections, and the inbox and the outbox
    # try that work again (bot.inbox.RETRY_AFTER). pool_recycle keeps connections younger than idle timeouts.
    return create_async_engine(url, pool_recycle=1800, hide_parameters=True, **options)


def cipher_of(session: AsyncSession) -> FieldCipher:
    """The cipher for encrypted fields, for code that is handed a session rather than the Database."""
    cipher = session.info.get(_CIPHER)
    if not isinstance(cipher, FieldCipher):
        raise RuntimeError("this session was not made by storage.db.Database: it has no cipher")
    return cipher


def scrub_after_commit(session: AsyncSession) -> None:
    """Someone's data was deleted in this transaction: once it commits, remove the old bytes from disk too."""
    session.info[_SCRUB] = True


def signal_after_commit(session: AsyncSession, name: str) -> None:
    """Once this transaction commits (not if it rolls back), call the listeners of `name` (`on_commit`)."""
    session.info.setdefault(_SIGNALS, set()).add(name)


class Database:
    """An engine, a session factory and the cipher for encrypted fields."""

    def __init__(self, engine: AsyncEngine, cipher: FieldCipher) -> None:
        self.engine = engine
        self.cipher = cipher
        self._sessions = async_sessionmaker(engine, expire_on_commit=False, info={_CIPHER: cipher})
        self._joined: ContextVar[AsyncSession | None] = ContextVar("joined_transaction", default=None)
        self._listeners: dict[str, list[Callable[[], None]]] = {}
        # SQLite lets one writer in at a time and makes the others sleep and look again (busy_timeout): under
        # load the inbox worker, committing one update after another, kept getting back in first, and storing
        # what Telegram sent (or claiming the outbox) waited up to a second each time. Transactions of this
        # process take turns instead, first come first served. PostgreSQL locks rows, not the file: no turns.
        self._turn = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        self._has_turn: ContextVar[bool] = ContextVar("has_sqlite_turn", default=False)

    def on_commit(self, name: str, listener: Callable[[], None]) -> None:
        """Call `listener` after each commit of a transaction that signalled `name`."""
        self._listeners.setdefault(name, []).append(listener)

    def _committed(self, session: AsyncSession) -> None:
        for name in session.info.pop(_SIGNALS, ()):
            for listener in self._listeners.get(name, ()):
                listener()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: committed when the block ends, rolled back if it raises.

        Inside `unit_of_work` (in the same task) it joins that transaction instead: committed with it.
        """
        joined = self._joined.get()
        if joined is not None:
            yield joined
            return
        async with self._sqlite_turn():
            async with self._sessions.begin() as session:
                yield session
            self._committed(session)
        if session.info.pop(_SCRUB, False):
            await self.scrub()

    @asynccontextmanager
    async def _sqlite_turn(self) -> AsyncIterator[None]:
        """On SQLite, this process's turn to use the database (see __init__); elsewhere nothing."""
        if self._turn is None or self._has_turn.get():  # PostgreSQL, or a transaction inside one that has it
            yield
            return
        try:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation that comes
            # just as the lock is granted (and a graceful stop would then wait for ever).
            async with asyncio.timeout(SQLITE_TURN_WAIT):
                await self._turn.acquire()
        except TimeoutError:
            log.warning("waited %.0f s for a turn at the SQLite database; going ahead", SQLITE_TURN_WAIT)
            yield
            return
        token = self._has_turn.set(True)
        try:
            yield
        finally:
            self._turn.release()
            self._has_turn.reset(token)

    def has_turn(self) -> bool:
        """Is the database this task's now (always on PostgreSQL; on SQLite, inside a turn it was given)?"""
        return self._turn is None or self._has_turn.get()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A read-only look that waits for no turn (SQLite's WAL lets it read beside a writer): for /readyz
        and /metrics, which must answer while the inbox worker's update waits for Telegram."""
        async with self._sessions() as session:
            yield session
            await session.rollback()

    async def scrub(self) -> None:
        """Remove the bytes of deleted rows from the database's files.

        SQLite writes every change to its -wal file first, and old versions of a page stay there until a
        checkpoint; a TRUNCATE checkpoint copies the newest pages (zeroed by secure_delete) into the main
        file and empties the -wal file. It waits (busy_timeout) for readers of older snapshots. PostgreSQL
        keeps dead rows until vacuum reuses their space; nothing here can force that.
        """
        if self.engine.dialect.name != "sqlite":
            return
        async with self.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            # One row: (busy, frames in the log, frames checkpointed); busy = 1 when readers held it back.
            outcome = (await autocommit.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
        if outcome[0]:
            log.warning("the SQLite checkpoint after an erase was blocked: the -wal file keeps old pages")

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction that every `transaction()` opened inside it (in this task) joins.

        The inbox handles an update in one: the use cases' changes and "this update is done" commit
        together, or, after a crash or an error, not at all.
        """
        async with self._sqlite_turn():
            async with self._sessions.begin() as session:
                token = self._joined.set(session)
                try:
                    yield session
                finally:
                    self._joined.reset(token)
            self._committed(session)
        if session.info.pop(_SCRUB, False):  # an erase inside it: its bytes leave the files after the commit
            await self.scrub()

    async def dispose(self) -> None:
        await self.engine.dispose()
