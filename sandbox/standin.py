"""A stand-in for the Telegram Bot API server, with simulated users on the other side.

Pure asyncio, no HTTP: ``StandIn.call`` answers a Bot API call the way Telegram would, and the user-side
methods (``send_text``, ``press_button`` ...) play the women and volunteers using the bot. The HTTP face
is in ``sandbox.web``; an in-process connection for python-telegram-bot in ``sandbox.ptb_request``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import math
import re
import secrets
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx

from sandbox import tgformat
from sandbox.apispec import ApiSpec, bad_request
from sandbox.errors import SandboxUsageError, TelegramError

__all__ = [
    "ChatMessage",
    "InlineButton",
    "KeyboardButton",
    "RecordedCall",
    "SandboxUsageError",
    "SimUser",
    "StandIn",
    "StoredFile",
    "TelegramError",
]

log = logging.getLogger(__name__)

Kind = Literal["text", "voice", "photo", "document", "location", "video_note", "sticker", "other"]
Handler = Callable[[dict[str, Any], dict[str, tuple[str, bytes, str]]], Awaitable[Any]]

# The update types Telegram delivers when allowed_updates was never given.
_DEFAULT_UPDATES_EXCLUDED = {"chat_member", "message_reaction", "message_reaction_count"}
_SENDING_METHODS = {
    "sendMessage",
    "sendVoice",
    "sendPhoto",
    "sendDocument",
    "sendLocation",
    "sendVideoNote",
    "sendSticker",
    "copyMessage",
    "forwardMessage",
}
_CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
_CONTENT_KEYS: tuple[Kind, ...] = ("voice", "photo", "document", "location", "video_note", "sticker")
_LANGUAGE_CODE_RE = re.compile(r"^([a-z]{2})?$")
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
CHAT_ACTION_SECONDS = 5.0
MAX_RECORDED_CALLS = 20_000
FIRST_UPDATE_ID = 400_000_001
UPDATE_ID_BLOCK = 1_000


def _read_reserved(path: Path) -> int:
    try:
        return int(path.read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def _write_reserved(path: Path, reserved: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(f"{reserved}\n")
    partial.replace(path)  # atomic: a crash leaves the old number or the new one


# -- public records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InlineButton:
    """A button of an inline keyboard under a bot message."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class KeyboardButton:
    """A button of a reply keyboard (the keyboard that replaces the phone's keyboard)."""

    text: str
    request_location: bool = False


@dataclass
class ChatMessage:
    """One message of a private chat as the user sees it (edits applied).

    ``text``/``caption`` are what the bot sent, with HTML tags when ``parse_mode`` is HTML;
    ``plain_text`` is what the user reads. ``raw`` is the Telegram Message object.
    """

    message_id: int
    from_bot: bool
    text: str | None
    caption: str | None
    parse_mode: str | None
    kind: Kind
    inline_keyboard: list[list[InlineButton]] | None
    reply_keyboard: list[list[KeyboardButton]] | None
    remove_keyboard: bool
    location: tuple[float, float] | None
    file_id: str | None
    date: int
    edited: bool = False
    reply_to_message_id: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def plain_text(self) -> str | None:
        """Text (or caption) without formatting, as displayed."""
        body = self.text if self.text is not None else self.caption
        if body is None:
            return None
        if self.parse_mode and self.parse_mode.lower() == "html":
            return tgformat.parse_html(body)[0]
        return body

    def buttons(self) -> list[InlineButton]:
        """All inline buttons, row by row."""
        return [b for row in self.inline_keyboard or [] for b in row]

    def callback_data_for(self, label: str) -> str:
        """The callback_data of the inline button with this label (exact match, else substring)."""
        buttons = self.buttons()
        for match in (lambda b: b.text == label, lambda b: label in b.text):
            for b in buttons:
                if match(b) and b.callback_data is not None:
                    return b.callback_data
        raise AssertionError(f"message {self.message_id} has no button {label!r}; buttons: {buttons}")


@dataclass
class RecordedCall:
    """A Bot API call the bot made, for assertions."""

    method: str
    params: dict[str, Any]
    result: Any = None
    error: TelegramError | None = None
    at: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class SimUser:
    """A simulated Telegram account."""

    id: int
    first_name: str
    language_code: str | None = "en"
    last_name: str | None = None
    username: str | None = None
    blocked: bool = False
    started: bool = True

    def as_user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def as_chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "first_name": self.first_name, "type": "private"}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass
class StoredFile:
    """A file Telegram holds: uploaded by the bot or sent by a user."""

    file_id: str
    file_unique_id: str
    data: bytes
    mime_type: str
    file_path: str
    kind: str
    file_name: str | None = None


@dataclass
class _Entry:
    message: dict[str, Any]
    from_bot: bool
    raw_text: str | None = None
    raw_caption: str | None = None
    parse_mode: str | None = None
    reply_keyboard: dict[str, Any] | None = None
    remove_keyboard: bool = False


@dataclass
class _Chat:
    user: SimUser
    entries: dict[int, _Entry] = field(default_factory=dict)
    next_message_id: int = 1
    reply_keyboard: dict[str, Any] | None = None
    chat_action: tuple[str, float] | None = None
    callback_answers: list[dict[str, Any]] = field(default_factory=list)

    def take_message_id(self) -> int:
        mid = self.next_message_id
        self.next_message_id += 1
        return mid


class _Signal:
    """Wakes every waiter; unlike asyncio.Condition it can be notified from plain (sync) code."""

    def __init__(self) -> None:
        self._waiters: list[asyncio.Future[None]] = []

    def notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def wait(self, within: float | None) -> None:
        """Return when notified or after ``within`` seconds."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await asyncio.wait([fut], timeout=within)
        finally:
            if not fut.done():
                fut.cancel()
            with contextlib.suppress(ValueError):
                self._waiters.remove(fut)


class _Bucket:
    """Token bucket for the optional rate limits."""

    def __init__(self, capacity: float, rate: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.last = time.monotonic()

    def wait_needed(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


def _now() -> int:
    return int(time.time())


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG (Telegram reports them), else a plausible default."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            seg_len = int.from_bytes(data[i + 2 : i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(w), int(h)
            i += 2 + seg_len
    return 320, 320


# -- the stand-in -----------------------------------------------------------------------------------


class StandIn:
    """A fake Telegram: answers Bot API calls and simulates the users' side of private chats."""

    def __init__(
        self,
        *,
        token: str = "123456:SANDBOX-TOKEN",
        bot_username: str = "BydelsmorSandboxBot",
        bot_name: str = "Bydelsmor",
        spec: ApiSpec | None = None,
        enforce_rate_limits: bool = False,
        webhook_max_attempts: int = 4,
        webhook_retry_delay: float = 0.05,
        update_ids_file: Path | None = None,
    ) -> None:
        self.token = token
        self.spec = spec or ApiSpec.load()
        bot_id = token.split(":", 1)[0]
        self.bot_user: dict[str, Any] = {
            "id": int(bot_id) if bot_id.isdigit() else 123456,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.enforce_rate_limits = enforce_rate_limits
        self.webhook_max_attempts = webhook_max_attempts
        self.webhook_retry_delay = webhook_retry_delay

        self._users: dict[int, SimUser] = {}
        self._chats: dict[int, _Chat] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_counter = 0
        self._next_user_id = 700_000_001
        self._updates: list[dict[str, Any]] = []
        # Telegram never gives a bot the same update id twice; across restarts of `make run` neither may we
        # (the bot remembers the ids it handled). The file keeps the highest id reserved so far.
        self._update_ids_file = update_ids_file
        self._next_update_id = FIRST_UPDATE_ID
        self._reserved_update_ids = 0
        if update_ids_file is not None:
            self._next_update_id = max(FIRST_UPDATE_ID, _read_reserved(update_ids_file) + 1)
            self._reserved_update_ids = self._next_update_id - 1
        self._allowed_updates: list[str] | None = None
        self._updates_signal = _Signal()
        self._changes_signal = _Signal()
        self._version = 0  # bumped on every visible change of any chat (for the chat page)
        self._poll_generation = 0
        self._release_epoch = 0
        self._callback_queries: dict[str, dict[str, Any]] = {}
        self._calls: list[RecordedCall] = []
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._descriptions: dict[str, str] = {}
        self._short_descriptions: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._menu_buttons: dict[int | None, dict[str, Any]] = {}
        self._webhook: dict[str, Any] | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._pusher: asyncio.Task[None] | None = None
        # Test-only: push to these URLs in turn, as a load balancer in front of several bot processes does,
        # instead of to the URL given with setWebhook (which must still be set; Telegram knows only that one).
        self.webhook_targets: list[str] = []
        self.webhook_pushes: list[str] = []  # the URL each update was delivered to, in order
        self._pushes = 0
        self._chat_buckets: dict[int, _Bucket] = {}
        self._global_bucket = _Bucket(30, 30)
        self._handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "logOut": self._ok_true,
            "close": self._ok_true,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "deleteMessage": self._delete_message,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "sendVoice": self._send_voice,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendVideoNote": self._send_video_note,
            "sendSticker": self._send_sticker,
            "sendLocation": self._send_location,
            "sendChatAction": self._send_chat_action,
            "getFile": self._get_file,
            "getChat": self._get_chat,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_my_description,
            "getMyDescription": self._get_my_description,
            "setMyShortDescription": self._set_my_short_description,
            "getMyShortDescription": self._get_my_short_description,
            "setMyName": self._set_my_name,
            "getMyName": self._get_my_name,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
        }

    # == the Bot API ==================================================================================

    async def call(
        self,
        token: str,
        method: str,
        params: dict[str, Any],
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: (HTTP status, Telegram's JSON body)."""
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        name = self.spec.method_name(method) or method
        record = RecordedCall(method=name, params=dict(params), at=time.time())
        if len(self._calls) >= MAX_RECORDED_CALLS:
            del self._calls[: MAX_RECORDED_CALLS // 2]  # a long `make run` session must not grow forever
        self._calls.append(record)
        try:
            norm = self.spec.normalize(method, params, files)
            record.params = norm
            handler = self._handlers.get(name)
            if handler is None:
                raise bad_request(f"the sandbox does not implement {name} (it is a valid Bot API method)")
            if self.enforce_rate_limits and name in _SENDING_METHODS:
                self._check_rate_limit(norm)
            result = await handler(norm, dict(files or {}))
        except TelegramError as exc:
            record.error = exc
            return exc.error_code, exc.to_json()
        record.result = result
        body: dict[str, Any] = {"ok": True, "result": result}
        if name == "setWebhook":
            body["description"] = "Webhook was set" if norm.get("url") else "Webhook was deleted"
        elif name == "deleteWebhook":
            body["description"] = "Webhook was deleted"
        return 200, body

    # -- rate limits --------------------------------------------------------------------------------

    def _check_rate_limit(self, p: dict[str, Any]) -> None:
        now = time.monotonic()
        chat_id = p.get("chat_id")
        chat_bucket = None
        if isinstance(chat_id, int):
            chat_bucket = self._chat_buckets.setdefault(chat_id, _Bucket(3, 1))
        wait = max(self._global_bucket.wait_needed(now), chat_bucket.wait_needed(now) if chat_bucket else 0.0)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise TelegramError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        self._global_bucket.take()
        if chat_bucket:
            chat_bucket.take()

    # -- getMe, updates, webhooks -------------------------------------------------------------------

    async def _ok_true(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _get_me(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            keep = -offset
            self._updates = self._updates[-keep:] if keep else []
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _DEFAULT_UPDATES_EXCLUDED

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        # Telegram does not keep updates of types the bot did not ask for.
        self._updates = [u for u in self._updates if self._is_allowed(u)]
        return self._updates[:limit]

    async def _get_updates(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        if self._webhook is not None:
            raise TelegramError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if "allowed_updates" in p:
            self._allowed_updates = list(p["allowed_updates"]) or None
        if "offset" in p:
            self._confirm(int(p["offset"]))
        limit = min(max(int(p.get("limit", 100)), 1), 100)
        timeout = max(int(p.get("timeout", 0)), 0)
        # Only one long poll at a time, like Telegram: a new one ends the older one with 409.
        self._poll_generation += 1
        generation = self._poll_generation
        epoch = self._release_epoch
        self._updates_signal.notify()
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                raise TelegramError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if self._webhook is not None:
                raise TelegramError(409, "Conflict: can't use getUpdates method while webhook is active")
            ready = self._deliverable(limit)
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or epoch != self._release_epoch:
                return ready
            await self._updates_signal.wait(remaining)

    async def _set_webhook(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        url = str(p.get("url", ""))
        if not url:
            await self._delete_webhook(p, files)
            return True
        parsed = httpx.URL(url)
        local = parsed.host in ("127.0.0.1", "localhost", "::1")
        if parsed.scheme != "https" and not (parsed.scheme == "http" and local):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not _SECRET_RE.match(str(secret)):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        if p.get("drop_pending_updates"):
            self._updates.clear()
        if "allowed_updates" in p:
            self._allowed_updates = list(p["allowed_updates"]) or None
        self._webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": int(p.get("max_connections", 40)),
        }
        self._webhook_error = None
        self._updates_signal.notify()  # a running getUpdates ends with 409
        await self._stop_pusher()
        self._pusher = asyncio.get_running_loop().create_task(self._push_loop(), name="sandbox-webhook")
        return True

    async def _delete_webhook(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        self._webhook = None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        await self._stop_pusher()
        return True

    async def _get_webhook_info(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        info: dict[str, Any] = {
            "url": self._webhook["url"] if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook:
            info["max_connections"] = self._webhook["max_connections"]
            info["ip_address"] = "127.0.0.1"
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
        if self._webhook_error:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    async def _stop_pusher(self) -> None:
        task, self._pusher = self._pusher, None
        if task is None or task is asyncio.current_task():
            return  # the pusher itself (a method in a webhook reply) ends on its next loop
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _push_loop(self) -> None:
        """Deliver updates to the webhook one at a time, in order, retrying a failed push."""
        me = asyncio.current_task()
        async with httpx.AsyncClient(timeout=10.0) as client:
            while self._webhook is not None and self._pusher is me:
                if not self._updates:
                    await self._updates_signal.wait(None)
                    continue
                update = self._updates[0]
                if not self._is_allowed(update):
                    self._updates.pop(0)
                    continue
                delivered = await self._push_one(client, update)
                if self._updates and self._updates[0] is update:
                    self._updates.pop(0)
                if not delivered:
                    log.warning("sandbox: dropped update %s after failed webhook pushes", update["update_id"])

    async def _push_one(self, client: httpx.AsyncClient, update: dict[str, Any]) -> bool:
        for attempt in range(self.webhook_max_attempts):
            hook = self._webhook
            if hook is None:
                return False
            headers = {}
            if hook["secret_token"]:
                headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
            url = hook["url"]
            if self.webhook_targets:
                url = self.webhook_targets[self._pushes % len(self.webhook_targets)]
                self._pushes += 1
            try:
                response = await client.post(url, json=update, headers=headers)
            except httpx.HTTPError as exc:
                self._webhook_error = (_now(), f"Connection failed: {exc!r}")
            else:
                if 200 <= response.status_code < 300:
                    self.webhook_pushes.append(url)
                    await self._run_webhook_reply(response)
                    return True
                self._webhook_error = (
                    _now(),
                    f"Wrong response from the webhook: {response.status_code} {response.reason_phrase}",
                )
            await asyncio.sleep(self.webhook_retry_delay * 2**attempt)
        return False

    async def _run_webhook_reply(self, response: httpx.Response) -> None:
        # Telegram runs a method the webhook answers with ({"method": "sendMessage", ...}).
        if "json" not in response.headers.get("content-type", ""):
            return
        try:
            body = response.json()
        except ValueError:
            return
        if isinstance(body, dict) and isinstance(body.get("method"), str):
            params = {k: v for k, v in body.items() if k != "method"}
            await self.call(self.token, body["method"], params)

    def release_waiters(self) -> None:
        """End running long polls now (with what they have); used when the HTTP server stops."""
        self._release_epoch += 1
        self._updates_signal.notify()
        self._changes_signal.notify()

    async def aclose(self) -> None:
        """Stop the webhook pusher and end long polls."""
        self._webhook = None
        self.release_waiters()
        await self._stop_pusher()

    # -- helpers for chats and messages -------------------------------------------------------------

    def _chat_for(self, chat_id: Any, *, sending: bool = True) -> _Chat:
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        if sending and chat.user.blocked:
            raise TelegramError(403, "Forbidden: bot was blocked by the user")
        if sending and not chat.user.started:
            raise TelegramError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    def _changed(self) -> None:
        self._version += 1
        self._changes_signal.notify()

    def _base_message(self, chat: _Chat, *, from_bot: bool) -> dict[str, Any]:
        return {
            "message_id": chat.take_message_id(),
            "from": dict(self.bot_user) if from_bot else chat.user.as_user(),
            "chat": chat.user.as_chat(),
            "date": _now(),
        }

    def _reply_to(self, chat: _Chat, p: dict[str, Any]) -> dict[str, Any] | None:
        params = p.get("reply_parameters") or (
            {"message_id": p["reply_to_message_id"]} if p.get("reply_to_message_id") else None
        )
        if not params:
            return None
        entry = chat.entries.get(int(params["message_id"]))
        if entry is None:
            if params.get("allow_sending_without_reply") or p.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        replied = dict(entry.message)
        replied.pop("reply_to_message", None)
        return replied

    def _text_and_entities(self, text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[Any]]:
        if parse_mode and parse_mode.lower() == "html":
            return tgformat.parse_html(text)  # already checked by ApiSpec
        return text, list(entities or [])

    def _add_bot_message(
        self,
        chat: _Chat,
        content: dict[str, Any],
        p: dict[str, Any],
        *,
        raw_text: str | None = None,
        raw_caption: str | None = None,
        parse_mode: str | None = None,
    ) -> dict[str, Any]:
        reply_to = self._reply_to(chat, p)
        message = self._base_message(chat, from_bot=True)
        if reply_to:
            message["reply_to_message"] = reply_to
        message.update(content)
        entry = _Entry(message, True, raw_text, raw_caption, parse_mode)
        markup = p.get("reply_markup")
        if isinstance(markup, dict):
            if "inline_keyboard" in markup:
                message["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
            elif "keyboard" in markup:
                entry.reply_keyboard = markup
                chat.reply_keyboard = markup
            elif markup.get("remove_keyboard"):
                entry.remove_keyboard = True
                chat.reply_keyboard = None
        if p.get("protect_content"):
            message["has_protected_content"] = True
        chat.entries[message["message_id"]] = entry
        chat.chat_action = None  # a message ends the "typing…" status, as in the apps
        self._changed()
        return copy.deepcopy(message)  # later edits must not change what the bot was answered

    def _content_of(
        self, p: dict[str, Any], caption_key: str = "caption"
    ) -> tuple[dict[str, Any], str | None]:
        """Caption and caption_entities of a media message; returns (content, raw caption)."""
        content: dict[str, Any] = {}
        raw = p.get(caption_key)
        if raw:
            plain, ents = self._text_and_entities(raw, p.get("parse_mode"), p.get("caption_entities"))
            content["caption"] = plain
            if ents:
                content["caption_entities"] = ents
        return content, raw

    def _entry(self, chat: _Chat, message_id: Any, missing: str) -> _Entry:
        entry = chat.entries.get(message_id) if isinstance(message_id, int) else None
        if entry is None:
            raise bad_request(missing)
        return entry

    # -- files --------------------------------------------------------------------------------------

    def store_file(
        self, data: bytes, *, kind: str, mime_type: str, file_name: str | None = None
    ) -> StoredFile:
        """Keep bytes as a Telegram file and give them a file_id (also used for user uploads)."""
        self._file_counter += 1
        ext = {
            "voice": "oga",
            "photo": "jpg",
            "video_note": "mp4",
            "sticker": "webp",
        }.get(kind) or (file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin")
        folder = {"voice": "voice", "photo": "photos", "video_note": "video_notes", "sticker": "stickers"}
        path = f"{folder.get(kind, 'documents')}/file_{self._file_counter}.{ext}"
        stored = StoredFile(
            file_id=f"SBX{kind[:2].upper()}{self._file_counter}_{secrets.token_urlsafe(18)}",
            file_unique_id=f"AgAD{secrets.token_urlsafe(9)}",
            data=data,
            mime_type=mime_type,
            file_path=path,
            kind=kind,
            file_name=file_name,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[path] = stored
        return stored

    def file(self, file_id: str) -> StoredFile:
        """A stored file by file_id (KeyError if unknown)."""
        return self._files[file_id]

    def file_by_path(self, file_path: str) -> StoredFile | None:
        """The file at a getFile file_path (what the download URL serves)."""
        return self._files_by_path.get(file_path)

    def _input_file(
        self, pname: str, p: dict[str, Any], files: dict[str, tuple[str, bytes, str]], kind: str
    ) -> StoredFile:
        value = p.get(pname)
        upload: tuple[str, bytes, str] | None = files.get(pname)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"there is no {pname} in the request")
        if upload is not None:
            filename, data, mime = upload
            if kind == "voice":
                mime = "audio/ogg"  # Telegram keeps voice notes as OGG/Opus
            elif kind == "photo":
                mime = "image/jpeg"
            return self.store_file(bytes(data), kind=kind, mime_type=mime, file_name=filename or None)
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {pname} in the request")
        known = self._files.get(value)
        if known is not None:
            if kind != "document" and known.kind != kind:
                have, want = (k.title().replace("_", "") for k in (known.kind, kind))
                raise bad_request(f"can't use file of type {have} as {want}")
            return known
        if value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")  # the sandbox is offline by design
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _file_object(self, stored: StoredFile, kind: str, p: dict[str, Any]) -> Any:
        base = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        if kind == "voice":
            return {**base, "duration": int(p.get("duration") or 1), "mime_type": stored.mime_type}
        if kind == "photo":
            w, h = _image_size(stored.data)
            return [{**base, "width": w, "height": h}]
        if kind == "video_note":
            length = int(p.get("length") or 240)
            return {**base, "length": length, "duration": int(p.get("duration") or 1)}
        if kind == "sticker":
            return {
                **base,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": p.get("emoji") or "🙂",
            }
        doc = {**base, "mime_type": stored.mime_type}
        if stored.file_name:
            doc["file_name"] = stored.file_name
        return doc

    # -- sending ------------------------------------------------------------------------------------

    async def _send_message(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        chat = self._chat_for(p["chat_id"])
        plain, entities = self._text_and_entities(p["text"], p.get("parse_mode"), p.get("entities"))
        content: dict[str, Any] = {"text": plain}
        if entities:
            content["entities"] = entities
        return self._add_bot_message(
            chat, content, p, raw_text=p["text"], parse_mode=p.get("parse_mode") or None
        )

    async def _send_media(self, kind: str, p: dict[str, Any], files: dict[str, Any]) -> Any:
        chat = self._chat_for(p["chat_id"])
        stored = self._input_file(kind, p, files, kind)
        content, raw_caption = self._content_of(p) if kind != "sticker" else ({}, None)
        content[kind] = self._file_object(stored, kind, p)
        return self._add_bot_message(
            chat, content, p, raw_caption=raw_caption, parse_mode=p.get("parse_mode") or None
        )

    async def _send_voice(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return await self._send_media("voice", p, files)

    async def _send_photo(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return await self._send_media("photo", p, files)

    async def _send_document(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return await self._send_media("document", p, files)

    async def _send_video_note(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return await self._send_media("video_note", p, files)

    async def _send_sticker(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return await self._send_media("sticker", p, files)

    async def _send_location(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        chat = self._chat_for(p["chat_id"])
        lat, lon = float(p["latitude"]), float(p["longitude"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise bad_request("wrong latitude or longitude specified")
        return self._add_bot_message(chat, {"location": {"latitude": lat, "longitude": lon}}, p)

    async def _send_chat_action(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        chat = self._chat_for(p["chat_id"])
        if p["action"] not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat.chat_action = (p["action"], time.monotonic())
        self._changed()
        return True

    async def _copy_message(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        source_chat = self._chats.get(p["from_chat_id"]) if isinstance(p["from_chat_id"], int) else None
        if source_chat is None:
            raise bad_request("chat not found")
        source = self._entry(source_chat, p["message_id"], "message to copy not found")
        target = self._chat_for(p["chat_id"])
        # A copy is a new message from the bot: no "forwarded from", nothing about the original sender.
        content = {
            k: v
            for k, v in source.message.items()
            if k in ("text", "entities", "caption", "caption_entities", *_CONTENT_KEYS)
        }
        if not content:
            raise bad_request("message can't be copied")
        raw_caption = source.raw_caption
        parse_mode = source.parse_mode
        if "caption" in p and "text" not in content:
            content.pop("caption", None)
            content.pop("caption_entities", None)
            extra, raw_caption = self._content_of(p)
            content.update(extra)
            parse_mode = p.get("parse_mode") or None
        message = self._add_bot_message(
            target,
            content,
            p,
            raw_text=source.raw_text if "text" in content else None,
            raw_caption=raw_caption,
            parse_mode=parse_mode,
        )
        return {"message_id": message["message_id"]}

    async def _forward_message(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        source_chat = self._chats.get(p["from_chat_id"]) if isinstance(p["from_chat_id"], int) else None
        if source_chat is None:
            raise bad_request("chat not found")
        source = self._entry(source_chat, p["message_id"], "message to forward not found")
        target = self._chat_for(p["chat_id"])
        content = {
            k: v
            for k, v in source.message.items()
            if k in ("text", "entities", "caption", "caption_entities", *_CONTENT_KEYS)
        }
        # Unlike copyMessage, a forward shows who wrote the original.
        content["forward_origin"] = {
            "type": "user",
            "date": source.message["date"],
            "sender_user": source.message["from"],
        }
        return self._add_bot_message(
            target,
            content,
            {},
            raw_text=source.raw_text,
            raw_caption=source.raw_caption,
            parse_mode=source.parse_mode,
        )

    # -- editing ------------------------------------------------------------------------------------

    def _editable(self, p: dict[str, Any]) -> tuple[_Chat, _Entry]:
        if "inline_message_id" in p:
            raise bad_request("the sandbox does not simulate inline messages")
        if "chat_id" not in p or "message_id" not in p:
            raise bad_request("message identifier is not specified")
        chat = self._chat_for(p["chat_id"])
        entry = self._entry(chat, p["message_id"], "message to edit not found")
        if not entry.from_bot:
            raise bad_request("message can't be edited")
        return chat, entry

    @staticmethod
    def _not_modified() -> TelegramError:
        return bad_request(
            "message is not modified: specified new message content and reply markup are exactly the "
            "same as a current content and reply markup of the message"
        )

    def _apply_edit(self, entry: _Entry, new: dict[str, Any], markup: dict[str, Any] | None) -> Any:
        msg = entry.message
        new_markup = {"inline_keyboard": markup["inline_keyboard"]} if markup else None
        same_content = all(msg.get(k) == v for k, v in new.items())
        if same_content and msg.get("reply_markup") == new_markup:
            raise self._not_modified()
        msg.update({k: v for k, v in new.items() if v is not None})
        for k, v in new.items():
            if v is None:
                msg.pop(k, None)
        if new_markup:
            msg["reply_markup"] = new_markup
        else:
            # Editing without reply_markup removes the inline keyboard, as on Telegram.
            msg.pop("reply_markup", None)
        msg["edit_date"] = _now()
        self._changed()
        return copy.deepcopy(msg)

    async def _edit_message_text(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        _, entry = self._editable(p)
        if "text" not in entry.message:
            raise bad_request("there is no text in the message to edit")
        plain, entities = self._text_and_entities(p["text"], p.get("parse_mode"), p.get("entities"))
        old = (entry.raw_text, entry.parse_mode)
        entry.raw_text, entry.parse_mode = p["text"], p.get("parse_mode") or None
        try:
            return self._apply_edit(
                entry, {"text": plain, "entities": entities or None}, p.get("reply_markup")
            )
        except TelegramError:
            entry.raw_text, entry.parse_mode = old
            raise

    async def _edit_message_caption(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        _, entry = self._editable(p)
        if "text" in entry.message:
            raise bad_request("there is no caption in the message to edit")
        content, raw = self._content_of(p)
        old = (entry.raw_caption, entry.parse_mode)
        entry.raw_caption, entry.parse_mode = raw, p.get("parse_mode") or None
        new = {"caption": content.get("caption"), "caption_entities": content.get("caption_entities")}
        try:
            return self._apply_edit(entry, new, p.get("reply_markup"))
        except TelegramError:
            entry.raw_caption, entry.parse_mode = old
            raise

    async def _edit_message_reply_markup(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        _, entry = self._editable(p)
        return self._apply_edit(entry, {}, p.get("reply_markup"))

    async def _delete_message(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        chat = self._chat_for(p["chat_id"], sending=False)
        if chat.entries.pop(p["message_id"], None) is None:
            raise bad_request("message to delete not found")
        self._changed()
        return True

    async def _answer_callback_query(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        query = self._callback_queries.get(p["callback_query_id"])
        if query is None or query["answered"]:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        query["answered"] = True
        chat = self._chats.get(query["user_id"])
        if chat is not None:
            chat.callback_answers.append(
                {
                    "seq": self._version + 1,
                    "callback_query_id": p["callback_query_id"],
                    "message_id": query["message_id"],
                    "text": p.get("text"),
                    "show_alert": bool(p.get("show_alert", False)),
                    "url": p.get("url"),
                }
            )
        self._changed()
        return True

    # -- files, chats -------------------------------------------------------------------------------

    async def _get_file(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        stored = self._files.get(p["file_id"])
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    async def _get_chat(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        chat = self._chat_for(p["chat_id"], sending=False)
        return {
            **chat.user.as_chat(),
            "accent_color_id": chat.user.id % 7,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
            },
        }

    # -- bot settings -------------------------------------------------------------------------------

    @staticmethod
    def _language(p: dict[str, Any]) -> str:
        code = str(p.get("language_code") or "")
        if not _LANGUAGE_CODE_RE.match(code):
            # Telegram takes two-letter ISO 639-1 codes only (so no "ckb").
            raise bad_request("language code is invalid")
        return code

    @staticmethod
    def _scope_key(p: dict[str, Any]) -> str:
        scope = p.get("scope") or {"type": "default"}
        key = str(scope.get("type", "default"))
        if "chat_id" in scope:
            key += f":{scope['chat_id']}"
        if "user_id" in scope:
            key += f":{scope['user_id']}"
        return key

    async def _set_my_commands(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        commands = p["commands"]
        if len(commands) > 100:
            raise bad_request("too many commands")
        for command in commands:
            if not _COMMAND_RE.match(str(command["command"]).lstrip("/")):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command["description"]).strip()) <= 256:
                raise bad_request("command description must be 1-256 characters long")
        key = (self._scope_key(p), self._language(p))
        self._commands[key] = [
            {"command": str(c["command"]).lstrip("/"), "description": str(c["description"])} for c in commands
        ]
        if not commands:
            self._commands.pop(key, None)
        return True

    async def _get_my_commands(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return list(self._commands.get((self._scope_key(p), self._language(p)), []))

    async def _delete_my_commands(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        self._commands.pop((self._scope_key(p), self._language(p)), None)
        return True

    def _set_text_setting(self, store: dict[str, str], p: dict[str, Any], key: str, limit: int) -> bool:
        lang = self._language(p)
        value = str(p.get(key) or "")
        if len(value) > limit:
            raise bad_request(f"{key.replace('_', ' ')} is too long")
        if value:
            store[lang] = value
        else:
            store.pop(lang, None)
        self._changed()
        return True

    async def _set_my_description(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return self._set_text_setting(self._descriptions, p, "description", 512)

    async def _get_my_description(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return {"description": self._descriptions.get(self._language(p), "")}

    async def _set_my_short_description(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return self._set_text_setting(self._short_descriptions, p, "short_description", 120)

    async def _get_my_short_description(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return {"short_description": self._short_descriptions.get(self._language(p), "")}

    async def _set_my_name(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        return self._set_text_setting(self._names, p, "name", 64)

    async def _get_my_name(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        lang = self._language(p)
        return {"name": self._names.get(lang) or self._names.get("") or self.bot_user["first_name"]}

    async def _set_chat_menu_button(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        chat_id = p.get("chat_id")
        if chat_id is not None:
            self._chat_for(chat_id, sending=False)
        self._menu_buttons[chat_id] = p.get("menu_button") or {"type": "default"}
        return True

    async def _get_chat_menu_button(self, p: dict[str, Any], files: dict[str, Any]) -> Any:
        chat_id = p.get("chat_id")
        return self._menu_buttons.get(chat_id) or self._menu_buttons.get(None) or {"type": "commands"}

    # == the users' side ==============================================================================

    def add_user(
        self,
        *,
        first_name: str,
        language_code: str | None = "en",
        user_id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
        started: bool = True,
    ) -> int:
        """Create a simulated Telegram account; returns its id (== the private chat's id).

        ``started=False`` simulates someone who never opened the bot: the bot then gets
        403 "bot can't initiate conversation with a user" until she sends something.
        """
        if user_id is None:
            while self._next_user_id in self._users:
                self._next_user_id += 1
            user_id = self._next_user_id
            self._next_user_id += 1
        if user_id in self._users or user_id == self.bot_user["id"]:
            raise SandboxUsageError(f"user {user_id} exists already")
        user = SimUser(user_id, first_name, language_code, last_name, username, started=started)
        self._users[user_id] = user
        self._chats[user_id] = _Chat(user)
        self._changed()
        return user_id

    def user(self, user_id: int) -> SimUser:
        """A simulated account (SandboxUsageError if unknown)."""
        return self._chat(user_id).user

    def users(self) -> list[SimUser]:
        """All simulated accounts, oldest first."""
        return list(self._users.values())

    def _chat(self, user_id: int) -> _Chat:
        chat = self._chats.get(user_id)
        if chat is None:
            raise SandboxUsageError(f"no simulated user {user_id}; create one with add_user()")
        return chat

    def _push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self._next_update_id, kind: copy.deepcopy(payload)}
        self._next_update_id += 1
        if self._update_ids_file is not None and self._next_update_id > self._reserved_update_ids:
            # Reserved in blocks, so a file is written once per block, not per update; a restart skips
            # the unused rest of a block, as Telegram's ids may jump.
            self._reserved_update_ids = self._next_update_id + UPDATE_ID_BLOCK
            _write_reserved(self._update_ids_file, self._reserved_update_ids)
        self._updates.append(update)
        self._updates_signal.notify()
        return update

    def _member_update(self, chat: _Chat, old: str, new: str) -> None:
        bot_member = {"user": dict(self.bot_user)}
        self._push_update(
            "my_chat_member",
            {
                "chat": chat.user.as_chat(),
                "from": chat.user.as_user(),
                "date": _now(),
                "old_chat_member": {
                    **bot_member,
                    "status": old,
                    **({"until_date": 0} if old == "kicked" else {}),
                },
                "new_chat_member": {
                    **bot_member,
                    "status": new,
                    **({"until_date": 0} if new == "kicked" else {}),
                },
            },
        )

    def _user_message(self, user_id: int, content: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(user_id)
        if chat.user.blocked:
            # Writing to a bot one blocked restarts it, as pressing "Restart" does in the apps.
            chat.user.blocked = False
            self._member_update(chat, "kicked", "member")
        chat.user.started = True
        message = self._base_message(chat, from_bot=False)
        message.update(content)
        chat.entries[message["message_id"]] = _Entry(
            message, False, raw_text=content.get("text"), raw_caption=content.get("caption")
        )
        keyboard = chat.reply_keyboard
        if keyboard and keyboard.get("one_time_keyboard"):
            chat.reply_keyboard = None
        self._changed()
        return self._push_update("message", dict(message))

    async def send_text(self, user_id: int, text: str, *, reply_to: int | None = None) -> dict[str, Any]:
        """The user sends a text, maybe as a "Reply" to a message; returns the update.

        Commands get a bot_command entity, as in the apps.
        """
        if not text.strip():
            raise SandboxUsageError("Telegram apps do not send empty messages")
        content: dict[str, Any] = {"text": text}
        entities = tgformat.command_entities(text)
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            entry = self._chat(user_id).entries.get(reply_to)
            if entry is None:
                raise SandboxUsageError(f"there is no message {reply_to} to reply to")
            replied = dict(entry.message)
            replied.pop("reply_to_message", None)
            content["reply_to_message"] = replied
        return self._user_message(user_id, content)

    async def press_button(
        self, user_id: int, message_id: int, callback_data: str, *, forged: bool = False
    ) -> dict[str, Any]:
        """The user presses an inline button; returns the callback_query update.

        ``forged=True`` sends data that no button of the message has, as a modified client can: the Bot API
        warns that "a bad client can send arbitrary data in this field".
        """
        chat = self._chat(user_id)
        entry = chat.entries.get(message_id)
        if entry is None:
            raise SandboxUsageError(f"chat {user_id} has no message {message_id}")
        rows = (entry.message.get("reply_markup") or {}).get("inline_keyboard") or []
        datas = [b.get("callback_data") for row in rows for b in row]
        if callback_data not in datas and not forged:
            raise SandboxUsageError(
                f"message {message_id} in chat {user_id} has no button with callback_data "
                f"{callback_data!r}; it has {[d for d in datas if d is not None]}"
            )
        query_id = str(secrets.randbits(63))
        self._callback_queries[query_id] = {"user_id": user_id, "message_id": message_id, "answered": False}
        return self._push_update(
            "callback_query",
            {
                "id": query_id,
                "from": chat.user.as_user(),
                "message": dict(entry.message),
                "chat_instance": str(-(user_id * 7919 % 10**18)),
                "data": callback_data,
            },
        )

    async def forge_button_press(
        self, user_id: int, callback_data: str, *, message_id: int | None = None
    ) -> dict[str, Any]:
        """A modified app sends callback data no button of ours carries (Telegram passes it on unchecked).

        With `message_id` of a message in the chat the query names it; otherwise it names no message.
        """
        chat = self._chat(user_id)
        entry = chat.entries.get(message_id) if message_id is not None else None
        query_id = str(secrets.randbits(63))
        self._callback_queries[query_id] = {"user_id": user_id, "message_id": message_id, "answered": False}
        payload: dict[str, Any] = {
            "id": query_id,
            "from": chat.user.as_user(),
            "chat_instance": str(-(user_id * 7919 % 10**18)),
            "data": callback_data,
        }
        if entry is not None:
            payload["message"] = dict(entry.message)
        else:
            payload["inline_message_id"] = f"forged-{query_id}"
        return self._push_update("callback_query", payload)

    async def share_location(self, user_id: int, latitude: float, longitude: float) -> dict[str, Any]:
        """The user shares a location (e.g. with a request_location button)."""
        return self._user_message(user_id, {"location": {"latitude": latitude, "longitude": longitude}})

    async def send_voice(
        self, user_id: int, data: bytes, duration: int, mime_type: str = "audio/ogg"
    ) -> dict[str, Any]:
        """The user sends a voice note."""
        self._chat(user_id)
        stored = self.store_file(data, kind="voice", mime_type=mime_type)
        voice = self._file_object(stored, "voice", {"duration": duration})
        voice["mime_type"] = mime_type
        return self._user_message(user_id, {"voice": voice})

    async def send_photo(self, user_id: int, data: bytes, caption: str | None = None) -> dict[str, Any]:
        """The user sends a photo."""
        self._chat(user_id)
        stored = self.store_file(data, kind="photo", mime_type="image/jpeg")
        content: dict[str, Any] = {"photo": self._file_object(stored, "photo", {})}
        if caption:
            content["caption"] = caption
        return self._user_message(user_id, content)

    async def send_document(
        self, user_id: int, data: bytes, file_name: str, mime_type: str = "application/octet-stream"
    ) -> dict[str, Any]:
        """The user sends a file."""
        self._chat(user_id)
        stored = self.store_file(data, kind="document", mime_type=mime_type, file_name=file_name)
        return self._user_message(user_id, {"document": self._file_object(stored, "document", {})})

    async def send_sticker(self, user_id: int, emoji: str = "😀") -> dict[str, Any]:
        """The user sends a sticker."""
        self._chat(user_id)
        stored = self.store_file(b"RIFF\x00\x00\x00\x00WEBP", kind="sticker", mime_type="image/webp")
        return self._user_message(
            user_id, {"sticker": self._file_object(stored, "sticker", {"emoji": emoji})}
        )

    async def edit_text(self, user_id: int, message_id: int, text: str) -> dict[str, Any]:
        """The user edits one of her text messages; returns the edited_message update."""
        chat = self._chat(user_id)
        entry = chat.entries.get(message_id)
        if entry is None or entry.from_bot or "text" not in entry.message:
            raise SandboxUsageError(f"user {user_id} has no text message {message_id} to edit")
        entry.message["text"] = entry.raw_text = text
        entities = tgformat.command_entities(text)
        if entities:
            entry.message["entities"] = entities
        else:
            entry.message.pop("entities", None)
        entry.message["edit_date"] = _now()
        self._changed()
        return self._push_update("edited_message", dict(entry.message))

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sends now fail with 403, and the bot gets a my_chat_member update."""
        chat = self._chat(user_id)
        if not chat.user.blocked:
            chat.user.blocked = True
            self._member_update(chat, "member", "kicked")
            self._changed()

    def unblock(self, user_id: int) -> None:
        """The user restarts the bot after blocking it."""
        chat = self._chat(user_id)
        if chat.user.blocked:
            chat.user.blocked = False
            self._member_update(chat, "kicked", "member")
            self._changed()

    def drain_updates(self) -> list[dict[str, Any]]:
        """Take all pending updates (they will not be delivered by getUpdates or the webhook)."""
        updates, self._updates = self._updates, []
        return updates

    def pending_updates(self) -> list[dict[str, Any]]:
        """The pending updates, without taking them."""
        return list(self._updates)

    # -- reading chats ------------------------------------------------------------------------------

    @staticmethod
    def _to_chat_message(entry: _Entry) -> ChatMessage:
        msg = entry.message
        kind: Kind = "text" if "text" in msg else next((k for k in _CONTENT_KEYS if k in msg), "other")
        inline = None
        if msg.get("reply_markup", {}).get("inline_keyboard"):
            inline = [
                [InlineButton(b.get("text", ""), b.get("callback_data"), b.get("url")) for b in row]
                for row in msg["reply_markup"]["inline_keyboard"]
            ]
        reply_kb = None
        if entry.reply_keyboard:
            reply_kb = [
                [KeyboardButton(b.get("text", ""), bool(b.get("request_location"))) for b in row]
                for row in entry.reply_keyboard.get("keyboard", [])
            ]
        file_id = None
        if kind == "photo":
            file_id = msg["photo"][-1]["file_id"]
        elif kind in ("voice", "document", "video_note", "sticker"):
            file_id = msg[kind]["file_id"]
        location = (msg["location"]["latitude"], msg["location"]["longitude"]) if "location" in msg else None
        return ChatMessage(
            message_id=msg["message_id"],
            from_bot=entry.from_bot,
            text=entry.raw_text if "text" in msg else None,
            caption=entry.raw_caption if "caption" in msg else None,
            parse_mode=entry.parse_mode,
            kind=kind,
            inline_keyboard=inline,
            reply_keyboard=reply_kb,
            remove_keyboard=entry.remove_keyboard,
            location=location,
            file_id=file_id,
            date=msg["date"],
            edited="edit_date" in msg,
            reply_to_message_id=(msg.get("reply_to_message") or {}).get("message_id"),
            raw=msg,
        )

    def chat(self, user_id: int) -> list[ChatMessage]:
        """The private chat with this user, oldest first, both directions, edits applied."""
        return [self._to_chat_message(e) for e in self._chat(user_id).entries.values()]

    def bot_messages(self, user_id: int) -> list[ChatMessage]:
        """The bot's messages in the chat with this user."""
        return [m for m in self.chat(user_id) if m.from_bot]

    def last_bot_message(self, user_id: int) -> ChatMessage:
        """The newest bot message in the chat (AssertionError if the bot has not written)."""
        messages = self.bot_messages(user_id)
        if not messages:
            raise AssertionError(
                f"the bot has sent no message to user {user_id}; calls: {self._call_summary()}"
            )
        return messages[-1]

    def last_message_id(self, user_id: int) -> int:
        """The id of the newest message in the chat (0 if empty): pass it as ``after=``."""
        entries = self._chat(user_id).entries
        return max(entries, default=0)

    async def wait_for_bot_message(
        self,
        user_id: int,
        *,
        after: int,
        timeout: float = 5.0,  # noqa: ASYNC109 (a deadline for tests, as asked by the interface)
    ) -> ChatMessage:
        """Wait until the bot wrote a message with message_id > after; TimeoutError if it does not."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.bot_messages(user_id):
                if message.message_id > after:
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"the bot sent user {user_id} no message after #{after} within {timeout}s; "
                    f"calls: {self._call_summary()}"
                )
            await self._changes_signal.wait(remaining)

    def current_reply_keyboard(self, user_id: int) -> dict[str, Any] | None:
        """The ReplyKeyboardMarkup the user sees now (the last one sent and not removed)."""
        return self._chat(user_id).reply_keyboard

    def chat_action(self, user_id: int) -> str | None:
        """The chat action ("typing"...) the bot shows now: set within 5 s and no message since."""
        action = self._chat(user_id).chat_action
        if action and time.monotonic() - action[1] < CHAT_ACTION_SECONDS:
            return action[0]
        return None

    def callback_answers(self, user_id: int) -> list[dict[str, Any]]:
        """The bot's answers to this user's button presses (text, show_alert...), oldest first."""
        return list(self._chat(user_id).callback_answers)

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        """Bot API calls the bot made, oldest first; optionally only one method (any case)."""
        if method is None:
            return list(self._calls)
        return [c for c in self._calls if c.method.lower() == method.lower()]

    def _call_summary(self) -> str:
        tail = [c for c in self._calls if c.method != "getUpdates"][-5:]
        return ", ".join(f"{c.method}{'' if c.ok else f' -> {c.error}'}" for c in tail) or "none"

    def commands(self, language_code: str | None = None, scope: str = "default") -> list[dict[str, str]]:
        """The commands set with setMyCommands for a language ("" or None: for all languages)."""
        return list(self._commands.get((scope, language_code or ""), []))

    def description(self, language_code: str | None = None) -> str:
        """The description set with setMyDescription for a language ("" if none)."""
        return self._descriptions.get(language_code or "", "")

    def short_description(self, language_code: str | None = None) -> str:
        """The short description set with setMyShortDescription for a language ("" if none)."""
        return self._short_descriptions.get(language_code or "", "")

    @property
    def version(self) -> int:
        """Increases on every visible change of any chat."""
        return self._version

    async def wait_for_change(self, since: int, within: float) -> int:
        """Wait until ``version`` exceeds ``since`` (at most ``within`` seconds); returns the version."""
        deadline = time.monotonic() + within
        epoch = self._release_epoch
        while self._version <= since and epoch == self._release_epoch:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            await self._changes_signal.wait(remaining)
        return self._version
