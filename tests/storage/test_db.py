"""The connection's settings that keep erased data out of SQLite's files."""

from pathlib import Path

from storage.db import create_engine


async def test_every_sqlite_connection_overwrites_deleted_rows(tmp_path: Path) -> None:
    # Many SQLite builds delete by marking space free; secure_delete overwrites it with zeros.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
    async with engine.connect() as connection:
        assert (await connection.exec_driver_sql("PRAGMA secure_delete")).scalar_one() == 1
        assert (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar_one() == "wal"
    await engine.dispose()
