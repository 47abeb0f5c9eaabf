"""0017: the inbox's queue position and its index come and go with the migration (down, and up again)."""

from storage.db import Database
from tests.storage.migrating import migrated


async def test_0017_downgrades_and_upgrades_again(database: Database) -> None:
    # Up to head again, not just this revision: the run's one PostgreSQL database serves the tests after this.
    async with database.engine.begin() as connection:
        columns, indexes = await connection.run_sync(migrated("inbox", "0016", down=True))
        assert "queue_position" not in columns and "ix_inbox_status_update_id" in indexes
        columns, indexes = await connection.run_sync(migrated("inbox", "head"))
        assert "queue_position" in columns and "ix_inbox_status_queue_position" in indexes
