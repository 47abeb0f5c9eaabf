"""0016: an announcement's photo column comes and goes with the migration (down, and up again)."""

from storage.db import Database
from tests.storage.migrating import migrated


async def test_0016_downgrades_and_upgrades_again(database: Database) -> None:
    # Up to head again, not just this revision: the run's one PostgreSQL database serves the tests after this.
    async with database.engine.begin() as connection:
        columns, _ = await connection.run_sync(migrated("announcements", "0015", down=True))
        assert "photo_file_id" not in columns
        columns, _ = await connection.run_sync(migrated("announcements", "head"))
        assert "photo_file_id" in columns
