"""What the bot says, independent of Telegram: a text with buttons. handlers/ turns it into Bot API calls."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Button", "KeyboardKey", "Outcome", "Reply"]


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button under a message; `data` comes back when it is pressed (at most 64 bytes)."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class KeyboardKey:
    """A key of the keyboard that replaces the phone's keyboard; it sends its label, or her location."""

    label: str
    request_location: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    keyboard: tuple[tuple[KeyboardKey, ...], ...] = ()
    remove_keyboard: bool = False
    # Replace the message whose button was pressed (paging, ticking a topic) instead of sending a new one.
    edit: bool = False
    # False for a message with a secret link: a chat app's link preview must not fetch (and use) it.
    link_preview: bool = True
    # A message sent just before this one: a long screen said in two parts, so that neither needs scrolling
    # on a small phone (at most 400 characters each, tests/bot/test_screen_length.py).
    lead: str | None = None
    # A key screen's stable name (bot.voice.screens.KEY_SCREENS): a woman who chose to listen hears its
    # approved recording in her language.
    screen: str | None = None
    # Telegram's file id of a voice note sent just before this message (and before `lead`), by sendVoice.
    voice: str | None = None


@dataclass(slots=True)
class Outcome:
    """Everything one update leads to, in order."""

    replies: list[Reply] = field(default_factory=list)
    # A short note shown on top of the chat when a button was pressed (answerCallbackQuery).
    notice: str | None = None

    def say(self, reply: Reply) -> Outcome:
        self.replies.append(reply)
        return self

    def extend(self, other: Outcome) -> Outcome:
        self.replies.extend(other.replies)
        self.notice = self.notice or other.notice
        return self
