"""Migration 0007: outbox rows written before it are encrypted (waiting) or deleted (already sent)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import JSON, bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.crypto import FieldCipher
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import UtcDateTime

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
WAITING = {"chat_id": 42, "from_chat_id": 7_700_770_077, "message_id": 9}
SENT = {"chat_id": 42, "text": "Sahra is your Bydelsmor, she speaks Somali"}


@pytest.fixture
async def empty_engine(fresh_database_url: str) -> AsyncIterator[AsyncEngine]:
    """A database with no tables at all (its own, also on PostgreSQL)."""
    engine = create_engine(fresh_database_url)
    yield engine
    await engine.dispose()


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
