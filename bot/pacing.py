"""Telegram's sending limits, kept by one pacer that everything in this process that sends goes through.

Telegram allows about 30 messages a second overall and asks for no more than one a second in a chat. The
outbox and the inline replies share one budget (`SendPacer`), so together they stay below 30 a second and a
429 stays rare. The overall limit is a sliding window (at most `per_second` sends in any second), not an
even spacing: a sender may take all the free slots at once, send them side by side and never wait while it
holds a claimed row. Replies to someone writing now come first: the outbox takes the slots they leave.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

__all__ = ["OVERALL_PER_SECOND", "PER_CHAT_GAP", "SendPacer"]

PER_CHAT_GAP = 1.0  # seconds between two messages to one chat
OVERALL_PER_SECOND = 28  # messages in any one second: just below Telegram's ~30
WINDOW = 1.0  # seconds: the window `per_second` counts in
# Of each second's slots, how many the outbox may still take however fast replies come (see `free_slots`), as
# long as the replies have not used them first: a burst of women writing at once slows a Bydelsmor's copy, a
# check-in or an alert to a coordinator (measured: 2 to 8 a second in a 300-women burst), never stops it.
OUTBOX_SHARE = 6


class SendPacer:
    """Who may be sent to now. `per_second=None`: no overall limit; `per_chat_gap=0`: none per chat."""

    def __init__(
        self,
        *,
        per_chat_gap: float = PER_CHAT_GAP,
        per_second: int | None = OVERALL_PER_SECOND,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.per_chat_gap = per_chat_gap
        self.per_second = per_second
        self._monotonic = monotonic
        self.sleep = sleep  # tests pass a fake that moves `monotonic` on
        self._recent: deque[float] = deque()  # when the sends of the last WINDOW seconds went
        self._last_to_chat: dict[int, float] = {}
        self._paused_until = 0.0
        self._reserved = 0  # slots taken for rows being claimed: not free for anyone else meanwhile
        self._replies_waiting = 0  # inline replies waiting in `acquire` for a slot
        self._outbox_recent: deque[float] = deque()  # when the outbox's sends of the last WINDOW seconds went

    def _forget_old(self, now: float) -> None:
        while self._recent and self._recent[0] <= now - WINDOW:
            self._recent.popleft()
        while self._outbox_recent and self._outbox_recent[0] <= now - WINDOW:
            self._outbox_recent.popleft()
        if len(self._last_to_chat) > 1024:  # chats sent to long ago are free: keep the table small
            self._last_to_chat = {
                chat: at for chat, at in self._last_to_chat.items() if at > now - self.per_chat_gap
            }

    def free_slots(self, *, behind_replies: bool = False) -> int:
        """How many messages may go out now, to chats that are free.

        `behind_replies` (the outbox): the slots inline replies use and wait for are not free. A woman who
        writes now is answered first; what the outbox carries (copies, check-ins, lessons) takes the slots
        the replies leave, and up to OUTBOX_SHARE a second in any case.
        """
        now = self._monotonic()
        if now < self._paused_until:
            return 0
        if self.per_second is None:
            return 1 << 30
        self._forget_old(now)
        free = max(self.per_second - len(self._recent) - self._reserved, 0)
        if not behind_replies:
            return free
        # The replies' demand: what they sent in the last second and what waits now. The outbox may fill
        # the rest, so as replies come faster the outbox's part shrinks, down to OUTBOX_SHARE.
        replies = len(self._recent) - len(self._outbox_recent) + self._replies_waiting
        outbox_part = max(OUTBOX_SHARE, self.per_second - replies)
        return max(min(free, outbox_part - len(self._outbox_recent) - self._reserved), 0)

    def wait_for_slot(self, *, behind_replies: bool = False) -> float:
        """Seconds until a message may go out (0: now); `behind_replies` as in `free_slots`."""
        now = self._monotonic()
        paused = max(self._paused_until - now, 0.0)
        if self.per_second is None:
            return paused
        self._forget_old(now)
        taken = len(self._recent) + self._reserved
        if taken < self.per_second:
            if paused or not behind_replies or self.free_slots(behind_replies=True):
                return paused
            # Free slots, all the replies': look again when the next send leaves the window.
            return self._recent[0] + WINDOW - now if self._recent else WINDOW
        if self._reserved >= self.per_second or not self._recent:
            return max(WINDOW, paused)  # everything is reserved: look again when those went out
        return max(self._recent[max(taken - self.per_second, 0)] + WINDOW - now, paused)

    def busy_chats(self) -> list[int]:
        """Chats sent to less than `per_chat_gap` ago: nothing more goes to them yet."""
        if self.per_chat_gap <= 0:
            return []
        since = self._monotonic() - self.per_chat_gap
        return [chat for chat, at in self._last_to_chat.items() if at > since]

    def wait_for_chat(self, chat_id: int) -> float:
        last = self._last_to_chat.get(chat_id)
        if last is None or self.per_chat_gap <= 0:
            return 0.0
        return max(last + self.per_chat_gap - self._monotonic(), 0.0)

    def next_chats_free_in(self, *, within: float) -> float | None:
        """Seconds until the first busy chat is free, or the last of those free `within` seconds after it
        (several freed chats are sent to at once); None when no chat is busy."""
        waits = [wait for chat in self.busy_chats() if (wait := self.wait_for_chat(chat)) > 0]
        if not waits:
            return None
        first = min(waits)
        return max(wait for wait in waits if wait <= first + within)

    def reserve(self, count: int) -> int:
        """Take up to `count` free slots before claiming rows for them (the claim awaits the database,
        and an inline reply must not take them meanwhile); the number taken. Each is used by
        `record(..., reserved=True)` or handed back with `release`."""
        taken = min(count, self.free_slots(behind_replies=True))
        self._reserved += taken
        return taken

    def release(self, count: int) -> None:
        self._reserved = max(self._reserved - count, 0)

    def record(self, chat_id: int | None, *, reserved: bool = False) -> None:
        """A message goes out now (to `chat_id`, when it has one), in a slot reserved for it or a free one."""
        now = self._monotonic()
        if reserved:  # the outbox's
            self.release(1)
            self._outbox_recent.append(now)
        self._recent.append(now)
        if chat_id is not None:
            self._last_to_chat[chat_id] = now

    def paused(self) -> bool:
        return self._monotonic() < self._paused_until

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after": nothing goes out until then."""
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)

    async def acquire(self, chat_id: int | None, *, per_chat: bool = True) -> None:
        """Wait until one message may go out (to this chat, unless `per_chat` is off), and count it.

        While it waits, the outbox leaves it the next free slot (`free_slots(behind_replies=True)`).
        """
        waiting = False
        try:
            while True:
                wait = self.wait_for_slot()
                if per_chat and chat_id is not None:
                    wait = max(wait, self.wait_for_chat(chat_id))
                if wait <= 0:
                    break
                if not waiting:
                    waiting = True
                    self._replies_waiting += 1
                await self.sleep(wait)
        finally:
            if waiting:
                self._replies_waiting -= 1
        self.record(chat_id)
