"""Apply the Alembic migrations: `python -m bot migrate`, and at start of `python -m bot run`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.crypto import FieldCipher

__all__ = [
    "CIPHER",
    "alembic_config",
    "current_revision",
    "head_revision",
    "is_up_to_date",
    "known_revisions",
    "upgrade",
]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CIPHER = "field_cipher"  # the Alembic config attribute through which a migration gets the FieldCipher


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head", *, cipher: FieldCipher | None = None) -> None:
    """Bring the schema up to `revision`. A migration that encrypts existing rows needs the `cipher`
    (DATA_KEY); without it, such a migration refuses to run on a database that has rows to encrypt."""

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        config.attributes[CIPHER] = cipher
        command.upgrade(config, revision)

    async with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a table by copying it and dropping the old one, and with foreign keys on, that
            # DROP deletes every row that points at the table by ON DELETE CASCADE (an upgrade that rebuilt
            # `volunteers` emptied `matches` and the conversation logs). So they are off while migrating, and
            # checked before the commit instead. The pragma works only outside a transaction.
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await connection.commit()
        try:
            async with connection.begin():
                if not sqlite:
                    # Two bot processes starting at once must not both create the tables: the second waits.
                    await connection.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
                await connection.run_sync(run)
                if sqlite and (
                    broken := (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
                ):
                    raise RuntimeError(f"the migration left rows pointing at missing rows: {broken[:5]}")
        finally:
            if sqlite:
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                await connection.commit()


def head_revision() -> str:
    """The revision this code's models are at: the newest migration."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def known_revisions() -> list[str]:
    """Every migration's revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at; None for a database no migration has touched."""

    def current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(current)


async def is_up_to_date(engine: AsyncEngine) -> bool:
    """True when the database has every migration: admin commands refuse to run on an old schema."""
    return await current_revision(engine) == head_revision()
