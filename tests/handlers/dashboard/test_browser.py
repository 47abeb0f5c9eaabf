"""A real browser (Debian's chromium, driven by Playwright) signs in from the bot's link, reads a log,
downloads the outcome CSV, and leaves a screenshot; every line of the poster is drawn with the dashboard's
own fonts. `.ci/run` sets REQUIRE_BROWSER=1 so CI never skips it."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.app import web_app
from bot.i18n import LOCALES
from bot.web import WebServer
from storage.models import AuditEntry
from tests.conftest import Clock
from tests.handlers.dashboard.conftest import login_link, talked
from tests.handlers.test_matching import set_up_group
from tests.harness import BotHarness

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# The poster's lines whose script a plain Debian machine has no font for, and the Noto that draws each.
SCRIPT_FONTS = {
    "ti": "Noto Sans Ethiopic",
    "am": "Noto Sans Ethiopic",
    "ta": "Noto Sans Tamil",
    "th": "Noto Sans Thai",
    "hi": "Noto Sans Devanagari",
    "pa": "Noto Sans Gurmukhi",
    "zh-Hans": "Noto Sans CJK SC",
}


def _browser_missing() -> str | None:
    if not CHROMIUM.exists() and shutil.which(str(CHROMIUM)) is None:
        return f"no Chromium at {CHROMIUM} (make browser installs Debian's chromium package)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make install installs it)"
    return None


@pytest.fixture
def browser_ready() -> None:
    missing = _browser_missing()
    if missing is None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"the browser test must run here: {missing}")
    pytest.skip(missing)


@pytest.fixture
async def served(bot: BotHarness) -> AsyncIterator[str]:
    web = WebServer(web_app(bot.application, webhook_secret=None), host="127.0.0.1", port=0)
    await web.start()
    bot.services.dashboard_access.base_url = web.url
    try:
        yield web.url
    finally:
        await web.stop()


async def test_a_coordinator_reads_a_log_and_downloads_the_outcomes_in_chromium(
    browser_ready: None, bot: BotHarness, served: str, clock: Clock, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright

    scene = await talked(bot, clock)
    link = await login_link(scene.coordinator)
    assert link.startswith(served)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = await browser.new_context(accept_downloads=True, locale="en-GB")
        page = await context.new_page()
        await page.goto(link)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(served + "/")
        assert await page.get_by_role("heading", name="Overview", exact=True).is_visible()

        # Keyboard first: the first Tab reaches the "skip to the content" link.
        await page.keyboard.press("Tab")
        focused: Any = await page.evaluate("document.activeElement.textContent")
        assert focused == "Skip to the content"

        await page.get_by_role("link", name="Matches", exact=True).click()
        await page.get_by_role("link", name="#1 Brabrand").first.click()
        # A click starts the navigation; wait for the new page (is_visible and count do not wait).
        await page.get_by_text("Hello, I got a letter from the kommune").wait_for()
        assert await page.get_by_text("Hello, I got a letter from the kommune").is_visible()
        assert await page.locator("audio").count() == 1
        await page.screenshot(path=str(tmp_path / "conversation-log.png"), full_page=True)

        await page.get_by_role("link", name="Outcomes", exact=True).click()
        await page.locator("svg.chart").first.wait_for()  # the charts come with the page, all at once
        assert await page.locator("svg.chart").count() == 7
        async with page.expect_download() as waiting:
            await page.get_by_role("link", name="Download as CSV").click()
        download = await waiting.value
        saved = tmp_path / download.suggested_filename
        await download.save_as(str(saved))
        await page.screenshot(path=str(tmp_path / "outcomes.png"), full_page=True)

        # On a phone: every page fits the screen's width (wide tables scroll inside themselves).
        phone = await context.new_page()
        await phone.set_viewport_size({"width": 390, "height": 844})
        for path in ("/", "/waiting", "/matches", "/matches/1", "/bydelsmoedre", "/outcomes", "/requests/1"):
            await phone.goto(served + path)
            overflow: Any = await phone.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{path} is {overflow}px wider than a phone"
        await phone.goto(served + "/bydelsmoedre")
        await phone.screenshot(path=str(tmp_path / "phone-bydelsmoedre.png"), full_page=True)
        await browser.close()

    assert saved.name.startswith("bydelsmor-outcomes-") and saved.suffix == ".csv"
    assert saved.read_text(encoding="utf-8").startswith("month,group,language,measure,share")
    assert (tmp_path / "conversation-log.png").stat().st_size > 10_000
    async with bot.services.db.transaction() as session:
        actions = [
            e.action for e in (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()
        ]
    assert actions[:3] == ["sign_in", "view_log", "download_csv"]
    assert actions[3:] == ["view_log", "view_request"]  # the phone's visits are audited too


async def test_every_line_of_the_poster_is_drawn_with_a_served_font_in_chromium(
    browser_ready: None, bot: BotHarness, served: str, tmp_path: Path
) -> None:
    """This machine has no Ethiopic, Tamil, Thai, Devanagari, Gurmukhi or Chinese font of its own: without the
    fonts the dashboard serves, those lines print as boxes. Chromium tells (DevTools' CSS domain) which fonts
    drew each line's text; every one of them must be a web font we serve, and each script its own Noto."""
    from playwright.async_api import async_playwright

    coordinator = await set_up_group(bot)
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
        await page.goto(served + "/groups/1/poster")
        await page.evaluate("document.fonts.ready.then(() => true)")

        devtools = await context.new_cdp_session(page)
        await devtools.send("DOM.enable")
        await devtools.send("CSS.enable")
        document: Any = await devtools.send("DOM.getDocument", {"depth": 0})
        found: Any = await devtools.send(
            "DOM.querySelectorAll", {"nodeId": document["root"]["nodeId"], "selector": "ul.lines li"}
        )
        drawn_with: dict[str, list[tuple[str, bool]]] = {}
        for node_id in found["nodeIds"]:
            attributes: Any = await devtools.send("DOM.getAttributes", {"nodeId": node_id})
            pairs = attributes["attributes"]
            lang = dict(zip(pairs[::2], pairs[1::2], strict=True))["lang"]
            fonts: Any = await devtools.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})
            drawn_with[lang] = [(font["familyName"], font["isCustomFont"]) for font in fonts["fonts"]]
        await page.emulate_media(media="print")
        await page.screenshot(path=str(tmp_path / "poster.png"), full_page=True)
        printed = await page.pdf(format="A4")
        await browser.close()

    assert len(drawn_with) == len(LOCALES)
    not_ours = {lang: fonts for lang, fonts in drawn_with.items() if not all(ours for _, ours in fonts)}
    assert not_ours == {}, f"drawn with a font of this machine (boxes where it has none): {not_ours}"
    for lang, family in SCRIPT_FONTS.items():
        assert family in {name for name, _ in drawn_with[lang]}, (lang, drawn_with[lang])
    assert len(re.findall(rb"/Type\s*/Page\b", printed)) == 1, "the poster no longer fits on one A4 page"


async def test_every_font_the_stylesheet_names_is_served_with_its_licence(client: httpx.AsyncClient) -> None:
    """Without a browser too: each @font-face file is there, allowed by the CSP, and named in SOURCE.md."""
    css = await client.get("/static/dashboard.css")
    files = re.findall(r'url\("fonts/([^"]+\.woff2)"\)', css.text)
    assert len(files) == 10
    assert "font-src 'self'" in css.headers["content-security-policy"]
    source = (await client.get("/static/fonts/SOURCE.md")).text
    for name in files:
        font = await client.get(f"/static/fonts/{name}")
        assert font.status_code == 200 and font.content[:4] == b"wOF2", name
        assert name in source
    assert "SIL OPEN FONT LICENSE Version 1.1" in (await client.get("/static/fonts/OFL.txt")).text
