"""Updates that failed three times, shown to national admins (what kind, when, why; never her words or her
Telegram id), and put back to be handled with "Try again"."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from bot.app import inbox_handler
from bot.inbox import PARK_AFTER, HandlingFailedError
from storage.models import AuditEntry, InboxUpdate
from tests.conftest import Clock
from tests.handlers.dashboard.conftest import Scene, sign_in
from tests.handlers.test_matching import NOW, bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness, Phone

SECRET = "I live near Skovgaardsparken, can we meet there on Friday?"


async def failing(update: dict[str, Any]) -> None:
    raise HandlingFailedError("OperationalError")  # e.g. the database was away three times


async def matched(bot: BotHarness) -> Scene:
    """A woman talking with her Bydelsmor Hodan, in a group with its coordinator."""
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await woman_asks(bot, language="en")
    await hodan.press("Yes, I will talk with her")
    return Scene(coordinator=coordinator, hodan=hodan, woman=woman)


async def park_her_message(bot: BotHarness, clock: Clock, woman: Phone) -> int:
    """She writes to her Bydelsmor; handling it fails three times, so it is parked."""
    update = await bot.standin.send_text(woman.user_id, SECRET)
    bot.standin.drain_updates()
    inbox = bot.services.inbox
    await inbox.receive(update)
    for _ in range(PARK_AFTER):
        assert await inbox.handle_next(failing) is True
        clock.advance(seconds=3)
    assert await inbox.handle_next(failing) is False  # parked: not taken again by itself
    return int(update["update_id"])


async def national_admin(bot: BotHarness) -> Phone:
    national = bot.phone(language_code="da", first_name="Nadia")
    await bot.services.groups.add_coordinator(
        telegram_id=national.user_id, group=None, admin=True, locale="en", now=NOW
    )
    return national


async def status_of(bot: BotHarness, update_id: int) -> tuple[str, int]:
    async with bot.services.db.transaction() as session:
        row = await session.get(InboxUpdate, update_id)
        assert row is not None
        return row.status, row.attempts


async def test_a_national_admin_sees_a_parked_update_without_her_words_or_her_telegram_id(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await matched(bot)
    update_id = await park_her_message(bot, clock, scene.woman)
    await sign_in(client, await national_admin(bot))
    assert 'href="/parked"' in (await client.get("/")).text
    page = await client.get("/parked")
    assert page.status_code == 200
    row = page.text.split(f"<td>{update_id}</td>", 1)[1].split("</tr>", 1)[0]
    assert "message" in row and "<td>3</td>" in row and "OperationalError" in row and "Try again" in row
    assert "Skovgaardsparken" not in page.text
    assert str(scene.woman.user_id) not in page.text


async def test_a_group_coordinator_gets_404_for_parked_updates_and_cannot_retry_them(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await matched(bot)
    update_id = await park_her_message(bot, clock, scene.woman)
    csrf = await sign_in(client, scene.coordinator)
    assert 'href="/parked"' not in (await client.get("/")).text
    assert (await client.get("/parked")).status_code == 404
    assert (await client.post(f"/parked/{update_id}/retry", data={"csrf": csrf})).status_code == 404
    assert await status_of(bot, update_id) == ("parked", PARK_AFTER)


async def test_try_again_hands_the_update_back_and_her_message_reaches_her_bydelsmor(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await matched(bot)
    update_id = await park_her_message(bot, clock, scene.woman)
    assert not any(m.text == SECRET for m in bot.standin.bot_messages(scene.hodan.user_id))
    national = await national_admin(bot)
    csrf = await sign_in(client, national)

    refused = await client.post(f"/parked/{update_id}/retry", data={"csrf": "forged"})
    assert refused.status_code == 403
    assert await status_of(bot, update_id) == ("parked", PARK_AFTER)

    answer = await client.post(f"/parked/{update_id}/retry", data={"csrf": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/parked?done=update_retried"
    page = (await client.get(answer.headers["location"])).text
    assert "The update will be handled again in a moment." in page
    assert f"<td>{update_id}</td>" not in page  # no longer parked
    assert await status_of(bot, update_id) == ("pending", 0)

    assert await bot.services.inbox.handle_next(inbox_handler(bot.application)) is True
    await bot.send_outbox()
    assert await status_of(bot, update_id) == ("done", 0)
    assert [m.text for m in bot.standin.bot_messages(scene.hodan.user_id)].count(SECRET) == 1

    async with bot.services.db.transaction() as session:
        audited = (
            await session.execute(select(AuditEntry).where(AuditEntry.action == "retry_update"))
        ).scalar_one()
    assert (audited.subject, audited.telegram_user_id) == (f"update:{update_id}", national.user_id)
    assert "tried a failed update again" in (await client.get("/audit")).text
    # Tried again twice (another admin's tab): the second press finds nothing parked.
    assert (await client.post(f"/parked/{update_id}/retry", data={"csrf": csrf})).status_code == 404
