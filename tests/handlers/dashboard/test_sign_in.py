"""Signing in from the bot: a link that works once, for ten minutes; sessions, cookies, CSRF and sign-out."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.dashboard.access import SESSION_LIFETIME
from storage.models import AuditEntry, Coordinator, DashboardSession
from tests.conftest import Clock
from tests.handlers.dashboard.conftest import BASE, link_in, login_link, open_link, sign_in
from tests.handlers.test_matching import set_up_group
from tests.harness import BotHarness


async def test_a_coordinator_signs_in_with_the_link_from_the_bot(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    [reply] = await coordinator.send("/login")
    assert "Your link to the coordinators' dashboard. It works once, within 10 minutes." in (reply.text or "")
    sent = bot.standin.calls("sendMessage")[-1].params
    assert sent["link_preview_options"] == {"is_disabled": True}  # no preview fetches the link

    link = link_in(reply.text or "")
    opened = await client.get(link.removeprefix(BASE))
    assert "Press the button to sign in." in opened.text  # opening (or a link preview) does not use it up
    signed = await client.post("/login", data=await open_link(client, link))
    assert signed.status_code == 303 and signed.headers["location"] == "/"
    cookie = signed.headers["set-cookie"]
    assert "bm_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain http on this computer; https makes it Secure (below)
    assert f"Max-Age={int(SESSION_LIFETIME.total_seconds())}" in cookie

    overview = await client.get("/")
    assert overview.status_code == 200
    assert "Women waiting" in overview.text and "Bydelsmødre Gellerup" in overview.text
    async with bot.services.db.transaction() as session:
        [entry] = (await session.execute(select(AuditEntry))).scalars()
    assert (entry.action, entry.telegram_user_id, entry.name) == ("sign_in", coordinator.user_id, "Mette")


async def test_a_link_used_twice_expired_or_forged_is_refused(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    coordinator = await set_up_group(bot)
    await sign_in(client, coordinator)
    used = await login_link(coordinator)
    assert (await client.post("/login", data=await open_link(client, used))).status_code == 303
    again = await client.get(used.removeprefix(BASE))
    assert again.status_code == 400
    assert "This sign-in link has already been used." in again.text
    assert "Send /login to the bot in Telegram to get a new link." in again.text
    assert 'name="token"' not in again.text

    old = await login_link(coordinator)
    clock.advance(minutes=10, seconds=1)
    expired = await client.get(old.removeprefix(BASE))
    assert "This sign-in link has expired" in expired.text

    forged = await client.get("/login?token=" + "A" * 43)
    assert forged.status_code == 400 and "This sign-in link does not work." in forged.text


async def test_a_link_pressed_five_times_at_once_signs_in_once(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    form = await open_link(client, await login_link(coordinator))
    presses = await asyncio.gather(*(client.post("/login", data=form) for _ in range(5)))
    assert sorted(p.status_code for p in presses) == [303, 400, 400, 400, 400]
    async with bot.services.db.transaction() as session:
        sessions = list((await session.execute(select(DashboardSession))).scalars())
    assert len(sessions) == 1


async def test_production_needs_an_https_dashboard(bot: BotHarness) -> None:
    from bot.config import SettingsError, load_settings

    token = "123456:" + "A" * 35
    with pytest.raises(SettingsError, match="DASHBOARD_URL must be https://"):
        load_settings(
            bot_token=token, data_key=Fernet.generate_key().decode(), dashboard_url="http://dash.example.org"
        )
    load_settings(
        bot_token=token, data_key=Fernet.generate_key().decode(), dashboard_url="http://127.0.0.1:8080"
    )


async def test_pressing_sign_in_after_the_link_expired_is_refused(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    coordinator = await set_up_group(bot)
    form = await open_link(client, await login_link(coordinator))
    clock.advance(minutes=11)
    late = await client.post("/login", data=form)
    assert late.status_code == 400 and "expired" in late.text
    assert "bm_session" not in late.headers.get("set-cookie", "")


async def test_the_sign_in_form_needs_its_own_csrf_cookie(bot: BotHarness, client: httpx.AsyncClient) -> None:
    coordinator = await set_up_group(bot)
    link = await login_link(coordinator)
    token = link.split("token=")[1]
    # A page elsewhere posting a (stolen or the attacker's own) token: no cookie, no session.
    refused = await client.post("/login", data={"token": token, "csrf": "guessed"})
    assert refused.status_code == 403
    assert (await client.get("/")).status_code == 401


async def test_someone_who_is_not_a_coordinator_gets_no_link(bot: BotHarness) -> None:
    stranger = bot.phone(language_code="en", first_name="Eve")
    [reply] = await stranger.send("/login")
    assert reply.text == "Only coordinators can sign in to the dashboard."


async def test_signed_out_pages_say_how_to_sign_in(bot: BotHarness, client: httpx.AsyncClient) -> None:
    for path in ("/", "/matches/1", "/outcomes.csv", "/audit"):
        page = await client.get(path)
        assert page.status_code == 401
        assert "Send /login to the bot in Telegram." in page.text


async def test_sign_out_ends_the_session(bot: BotHarness, client: httpx.AsyncClient) -> None:
    coordinator = await set_up_group(bot)
    csrf = await sign_in(client, coordinator)
    stolen = client.cookies.get("bm_session")
    out = await client.post("/logout", data={"csrf": csrf})
    assert out.status_code == 200 and "You are not signed in." in out.text
    client.cookies.set("bm_session", stolen or "")
    assert (await client.get("/")).status_code == 401  # the old cookie is worth nothing now
    async with bot.services.db.transaction() as session:
        actions = [
            e.action for e in (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()
        ]
    assert actions == ["sign_in", "sign_out"]


async def test_a_session_lasts_a_working_day(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    coordinator = await set_up_group(bot)
    await sign_in(client, coordinator)
    clock.advance(hours=9, minutes=59)
    assert (await client.get("/")).status_code == 200
    clock.advance(minutes=2)
    assert (await client.get("/")).status_code == 401


async def test_a_coordinator_removed_loses_access_at_once(bot: BotHarness, client: httpx.AsyncClient) -> None:
    coordinator = await set_up_group(bot)
    await sign_in(client, coordinator)
    async with bot.services.db.transaction() as session:
        for row in (await session.execute(select(Coordinator))).scalars():
            await session.delete(row)
    assert (await client.get("/")).status_code == 401


async def test_a_form_without_csrf_is_refused(bot: BotHarness, client: httpx.AsyncClient) -> None:
    coordinator = await set_up_group(bot)
    await sign_in(client, coordinator)
    for path in ("/logout", "/groups/1/invite", "/bydelsmoedre/1/deactivate", "/language"):
        missing = await client.post(path, data={})
        assert missing.status_code == 403, path
        assert "The form was too old or came from elsewhere." in missing.text
        wrong = await client.post(path, data={"csrf": "x" * 43})
        assert wrong.status_code == 403, path
    assert (await client.get("/")).status_code == 200  # still signed in: nothing happened


async def test_pages_carry_security_headers(bot: BotHarness, client: httpx.AsyncClient) -> None:
    coordinator = await set_up_group(bot)
    await sign_in(client, coordinator)
    page = await client.get("/")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"


async def test_over_https_the_cookie_is_secure(bot: BotHarness) -> None:
    from bot.app import web_app

    coordinator = await set_up_group(bot)
    app = web_app(bot.application, webhook_secret=None)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://dash.test"
    ) as https:
        signed = await https.post("/login", data=await open_link(https, await login_link(coordinator)))
        assert "Secure" in signed.headers["set-cookie"]


async def test_the_dashboard_speaks_danish_and_english(bot: BotHarness, client: httpx.AsyncClient) -> None:
    coordinator = await set_up_group(bot)
    link = await login_link(coordinator)
    opened = await client.get(link.removeprefix(BASE), headers={"Accept-Language": "da-DK,da;q=0.9"})
    assert '<html lang="da">' in opened.text and "Log ind" in opened.text
    csrf = await sign_in(client, coordinator)
    switched = await client.post("/language", data={"csrf": csrf, "locale": "da", "next": "/waiting"})
    assert switched.status_code == 303 and switched.headers["location"] == "/waiting"
    danish = await client.get("/")
    assert '<html lang="da">' in danish.text and "Oversigt" in danish.text
    evil = await client.post("/language", data={"csrf": csrf, "locale": "en", "next": "//evil.example"})
    assert evil.headers["location"] == "/"
    assert "Overview" in (await client.get("/")).text
