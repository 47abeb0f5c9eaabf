"""The bot as it runs: over real HTTP to the stand-in, by long polling and by a webhook with a secret."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.app import SANDBOX_TOKEN, build_application, running
from bot.config import load_settings
from bot.i18n import LOCALES
from bot.services import Services, build_services
from bot.web import WebServer
from handlers.webhook import WEBHOOK_PATH, webhook_routes
from sandbox.standin import StandIn
from sandbox.web import SandboxServer
from tests.conftest import Clock

SECRET = "a-webhook-secret-of-enough-length"


@pytest.fixture
async def services(database_url: str, data_key: str, clock: Clock, tmp_path: Path) -> AsyncIterator[Services]:
    settings = load_settings(data_dir=tmp_path, data_key=data_key)
    built = build_services(settings, database_url=database_url, clock=clock)
    yield built
    await built.db.dispose()


@pytest.fixture
async def telegram() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(StandIn(token=SANDBOX_TOKEN), host="127.0.0.1", port=0)
    await server.start()
    yield server
    await server.stop()
    await server.standin.aclose()


async def test_long_polling_over_http(services: Services, telegram: SandboxServer) -> None:
    application = build_application(services, token=SANDBOX_TOKEN, base_url=telegram.url)
    standin = telegram.standin
    async with running(application, polling=True):
        user = standin.add_user(first_name="Hodan", language_code="so")
        await standin.send_text(user, "/start")
        greeting = await standin.wait_for_bot_message(user, after=0, timeout=10)
        assert [b.callback_data for b in greeting.buttons()] == ["lang:set:so", "lang:page:0"]

    # At start the bot told Telegram its description and commands in every language that has a code.
    for locale in LOCALES:
        if locale.telegram_code:
            assert standin.description(locale.telegram_code)
            assert [c["command"] for c in standin.commands(locale.telegram_code)] == [
                "start",
                "language",
                "help",
                "mydata",
                "listen",
                "news",
                "end",
                "stop",
            ]
    assert "Bydelsmor" in standin.description(None)


async def test_a_webhook_with_a_secret(services: Services, telegram: SandboxServer) -> None:
    application = build_application(services, token=SANDBOX_TOKEN, base_url=telegram.url)
    web = WebServer(Starlette(routes=webhook_routes(application, SECRET)), host="127.0.0.1", port=0)
    standin = telegram.standin
    async with running(application, polling=False):
        await web.start()
        try:
            await application.bot.set_webhook(url=web.url + WEBHOOK_PATH, secret_token=SECRET)
            user = standin.add_user(first_name="Leyla", language_code="tr")
            await standin.send_text(user, "/start")
            greeting = await standin.wait_for_bot_message(user, after=0, timeout=10)
            assert greeting.buttons()[0].callback_data == "lang:set:tr"

            async with httpx.AsyncClient() as client:
                forged = {
                    "update_id": 999,
                    "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}},
                }
                wrong = await client.post(
                    web.url + WEBHOOK_PATH, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
                )
                missing = await client.post(web.url + WEBHOOK_PATH, json=forged)
            assert (wrong.status_code, missing.status_code) == (403, 403)
        finally:
            await web.stop()
