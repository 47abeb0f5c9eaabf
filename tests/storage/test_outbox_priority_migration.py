"""0018: the outbox's priority column and its index come and go with the migration (down, and up again)."""

from alembic import command
from sqlalchemy import Connection, inspect

from storage.db import Database
from storage.migrate import alembic_config


async def test_0018_downgrades_and_upgrades_again(database: Database) -> None:
    def migrate(connection: Connection, revision: str, *, down: bool) -> tuple[set[str], set[str | None]]:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        inspector = inspect(connection)
        columns = {column["name"] for column in inspector.get_columns("outbox")}
        return columns, {index["name"] for index in inspector.get_indexes("outbox")}

    # Up to head again, not just this revision: the run's one PostgreSQL database serves the tests after this.
    async with database.engine.begin() as connection:
        columns, indexes = await connection.run_sync(lambda c: migrate(c, "0017", down=True))
        assert "priority" not in columns and "ix_outbox_status_priority_id" not in indexes
        columns, indexes = await connection.run_sync(lambda c: migrate(c, "head", down=False))
        assert "priority" in columns and "ix_outbox_status_priority_id" in indexes
