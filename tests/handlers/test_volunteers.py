"""A Bydelsmor joins by an invitation link, keeps her profile, pauses; a coordinator makes invitations."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot import admin
from bot.i18n import FSI, PDI, texts
from bot.volunteers import screens as volunteer_screens
from bot.volunteers.service import INVITE_PREFIX
from storage.models import Group, Invite, Match, Volunteer
from tests.conftest import Clock
from tests.handlers.test_matching import set_up_group, woman_asks
from tests.harness import BotHarness, Phone, without_isolates

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


async def invitation(bot: BotHarness) -> str:
    await bot.services.groups.add_group(name="Bydelsmødre Gellerup", postcodes="8210,8220", now=NOW)
    link = await bot.services.groups.create_invite(
        group="Bydelsmødre Gellerup", bot_username="BydelsmorSandboxBot", now=NOW
    )
    assert link.link.startswith(f"https://t.me/BydelsmorSandboxBot?start={INVITE_PREFIX}")
    assert link.qr_png.startswith(b"\x89PNG")
    return link.link.split("start=")[1]


async def test_a_bydelsmor_joins_by_invitation(bot: BotHarness) -> None:
    payload = await invitation(bot)
    phone = bot.phone(language_code="en", first_name="Hodan")
    [welcome] = await phone.send(f"/start {payload}")
    assert "What name should the women see?" in (welcome.text or "")
    [languages] = await phone.send("Hodan")
    assert "Which languages do you speak?" in (languages.text or "")
    [found] = await phone.send("soma")
    assert [b.text for b in found.buttons()] == ["➕ Somali"]
    await phone.press("Somali")
    [found] = await phone.send("arab")
    await phone.press("Arabic")
    [done] = await phone.send("dari")
    assert "➕ Dari" in [b.text for b in done.buttons()]
    await phone.press("Dari")
    [postcode] = await phone.press("Done")
    assert "What is your postcode?" in (postcode.text or "")
    [capacity] = await phone.send("8220")
    assert "How many new women can you take each month?" in (capacity.text or "")
    [bot_language] = await phone.press("3")
    assert "In which language should the bot write to you?" in (bot_language.text or "")
    [joined] = await phone.press_data("bm:ui:en")
    assert "Thank you, Hodan! You are now a Bydelsmor in the bot." in (joined.text or "")

    async with bot.services.db.transaction() as session:
        [volunteer] = (await session.execute(select(Volunteer))).scalars()
    assert (volunteer.display_name, volunteer.spoken_languages, volunteer.postcode) == (
        "Hodan",
        ["so", "ar", "prs"],
        "8220",
    )
    assert volunteer.setup_step is None and volunteer.group_id is not None

    [profile] = await phone.send("/profile")
    assert "Languages: Somali, Arabic, Dari" in (profile.text or "")
    assert "New women this month: 0 of 3" in (profile.text or "")


async def test_a_used_or_forged_invitation_is_refused(bot: BotHarness) -> None:
    payload = await invitation(bot)
    first = bot.phone(language_code="en")
    await first.send(f"/start {payload}")
    second = bot.phone(language_code="en")
    [refused] = await second.send(f"/start {payload}")
    assert "This invitation link does not work." in (refused.text or "")
    third = bot.phone(language_code="en")
    [forged] = await third.send(f"/start {INVITE_PREFIX}made-up-token")
    assert "This invitation link does not work." in (forged.text or "")


async def test_an_expired_invitation_is_refused(bot: BotHarness, clock: Clock) -> None:
    payload = await invitation(bot)
    clock.advance(days=15)
    phone = bot.phone(language_code="en")
    [refused] = await phone.send(f"/start {payload}")
    assert "has expired" in (refused.text or "")


async def test_pause_and_resume(bot: BotHarness) -> None:
    from bot import admin

    phone = bot.phone(language_code="en")
    await admin.add_volunteer(
        bot.services,
        telegram_id=phone.user_id,
        name="Hodan",
        languages="so",
        postcode="8220",
        capacity=3,
        locale="en",
        now=NOW,
    )
    [question] = await phone.send("/pause")
    assert "Take a break?" in (question.text or "")
    [paused] = await phone.press("2 weeks")
    assert "We will ask you again after" in (paused.text or "")
    [profile] = await phone.send("/profile")
    assert "On a break until" in (profile.text or "")
    [resumed] = await phone.send("/resume")
    assert "Welcome back!" in (resumed.text or "")


async def test_a_coordinator_asks_the_bot_for_an_invitation(bot: BotHarness) -> None:
    await bot.services.groups.add_group(name="Bydelsmødre Gellerup", postcodes="8210,8220", now=NOW)
    coordinator = bot.phone(language_code="en")
    await bot.services.groups.add_coordinator(
        telegram_id=coordinator.user_id, group="Bydelsmødre Gellerup", admin=False, locale="en", now=NOW
    )
    link, qr = await coordinator.send("/invite")
    assert "A new invitation link for a Bydelsmor in Bydelsmødre Gellerup:" in (link.text or "")
    assert "It works once, for 14 days." in (link.text or "")
    assert qr.kind == "photo"
    stranger = bot.phone(language_code="en")
    [refused] = await stranger.send("/invite")
    assert refused.text == "Only coordinators can make invitation links."


async def bydelsmor_with_a_woman(bot: BotHarness, *, locale: str) -> tuple[Phone, Phone, str]:
    """Hodan of Gellerup talks with a woman; Vollsmose's coordinator made an invitation (its payload)."""
    await set_up_group(bot)
    hodan = bot.phone(language_code=locale, first_name="Hodan")
    await admin.add_volunteer(
        bot.services,
        telegram_id=hodan.user_id,
        name="Hodan",
        languages="so,en",
        postcode="8220",
        capacity=3,
        locale=locale,
        now=NOW,
        group="Bydelsmødre Gellerup",
    )
    woman = await woman_asks(bot, language="en")
    [offer] = bot.inbox(hodan.user_id)
    await hodan.press_data(offer.buttons()[0].callback_data or "")  # "yes", in her language
    await bot.services.groups.add_group(name="Bydelsmødre Vollsmose", postcodes="5220", now=NOW)
    link = await bot.services.groups.create_invite(
        group="Bydelsmødre Vollsmose", bot_username="BydelsmorSandboxBot", now=NOW
    )
    return hodan, woman, link.link.split("start=")[1]


async def where_she_is(bot: BotHarness) -> tuple[str, bool, list[str]]:
    """Hodan's group, whether the invitation is used, and the statuses of the matches."""
    async with bot.services.db.transaction() as session:
        [hodan] = (
            await session.execute(select(Volunteer).where(Volunteer.display_name == "Hodan"))
        ).scalars()
        group = await session.get(Group, hodan.group_id)
        [invite] = (await session.execute(select(Invite))).scalars()
        matches = [m.status for m in (await session.execute(select(Match))).scalars()]
    return (group.name if group else ""), invite.used_at is not None, matches


async def test_a_bydelsmor_opening_another_groups_invitation_is_asked_and_moves_on_yes(
    bot: BotHarness,
) -> None:
    hodan, woman, payload = await bydelsmor_with_a_woman(bot, locale="en")
    [question] = await hodan.send(f"/start {payload}")
    assert question.text == (
        "This invitation is for the group Bydelsmødre Vollsmose. Do you want to move to this group? "
        "The women you talk with now stay with you."
    )
    assert [b.text for b in question.buttons()] == [
        "Yes, move to Bydelsmødre Vollsmose",
        "No, stay where I am",
    ]
    assert await where_she_is(bot) == (
        "Bydelsmødre Gellerup",
        False,
        ["active"],
    )  # nothing before she answers

    await hodan.press("Yes, move to")  # the question becomes the answer: its buttons cannot be pressed twice
    moved = hodan.message(question.message_id)
    assert moved.text == "Done: you are now in the group Bydelsmødre Vollsmose." and moved.buttons() == []
    assert await where_she_is(bot) == ("Bydelsmødre Vollsmose", True, ["active"])
    await woman.send("Are you still there?")  # her woman keeps her Bydelsmor
    assert bot.inbox(hodan.user_id)[-1].text == "Are you still there?"


async def test_a_bydelsmor_who_says_no_stays_and_the_invitation_stays_usable(bot: BotHarness) -> None:
    hodan, woman, payload = await bydelsmor_with_a_woman(bot, locale="so")
    somali = texts("so")
    [question] = await hodan.send(f"/start {payload}")
    assert question.text == without_isolates(
        volunteer_screens.ask_move(somali, "Bydelsmødre Vollsmose", "-").text
    )
    assert question.text != volunteer_screens.ask_move(texts("en"), "Bydelsmødre Vollsmose", "-").text

    await hodan.press_data("bm:stay")
    assert hodan.message(question.message_id).text == without_isolates(
        volunteer_screens.not_moved(somali).text
    )
    assert await where_she_is(bot) == ("Bydelsmødre Gellerup", False, ["active"])
    await hodan.send("Waan joogaa")
    assert bot.inbox(woman.user_id)[-1].text == "Waan joogaa"

    newcomer = bot.phone(
        language_code="en", first_name="Fadumo"
    )  # the link still works for whom it was meant
    [welcome] = await newcomer.send(f"/start {payload}")
    assert "What name should the women see?" in (welcome.text or "")


@pytest.mark.parametrize("locale", ["da", "so"])
async def test_an_arabic_script_name_stays_in_place_in_a_danish_or_somali_line(
    bot: BotHarness, locale: str
) -> None:
    payload = await invitation(bot)
    phone = bot.phone(language_code=locale, first_name="Fatima")
    await phone.send(f"/start {payload}")
    await phone.send("فاطمة")
    [found] = await phone.send("dari")
    dari = {"da": "dari", "so": "Dari"}[locale]  # Somali called it "Faarsi", which is Persian
    assert next(b.text for b in found.buttons()) == f"➕ {dari}"
    await phone.press_data("bm:lang:prs")
    await phone.press_data("bm:lang:done")
    await phone.send("8220")
    await phone.press_data("bm:cap:3")
    [joined] = await phone.press_data(f"bm:ui:{locale}")
    [profile] = await phone.send("/profile")

    sent = {m.message_id: m.text or "" for m in phone.standin.chat(phone.user_id)}
    assert f"{FSI}فاطمة{PDI}" in sent[joined.message_id]  # her name cannot turn the line around
    assert f"{FSI}{dari}{PDI}" in sent[profile.message_id]
