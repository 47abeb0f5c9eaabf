"""What a use case says (bot.ui), as Bot API parameters: for messages sent later by the outbox."""

from __future__ import annotations

from typing import Any

from bot.ui import Reply

__all__ = ["reply_markup", "send_message"]


def reply_markup(reply: Reply) -> dict[str, Any] | None:
    if reply.buttons:
        return {
            "inline_keyboard": [
                [{"text": button.label, "callback_data": button.data} for button in row]
                for row in reply.buttons
            ]
        }
    if reply.keyboard:
        return {
            "keyboard": [
                [{"text": key.label, "request_location": key.request_location} for key in row]
                for row in reply.keyboard
            ],
            "resize_keyboard": True,
            "is_persistent": True,
        }
    if reply.remove_keyboard:
        return {"remove_keyboard": True}
    return None


def send_message(chat_id: int, reply: Reply) -> dict[str, Any]:
    payload: dict[str, Any] = {"chat_id": chat_id, "text": reply.text}
    markup = reply_markup(reply)
    if markup is not None:
        payload["reply_markup"] = markup
    return payload
