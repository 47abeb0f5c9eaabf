"""SQLite's statements in one trip to its thread each (storage.sqlite_driver): the same answers as before."""

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.db import create_engine
from storage.sqlite_driver import OneTripCursor


async def test_a_sqlite_engine_runs_each_statement_in_one_trip_and_answers_as_sqlite_does(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
    async with engine.begin() as connection:
        raw = await connection.get_raw_connection()
        assert isinstance(raw.dbapi_connection.cursor(), OneTripCursor)  # type: ignore[union-attr]
        await connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT UNIQUE)"))
        many = await connection.execute(
            text("INSERT INTO notes (body) VALUES (:body)"), [{"body": "a"}, {"body": "b"}]
        )
        assert many.rowcount == 2
        one = await connection.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": "c"})
        assert (one.lastrowid, one.rowcount) == (3, 1)
        changed = await connection.execute(text("UPDATE notes SET body = body || '!' WHERE id > 1"))
        assert changed.rowcount == 2
        rows = await connection.execute(text("SELECT id, body FROM notes ORDER BY id"))
        assert list(rows.keys()) == ["id", "body"]
        assert rows.all() == [(1, "a"), (2, "b!"), (3, "c!")]
        gone = await connection.execute(text("DELETE FROM notes WHERE id = 1 RETURNING body"))
        assert gone.scalars().all() == ["a"]
        with pytest.raises(IntegrityError):
            await connection.execute(text("INSERT INTO notes (body) VALUES ('b!')"))
        with pytest.raises(OperationalError):
            await connection.execute(text("SELECT missing FROM notes"))
        assert (await connection.execute(text("SELECT count(*) FROM notes"))).scalar_one() == 2
    await engine.dispose()
