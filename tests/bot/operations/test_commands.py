"""What the console says for `migrate --check`, `backup`, `restore` and `rotate-key`, and their exit codes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.__main__ import main
from bot.config import Settings, load_settings
from bot.operations import commands
from storage.migrate import head_revision, known_revisions
from tests.bot.operations.helpers import migrate, wipe

# The newest migration and the one before: an "older" database is one migration behind.
HEAD = head_revision()
PREVIOUS = known_revisions()[-2]


def settings_for(url: str, tmp_path: Path, key: str | None = None) -> Settings:
    return load_settings(database_url=url, data_dir=tmp_path, data_key=key or Fernet.generate_key().decode())


def test_migrate_check_says_which_migration_is_pending_for_a_deploy_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'deploy.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    asyncio.run(migrate(url, PREVIOUS))

    assert main(["migrate", "--check"]) == 1
    assert capsys.readouterr().out == (
        f"Pending: migration {HEAD} (the database is at {PREVIOUS}, this version needs {HEAD})."
        " Run `python -m bot migrate`.\n"
    )
    assert main(["migrate"]) == 0
    capsys.readouterr()
    assert main(["migrate", "--check"]) == 0
    assert capsys.readouterr().out == f"The database is up to date (migration {HEAD}).\n"


async def test_backup_and_restore_print_what_they_wrote_and_checked(
    fresh_database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await migrate(fresh_database_url)
    settings = settings_for(fresh_database_url, tmp_path)
    backup = tmp_path / "nightly.backup"

    assert await commands.backup_command(settings, backup) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith(f"Wrote {backup} (") and printed[0].endswith("KB).")
    assert printed[1:3] == [f"Migration: {HEAD}", "Rows per table:"]
    assert "  people                           0" in printed
    assert "Without the key the backup cannot be read." in printed[-1]

    assert await commands.restore_command(settings, backup) == 2  # the database still has its tables
    assert "is not empty" in capsys.readouterr().err
    await wipe(fresh_database_url)
    assert await commands.restore_command(settings, backup) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Checked: the same rows as the backup, the current migration, and DATA_KEY opens the fields."
    )


async def test_a_restore_that_needs_attention_exits_with_1(
    fresh_database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await migrate(fresh_database_url, PREVIOUS)
    settings = settings_for(fresh_database_url, tmp_path)
    backup = tmp_path / "old.backup"
    assert await commands.backup_command(settings, backup) == 0
    await wipe(fresh_database_url)
    capsys.readouterr()

    assert await commands.restore_command(settings, backup) == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[-2:] == [
        "The restored database needs attention:",
        f"  the backup is at migration {PREVIOUS}, this version of the bot needs {HEAD}:"
        " run `python -m bot migrate`"
        " before starting the bot",
    ]


async def test_rotate_key_with_one_key_says_how_to_give_two(
    fresh_database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await migrate(fresh_database_url)
    assert await commands.rotate_key_command(settings_for(fresh_database_url, tmp_path)) == 2
    assert 'DATA_KEY="new,old"' in capsys.readouterr().err

    two_keys = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    assert await commands.rotate_key_command(settings_for(fresh_database_url, tmp_path, two_keys)) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[-1]
        .startswith("Done: every encrypted field is under the new key.")
    )
