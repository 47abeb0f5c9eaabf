"""`python -m bot backup FILE` and `python -m bot restore FILE`.

A backup is one file: on SQLite a copy made with SQLite's online backup API (a consistent snapshot while the
bot keeps writing), on PostgreSQL `pg_dump --format=custom` (one snapshot too). Both are read back after
writing, so what is printed is what the file holds. A restore goes only into an empty database, and then
compares the database with the file: the same rows per table, the code's migration, and DATA_KEY opening the
encrypted fields. The encrypted fields stay encrypted in the file: without the key a backup is unreadable.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.operations import inventory
from bot.operations.inventory import Inventory
from storage.crypto import FieldCipher, InvalidToken
from storage.db import create_engine
from storage.encrypted import existing_encrypted_columns, first_token
from storage.migrate import head_revision, known_revisions

__all__ = ["BackupError", "PostgresTools", "Restored", "back_up", "restore"]


class BackupError(Exception):
    """Nothing was written or changed; the message says why, for the person at the keyboard."""


@dataclass(frozen=True, slots=True)
class PostgresTools:
    """Where pg_dump and pg_restore are: the settings PG_DUMP / PG_RESTORE, else next to each other, else on
    the PATH."""

    pg_dump: str | None = None
    pg_restore: str | None = None

    def dump(self) -> str:
        return self._find(self.pg_dump, "pg_dump", "PG_DUMP")

    def restore(self) -> str:
        sibling = str(Path(self.pg_dump).with_name("pg_restore")) if self.pg_dump else None
        return self._find(self.pg_restore or sibling, "pg_restore", "PG_RESTORE")

    @staticmethod
    def _find(given: str | None, name: str, setting: str) -> str:
        found = shutil.which(given) if given else shutil.which(name)
        if not found:
            raise BackupError(
                f"{name} was not found{f' at {given}' if given else ' on the PATH'}. Install PostgreSQL's"
                f" client tools of the server's version (Debian: postgresql-client) or set {setting}."
            )
        return found


@dataclass(frozen=True, slots=True)
class Restored:
    contents: Inventory  # what the restored database holds
    problems: list[str] = field(default_factory=list)  # empty when the database matches the backup


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The address pg_dump understands, and its environment: the password never on a command line."""
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    return plain, environment


async def _run(*command: str, environment: dict[str, str] | None = None) -> bytes:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=environment
    )
    output, errors = await process.communicate()
    if process.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {errors.decode(errors='replace').strip()}")
    return output


async def _dump_contents(dump: Path, tools: PostgresTools) -> Inventory:
    """The rows per table of a pg_dump file, counted from its own data (no database needed)."""
    script = await _run(tools.restore(), "--data-only", "--file=-", str(dump))
    return inventory.of_sql_script(script.decode("utf-8", errors="replace").splitlines())


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: page by page from one snapshot, while other connections keep writing."""
    reading = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writing = sqlite3.connect(target)
    try:
        with writing:
            reading.backup(writing)
    finally:
        writing.close()
        reading.close()


async def back_up(*, database_url: str, target: Path, tools: PostgresTools | None = None) -> Inventory:
    """Write a consistent copy of the database to `target` (a new file) and return what it holds."""
    if await asyncio.to_thread(target.exists):
        raise BackupError(f"{target} exists already: choose a new file name (a backup is never overwritten)")
    url = make_url(database_url)
    partial = target.with_name(target.name + ".partial")  # renamed once complete: no half file under its name
    await asyncio.to_thread(partial.unlink, missing_ok=True)
    try:
        if url.get_backend_name() == "sqlite":
            source = _sqlite_path(url)
            if not await asyncio.to_thread(source.exists):
                raise BackupError(f"there is no database at {source}")
            await asyncio.to_thread(_copy_sqlite, source, partial)
            contents = await asyncio.to_thread(inventory.of_sqlite_file, partial)
        else:
            tools = tools or PostgresTools()
            address, environment = _libpq(url)
            await _run(tools.dump(), "--format=custom", f"--file={partial}", address, environment=environment)
            contents = await _dump_contents(partial, tools)
        await asyncio.to_thread(partial.replace, target)
    finally:
        await asyncio.to_thread(partial.unlink, missing_ok=True)
    return contents


async def restore(
    *, database_url: str, source: Path, cipher: FieldCipher, tools: PostgresTools | None = None
) -> Restored:
    """Restore `source` into an empty database, then say how the database differs from the backup."""
    if not await asyncio.to_thread(source.is_file):
        raise BackupError(f"there is no backup file {source}")
    url = make_url(database_url)
    sqlite = url.get_backend_name() == "sqlite"
    tools = tools or PostgresTools()
    try:
        if sqlite:
            expected = await asyncio.to_thread(inventory.of_sqlite_file, source)
        else:
            expected = await _dump_contents(source, tools)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a SQLite backup: {error}") from None
    except BackupError as error:
        raise BackupError(f"{source} is not a PostgreSQL backup made by `backup`: {error}") from None

    engine = create_engine(database_url)
    try:
        await _refuse_unless_empty(engine, url)
        if sqlite:
            await engine.dispose()  # let go of the file before SQLite's backup writes it
            await asyncio.to_thread(_copy_sqlite, source, _sqlite_path(url))
        else:
            address, environment = _libpq(url)
            await _run(
                tools.restore(),
                "--no-owner",  # the tables belong to whoever restores them, on any server
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",  # all or nothing: a failed restore leaves the database empty
                f"--dbname={address}",
                str(source),
                environment=environment,
            )
        contents = await inventory.of_database(engine)
        problems = expected.differences(contents)
        problems += _revision_problems(contents.revision)
        problems += await _key_problems(engine, cipher)
    finally:
        await engine.dispose()
    return Restored(contents=contents, problems=problems)


async def _refuse_unless_empty(engine: AsyncEngine, url: URL) -> None:
    if url.get_backend_name() == "sqlite" and not await asyncio.to_thread(_sqlite_path(url).exists):
        return
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    if tables:
        where = _sqlite_path(url) if url.get_backend_name() == "sqlite" else f"database {url.database}"
        raise BackupError(
            f"{where} is not empty (it has {len(tables)} tables, e.g. {', '.join(sorted(tables)[:3])})."
            " A restore goes only into an empty database, so nothing is mixed or overwritten: create a new"
            " database (or, for SQLite, give DATABASE_URL a new file name) and run restore again."
        )


def _revision_problems(revision: str | None) -> list[str]:
    head = head_revision()
    if revision == head:
        return []
    if revision in known_revisions():
        return [
            f"the backup is at migration {revision}, this version of the bot needs {head}:"
            " run `python -m bot migrate` before starting the bot"
        ]
    return [
        f"the backup is at migration {revision or '(none)'}, which this version of the bot does not know"
        f" (it knows up to {head}): restore it with the version of the bot that made it"
    ]


async def _key_problems(engine: AsyncEngine, cipher: FieldCipher) -> list[str]:
    """DATA_KEY must open what the backup encrypted: try one value of every encrypted column."""
    problems = []
    async with engine.connect() as connection:
        for column in await existing_encrypted_columns(connection):
            token = await first_token(connection, column=column)
            if token is None:
                continue
            try:
                cipher.decrypt(token)
            except InvalidToken:
                problems.append(
                    f"DATA_KEY does not open {column.name}: set DATA_KEY to the key (or keys) that were in"
                    " use when the backup was made"
                )
    return problems
