"""Every woman reaches a Bydelsmor who speaks her language near her: offers, decline, time-out, alerts."""

from datetime import UTC, datetime

from sqlalchemy import select

from bot import admin
from bot.i18n import texts
from bot.matching import screens as match_screens
from storage.models import Alert, HelpRequest, Match, MessageLog, Offer, Volunteer
from tests.conftest import Clock
from tests.harness import BotHarness, Phone, without_isolates

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


async def set_up_group(bot: BotHarness) -> Phone:
    """A group around Aarhus with a coordinator; returns the coordinator's phone."""
    await bot.services.groups.add_group(name="Bydelsmødre Gellerup", postcodes="8210,8220,8381,8900", now=NOW)
    coordinator = bot.phone(language_code="da", first_name="Mette")
    await bot.services.groups.add_coordinator(
        telegram_id=coordinator.user_id, group="Bydelsmødre Gellerup", admin=False, locale="en", now=NOW
    )
    return coordinator


async def bydelsmor(bot: BotHarness, name: str, languages: str, postcode: str) -> Phone:
    phone = bot.phone(language_code="en", first_name=name)
    await admin.add_volunteer(
        bot.services,
        telegram_id=phone.user_id,
        name=name,
        languages=languages,
        postcode=postcode,
        capacity=3,
        locale="en",
        now=NOW,
        group="Bydelsmødre Gellerup",
    )
    return phone


async def woman_asks(bot: BotHarness, *, language: str = "so", postcode: str = "8220") -> Phone:
    woman = bot.phone(language_code=language, first_name="Amina")
    await woman.send("/start")
    await woman.press_data(f"lang:set:{language}")
    await woman.press_data("intro:next")
    await woman.press_data("consent:yes")
    await woman.send(postcode)
    await woman.press_data("topic:letters")
    await woman.press_data("topic:done")
    return woman


async def offers(bot: BotHarness) -> list[tuple[int, str]]:
    async with bot.services.db.transaction() as session:
        return [
            (o.volunteer_id, o.status)
            for o in (await session.execute(select(Offer).order_by(Offer.id))).scalars()
        ]


async def test_the_nearby_bydelsmor_who_speaks_her_language_is_asked_first(
    bot: BotHarness, clock: Clock
) -> None:
    coordinator = await set_up_group(bot)
    near = await bydelsmor(bot, "Hodan", "so,ar", "8220")
    far = await bydelsmor(bot, "Fadumo", "so", "8900")  # Randers, 35 km away
    next_door = await bydelsmor(bot, "Layla", "ar", "8220")  # next door, but no Somali

    await woman_asks(bot)
    [offer] = bot.inbox(near.user_id)
    assert "A woman would like to talk with a Bydelsmor." in (offer.text or "")
    assert "Language: Somali" in (offer.text or "")
    assert "Area: 8220 Brabrand" in (offer.text or "")
    assert "Help with: 📄 Letters and authorities" in (offer.text or "")
    assert "Please answer within 4 hours." in (offer.text or "")
    assert bot.inbox(far.user_id) == [] and bot.inbox(next_door.user_id) == []

    [thanks] = await near.press("No, not this time")
    assert "We will ask another Bydelsmor" in (thanks.text or "")
    [second] = bot.inbox(far.user_id)
    assert "A woman would like to talk with a Bydelsmor." in (second.text or "")

    clock.advance(hours=4, minutes=1)  # Fadumo does not answer: it counts as a decline
    await bot.tick()
    assert "The time to answer has passed" in (bot.inbox(far.user_id)[-1].text or "")
    assert bot.inbox(next_door.user_id) == []  # the wrong language is never asked
    [alert] = bot.inbox(coordinator.user_id)
    assert "No Bydelsmor is free for" in (alert.text or "")
    assert [status for _, status in await offers(bot)] == ["declined", "expired"]

    async with bot.services.db.transaction() as session:
        [stored_alert] = (await session.execute(select(Alert))).scalars()
        [request] = (await session.execute(select(HelpRequest))).scalars()
    assert stored_alert.kind == "nobody_left"
    assert request.status == "waiting" and request.stalled_at is not None


async def test_she_is_told_honestly_and_not_forgotten(bot: BotHarness, clock: Clock) -> None:
    await set_up_group(bot)
    woman = await woman_asks(bot)
    later = bot.inbox(woman.user_id)[-2]  # the last is the question whether she wants news of meetings
    somali = texts("so")
    assert without_isolates(match_screens.takes_longer(somali, somali.language_name("so")).text) in (
        later.text or ""
    )

    hodan = await bydelsmor(bot, "Hodan", "so", "8220")  # a Bydelsmor joins
    await bot.tick()
    [offer] = bot.inbox(hodan.user_id)
    assert "A woman would like to talk with a Bydelsmor." in (offer.text or "")


async def test_accept_then_talk_both_ways_anonymously(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,ar,en", "8220")
    woman = await woman_asks(bot, language="en")
    [talking, guide] = await hodan.press("Yes, I will talk with her")
    assert "You are now talking with #1 Brabrand" in (talking.text or "")
    assert "1888" in (guide.text or "")
    told = bot.inbox(woman.user_id)[-1]
    assert "Hodan is your Bydelsmor. She speaks English." in (told.text or "")

    before = hodan.last.message_id
    await woman.send("Hello Hodan, I got a letter from the kommune")
    [copied] = bot.inbox(hodan.user_id, after=before)
    assert copied.text == "Hello Hodan, I got a letter from the kommune"
    assert "forward_origin" not in copied.raw and "forward_from" not in copied.raw

    before_woman = woman.last.message_id
    await hodan.send("Hello! Can you send me a photo of the letter?")
    assert [m.text for m in bot.inbox(woman.user_id, after=before_woman)] == [
        "Hello! Can you send me a photo of the letter?"
    ]
    await woman.send_voice(b"OggS-her-voice")
    assert bot.inbox(hodan.user_id)[-1].kind == "voice"
    await hodan.send_voice(b"OggS-hodan-voice")
    assert bot.inbox(woman.user_id)[-1].kind == "voice"

    async with bot.services.db.transaction() as session:
        [match] = (await session.execute(select(Match))).scalars()
    assert match.status == "active"


async def matched_pair(bot: BotHarness, hodan: Phone, *, postcode: str = "8220") -> Phone:
    woman = await woman_asks(bot, language="en", postcode=postcode)
    await hodan.press("Yes, I will talk with her")
    return woman


async def test_one_bydelsmor_with_two_women_routes_replies_correctly(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    first = await matched_pair(bot, hodan, postcode="8220")
    second = await matched_pair(bot, hodan, postcode="8210")

    await first.send("I need help with a letter from the school")
    await second.send("Can we meet at the library?")
    shown = [m.text for m in bot.inbox(hodan.user_id)][-4:]
    assert shown == [
        "💬 From #1 Brabrand:",
        "I need help with a letter from the school",
        "💬 From #2 Aarhus V:",
        "Can we meet at the library?",
    ]
    letter = next(
        m for m in bot.inbox(hodan.user_id) if m.text == "I need help with a letter from the school"
    )

    before_first, before_second = first.last.message_id, second.last.message_id
    await hodan.send("Of course, send me a photo of it", reply_to=letter.message_id)
    assert [m.text for m in bot.inbox(first.user_id, after=before_first)] == [
        "Of course, send me a photo of it"
    ]
    assert bot.inbox(second.user_id, after=before_second) == []

    [question] = await hodan.send("See you tomorrow!")  # no reply, two women, none chosen yet: she is asked
    assert "Who is this message for?" in (question.text or "")
    assert bot.inbox(second.user_id, after=before_second) == []
    await hodan.press("#2 Aarhus V")
    assert [m.text for m in bot.inbox(second.user_id, after=before_second)] == ["See you tomorrow!"]

    await hodan.send("And bring your papers")  # now goes to the chosen one
    assert bot.inbox(second.user_id)[-1].text == "And bring your papers"


async def test_a_restart_between_the_commit_and_the_send_loses_nothing_and_sends_nothing_twice(
    bot: BotHarness,
) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    before = hodan.last.message_id
    await bot.standin.send_text(woman.user_id, "Are you there?")
    await bot.process_pending(send=False)  # committed, not yet sent: then the bot stops
    assert bot.inbox(hodan.user_id, after=before) == []
    await bot.restart()
    assert await bot.send_outbox() == 1
    assert await bot.send_outbox() == 0
    assert [m.text for m in bot.inbox(hodan.user_id, after=before)] == ["Are you there?"]


async def test_an_edit_is_passed_on(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    await woman.send("I live in Brabrnd")
    sent = max(m.message_id for m in bot.standin.chat(woman.user_id) if not m.from_bot)
    await bot.standin.edit_text(woman.user_id, sent, "I live in Brabrand")
    await bot.process_pending()
    assert bot.inbox(hodan.user_id)[-1].text == "I live in Brabrand"


async def test_words_of_danger_bring_help_at_once_and_alert_the_coordinator(bot: BotHarness) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    [help_now] = await woman.send("My husband hits me and I am afraid")
    assert "1888" in (help_now.text or "")
    assert "Violence or threats at home in #1 Brabrand" in (bot.inbox(coordinator.user_id)[-1].text or "")
    assert bot.inbox(hodan.user_id)[-1].text == "My husband hits me and I am afraid"  # still passed on


async def test_she_may_ask_for_another_bydelsmor(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    fadumo = await bydelsmor(bot, "Fadumo", "en", "8210")
    woman = await matched_pair(bot, hodan)
    [ask] = await woman.send("/end")
    assert "Do you want to end the talks with your Bydelsmor?" in (ask.text or "")
    [looking] = await woman.press("I would like another Bydelsmor")
    assert "We are looking for another Bydelsmor for you." in (looking.text or "")
    assert "has ended the talks" in (bot.inbox(hodan.user_id)[-1].text or "")
    assert "A woman would like to talk with a Bydelsmor." in (bot.inbox(fadumo.user_id)[-1].text or "")


async def test_a_bydelsmor_who_finds_it_too_much_alerts_the_coordinator(bot: BotHarness) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    await hodan.send("/end")
    [ended] = await hodan.press("It is getting too much for me")
    assert "have ended" in (ended.text or "")
    assert "getting too much for her" in (bot.inbox(coordinator.user_id)[-1].text or "")
    assert "Your Bydelsmor has ended the talks." in (bot.inbox(woman.user_id)[-1].text or "")


async def test_a_woman_who_blocked_the_bot_is_handled_kindly(bot: BotHarness) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    bot.standin.block(woman.user_id)
    await hodan.send("How did it go at the school?")
    assert "can no longer reach the other person" in (bot.inbox(hodan.user_id)[-1].text or "")
    assert "has blocked the bot" in (bot.inbox(coordinator.user_id)[-1].text or "")


async def test_a_contact_card_is_not_passed_on(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    before = hodan.last.message_id
    await bot.standin.send_sticker(woman.user_id)  # a sticker is passed on
    await bot.process_pending()
    assert bot.inbox(hodan.user_id, after=before)[-1].kind == "sticker"


async def test_logs_are_deleted_a_year_after_the_match_ends(bot: BotHarness, clock: Clock) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    await woman.send("Thank you for everything")
    await woman.send("/end")
    await woman.press("Yes, I got the help I needed")
    clock.advance(days=364)
    await bot.tick()
    assert await log_count(bot) == 1
    clock.advance(days=2)
    await bot.tick()
    assert await log_count(bot) == 0


async def log_count(bot: BotHarness) -> int:
    async with bot.services.db.transaction() as session:
        return len(list((await session.execute(select(MessageLog))).scalars()))


async def test_open_offers_count_against_her_capacity(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so", "8220")
    async with bot.services.db.transaction() as session:
        volunteer = (await session.execute(select(Volunteer))).scalar_one()
        volunteer.capacity_per_month = 1
    await woman_asks(bot)
    await woman_asks(bot)
    assert len([m for m in bot.inbox(hodan.user_id) if "would like to talk" in (m.text or "")]) == 1


async def test_changing_her_answers_withdraws_the_open_offer(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so", "8220")
    woman = await woman_asks(bot)
    await woman.send("/start")
    await woman.press_data("start:change")
    assert bot.inbox(hodan.user_id)[-1].text == "This request is no longer open. Thank you!"
    assert [status for _, status in await offers(bot)] == ["withdrawn"]
    await woman.send("8210")
    await woman.press_data("topic:done")
    assert [status for _, status in await offers(bot)] == ["withdrawn", "pending"]


async def test_after_the_talks_end_start_asks_again(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    await hodan.send("/end")
    await hodan.press("She is doing better")
    welcome, question = await woman.send("/start")
    assert "Welcome back!" in (welcome.text or "")
    assert "Write your postcode" in (question.text or "")


async def test_a_bydelsmor_is_never_offered_her_own_request(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "en", "8220")
    await hodan.send("/start")  # she asks for help herself, as a woman
    await hodan.press_data("lang:set:en")
    await hodan.press_data("intro:next")
    await hodan.press_data("consent:yes")
    await hodan.send("8220")
    replies = await hodan.press_data("topic:done")
    assert any("no Bydelsmor who speaks English is free" in (m.text or "") for m in replies)
    assert await offers(bot) == []


async def test_she_who_unblocks_the_bot_is_reached_again(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    bot.standin.block(woman.user_id)
    await hodan.send("Hello?")
    await woman.send("Sorry, I am back")  # writing again unblocks, in Telegram and here
    before = woman.last.message_id
    await hodan.send("Welcome back!")
    assert [m.text for m in bot.inbox(woman.user_id, after=before)] == ["Welcome back!"]
