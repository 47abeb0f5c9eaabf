"""0016: an announcement's photo column comes and goes with the migration (down, and up again)."""

from alembic import command
from sqlalchemy import Connection, inspect

from storage.db import Database
from storage.migrate import alembic_config


async def test_0016_downgrades_and_upgrades_again(database: Database) -> None:
    def migrate(connection: Connection, revision: str, *, down: bool) -> set[str]:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        return {column["name"] for column in inspect(connection).get_columns("announcements")}

    # Up to head again, not just this revision: the run's one PostgreSQL database serves the tests after this.
    async with database.engine.begin() as connection:
        assert "photo_file_id" not in await connection.run_sync(lambda c: migrate(c, "0015", down=True))
        assert "photo_file_id" in await connection.run_sync(lambda c: migrate(c, "head", down=False))
