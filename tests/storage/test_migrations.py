import json
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import JSON, Connection, bindparam, text

from storage.db import Database, create_engine
from storage.migrate import alembic_config, upgrade
from storage.models import Base, UtcDateTime


async def test_the_migrations_create_exactly_the_tables_of_the_models(database: Database) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with database.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_held_messages_are_moved_into_the_encrypted_column(database: Database) -> None:
    """0008: a Bydelsmor's held messages (file ids in clear until then) are encrypted, in order."""

    def downgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")

    async with database.engine.begin() as connection:
        await connection.run_sync(downgrade)
        await connection.execute(
            text(
                "INSERT INTO volunteers (telegram_user_id, display_name, spoken_languages,"
                " capacity_per_month, active, pending_messages, created_at)"
                " VALUES (7, 'Hodan', '[]', 3, :yes, :held, :now)"
            ).bindparams(bindparam("held", type_=JSON), bindparam("now", type_=UtcDateTime())),
            {
                "yes": True,
                "held": [[11, "voice", "AwACAgQ-voice"], [12, "text", ""]],
                "now": datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
            },
        )
    await upgrade(database.engine, cipher=database.cipher)

    async with database.engine.connect() as connection:
        [row] = (await connection.execute(text("SELECT * FROM volunteers"))).mappings().all()
    assert "pending_messages" not in row
    assert "AwACAgQ" not in repr(dict(row))
    assert json.loads(database.cipher.decrypt(row["pending_messages_encrypted"])) == [
        {"message_id": 11, "kind": "voice", "text": None, "file_id": "AwACAgQ-voice"},
        {"message_id": 12, "kind": "text", "text": None, "file_id": None},
    ]


async def test_foreign_keys_are_on_again_after_migrating_a_sqlite_database(tmp_path: Path) -> None:
    """Migrations run with SQLite's foreign keys off (a table rebuild would cascade); the bot's are on."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'keys.sqlite3'}")
    await upgrade(engine, "0005")
    await upgrade(engine)
    async with engine.connect() as connection:  # the same pooled connection the migration used
        assert (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar_one() == 1
    await engine.dispose()
