"""Issue 12 in a real browser (Debian's chromium through Playwright, as tests/handlers/dashboard/
test_browser.py): a coordinator plays a Bydelsmor's recording on the language's page and approves it; the
next woman who chooses Somali hears it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.voice import library
from tests.handlers.dashboard.conftest import login_link
from tests.handlers.dashboard.test_browser import CHROMIUM, browser_ready, served
from tests.handlers.dashboard.test_recordings import hodan_recorded
from tests.harness import BotHarness

__all__ = ["browser_ready", "served"]  # the fixtures, used by name


@pytest.fixture(autouse=True)
def fresh_library() -> Iterator[None]:
    library.forget_cache()
    yield
    library.forget_cache()


async def test_a_coordinator_approves_a_recording_in_chromium(
    browser_ready: None, bot: BotHarness, served: str, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright

    coordinator, _hodan, ids = await hodan_recorded(bot, "listen")
    link = await login_link(coordinator)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = await browser.new_context(locale="en-GB")
        page = await context.new_page()
        await page.goto(link)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(served + "/")
        await page.get_by_role("link", name="Recordings", exact=True).click()
        await page.get_by_role("link", name="Soomaali").click()
        await page.wait_for_url("**/recordings?language=so")
        assert await page.get_by_role(
            "heading", name=f"Would you like to listen? · #{ids['listen']}"
        ).is_visible()
        # The player's source: the recording, fetched through the dashboard (which asks Telegram for it),
        # with the browser's own session cookie (the page's CSP lets no script fetch it).
        source: Any = await page.locator("audio").first.get_attribute("src")
        heard = await context.request.get(served + source)
        assert heard.status == 200 and heard.headers["content-type"].startswith("audio/ogg")
        assert await heard.body() == b"OggS-listen"
        await page.get_by_role("button", name="Approve", exact=True).click()
        await page.wait_for_url("**/recordings?language=so&done=recording_approved")
        assert await page.get_by_text("Women who listen hear it from now on.").is_visible()
        await page.screenshot(path=str(tmp_path / "recordings.png"), full_page=True)
        await browser.close()

    woman = bot.phone(language_code="so")
    await woman.send("/start")
    asked = await woman.press_data("lang:set:so")
    assert asked[0].kind == "voice"
    recording = await bot.services.recordings.file_of(recording_id=ids["listen"])
    assert recording is not None and asked[0].file_id == recording.file_id
