"""SQLAlchemy's aiosqlite driver, with each statement run in one trip to SQLite's thread instead of four.

aiosqlite runs SQLite in a thread of its own; every call from the event loop is a trip there and back (a
queue, a wake-up, a write to the loop's self-pipe). SQLAlchemy's adapter makes four for each statement:
open a cursor, execute, fetch the rows, close the cursor. In a burst of updates those trips were a third
of the process's CPU. Here the four are one function run in that thread, in the same order, with the same
sqlite3 calls: what SQLite does, and what SQLAlchemy gets back (rows, description, rowcount, lastrowid),
is the same. Server-side cursors (streaming) keep SQLAlchemy's own cursor.

It uses two private names, pinned with SQLAlchemy 2.1 and aiosqlite 0.22 in the lock file:
aiosqlite's `Connection._execute` (run a function in its thread) and SQLAlchemy's adapter classes.
tests/storage/test_sqlite_driver.py checks that engines use it and what it returns.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT

__all__ = ["ONE_TRIP_DBAPI"]

_Ran = tuple[Any, list[Any], int, int | None]  # description, rows, rowcount, lastrowid


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> _Ran:
    """In SQLite's thread: what SQLAlchemy's adapter did in four trips (cursor, execute, fetchall, close)."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, () if parameters is None else parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose statement, rows and close happen in one trip; the rows are then read from memory."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:
        # Not SQLAlchemy's __init__: it opens an aiosqlite cursor, a trip of its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]  # no aiosqlite cursor: sqlite3's, in the trip
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1  # sqlite3's default

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize  # fetchmany() without a size reads it, as from sqlite3's cursor

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _ran(self, operation: Any, parameters: Any, *, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            connection: Any = self._connection  # aiosqlite.Connection; _execute is untyped
            ran: _Ran = await connection._execute(_run, connection._conn, operation, parameters, many)
            self._description, rows, self._rowcount, self._lastrowid = ran
            self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._ran(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        await self._ran(operation, seq_of_parameters, many=True)

    async def _async_soft_close(self) -> None:
        pass  # the sqlite3 cursor was closed in the trip that used it

    def close(self) -> None:
        self._rows.clear()

    def nextset(self) -> None:
        return None  # sqlite3 has one result set a statement

    def setinputsizes(self, *inputsizes: Any) -> None:
        pass  # sqlite3 ignores it too


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneTripCursor


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """aiosqlite as SQLAlchemy's dialect sees it, making OneTripConnections."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


ONE_TRIP_DBAPI = OneTripDBAPI(aiosqlite, sqlite3)
