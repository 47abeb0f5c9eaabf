"""LOG_FORMAT=json: one JSON object a line, and nothing in it that names a woman or says what she wrote."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot import admin
from bot.app import SANDBOX_TOKEN, inbox_handler
from bot.logs import configure
from tests.handlers.test_matching import NOW, set_up_group
from tests.harness import BotHarness, Phone

# Markers a log line must never carry: her words, their names, their Telegram ids.
HER_WORDS = "Quokkamarmalade letter from the kommune"
HER_ID = 7431902611
HODAN_WORDS = "Zebrafinch answer about the letter"
HODAN_NAME = "Hodanbellezza"
HODAN_ID = 7431902612
HER_NAME = "Aminaflorentine"


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The process's logging as `python -m bot run` sets it up with LOG_FORMAT=json, into a buffer."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    buffer = io.StringIO()
    configure("json", stream=buffer)
    try:
        yield buffer
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


async def through_the_inbox(bot: BotHarness) -> None:
    """What the running bot does with an update: store it in the inbox, handle it from there, send."""
    inbox = bot.services.inbox
    handle = inbox_handler(bot.application)
    for raw in bot.standin.drain_updates():
        await inbox.receive(raw)
    while await inbox.handle_next(handle):
        pass
    await bot.send_outbox()


async def test_a_conversation_leaves_json_lines_without_names_words_or_telegram_ids(
    bot: BotHarness, json_log: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def process_pending(*, send: bool = True) -> None:
        await through_the_inbox(bot)

    monkeypatch.setattr(bot, "process_pending", process_pending)
    await set_up_group(bot)
    hodan = Phone(bot, bot.standin.add_user(first_name=HODAN_NAME, language_code="en", user_id=HODAN_ID))
    await admin.add_volunteer(
        bot.services,
        telegram_id=HODAN_ID,
        name=HODAN_NAME,
        languages="so,en",
        postcode="8220",
        capacity=3,
        locale="en",
        now=NOW,
        group="Bydelsmødre Gellerup",
    )
    woman = Phone(bot, bot.standin.add_user(first_name=HER_NAME, language_code="en", user_id=HER_ID))
    await woman.send("/start")
    await woman.press_data("lang:set:en")
    await woman.press_data("intro:next")
    await woman.press_data("consent:yes")
    await woman.send("8220")
    await woman.press_data("topic:letters")
    await woman.press_data("topic:done")
    await hodan.press("Yes, I will talk with her")
    await woman.send(HER_WORDS)
    await hodan.send(HODAN_WORDS)
    assert bot.inbox(HODAN_ID)[-1].text == HER_WORDS  # the conversation really happened
    assert bot.inbox(HER_ID)[-1].text == HODAN_WORDS
    await woman.send("/mydata")
    bot.standin.block(HER_ID)  # Telegram's 403 for her, and an alert about it: logged, by no name
    await hodan.send(f"{HODAN_WORDS}, again")
    assert "can no longer reach the other person" in (bot.inbox(HODAN_ID)[-1].text or "")

    text = json_log.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]  # every line is one JSON object
    assert lines, "the conversation logged nothing at all"
    for line in lines:
        assert {"time", "level", "logger", "event"} <= line.keys()
    handled = [line for line in lines if line["event"].startswith("update ") and "duration" in line]
    assert len(handled) >= 10
    assert all(isinstance(line["update_id"], int) and line["duration"] >= 0 for line in handled)
    for marker in (HER_WORDS, HODAN_WORDS, HER_NAME, HODAN_NAME, str(HER_ID), str(HODAN_ID), SANDBOX_TOKEN):
        assert marker not in text
    for word in ("Quokkamarmalade", "Zebrafinch"):
        assert word not in text


def test_an_exception_is_logged_by_its_class_and_place_never_its_message(json_log: io.StringIO) -> None:
    try:
        raise ValueError(f"could not store {HER_WORDS!r} for {HER_ID}")
    except ValueError:
        logging.getLogger("bot.test").exception("storing failed")
    [line] = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert line["event"] == "storing failed"
    assert line["level"] == "error"
    assert line["error"] == "ValueError"
    assert any("test_logs.py" in frame for frame in line["stack"])
    assert HER_WORDS not in json_log.getvalue() and str(HER_ID) not in json_log.getvalue()
