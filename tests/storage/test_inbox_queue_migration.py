"""0017: the inbox's queue position and its index come and go with the migration (down, and up again)."""

from alembic import command
from sqlalchemy import Connection, inspect

from storage.db import Database
from storage.migrate import alembic_config


async def test_0017_downgrades_and_upgrades_again(database: Database) -> None:
    def migrate(connection: Connection, revision: str, *, down: bool) -> tuple[set[str], set[str | None]]:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        inspector = inspect(connection)
        columns = {column["name"] for column in inspector.get_columns("inbox")}
        return columns, {index["name"] for index in inspector.get_indexes("inbox")}

    # Up to head again, not just this revision: the run's one PostgreSQL database serves the tests after this.
    async with database.engine.begin() as connection:
        columns, indexes = await connection.run_sync(lambda c: migrate(c, "0016", down=True))
        assert "queue_position" not in columns and "ix_inbox_status_update_id" in indexes
        columns, indexes = await connection.run_sync(lambda c: migrate(c, "head", down=False))
        assert "queue_position" in columns and "ix_inbox_status_queue_position" in indexes
