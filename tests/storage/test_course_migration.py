"""0014: the course's tables come and go with the migration (upgrade, downgrade, upgrade again)."""

from alembic import command
from sqlalchemy import Connection, inspect

from storage.db import Database
from storage.migrate import alembic_config

COURSE_TABLES = {"course_progress", "course_talks", "course_lesson_texts"}


async def test_0014_downgrades_and_upgrades_again(database: Database) -> None:
    def migrate(connection: Connection, revision: str, *, down: bool) -> set[str]:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        return set(inspect(connection).get_table_names())

    # Up to head again, not just this revision: the run's one PostgreSQL database serves the tests after this.
    async with database.engine.begin() as connection:
        assert await connection.run_sync(lambda c: set(inspect(c).get_table_names())) >= COURSE_TABLES
        assert not COURSE_TABLES & await connection.run_sync(lambda c: migrate(c, "0013", down=True))
        assert await connection.run_sync(lambda c: migrate(c, "head", down=False)) >= COURSE_TABLES
