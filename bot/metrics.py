"""What /metrics shows, in Prometheus's text format (prometheus-client), and what /readyz checks.

Counters and the handling-time histogram move as the process works (the inbox, the outbox sender, every
Bot API answer through handlers/telegram_request.py). The gauges about the database (outbox, check-ins,
waiting women, offers, matches, blocked chats) are counted when /metrics is read, with a few aggregate
queries (storage/ops_stats.py), at most once every SNAPSHOT_TTL however often it is read.

No label carries a person's id or any text: labels are a Bot API method name, an error's class, or one of a
few fixed words, each checked against `_LABEL` before use. Each Services has its own registry, so tests
(and two bots in one process) do not share counters.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from datetime import datetime

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from storage import ops_stats
from storage.db import Database
from storage.ops_stats import OpsSnapshot

__all__ = ["CONTENT_TYPE", "READY_GETME_WITHIN", "SNAPSHOT_TTL", "Metrics", "is_sending_method"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SNAPSHOT_TTL = 5.0  # seconds: scrapes closer together than this reuse the last counts
# The tick asks Telegram getMe every minute: three missed answers in a row and the process is not ready.
READY_GETME_WITHIN = 180.0

# Every counter would also get a "<name>_created" gauge (when it was made): noise on the page and in
# Prometheus, which works out resets by itself.
disable_created_metrics()  # type: ignore[no-untyped-call]

_LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
_SENDING_PREFIXES = ("send", "copyMessage", "forwardMessage", "editMessage")


def _label(value: str) -> str:
    """A label value we made ourselves, or "other": never a free text that could hold someone's words."""
    return value if _LABEL.match(value) else "other"


def is_sending_method(method: str) -> bool:
    """A Bot API call that puts a message in someone's chat (or changes one there)."""
    return method.startswith(_SENDING_PREFIXES)


class _DatabaseGauges(Collector):
    """The last snapshot's counts, as gauges (nothing until the first scrape has counted)."""

    def __init__(self) -> None:
        self.snapshot: OpsSnapshot | None = None

    def describe(self) -> list[Metric]:
        return []  # the families appear only once counted; the registry must not call collect() early

    def collect(self) -> Iterator[Metric]:
        found = self.snapshot
        if found is None:
            return
        plain = [
            (
                "bydelsmor_outbox_pending",
                "Messages to third parties waiting to be sent.",
                found.outbox_pending,
            ),
            (
                "bydelsmor_outbox_oldest_pending_age_seconds",
                "How long the oldest message waiting to be sent has waited (0: none waits).",
                found.outbox_oldest_pending_age,
            ),
            ("bydelsmor_inbox_pending", "Telegram updates stored and not yet handled.", found.inbox_pending),
            ("bydelsmor_inbox_parked", "Updates set aside after failing three times.", found.inbox_parked),
            (
                "bydelsmor_checkins_due",
                "Check-ins due and not yet sent (quiet hours hold them).",
                found.checkins_due,
            ),
            (
                "bydelsmor_checkins_overdue",
                "Check-ins due for more than a day and still not sent.",
                found.checkins_overdue,
            ),
            ("bydelsmor_women_waiting", "Requests waiting for a Bydelsmor.", found.women_waiting),
            (
                "bydelsmor_longest_wait_seconds",
                "How long the woman who has waited longest for a Bydelsmor has waited (0: nobody waits).",
                found.longest_wait,
            ),
            ("bydelsmor_offers_open", "Offers sent to a Bydelsmor and not yet answered.", found.offers_open),
            (
                "bydelsmor_matches_active",
                "Women and Bydelsmødre talking through the bot now.",
                found.matches_active,
            ),
        ]
        for name, documentation, value in plain:
            yield GaugeMetricFamily(name, documentation, value=value)
        blocked = GaugeMetricFamily(
            "bydelsmor_blocked_chats", "People who blocked the bot, by role.", labels=["role"]
        )
        blocked.add_metric(["woman"], found.blocked_women)
        blocked.add_metric(["bydelsmor"], found.blocked_bydelsmoedre)
        yield blocked


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.updates_handled = Counter(
            "bydelsmor_updates_handled",
            "Telegram updates handled, by outcome: done, failed (to be tried again) or parked.",
            ["outcome"],
            registry=registry,
        )
        self.update_seconds = Histogram(
            "bydelsmor_update_handling_seconds",
            "Time to handle one update, from taking it out of the inbox to committing it.",
            registry=registry,
        )
        self.errors = Counter(
            "bydelsmor_errors",
            "Errors, by kind: an exception's class, or telegram_<status> for a refused Bot API call.",
            ["kind"],
            registry=registry,
        )
        self.messages_sent = Counter(
            "bydelsmor_messages_sent",
            "Messages Telegram accepted, by Bot API method (replies and the outbox together).",
            ["method"],
            registry=registry,
        )
        self.rate_limited = Counter(
            "bydelsmor_telegram_rate_limited",
            "Bot API calls Telegram answered with 429 (too many requests), by method.",
            ["method"],
            registry=registry,
        )
        self.retries = Counter(
            "bydelsmor_retries",
            "Things tried again: an update, an outbox message, a reply, or getUpdates.",
            ["what"],
            registry=registry,
        )
        self.getme_answered = Gauge(
            "bydelsmor_telegram_getme_last_success_timestamp_seconds",
            "When Telegram last answered getMe (Unix time); the tick asks every minute.",
            registry=registry,
        )
        ProcessCollector(registry=registry)  # memory, CPU, open files of this process
        self._database = _DatabaseGauges()
        registry.register(self._database)
        self._counted_at: float | None = None
        self._counting = asyncio.Lock()
        self.getme_answered_at: float | None = None  # time.monotonic() of the last getMe answer

    # What the process reports as it works.

    def update_handled(self, *, outcome: str, seconds: float) -> None:
        self.updates_handled.labels(_label(outcome)).inc()
        self.update_seconds.observe(seconds)

    def error(self, kind: str) -> None:
        self.errors.labels(_label(kind)).inc()

    def retried(self, what: str) -> None:
        self.retries.labels(_label(what)).inc()

    def telegram_answered(self, *, method: str, status: int) -> None:
        """One Bot API call's HTTP status (handlers/telegram_request.py sees every call)."""
        method = _label(method)
        if status == 429:
            self.rate_limited.labels(method).inc()
        elif 200 <= status < 300:
            if method == "getMe":
                self.getme_answered_at = time.monotonic()
                self.getme_answered.set_to_current_time()
            if is_sending_method(method):
                self.messages_sent.labels(method).inc()
        elif not (method == "getUpdates" and status == 409):  # another poller while a deploy hands over
            self.error(f"telegram_{status}")

    # What a scrape reads.

    async def scrape(self, db: Database, *, now: datetime) -> bytes:
        """The page: the counters as they are, and the database's counts (at most SNAPSHOT_TTL old)."""
        async with self._counting:
            if self._counted_at is None or time.monotonic() - self._counted_at >= SNAPSHOT_TTL:
                async with db.reading() as session:
                    self._database.snapshot = await ops_stats.snapshot(session, now=now)
                self._counted_at = time.monotonic()
        return generate_latest(self.registry)

    def forget_counts(self) -> None:
        """The next scrape counts again (tests that change the database between two scrapes)."""
        self._counted_at = None

    async def not_ready(self, db: Database, *, within: float = READY_GETME_WITHIN) -> str | None:
        """Why this process should get no traffic now, in a few words; None when it is ready."""
        try:
            async with db.reading() as session:
                await ops_stats.ping(session)
        except Exception as error:
            return f"the database does not answer ({type(error).__name__})"
        if self.getme_answered_at is None:
            return "Telegram has not answered getMe yet"
        age = time.monotonic() - self.getme_answered_at
        if age > within:
            return f"Telegram last answered getMe {age:.0f} s ago"
        return None
