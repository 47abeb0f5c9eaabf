"""`python -m bot rotate-key`: every encrypted field re-encrypted under the first key of DATA_KEY="new,old".

It walks each encrypted column (found from the models) in batches, one transaction per batch. A token the new
key already opens is skipped, so a run stopped anywhere (a crash, Ctrl-C) is simply run again: nothing is
remembered between runs and nothing is done twice. A row the bot changed meanwhile is not overwritten (the
bot, running with "new,old", wrote it under the new key). At the end every column is read once more: only
when no field needs the old key any more does it say that the old key can be removed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.crypto import FieldCipher, InvalidToken
from storage.encrypted import EncryptedColumn, encrypted_columns, replace_token, tokens_after

__all__ = ["BATCH_SIZE", "ColumnRotation", "Rotation", "RotationError", "rotate_key"]

BATCH_SIZE = 500


class RotationError(Exception):
    """Nothing was changed; the message says why."""


@dataclass(slots=True)
class ColumnRotation:
    column: str  # "table.column"
    rotated: int = 0  # re-encrypted by this run
    already_new: int = 0  # the new key opened them already (an earlier run, or the bot wrote them)
    unreadable: int = 0  # no key of DATA_KEY opens them: left as they are
    still_old: int = 0  # the last look found them needing an old key (the bot wrote them meanwhile)


@dataclass(slots=True)
class Rotation:
    columns: list[ColumnRotation]

    @property
    def done(self) -> bool:
        """Nothing stored needs any key but the first: the old ones can go."""
        return all(not (c.unreadable or c.still_old) for c in self.columns)

    def lines(self) -> list[str]:
        lines = [
            f"  {c.column}: {c.rotated} re-encrypted, {c.already_new} already under the new key"
            + (f", {c.unreadable} that no key in DATA_KEY opens" if c.unreadable else "")
            + (f", {c.still_old} written under an old key meanwhile" if c.still_old else "")
            for c in self.columns
        ]
        if self.done:
            lines.append(
                "Done: every encrypted field is under the new key. You can now remove the old key from"
                " DATA_KEY (keep only the first key) and restart the bot. Keep the old key with the backups"
                " made before today: they still need it."
            )
        elif any(c.unreadable for c in self.columns):
            lines.append(
                "Not done: some fields open with none of the keys in DATA_KEY. Add the key they were made"
                " with (after the new one) and run rotate-key again. Do not remove any key yet."
            )
        else:
            lines.append(
                "Not done: fields were written under an old key while this ran. Is a bot process still"
                ' running with the old key first? Restart every process with DATA_KEY="new,old" and run'
                " rotate-key again. Do not remove the old key yet."
            )
        return lines


BatchDone = Callable[[ColumnRotation], Awaitable[None]]


async def rotate_key(
    engine: AsyncEngine,
    *,
    cipher: FieldCipher,
    batch_size: int = BATCH_SIZE,
    after_batch: BatchDone | None = None,
) -> Rotation:
    """Re-encrypt every encrypted field under the cipher's first key; `after_batch` runs after each commit."""
    if cipher.key_count < 2:
        raise RotationError(
            'DATA_KEY holds one key. Put the new key first and the old one after it, DATA_KEY="new,old"'
            " (make a new key with `python -m bot genkey`), restart the bot with it, then run rotate-key."
        )
    rotation = Rotation(columns=[])
    for column in encrypted_columns():
        progress = ColumnRotation(column=column.name)
        rotation.columns.append(progress)
        await _rotate_column(
            engine, column, progress, cipher=cipher, batch_size=batch_size, after=after_batch
        )
    for column, progress in zip(encrypted_columns(), rotation.columns, strict=True):
        progress.still_old = await _needing_old_key(engine, column, cipher=cipher, batch_size=batch_size)
    if engine.dialect.name == "sqlite":
        # The old tokens' pages wait in the -wal file until a checkpoint: copy them home and empty it.
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return rotation


async def _rotate_column(
    engine: AsyncEngine,
    column: EncryptedColumn,
    progress: ColumnRotation,
    *,
    cipher: FieldCipher,
    batch_size: int,
    after: BatchDone | None,
) -> None:
    last_key: object | None = None
    while True:
        async with engine.begin() as connection:  # one commit per batch: a crash loses one batch's work
            batch = await tokens_after(connection, column=column, after=last_key, limit=batch_size)
            for key, token in batch:
                if cipher.is_under_newest_key(token):
                    progress.already_new += 1
                    continue
                try:
                    rotated = cipher.rotate(token)
                except InvalidToken:
                    progress.unreadable += 1
                    continue
                if await replace_token(connection, column=column, key=key, old=token, new=rotated):
                    progress.rotated += 1
                else:  # the bot changed the row meanwhile, under the new key
                    progress.already_new += 1
        if after is not None:
            await after(progress)
        if len(batch) < batch_size:
            return
        last_key = batch[-1][0]


async def _needing_old_key(
    engine: AsyncEngine, column: EncryptedColumn, *, cipher: FieldCipher, batch_size: int
) -> int:
    """How many readable tokens of the column the new key alone cannot open (unreadable ones are counted)."""
    count = 0
    last_key: object | None = None
    while True:
        async with engine.connect() as connection:
            batch = await tokens_after(connection, column=column, after=last_key, limit=batch_size)
        for _key, token in batch:
            if cipher.is_under_newest_key(token):
                continue
            try:
                cipher.rotate(token)
            except InvalidToken:
                continue  # counted as unreadable already
            count += 1
        if len(batch) < batch_size:
            return count
        last_key = batch[-1][0]
