"""The dashboard over HTTP (httpx against the ASGI app), with the real bot behind it driven by phones."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.app import web_app
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
from tests.harness import DASHBOARD_BASE, WHOLE_STORY_SETTINGS, BotHarness, Phone

BASE = DASHBOARD_BASE
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
async def bot(database_url: str, data_key: str, clock: Clock, tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = BotHarness(
        database_url=database_url,
        data_key=data_key,
        clock=clock,
        data_dir=tmp_path,
        settings=WHOLE_STORY_SETTINGS,
    )
    await harness.start()
    yield harness
    await harness.close()


@pytest.fixture
async def client(bot: BotHarness) -> AsyncIterator[httpx.AsyncClient]:
    app = web_app(bot.application, webhook_secret=None)
    # English by the browser's choice (Danish is the default); the Danish test asks for Danish.
    headers = {"Accept-Language": "en"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE, headers=headers
    ) as http:
        yield http


@dataclass
class Scene:
    """A group with its coordinator, a Bydelsmor and a woman who talked and answered a check-in."""

    coordinator: Phone
    hodan: Phone
    woman: Phone


async def talked(bot: BotHarness, clock: Clock) -> Scene:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await woman_asks(bot, language="en")
    await hodan.press("Yes, I will talk with her")
    await woman.send("Hello, I got a letter from the kommune")
    await hodan.send("Send me a photo of it, then we can read it together")
    await woman.send_voice()
    await bot.send_outbox()
    clock.advance(seconds=2)
    await bot.tick()
    await woman.press("Better")
    return Scene(coordinator=coordinator, hodan=hodan, woman=woman)


def link_in(text: str) -> str:
    found = re.search(r"(http://\S+/login\?token=\S+)", text)
    assert found, text
    return found.group(1)


async def login_link(coordinator: Phone) -> str:
    [reply] = await coordinator.send("/login")
    return link_in(reply.text or "")


async def open_link(client: httpx.AsyncClient, link: str) -> dict[str, str]:
    """Open the bot's sign-in link: what pressing "Sign in" on that page posts."""
    page = await client.get(link.removeprefix(BASE))
    assert page.status_code == 200, page.text
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    login_csrf = CSRF.search(page.text)
    assert token and login_csrf
    return {"token": token.group(1), "csrf": login_csrf.group(1)}


async def sign_in(client: httpx.AsyncClient, coordinator: Phone) -> str:
    """Follow the bot's link and press "Sign in"; returns the session's CSRF token."""
    signed = await client.post("/login", data=await open_link(client, await login_link(coordinator)))
    assert signed.status_code == 303, signed.text
    overview = await client.get("/")
    assert overview.status_code == 200
    found = CSRF.search(overview.text)
    assert found
    return found.group(1)
