"""Migration 0007: outbox rows written before it are encrypted (waiting) or deleted (already sent)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import JSON, bindparam, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.crypto import FieldCipher
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import UtcDateTime
from tests.conftest import BACKENDS, POSTGRES_URL, _async_url

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
WAITING = {"chat_id": 42, "from_chat_id": 7_700_770_077, "message_id": 9}
SENT = {"chat_id": 42, "text": "Sahra is your Bydelsmor, she speaks Somali"}


@pytest.fixture(params=BACKENDS)
async def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A database with no tables at all (its own, also on PostgreSQL)."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
        yield engine
        await engine.dispose()
        return
    assert POSTGRES_URL
    admin_url = _async_url(POSTGRES_URL)
    name = f"bydelsmor_migration_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(make_url(admin_url).set(database=name).render_as_string(hide_password=False))
    yield engine
    await engine.dispose()
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


async def add_row(engine: AsyncEngine, status: str, payload: Mapping[str, object]) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO outbox (chat_id, method, payload, status, attempts, not_before, created_at)"
                " VALUES (42, 'copyMessage', :payload, :status, 0, :now, :now)"
            ).bindparams(bindparam("payload", type_=JSON()), bindparam("now", type_=UtcDateTime())),
            {"payload": payload, "status": status, "now": NOW},
        )


async def test_waiting_rows_are_encrypted_and_sent_rows_deleted(empty_engine: AsyncEngine) -> None:
    await upgrade(empty_engine, "0006")
    await add_row(empty_engine, "pending", WAITING)
    await add_row(empty_engine, "sent", SENT)
    with pytest.raises(RuntimeError, match="DATA_KEY"):  # without the key nothing is lost
        await upgrade(empty_engine, "0007")

    cipher = FieldCipher(Fernet.generate_key().decode())
    await upgrade(empty_engine, "0007", cipher=cipher)
    async with empty_engine.connect() as connection:
        rows = (
            await connection.execute(text("SELECT status, from_chat_id, payload_encrypted FROM outbox"))
        ).all()
    [(status, author, sealed)] = rows
    assert (status, author) == ("pending", 7_700_770_077)
    assert json.loads(cipher.decrypt(bytes(sealed))) == WAITING
