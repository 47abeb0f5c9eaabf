"""Erase means erased, and nothing of hers is readable at rest: every table and column of the schema is
searched, so a table added later is covered without changing this test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url

from bot.app import web_app
from storage.db import Database
from storage.models import Base
from tests.conftest import Clock
from tests.handlers.dashboard.conftest import sign_in
from tests.handlers.test_matching import bydelsmor, set_up_group
from tests.harness import DASHBOARD_BASE, WHOLE_STORY_SETTINGS, BotHarness, Phone

HER_ID = 7_700_770_077  # no other phone in the tests has this Telegram id
HER_NAME = "Zqxamina"  # her Telegram first name: the bot never needs it
MARKER = "ZQX-marker-1234"  # in every text she writes, and in her Bydelsmor's answers to her
BASE = DASHBOARD_BASE


@pytest.fixture
async def bot(database_url: str, data_key: str, clock: Clock, tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = BotHarness(
        database_url=database_url,
        data_key=data_key,
        clock=clock,
        data_dir=tmp_path,
        settings=WHOLE_STORY_SETTINGS,
    )
    await harness.start()
    yield harness
    await harness.close()


async def everything_stored(db: Database) -> list[tuple[str, str, bytes]]:
    """Every value of every column of every table, as the database hands it out (no decryption, no JSON
    parsing): (table, column, bytes). The tables are the database's own, which include the models'."""

    def tables(connection: Connection) -> list[str]:
        return list(inspect(connection).get_table_names())

    values: list[tuple[str, str, bytes]] = []
    async with db.engine.connect() as connection:
        names = await connection.run_sync(tables)
        assert set(Base.metadata.tables) <= set(names)
        for table in names:
            result = await connection.execute(text(f'SELECT * FROM "{table}"'))
            columns = list(result.keys())
            for row in result:
                for column, value in zip(columns, row, strict=True):
                    raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
                    values.append((table, column, raw))
    return values


async def traces(db: Database, needles: Iterable[str]) -> list[str]:
    """Where any of these texts can be read in the database: "table.column holds ..."."""
    wanted = [needle for needle in needles if needle]
    return sorted(
        {
            f"{table}.{column} holds {needle!r}"
            for table, column, raw in await everything_stored(db)
            for needle in wanted
            if needle.encode() in raw
        }
    )


def her_file_ids(bot: BotHarness) -> list[str]:
    """The file ids of the voice notes she sent: as much her content as her words."""
    return [m.file_id for m in bot.standin.chat(HER_ID) if not m.from_bot and m.file_id]


@dataclass
class Story:
    woman: Phone
    hodan: Phone
    coordinator: Phone


async def her_whole_story(bot: BotHarness, clock: Clock) -> Story:
    """She asks with a note, is matched, talks both ways, edits, sends a voice note and comments on a
    check-in."""
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = Phone(bot, bot.standin.add_user(first_name=HER_NAME, language_code="en", user_id=HER_ID))
    await woman.send("/start")
    await woman.press_data("lang:set:en")
    await woman.send("/listen")  # she chose to hear the messages too (issue 12): on her row
    await woman.press_data("listen:yes")
    await woman.press_data("intro:next")
    await woman.press_data("consent:yes")
    await woman.send("8220")
    await woman.press_data("topic:letters")
    await woman.send(f"{MARKER} my note: a letter from the kommune I cannot read")
    await woman.send_voice(b"OggS-her-note")  # her voice answer to the topic question
    await woman.press_data("topic:done")
    [talking, _guide] = await hodan.press("Yes, I will talk with her")
    assert "You are now talking with #1 Brabrand" in (talking.text or "")

    await woman.send(f"{MARKER} hello Hodan, I live in Brabrnd")
    sent = max(m.message_id for m in bot.standin.chat(HER_ID) if not m.from_bot)
    await hodan.send(f"{MARKER} hello, where do you live?")
    await bot.standin.edit_text(HER_ID, sent, f"{MARKER} hello Hodan, I live in Brabrand")
    await bot.process_pending()
    assert bot.inbox(hodan.user_id)[-1].text == f"{MARKER} hello Hodan, I live in Brabrand"  # the edit
    await woman.send_voice(b"OggS-her-voice")
    assert bot.inbox(hodan.user_id)[-1].kind == "voice"

    clock.advance(seconds=2)
    await bot.tick()
    await woman.press("Better")
    [kept] = await woman.send(f"{MARKER} my comment: my son goes to school happily now")
    assert "We keep your words safe." in (kept.text or "")
    return Story(woman=woman, hodan=hodan, coordinator=coordinator)


async def test_nothing_she_wrote_is_readable_in_any_table(bot: BotHarness, clock: Clock) -> None:
    await her_whole_story(bot, clock)
    assert len(her_file_ids(bot)) == 2
    assert await traces(bot.services.db, [MARKER, HER_NAME, *her_file_ids(bot)]) == []


async def test_stop_erases_her_from_every_table_at_once(bot: BotHarness, clock: Clock) -> None:
    story = await her_whole_story(bot, clock)
    assert await traces(bot.services.db, [str(HER_ID)])  # the search finds her while she is there
    await story.woman.send("/stop")
    [erased] = await story.woman.press_data("stop:yes")
    assert "Everything is deleted." in (erased.text or "")
    assert "#1 Brabrand has ended the talks." in (bot.inbox(story.hodan.user_id)[-1].text or "")
    await bot.tick()  # nothing the bot does afterwards brings anything of hers back
    assert await traces(bot.services.db, [str(HER_ID), MARKER, HER_NAME, *her_file_ids(bot)]) == []


async def test_the_dashboards_erase_erases_her_from_every_table(bot: BotHarness, clock: Clock) -> None:
    story = await her_whole_story(bot, clock)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web_app(bot.application, webhook_secret=None)),
        base_url=BASE,
        headers={"Accept-Language": "en"},
    ) as client:
        csrf = await sign_in(client, story.coordinator)
        erased = await client.post("/requests/1/erase", data={"csrf": csrf})
        assert erased.headers["location"] == "/?done=erased"
    await bot.send_outbox()
    assert "#1 Brabrand has ended the talks." in (bot.inbox(story.hodan.user_id)[-1].text or "")
    await bot.tick()
    assert await traces(bot.services.db, [str(HER_ID), MARKER, HER_NAME, *her_file_ids(bot)]) == []


async def test_a_message_held_for_who_is_it_for_is_not_readable(bot: BotHarness, clock: Clock) -> None:
    hodan = (await her_whole_story(bot, clock)).hodan
    await another_woman_talks_with(hodan)
    [question] = await hodan.send_voice(b"OggS-hodan-held")  # two women, no Reply: held until she picks
    assert "Who is this message for?" in (question.text or "")
    held = [m.file_id for m in bot.standin.chat(hodan.user_id) if not m.from_bot and m.file_id]
    assert await traces(bot.services.db, held) == []


async def another_woman_talks_with(hodan: Phone) -> Phone:
    """A second woman, matched with the same Bydelsmor, who stays: her rows share pages with the first's."""
    other = Phone(hodan.harness, hodan.standin.add_user(first_name="Sagal", language_code="en"))
    await other.send("/start")
    await other.press_data("lang:set:en")
    await other.press_data("intro:next")
    await other.press_data("consent:yes")
    await other.send("8210")
    await other.press_data("topic:letters")
    await other.send("A note of the woman who stays")
    await other.press_data("topic:done")
    await hodan.press("Yes, I will talk with her")
    await other.send("Hello, I stay")
    return other


# --- SQLite's files ------------------------------------------------------------------------------------


def sqlite_files(bot: BotHarness) -> dict[str, bytes]:
    database = make_url(bot.services.db.engine.url).database
    assert database
    files = [Path(database), Path(database + "-wal"), Path(database + "-shm")]
    return {path.name: path.read_bytes() for path in files if path.exists()}


def her_bytes(bot: BotHarness) -> list[bytes]:
    """Her id as digits and as SQLite stores an integer of its size (6 bytes, big-endian), her words."""
    return [
        str(HER_ID).encode(),
        HER_ID.to_bytes(6, "big"),
        MARKER.encode(),
        *(file_id.encode() for file_id in her_file_ids(bot)),
    ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_after_stop_sqlites_files_hold_no_byte_of_hers(bot: BotHarness, clock: Clock) -> None:
    story = await her_whole_story(bot, clock)
    woman = story.woman
    await another_woman_talks_with(story.hodan)
    await woman.send(f"{MARKER} after the other woman came")
    before = sqlite_files(bot)
    assert any(HER_ID.to_bytes(6, "big") in content for content in before.values())  # the search finds her
    await woman.send("/stop")
    await woman.press_data("stop:yes")
    found = [
        f"{name} holds {needle!r}"
        for name, content in sqlite_files(bot).items()
        for needle in her_bytes(bot)
        if needle in content
    ]
    assert found == []


# --- the promises, in one place ------------------------------------------------------------------------


def test_the_readme_promises_exactly_what_the_architecture_guarantees() -> None:
    root = Path(__file__).resolve().parents[2]
    architecture = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = architecture.split("## What erase, retention and encryption guarantee\n", 1)[1].split("\n## ")[
        0
    ]
    guarantees = section[section.index("- **Erase.**") :].strip()
    assert guarantees in (root / "README.md").read_text(encoding="utf-8")
