"""The stand-in over real HTTP, as the bot and the chat page use it."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
import telegram
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram.error import Conflict

from sandbox.sample_voice import SAMPLE_VOICE_OGG
from sandbox.standin import StandIn
from sandbox.web import SandboxServer


@pytest.fixture
async def http_bot(standin: StandIn, server: SandboxServer) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(
        standin.token, base_url=f"{server.url}/bot", base_file_url=f"{server.url}/file/bot"
    ) as connected:
        yield connected


@pytest.fixture
async def client(server: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url) as http:
        yield http


class Receiver:
    """A tiny webhook endpoint on 127.0.0.1 that records what it gets."""

    def __init__(self, fail_first: int = 0) -> None:
        self.received: list[tuple[dict[str, object], str | None]] = []
        self.fail_first = fail_first
        self.arrived = asyncio.Event()
        self.port = 0

    async def hook(self, request: Request) -> Response:
        if self.fail_first > 0:
            self.fail_first -= 1
            return Response(status_code=502)
        self.received.append(
            (json.loads(await request.body()), request.headers.get("x-telegram-bot-api-secret-token"))
        )
        self.arrived.set()
        return Response(status_code=200)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = Receiver(fail_first=1)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    rec.port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(Starlette(routes=[Route("/hook", rec.hook, methods=["POST"])]), log_level="warning")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 (uvicorn offers no event for "started")
        await asyncio.sleep(0.01)
    yield rec
    server.should_exit = True
    await task


async def test_get_updates_long_polling_over_http(standin: StandIn, http_bot: telegram.Bot) -> None:
    me = await http_bot.get_me()
    assert me.username == "BydelsmorSandboxBot"
    user = standin.add_user(first_name="Amina", language_code="ar")

    async def write_later() -> None:
        await asyncio.sleep(0.2)
        await standin.send_text(user, "/start")

    writer = asyncio.create_task(write_later())
    updates = await http_bot.get_updates(timeout=5)
    await writer
    assert [u.message.text for u in updates if u.message] == ["/start"]
    await http_bot.send_message(user, "<i>أهلاً</i>", parse_mode="HTML")
    assert standin.last_bot_message(user).plain_text == "أهلاً"


async def test_webhook_push_with_secret_and_conflict(
    standin: StandIn, http_bot: telegram.Bot, receiver: Receiver
) -> None:
    url = f"http://127.0.0.1:{receiver.port}/hook"
    assert await http_bot.set_webhook(url, secret_token="s3cret_token-1")
    info = await http_bot.get_webhook_info()
    assert info.url == url
    with pytest.raises(Conflict, match=r"(?i)webhook is active"):
        await http_bot.get_updates(timeout=0)

    user = standin.add_user(first_name="Fatima", language_code="so")
    first = await standin.send_text(user, "Salaan")
    second = await standin.send_text(user, "second")
    async with asyncio.timeout(5):
        while len(receiver.received) < 2:
            await receiver.arrived.wait()
            receiver.arrived.clear()
    # The first push failed once (502) and was retried; order is kept.
    assert [body["update_id"] for body, _ in receiver.received] == [first["update_id"], second["update_id"]]
    assert all(secret == "s3cret_token-1" for _, secret in receiver.received)
    assert (await http_bot.get_webhook_info()).pending_update_count == 0

    assert await http_bot.delete_webhook()
    assert await http_bot.get_updates(timeout=0) == ()


async def test_get_file_and_download_voice(standin: StandIn, http_bot: telegram.Bot) -> None:
    user = standin.add_user(first_name="Hodan", language_code="so")
    update = await standin.send_voice(user, SAMPLE_VOICE_OGG, duration=1)
    file = await http_bot.get_file(update["message"]["voice"]["file_id"])
    assert bytes(await file.download_as_bytearray()) == SAMPLE_VOICE_OGG
    sent = await http_bot.send_voice(user, SAMPLE_VOICE_OGG, duration=1)  # multipart upload
    assert sent.voice is not None and standin.file(sent.voice.file_id).data == SAMPLE_VOICE_OGG


async def test_bot_api_accepts_json_form_and_query(standin: StandIn, client: httpx.AsyncClient) -> None:
    user = standin.add_user(first_name="Olena", language_code="uk")
    base = f"/bot{standin.token}"
    r = await client.post(f"{base}/sendMessage", json={"chat_id": user, "text": "json"})
    assert r.status_code == 200 and r.json()["result"]["text"] == "json"
    markup = json.dumps({"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]})
    r = await client.post(
        f"{base}/sendMessage", data={"chat_id": str(user), "text": "form", "reply_markup": markup}
    )
    assert (
        r.status_code == 200 and r.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "OK"
    )
    r = await client.get(f"{base}/SENDMESSAGE", params={"chat_id": str(user), "text": "query"})
    assert r.status_code == 200
    r = await client.post(f"{base}/sendMessage", data={"chat_id": str(user), "text": "x" * 4097})
    assert r.status_code == 400 and r.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message is too long",
    }
    r = await client.post("/bot1:nope/getMe")
    assert r.status_code == 401
    r = await client.post(f"{base}/noSuchMethod")
    assert r.status_code == 404 and r.json()["description"] == "Not Found"


async def test_chat_page_and_its_json_api(standin: StandIn, client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text and 'dir="auto"' in page.text

    r = await client.post("/sandbox/api/users", json={"first_name": "Mariam", "language_code": "ur"})
    assert r.status_code == 201
    user = r.json()["id"]
    assert [u["first_name"] for u in (await client.get("/sandbox/api/users")).json()] == ["Mariam"]

    r = await client.post(f"/sandbox/api/chat/{user}/text", json={"text": "/start"})
    assert r.json()["update"]["message"]["text"] == "/start"
    assert standin.drain_updates()[0]["message"]["from"]["language_code"] == "ur"

    # The bot answers; the page's long poll returns as soon as it does.
    version = (await client.get(f"/sandbox/api/chat/{user}")).json()["version"]

    async def bot_reply() -> None:
        await asyncio.sleep(0.1)
        await standin.call(
            standin.token,
            "sendMessage",
            {
                "chat_id": user,
                "text": "<b>خوش آمدید</b>",
                "parse_mode": "HTML",
                "reply_markup": {"inline_keyboard": [[{"text": "اردو", "callback_data": "lang:ur"}]]},
            },
        )

    task = asyncio.create_task(bot_reply())
    chat = (await client.get(f"/sandbox/api/chat/{user}", params={"since": version, "wait": 5})).json()
    await task
    reply = chat["messages"][-1]
    assert reply["from_bot"] and reply["text"] == "<b>خوش آمدید</b>" and reply["parse_mode"] == "HTML"
    assert reply["inline_keyboard"][0][0]["callback_data"] == "lang:ur"

    r = await client.post(
        f"/sandbox/api/chat/{user}/press",
        json={"message_id": reply["message_id"], "callback_data": "lang:ur"},
    )
    assert r.json()["update"]["callback_query"]["data"] == "lang:ur"
    r = await client.post(
        f"/sandbox/api/chat/{user}/location", json={"latitude": 55.3676, "longitude": 10.4311}
    )
    assert r.json()["update"]["message"]["location"]["latitude"] == 55.3676
    r = await client.post(f"/sandbox/api/chat/{user}/voice")  # the bundled sample voice note
    voice = r.json()["update"]["message"]["voice"]
    assert (await client.get(f"/sandbox/api/file/{voice['file_id']}")).content == SAMPLE_VOICE_OGG
    r = await client.post(
        f"/sandbox/api/chat/{user}/photo", files={"file": ("p.jpg", b"\xff\xd8\xff", "image/jpeg")}
    )
    assert "photo" in r.json()["update"]["message"]
    r = await client.post(f"/sandbox/api/chat/{user}/press", json={"message_id": 999, "callback_data": "x"})
    assert r.status_code == 400 and "no message 999" in r.json()["error"]
    kinds = [m["kind"] for m in (await client.get(f"/sandbox/api/chat/{user}")).json()["messages"]]
    assert kinds == ["text", "text", "location", "voice", "photo"]
