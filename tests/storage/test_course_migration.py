"""0014: the course's tables come and go with the migration (upgrade, downgrade, upgrade again)."""

from sqlalchemy import Connection, inspect

from storage.db import Database
from tests.storage.migrating import migrate

COURSE_TABLES = {"course_progress", "course_talks", "course_lesson_texts"}


async def test_0014_downgrades_and_upgrades_again(database: Database) -> None:
    def step(connection: Connection, revision: str, *, down: bool) -> set[str]:
        migrate(connection, revision, down=down)
        return set(inspect(connection).get_table_names())

    # Up to head again, not just this revision: the run's one PostgreSQL database serves the tests after this.
    async with database.engine.begin() as connection:
        assert await connection.run_sync(lambda c: set(inspect(c).get_table_names())) >= COURSE_TABLES
        assert not COURSE_TABLES & await connection.run_sync(lambda c: step(c, "0013", down=True))
        assert await connection.run_sync(lambda c: step(c, "head", down=False)) >= COURSE_TABLES
