"""`rotate-key`: every encrypted field under the new key, in batches, surviving a crash in the middle."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import LargeBinary, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.inbox import Inbox
from bot.operations.rotate import ColumnRotation, RotationError, rotate_key
from storage.crypto import FieldCipher
from storage.db import Database, create_engine
from storage.encrypted import encrypted_columns, first_token, replace_token
from storage.models import Base
from tests.bot.operations.helpers import conversation, logged, migrate
from tests.conftest import Clock
from tests.harness import BotHarness

FERNET_TOKEN = b"gAAAAA"  # how every Fernet token starts: version byte 0x80 and a timestamp far from 2^40


class SimulatedCrashError(Exception):
    pass


class CrashInTheMiddleOf:
    """After the first committed batch of this column, the process dies (an exception nobody catches)."""

    def __init__(self, column: str) -> None:
        self.column = column
        self.batches_seen: list[str] = []

    async def __call__(self, progress: ColumnRotation) -> None:
        self.batches_seen.append(progress.column)
        if progress.column == self.column:
            raise SimulatedCrashError


def test_every_encrypted_field_is_found_from_the_models() -> None:
    """The rule the rotation relies on: an encrypted field is a LargeBinary column named *_encrypted."""
    named = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if column.name.endswith("_encrypted") or isinstance(column.type, LargeBinary)
    }
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            is_binary = isinstance(column.type, LargeBinary)
            assert is_binary == column.name.endswith("_encrypted"), f"{table.name}.{column.name}"
    assert {found.name for found in encrypted_columns()} == named
    assert "outbox.payload_encrypted" in named and "message_log.content_encrypted" in named


async def every_token(engine: AsyncEngine) -> list[tuple[str, bytes]]:
    """Every value in every column of every table that is a Fernet token, whatever the column's type."""
    found = []
    async with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in (await connection.execute(select(table))).mappings():
                for column, value in row.items():
                    raw = value.encode() if isinstance(value, str) else value
                    if isinstance(raw, bytes | memoryview) and bytes(raw).startswith(FERNET_TOKEN):
                        found.append((f"{table.name}.{column}", bytes(raw)))
    return found


def opens(key: str, token: bytes) -> bool:
    try:
        Fernet(key.encode()).decrypt(token)
    except InvalidToken:
        return False
    return True


async def every_encrypted_column_holds_something(engine: AsyncEngine, cipher: FieldCipher) -> None:
    """The story leaves some columns empty (no held message, no comment): fill each in its first row, so
    that a column added later is rotated in this test too."""
    async with engine.begin() as connection:
        for column in encrypted_columns():
            if await first_token(connection, column=column) is not None:
                continue
            first = (await connection.execute(select(func.min(column.key)))).scalar_one()
            assert first is not None, f"the story makes no {column.table.name} row: extend it"
            await connection.execute(
                column.table.update()
                .where(column.key == first)
                .values({column.column.name: cipher.encrypt(f'["words in {column.name}"]')})
            )


async def test_a_rotation_that_crashes_in_the_middle_completes_when_run_again(
    fresh_database_url: str, data_key: str, clock: Clock, tmp_path: Path
) -> None:
    old_key, new_key = data_key, Fernet.generate_key().decode()
    await migrate(fresh_database_url)
    bot = BotHarness(database_url=fresh_database_url, data_key=old_key, clock=clock, data_dir=tmp_path)
    await bot.start()
    try:
        hodan, amina = await conversation(bot)
        await hodan.send("/help")  # a question to her coordinator, kept encrypted (bot.group)
        await hodan.press("Ask my coordinator")
        await hodan.send("How do I end the talks kindly?")
        await bot.services.inbox.receive({"update_id": 900, "message": {"chat": {"id": 42}, "text": "Hi"}})
        engine = bot.services.db.engine
        await every_encrypted_column_holds_something(engine, bot.services.db.cipher)
        before = await every_token(engine)
        assert {column for column, _ in before} == {found.name for found in encrypted_columns()}

        # The bot restarts with DATA_KEY="new,old" first, then rotate-key runs, and dies after one batch.
        await bot.restart(data_key=f"{new_key},{old_key}")
        engine = bot.services.db.engine
        both = FieldCipher(f"{new_key},{old_key}")
        crash = CrashInTheMiddleOf("outbox.payload_encrypted")
        with pytest.raises(SimulatedCrashError):
            await rotate_key(engine, cipher=both, batch_size=2, after_batch=crash)
        halfway = await every_token(engine)
        outbox = [token for column, token in halfway if column == "outbox.payload_encrypted"]
        assert sum(opens(new_key, token) for token in outbox) == 2  # the first batch was committed
        assert sum(opens(old_key, token) for token in outbox) == len(outbox) - 2

        rotation = await rotate_key(engine, cipher=both, batch_size=2)
        assert rotation.done
        assert sum(c.rotated + c.already_new for c in rotation.columns) == len(before)
        assert "You can now remove the old key from DATA_KEY" in rotation.lines()[-1]
        after = await every_token(engine)
        assert len(after) == len(before)
        assert all(opens(new_key, token) and not opens(old_key, token) for _, token in after)

        # Only the new key from now on: the conversation goes on, and the log still reads.
        await bot.restart(data_key=new_key)
        await amina.send("Did you get my photo?")
        assert bot.inbox(hodan.user_id)[-1].text == "Did you get my photo?"
        assert (await logged(bot))[-1] == ("woman", "Did you get my photo?")
        assert len(await logged(bot)) == 4
    finally:
        await bot.close()


async def test_a_field_written_under_the_old_key_meanwhile_keeps_the_old_key_in_use(
    fresh_database_url: str, clock: Clock
) -> None:
    """A bot process still running with the old key first writes while the rotation runs: not done."""
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    await migrate(fresh_database_url)
    old_process = Database(create_engine(fresh_database_url), FieldCipher(old_key))
    inbox = Inbox(db=old_process, clock=clock)
    for update_id in (10, 20):
        await inbox.receive({"update_id": update_id, "message": {"chat": {"id": update_id}, "text": "Hi"}})

    async def old_process_writes(_progress: ColumnRotation) -> None:
        await inbox.receive({"update_id": 5, "message": {"chat": {"id": 5}, "text": "Hello?"}})

    rotation = await rotate_key(
        old_process.engine,
        cipher=FieldCipher(f"{new_key},{old_key}"),
        batch_size=1,
        after_batch=old_process_writes,
    )
    await old_process.dispose()
    assert not rotation.done
    [inbox_column] = [c for c in rotation.columns if c.column == "inbox.payload_encrypted"]
    assert (inbox_column.rotated, inbox_column.still_old) == (2, 1)
    assert "Is a bot process still running with the old key first?" in rotation.lines()[-1]


async def test_one_key_is_refused_with_what_to_do(database: Database) -> None:
    with pytest.raises(RotationError, match='DATA_KEY="new,old"'):
        await rotate_key(database.engine, cipher=database.cipher)


async def test_a_token_the_bot_changed_meanwhile_is_not_overwritten(database: Database, clock: Clock) -> None:
    await Inbox(db=database, clock=clock).receive(
        {"update_id": 1, "message": {"chat": {"id": 1}, "text": "a"}}
    )
    [column] = [c for c in encrypted_columns() if c.name == "inbox.payload_encrypted"]
    async with database.engine.begin() as connection:
        current = await first_token(connection, column=column)
        assert current is not None
        assert not await replace_token(connection, column=column, key=1, old=b"what it held before", new=b"x")
        assert await first_token(connection, column=column) == current
        stored = (await connection.execute(text("SELECT count(*) FROM inbox"))).scalar_one()
    assert stored == 1
