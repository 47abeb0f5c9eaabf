"""0016: an announcement's photo column comes and goes with the migration (down, and up again)."""

from sqlalchemy import Connection

from storage.db import Database
from tests.storage.migrating import columns_and_indexes, migrate


async def test_0016_downgrades_and_upgrades_again(database: Database) -> None:
    def step(connection: Connection, revision: str, *, down: bool) -> set[str]:
        migrate(connection, revision, down=down)
        return columns_and_indexes(connection, "announcements")[0]

    # Up to head again, not just this revision: the run's one PostgreSQL database serves the tests after this.
    async with database.engine.begin() as connection:
        assert "photo_file_id" not in await connection.run_sync(lambda c: step(c, "0015", down=True))
        assert "photo_file_id" in await connection.run_sync(lambda c: step(c, "head", down=False))
