"""The inbox: every update is stored before Telegram is told it arrived, and handled from the table.

Telegram confirms an update when the bot asks for the next ones (getUpdates with offset = update_id + 1),
or when the webhook answers 200. Both happen here only after the raw update is committed to `inbox`, so a
bot killed at any moment has either not confirmed it (Telegram sends it again) or has it stored.

A worker takes the oldest due update (in order within a chat), and handles it inside one
`Database.unit_of_work`: every transaction the use cases open joins it, and "done" is written in it too.
A crash or an error rolls back the use cases' changes together with "done", so the update is handled again
from the start: at least once, and its changes are committed once. What cannot be rolled back is a reply
already sent to Telegram during the handling: see docs/architecture.md (which cases can still duplicate).

An update that fails PARK_AFTER times is parked with its error's class (never its text: it may hold her
words) and the person is told once that something went wrong.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.logs import handling_update
from bot.metrics import Metrics
from storage import inbox as store
from storage.db import Database

__all__ = ["HandlingFailedError", "Inbox", "chat_of"]

log = logging.getLogger(__name__)

PARK_AFTER = 3  # failed handlings before an update is set aside
KEEP_HANDLED = timedelta(days=2)  # Telegram redelivers for about a day; the ids are kept for two
RETRY_AFTER = timedelta(seconds=2)  # a passing failure (a busy database, a network blip) has gone by then
KEEP_PARKED = timedelta(days=14)  # long enough for an admin to look; the payload is encrypted

UpdateHandler = Callable[[dict[str, Any]], Awaitable[None]]


class HandlingFailedError(Exception):
    """The handler caught an error (PTB passes errors to error handlers, not to the caller)."""

    def __init__(self, error_class: str) -> None:
        super().__init__(error_class)
        self.error_class = error_class


def chat_of(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to, so that one chat's updates are handled in order; None if unclear."""
    for kind, body in update.items():
        if kind == "update_id" or not isinstance(body, dict):
            continue
        for holder in (body, body.get("message")):
            if not isinstance(holder, dict):
                continue
            chat = holder.get("chat")
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                return int(chat["id"])
        sender = body.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return None


class Inbox:
    def __init__(
        self, *, db: Database, clock: Callable[[], datetime], metrics: Metrics | None = None
    ) -> None:
        self._db = db
        self._clock = clock
        self._metrics = metrics or Metrics()
        self.wake = asyncio.Event()
        self._stopping = False

    async def receive(self, update: dict[str, Any]) -> bool:
        """Store an update as it arrived; False if it was stored before. Commits before returning."""
        return bool(await self.receive_many([update]))

    async def receive_many(self, updates: list[dict[str, Any]]) -> set[int]:
        """Store the updates of one getUpdates answer together, in one commit; the ids that were new.

        One commit for a whole batch, not one each: in a burst (hundreds of women writing at once) Telegram
        hands over up to 100 updates at a time, and a commit apiece was a good part of each one's cost.
        """
        arrived: list[store.Arrived] = []
        for update in updates:
            update_id = update.get("update_id")
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                raise ValueError("an update without an update_id")
            payload = self._db.cipher.encrypt(json.dumps(update, ensure_ascii=False))
            arrived.append(store.Arrived(update_id, chat_of(update), payload))
        async with self._db.transaction() as session:
            new = await store.add_many(session, updates=arrived, now=self._clock())
        self.wake.set()
        return new

    async def handle_next(self, handler: UpdateHandler, *, on_parked: UpdateHandler | None = None) -> bool:
        """Handle the next due update; False when there is none."""
        update_id: int | None = None
        payload: dict[str, Any] = {}
        started = time.perf_counter()
        try:
            async with self._db.unit_of_work() as session:
                row = await store.claim_next(session, now=self._clock())
                if row is None:
                    return False
                update_id = row.update_id
                with handling_update(update_id):
                    if row.payload_encrypted is not None:
                        payload = json.loads(self._db.cipher.decrypt(row.payload_encrypted))
                    await handler(payload)
                    await store.mark_done(session, update_id=update_id, now=self._clock())
        except Exception as error:
            if update_id is None:
                raise  # the database itself: the caller waits and tries again
            error_class = (
                error.error_class if isinstance(error, HandlingFailedError) else type(error).__name__
            )
            self._metrics.error(error_class)
            with handling_update(update_id):
                parked = await self._failed(update_id, error_class, payload, on_parked)
            self._metrics.update_handled(
                outcome="parked" if parked else "failed", seconds=time.perf_counter() - started
            )
            return True
        seconds = time.perf_counter() - started
        self._metrics.update_handled(outcome="done", seconds=seconds)
        log.info("update %s handled", update_id, extra={"update_id": update_id, "duration": seconds})
        return True

    async def _failed(
        self, update_id: int, error_class: str, payload: dict[str, Any], on_parked: UpdateHandler | None
    ) -> bool:
        """Count a failed handling; True when the update is parked now."""
        now = self._clock()
        async with self._db.transaction() as session:
            parked = await store.failed(
                session,
                update_id=update_id,
                error=error_class,
                retry_at=now + RETRY_AFTER,
                park_after=PARK_AFTER,
            )
        if not parked:
            log.warning("update %s failed (%s); it will be handled again", update_id, error_class)
            self._metrics.retried("update")
            return False
        log.error("update %s failed %s times (%s); parked", update_id, PARK_AFTER, error_class)
        if on_parked is not None:
            try:
                await on_parked(payload)
            except Exception as error:  # telling her must not stop the worker
                log.warning("could not tell the sender of update %s (%s)", update_id, type(error).__name__)
        return True

    async def prune(self, session: AsyncSession, *, now: datetime) -> int:
        return await store.prune(session, handled_before=now - KEEP_HANDLED, parked_before=now - KEEP_PARKED)

    def stop(self) -> None:
        """Finish the update in hand, then end `run`."""
        self._stopping = True
        self.wake.set()

    async def run_workers(
        self, handler: UpdateHandler, *, workers: int, on_parked: UpdateHandler | None = None
    ) -> None:
        """`workers` workers at once: each takes the next update of a chat no other worker is handling
        (the claim skips a chat whose earlier update is still pending), so one slow reply to Telegram
        does not hold the others back."""
        self._stopping = False  # once, here: a stop() that comes while they start must not be undone
        await asyncio.gather(
            *(self.run(handler, on_parked=on_parked, reset_stop=False) for _ in range(workers))
        )

    async def run(
        self,
        handler: UpdateHandler,
        *,
        on_parked: UpdateHandler | None = None,
        idle: float = 0.5,
        reset_stop: bool = True,
    ) -> None:
        """Handle updates until `stop`: at once when one arrives in this process, else every `idle` s."""
        if reset_stop:  # a new run; the workers of run_workers share one reset, done before they start
            self._stopping = False
        while not self._stopping:
            self.wake.clear()
            try:
                if await self.handle_next(handler, on_parked=on_parked):
                    continue
            except Exception as error:
                log.error("the inbox could not be read (%s); trying again", type(error).__name__)
                self._metrics.error(type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=idle)
