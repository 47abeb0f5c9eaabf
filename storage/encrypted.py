"""The encrypted columns, found from the models, and the queries a key rotation needs.

An encrypted field is a LargeBinary column named `*_encrypted` holding a Fernet token (storage.crypto).
They are found from `Base.metadata`, not listed by hand, so a column added later is rotated and checked too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Column, Connection, LargeBinary, Table, func, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import Base

__all__ = [
    "EncryptedColumn",
    "encrypted_columns",
    "existing_encrypted_columns",
    "first_token",
    "replace_token",
    "tokens_after",
]


@dataclass(frozen=True, slots=True)
class EncryptedColumn:
    table: Table
    column: Column[bytes]
    key: Column[object]  # the table's one-column primary key: batches walk along it

    @property
    def name(self) -> str:
        return f"{self.table.name}.{self.column.name}"


def encrypted_columns() -> list[EncryptedColumn]:
    """Every LargeBinary column of the models, in table order; each table must have a one-column key."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, LargeBinary):
                continue
            [key] = table.primary_key.columns  # a rotation walks the rows by one key column
            found.append(EncryptedColumn(table=table, column=column, key=key))
    return found


async def existing_encrypted_columns(connection: AsyncConnection) -> list[EncryptedColumn]:
    """The encrypted columns this database has (an older schema may lack some)."""

    def present(sync: Connection) -> set[tuple[str, str]]:
        inspector = inspect(sync)
        return {
            (table, column["name"])
            for table in inspector.get_table_names()
            for column in inspector.get_columns(table)
        }

    columns = await connection.run_sync(present)
    return [found for found in encrypted_columns() if (found.table.name, found.column.name) in columns]


async def tokens_after(
    connection: AsyncConnection, *, column: EncryptedColumn, after: object | None, limit: int
) -> Sequence[tuple[object, bytes]]:
    """The next `limit` (key, token) pairs with a value, in key order, after the key `after`."""
    query = select(column.key, column.column).where(column.column.is_not(None))
    if after is not None:
        query = query.where(column.key > after)
    rows = (await connection.execute(query.order_by(column.key).limit(limit))).all()
    return [(row[0], bytes(row[1])) for row in rows]


async def replace_token(
    connection: AsyncConnection, *, column: EncryptedColumn, key: object, old: bytes, new: bytes
) -> bool:
    """Write `new` only if the row still holds `old`: a value the bot changed meanwhile is left as it is."""
    result = await connection.execute(
        update(column.table).where(column.key == key, column.column == old).values({column.column.name: new})
    )
    return bool(result.rowcount)


async def first_token(connection: AsyncConnection, *, column: EncryptedColumn) -> bytes | None:
    """One stored token of the column (the lowest key), or None when the column holds none."""
    query = select(column.column).where(
        column.key == select(func.min(column.key)).where(column.column.is_not(None)).scalar_subquery()
    )
    value = (await connection.execute(query)).scalar_one_or_none()
    return bytes(value) if value is not None else None
