"""A match across groups, seen by both groups' coordinators; refused looks at other groups, audited."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from bot import admin
from bot.dashboard.access import Viewer
from handlers.dashboard.app import SESSION_COOKIE
from storage.models import AuditEntry, Match
from tests.conftest import Clock
from tests.handlers.dashboard.conftest import sign_in, talked
from tests.handlers.dashboard.test_pages import audit_rows, other_group
from tests.handlers.test_matching import NOW, set_up_group, woman_asks
from tests.harness import BotHarness, Phone


async def vollsmose_bydelsmor(bot: BotHarness) -> Phone:
    """Amal, of the Vollsmose group, lives near Gellerup and speaks Somali: she takes a Gellerup woman."""
    amal = bot.phone(language_code="en", first_name="Amal")
    await admin.add_volunteer(
        bot.services, telegram_id=amal.user_id, name="Amal", languages="so,en", postcode="8220",
        capacity=3, locale="en", now=NOW, group="Bydelsmødre Vollsmose",
    )  # fmt: skip
    return amal


async def test_both_groups_coordinators_see_a_cross_group_match_and_its_log_audited(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    mette = await set_up_group(bot)  # Gellerup: the woman's group
    sara = await other_group(bot)  # Vollsmose: the Bydelsmor's group
    amal = await vollsmose_bydelsmor(bot)
    woman = await woman_asks(bot)
    await amal.press("Yes, I will talk with her")
    await woman.send("Hello, I got a letter from the kommune")

    csrf = await sign_in(client, sara)
    assert "#1 Brabrand" in (await client.get("/matches")).text
    assert "#1 Brabrand" in (await client.get("/")).text
    page = await client.get("/matches/1")
    assert page.status_code == 200 and "Hello, I got a letter from the kommune" in page.text
    assert "The woman belongs to another group" in page.text
    assert "Find her another Bydelsmor" not in page.text and "/requests/1" not in page.text
    assert ("view_log", "match:1", "") in await audit_rows(bot)
    # Looking is shared; what concerns the woman herself stays with her group (and is a refusal here).
    assert (await client.post("/matches/1/end", data={"csrf": csrf})).status_code == 404
    assert (await client.get("/requests/1")).status_code == 404
    async with bot.services.db.transaction() as session:
        assert (await session.execute(select(Match.status))).scalar_one() == "active"

    client.cookies.clear()
    await sign_in(client, mette)
    mettes = await client.get("/matches/1")
    assert mettes.status_code == 200 and "Find her another Bydelsmor" in mettes.text


async def test_the_bydelsmors_own_coordinator_gets_her_alerts_and_sees_them(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    mette = await set_up_group(bot)
    sara = await other_group(bot)
    amal = await vollsmose_bydelsmor(bot)
    await woman_asks(bot)
    await amal.press("Yes, I will talk with her")
    await amal.send("/end")
    await amal.press("It is getting too much for me")
    await bot.send_outbox()
    assert "getting too much for her" in (bot.inbox(sara.user_id)[-1].text or "")
    assert "getting too much for her" in (bot.inbox(mette.user_id)[-1].text or "")

    csrf = await sign_in(client, sara)
    assert "Open the talks" in (await client.get("/")).text
    resolved = await client.post("/alerts/1/resolve", data={"csrf": csrf})
    assert resolved.status_code == 303
    assert ("resolve_alert", "alert:1", "too_much") in await audit_rows(bot)


async def test_a_refused_look_at_another_groups_match_is_audited_by_ids_only(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    await talked(bot, clock)
    sara = await other_group(bot)
    await sign_in(client, sara)
    assert (await client.get("/matches/1")).status_code == 404
    [denied] = [row for row in await audit_rows(bot) if row[0] == "denied"]
    assert denied == ("denied", "match:1", "attempts: 1")  # an id, never what was said
    assert (await client.get("/matches/999")).status_code == 404  # nothing there: nothing refused
    assert [row for row in await audit_rows(bot) if row[0] == "denied"] == [denied]

    national = bot.phone(language_code="en", first_name="Nadia")
    await bot.services.groups.add_coordinator(
        telegram_id=national.user_id, group=None, admin=True, locale="en", now=NOW
    )
    client.cookies.clear()
    await sign_in(client, national)
    assert "was refused something of another group" in (await client.get("/audit")).text


async def test_a_thousand_refused_looks_write_one_row_a_minute(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    await talked(bot, clock)
    sara = await other_group(bot)
    await sign_in(client, sara)
    viewer = await bot.services.dashboard_access.viewer(
        session_token=client.cookies.get(SESSION_COOKIE), now=clock()
    )
    assert isinstance(viewer, Viewer)
    for attempt in range(1000):  # a forged id a second, for almost 17 minutes
        clock.advance(seconds=1)
        kind = ("match", "request", "volunteer", "voice")[attempt % 4]
        assert await probe(bot, viewer, kind, clock) is None
    async with bot.services.db.transaction() as session:
        rows = list(
            (await session.execute(select(AuditEntry).where(AuditEntry.action == "denied"))).scalars()
        )
    assert len(rows) <= 17
    assert sum(int(row.detail.removeprefix("attempts: ")) for row in rows) == 1000


async def probe(bot: BotHarness, viewer: Viewer, kind: str, clock: Clock) -> object:
    dashboard = bot.services.dashboard
    if kind == "match":
        return await dashboard.match_detail(viewer, 1, clock())
    if kind == "request":
        return await dashboard.request_detail(viewer, 1, clock())
    if kind == "volunteer":
        return await dashboard.pause(viewer, 1, None, clock())
    return await dashboard.log_media(viewer, 3, clock())
