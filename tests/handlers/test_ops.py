"""/metrics and /readyz as Prometheus and a load balancer see them, with the real bot behind them."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.parser import text_string_to_metric_families

from bot.app import inbox_handler, web_app
from bot.metrics import Metrics
from storage.crypto import FieldCipher
from storage.db import Database, create_engine
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness

TOKEN = "metrics-token-for-the-tests-0123456789"
BASE = "http://bot.test"
OUTSIDE = ("203.0.113.9", 40000)  # a documentation address: anywhere but this computer

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
async def bot(database_url: str, data_key: str, clock: Clock, tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = BotHarness(
        database_url=database_url,
        data_key=data_key,
        clock=clock,
        data_dir=tmp_path,
        settings={"metrics_token": TOKEN},
    )
    await harness.start()
    yield harness
    await harness.close()


def client(bot: BotHarness, *, origin: tuple[str, int] = ("127.0.0.1", 50000)) -> httpx.AsyncClient:
    app = web_app(bot.application, webhook_secret=None)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=origin), base_url=BASE)


async def scrape(bot: BotHarness) -> Samples:
    bot.services.metrics.forget_counts()  # the database's counts as they are now, not five seconds ago
    async with client(bot) as http:
        response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_the_names_follow_prometheus_conventions_and_no_label_names_a_person(bot: BotHarness) -> None:
    await set_up_group(bot)
    await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await woman_asks(bot, language="en")
    bot.services.metrics.forget_counts()
    async with client(bot) as http:
        page = (await http.get("/metrics")).text

    families = list(text_string_to_metric_families(page))
    names = {family.name for family in families}
    assert {
        "bydelsmor_updates_handled",
        "bydelsmor_update_handling_seconds",
        "bydelsmor_errors",
        "bydelsmor_messages_sent",
        "bydelsmor_telegram_rate_limited",
        "bydelsmor_retries",
        "bydelsmor_outbox_pending",
        "bydelsmor_outbox_oldest_pending_age_seconds",
        "bydelsmor_checkins_due",
        "bydelsmor_checkins_overdue",
        "bydelsmor_women_waiting",
        "bydelsmor_longest_wait_seconds",
        "bydelsmor_offers_open",
        "bydelsmor_matches_active",
        "bydelsmor_blocked_chats",
    } <= names
    for family in families:
        assert family.name.startswith(("bydelsmor_", "process_")), family.name
        assert re.fullmatch(r"[a-z][a-z0-9_]*", family.name), family.name
        if family.type == "counter":
            assert all(s.name.endswith("_total") for s in family.samples), family.name
        if family.type == "histogram" or "seconds" in family.name:
            assert family.name.endswith("_seconds"), family.name
        for sample in family.samples:
            for name, label in sample.labels.items():
                if name == "le":  # a histogram's bucket bound
                    continue
                assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_.+]*", label), (family.name, label)
    assert str(woman.user_id) not in page
    assert "Amina" not in page and "Hodan" not in page


async def test_the_counts_move_as_a_woman_asks_is_matched_and_writes(bot: BotHarness, clock: Clock) -> None:
    before = await scrape(bot)
    assert value(before, "bydelsmor_women_waiting") == 0
    assert value(before, "bydelsmor_longest_wait_seconds") == 0

    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await woman_asks(bot, language="en")
    clock.advance(hours=2)
    asked = await scrape(bot)
    assert value(asked, "bydelsmor_women_waiting") == 1
    assert value(asked, "bydelsmor_longest_wait_seconds") == 2 * 3600
    assert value(asked, "bydelsmor_offers_open") == 1
    assert value(asked, "bydelsmor_matches_active") == 0
    assert value(asked, "bydelsmor_messages_sent_total", method="sendMessage") > value(
        before, "bydelsmor_messages_sent_total", method="sendMessage"
    )

    await hodan.press("Yes, I will talk with her")
    await woman.send("Hello Hodan")
    talking = await scrape(bot)
    assert value(talking, "bydelsmor_women_waiting") == 0
    assert value(talking, "bydelsmor_offers_open") == 0
    assert value(talking, "bydelsmor_matches_active") == 1
    assert value(talking, "bydelsmor_messages_sent_total", method="copyMessage") == 1
    assert value(talking, "bydelsmor_outbox_pending") == 0
    # Telegram answered getMe when the bot started: /readyz relies on it.
    assert value(talking, "bydelsmor_telegram_getme_last_success_timestamp_seconds") > 0


async def test_a_message_that_waits_in_the_outbox_shows_its_age(bot: BotHarness, clock: Clock) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await woman_asks(bot, language="en")
    await hodan.press("Yes, I will talk with her")
    await bot.standin.send_text(woman.user_id, "Are you there?")
    await bot.process_pending(send=False)  # written to the outbox, not yet sent
    clock.advance(minutes=6)
    waiting = await scrape(bot)
    assert value(waiting, "bydelsmor_outbox_pending") == 1
    assert value(waiting, "bydelsmor_outbox_oldest_pending_age_seconds") == 6 * 60

    await bot.send_outbox()
    sent = await scrape(bot)
    assert value(sent, "bydelsmor_outbox_pending") == 0
    assert value(sent, "bydelsmor_outbox_oldest_pending_age_seconds") == 0


async def test_updates_through_the_inbox_are_counted_with_their_handling_time(bot: BotHarness) -> None:
    woman = bot.phone(language_code="en")
    await bot.standin.send_text(woman.user_id, "/start")
    handle = inbox_handler(bot.application)
    for raw in bot.standin.drain_updates():
        await bot.services.inbox.receive(raw)
    assert await bot.services.inbox.handle_next(handle)

    samples = await scrape(bot)
    assert value(samples, "bydelsmor_updates_handled_total", outcome="done") == 1
    assert value(samples, "bydelsmor_update_handling_seconds_count") == 1
    assert value(samples, "bydelsmor_update_handling_seconds_sum") > 0


async def test_a_failing_update_counts_an_error_by_its_class_and_a_retry(bot: BotHarness) -> None:
    async def broken(_: dict[str, object]) -> None:
        raise KeyError("her words must not become a label")

    await bot.services.inbox.receive({"update_id": 99, "message": {"chat": {"id": 5}}})
    assert await bot.services.inbox.handle_next(broken)

    samples = await scrape(bot)
    assert value(samples, "bydelsmor_errors_total", kind="KeyError") == 1
    assert value(samples, "bydelsmor_retries_total", what="update") == 1
    assert value(samples, "bydelsmor_updates_handled_total", outcome="failed") == 1


async def test_metrics_refuse_other_computers_without_the_token(bot: BotHarness) -> None:
    async with client(bot, origin=OUTSIDE) as http:
        assert (await http.get("/metrics")).status_code == 403
        wrong = {"Authorization": "Bearer not-the-token-at-all-000000"}
        assert (await http.get("/metrics", headers=wrong)).status_code == 403
        right = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 200
        assert "bydelsmor_women_waiting" in right.text
    async with client(bot) as http:
        # Through a reverse proxy on this computer: the request comes from 127.0.0.1 but is not local.
        proxied = await http.get("/metrics", headers={"X-Forwarded-For": "198.51.100.7"})
        assert proxied.status_code == 403
        assert (await http.get("/metrics")).status_code == 200


async def test_ready_when_the_database_and_telegram_answer(bot: BotHarness) -> None:
    async with client(bot, origin=OUTSIDE) as http:
        ready = await http.get("/readyz")
        assert (ready.status_code, ready.text) == (200, "ready\n")

        bot.services.metrics.getme_answered_at = time.monotonic() - 600
        stale = await http.get("/readyz")
        assert stale.status_code == 503
        assert stale.text.startswith("not ready: Telegram last answered getMe 6")

        await bot.application.bot.get_me()  # what the tick does every minute
        assert (await http.get("/readyz")).status_code == 200
        assert (await http.get("/healthz")).text == "ok"


async def test_not_ready_when_the_database_does_not_answer() -> None:
    metrics = Metrics()
    metrics.getme_answered_at = time.monotonic()
    nowhere = Database(
        create_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none"),
        FieldCipher(Fernet.generate_key().decode()),
    )
    try:
        reason = await metrics.not_ready(nowhere)
    finally:
        await nowhere.dispose()
    assert reason is not None and reason.startswith("the database does not answer")


def totals(metric: MetricWrapperBase, label: str) -> dict[str, float]:
    """A labelled counter's values by that label, read back from what it would put on the page."""
    return {
        sample.labels[label]: sample.value
        for family in metric.collect()
        for sample in family.samples
        if sample.name.endswith("_total")
    }


def test_only_sending_methods_count_as_messages() -> None:
    metrics = Metrics()
    for method, status in [
        ("sendMessage", 200),
        ("copyMessage", 200),
        ("editMessageText", 200),
        ("getUpdates", 200),
        ("answerCallbackQuery", 200),
        ("sendMessage", 429),
        ("sendMessage", 403),
        ("getUpdates", 409),
    ]:
        metrics.telegram_answered(method=method, status=status)
    sent = totals(metrics.messages_sent, "method")
    assert sent == {"sendMessage": 1, "copyMessage": 1, "editMessageText": 1}
    errors = totals(metrics.errors, "kind")
    assert errors == {"telegram_403": 1}  # a 409 while another poller hands over is not an error
    assert totals(metrics.rate_limited, "method") == {"sendMessage": 1}


def test_a_label_is_never_free_text() -> None:
    metrics = Metrics()
    metrics.error("Her words: I need help")
    assert totals(metrics.errors, "kind") == {"other": 1}
