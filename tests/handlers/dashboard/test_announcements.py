"""Announcements: written in the dashboard, answered by the Bydelsmødre, translated by one of them for the
women who chose news, approved by the coordinator, and sent only to the women who read that language."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from bot import admin
from storage.models import Person
from tests.handlers.dashboard.conftest import sign_in
from tests.handlers.dashboard.test_pages import audit_rows, other_group
from tests.handlers.test_matching import NOW, bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness, Phone

MEETING = "Women's breakfast with a talk about the school system. Children are welcome."
SOMALI = "Quraac haweenka ah iyo sheeko ku saabsan nidaamka dugsiga. Carruurta waa la soo dhaweynayaa."


async def announce(client: httpx.AsyncClient, csrf: str, *, for_women: bool) -> str:
    form = {"csrf": csrf, "group_id": "1", "text": MEETING, "date": "2026-03-20", "time": "10:00"}
    form["place"] = "Globus1, Gellerup"
    if for_women:
        form["for_women"] = "yes"
    made = await client.post("/announcements", data=form)
    assert made.status_code == 303
    return str(made.headers["location"])


async def wants_news(woman: Phone, *, yes: bool) -> None:
    [answer] = await woman.press_data("news:yes" if yes else "news:no")
    assert answer.text


async def test_an_announcement_reaches_the_bydelsmoedre_and_their_answers_are_counted(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    amal = await bydelsmor(bot, "Amal", "ar,en", "8210")
    fatima = await bydelsmor(bot, "Fatima", "ar", "8210")
    csrf = await sign_in(client, coordinator)

    incomplete = await client.post("/announcements", data={"csrf": csrf, "group_id": "1", "text": "Hi"})
    assert incomplete.headers["location"] == "/announcements?done=announcement_incomplete"
    where = await announce(client, csrf, for_women=False)
    await bot.send_outbox()
    for phone in (hodan, amal, fatima):
        news = phone.last
        assert (news.text or "").replace("\u202f", " ") == (
            f"📣 News from Bydelsmødre Gellerup:\n\n{MEETING}\n\n"
            "🗓 Friday, March 20, 2026, 10:00 AM\n📍 Globus1, Gellerup"
        )
        assert [b.text for b in news.buttons()] == ["✅ I'll come", "I can't"]

    [thanks] = await hodan.press("I'll come")
    assert thanks.text == "Thank you! Your coordinator can see that you will come. 🌷"
    await amal.press("I'll come")
    [changed] = await amal.press("I can't")  # she changed her mind: her last press counts
    assert changed.text == "Thank you for letting your coordinator know."

    page = (await client.get(where.split("?")[0])).text
    assert "Coming: 1 (Hodan)" in page
    assert "Can't come: 1 (Amal)" in page
    assert "No answer yet: 1" in page
    listing = (await client.get("/announcements")).text
    assert "Globus1, Gellerup" in listing
    assert ("announce", "announcement:1", "") in await audit_rows(bot)


async def test_news_for_women_goes_only_in_the_languages_translated_and_approved(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    somali_yes = await woman_asks(bot, language="so")
    await wants_news(somali_yes, yes=True)
    somali_no = await woman_asks(bot, language="so")
    await wants_news(somali_no, yes=False)
    arabic_yes = await woman_asks(bot, language="ar")
    await wants_news(arabic_yes, yes=True)
    before = {phone.user_id: len(bot.inbox(phone.user_id)) for phone in (somali_yes, somali_no, arabic_yes)}

    csrf = await sign_in(client, coordinator)
    where = (await announce(client, csrf, for_women=True)).split("?")[0]
    await bot.send_outbox()
    # Nothing reaches a woman before a translation is approved.
    assert all(len(bot.inbox(user)) == count for user, count in before.items())

    await hodan.send("/translate")
    [screen] = await hodan.press("Soomaali")
    assert MEETING in (screen.text or "") and "In Danish:" in (screen.text or "")
    await hodan.press("Suggest a better text")
    kept, following = await hodan.send(SOMALI)
    assert kept.text == "Thank you! A coordinator will look at your suggestion. 🌷"
    assert "Text 1 of" in (following.text or "")  # then on to the bot's own texts, as always

    page = (await client.get(where)).text
    assert SOMALI in page and "translated by Hodan" in page
    approved = await client.post("/announcement-translations/1/approve", data={"csrf": csrf})
    assert approved.headers["location"] == f"{where}?done=translation_approved"
    await bot.send_outbox()

    [news] = bot.inbox(somali_yes.user_id)[before[somali_yes.user_id] :]
    assert (news.text or "").startswith("📣 ") and SOMALI in (news.text or "")
    assert "/news" in (news.text or "")
    assert len(bot.inbox(somali_no.user_id)) == before[somali_no.user_id]  # she said no
    assert len(bot.inbox(arabic_yes.user_id)) == before[arabic_yes.user_id]  # no Arabic translation
    assert ("approve_announcement", "announcement:1", "so") in await audit_rows(bot)

    twice = await client.post("/announcement-translations/1/approve", data={"csrf": csrf})
    assert twice.headers["location"] == f"{where}?done=translation_decided"


async def test_a_woman_turns_news_on_and_off_with_news_and_it_goes_with_her(bot: BotHarness) -> None:
    await set_up_group(bot)
    woman = await woman_asks(bot, language="en")
    [offered] = bot.inbox(woman.user_id)[-1:]
    assert offered.text == (
        "Would you like to hear about meetings for women near you?\n"
        "It is off unless you say yes. You can change it any time with /news."
    )

    async def news_choice() -> bool:
        async with bot.services.db.transaction() as session:
            person = (
                await session.execute(select(Person).where(Person.telegram_user_id == woman.user_id))
            ).scalar_one_or_none()
            assert person is not None
            return person.news

    assert await news_choice() is False  # off until she says yes
    [asked] = await woman.send("/news")
    assert [b.text for b in asked.buttons()] == ["Yes, tell me", "No, thank you"]
    [on] = await woman.press("Yes, tell me")
    assert on.text == "Good. We will tell you about meetings for women near you. 🌷"
    assert await news_choice() is True
    [mydata] = await woman.send("/mydata")
    assert "You chose to hear about meetings for women near you (/news)" in (mydata.text or "")

    await woman.send("/news")
    [off] = await woman.press("No, thank you")
    assert off.text == "All right. You will not get news about meetings."
    assert await news_choice() is False
    [mydata] = await woman.send("/mydata")
    assert "meetings" not in (mydata.text or "")

    await woman.send("/news")
    await woman.press("Yes, tell me")
    await woman.send("/stop")
    await woman.press_data("stop:yes")
    async with bot.services.db.transaction() as session:
        gone = (await session.execute(select(Person).where(Person.telegram_user_id == woman.user_id))).first()
    assert gone is None  # her choice was on her row, and the row is gone


async def test_news_before_she_started_asks_her_to_start(bot: BotHarness) -> None:
    stranger = bot.phone(language_code="en")
    [reply] = await stranger.send("/news")
    assert reply.text == "Please write /start first."


async def test_a_forged_answer_to_another_groups_announcement_counts_nowhere(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    await bydelsmor(bot, "Hodan", "so,en", "8220")
    await other_group(bot)
    stranger = bot.phone(language_code="en", first_name="Sahra")
    await admin.add_volunteer(
        bot.services,
        telegram_id=stranger.user_id,
        name="Sahra",
        languages="so",
        postcode="5220",
        capacity=3,
        locale="en",
        now=NOW,
        group="Bydelsmødre Vollsmose",
    )
    csrf = await sign_in(client, coordinator)
    where = (await announce(client, csrf, for_women=False)).split("?")[0]
    await bot.send_outbox()
    await stranger.send("/help")  # a message of the bot's to press a forged button on
    await stranger.press_forged("ann:1:yes")
    page = (await client.get(where)).text
    assert "Coming: 0" in page and "Sahra" not in page
