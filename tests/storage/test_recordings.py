"""storage/recordings.py and its migration 0013: down to 0012 and up again, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Connection, inspect

from storage import recordings as store
from storage.db import Database
from storage.migrate import alembic_config, upgrade
from storage.models import Person, Volunteer

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


async def test_0013_goes_down_and_up_again(database: Database) -> None:
    def downgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")

    def schema(connection: Connection) -> tuple[set[str], set[str], set[str]]:
        found = inspect(connection)
        return (
            set(found.get_table_names()),
            {column["name"] for column in found.get_columns("people")},
            {column["name"] for column in found.get_columns("volunteers")},
        )

    async with database.engine.begin() as connection:
        await connection.run_sync(downgrade)
        tables, people, volunteers = await connection.run_sync(schema)
    assert "voice_recordings" not in tables and "listen" not in people and "keep_recordings" not in volunteers

    await upgrade(database.engine)
    async with database.engine.connect() as connection:
        tables, people, volunteers = await connection.run_sync(schema)
    assert "voice_recordings" in tables and "listen" in people
    assert {"recording", "recording_since", "keep_recordings"} <= volunteers


async def test_a_leaver_keeps_only_what_she_agreed_to_leave_behind(database: Database) -> None:
    async with database.transaction() as session:
        hodan = Volunteer(telegram_user_id=1, display_name="Hodan", spoken_languages=["so"], created_at=NOW)
        session.add(hodan)
        session.add(
            Person(
                telegram_user_id=2,
                locale="so",
                step="intro",
                consent="pending",
                listen=True,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await session.flush()
        for keep, key in ((True, "consent"), (False, "postcode")):
            await store.add_recording(
                session,
                locale="so",
                screen_key=key,
                source_hash="abc",
                file_id=f"file-{key}",
                duration=3,
                volunteer_id=hodan.id,
                keep_after_leaving=keep,
                status="approved",
                now=NOW,
            )
        before = await store.approved_version(session, approved="approved")
        assert (
            await store.forget_recordings_of(session, volunteer_id=hodan.id, removed="removed", now=NOW) == 1
        )
        after = await store.approved_version(session, approved="approved")
        kept = await store.approved_recordings(session, approved="approved")
        assert [row.screen_key for row in kept] == ["consent"]
        assert before != after  # another process sees the change at its next look
        assert await store.listeners_per_locale(session) == {"so": 1}
