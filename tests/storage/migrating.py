"""One migration step, down or up, inside a test's connection, and what a table looks like after it."""

from collections.abc import Callable

from alembic import command
from sqlalchemy import Connection, inspect

from storage.migrate import alembic_config


def migrate(connection: Connection, revision: str, *, down: bool) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    (command.downgrade if down else command.upgrade)(config, revision)


def columns_and_indexes(connection: Connection, table: str) -> tuple[set[str], set[str | None]]:
    inspector = inspect(connection)
    columns = {column["name"] for column in inspector.get_columns(table)}
    return columns, {index["name"] for index in inspector.get_indexes(table)}


def migrated(
    table: str, revision: str, *, down: bool = False
) -> Callable[[Connection], tuple[set[str], set[str | None]]]:
    """For `connection.run_sync`: one step to `revision`, then `table`'s columns and indexes."""

    def step(connection: Connection) -> tuple[set[str], set[str | None]]:
        migrate(connection, revision, down=down)
        return columns_and_indexes(connection, table)

    return step
