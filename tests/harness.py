"""Drive the real bot through the Telegram stand-in, one update at a time, as a woman on her phone would."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bot.app import SANDBOX_TOKEN, build_application, inbox_handler, tell_it_went_wrong
from bot.config import load_settings
from bot.outbox import OutboxSender
from bot.services import Services, build_services
from handlers.context import BydelsmorApplication
from handlers.messenger import BotMessenger
from sandbox.ptb_request import StandInRequest
from sandbox.standin import ChatMessage, StandIn

__all__ = ["DASHBOARD_BASE", "WHOLE_STORY_SETTINGS", "BotHarness", "Phone", "as_seen", "without_isolates"]

# The bot wraps every inserted value in bidi isolates (U+2068 ... U+2069), which a phone never shows: the
# harness hands tests the text as a woman reads it. Tests of the isolation itself read `phone.standin`.
_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def without_isolates(text: str) -> str:
    return text.translate(_ISOLATES)


def as_seen(message: ChatMessage) -> ChatMessage:
    """The message as the phone shows it: text, caption and button labels without the invisible isolates."""
    return replace(
        message,
        text=without_isolates(message.text) if message.text is not None else None,
        caption=without_isolates(message.caption) if message.caption is not None else None,
        inline_keyboard=[
            [replace(button, text=without_isolates(button.text)) for button in row]
            for row in message.inline_keyboard
        ]
        if message.inline_keyboard is not None
        else None,
        reply_keyboard=[
            [replace(key, text=without_isolates(key.text)) for key in row] for row in message.reply_keyboard
        ]
        if message.reply_keyboard is not None
        else None,
    )


DASHBOARD_BASE = "http://dashboard.test"
# A woman's whole story in one test: check-ins seconds apart, no quiet hours, sign-in links to the dashboard.
WHOLE_STORY_SETTINGS: dict[str, object] = {
    "checkin_after": "2s,4s",
    "bydelsmor_checkin_after": "3s",
    "quiet_hours": "off",
    "dashboard_url": DASHBOARD_BASE,
}


class BotHarness:
    """The bot as it runs in production, but fed each update directly so a test knows when it is done."""

    def __init__(
        self,
        *,
        database_url: str,
        data_key: str,
        clock: Callable[[], datetime],
        data_dir: Path,
        settings: dict[str, object] | None = None,
    ) -> None:
        self.standin = StandIn(token=SANDBOX_TOKEN)
        self._database_url = database_url
        self._data_key = data_key
        self._clock = clock
        self._data_dir = data_dir
        # The course's offers and tips (bot.course) would come between the messages other tests look at:
        # only the tests that ask for it (course=True) have it.
        self._settings = {"course": False, **(settings or {})}
        self.services: Services
        self.application: BydelsmorApplication

    async def start(self) -> None:
        settings = load_settings(data_dir=self._data_dir, data_key=self._data_key, **self._settings)
        self.services = build_services(settings, database_url=self._database_url, clock=self._clock)
        self.application = build_application(
            self.services,
            token=SANDBOX_TOKEN,
            base_url="http://sandbox.invalid",
            request=StandInRequest(self.standin),
        )
        await self.application.initialize()

    async def stop(self) -> None:
        await self.application.shutdown()
        await self.services.db.dispose()

    async def close(self) -> None:
        await self.stop()
        await self.standin.aclose()

    async def restart(self, *, data_key: str | None = None) -> None:
        """A new process on the same database: nothing survives but what was stored (and, if given, with
        another DATA_KEY, as after a key rotation)."""
        await self.stop()
        if data_key is not None:
            self._data_key = data_key
        await self.start()

    async def process_pending(self, *, send: bool = True) -> None:
        """Handle every update the stand-in holds, then send what they put in the outbox (unless told not).

        The way production does: stored in the inbox, then each handled in one unit of work. An update that
        failed waits for its retry (bot.inbox.RETRY_AFTER): advance the clock and call this again.
        """
        inbox = self.services.inbox
        for raw in self.standin.drain_updates():
            await inbox.receive(raw)
        handle, tell = inbox_handler(self.application), tell_it_went_wrong(self.application)
        while await inbox.handle_next(handle, on_parked=tell):
            pass
        if send:
            await self.send_outbox()

    def outbox(self) -> OutboxSender:
        services = self.services
        return OutboxSender(
            db=services.db,
            messenger=BotMessenger(self.application.bot),
            clock=services.clock,
            on_blocked=services.relay.blocked,
            per_chat_gap=0,
            overall_gap=0,
        )

    async def send_outbox(self) -> int:
        """Send everything due, as the running bot's sender would; the number of messages sent."""
        total = 0
        while sent := await self.outbox().send_due():
            total += sent
        return total

    @contextlib.contextmanager
    def counting_statements(self) -> Iterator[list[str]]:
        """Every SQL statement the bot sends to the database inside the block (BEGIN and COMMIT aside)."""
        seen: list[str] = []

        def note(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
            seen.append(statement)

        engine = self.services.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", note)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", note)

    async def tick(self) -> None:
        await self.services.tick()
        await self.send_outbox()

    def phone(self, *, language_code: str | None, first_name: str = "Amina") -> Phone:
        return Phone(self, self.standin.add_user(first_name=first_name, language_code=language_code))

    def inbox(self, user_id: int, *, after: int = 0) -> list[ChatMessage]:
        """What the bot sent this person after message `after` (messages others caused, via the outbox)."""
        return [as_seen(m) for m in self.standin.bot_messages(user_id) if m.message_id > after]


class Phone:
    """One simulated woman's Telegram app."""

    def __init__(self, harness: BotHarness, user_id: int) -> None:
        self.harness = harness
        self.user_id = user_id

    @property
    def standin(self) -> StandIn:
        return self.harness.standin

    def _newest_id(self) -> int:
        bot_messages = self.standin.bot_messages(self.user_id)
        return max((message.message_id for message in bot_messages), default=0)

    async def _after(self, action: object) -> list[ChatMessage]:
        before = self._newest_id()
        await action  # type: ignore[misc]
        await self.harness.process_pending()
        return [as_seen(m) for m in self.standin.bot_messages(self.user_id) if m.message_id > before]

    async def refresh(self) -> list[ChatMessage]:
        """What the bot sends her now, without her doing anything (a retry, the outbox)."""

        async def nothing() -> None:
            return None

        return await self._after(nothing())

    async def send(self, text: str, *, reply_to: int | None = None) -> list[ChatMessage]:
        return await self._after(self.standin.send_text(self.user_id, text, reply_to=reply_to))

    async def share_location(self, latitude: float, longitude: float) -> list[ChatMessage]:
        return await self._after(self.standin.share_location(self.user_id, latitude, longitude))

    async def send_voice(self, data: bytes = b"OggS-voice", duration: int = 3) -> list[ChatMessage]:
        return await self._after(self.standin.send_voice(self.user_id, data, duration))

    async def send_photo(self, data: bytes) -> list[ChatMessage]:
        return await self._after(self.standin.send_photo(self.user_id, data))

    async def send_sticker(self, emoji: str = "😀") -> list[ChatMessage]:
        return await self._after(self.standin.send_sticker(self.user_id, emoji))

    async def press(self, label: str) -> list[ChatMessage]:
        """Press the button with this label (or containing it) on the newest message that has it."""
        for message in reversed(self.standin.bot_messages(self.user_id)):
            for button in message.buttons():
                if label in without_isolates(button.text) and button.callback_data:
                    data = button.callback_data
                    return await self._after(
                        self.standin.press_button(self.user_id, message.message_id, data)
                    )
        raise AssertionError(f"no button {label!r} in the chat; last message: {self.last}")

    async def press_data(self, callback_data: str) -> list[ChatMessage]:
        """Press the button that sends this callback data, on the newest message that has it."""
        for message in reversed(self.standin.bot_messages(self.user_id)):
            if any(button.callback_data == callback_data for button in message.buttons()):
                return await self._after(
                    self.standin.press_button(self.user_id, message.message_id, callback_data)
                )
        raise AssertionError(f"no button with data {callback_data!r}; last message: {self.last}")

    async def press_forged(self, callback_data: str) -> list[ChatMessage]:
        """A modified client sends this callback data from the bot's newest message, whatever its buttons."""
        newest = self._newest_id()
        return await self._after(self.standin.press_button(self.user_id, newest, callback_data, forged=True))

    def answers(self) -> list[str | None]:
        """The short notices the bot answered her button presses with, oldest first."""
        return [
            without_isolates(answer["text"]) if answer["text"] else answer["text"]
            for answer in self.standin.callback_answers(self.user_id)
        ]

    def keyboard_labels(self) -> list[str]:
        """The keys of the keyboard that replaces the phone's keyboard, if the bot shows one."""
        markup = self.standin.current_reply_keyboard(self.user_id)
        if not markup:
            return []
        return [without_isolates(key["text"]) for row in markup.get("keyboard", []) for key in row]

    @property
    def last(self) -> ChatMessage:
        return as_seen(self.standin.last_bot_message(self.user_id))

    def message(self, message_id: int) -> ChatMessage:
        return as_seen(next(m for m in self.standin.chat(self.user_id) if m.message_id == message_id))
