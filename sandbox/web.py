"""The stand-in over HTTP: the Bot API as api.telegram.org serves it, and a chat page for people.

Routes:
  GET/POST /bot{token}/{method}          the Bot API (JSON, form, multipart or query string)
  GET      /file/bot{token}/{file_path}  file downloads (getFile's file_path)
  GET      /                             the chat page: be a woman using the bot
  /sandbox/api/...                       the JSON API behind the chat page

The server has no authentication: bind it to 127.0.0.1 only (the default of ``serve`` and
``SandboxServer``), never to a public interface.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from sandbox.errors import SandboxUsageError
from sandbox.sample_voice import SAMPLE_VOICE_DURATION, SAMPLE_VOICE_OGG
from sandbox.standin import ChatMessage, StandIn

__all__ = ["NetworkFaults", "SandboxServer", "build_app", "serve"]

log = logging.getLogger(__name__)

PAGE_PATH = Path(__file__).with_name("static") / "index.html"
MAX_UPLOAD = 50 * 1024 * 1024  # Telegram's limit for files bots upload
LANGUAGES = [
    ("en", "English"),
    ("da", "Dansk"),
    ("ar", "العربية (Arabic)"),
    ("so", "Soomaali (Somali)"),
    ("tr", "Türkçe (Turkish)"),
    ("uk", "Українська (Ukrainian)"),
    ("ur", "اردو (Urdu)"),
    ("fa", "فارسی (Persian)"),
    ("ckb", "کوردی (Kurdish, Sorani)"),
    ("ku", "Kurdî (Kurdish, Kurmanji)"),
    ("pl", "Polski (Polish)"),
    ("ro", "Română (Romanian)"),
    ("bs", "Bosanski (Bosnian)"),
    ("th", "ไทย (Thai)"),
    ("tl", "Filipino"),
    ("vi", "Tiếng Việt (Vietnamese)"),
    ("ta", "தமிழ் (Tamil)"),
    ("ru", "Русский (Russian)"),
    ("ps", "پښتو (Pashto)"),
    ("zh-hans", "中文 (Chinese)"),
    ("lt", "Lietuvių (Lithuanian)"),
    ("fr", "Français (French)"),
    ("ti", "ትግርኛ (Tigrinya)"),
    ("sw", "Kiswahili (Swahili)"),
    ("bg", "Български (Bulgarian)"),
    ("hi", "हिन्दी (Hindi)"),
    ("pa", "ਪੰਜਾਬੀ (Punjabi)"),
    ("sq", "Shqip (Albanian)"),
    ("de", "Deutsch (German)"),
    ("am", "አማርኛ (Amharic)"),
    ("es", "Español (Spanish)"),
    ("nb", "Norsk (a language the bot does not have)"),
    ("", "(no language sent)"),
]


def _json_error(status: int, description: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error_code": status, "description": description}, status_code=status)


async def _request_params(request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes, str]]]:
    params: dict[str, Any] = dict(request.query_params)
    files: dict[str, tuple[str, bytes, str]] = {}
    if request.method != "POST":
        return params, files
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        body = await request.body()
        if body.strip():
            data = json.loads(body)
            if not isinstance(data, dict):
                raise ValueError("the JSON body must be an object")
            params.update(data)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        async with request.form(max_part_size=MAX_UPLOAD) as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    files[key] = (
                        value.filename or key,
                        await value.read(),
                        value.content_type or "application/octet-stream",
                    )
                else:
                    params[key] = value
    return params, files


def _message_json(standin: StandIn, m: ChatMessage) -> dict[str, Any]:
    raw = m.raw
    out: dict[str, Any] = {
        "message_id": m.message_id,
        "from_bot": m.from_bot,
        "kind": m.kind,
        "text": m.text,
        "caption": m.caption,
        "parse_mode": m.parse_mode,
        "date": m.date,
        "edited": m.edited,
        "inline_keyboard": [
            [{"text": b.text, "callback_data": b.callback_data, "url": b.url} for b in row]
            for row in m.inline_keyboard or []
        ],
        "location": {"latitude": m.location[0], "longitude": m.location[1]} if m.location else None,
        "file": None,
        "reply_to": None,
        "forwarded_from": (raw.get("forward_origin") or {}).get("sender_user", {}).get("first_name"),
    }
    if m.file_id:
        obj = raw[m.kind][-1] if m.kind == "photo" else raw[m.kind]
        out["file"] = {
            "url": f"/sandbox/api/file/{m.file_id}",
            "mime_type": obj.get("mime_type"),
            "duration": obj.get("duration"),
            "file_name": obj.get("file_name"),
            "emoji": obj.get("emoji"),
        }
    replied = raw.get("reply_to_message")
    if replied:
        kind = next(
            (k for k in ("voice", "photo", "document", "location", "sticker") if k in replied), "message"
        )
        snippet = replied.get("text") or replied.get("caption") or f"[{kind}]"
        out["reply_to"] = {"message_id": replied["message_id"], "snippet": str(snippet)[:80]}
    return out


def _user_json(standin: StandIn, user_id: int) -> dict[str, Any]:
    user = standin.user(user_id)
    return {
        "id": user.id,
        "first_name": user.first_name,
        "language_code": user.language_code,
        "blocked": user.blocked,
    }


@dataclass
class NetworkFaults:
    """A flaky network between the bot and Telegram, for fault-injection tests (off by default).

    A `ratio` of the calls to `methods` fail with 502 Bad Gateway, as a reset connection or a proxy's
    time-out looks to the bot: half of them before the call took effect, half after (the answer was lost,
    so the bot cannot know whether Telegram did it).
    """

    ratio: float = 0.0
    methods: frozenset[str] = frozenset(
        {"getUpdates", "sendMessage", "copyMessage", "editMessageText", "answerCallbackQuery", "sendVoice"}
    )
    rng: random.Random = field(default_factory=random.Random)
    before: int = 0  # failed before taking effect
    after: int = 0  # took effect, answer lost

    def pick(self, method: str) -> str | None:
        if self.ratio <= 0 or method not in self.methods or self.rng.random() >= self.ratio:
            return None
        return "before" if self.rng.random() < 0.5 else "after"


def build_app(standin: StandIn, faults: NetworkFaults | None = None) -> Starlette:
    """The Starlette app serving the Bot API, file downloads, the chat page and its JSON API."""
    network = faults or NetworkFaults()

    async def bot_api(request: Request) -> Response:
        try:
            params, files = await _request_params(request)
        except ValueError as exc:
            return _json_error(400, f"Bad Request: can't parse request body: {exc}")
        fault = network.pick(request.path_params["method"])
        if fault == "before":
            network.before += 1
            return _json_error(502, "Bad Gateway")
        try:
            status, body = await standin.call(
                request.path_params["token"], request.path_params["method"], params, files or None
            )
        except Exception as exc:  # a bug in the sandbox: say so instead of a bare 500
            log.exception("sandbox: %s failed", request.path_params["method"])
            return _json_error(500, f"Internal Server Error: sandbox bug: {exc!r}")
        if fault == "after":
            network.after += 1
            return _json_error(502, "Bad Gateway")
        return JSONResponse(body, status_code=status)

    async def file_download(request: Request) -> Response:
        if request.path_params["token"] != standin.token:
            return _json_error(401, "Unauthorized")
        stored = standin.file_by_path(request.path_params["file_path"])
        if stored is None:
            return _json_error(404, "Not Found")
        return Response(stored.data, media_type=stored.mime_type)

    async def page(request: Request) -> Response:
        html = PAGE_PATH.read_text(encoding="utf-8")
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    async def api_bot(request: Request) -> Response:
        lang = request.query_params.get("lang") or ""
        short_lang = lang if len(lang) == 2 else ""
        return JSONResponse(
            {
                "name": standin.bot_user["first_name"],
                "username": standin.bot_user["username"],
                "description": standin.description(short_lang) or standin.description(""),
                "short_description": standin.short_description(short_lang) or standin.short_description(""),
                "commands": standin.commands(short_lang) or standin.commands(""),
                "languages": [{"code": c, "name": n} for c, n in LANGUAGES],
            }
        )

    async def api_users(request: Request) -> Response:
        if request.method == "POST":
            data = await _json_body(request)
            name = str(data.get("first_name") or "").strip()
            if not name:
                return JSONResponse({"error": "first_name is required"}, status_code=400)
            lang = data.get("language_code")
            user_id = standin.add_user(first_name=name[:64], language_code=str(lang) if lang else None)
            return JSONResponse(_user_json(standin, user_id), status_code=201)
        return JSONResponse([_user_json(standin, u.id) for u in standin.users()])

    async def api_chat(request: Request) -> Response:
        user_id = int(request.path_params["user_id"])
        standin.user(user_id)
        since = int(request.query_params.get("since", "-1"))
        wait = min(float(request.query_params.get("wait", "0")), 25.0)
        if wait > 0:
            await standin.wait_for_change(since, within=wait)
        keyboard = standin.current_reply_keyboard(user_id)
        return JSONResponse(
            {
                "version": standin.version,
                "user": _user_json(standin, user_id),
                "messages": [_message_json(standin, m) for m in standin.chat(user_id)],
                "typing": standin.chat_action(user_id),
                "reply_keyboard": keyboard,
                "callback_answers": standin.callback_answers(user_id)[-20:],
            }
        )

    async def api_action(request: Request) -> Response:
        user_id = int(request.path_params["user_id"])
        action = request.path_params["action"]
        standin.user(user_id)
        if action in ("voice", "photo"):
            params, files = await _request_params(request)
            if action == "voice":
                if "file" in files:
                    _, audio, mime = files["file"]
                    duration = max(1, round(float(params.get("duration") or 1)))
                    update = await standin.send_voice(
                        user_id, audio, duration, mime.split(";")[0] or "audio/ogg"
                    )
                else:
                    update = await standin.send_voice(user_id, SAMPLE_VOICE_OGG, SAMPLE_VOICE_DURATION)
            else:
                if "file" not in files:
                    return JSONResponse({"error": "upload the photo as the multipart part 'file'"}, 400)
                update = await standin.send_photo(user_id, files["file"][1], params.get("caption") or None)
            return JSONResponse({"update": update})
        data = await _json_body(request)
        if action == "text":
            update = await standin.send_text(user_id, str(data.get("text", "")))
        elif action == "press":
            update = await standin.press_button(user_id, int(data["message_id"]), str(data["callback_data"]))
        elif action == "location":
            update = await standin.share_location(user_id, float(data["latitude"]), float(data["longitude"]))
        elif action == "sticker":
            update = await standin.send_sticker(user_id, str(data.get("emoji") or "😀"))
        elif action == "edit":
            update = await standin.edit_text(user_id, int(data["message_id"]), str(data.get("text", "")))
        elif action == "block":
            standin.block(user_id)
            return JSONResponse({"blocked": True})
        elif action == "unblock":
            standin.unblock(user_id)
            return JSONResponse({"blocked": False})
        else:
            return JSONResponse({"error": f"unknown action {action}"}, status_code=404)
        return JSONResponse({"update": update})

    async def api_file(request: Request) -> Response:
        try:
            stored = standin.file(request.path_params["file_id"])
        except KeyError:
            return Response(status_code=404)
        return Response(stored.data, media_type=stored.mime_type)

    return Starlette(
        routes=[
            Route("/", page),
            Route("/bot{token}/{method}", bot_api, methods=["GET", "POST"]),
            Route("/file/bot{token}/{file_path:path}", file_download),
            Route("/sandbox/api/bot", api_bot),
            Route("/sandbox/api/users", api_users, methods=["GET", "POST"]),
            Route("/sandbox/api/chat/{user_id:int}", api_chat),
            Route("/sandbox/api/chat/{user_id:int}/{action}", api_action, methods=["POST"]),
            Route("/sandbox/api/file/{file_id}", api_file),
        ],
        exception_handlers={
            SandboxUsageError: _usage_error,
            KeyError: _usage_error,
            ValueError: _usage_error,
        },
    )


async def _json_body(request: Request) -> dict[str, Any]:
    body = await request.body()
    data = json.loads(body) if body.strip() else {}
    if not isinstance(data, dict):
        raise SandboxUsageError("send a JSON object")
    return data


async def _usage_error(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=400)


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the caller's event loop owns Ctrl-C."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class SandboxServer:
    """Runs ``build_app(standin)`` with uvicorn as a task in the current event loop.

    ``port=0`` picks a free port; ``port`` and ``url`` tell which after ``start()``.
    """

    def __init__(self, standin: StandIn, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.standin = standin
        self.host = host
        self.port = port
        self.faults = NetworkFaults()
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:8081``; the Bot API is at ``{url}/bot``."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        """Bind the port and serve in the background; returns once the server accepts connections."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            build_app(self.standin, self.faults),
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        self._server = _Server(config)
        self._task = asyncio.get_running_loop().create_task(
            self._server.serve(sockets=[sock]), name="sandbox-http"
        )
        while not self._server.started:
            if self._task.done():
                sock.close()
                self._task.result()  # raises the startup error
                raise RuntimeError("the sandbox HTTP server stopped during startup")
            await asyncio.sleep(0.01)

    async def wait(self) -> None:
        """Wait until the server stops."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        """Stop serving (long polls still open are answered first, at once)."""
        if self._server is None or self._task is None:
            return
        self.standin.release_waiters()
        self._server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(self._task), 5)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._server = None
        self._task = None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def serve(standin: StandIn, *, host: str = "127.0.0.1", port: int) -> None:
    """Serve until cancelled (run it as a task in your event loop and cancel it to stop)."""
    server = SandboxServer(standin, host=host, port=port)
    await server.start()
    try:
        await server.wait()
    finally:
        await server.stop()
