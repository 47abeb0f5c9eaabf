"""This bot beside a bare python-telegram-bot echo bot, against the same Telegram stand-in, in one run.

`python -m bench.throughput` (part of `make bench`). Both bots long-poll the stand-in through PTB, in this
process, with Telegram's limits enforced by the stand-in (30 messages a second, a short burst per chat) and
kept by each bot's rate limiter; they take turns (interleaved, BENCH_REPS repetitions, medians):

- greeting burst: BENCH_WOMEN new women send /start at once; updates answered a second, the median wait
  for the first answer, CPU per update;
- onboarding burst: the same women press the first button at once (this bot: "Yes, English"), and right
  behind them NEWCOMERS new women send /start: how long a newcomer waits for her greeting when hundreds of
  others' next steps arrived first;
- relay burst: BENCH_PAIRS women each send 5 texts back to back (this bot: copied to their Bydelsmødre
  through the outbox; the echo bot: echoed to each); copies a second and the 429 answers Telegram gave.
  like the greeting burst, it starts once what fell due before has gone out (the 100 new Bydelsmødre's
  first lesson, sent when this bot starts);
- memory after start, each bot alone in a fresh process.

CPU is this process's CPU time over the burst (less the bench's own looking for answers) divided by the
updates: the stand-in's share is in both.
A number, not a pass/fail test; BENCH_DATABASE_URL runs this bot on PostgreSQL instead of SQLite.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from sandbox.ptb_request import StandInRequest
from sandbox.standin import StandIn

# The bot's own modules are imported only where this bot runs: the echo bot's memory is PTB's alone.
SANDBOX_TOKEN = "123456:SANDBOX-TOKEN"

WOMEN = int(os.environ.get("BENCH_WOMEN", "300"))
PAIRS = int(os.environ.get("BENCH_PAIRS", "200"))
TEXTS = 5
NEWCOMERS = int(os.environ.get("BENCH_NEWCOMERS", "20"))
REPS = int(os.environ.get("BENCH_REPS", "3"))
# Seconds a burst may take: the numbers of one that takes longer count what arrived by then.
DEADLINE = float(os.environ.get("BENCH_DEADLINE", "300"))


@dataclass
class Burst:
    updates: int
    seconds: float
    cpu: float
    first_answer_p50: float
    refused: int
    finished: bool = True
    answers: dict[int, float] | None = None  # chat: seconds until its answer came
    messages: int = 0  # every message Telegram accepted meanwhile (answers, and what else fell due)

    def p50_of(self, chats: list[int]) -> float:
        times = [self.answers[chat] for chat in chats if self.answers and chat in self.answers]
        return statistics.median(times) if times else self.seconds

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds

    @property
    def cpu_ms(self) -> float:
        return self.cpu / max(self.updates, 1) * 1000


async def burst(
    standin: StandIn,
    send: Callable[[], Any],
    waits: dict[int, Callable[[], bool]],
    updates: int,
    delivered: Callable[[], int] | None = None,
) -> Burst:
    """Send everything at once, then wait until every chat in `waits` shows what it waits for.

    `delivered`: how many of the `updates` have had their answer so far (when there is not one a chat).
    """
    calls_before = len(standin.calls())
    cpu, started = time.process_time(), time.perf_counter()
    await send()
    answered: dict[int, float] = {}
    finished = True
    watching = 0.0  # this loop's own CPU: not the bot's
    while len(answered) < len(waits):
        now = time.perf_counter()
        if now - started > DEADLINE:
            finished = False
            break
        looking = time.process_time()
        for chat, done in waits.items():
            if chat not in answered and done():
                answered[chat] = now - started
        watching += time.process_time() - looking
        await asyncio.sleep(0.02)
    seconds = time.perf_counter() - started
    done_updates = delivered() if delivered is not None else len(answered)
    calls = standin.calls()[calls_before:]
    refused = sum(1 for call in calls if call.error is not None and call.error.error_code == 429)
    messages = sum(1 for call in calls if call.ok and call.method.startswith(("send", "copy")))
    p50 = statistics.median(answered.values()) if answered else seconds
    return Burst(
        done_updates,
        seconds,
        time.process_time() - cpu - watching,
        p50,
        refused,
        finished,
        answered,
        messages,
    )


def grew(standin: StandIn, user: int, by: int) -> Callable[[], bool]:
    before = len(standin.bot_messages(user))
    return lambda: len(standin.bot_messages(user)) >= before + by


# -- the bare echo bot ------------------------------------------------------------------------------------


def echo_application(standin: StandIn) -> Application[Any, Any, Any, Any, Any, Any]:
    async def greet(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes, English", callback_data="yes")]])
        assert update.effective_message is not None
        await update.effective_message.reply_text("Hello! Shall we write in English?", reply_markup=keyboard)

    async def pressed(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None and update.effective_chat is not None
        await update.callback_query.answer()
        await update.get_bot().send_message(update.effective_chat.id, "Good. What do you need?")

    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text is not None
        await update.effective_message.reply_text(update.effective_message.text)

    application = (
        ApplicationBuilder()
        .token(standin.token)
        .request(StandInRequest(standin))
        .get_updates_request(StandInRequest(standin))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .build()
    )
    application.add_handler(CommandHandler("start", greet))
    application.add_handler(CallbackQueryHandler(pressed))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return application


@contextlib.asynccontextmanager
async def echo_running(standin: StandIn) -> AsyncIterator[None]:
    application = echo_application(standin)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=10)
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()


# -- this bot ---------------------------------------------------------------------------------------------


class ThisBot:
    def __init__(self, folder: Path) -> None:
        self.standin = StandIn(token=SANDBOX_TOKEN, enforce_rate_limits=False)
        self.key = Fernet.generate_key().decode()
        self.folder = folder
        self.url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{folder / 'bench.sqlite3'}"
        self.pairs: list[tuple[int, int]] = []  # (woman, her Bydelsmor)

    async def migrate(self) -> None:
        from storage.db import create_engine
        from storage.migrate import upgrade

        engine = create_engine(self.url)
        await upgrade(engine)
        await engine.dispose()

    async def set_up(self) -> None:
        """The matched pairs, made through the real flow (not timed); then Telegram's limits apply."""
        from tests.conftest import Clock
        from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
        from tests.harness import BotHarness

        await self.migrate()
        # Matched now, as they would be: with the tests' clock (months ago) every check-in and lesson of the
        # 100 pairs fell due in the bursts, and shared Telegram's pace with what is measured.
        harness = BotHarness(
            database_url=self.url, data_key=self.key, clock=Clock(datetime.now(UTC)), data_dir=self.folder
        )
        harness.standin = self.standin
        await harness.start()
        await set_up_group(harness)
        for number in range(PAIRS):
            volunteer = await bydelsmor(harness, f"Bydelsmor{number}", "so,en", "8220")
            woman = await woman_asks(harness, language="en")
            await volunteer.press("Yes, I will talk with her")
            await woman.send("Hello")  # her first message (and any label) is not part of the burst
            self.pairs.append((woman.user_id, volunteer.user_id))
        await harness.stop()
        self.standin.enforce_rate_limits = True

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        from bot.app import build_application, running
        from bot.config import load_settings
        from bot.services import build_services

        settings = load_settings(data_dir=self.folder, data_key=self.key)
        services = build_services(settings, database_url=self.url)
        options: dict[str, Any] = {}
        if "rate_limited" in inspect.signature(build_application).parameters:
            options["rate_limited"] = True
        application = build_application(
            services,
            token=SANDBOX_TOKEN,
            base_url="http://sandbox.invalid",
            request=StandInRequest(self.standin),
            **options,
        )
        if not options:  # the bot before its own limiter: PTB's, as it runs against Telegram
            application.bot._rate_limiter = AIORateLimiter(max_retries=3)
        async with running(application, polling=True):
            yield
        await services.db.dispose()


# -- the scenarios ----------------------------------------------------------------------------------------


async def greeting_and_onboarding(standin: StandIn, label: str, button: str) -> tuple[Burst, Burst, float]:
    """The greeting burst, the onboarding burst, and the newcomers' median wait for their greeting."""
    women = [standin.add_user(first_name="Amina", language_code="en") for _ in range(WOMEN)]
    await quiet(standin)

    async def start() -> None:
        for woman in women:
            await standin.send_text(woman, "/start")

    greeting = await burst(standin, start, {w: grew(standin, w, 1) for w in women}, WOMEN)
    newcomers = [standin.add_user(first_name="Hodan", language_code="en") for _ in range(NEWCOMERS)]

    async def press() -> None:
        for woman in women:
            message = standin.last_bot_message(woman)
            await standin.press_button(woman, message.message_id, message.callback_data_for(button))
        for newcomer in newcomers:  # behind all of them
            await standin.send_text(newcomer, "/start")

    waits = {w: grew(standin, w, 1) for w in [*women, *newcomers]}
    onboarding = await burst(standin, press, waits, WOMEN + NEWCOMERS)
    del label
    return greeting, onboarding, onboarding.p50_of(newcomers)


async def quiet(standin: StandIn, *, for_seconds: float = 1.5, at_most: float = 120.0) -> None:
    """Wait until nothing has been sent for a while: what fell due before (a new Bydelsmor's first lesson)
    goes out before the relay burst is timed, and does not share Telegram's pace with it."""
    started = time.perf_counter()
    sent, still_since = len(standin.calls()), time.perf_counter()
    while time.perf_counter() - started < at_most:
        await asyncio.sleep(0.1)
        if len(standin.calls()) != sent:
            sent, still_since = len(standin.calls()), time.perf_counter()
        elif time.perf_counter() - still_since >= for_seconds:
            return


async def relay(
    standin: StandIn, pairs: list[tuple[int, int]], rep: int, *, texts_each: int = TEXTS
) -> Burst:
    texts = [f"rep {rep} note {n}" for n in range(texts_each)]
    await quiet(standin)

    def copies(receiver: int) -> int:
        return sum(m.text in texts for m in standin.bot_messages(receiver))

    async def write() -> None:
        for woman, _ in pairs:
            for text in texts:  # back to back
                await standin.send_text(woman, text)

    def all_arrived(receiver: int) -> Callable[[], bool]:
        return lambda: copies(receiver) >= texts_each

    waits = {receiver: all_arrived(receiver) for _, receiver in pairs}
    return await burst(
        standin, write, waits, len(pairs) * texts_each, lambda: sum(copies(r) for _, r in pairs)
    )


def memory_after_start(which: str) -> float:
    output = subprocess.run(
        [sys.executable, "-m", "bench.throughput", "--memory", which],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(output.strip().splitlines()[-1])


async def measure_memory(which: str) -> None:
    """Start one bot alone, then print this process's resident memory in MB."""
    with tempfile.TemporaryDirectory() as folder:
        if which == "echo":
            standin = StandIn(token=SANDBOX_TOKEN)
            async with echo_running(standin):
                await asyncio.sleep(0.5)
                print(_rss_mb())
        else:
            this = ThisBot(Path(folder))
            await this.migrate()
            async with this.running():
                await asyncio.sleep(0.5)
                print(_rss_mb())
        await asyncio.sleep(0)


def _rss_mb() -> float:
    gc.collect()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main() -> None:
    results: dict[str, dict[str, list[Burst]]] = {"echo": {}, "bot": {}}
    newcomer_waits: dict[str, list[float]] = {"echo": [], "bot": []}

    def note(which: str, scenario: str, value: Burst) -> None:
        results[which].setdefault(scenario, []).append(value)
        print(
            f"  {which:4} {scenario:10} {value.per_second:7.1f} updates/s  p50 first answer "
            f"{value.first_answer_p50:6.2f} s  CPU {value.cpu_ms:6.2f} ms/update  429: {value.refused}  "
            f"messages: {value.messages}"
            + ("" if value.finished else f"  (unfinished: {value.updates} answered in {DEADLINE:.0f} s)"),
            flush=True,
        )

    with tempfile.TemporaryDirectory() as folder:
        this = ThisBot(Path(folder))
        started = time.perf_counter()
        await this.set_up()
        print(f"{PAIRS} matched pairs set up in {time.perf_counter() - started:.0f} s", flush=True)
        for rep in range(REPS):
            print(f"repetition {rep + 1} of {REPS}", flush=True)
            order = ["echo", "bot"] if rep % 2 == 0 else ["bot", "echo"]
            for which in order:
                if which == "echo":
                    standin = StandIn(token=SANDBOX_TOKEN, enforce_rate_limits=True)
                    async with echo_running(standin):
                        greeting, onboarding, newcomer_wait = await greeting_and_onboarding(
                            standin, which, "Yes, English"
                        )
                        # One text from each of as many women: PTB's limiter keeps no pace per private chat,
                        # and five texts back to back to one chat draw 429s that stop all its sending.
                        echoers = [
                            standin.add_user(first_name="W", language_code="en") for _ in range(PAIRS * TEXTS)
                        ]
                        relayed = await relay(standin, [(w, w) for w in echoers], rep, texts_each=1)
                    await standin.aclose()
                else:
                    async with this.running():
                        # The language's name is isolated (U+2068/U+2069), as in every text of the bot.
                        greeting, onboarding, newcomer_wait = await greeting_and_onboarding(
                            this.standin, which, "Yes, \u2068English\u2069"
                        )
                        relayed = await relay(this.standin, this.pairs, rep)
                note(which, "greeting", greeting)
                note(which, "onboarding", onboarding)
                note(which, "relay", relayed)
                newcomer_waits[which].append(newcomer_wait)
                print(
                    f"  {which:4} {NEWCOMERS} newcomers behind the button burst: "
                    f"greeted after {newcomer_wait:.2f} s"
                )
        await this.standin.aclose()

    memory = {which: memory_after_start(which) for which in ("echo", "bot")}

    def median(which: str, scenario: str, field: Callable[[Burst], float]) -> float:
        return statistics.median(field(b) for b in results[which][scenario])

    print(
        f"\nmedians of {REPS}; {WOMEN} women greeting and onboarding, {PAIRS} women x {TEXTS} texts relayed\n"
    )
    print("| work | bare echo | this bot | ratio |")
    print("|---|---|---|---|")
    rows: list[tuple[str, str, Callable[[Burst], float], str]] = [
        ("greeting", "CPU per update, a new woman's /start (ms)", lambda b: b.cpu_ms, "{:.2f}"),
        ("onboarding", "CPU per update, an onboarding button (ms)", lambda b: b.cpu_ms, "{:.2f}"),
        ("relay", "CPU per update, a relayed text (ms)", lambda b: b.cpu_ms, "{:.2f}"),
        ("greeting", f"{WOMEN} women send /start at once (updates/s)", lambda b: b.per_second, "{:.1f}"),
        ("greeting", "  median wait for the first answer (s)", lambda b: b.first_answer_p50, "{:.2f}"),
        (
            "onboarding",
            f"{WOMEN} women press a button at once, {NEWCOMERS} newcomers behind them (updates/s)",
            lambda b: b.per_second,
            "{:.1f}",
        ),
        (
            "relay",
            f"{PAIRS} women x {TEXTS} texts back to back (copies/s)*",
            lambda b: b.per_second,
            "{:.1f}",
        ),
        # This bot's tick may find check-ins and lessons due meanwhile: they share Telegram's 30 a second.
        ("relay", "  messages sent in all meanwhile (/s)", lambda b: b.messages / b.seconds, "{:.1f}"),
        ("relay", "  429 answers in that burst", lambda b: b.refused, "{:.0f}"),
        ("greeting", "  429 answers in the greeting burst", lambda b: b.refused, "{:.0f}"),
    ]
    for scenario, label, field, shape in rows:
        echo, ours = median("echo", scenario, field), median("bot", scenario, field)
        ratio = f"{ours / echo:.1f} x" if echo else "-"
        print(f"| {label} | {shape.format(echo)} | {shape.format(ours)} | {ratio} |")
    echo_wait, our_wait = (statistics.median(newcomer_waits[which]) for which in ("echo", "bot"))
    print(f"|   the newcomers' median wait for their greeting (s) | {echo_wait:.2f} | {our_wait:.2f} | "
          f"{our_wait / echo_wait:.1f} x |")  # fmt: skip
    print(f"| memory after start (MB) | {memory['echo']:.0f} | {memory['bot']:.0f} | "
          f"{memory['bot'] / memory['echo']:.1f} x |")  # fmt: skip
    print(f"\n* the echo bot: {PAIRS * TEXTS} women one text each (its limiter keeps no pace per chat)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--memory"]:
        asyncio.run(measure_memory(sys.argv[2]))
    else:
        asyncio.run(main())
