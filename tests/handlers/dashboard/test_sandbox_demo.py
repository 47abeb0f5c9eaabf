"""The issue's "done when", with the sandbox's demo people: a woman and Hodan talk and the woman answers a
check-in; Mette (coordinator) signs in from the bot, reads the log and sees the outcome chart; Nadia (national
admin) finds all of it in the audit log."""

from __future__ import annotations

import httpx

from bot.demo import DEMO_PEOPLE, seed_demo
from tests.conftest import Clock
from tests.handlers.dashboard.conftest import sign_in
from tests.handlers.test_matching import woman_asks
from tests.harness import BotHarness, Phone


def demo_phone(bot: BotHarness, role: str, name: str) -> Phone:
    person = next(p for p in DEMO_PEOPLE if p.role == role and p.first_name.startswith(name))
    bot.standin.add_user(
        first_name=person.first_name, language_code=person.language_code, user_id=person.telegram_user_id
    )
    return Phone(bot, person.telegram_user_id)


async def test_in_the_sandbox_a_coordinator_reads_the_log_and_chart_and_it_is_all_audited(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    await seed_demo(bot.services.db, now=clock())
    hodan = demo_phone(bot, "bydelsmor", "Hodan")
    mette = demo_phone(bot, "coordinator", "Mette")
    nadia = demo_phone(bot, "admin", "Nadia")

    woman = await woman_asks(bot, language="so", postcode="8220")
    await hodan.press_data(bot.inbox(hodan.user_id)[-1].buttons()[0].callback_data or "")  # "Yes"
    await woman.send("Waxaan helay warqad kommunka ka timid")
    await hodan.send("Sawir ii soo dir, waan wada akhrisan doonnaa")
    await bot.send_outbox()
    clock.advance(seconds=2)
    await bot.tick()
    await woman.press_data(woman.last.buttons()[0].callback_data or "")  # "Better", in Somali

    await sign_in(client, mette)
    log = (await client.get("/matches/1")).text
    assert "Waxaan helay warqad kommunka ka timid" in log and "Sawir ii soo dir" in log
    outcomes = (await client.get("/outcomes")).text  # in Danish: Mette's language in the bot is Danish
    assert '<html lang="da">' in outcomes
    assert outcomes.count('<svg xmlns="http://www.w3.org/2000/svg"') == 7
    assert "Evalueringen fra 2015: 89\xa0%" in outcomes
    assert (await client.get("/audit")).status_code == 404  # a group coordinator does not read the audit log

    client.cookies.clear()
    await sign_in(client, nadia)
    audit = (await client.get("/audit")).text
    assert "Mette (coordinator)" in audit
    for done in ("loggede ind", "læste en samtale"):
        assert done in audit
    assert "Waxaan" not in audit


async def test_the_sandbox_has_a_bydelsmor_halfway_through_the_course(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    await seed_demo(bot.services.db, now=clock())
    hodan = demo_phone(bot, "bydelsmor", "Hodan")
    mette = demo_phone(bot, "coordinator", "Mette")
    await sign_in(client, mette)
    page = (await client.get("/bydelsmoedre")).text  # in Danish
    assert "2 af 6 lektioner" in page
    [status] = await hodan.send("/course")  # in Somali, her language in the bot
    assert status.text == "Koorsadaada: 2 ka mid ah 6 cashar ayaa dhammaaday."


async def test_the_sandbox_has_an_announcement_with_answers(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    await seed_demo(bot.services.db, now=clock())
    await sign_in(client, demo_phone(bot, "coordinator", "Mette"))
    listing = (await client.get("/announcements")).text
    assert "Globus1, Gudrunsvej 20, Gellerup" in listing
    page = (await client.get("/announcements/1")).text
    assert "Fællesmøde for Bydelsmødre" in page
    assert "Kommer: 1 (Hodan)" in page and "Kan ikke: 1 (Amal)" in page and "Intet svar endnu: 1" in page
