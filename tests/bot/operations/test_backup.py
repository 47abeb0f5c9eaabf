"""`backup` and `restore`: the restore drill, and what a restore refuses or reports."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.inbox import Inbox
from bot.operations.backup import BackupError, back_up, restore
from storage.crypto import FieldCipher
from storage.db import Database, create_engine
from storage.migrate import head_revision, known_revisions
from tests.bot.operations.helpers import conversation, logged, migrate, wipe
from tests.conftest import Clock
from tests.harness import BotHarness

CONVERSATION = [
    ("woman", "I got a letter from the kommune"),
    ("bydelsmor", "Send me a photo of it"),
    ("woman", "Here it is, thank you"),
]

# A row of the simplest table, written with plain SQL as another process would.
GROUP = (
    "INSERT INTO groups (id, name, slug, postcodes, created_at)"
    " VALUES ({n}, 'G{n}', 'g{n}', '[]', CURRENT_TIMESTAMP)"
)

# The newest migration and the one before: an "older" database is one migration behind.
HEAD = head_revision()
PREVIOUS = known_revisions()[-2]


async def test_after_a_restore_her_next_message_reaches_the_same_bydelsmor(
    fresh_database_url: str, data_key: str, clock: Clock, tmp_path: Path
) -> None:
    await migrate(fresh_database_url)
    bot = BotHarness(database_url=fresh_database_url, data_key=data_key, clock=clock, data_dir=tmp_path)
    await bot.start()
    try:
        hodan, amina = await conversation(bot)
        backup = tmp_path / "bydelsmor.backup"
        written = await back_up(database_url=fresh_database_url, target=backup)
        assert (written.revision, written.rows["matches"], written.rows["message_log"]) == (HEAD, 1, 3)

        await bot.stop()
        await wipe(fresh_database_url)
        restored = await restore(database_url=fresh_database_url, source=backup, cipher=FieldCipher(data_key))
        assert restored.problems == []
        assert restored.contents == written
        await bot.start()

        await amina.send("Are you still there?")
        assert bot.inbox(hodan.user_id)[-1].text == "Are you still there?"
        await hodan.send("Yes, I am here")
        assert bot.inbox(amina.user_id)[-1].text == "Yes, I am here"
        assert await logged(bot) == [
            *CONVERSATION,
            ("woman", "Are you still there?"),
            ("bydelsmor", "Yes, I am here"),
        ]
    finally:
        await bot.close()


async def test_a_restore_refuses_a_database_that_has_tables_and_changes_nothing(
    fresh_database_url: str, tmp_path: Path
) -> None:
    await migrate(fresh_database_url)
    backup = tmp_path / "empty.backup"
    await back_up(database_url=fresh_database_url, target=backup)
    engine = create_engine(fresh_database_url)
    async with engine.begin() as connection:
        await connection.execute(text(GROUP.format(n=7)))

    with pytest.raises(BackupError, match=r"is not empty .* A restore goes only into an empty database"):
        await restore(
            database_url=fresh_database_url, source=backup, cipher=FieldCipher(Fernet.generate_key().decode())
        )
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT id FROM groups"))).scalars().all() == [7]
    await engine.dispose()


async def test_a_backup_is_never_written_over_an_existing_file(
    fresh_database_url: str, tmp_path: Path
) -> None:
    await migrate(fresh_database_url)
    backup = tmp_path / "monday.backup"
    backup.write_bytes(b"last week's backup")
    with pytest.raises(BackupError, match="exists already"):
        await back_up(database_url=fresh_database_url, target=backup)
    assert backup.read_bytes() == b"last week's backup"


async def test_a_restore_with_another_key_says_that_data_key_does_not_open_the_backup(
    fresh_database_url: str, data_key: str, clock: Clock, tmp_path: Path
) -> None:
    await migrate(fresh_database_url)
    db = Database(create_engine(fresh_database_url), FieldCipher(data_key))
    await Inbox(db=db, clock=clock).receive({"update_id": 5, "message": {"chat": {"id": 42}, "text": "Hi"}})
    await db.dispose()
    backup = tmp_path / "inbox.backup"
    await back_up(database_url=fresh_database_url, target=backup)
    await wipe(fresh_database_url)

    other_key = FieldCipher(Fernet.generate_key().decode())
    restored = await restore(database_url=fresh_database_url, source=backup, cipher=other_key)
    assert restored.contents.rows["inbox"] == 1
    assert restored.problems == [
        "DATA_KEY does not open inbox.payload_encrypted: set DATA_KEY to the key (or keys) that were in use"
        " when the backup was made"
    ]


async def test_a_restored_older_backup_says_to_run_migrate(fresh_database_url: str, tmp_path: Path) -> None:
    await migrate(fresh_database_url, PREVIOUS)
    backup = tmp_path / "old.backup"
    await back_up(database_url=fresh_database_url, target=backup)
    await wipe(fresh_database_url)

    restored = await restore(
        database_url=fresh_database_url, source=backup, cipher=FieldCipher(Fernet.generate_key().decode())
    )
    assert restored.contents.revision == PREVIOUS
    assert restored.problems == [
        f"the backup is at migration {PREVIOUS}, this version of the bot needs {HEAD}:"
        " run `python -m bot migrate`"
        " before starting the bot"
    ]


async def test_a_backup_while_the_bot_writes_holds_what_was_committed_and_does_not_wait(
    fresh_database_url: str, tmp_path: Path
) -> None:
    await migrate(fresh_database_url)
    engine = create_engine(fresh_database_url)
    async with engine.begin() as connection:
        await connection.execute(text(GROUP.format(n=1)))
    async with engine.connect() as writer:
        transaction = await writer.begin()
        await writer.execute(text(GROUP.format(n=2)))
        written = await asyncio.wait_for(
            back_up(database_url=fresh_database_url, target=tmp_path / "busy.backup"), timeout=20
        )
        await transaction.commit()
    await engine.dispose()
    assert written.rows["groups"] == 1  # the row in flight is in the next backup, not half in this


async def test_a_file_that_is_not_a_backup_is_refused(fresh_database_url: str, tmp_path: Path) -> None:
    stray = tmp_path / "notes.txt"
    stray.write_text("not a database")
    with pytest.raises(BackupError, match=r"is not a (SQLite|PostgreSQL) backup"):
        await restore(
            database_url=fresh_database_url, source=stray, cipher=FieldCipher(Fernet.generate_key().decode())
        )
