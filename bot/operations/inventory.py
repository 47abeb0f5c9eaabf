"""What a database or a backup holds, in numbers: the migration revision and the rows per table."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ["VERSION_TABLE", "Inventory", "of_database", "of_sql_script", "of_sqlite_file"]

VERSION_TABLE = "alembic_version"  # Alembic's one-row table: the revision the schema is at


@dataclass(frozen=True, slots=True)
class Inventory:
    revision: str | None
    rows: dict[str, int]  # table name -> rows, the Alembic table left out

    def lines(self) -> list[str]:
        width = max((len(table) for table in self.rows), default=0)
        return [f"  {table:<{width}}  {count:>9}" for table, count in sorted(self.rows.items())]

    def differences(self, other: Inventory) -> list[str]:
        """What `other` (a restored database) holds differently from this (the backup), one line each."""
        return [
            f"table {table}: {self.rows.get(table, 'missing')} rows in the backup,"
            f" {other.rows.get(table, 'missing')} in the database"
            for table in sorted(self.rows.keys() | other.rows.keys())
            if self.rows.get(table) != other.rows.get(table)
        ]


def _inventory(connection: Connection) -> Inventory:
    tables = [name for name in inspect(connection).get_table_names() if name != VERSION_TABLE]
    rows = {
        # The names come from the database's own catalog, quoted: nothing here comes from a user.
        table: int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
        for table in tables
    }
    revision = None
    if inspect(connection).has_table(VERSION_TABLE):
        revision = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar_one_or_none()
    return Inventory(revision=revision, rows=rows)


async def of_database(engine: AsyncEngine) -> Inventory:
    async with engine.connect() as connection:
        return await connection.run_sync(_inventory)


def of_sqlite_file(path: Path) -> Inventory:
    """Read a SQLite backup without changing it (read-only: not even its journal mode)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        rows = {
            name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
            for name in names
            if name != VERSION_TABLE
        }
        revision = None
        if VERSION_TABLE in names:
            found = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
            revision = found[0] if found else None
    finally:
        connection.close()
    return Inventory(revision=revision, rows=rows)


def of_sql_script(lines: Iterable[str]) -> Inventory:
    """Count the rows of a plain-SQL dump (`pg_restore --data-only -f -`): COPY blocks, one row a line.

    COPY's text format escapes newlines inside values (as \\n), so each line of a block is one row.
    """
    rows: dict[str, int] = {}
    revision: str | None = None
    table: str | None = None
    for raw in lines:
        line = raw.rstrip("\n")
        if table is None:
            if line.startswith("COPY ") and line.endswith("FROM stdin;"):
                qualified = line[len("COPY ") :].split(" (", 1)[0]
                table = qualified.rsplit(".", 1)[-1].strip('"')
                if table != VERSION_TABLE:
                    rows[table] = 0
            continue
        if line == "\\.":
            table = None
        elif table == VERSION_TABLE:
            revision = line
        else:
            rows[table] += 1
    return Inventory(revision=revision, rows=rows)
