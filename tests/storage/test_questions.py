"""storage/questions.py's migration 0015: down to 0014 and up again, on both databases."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Connection, inspect

from storage.db import Database
from storage.migrate import alembic_config, upgrade


async def test_0015_goes_down_and_up_again(database: Database) -> None:
    def downgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0014")

    def schema(connection: Connection) -> tuple[set[str], set[str], set[str]]:
        found = inspect(connection)
        return (
            set(found.get_table_names()),
            {column["name"] for column in found.get_columns("volunteers")},
            {column["name"] for column in found.get_columns("coordinators")},
        )

    async with database.engine.begin() as connection:
        await connection.run_sync(downgrade)
        tables, volunteers, coordinators = await connection.run_sync(schema)
    assert "coordinator_questions" not in tables and "asking_since" not in volunteers
    assert "answering_question_id" not in coordinators

    await upgrade(database.engine)
    async with database.engine.connect() as connection:
        tables, volunteers, coordinators = await connection.run_sync(schema)
    assert "coordinator_questions" in tables and "asking_since" in volunteers
    assert {"answering_question_id", "answering_since"} <= coordinators
