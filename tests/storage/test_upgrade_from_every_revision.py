"""Upgrading a populated database from every earlier migration to the newest, and the bot then works with it.

At each earlier revision the story is written with plain SQL into the schema of that revision: a woman
halfway through the questions, Hodan (from 0002), and (once matching exists, 0003) a woman matched with
Hodan, with a relayed message in the log, check-ins, an audit entry and a message waiting in the outbox.
Each row names the values of every column it has ever had; only the columns the revision has are written,
and a NOT NULL column the story does not know fails the test, so a new migration extends the story.
Every row must still be there after the upgrade (SQLite's table rebuilds once deleted rows by cascade).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, Boolean, Connection, LargeBinary, bindparam, inspect, text

from storage.crypto import FieldCipher
from storage.db import create_engine
from storage.migrate import head_revision, known_revisions, upgrade
from storage.models import UtcDateTime
from tests.conftest import Clock
from tests.harness import BotHarness

THEN = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # when the story happened, before the upgrade
EARLIER_REVISIONS = [revision for revision in known_revisions() if revision != head_revision()]

Row = dict[str, Any]


def halfway_woman(fatima: int) -> list[tuple[str, Row]]:
    """Fatima said yes and was asked for her postcode when the bot was stopped for the upgrade."""
    return [
        ("people", {
            "id": 2, "telegram_user_id": fatima, "role": "woman", "locale": "en", "step": "postcode",
            "consent": "given", "consent_changed_at": THEN, "created_at": THEN, "updated_at": THEN,
            "news": False,
        }),
        ("help_requests", {
            "id": 2, "person_id": 2, "status": "draft", "spoken_language": "en", "postcode_declined": False,
            "topics": [], "created_at": THEN, "updated_at": THEN, "not_with": [],
        }),
    ]  # fmt: skip


def registered_bydelsmor(hodan: int) -> list[tuple[str, Row]]:
    """Hodan has been a Bydelsmor since 0002 (her group, from 0003 on, comes first in the story)."""
    return [
        ("groups", {
            "id": 1, "name": "Bydelsmødre Gellerup", "slug": "bydelsmodre-gellerup",
            "postcodes": ["8210", "8220"], "created_at": THEN,
        }),
        ("volunteers", {
            "id": 1, "telegram_user_id": hodan, "display_name": "Hodan", "spoken_languages": ["so", "en"],
            "postcode": "8220", "capacity_per_month": 3, "locale": "en", "active": True, "created_at": THEN,
            "group_id": 1, "last_offered_at": THEN, "pending_messages": [],
        }),
        ("announcements", {
            "id": 1, "group_id": 1, "text": "Breakfast", "starts_at": THEN, "place": "Globus1",
            "for_women": False, "created_by": "Mette", "created_at": THEN,
        }),
    ]  # fmt: skip


def matched_pair(*, amina: int, hodan: int, coordinator: int, cipher: FieldCipher) -> list[tuple[str, Row]]:
    """Amina and Hodan talk through the bot; a message to Hodan was still waiting in the outbox."""
    waiting = {"chat_id": hodan, "text": "A message from before the upgrade"}
    return [
        ("coordinators", {
            "id": 1, "telegram_user_id": coordinator, "group_id": 1, "is_admin": False, "locale": "en",
            "created_at": THEN,
        }),
        ("people", {
            "id": 1, "telegram_user_id": amina, "role": "woman", "locale": "en", "step": "waiting",
            "consent": "given", "consent_changed_at": THEN, "created_at": THEN, "updated_at": THEN,
            "news": False,
        }),
        ("help_requests", {
            "id": 1, "person_id": 1, "status": "matched", "spoken_language": "en", "postcode": "8220",
            "postcode_declined": False, "topics": ["letters"], "created_at": THEN, "updated_at": THEN,
            "submitted_at": THEN, "group_id": 1, "matched_at": THEN, "not_with": [],
        }),
        ("offers", {
            "id": 1, "request_id": 1, "volunteer_id": 1, "status": "accepted", "reasons": [["speaks", "en"]],
            "offered_at": THEN, "due_at": THEN + timedelta(hours=4), "answered_at": THEN,
        }),
        ("matches", {
            "id": 1, "request_id": 1, "person_id": 1, "volunteer_id": 1, "status": "active",
            "label": "#1 Brabrand", "started_at": THEN,
        }),
        ("message_log", {
            "id": 1, "match_id": 1, "sender": "woman", "kind": "text",
            "content_encrypted": cipher.encrypt("I got a letter from the kommune"),
            "source_message_id": 1, "copy_message_id": 1, "created_at": THEN,
        }),
        ("checkins", {
            "id": 1, "match_id": 1, "person_id": 1, "chat_id": amina, "audience": "woman", "kind": "followup",
            "questions": ["better"], "due_at": THEN + timedelta(days=700), "status": "scheduled",
            "answers": {}, "awaiting_comment": False, "created_at": THEN,
        }),
        ("outbox", {
            "id": 1, "chat_id": hodan, "method": "sendMessage", "status": "pending", "attempts": 0,
            "not_before": THEN, "created_at": THEN, "payload": waiting,
            "payload_encrypted": cipher.encrypt(json.dumps(waiting)),
        }),
        ("audit_log", {
            "id": 1, "at": THEN, "telegram_user_id": coordinator, "name": "Mette", "action": "view_log",
            "group_id": 1, "subject": "match:1", "detail": "",
        }),
    ]  # fmt: skip


def typed(name: str, value: object) -> Any:
    """A bind parameter typed by its value: plain SQL, but JSON, times and bytes as each database wants."""
    if isinstance(value, datetime):
        return bindparam(name, type_=UtcDateTime())
    if isinstance(value, list | dict):
        return bindparam(name, type_=JSON())
    if isinstance(value, bytes):
        return bindparam(name, type_=LargeBinary())
    if isinstance(value, bool):
        return bindparam(name, type_=Boolean())
    return bindparam(name)


def write_story(connection: Connection, story: list[tuple[str, Row]], revision: str) -> dict[str, int]:
    """Insert the rows of the tables this revision has; how many went into each table."""
    written: dict[str, int] = {}
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    for table, row in story:
        if table not in tables:
            continue
        columns = {column["name"]: column for column in inspector.get_columns(table)}
        unknown = [
            name
            for name, column in columns.items()
            if name not in row
            and not column["nullable"]
            and column.get("default") is None
            and not (name == "id" and column.get("autoincrement", True))
        ]
        assert not unknown, f"at {revision}, {table} needs {unknown}: add them to this test's story"
        values = {name: value for name, value in row.items() if name in columns}
        names = ", ".join(values)
        statement = text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})")
        connection.execute(statement.bindparams(*(typed(n, v) for n, v in values.items())), values)
        written[table] = written.get(table, 0) + 1
    if connection.dialect.name == "postgresql":  # the ids were given: move the sequences past them
        for table in written:
            if "id" in {column["name"] for column in inspector.get_columns(table)}:
                highest = f"(SELECT max(id) FROM {table})"
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {highest})"))
    return written


@pytest.mark.parametrize("revision", EARLIER_REVISIONS)
async def test_a_database_from_an_earlier_revision_is_upgraded_and_the_bot_goes_on(
    revision: str, fresh_database_url: str, data_key: str, clock: Clock, tmp_path: Path
) -> None:
    cipher = FieldCipher(data_key)
    bot = BotHarness(database_url=fresh_database_url, data_key=data_key, clock=clock, data_dir=tmp_path)
    fatima, amina = bot.phone(language_code="en", first_name="Fatima"), bot.phone(language_code="en")
    hodan = bot.phone(language_code="en", first_name="Hodan")
    coordinator = bot.phone(language_code="en", first_name="Mette")
    engine = create_engine(fresh_database_url)
    await upgrade(engine, revision)
    story = registered_bydelsmor(hodan.user_id) + halfway_woman(fatima.user_id)
    has_matching = revision >= "0003"
    if has_matching:
        story += matched_pair(
            amina=amina.user_id, hodan=hodan.user_id, coordinator=coordinator.user_id, cipher=cipher
        )
    async with engine.begin() as connection:
        written = await connection.run_sync(write_story, story, revision)

    await upgrade(engine, cipher=cipher)  # as `python -m bot migrate` does, with DATA_KEY
    async with engine.connect() as connection:
        for table, count in written.items():
            kept = (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
            assert kept == count, f"rows of {table} lost in the upgrade from {revision}"
        if has_matching:
            logged = (
                await connection.execute(text("SELECT content_encrypted FROM message_log"))
            ).scalar_one()
            assert cipher.decrypt(bytes(logged)) == "I got a letter from the kommune"
    await engine.dispose()
    await bot.start()
    try:
        replies = await fatima.send("8220")
        assert any("What would you like help with?" in (reply.text or "") for reply in replies)
        if not has_matching:
            return
        await bot.send_outbox()
        assert [m.text for m in bot.inbox(hodan.user_id)] == ["A message from before the upgrade"]
        await amina.send("Hello again, are you there?")
        assert bot.inbox(hodan.user_id)[-1].text == "Hello again, are you there?"
        await hodan.send("Yes, I am here")
        assert bot.inbox(amina.user_id)[-1].text == "Yes, I am here"
    finally:
        await bot.close()
