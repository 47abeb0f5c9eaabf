"""0019: the outbox's turn column and its index come and go with the migration (down, and up again)."""

from storage.db import Database
from tests.storage.migrating import migrated


async def test_0019_downgrades_and_upgrades_again(database: Database) -> None:
    # Up to head again, not just this revision: the run's one PostgreSQL database serves the tests after this.
    async with database.engine.begin() as connection:
        columns, indexes = await connection.run_sync(migrated("outbox", "0018", down=True))
        assert "turn" not in columns and "ix_outbox_status_priority_turn_id" not in indexes
        assert "ix_outbox_status_priority_id" in indexes
        columns, indexes = await connection.run_sync(migrated("outbox", "head"))
        assert "turn" in columns and "ix_outbox_status_priority_turn_id" in indexes
        assert "ix_outbox_status_priority_id" not in indexes
