"""The inbox: stored before Telegram is told, handled in one transaction, again after a crash, parked after
three failures."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import inbox_handler
from bot.inbox import HandlingFailedError, Inbox
from storage import people
from storage.db import Database
from storage.inbox import HEAD_START
from storage.models import Group, InboxUpdate
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness


def message(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    chat = {"id": chat_id, "type": "private", "first_name": "Amina"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": chat,
            "from": {**chat, "is_bot": False},
            "text": text,
        },
    }


class Recorder:
    """A handler that writes a row through the use cases' way into the database, and can fail or crash."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.seen: list[int] = []
        self.fail: set[int] = set()
        self.crash: set[int] = set()

    async def __call__(self, update: dict[str, Any]) -> None:
        update_id = update["update_id"]
        self.seen.append(update_id)
        async with self.db.transaction() as session:  # joins the inbox's unit of work
            session.add(
                Group(id=update_id, name=f"G{update_id}", slug=f"g{update_id}", created_at=Clock().now)
            )
        if update_id in self.crash:
            self.crash.discard(update_id)
            raise asyncio.CancelledError  # the process dies here: nothing after this line runs
        if update_id in self.fail:
            raise HandlingFailedError("OperationalError")


async def effects(db: Database) -> list[int]:
    async with db.transaction() as session:
        return list((await session.execute(select(Group.id).order_by(Group.id))).scalars())


async def test_an_update_delivered_twice_is_stored_once(database: Database, clock: Clock) -> None:
    inbox = Inbox(db=database, clock=clock)
    assert await inbox.receive(message(1, 10, "hej")) is True
    assert await inbox.receive(message(1, 10, "hej")) is False  # Telegram sent it again
    async with database.transaction() as session:
        assert (await session.execute(select(func.count(InboxUpdate.update_id)))).scalar_one() == 1


async def test_a_crash_while_handling_rolls_back_its_changes_and_it_is_handled_again(
    database: Database, clock: Clock
) -> None:
    inbox = Inbox(db=database, clock=clock)
    handler = Recorder(database)
    handler.crash.add(1)
    await inbox.receive(message(1, 10, "hej"))
    with pytest.raises(asyncio.CancelledError):
        await inbox.handle_next(handler)
    assert await effects(database) == []  # the handler's write went with the crash

    assert await inbox.handle_next(handler) is True
    assert await inbox.handle_next(handler) is False
    assert handler.seen == [1, 1]
    assert await effects(database) == [1]  # committed once


async def test_an_update_failing_three_times_is_parked_and_she_is_told_once(
    database: Database, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    inbox = Inbox(db=database, clock=clock)
    handler = Recorder(database)
    handler.fail.add(1)
    told: list[int] = []

    async def tell(update: dict[str, Any]) -> None:
        told.append(update["update_id"])

    await inbox.receive(message(1, 10, "my secret words"))
    with caplog.at_level(logging.INFO):
        for _ in range(5):
            await inbox.handle_next(handler, on_parked=tell)
            clock.advance(seconds=3)
    assert handler.seen == [1, 1, 1]
    assert told == [1]
    async with database.transaction() as session:
        row = await session.get(InboxUpdate, 1)
        assert row is not None and (row.status, row.error, row.attempts) == ("parked", "OperationalError", 3)
    assert await effects(database) == []
    assert "secret" not in caplog.text and "OperationalError" in caplog.text


async def test_one_chat_waits_for_its_earlier_update_and_others_do_not(
    database: Database, clock: Clock
) -> None:
    inbox = Inbox(db=database, clock=clock)
    handler = Recorder(database)
    handler.fail.add(1)
    for update in (message(1, 10, "a"), message(2, 10, "b"), message(3, 20, "c")):
        await inbox.receive(update)
    while await inbox.handle_next(handler):
        pass
    assert handler.seen == [1, 3]  # her second message waits until her first is through
    clock.advance(seconds=3)
    handler.fail.clear()
    while await inbox.handle_next(handler):
        pass
    assert handler.seen == [1, 3, 1, 2]


async def a_woman_the_bot_knows(database: Database, clock: Clock, *, telegram_user_id: int) -> None:
    async with database.transaction() as session:
        await people.ensure_person(
            session,
            telegram_user_id=telegram_user_id,
            step="topics",
            consent="given",
            referral=None,
            now=clock(),
        )


async def test_a_newcomers_first_message_goes_before_the_later_steps_of_women_it_knows(
    database: Database, clock: Clock
) -> None:
    await a_woman_the_bot_knows(database, clock, telegram_user_id=10)
    inbox = Inbox(db=database, clock=clock)
    handler = Recorder(database)
    # One getUpdates answer: a woman the bot knows writes twice, then someone new says hello, then the
    # known woman once more.
    new = await inbox.receive_many(
        [message(1, 10, "a"), message(2, 10, "b"), message(3, 30, "/start"), message(4, 10, "c")]
    )
    assert new == {1, 2, 3, 4}
    while await inbox.handle_next(handler):
        pass
    assert handler.seen == [3, 1, 2, 4]  # the newcomer first; the known woman's in the order she wrote


async def test_newcomers_overtake_a_known_woman_by_a_bounded_number_of_updates_and_groups_not_at_all(
    database: Database, clock: Clock
) -> None:
    await a_woman_the_bot_knows(database, clock, telegram_user_id=10)
    inbox = Inbox(db=database, clock=clock)
    handler = Recorder(database)
    group = message(2, -100123, "/start")  # someone added the bot to a group: no head start
    group["message"]["chat"]["type"] = "supergroup"
    assert HEAD_START == 300
    await inbox.receive_many(
        [message(1, 10, "I need to talk"), group, *(message(n, n, "/start") for n in (300, 301, 302))]
    )
    while await inbox.handle_next(handler):
        pass
    # 300 came 299 updates after hers: it goes first. 301 and 302 came 300 and more after: not before her.
    # The group's update (2) has no head start: the newcomer 301, placed at 1, is ahead of it.
    assert handler.seen == [300, 1, 301, 2, 302]


async def test_a_getupdates_answer_is_stored_in_one_go_and_a_redelivery_is_recognised(
    database: Database, clock: Clock
) -> None:
    inbox = Inbox(db=database, clock=clock)
    assert await inbox.receive_many([message(1, 10, "a"), message(2, 20, "b")]) == {1, 2}
    # Telegram did not hear our confirmation and sends them again, with one more.
    assert await inbox.receive_many([message(1, 10, "a"), message(2, 20, "b"), message(3, 20, "c")]) == {3}
    assert await inbox.receive_many([]) == set()
    async with database.transaction() as session:
        assert (await session.execute(select(func.count(InboxUpdate.update_id)))).scalar_one() == 3


async def test_handled_updates_lose_their_words_at_once_and_their_ids_after_two_days(
    database: Database, clock: Clock
) -> None:
    inbox = Inbox(db=database, clock=clock)
    await inbox.receive(message(1, 10, "hej"))
    await inbox.handle_next(Recorder(database))
    async with database.transaction() as session:
        row = await session.get(InboxUpdate, 1)
        assert row is not None and row.payload_encrypted is None
    clock.advance(days=2, seconds=1)
    async with database.transaction() as session:
        assert await inbox.prune(session, now=clock()) == 1
    assert await inbox.receive(message(2, 10, "hej")) is True


async def test_a_crash_after_relaying_her_message_delivers_it_once(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await woman_asks(bot, language="en")
    await hodan.press("Yes, I will talk with her")
    before = hodan.last.message_id
    inbox = bot.services.inbox
    handle = inbox_handler(bot.application)
    crashed = False

    async def dies_after_handling(update: dict[str, Any]) -> None:
        nonlocal crashed
        await handle(update)
        if not crashed:
            crashed = True
            raise asyncio.CancelledError  # killed after the relay wrote its outbox row, before "done"

    await bot.standin.send_text(woman.user_id, "Hello Hodan, I got a letter")
    for raw in bot.standin.drain_updates():
        await inbox.receive(raw)
    with pytest.raises(asyncio.CancelledError):
        await inbox.handle_next(dies_after_handling)
    await bot.restart()
    assert await bot.services.inbox.handle_next(inbox_handler(bot.application)) is True
    await bot.send_outbox()
    assert [m.text for m in bot.inbox(hodan.user_id, after=before)] == ["Hello Hodan, I got a letter"]


async def test_an_update_the_handlers_fail_on_is_retried_and_then_she_is_told(
    bot: BotHarness, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.app import tell_it_went_wrong

    woman = bot.phone(language_code="en")

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database is gone")

    monkeypatch.setattr(bot.services.onboarding, "start", broken)
    await bot.standin.send_text(woman.user_id, "/start")
    for raw in bot.standin.drain_updates():
        await bot.services.inbox.receive(raw)
    for _ in range(3):
        await bot.services.inbox.handle_next(
            inbox_handler(bot.application), on_parked=tell_it_went_wrong(bot.application)
        )
        clock.advance(seconds=3)
    assert [m.text for m in bot.inbox(woman.user_id)] == [
        "Sorry, something went wrong on our side. Please try again in a moment."
    ]


async def test_several_workers_let_other_chats_through_while_one_waits_and_keep_each_chats_order(
    database: Database, clock: Clock
) -> None:
    if database.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: one worker (bot.app.inbox_workers)")
    inbox = Inbox(db=database, clock=clock)
    slow_chat_may_go_on = asyncio.Event()
    seen: list[tuple[int, int]] = []

    async def handler(update: dict[str, Any]) -> None:
        chat = update["message"]["chat"]["id"]
        seen.append((chat, update["update_id"]))
        if update["update_id"] == 1:
            await slow_chat_may_go_on.wait()  # her reply waits for Telegram

    for update in (message(1, 10, "a"), message(2, 10, "b"), message(3, 20, "c"), message(4, 30, "d")):
        await inbox.receive(update)
    workers = asyncio.create_task(inbox.run_workers(handler, workers=3))
    for _ in range(200):
        if {3, 4} <= {update_id for _, update_id in seen}:
            break
        await asyncio.sleep(0.02)
    assert (10, 2) not in seen  # chat 10's second update waits for its first
    assert {(20, 3), (30, 4)} <= set(seen)  # the other chats did not wait
    slow_chat_may_go_on.set()
    for _ in range(200):
        if (10, 2) in seen:
            break
        await asyncio.sleep(0.02)
    inbox.stop()
    await asyncio.wait_for(workers, timeout=5)
    assert [u for c, u in seen if c == 10] == [1, 2]


async def test_a_failure_counted_after_another_worker_handled_the_update_changes_nothing(
    database: Database, clock: Clock
) -> None:
    from storage import inbox as store

    inbox = Inbox(db=database, clock=clock)
    await inbox.receive(message(1, 10, "hej"))
    await inbox.handle_next(Recorder(database))  # handled by the other worker in the meantime
    async with database.transaction() as session:
        parked = await store.failed(
            session, update_id=1, error="OperationalError", retry_at=clock(), park_after=1
        )
    async with database.transaction() as session:
        row = await session.get(InboxUpdate, 1)
        assert parked is False and row is not None and (row.status, row.attempts) == ("done", 0)


async def test_sqlite_has_one_inbox_worker_whatever_the_setting(bot: BotHarness) -> None:
    from dataclasses import replace

    from bot.app import inbox_workers

    if bot.services.db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL takes the setting")
    services = replace(bot.services, settings=bot.services.settings.model_copy(update={"inbox_workers": 3}))
    assert inbox_workers(services) == 1
