"""Inline replies and the outbox share one budget: together below Telegram's 30 messages a second."""

from __future__ import annotations

import asyncio
import warnings
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.outbox import OutboxSender, enqueue
from bot.pacing import OUTBOX_SHARE, SendPacer
from handlers.pacing import ALREADY_PACED, PacedRateLimiter, retry_after_seconds
from storage.db import Database
from tests.bot.test_outbox import FakeTime, TimedMessenger, most_in_one_second
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, matched_pair, set_up_group
from tests.harness import BotHarness


class RecordingTelegram:
    """The Bot API behind PTB: records when each call arrived; answers 429 as many times as told."""

    def __init__(self, time: FakeTime, *, refusals: int = 0) -> None:
        self._time = time
        self._refusals = refusals
        self.calls: list[tuple[float, Any]] = []

    async def post(self, endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((self._time.now, data.get("chat_id")))
        if self._refusals:
            self._refusals -= 1
            raise RetryAfter(2)
        return {"message_id": len(self.calls)}


async def reply(limiter: PacedRateLimiter, telegram: RecordingTelegram, chat_id: int, **options: Any) -> Any:
    data = {"chat_id": chat_id, "text": "hello"}
    return await limiter.process_request(
        callback=telegram.post,
        args=("sendMessage", data),
        kwargs={},
        endpoint="sendMessage",
        data=data,
        rate_limit_args=options.get("rate_limit_args"),
    )


async def test_a_burst_of_inline_replies_stays_below_telegrams_limit() -> None:
    time = FakeTime()
    pacer = SendPacer(per_second=28, monotonic=time, sleep=time.sleep)
    telegram = RecordingTelegram(time)
    limiter = PacedRateLimiter(pacer)
    await asyncio.gather(*(reply(limiter, telegram, chat_id) for chat_id in range(1, 201)))
    assert len(telegram.calls) == 200
    assert most_in_one_second([at for at, _ in telegram.calls]) <= 28
    assert time.now - 1000.0 < 200 / 28 + 1  # and not slower than that


async def test_a_429_pauses_every_reply_then_the_reply_is_sent() -> None:
    time = FakeTime()
    pacer = SendPacer(per_second=28, monotonic=time, sleep=time.sleep)
    telegram = RecordingTelegram(time, refusals=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PTBDeprecationWarning)  # retry_after read as PTB 22 wants it
        assert await reply(PacedRateLimiter(pacer), telegram, 5) == {"message_id": 2}
    assert [round(at - 1000.0, 1) for at, _ in telegram.calls] == [0.0, 2.1]


def test_the_outbox_hears_how_long_a_429_asks_to_wait_without_a_deprecation_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", PTBDeprecationWarning)
        assert retry_after_seconds(RetryAfter(3)) == 3.0
        assert retry_after_seconds(RetryAfter(timedelta(seconds=1.5))) == 1.5


class RecordingPacer(SendPacer):
    """Notes the moment each message takes its place in the budget (fake time runs on while the database
    answers, so a fake Telegram's clock would see the calls later than they were let go)."""

    def __init__(self, time: FakeTime) -> None:
        super().__init__(per_second=28, monotonic=time, sleep=time.sleep)
        self.sends: list[float] = []

    def record(self, chat_id: int | None, *, reserved: bool = False) -> None:
        super().record(chat_id, reserved=reserved)
        self.sends.append(self.monotonic_now())

    def monotonic_now(self) -> float:
        return self._monotonic()


async def test_the_outbox_and_inline_replies_together_stay_below_telegrams_limit(
    database: Database, clock: Clock
) -> None:
    async with database.transaction() as session:
        for chat_id in range(1, 101):
            payload = {"chat_id": chat_id, "text": "a copy"}
            await enqueue(
                session, chat_id=chat_id, method="sendMessage", payload=payload, now=clock(), flush=False
            )
    time = FakeTime()
    pacer = RecordingPacer(time)
    messenger = TimedMessenger(time)
    telegram = RecordingTelegram(time)
    limiter = PacedRateLimiter(pacer)
    outbox = OutboxSender(db=database, messenger=messenger, clock=clock, pacer=pacer)

    sent, *_ = await asyncio.gather(
        outbox.send_due(limit=1000), *(reply(limiter, telegram, 1000 + n) for n in range(100))
    )

    assert sent == 100 and len(telegram.calls) == 100
    assert len(pacer.sends) == 200
    assert most_in_one_second(pacer.sends) <= 28


async def test_a_call_the_outbox_paced_already_is_not_counted_again() -> None:
    time = FakeTime()
    pacer = SendPacer(per_second=1, monotonic=time, sleep=time.sleep)
    telegram = RecordingTelegram(time)
    limiter = PacedRateLimiter(pacer)
    for chat_id in (1, 2, 3):
        await reply(limiter, telegram, chat_id, rate_limit_args=ALREADY_PACED)
    assert [at for at, _ in telegram.calls] == [1000.0, 1000.0, 1000.0]


async def test_the_outbox_sender_is_woken_by_a_relayed_text_not_by_every_reply(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    newcomer = bot.phone(language_code="en")
    wake = bot.services.outbox_wake

    wake.clear()
    await newcomer.send("/start")  # answered inline: nothing for the sender to do
    assert not wake.is_set()

    await woman.send("I need help with a letter")  # her words go to Hodan through the outbox
    assert wake.is_set()


async def test_a_reply_waiting_for_a_slot_goes_before_the_outbox_which_keeps_its_share() -> None:
    # 300 women write at once while the outbox has course lessons to send: each woman's answer should not
    # wait behind the lessons, and a Bydelsmor's copy must still get through.
    time = FakeTime()
    let_go = asyncio.Event()

    async def held(seconds: float) -> None:  # the reply sleeps until the test lets it go
        await let_go.wait()
        time.now += seconds

    pacer = SendPacer(per_second=28, per_chat_gap=0, monotonic=time, sleep=held)
    for chat in range(28):  # the last second's sends, all replies: the window is full
        pacer.record(chat)
    waiting = [asyncio.create_task(pacer.acquire(100 + n, per_chat=False)) for n in range(3)]
    await asyncio.sleep(0)
    time.now += 1.0  # that second is over: 28 slots free, three replies want one each

    assert pacer.free_slots() == 28
    assert pacer.free_slots(behind_replies=True) == 25  # the outbox leaves the replies theirs
    for chat in range(200, 220):  # the outbox sends 20 in this second: beyond its share of OUTBOX_SHARE
        assert pacer.reserve(1) == 1
        pacer.record(chat, reserved=True)
    assert pacer.free_slots(behind_replies=True) == 5
    for chat in range(220, 225):
        pacer.record(chat)  # other replies took five more
    assert pacer.free_slots(behind_replies=True) == 0  # the three left are the waiting replies'
    assert pacer.wait_for_slot(behind_replies=True) > 0
    let_go.set()
    await asyncio.wait_for(asyncio.gather(*waiting), 5)  # and the replies went


async def test_the_outbox_keeps_its_share_however_many_replies_wait() -> None:
    time = FakeTime()
    pacer = SendPacer(per_second=28, per_chat_gap=0, monotonic=time, sleep=time.sleep)
    pacer._replies_waiting = 40  # a burst: far more replies waiting than slots
    assert pacer.free_slots(behind_replies=True) == OUTBOX_SHARE
    for chat in range(OUTBOX_SHARE):
        assert pacer.reserve(1) == 1
        pacer.record(chat, reserved=True)
    assert pacer.free_slots(behind_replies=True) == 0
    time.now += 1.0
    assert pacer.free_slots(behind_replies=True) == OUTBOX_SHARE  # a new second, a new share
