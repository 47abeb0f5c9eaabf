"""The dashboard's "Print for funders" page: a coordinator sees only her groups' figures, a national admin
the whole country; the same report downloads as CSV and JSON; and in Chromium it prints on at most two A4
pages (pypdf is not in the dev lock: the pages are counted as "/Type /Page" objects in the PDF's bytes)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.app import web_app
from bot.demo import DEMO_GROUP, DEMO_PEOPLE, seed_demo, seed_demo_history
from bot.funders import Period, funders_report
from bot.funders.render import render_html
from bot.web import WebServer
from tests.conftest import Clock
from tests.handlers.dashboard.conftest import login_link, sign_in
from tests.handlers.dashboard.test_browser import CHROMIUM, _browser_missing
from tests.handlers.test_matching import set_up_group
from tests.harness import BotHarness, Phone


def demo_phone(bot: BotHarness, role: str) -> Phone:
    person = next(p for p in DEMO_PEOPLE if p.role == role)
    bot.standin.add_user(
        first_name=person.first_name, language_code=person.language_code, user_id=person.telegram_user_id
    )
    return Phone(bot, person.telegram_user_id)


async def with_history(bot: BotHarness, clock: Clock) -> None:
    await seed_demo(bot.services.db, now=clock())
    await seed_demo_history(bot.services.db, now=clock())


def reached(page: str) -> int:
    found = re.search(r"Kvinder, der talte med en Bydelsmor</th><td class=\"num\">(\d+)</td>", page)
    assert found, page
    return int(found.group(1))


async def test_a_coordinator_sees_only_her_group_and_a_national_admin_the_whole_country(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    await with_history(bot, clock)
    gellerup = await set_up_group(bot)  # another group's coordinator, with no talks yet

    await sign_in(client, gellerup)
    own = await client.get("/funders")
    assert own.status_code == 200
    assert '<article class="funders" lang="da">' in own.text and "Print for funders" in own.text
    assert reached(own.text) == 0 and DEMO_GROUP not in own.text
    assert "The whole country" not in own.text
    # Asking for the demo group by name shows her own figures, never the other group's.
    asked = await client.get("/funders", params={"group": DEMO_GROUP})
    assert reached(asked.text) == 0 and "Bydelsmødre Gellerup ·" in asked.text
    refused = json.loads((await client.get("/funders.json", params={"group": DEMO_GROUP})).text)
    assert refused["scope"] == "Bydelsmødre Gellerup"

    client.cookies.clear()
    await sign_in(client, demo_phone(bot, "admin"))
    country = (await client.get("/funders")).text  # in Danish: Nadia's language
    assert "Udskriv til fonde" in country and "Hele landet" in country
    assert reached(country) == 36
    assert country.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    # Every measure has its five answers; only the course, which one demo Bydelsmor has started, is too few.
    course_line = "Kurset for Bydelsmødre: for få svar til at vise."
    assert course_line in country
    assert "for få svar til at vise" not in country.split("<h2>Det svære</h2>")[0].replace(course_line, "")
    assert "89 %" in country and "93 %" in country
    period = {"group": DEMO_GROUP, "since": "2020-01-01", "until": "2020-12-31"}
    empty = (await client.get("/funders", params=period)).text
    assert reached(empty) == 0 and "1.1.2020–31.12.2020" in empty
    download = await client.get("/funders.csv", params={"group": DEMO_GROUP})
    assert download.headers["content-disposition"].startswith('attachment; filename="bydelsmor-resultater-')
    assert download.text.startswith("period_first,period_last,scope,section,figure,value,n,evaluation_2015")
    # The demo history also fills the outcome charts: every measure has months with a point (five answers).
    outcomes = (await client.get("/outcomes")).text
    for chart in outcomes.split('<svg xmlns="http://www.w3.org/2000/svg"')[1:]:
        assert "<circle" in chart
    css = await client.get("/funders.css")
    assert "@page { size: A4;" in css.text and css.headers["content-type"].startswith("text/css")


@pytest.fixture
async def served(bot: BotHarness) -> AsyncIterator[str]:
    web = WebServer(web_app(bot.application, webhook_secret=None), host="127.0.0.1", port=0)
    await web.start()
    bot.services.dashboard_access.base_url = web.url
    try:
        yield web.url
    finally:
        await web.stop()


async def test_the_funders_page_prints_on_at_most_two_a4_pages_in_chromium(
    bot: BotHarness, served: str, clock: Clock, tmp_path: Path
) -> None:
    missing = _browser_missing()
    if missing is not None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser test must run here: {missing}")
        pytest.skip(missing)
    from playwright.async_api import async_playwright

    await with_history(bot, clock)
    link = await login_link(demo_phone(bot, "admin"))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = await browser.new_context(locale="da-DK")
        page = await context.new_page()
        await page.goto(link)
        await page.get_by_role("button").first.click()
        await page.wait_for_url(served + "/")
        await page.get_by_role("link", name="Udskriv til fonde", exact=True).click()
        await page.wait_for_url(served + "/funders")
        assert await page.get_by_role("heading", name="Hvad det gav kvinderne").is_visible()
        assert await page.locator("article.funders svg.bars").count() == 2
        await page.emulate_media(media="print")
        assert not await page.locator("header.top").is_visible()  # no navigation on paper
        assert not await page.locator("form.filters").is_visible()
        await page.screenshot(path=str(tmp_path / "funders.png"), full_page=True)
        printed = await page.pdf(format="A4")
        # The CLI's file (`report --format html`), the same article with its own print CSS, prints alike.
        today = clock().date()
        whole = await funders_report(
            bot.services.db,
            groups=None,
            period=Period(today - timedelta(days=365), today),
            zone=ZoneInfo("UTC"),
        )
        await page.set_content(render_html(whole))
        printed_file = await page.pdf(format="A4")
        await page.goto(served + "/funders")
        await page.emulate_media(media="screen")
        await page.set_viewport_size({"width": 390, "height": 844})  # on a phone: no page wider than it
        overflow: Any = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"/funders is {overflow}px wider than a phone"
        await browser.close()
    for pdf in (printed, printed_file):
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        assert 1 <= pages <= 2, f"the funders' report prints on {pages} A4 pages"
