"""The operations commands as the console shows them: what was done, in plain lines, and an exit code.

0: done and checked. 1: done, but something needs the operator (a pending migration, a difference, a key).
2: refused, nothing changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.config import Settings
from bot.operations.backup import BackupError, PostgresTools, back_up, restore
from bot.operations.inventory import Inventory
from bot.operations.rotate import BATCH_SIZE, RotationError, rotate_key
from storage.crypto import FieldCipher
from storage.db import create_engine
from storage.migrate import current_revision, head_revision, known_revisions

__all__ = ["backup_command", "migrate_check_command", "restore_command", "rotate_key_command"]


def _size(path: Path) -> str:
    size = float(path.stat().st_size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def _tools(settings: Settings) -> PostgresTools:
    return PostgresTools(pg_dump=settings.pg_dump, pg_restore=settings.pg_restore)


def _contents(contents: Inventory) -> list[str]:
    return [f"Migration: {contents.revision or '(none)'}", "Rows per table:", *contents.lines()]


async def backup_command(settings: Settings, target: Path) -> int:
    try:
        contents = await back_up(
            database_url=settings.resolved_database_url(), target=target, tools=_tools(settings)
        )
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {target} ({_size(target)}).", *_contents(contents), sep="\n")
    print(
        "The women's words in it are encrypted with DATA_KEY: keep a copy of the key in another safe place"
        " than the backup. Without the key the backup cannot be read."
    )
    return 0


async def restore_command(settings: Settings, source: Path) -> int:
    try:
        restored = await restore(
            database_url=settings.resolved_database_url(),
            source=source,
            cipher=FieldCipher(settings.resolved_data_key()),
            tools=_tools(settings),
        )
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Restored {source}.", *_contents(restored.contents), sep="\n")
    if restored.problems:
        print("The restored database needs attention:", *(f"  {p}" for p in restored.problems), sep="\n")
        return 1
    print("Checked: the same rows as the backup, the current migration, and DATA_KEY opens the fields.")
    return 0


async def rotate_key_command(settings: Settings, *, batch_size: int = BATCH_SIZE) -> int:
    engine = create_engine(settings.resolved_database_url())
    try:
        revision = await current_revision(engine)
        if revision != head_revision():
            print(
                "error: the database is not up to date. Run `python -m bot migrate` first.", file=sys.stderr
            )
            return 2

        rotation = await rotate_key(
            engine, cipher=FieldCipher(settings.resolved_data_key()), batch_size=batch_size
        )
    except RotationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    print("Key rotation:", *rotation.lines(), sep="\n")
    return 0 if rotation.done else 1


async def migrate_check_command(settings: Settings) -> int:
    engine = create_engine(settings.resolved_database_url())
    try:
        revision = await current_revision(engine)
    finally:
        await engine.dispose()
    head = head_revision()
    if revision == head:
        print(f"The database is up to date (migration {head}).")
        return 0
    if revision is None or revision in known_revisions():
        pending = known_revisions()
        waiting = pending[pending.index(revision) + 1 :] if revision else pending
        print(
            f"Pending: migration {', '.join(waiting)} (the database is at {revision or 'no migration'},"
            f" this version needs {head}). Run `python -m bot migrate`."
        )
        return 1
    print(f"The database is at migration {revision}, newer than this version of the bot knows ({head}).")
    return 1
